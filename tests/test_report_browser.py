"""The offline HTML report: charts, escaping, determinism, failure handling; pages opened in headless Chromium.

Fast tests (no notebook, no browser) check the chart and report building blocks on hand-built tables.
Slow tests build real reports (demo corpus, and the hostile corpus in tests/data/hostile/) with
``reporting.build_report`` and open every page in Debian's Chromium through playwright: every chart is
drawn, nothing is fetched from the network, the console stays clean, and no text from a corpus runs as
script or turns into markup. Chromium missing: failure when CI=true, skip otherwise (`make browser`).
"""
from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from helpers import charts, reporting
from helpers.errors import CorpusError, UserError
from helpers.paths import DEMO_CORPUS, DEMO_STORY, PROJ_ROOT

pytestmark = pytest.mark.xdist_group("report")  # one worker builds the reports once (module fixtures)

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
HOSTILE = PROJ_ROOT / "tests" / "data" / "hostile"
PAYLOAD = '<script>window.__pwned="x"</script><img src=x onerror="window.__pwned=2"> $5 and $6 %{x}'
# Raw markup that must never reach an HTML output or a page's DOM as markup.
RAW_MARKUP = ("<script>window", "<script>alert", "<img src=x", "<svg onload", "<iframe", "<b onclick",
              "<b onmouseover", "<span style")


# ============================================================================ building blocks (fast)

def _events(n: int) -> pd.DataFrame:
    day = pd.Timestamp("2026-01-01", tz="UTC")
    return pd.DataFrame({
        "event_id": [f"E{i:06d}" for i in range(n)], "stance": ["claim" if i % 3 else "denial" for i in range(n)],
        "speaker": [f"Speaker {i % 40}" for i in range(n)], "text": [f"Sentence {i}." for i in range(n)],
        "said_from": [day + pd.Timedelta(hours=i) for i in range(n)],
        "said_to": [day + pd.Timedelta(hours=i + 5) for i in range(n)],
        "time_basis": ["explicit"] * n, "n_articles": [1 + i % 7 for i in range(n)]})


def test_stance_colours_are_defined_once_and_used_everywhere():
    t = pd.DataFrame({"day": ["2026-01-01", "2026-01-02"], "stance": ["claim", "denial"], "n": [1, 2]})
    bars = charts.stacked_bars(t, "day", "n", "stance", name="a", title="t", xlabel="x", ylabel="y", time_axis=True)
    line = charts.timeline(_events(6), name="b", title="t")
    colours = {tr.name: tr.marker.color for tr in bars.interactive.data}
    colours |= {tr.name: tr.marker.color for tr in line.interactive.data if tr.mode == "markers"}
    assert colours == {"claim": charts.STANCE_COLORS["claim"], "denial": charts.STANCE_COLORS["denial"]}
    assert charts.STANCE_COLORS["claim"] != charts.STANCE_COLORS["denial"]


def test_a_big_corpus_is_aggregated_before_plotting():
    big = _events(100_000)
    chart = charts.timeline(big, name="tl", title="t", max_events=200)
    assert len(chart.table) == 200
    points = sum(len(tr.x) for tr in chart.interactive.data if tr.mode == "markers")
    assert points == 200
    assert any("200 most reported of 100000" in n for n in chart.notes)
    assert len(chart.interactive.to_json()) < 400_000
    per_speaker = big.groupby(["speaker", "stance"]).size().rename("n").reset_index()
    bars = charts.stacked_bars(per_speaker, "speaker", "n", "stance", name="s", title="t", xlabel="x", ylabel="y",
                               horizontal=True, max_categories=10)
    assert bars.table["speaker"].nunique() == 10
    assert "(31 others)" in set(bars.table["speaker"])
    assert bars.table["n"].sum() == 100_000  # nothing lost, only merged


def test_untrusted_text_is_escaped_in_every_chart_and_table():
    t = pd.DataFrame({"who": [PAYLOAD, "B"], "stance": ["claim", "denial"], "n": [2, 1]})
    ev = _events(2).assign(speaker=[PAYLOAD, "B"], text=[PAYLOAD, "fine"])
    lat = pd.DataFrame({"pair": [PAYLOAD], "lo": pd.to_timedelta(["1h"]), "hi": pd.to_timedelta(["20h"]),
                        "note": [PAYLOAD]})
    built = [charts.stacked_bars(t, "who", "n", "stance", name="w", title=PAYLOAD, xlabel=PAYLOAD, ylabel="y",
                                 horizontal=True),
             charts.timeline(ev, name="t", title=PAYLOAD),
             charts.interval_bars(lat, "pair", "lo", "hi", name="l", title=PAYLOAD, xlabel="x",
                                  hover={"why": "note"})]
    for chart in built:
        fragment = charts.interactive_html(chart)
        for raw in RAW_MARKUP:
            assert raw not in fragment, (chart.name, raw)
        assert fragment.count("<script") == 1  # plotly's own call, nothing else
        as_json = json.dumps(charts.bundle(chart)["application/vnd.plotly.v1+json"])
        assert "<script" not in as_json and "<img" not in as_json
        # hover templates never contain corpus text (it enters as data only)
        for tr in chart.interactive.data:
            assert "pwned" not in str(tr.hovertemplate or "")
        charts.png_bytes(chart)  # "$5 and $6" must not break matplotlib's mathtext
    table = charts.sortable_table(pd.DataFrame({"text": [PAYLOAD]}), "x")
    assert "<script>window" not in table and "&lt;script&gt;" in table


