"""Input limits, configurable from the environment, shared by the UI and the CLI.

``REVIEW_MAX_UPLOAD_MB``  largest input file in MB (UI uploads and ``review check``; default: 50 in
                          the UI — see :func:`review.app.service.max_upload_bytes` — and 200 for the CLI)
``REVIEW_MAX_SEGMENTS``   most segments one document may have (default: no limit for the CLI,
                          200,000 for documents stored by the UI)

A value that is not a positive number is ignored (the default applies): a typo in a server's
environment must not make every upload fail.
"""

from __future__ import annotations

import os

from .model import InputError

CLI_MAX_BYTES_DEFAULT = 200 * 1024 * 1024
STORE_MAX_SEGMENTS_DEFAULT = 200_000


def _env_number(name: str) -> float | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if value > 0 else None


def max_bytes(default: int = CLI_MAX_BYTES_DEFAULT) -> int:
    """The largest input file in bytes (``REVIEW_MAX_UPLOAD_MB``, else ``default``)."""
    mb = _env_number("REVIEW_MAX_UPLOAD_MB")
    return int(mb * 1024 * 1024) if mb is not None else int(default)


def max_segments(default: int | None = None) -> int | None:
    """The most segments per document (``REVIEW_MAX_SEGMENTS``, else ``default``; None = no limit)."""
    n = _env_number("REVIEW_MAX_SEGMENTS")
    return int(n) if n is not None else default


def mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def check_size(size: int, name: str, limit: int | None = None) -> None:
    limit = max_bytes() if limit is None else limit
    if size > limit:
        raise InputError(f"{name}: file is {mb(size)} MB, above the {mb(limit)} MB limit "
                         f"(set REVIEW_MAX_UPLOAD_MB to change it)")


def check_segments(count: int, name: str, limit: int | None = None, default: int | None = STORE_MAX_SEGMENTS_DEFAULT) -> None:
    limit = max_segments(default) if limit is None else limit
    if limit is not None and count > limit:
        raise InputError(f"{name}: {count:,} segments, above the limit of {limit:,} "
                         f"(set REVIEW_MAX_SEGMENTS to change it, or split the file)")
