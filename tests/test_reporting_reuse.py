"""A report analyses the corpus once; its notebooks read those tables instead of re-running the pipeline."""
from __future__ import annotations

import pytest

from helpers import pipeline, reporting


def test_open_run_reads_the_tables_build_report_wrote(tmp_path, monkeypatch, demo_corpus, demo_story):
    tables = tmp_path / "tables"
    first = pipeline.analyze(demo_corpus, story=demo_story, out=tables, progress=False, cache_dir=tmp_path / "cache")

    def must_not_run(*a, **k):
        raise AssertionError("open_run re-ran the pipeline although the report's tables were ready")

    monkeypatch.setattr(pipeline, "analyze", must_not_run)
    monkeypatch.setenv(reporting.TABLES_READY_ENV, str(tables.resolve()))
    run = reporting.open_run(demo_corpus, demo_story, tables, tmp_path / "charts")
    assert run.full.mentions.equals(first.mentions)

    # Outside a report (no marker, or a marker for another folder) the notebook analyses as usual.
    monkeypatch.setenv(reporting.TABLES_READY_ENV, str(tmp_path / "elsewhere"))
    with pytest.raises(AssertionError, match="re-ran the pipeline"):
        reporting.open_run(demo_corpus, demo_story, tables, tmp_path / "charts")
