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
