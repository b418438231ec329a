from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = ROOT / "samples" / "corpus"


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"../shared not found beside the repository ({SHARED}); real-corpus tests need it")
    return SHARED


@pytest.fixture
def seeds(shared: Path) -> Path:
    path = shared / "corpus" / "seeds"
    if not path.is_dir():
        pytest.skip("../shared/corpus/seeds not found")
    return path


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def store(db_url: str):
    from dragoman.store.repository import Store

    s = Store.open(db_url)
    yield s
    s.close()


@pytest.fixture
def pg_url() -> str:
    url = os.environ.get("DRAGOMAN_TEST_PG_URL")
    if not url:
        pytest.skip("no PostgreSQL server: set DRAGOMAN_TEST_PG_URL (make test starts one when it can)")
    return url