def test_charts_and_tables_are_deterministic(tmp_path):
    t = pd.DataFrame({"k": ["b", "a", "c"], "stance": ["claim", "denial", "claim"], "n": [1, 2, 3]})
    one = charts.stacked_bars(t, "k", "n", "stance", name="k", title="t", xlabel="x", ylabel="y")
    two = charts.stacked_bars(t.iloc[::-1], "k", "n", "stance", name="k", title="t", xlabel="x", ylabel="y")
    assert charts.interactive_html(one) == charts.interactive_html(two)
    assert 'id="fig-k"' in charts.interactive_html(one)
    assert charts.png_bytes(one) == charts.png_bytes(two)
    a, b = charts.save(one, tmp_path / "a"), charts.save(two, tmp_path / "b")
    assert a[0].read_bytes() == b[0].read_bytes() and a[1].read_bytes() == b[1].read_bytes()


def test_empty_tables_draw_empty_charts_not_errors():
    empty_ev = _events(0)
    charts.png_bytes(charts.timeline(empty_ev, name="t", title="nothing"))
    charts.png_bytes(charts.stacked_bars(pd.DataFrame({"k": [], "n": []}), "k", "n", name="e", title="t",
                                         xlabel="x", ylabel="y"))
    lat = pd.DataFrame({"p": pd.Series([], dtype="str"), "lo": pd.to_timedelta([]), "hi": pd.to_timedelta([])})
    charts.png_bytes(charts.interval_bars(lat, "p", "lo", "hi", name="l", title="t", xlabel="x"))


def test_interval_bars_show_an_open_end_when_there_is_no_upper_bound():
    lat = pd.DataFrame({"p": ["a", "b"], "lo": pd.to_timedelta(["0h", "3h"]), "hi": pd.to_timedelta(["30h", None])})
    chart = charts.interval_bars(lat, "p", "lo", "hi", name="l", title="t", xlabel="delay")
    assert chart.table["hi_hours"].isna().tolist() == [False, True]
    assert any(a.text.startswith("no upper bound") for a in chart.interactive.layout.annotations)
    assert chart.interactive.layout.xaxis.title.text == "delay (hours)"


def test_window_keeps_unknown_times_and_drops_outside():
    t = pd.DataFrame({"a": pd.to_datetime(["2026-01-01", "2026-01-10", None, "2026-01-20"], utc=True),
                      "b": pd.to_datetime(["2026-01-02", "2026-01-12", None, None], utc=True)})
    kept = charts.in_window(t, "a", "b", "2026-01-11", "2026-01-19")
    assert kept.index.tolist() == [1, 2]


def test_report_rejects_bad_input_with_clear_errors(tmp_path):
    with pytest.raises(CorpusError, match="corpus folder not found"):
        reporting.build_report(tmp_path / "nope", DEMO_STORY, out_root=tmp_path)
    with pytest.raises(reporting.ReportError, match="unknown notebook parameter"):
        reporting.build_report(DEMO_CORPUS, DEMO_STORY, out_root=tmp_path, params={"colour": "red"})
    with pytest.raises(reporting.ReportError, match="date_from must be a date"):
        reporting.build_report(DEMO_CORPUS, DEMO_STORY, out_root=tmp_path, params={"date_from": "2026"})
    bad = tmp_path / "bad.yml"
    bad.write_text(DEMO_STORY.read_text(encoding="utf-8").replace("name: demo", "name: ../escape", 1), encoding="utf-8")
    with pytest.raises(reporting.ReportError, match="cannot name a report folder"):
        reporting.build_report(DEMO_CORPUS, bad, out_root=tmp_path)
    assert not (tmp_path / "escape").exists() and not list(tmp_path.glob(".*building*"))


