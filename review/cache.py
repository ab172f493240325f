"""Findings cache for ``review check``, after ruff's: an input checked again with the same code,
rules, glossaries and options is answered from the cache instead of being checked again.

The key is a SHA-256 over everything that can change a result:

* the input's bytes and the name it was given (the name appears in text output);
* the options (source/target language, select/ignore/enable, default glossary on or off);
* the bytes of every extra glossary, rule pack and profile, and of the files a profile names;
* the bytes of the package itself (code, rule packs, packaged term base), of the shipped
  ``glossaries/*.tbx``, and the versions of the libraries whose data or behaviour decides a
  finding (word lists, language profiles, regex engine).

So an edit to any of them is a miss, never a stale answer. Runs that reported a warning (a rule
that timed out under load) are not stored: their findings may be incomplete. Entries live in
``$REVIEW_CACHE_DIR/findings`` (default ``~/.cache/review/findings``); at most ``MAX_ENTRIES``
are kept, least recently used first out. Unreadable, unwritable or corrupt entries are a miss,
never an error. ``--no-cache`` or ``REVIEW_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Iterable

from . import lexicons

FORMAT = b"review.cache/1"
MAX_ENTRIES = 64
_DEPENDENCIES = ("regex", "pyspellchecker", "langdetect", "pyahocorasick", "translate-toolkit",
                 "charset-normalizer", "defusedxml", "PyYAML", "babel", "symspellpy", "rapidfuzz",
                 "lemminflect")
_CODE_SUFFIXES = {".py", ".yaml", ".yml", ".tbx", ".csv", ".json", ".txt"}
_code_digest: bytes | None = None


def enabled() -> bool:
    return os.environ.get("REVIEW_NO_CACHE", "").strip().lower() not in ("1", "true", "yes", "on")


def cache_dir() -> Path:
    return lexicons.cache_dir() / "findings"


def code_fingerprint() -> bytes:
    """A digest of the package's own files, the shipped term base and the key dependencies'
    versions (computed once per process; about 10 ms)."""
    global _code_digest
    if _code_digest is None:
        from importlib.metadata import PackageNotFoundError, version

        from .glossary import REPO_GLOSSARY_DIR

        h = hashlib.sha256(FORMAT)
        h.update(sys.version.encode())
        pkg = Path(__file__).resolve().parent
        files = [p for p in pkg.rglob("*") if p.suffix in _CODE_SUFFIXES and "__pycache__" not in p.parts]
        if REPO_GLOSSARY_DIR.is_dir():
            files += list(REPO_GLOSSARY_DIR.glob("*.tbx"))
        for p in sorted(files):
            _update_file(h, p, label=p.name)
        for dist in _DEPENDENCIES:
            try:
                h.update(f"{dist}={version(dist)}".encode())
            except PackageNotFoundError:
                h.update(f"{dist}=none".encode())
        _code_digest = h.digest()
    return _code_digest


def _update_file(h, path: Path, label: str | None = None) -> None:
    h.update(b"\0file\0" + (label or str(path)).encode("utf-8", "surrogateescape") + b"\0")
    try:
        h.update(path.read_bytes())
    except OSError as e:  # unreadable now: the check itself will report it; never a hit
        h.update(f"unreadable:{e}".encode())


def key(data: bytes, name: str, options: Iterable[tuple[str, object]], files: Iterable[str | Path]) -> str:
    """The cache key for one input: its bytes and name, the options, and the bytes of the extra
    files (glossaries, rule packs, profile) that configure the run."""
    h = hashlib.sha256(code_fingerprint())
    for k, v in options:
        h.update(f"\0opt\0{k}={v!r}".encode("utf-8", "surrogateescape"))
    for f in files:
        _update_file(h, Path(f))
    h.update(b"\0input\0" + name.encode("utf-8", "surrogateescape") + b"\0")
    h.update(hashlib.sha256(data).digest())
    return h.hexdigest()


def load(k: str):
    """The value stored under key ``k``, or None (missing, unreadable, truncated, from another
    version: a miss)."""
    path = cache_dir() / f"{k}.pickle"
    value = lexicons.read_pickle(path, header=FORMAT)
    if value is not None:
        try:
            os.utime(path)  # least recently *used* goes first
        except OSError:
            pass
    return value


def store(k: str, value) -> None:
    d = cache_dir()
    try:
        d.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:  # unwritable: no cache
        return
    if lexicons.write_pickle(d / f"{k}.pickle", value, header=FORMAT):
        lexicons.keep_newest(d, "*.pickle", MAX_ENTRIES)
