"""Project locations, all derived from ``PROJ_ROOT`` (never ``../..`` in notebooks).

Example:
    >>> from helpers.paths import PROJ_ROOT, DEMO_CORPUS
    >>> DEMO_CORPUS.relative_to(PROJ_ROOT).as_posix()
    'data/demo'
"""
from __future__ import annotations

import os
from pathlib import Path

#: The project checkout (the folder holding ``pyproject.toml``); ``CLAIMS_PROJ_ROOT`` overrides it.
PROJ_ROOT = Path(os.environ.get("CLAIMS_PROJ_ROOT", Path(__file__).resolve().parents[2])).resolve()
DATA_DIR = PROJ_ROOT / "data"
DEMO_CORPUS = DATA_DIR / "demo"
STORIES_DIR = DATA_DIR / "stories"
DEMO_STORY = STORIES_DIR / "demo.yml"
GOLD_DIR = DATA_DIR / "gold"
PROCESSED_DIR = DATA_DIR / "processed"
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
REPORTS_DIR = PROJ_ROOT / "reports"
#: The real corpus lives beside the checkout, read-only, never copied into the repository.
SHARED_DIR = PROJ_ROOT.parent / "shared"
REAL_CORPUS = SHARED_DIR / "corpus" / "cuba-talks"
REAL_STORY = STORIES_DIR / "cuba-talks.yml"


def resolve(path: str | os.PathLike) -> Path:
    """Resolve ``path`` against ``PROJ_ROOT`` when it is relative.

    Example:
        >>> resolve("data/demo") == DEMO_CORPUS
        True
    """
    p = Path(path).expanduser()
    return p if p.is_absolute() else (PROJ_ROOT / p).resolve()