def test_every_notebook_has_one_parameters_cell_of_literals():
    import ast

    for path in reporting.notebooks():
        nb = nbformat.read(path, as_version=4)
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, path.name
        for node in ast.parse(tagged[0].source).body:
            assert isinstance(node, ast.Assign), (path.name, ast.dump(node))
            ast.literal_eval(node.value)  # literals only: derived values belong after the cell
        assert set(reporting.CORE_PARAMETERS) <= set(reporting.notebook_parameters(path))
        source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert "../" not in source and "def " not in source, path.name  # paths from PROJ_ROOT; code in helpers


# ============================================================================ real reports in Chromium

@dataclass
class Visit:
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail(f"{CHROMIUM} is missing: run `make browser`")
        pytest.skip(f"{CHROMIUM} is missing (run `make browser` to install it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def visit(browser, page_path: Path):
    """Open a report page offline; return (page, Visit). Every non-file request is recorded and aborted."""
    page = browser.new_page()
    seen = Visit()
    page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.errors.append(str(e)))
    page.on("dialog", lambda d: (seen.dialogs.append(d.message), d.dismiss()))

    def route(r):
        if r.request.url.startswith(("file:", "data:", "about:")):
            r.continue_()
        else:
            seen.requests.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(page_path.as_uri(), wait_until="load")
    n_divs = page.locator("div[id^='fig-']").count()
    if n_divs:
        page.wait_for_function(f"document.querySelectorAll('.plotly .main-svg').length >= {n_divs}", timeout=30_000)
    page.wait_for_timeout(300)
    return page, seen


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory):
    root = tmp_path_factory.mktemp("reports")
    return reporting.build_report(DEMO_CORPUS, DEMO_STORY, out_root=root)


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-reports")
    return reporting.build_report(HOSTILE / "corpus", HOSTILE / "story.yml", out_root=root)


def _pages(index: Path) -> list[Path]:
    return [index.parent / f"{nb.stem}.html" for nb in reporting.notebooks()]


@pytest.mark.slow
@pytest.mark.browser
def test_demo_report_draws_every_chart_offline_without_errors(demo_report, browser):
    for path in [demo_report, *_pages(demo_report)]:
        page, seen = visit(browser, path)
        divs = page.locator("div[id^='fig-']").count()
        if path.name != "index.html":
            assert divs >= 1, path.name
            assert page.locator(".plotly .main-svg").count() >= divs
            for i in range(divs):  # every figure has drawn traces (the demo has data for every chart)
                fig = page.locator("div[id^='fig-']").nth(i)
                assert fig.locator(".main-svg").count() >= 1, (path.name, fig.get_attribute("id"))
                assert fig.locator(".trace").count() >= 1, (path.name, fig.get_attribute("id"))
        assert seen.errors == [], (path.name, seen.errors)
        assert seen.requests == [], (path.name, seen.requests)
        assert seen.dialogs == [], (path.name, seen.dialogs)
        page.close()


@pytest.mark.slow
@pytest.mark.browser
def test_report_files_are_offline_self_contained_and_linked(demo_report):
    index = demo_report.read_text(encoding="utf-8")
    for page in _pages(demo_report):
        assert f'href="{page.name}"' in index
        html = page.read_text(encoding="utf-8")
        assert html.count("plotly.js v") == 1, page.name  # plotly.js embedded once per page
        assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=[\"']?(https?:)?//", html), page.name
        assert "open_run(" not in html and "charts.show(" not in html, page.name  # no code cells
        assert "Fictional demo data" in html  # the demo story is fictional: the note is visible
    for text in ("data/demo", "data/stories/demo.yml", "date_from", "Built "):
        assert text in index
    csvs = sorted(p.stem for p in (demo_report.parent / "data").glob("*.csv"))
    pngs = sorted(p.stem for p in (demo_report.parent / "data").glob("*.png"))
    assert set(pngs) <= set(csvs) and len(pngs) >= 8  # every PNG beside the CSV that drew it
    assert oct(demo_report.parent.stat().st_mode & 0o777) == "0o755"


@pytest.mark.slow
def test_same_inputs_give_byte_identical_pages(demo_report, tmp_path):
    report = demo_report.parent
    nb = reporting.notebooks()[-1]
    again = tmp_path / nb.name
    reporting.run_notebook(nb, again, {"corpus": str(DEMO_CORPUS), "story": str(DEMO_STORY),
                                       "tables": str(report / "tables"), "output": str(tmp_path / "data")})
    assert reporting.render_html(again) == (report / f"{nb.stem}.html").read_text(encoding="utf-8")
    for csv in (tmp_path / "data").glob("*.csv"):
        assert csv.read_bytes() == (report / "data" / csv.name).read_bytes(), csv.name


