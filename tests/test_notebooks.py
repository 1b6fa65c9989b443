"""Every notebook, run headless with papermill on the REAL corpus (../shared/corpus/cuba-talks).

The notebooks run into a temporary folder with their parameters injected (corpus, story, tables,
output); the tests then read back what an analyst would read: the headline figures each notebook
printed (as plain text) and saved (as JSON), and the CSV tables beside each chart. The expected
values are facts about the corpus stated in ../shared/corpus/README.md and checkable by reading the
four articles (four articles, one undated, a transcript quoting one remark twice, a denial "hours"
after the claim), not numbers copied from a run.
"""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from helpers import reporting
from helpers.paths import REAL_STORY
from helpers.story import load_story

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("notebooks-real")]


@pytest.fixture(scope="module")
def real_run(real_corpus, tmp_path_factory):
    """Run the four notebooks on the real corpus; return (output folder, {stem: executed notebook})."""
    root = tmp_path_factory.mktemp("real-notebooks")
    params = {"corpus": str(real_corpus), "story": str(REAL_STORY), "tables": str(root / "tables"),
              "output": str(root / "out")}
    executed = {}
    for nb in reporting.notebooks():
        executed[nb.stem] = reporting.run_notebook(nb, root / nb.name, params)
    return root / "out", executed


def _headline(out, name: str) -> dict:
    return json.loads((out / f"{name}.json").read_text(encoding="utf-8"))


def _stdout(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")


def test_four_notebooks_in_run_order():
    assert [p.stem[:2] for p in reporting.notebooks()] == ["00", "10", "20", "30"]


def test_no_cell_failed_and_every_chart_is_interactive_and_saved(real_run):
    out, executed = real_run
    for stem, nb in executed.items():
        outputs = [o for c in nb.cells for o in c.get("outputs", [])]
        assert not [o for o in outputs if o.get("output_type") == "error"], stem
        figures = [o for o in outputs if "application/vnd.plotly.v1+json" in o.get("data", {})]
        assert figures, stem
        for fig in figures:
            assert 'id="fig-' in fig["data"]["text/html"] and "Plotly.newPlot" in fig["data"]["text/html"]
    for png in out.glob("*.png"):
        assert png.read_bytes()[:4] == b"\x89PNG"
        assert png.with_suffix(".csv").is_file(), f"{png.name} has no CSV table beside it"
    assert len(list(out.glob("*.png"))) >= 10


def test_real_story_is_not_marked_fictional(real_run):
    _, executed = real_run
    assert not load_story(REAL_STORY).fictional
    assert "fictional demo data" not in _stdout(executed["00-corpus-overview"]).lower()


def test_corpus_overview_headline(real_run):
    out, executed = real_run
    h = _headline(out, "corpus-overview")
    assert h["articles"] == 4
    assert h["without a date"] == 1  # README: one article has no date at all
    assert h["dated to the minute"] >= 1  # one page gives a time (IST)
    assert h["dated to the minute"] + h["dated to the day"] == 3
    assert h["problems: errors (file skipped)"] == 0
    assert h["lines removed as page furniture"] >= 5  # share buttons, ticker, Read More, banners...
    text = _stdout(executed["00-corpus-overview"])
    assert "articles: 4\n" in text and "without a date: 1\n" in text  # printed as plain text too
    rules = pd.read_csv(out / "removed-by-rule.csv")
    assert {"share", "ticker"} <= set(rules["rule"])


def test_claim_frequency_headline_and_tables(real_run):
    out, executed = real_run
    h = _headline(out, "claim-frequency")
    assert h["claim mentions"] >= 2 and h["denial mentions"] >= 2
    assert h["articles with a claim or denial"] == 4
    assert h["quotes repeated"] >= 1  # README: the transcript quotes one remark twice
    assert f"quotes repeated: {h['quotes repeated']}\n" in _stdout(executed["10-claim-frequency"])
    by_speaker = pd.read_csv(out / "by-speaker.csv")
    trump = by_speaker[by_speaker["speaker"] == "Donald Trump"]
    assert set(trump["stance"]) == {"claim"}  # the president claims; he never denies talks
    sides = pd.read_csv(out / "by-side.csv")
    assert sides[(sides["side"] == "Government of Cuba") & (sides["stance"] == "denial")]["n_mentions"].sum() >= 2
    quotes = pd.read_csv(out / "repeated-quotes.csv")
    assert (quotes["speaker"] == "Donald Trump").any()
    said = pd.read_csv(out / "per-day-said.csv")
    days = pd.to_datetime(said["day"])
    assert days.min() >= pd.Timestamp("2026-01-01") and days.max() <= pd.Timestamp("2026-02-11")


def test_denial_latency_headline_and_interval(real_run):
    out, executed = real_run
    h = _headline(out, "denial-latency")
    assert h["claims denied by another side"] >= 1
    lat = pd.read_csv(out / "latency.csv")
    hi = [c for c in lat.columns if c.startswith("hi_")][0]
    per_day = 24 if hi == "hi_hours" else 1
    story = load_story(REAL_STORY)
    cuba = {sp.name for side in story.sides if side.id == "cuba" for sp in side.speakers}
    pairs = lat["pair"].str.extract(r"^\d+\. (?P<claim>.+) → (?P<denial>.+)$")
    quick = lat[(pairs["claim"] == "Donald Trump") & pairs["denial"].isin(cuba) & (lat[hi] <= per_day)]
    # "Hours later, Cuba's president publicly rejected Trump's claim": bounded by one day, not a point
    assert len(quick) >= 1
    assert (lat[hi].dropna() >= lat[hi.replace("hi_", "lo_")][lat[hi].notna()]).all()
    assert re.search(r"tightest upper bound: \d", _stdout(executed["20-denial-latency"]))


def test_timeline_headline_and_table(real_run):
    out, _ = real_run
    h = _headline(out, "timeline")
    assert h["claims"] >= 1 and h["denials"] >= 1
    assert h["events"] == h["claims"] + h["denials"]
    assert "2026-01-01" <= h["earliest"] <= h["latest"] <= "2026-02-11"
    table = pd.read_csv(out / "timeline.csv")
    assert len(table) <= 200 and len(table) == h["events"] - h["events with no time at all"]
    events = pd.read_csv(out / "timeline-events.csv")
    assert len(events) == h["events"] and events["text"].notna().all()  # the evidence for every point
