from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SAMPLE = SEEDS / "nhk-nato-madrid-2022.ja-en.txt"


@pytest.fixture(scope="session")
def engine():
    from review.engine import Engine

    return Engine.from_options()


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture()
def env(tmp_path, monkeypatch):
    """A fresh SQLite store and a private copy of the glossaries, for AppTest runs of the app."""
    from tests.ui_helpers import glossary_copy

    url = f"sqlite:///{tmp_path / 'review.db'}"
    gdir = glossary_copy(tmp_path)
    monkeypatch.setenv("REVIEW_DB_URL", url)
    monkeypatch.setenv("REVIEW_GLOSSARY_DIR", str(gdir))
    monkeypatch.delenv("REVIEW_OPEN_FILE", raising=False)
    return {"url": url, "gdir": gdir}


# `review check` keeps a findings cache (review/cache.py). Tests check behaviour, so every run
# checks for real unless a test turns the cache on (tests/test_cache.py does, in its own folder).
import os  # noqa: E402

os.environ["REVIEW_NO_CACHE"] = "1"