@pytest.mark.slow
def test_a_failing_notebook_is_named_and_the_last_good_report_kept(demo_report, tmp_path):
    root = tmp_path / "reports"
    shutil.copytree(demo_report.parent, root / "demo")
    before = {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    good = nbformat.read(reporting.notebooks()[-1], as_version=4)
    params = next(c for c in good.cells if "parameters" in c.metadata.get("tags", []))
    bad = nbformat.v4.new_notebook(cells=[params, nbformat.v4.new_code_cell("x = 1"),
                                          nbformat.v4.new_code_cell("raise RuntimeError('boom in cell two')")])
    bad.metadata = good.metadata
    (tmp_path / "nbs").mkdir()
    nbformat.write(bad, tmp_path / "nbs" / "99-broken.ipynb")
    with pytest.raises(reporting.ReportError) as err:
        reporting.build_report(DEMO_CORPUS, DEMO_STORY, out_root=root, notebook_paths=[tmp_path / "nbs" / "99-broken.ipynb"])
    msg = str(err.value)
    assert "99-broken.ipynb" in msg and "cell 3" in msg and "boom in cell two" in msg
    assert isinstance(err.value, UserError)  # the CLI prints it as one line
    after = {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in root.iterdir()] == ["demo"]  # no half-built folder left behind


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.bad: list[str] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.bad.append(f"<{tag} {name}={value!r}>")
        if tag in ("iframe", "svg", "object", "embed"):
            self.bad.append(f"<{tag}>")
        if tag == "img" and not dict(attrs).get("src", "").startswith("data:image/png;base64,"):
            self.bad.append(f"<img {attrs}>")

    def handle_data(self, data):
        if self._in_script:
            self.script_text.append(data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


@pytest.mark.slow
def test_hostile_notebook_outputs_carry_no_live_markup(hostile_report):
    """What JupyterLab would render (the executed notebooks' outputs) is escaped too."""
    n_html = 0
    for nb_path in sorted(hostile_report.parent.glob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                html = data.get("text/html", "")
                if html:
                    n_html += 1
                    parser = _Tags()
                    parser.feed(html)
                    assert parser.bad == [], (nb_path.name, parser.bad)
                    for raw in RAW_MARKUP:
                        assert raw not in html, (nb_path.name, raw)
                        assert raw not in "".join(parser.script_text), (nb_path.name, raw)
                fig = json.dumps(data.get("application/vnd.plotly.v1+json", {}))
                assert "<script" not in fig and "<img" not in fig and "<svg" not in fig, nb_path.name
    assert n_html > 10


@pytest.mark.slow
@pytest.mark.browser
def test_hostile_corpus_cannot_run_script_or_inject_markup(hostile_report, browser):
    pages = [hostile_report, *_pages(hostile_report)]
    shown = ""
    for path in pages:
        page, seen = visit(browser, path)
        assert seen.dialogs == [], (path.name, seen.dialogs)
        assert page.evaluate("typeof window.__pwned") == "undefined", path.name
        assert seen.errors == [] and seen.requests == [], (path.name, seen.errors, seen.requests)
        injected = page.evaluate("""() => {
            const bad = [];
            for (const el of document.querySelectorAll('*')) {
                for (const a of el.attributes) {
                    if (a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value)) bad.push(el.tagName + ' ' + a.name);
                }
                if (['IFRAME', 'OBJECT', 'EMBED'].includes(el.tagName)) bad.push(el.tagName);
                if (el.tagName === 'IMG' && !el.getAttribute('src').startsWith('data:image/png')) bad.push('IMG');
            }
            return bad;
        }""")
        assert injected == [], (path.name, injected)
        shown += page.inner_text("body")
        if path.name.startswith("30-"):  # hover labels: show a hostile label, it must render as text
            fig = page.locator("div[id^='fig-']").first.get_attribute("id")
            trace = page.evaluate("""id => document.getElementById(id).data.findIndex(
                t => t.mode === 'markers' && (t.text || []).some(s => s.includes('pwned')))""", fig)
            assert trace >= 0, "the hostile speaker should be on the timeline"
            page.evaluate("([id, t]) => Plotly.Fx.hover(id, [{curveNumber: t, pointNumber: 0}])", [fig, trace])
            page.wait_for_timeout(300)
            hover = page.locator(f"#{fig} .hoverlayer")
            assert "<script>window.__pwned='speaker-name'</script>" in hover.text_content()
            assert hover.locator("script, img, iframe, foreignObject").count() == 0
            assert page.evaluate("typeof window.__pwned") == "undefined"
        page.close()
    # the markup is shown as text, visibly (titles, quotes, speaker names, the story title)
    for text in ("<script>window.__pwned='title-script'</script>", "<script>window.__pwned='speaker-name'</script>",
                 "<script>window.__pwned='story-title'</script>", "<img src=x onerror=alert('quote-img')>"):
        assert text in shown, text
