"""Shared fixtures. The real corpus is read from ../shared (never copied into the repository)."""
from __future__ import annotations

import os

import pytest

from helpers.paths import DEMO_CORPUS, DEMO_STORY, REAL_CORPUS, REAL_STORY

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def real_corpus():
    """Path of ../shared/corpus/cuba-talks. Missing is a failure in CI, a skip elsewhere."""
    if not REAL_CORPUS.is_dir():
        if IN_CI:
            pytest.fail(f"real corpus missing at {REAL_CORPUS}")
        pytest.skip(f"real corpus not found at {REAL_CORPUS}")
    return REAL_CORPUS


@pytest.fixture(scope="session")
def real_story():
    return REAL_STORY


@pytest.fixture(scope="session")
def demo_corpus():
    return DEMO_CORPUS


@pytest.fixture(scope="session")
def demo_story():
    return DEMO_STORY
