"""Word-frequency lists (pyspellchecker's, shipped with the package) loaded once per process and
cached as a pickle in the user's cache folder: the gzip-JSON parse costs ~0.2 s per language, the
pickle ~0.03 s. The cache is keyed by pyspellchecker's version and silently skipped if unwritable;
writing a new version's file deletes all but the newest ``KEEP_VERSIONS`` of its kind.

The small pickle-cache helpers here (``cache_dir``, ``read_pickle``, ``write_pickle``,
``load_or_build``, ``keep_newest``) also serve the spelling check's derived tables, the word-pair
tables of ``checks.realword``, the letter-run models of ``wordshape`` and the findings cache."""

from __future__ import annotations

import os
import pickle
import threading
from array import array
from bisect import bisect_left
from pathlib import Path

_lock = threading.Lock()
_MEMO: dict[str, dict[str, int]] = {}


def cache_dir() -> Path:
    """review's cache folder: $REVIEW_CACHE_DIR, else $XDG_CACHE_HOME/review, else ~/.cache/review."""
    base = os.environ.get("REVIEW_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "review")
    return Path(base)


def package_version(dist: str, default: str = "") -> str:
    """The installed version of distribution ``dist`` (a cache file's key), else ``default``."""
    try:
        from importlib.metadata import version

        return version(dist)
    except Exception:  # pragma: no cover
        return default


def spellchecker_version() -> str:
    return package_version("pyspellchecker", "unknown")


def read_pickle(path: Path, header: bytes = b""):
    """The object pickled at ``path`` after ``header``, or None when it is missing, unreadable,
    truncated or has another header: a cache miss, never an error."""
    try:
        with open(path, "rb") as fh:
            if header and fh.read(len(header)) != header:
                return None
            return pickle.load(fh)
    except Exception:
        return None


def write_pickle(path: Path, obj, header: bytes = b"") -> bool:
    """Write ``header`` + pickled ``obj`` to ``path`` atomically (a temp file, then a rename), so a
    reader never sees half a file. False, and nothing left behind, when the folder is unwritable."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(header)
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        return True
    except Exception:  # a read-only or full disk must not fail the check
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        return False


# How many files of one kind (one word list, one table) the cache folder keeps: the newest, written
# by this version, and one more for another installed version that shares the folder
KEEP_VERSIONS = 2


def load_or_build(path: Path, build, valid, family: str = "", store=None) -> object:
    """What is pickled at ``path`` when ``valid`` accepts it, else ``build()``, written there for the
    next process (silently skipped when the folder is unwritable, and when ``store`` is given and
    says the built object is not worth a file). After a build, files matching the glob ``family``
    (the same kind of file for other versions or settings) beyond the ``KEEP_VERSIONS`` newest are
    deleted, so that upgrades do not pile up stale tables."""
    obj = read_pickle(path)
    if not valid(obj):
        obj = build()
        if (store is None or store(obj)) and write_pickle(path, obj) and family:
            keep_newest(path.parent, family, KEEP_VERSIONS)
    return obj


def keep_newest(folder: Path, pattern: str, n: int) -> None:
    """Delete all but the ``n`` most recently modified files matching ``pattern`` in ``folder``."""
    entries = []
    for p in folder.glob(pattern):
        try:
            entries.append((p.stat().st_mtime, p))
        except OSError:
            pass
    entries.sort()
    for _, p in entries[:-n] if len(entries) > n else []:
        try:
            p.unlink()
        except OSError:
            pass


SYMSPELL_WORDS = "frequency_dictionary_en_82_765.txt"  # symspellpy's English word frequencies
SYMSPELL_PAIRS = "frequency_bigramdictionary_en_243_342.txt"  # ... and its 242,342 commonest word pairs


def symspell_rows(name: str):
    """The lines of one of symspellpy's English lists (``SYMSPELL_WORDS``, ``SYMSPELL_PAIRS``),
    split at white space."""
    from importlib.resources import files

    with files("symspellpy").joinpath(name).open(encoding="utf-8") as fh:
        for line in fh:
            yield line.split()


def word_frequencies(lang: str) -> dict[str, int]:
    """pyspellchecker's word → frequency dictionary for ``lang`` ({} when it has none)."""
    with _lock:
        if lang in _MEMO:
            return _MEMO[lang]
        def build() -> dict[str, int]:
            try:
                from spellchecker import SpellChecker

                return dict(SpellChecker(language=lang, distance=1).word_frequency.dictionary)
            except Exception:
                return {}

        path = cache_dir() / f"words-{lang}-{spellchecker_version()}.pickle"
        d = load_or_build(path, build, lambda d: isinstance(d, dict), f"words-{lang}-*.pickle")
        _MEMO[lang] = d
        return d


class FrequencyTable:
    """A read-only word → frequency table that loads in a millisecond: the words, sorted, in one
    string, found by bisection (a few µs a look-up; unpickling a dict of 100,000 words takes
    ~30 ms). ``total`` is the sum of the frequencies of the full list it was cut from."""

    __slots__ = ("_words", "_starts", "_freqs", "total")

    def __init__(self, words: str, starts: array, freqs: array, total: int):
        self._words, self._starts, self._freqs, self.total = words, starts, freqs, total

    @classmethod
    def of(cls, freqs: dict[str, int], total: int) -> "FrequencyTable":
        keys = sorted(freqs)
        starts = array("q", [0])
        pos = 0
        for k in keys:
            pos += len(k)
            starts.append(pos)
        return cls("".join(keys), starts, array("q", (freqs[k] for k in keys)), total)

    def __len__(self) -> int:
        return len(self._freqs)

    def _key(self, i: int) -> str:
        return self._words[self._starts[i]:self._starts[i + 1]]

    def get(self, word: str, default: int = 0) -> int:
        i = bisect_left(range(len(self._freqs)), word, key=self._key)
        return self._freqs[i] if i < len(self._freqs) and self._key(i) == word else default

    def __reduce__(self):
        return FrequencyTable, (self._words, self._starts, self._freqs, self.total)


_TABLES: dict[tuple[str, int, str], FrequencyTable] = {}
_table_lock = threading.Lock()


def frequency_table(lang: str, above: int, keep_chars: str = "") -> FrequencyTable:
    """The entries of ``word_frequencies(lang)`` with a frequency above ``above`` or a character
    of ``keep_chars``, with the total of the full list, for a caller that only tells frequencies
    apart above ``above``. Cached beside the full lists (keyed by pyspellchecker's version and
    the cut), so that the full list is only read the first time."""
    key = (lang, above, keep_chars)
    with _table_lock:
        if key in _TABLES:
            return _TABLES[key]
        cut = f"{above}-{keep_chars.encode('utf-8').hex()}"
        path = cache_dir() / f"table-{lang}-{spellchecker_version()}-{cut}.pickle"
        def build() -> FrequencyTable:
            full = word_frequencies(lang)
            kept = {w: f for w, f in full.items() if f > above or any(c in w for c in keep_chars)}
            return FrequencyTable.of(kept, max(1, sum(full.values())))

        table = load_or_build(path, build, lambda t: isinstance(t, FrequencyTable), f"table-{lang}-*-{cut}.pickle")
        _TABLES[key] = table
        return table
