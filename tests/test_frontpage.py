"""The report's front page opens with the answer (first claim, first denial by another side, latency with
both evidence sentences, counts) before the links; `report --date-from/--date-to`; no kernel TCP warnings.
The page is opened in Debian's Chromium (skipped when missing, failure in CI: see test_report_browser.py)."""
from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace as NS

import pandas as pd
import pytest

from helpers import cli, frontpage, schemas

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PAYLOAD = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'


def _tables(speaker=PAYLOAD):
    t0 = pd.Timestamp("2026-01-10", tz="UTC")
    ev = schemas.conform([
        dict(event_id="E1", stance="claim", speaker=speaker, side="a", text=f"{PAYLOAD} claimed talks.", quote=None,
             said_from=t0, said_to=t0 + pd.Timedelta(hours=2), time_basis="explicit", n_mentions=1, n_articles=1,
             first_published_at=t0),
        dict(event_id="E2", stance="denial", speaker="Bob", side="b", text="Bob denied it.", quote=None,
             said_from=t0 + pd.Timedelta(hours=5), said_to=t0 + pd.Timedelta(hours=30), time_basis="explicit",
             n_mentions=2, n_articles=2, first_published_at=t0)], "events")
    lat = schemas.conform([dict(claim_event_id="E1", denial_event_id="E2", claim_speaker=speaker, denial_speaker="Bob",
                                latency_min=pd.Timedelta(hours=3), latency_max=pd.Timedelta(hours=30),
                                basis="explicit", note="dates")], "latency")
    return NS(events=ev, latency=lat, mentions=schemas.empty("mentions"))


def test_answer_and_escaping():
    a = frontpage.answer(_tables("Ann"))
    assert a["first_claim"]["speaker"] == "Ann" and a["first_denial"]["speaker"] == "Bob"
    assert (a["counts"]["claims"], a["counts"]["denials"]) == (1, 1)
    html = frontpage.answer_html(_tables())
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;" in html
    assert "between 3 h and 1 day 6 h" in html


@pytest.fixture(scope="module")
def report(real_corpus, tmp_path_factory):
    root = tmp_path_factory.mktemp("fp")
    rc = cli.main(["report", "--corpus", str(real_corpus), "--story", "data/stories/cuba-talks.yml",
                   "--out-root", str(root), "--date-from", "2026-01-01", "--date-to", "2026-02-28"])
    assert rc == 0
    return root / "cuba-talks" / "index.html"


def test_date_window_reaches_the_notebooks(report):
    html = report.read_text(encoding="utf-8")
    assert "&quot;2026-01-01&quot;" in html and "&quot;2026-02-28&quot;" in html
    page = (report.parent / "00-corpus-overview.html").read_text(encoding="utf-8")
    assert "2026-01-01 to 2026-02-28" in page


def test_no_kernel_tcp_warning(real_corpus, tmp_path, capfd):
    from helpers import reporting

    nb = reporting.notebooks()[0]
    reporting.run_notebook(nb, tmp_path / nb.name, {"corpus": str(real_corpus), "story": str(Path(
        "data/stories/cuba-talks.yml").resolve()), "tables": str(tmp_path / "t"), "output": str(tmp_path / "o")})
    err = capfd.readouterr().err
    assert "without encryption" not in err


@pytest.mark.slow
@pytest.mark.browser
def test_front_page_opens_with_the_answer_in_chromium(report):
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail(f"{CHROMIUM} is missing: run `make browser`")
        pytest.skip(f"{CHROMIUM} is missing (run `make browser` to install it)")
    from playwright.sync_api import sync_playwright

    errors, requests = [], []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = b.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:", "about:"))
                   else (requests.append(r.request.url), r.abort()))
        page.goto(report.as_uri(), wait_until="load")
        answer = page.locator("#answer")
        assert answer.is_visible()
        text = answer.inner_text()
        assert "First claim" in text and "Donald Trump" in text
        assert "First denial by another side" in text and "Cuban government" in text
        assert "Denial latency" in text and "between 0 min and 1 day" in text
        assert "Counts" in text
        assert len(answer.locator("q").all()) == 2  # both evidence sentences
        links = page.locator("a[href$='.html']").first
        assert answer.bounding_box()["y"] < links.bounding_box()["y"]  # the answer before the links
        b.close()
    assert errors == [] and requests == []
