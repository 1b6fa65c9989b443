"""Headless notebook runs and offline HTML reports, plus the small helpers the notebooks print with.

``build_report(corpus, story)`` (``make report`` / ``python -m helpers report``):

1. checks the corpus folder and the story file (clear one-line errors), runs the pipeline once;
2. runs every ``notebooks/NN-*.ipynb`` with papermill (kernel ``python3``, cwd = the notebooks folder,
   parameters injected) into a temporary folder beside the report;
3. renders each to HTML without code cells, with the ``claims_report`` nbconvert template (no CDN
   anything; plotly.js embedded once per page), and writes ``index.html`` (corpus, story, parameters,
   when it ran, links);
4. swaps the new report into ``reports/<story name>/`` only when everything worked: a failed run names
   the notebook and cell and leaves the previous good report untouched.

Refreshing the outputs committed in the notebooks (the demo-corpus run that ``pytest --nbval`` compares
against): ``python -m helpers.reporting --refresh-notebooks`` (or ``refresh_notebooks()``).

Example:
    >>> [p.name for p in notebooks()][:1]
    ['00-corpus-overview.ipynb']
"""
from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import CorpusError, UserError
from .paths import NOTEBOOKS_DIR, PROJ_ROOT, REPORTS_DIR, resolve

if TYPE_CHECKING:  # pandas is imported where it is used (this module is loaded by every CLI call)
    import pandas as pd

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "claims_report"
KERNEL = "python3"
#: Parameters every notebook declares; build_report fills them in.
CORE_PARAMETERS = ("corpus", "story", "tables", "output")
#: Set by build_report (to the tables folder it just wrote) while its notebooks run, so that each notebook
#: reads those tables instead of re-running the pipeline: one analysis per report, not one per notebook.
TABLES_READY_ENV = "HELPERS_TABLES_READY"


class ReportError(UserError):
    """A notebook failed while building a report (the message names the notebook and the cell)."""


# ------------------------------------------------------------------------------------ notebook helpers

def display_path(path) -> str:
    """A path as a reader should see it: relative to the project when inside it, else absolute.

    Example:
        >>> from helpers.paths import PROJ_ROOT
        >>> display_path(PROJ_ROOT / "data" / "demo")
        'data/demo'
    """
    p = Path(path).resolve()
    try:
        return p.relative_to(PROJ_ROOT).as_posix()
    except ValueError:
        return p.as_posix()


def fictional_note_html(story) -> str:
    """A visible yellow note for fictional stories ("" for real ones); the story title is escaped.

    Example:
        >>> from types import SimpleNamespace as NS
        >>> "Fictional demo data" in fictional_note_html(NS(fictional=True, title="<b>x</b>"))
        True
        >>> fictional_note_html(NS(fictional=False, title="x"))
        ''
    """
    if not getattr(story, "fictional", False):
        return ""
    return ("<div class=\"claims-fictional\" style=\"background:#fff3cd;border:2px solid #e0a800;"
            "padding:8px 12px;font-weight:bold;color:#222\">Fictional demo data: the story "
            f"&ldquo;{html.escape(str(story.title))}&rdquo; and its articles are invented to show how the "
            "toolkit works. Nothing here describes real people or events.</div>")


def banner(story, corpus, story_path, date_from=None, date_to=None) -> None:
    """Print what this notebook run is about (story, corpus, date window) and show the fictional note.

    Example:
        >>> from types import SimpleNamespace as NS
        >>> banner(NS(fictional=False, title="T", name="t"), "data/demo", "data/stories/demo.yml")
        Story: T  (story file data/stories/demo.yml)
        Corpus: data/demo
        Date window: all dates
    """
    span = "all dates" if not (date_from or date_to) else f"{date_from or '…'} to {date_to or '…'} (inclusive, UTC)"
    print(f"Story: {story.title}  (story file {display_path(resolve(story_path))})")
    print(f"Corpus: {display_path(resolve(corpus))}")
    print(f"Date window: {span}")
    if date_from or date_to:
        print("  (articles are kept when published in it, statements when said in it; undated ones are kept)")
    note = fictional_note_html(story)
    if note:
        print("NOTE: fictional demo data (invented story and articles).")
        from IPython.display import HTML, display

        display(HTML(note))


def headline(figures: dict, out_dir=None, name: str = "headline") -> None:
    """Print the headline figures as plain ``label: value`` lines and save them as ``<name>.json``.

    Values must be plain numbers or strings (what the JSON will hold, and what the tests read back).

    Example:
        >>> headline({"articles": 4, "share dated": "75%"})
        articles: 4
        share dated: 75%
    """
    clean = {}
    for k, v in figures.items():
        if hasattr(v, "item"):  # numpy scalars
            v = v.item()
        if v is not None and not isinstance(v, (int, float, str, bool)):
            v = str(v)
        clean[str(k)] = v
        print(f"{k}: {'n/a' if v is None else v}")
    if out_dir is not None:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{name}.json").write_text(json.dumps(clean, indent=1, ensure_ascii=False, sort_keys=False) + "\n",
                                          encoding="utf-8")


def window(result, date_from=None, date_to=None):
    """The analysis restricted to a date window (inclusive days, UTC); ``None`` bounds are open.

    Articles are kept when PUBLISHED in the window, statements (mentions, events) when the interval in
    which they were SAID overlaps it, latency pairs when their claim is kept. Anything whose time is
    unknown is kept (unknown is not outside). Returns a copy; with no bounds, the result itself.

    Example:
        >>> from helpers import schemas
        >>> from helpers.pipeline import AnalysisResult
        >>> r = AnalysisResult(*(schemas.empty(n) for n in ("articles", "problems", "mentions", "events", "latency")))
        >>> window(r, "2026-01-01", "2026-01-31").mentions.shape[0]
        0
    """
    import dataclasses

    from .charts import in_window

    if not (date_from or date_to):
        return result
    for name, value in (("date_from", date_from), ("date_to", date_to)):
        if value:
            try:
                pd_ts(value)
            except ValueError:
                raise UserError(f"{name} must be a date like 2026-01-31, not {value!r}") from None
    arts = in_window(result.articles, "published_at", None, date_from, date_to)
    ments = in_window(result.mentions, "said_from", "said_to", date_from, date_to)
    evs = in_window(result.events, "said_from", "said_to", date_from, date_to)
    lat = result.latency[result.latency["claim_event_id"].isin(evs["event_id"])]
    return dataclasses.replace(result, articles=arts.reset_index(drop=True), mentions=ments.reset_index(drop=True),
                               events=evs.reset_index(drop=True), latency=lat.reset_index(drop=True))


def pd_ts(value):
    """A window bound as a UTC day (``ValueError`` when it is not a date).

    Example:
        >>> str(pd_ts("2026-01-31"))
        '2026-01-31 00:00:00+00:00'
    """
    import pandas as pd

    if isinstance(value, (int, float, bool)):  # pd.Timestamp(2026) would be 2026 ns after 1970
        raise ValueError(f"not a date: {value!r}")
    try:
        return pd.Timestamp(value, tz="UTC").normalize()
    except (ValueError, TypeError) as exc:
        raise ValueError(str(exc)) from None


@dataclass
class Run:
    """What a notebook works on: the story, the (windowed) analysis tables, where charts go."""

    story: object
    result: object
    full: object
    output: Path
    date_from: str | None = None
    date_to: str | None = None


def open_run(corpus, story, tables, output, date_from=None, date_to=None) -> Run:
    """The first thing each notebook does after its parameters: analyze (cached), window, print a banner.

    ``corpus``, ``story``, ``tables`` (the pipeline's Parquet folder) and ``output`` (charts' CSV/PNG)
    resolve against the project root when relative. The pipeline re-uses its per-file cache, so only
    the first notebook of a run pays for the analysis.

    Example:
        >>> run = open_run("data/demo", "data/stories/demo.yml", "data/processed/demo",
        ...                "data/processed/demo-charts")  # doctest: +SKIP
        Story: ...
    """
    from . import pipeline
    from .story import load_story

    st = load_story(resolve(story))
    if os.environ.get(TABLES_READY_ENV) == str(resolve(tables)):
        # build_report analysed once into `tables` before running the notebooks: read, don't re-analyse.
        full = pipeline.load_tables(resolve(tables))
    else:
        full = pipeline.analyze(resolve(corpus), story=resolve(story), out=resolve(tables), progress=False)
    banner(st, corpus, story, date_from, date_to)
    from .corrections import note as corrections_note  # "Corrected by hand: N rows" on every page

    if corrections_note(full, resolve(story)):
        print(corrections_note(full, resolve(story)))
    return Run(st, window(full, date_from, date_to), full, resolve(output), date_from, date_to)


def removed_lines(articles) -> "pd.DataFrame":
    """What cleaning removed, one row per line: ``doc_id``, ``rule``, ``line`` (from ``removed_lines``).

    Example:
        >>> import pandas as pd
        >>> arts = pd.DataFrame({"doc_id": ["a"], "removed_lines": ["[share] Follow us:\\n[ad] Advertisement"]})
        >>> removed_lines(arts).values.tolist()
        [['a', 'share', 'Follow us:'], ['a', 'ad', 'Advertisement']]
    """

    import pandas as pd

    rows = []
    for doc, text in zip(articles["doc_id"].tolist(), articles["removed_lines"].tolist()):
        if not isinstance(text, str):  # missing: nothing removed
            continue
        for line in text.splitlines():  # "[rule] line" (string methods: 10x faster than a regex here)
            rule, close, rest = line[1:].partition("]") if line.startswith("[") else ("", "", "")
            if rule and close:
                rows.append((doc, rule, rest[1:] if rest[:1].isspace() else rest))
            elif line.strip():
                rows.append((doc, "(unlabelled)", line))
    return pd.DataFrame(rows, columns=["doc_id", "rule", "line"]).astype("str")


def notebooks(folder=NOTEBOOKS_DIR) -> list[Path]:
    """The analysis notebooks in run order (``NN-name.ipynb``).

    Example:
        >>> all(p.name[:2].isdigit() for p in notebooks())
        True
    """
    return sorted(p for p in Path(folder).glob("[0-9][0-9]-*.ipynb") if p.is_file())


def notebook_parameters(path) -> dict:
    """Name -> default of the ``parameters`` cell of notebook ``path`` (literals only, as papermill reads them).

    Example:
        >>> "corpus" in notebook_parameters(notebooks()[0])
        True
    """
    import papermill

    return {name: info["default"] for name, info in papermill.inspect_notebook(str(path)).items()}


def _coerce(value):
    """CLI parameter values arrive as strings: JSON literals (200, null, true) become values, the rest stays text."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


# ------------------------------------------------------------------------------------ running + rendering

def run_notebook(src, dst, parameters: dict | None = None, timeout: int = 1800):
    """Execute notebook ``src`` with papermill into ``dst`` (cwd = ``src``'s folder, kernel ``python3``).

    Raises ``ReportError`` naming the notebook, the cell (counted from 1 in ``src``, markdown included)
    and the error when a cell fails. Returns the executed notebook.

    Example:
        >>> run_notebook(NOTEBOOKS_DIR / "00-corpus-overview.ipynb", "/tmp/out.ipynb",
        ...              {"corpus": "data/demo"})  # doctest: +SKIP
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    import nbformat

    src, dst = Path(src), Path(dst)
    try:
        papermill.execute_notebook(str(src), str(dst), parameters=parameters or None, kernel_name=KERNEL,
                                   cwd=str(src.parent), progress_bar=False, log_output=False,
                                   execution_timeout=timeout,
                                   # the kernel's own log is noise here ("Kernel is running over TCP without
                                   # encryption" per notebook, "KeyboardInterrupt caught" when a busy machine
                                   # slows its shutdown); a failing cell still raises PapermillExecutionError
                                   extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
    except PapermillExecutionError as exc:
        cells = nbformat.read(str(src), as_version=4).cells
        pos = next((i for i, c in enumerate(cells) if c.source == exc.source), None)
        where = f"cell {pos + 1}" if pos is not None else f"cell {exc.cell_index}"
        first = (exc.source or "").strip().splitlines()[:1]
        hint = f" (starting {first[0][:80]!r})" if first else ""
        raise ReportError(f"notebook {src.name} failed in {where}{hint}: {exc.ename}: {exc.evalue}") from None
    # papermill gives its injected cell a random id: fix it, so the same inputs give the same files
    nb = nbformat.read(str(dst), as_version=4)
    for i, cell in enumerate(nb.cells):
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = f"injected-parameters-{i}"
    nbformat.write(nb, str(dst))
    return nb


def plotly_js() -> str:
    """The plotly.js bundle that ships with the plotly package (embedded once per report page).

    Example:
        >>> "plotly.js" in plotly_js()[:200]
        True
    """
    import plotly

    return (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(encoding="utf-8")


def render_html(notebook) -> str:
    """Render an executed notebook (path or node) to offline HTML without code cells.

    Uses the ``claims_report`` template: no require.js / MathJax / mermaid CDN scripts, plotly.js once.

    Example:
        >>> import nbformat
        >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Hi")])
        >>> page = render_html(nb)
        >>> "<h1" in page, "cdnjs" in page, page.count("plotly.js v") == 1
        (True, False, True)
    """
    import nbformat
    from nbconvert import HTMLExporter

    nb = notebook if isinstance(notebook, nbformat.NotebookNode) else nbformat.read(str(notebook), as_version=4)
    exporter = HTMLExporter(template_name=TEMPLATE_NAME, extra_template_basedirs=[str(TEMPLATES_DIR)],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb, resources={"plotly_js": plotly_js()})
    return body


def _title_of(nb_path: Path) -> str:
    import nbformat

    nb = nbformat.read(str(nb_path), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return nb_path.stem


def _index_html(story, corpus: Path, story_path: Path, params: dict, pages: list[tuple[str, str, list[str]]],
                started: datetime, seconds: float) -> str:
    e = html.escape
    items = []
    for page, title, files in pages:
        links = ", ".join(f'<a href="data/{e(f)}">{e(f)}</a>' for f in files)
        more = f"<br><small>tables and figures: {links}</small>" if files else ""
        items.append(f'<li><a href="{e(page)}">{e(title)}</a>{more}</li>')
    rows = "\n".join(items)
    prm = "\n".join(f"<tr><th>{e(str(k))}</th><td><code>{e(json.dumps(v, ensure_ascii=False))}</code></td></tr>"
                    for k, v in sorted(params.items()))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(story.title)}: report</title>
<style>body{{font-family:Helvetica,Arial,sans-serif;max-width:60em;margin:2em auto;line-height:1.4}}
th{{text-align:left;padding-right:1em;vertical-align:top}} li{{margin:.6em 0}}</style></head>
<body>
<h1>{e(story.title)}</h1>
{fictional_note_html(story)}
<p>Claims and denials in the news: corpus <code>{e(display_path(corpus))}</code>, story
<code>{e(display_path(story_path))}</code> (<code>{e(story.name)}</code>).</p>
<h2>Notebooks</h2>
<ol>
{rows}
</ol>
<h2>Parameters</h2>
<table>
{prm}
</table>
<h2>Run</h2>
<p>Built {e(started.strftime('%Y-%m-%d %H:%M:%S UTC'))} in {seconds:.0f} s. The pipeline tables (Parquet) are in
<a href="tables/">tables/</a>; each chart's CSV and PNG are in <a href="data/">data/</a>.
Pages work offline: nothing is fetched from the network.</p>
</body></html>
"""


def build_report(corpus, story, out_root=REPORTS_DIR, params: dict | None = None,
                 notebook_paths: list | None = None, timeout: int = 1800) -> Path:
    """Run every notebook on ``corpus``/``story`` and write an offline HTML report; returns ``index.html``.

    The report goes to ``out_root/<story name>/``: one ``NN-name.html`` per notebook (no code cells),
    the executed notebooks, ``data/`` (each chart's CSV and PNG), ``tables/`` (the pipeline's Parquet)
    and ``index.html``. ``params`` override notebook parameters (``date_from``, ``max_events`` ...);
    string values that read as JSON literals (``200``, ``null``) are converted.

    Example:
        >>> build_report("data/demo", "data/stories/demo.yml")  # doctest: +SKIP
        PosixPath('.../reports/demo/index.html')
    """
    from . import pipeline
    from .story import load_story

    started = datetime.now(timezone.utc)
    t0 = time.monotonic()
    corpus_dir, story_path = resolve(corpus), resolve(story)
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus folder not found: {corpus_dir}")
    st = load_story(story_path)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}", st.name):
        raise ReportError(f"story name {st.name!r} cannot name a report folder: use letters, digits, '.', '_', '-'")
    nbs = [Path(p) for p in notebook_paths] if notebook_paths else notebooks()
    if not nbs:
        raise ReportError(f"no notebooks (NN-name.ipynb) found in {NOTEBOOKS_DIR}")
    declared = {p: notebook_parameters(p) for p in nbs}
    extra = {k: _coerce(v) for k, v in (params or {}).items()}
    unknown = sorted(set(extra) - set().union(*[set(d) for d in declared.values()]))
    if unknown:
        known = sorted(set().union(*[set(d) for d in declared.values()]) - set(CORE_PARAMETERS))
        raise ReportError(f"unknown notebook parameter(s) {unknown}; the notebooks accept {known}")
    for key in ("date_from", "date_to"):
        if extra.get(key) is not None:
            try:
                pd_ts(extra[key])
            except ValueError:
                raise ReportError(f"{key} must be a date like 2026-01-31, not {extra[key]!r}") from None
    clash = sorted(set(extra) & set(CORE_PARAMETERS))
    if clash:
        raise ReportError(f"parameter(s) {clash} are set by the report itself (use --corpus/--story)")

    out_root = Path(out_root).expanduser().resolve()
    dest = out_root / st.name
    _check_report_location(dest, corpus_dir)  # every check before anything is written
    pipeline._preflight(dest, REPORT_SPACE_BYTES)
    pipeline._clean_stale(out_root, f".{st.name}.")  # leftovers of killed runs (their pid is gone)
    with pipeline._sigterm_raises():  # SIGTERM: like Ctrl-C, the building folder is removed
        return _build_into(out_root, dest, st, corpus_dir, story_path, nbs, declared, extra, started, t0,
                           timeout)


#: Free space a report needs beside its tables (pages embed plotly.js, ~5 MB each).
REPORT_SPACE_BYTES = 64 * 2**20


def _check_report_location(dest: Path, corpus_dir: Path) -> None:
    """Refuse a report folder inside the corpus, one that holds the corpus, or one that is not a report.

    Example:
        >>> _check_report_location(Path("/data/corpus/reports/demo"), Path("/data/corpus"))
        Traceback (most recent call last):
        ...
        helpers.reporting.ReportError: the report folder /data/corpus/reports/demo is inside the corpus folder /data/corpus: choose another --out-root
    """
    from .text import printable

    corpus_dir = corpus_dir.resolve()
    if dest == corpus_dir or corpus_dir in dest.parents:
        raise ReportError(f"the report folder {printable(dest)} is inside the corpus folder {printable(corpus_dir)}: "
                          "choose another --out-root")
    if dest in corpus_dir.parents:
        raise ReportError(f"the report folder {printable(dest)} holds the corpus folder {printable(corpus_dir)}: "
                          "choose another --out-root")
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        raise ReportError(f"refusing to replace {printable(dest)}: it is not a report folder")
    if dest.is_dir() and any(dest.iterdir()) and not (dest / "index.html").is_file():
        raise ReportError(f"refusing to replace {printable(dest)}: it holds files but no report (no index.html); "
                          "choose another --out-root")


def _build_into(out_root: Path, dest: Path, st, corpus_dir: Path, story_path: Path, nbs: list, declared: dict,
                extra: dict, started, t0: float, timeout: int) -> Path:
    """The writing half of :func:`build_report`: a private building folder, swapped in when complete."""
    from . import pipeline
    from .text import printable

    try:
        out_root.mkdir(parents=True, exist_ok=True)
        tmp = out_root / pipeline._temp_name(f".{st.name}.", "building")
        tmp.mkdir()
    except OSError as exc:
        raise ReportError(f"cannot write the report folder {printable(dest)}: {exc.strerror or exc}") from None
    tmp.chmod(0o755)  # a report is meant to be read
    try:
        tables, data = tmp / "tables", tmp / "data"
        pipeline.analyze(corpus_dir, story=story_path, out=tables, progress=False)
        os.environ[TABLES_READY_ENV] = str(tables.resolve())  # inherited by the notebooks' kernels
        pages, shown = [], {}
        for nb in nbs:
            before = set(os.listdir(data)) if data.is_dir() else set()
            given = {"corpus": str(corpus_dir), "story": str(story_path), "tables": str(tables), "output": str(data)}
            given |= {k: v for k, v in extra.items() if k in declared[nb]}
            shown |= {k: v for k, v in declared[nb].items() if k not in CORE_PARAMETERS}
            executed = tmp / nb.name
            run_notebook(nb, executed, given, timeout=timeout)
            page = f"{nb.stem}.html"
            (tmp / page).write_text(render_html(executed), encoding="utf-8")
            files = sorted(set(os.listdir(data)) - before) if data.is_dir() else []
            pages.append((page, _title_of(nb), files))
        shown = {k: (_literal(v) if k not in extra else extra[k]) for k, v in shown.items()}
        from .frontpage import with_answer  # the answer first (helpers.frontpage), then the links

        (tmp / "index.html").write_text(with_answer(
            _index_html(st, corpus_dir, story_path, shown, pages, started, time.monotonic() - t0), tables, st, extra),
            encoding="utf-8")
        with pipeline._locked(out_root):
            _check_report_location(dest, corpus_dir)  # again: another run may have changed it meanwhile
            _swap(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        os.environ.pop(TABLES_READY_ENV, None)
    return dest / "index.html"


def _literal(text: str):
    """papermill reports defaults as source text ("'data/demo'", "None"): read them back as values."""
    import ast

    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def _swap(new: Path, dest: Path) -> None:
    """Put ``new`` in place of ``dest`` (two renames on one filesystem; the old report is removed last)."""
    from .pipeline import _temp_name

    old = None
    if dest.exists():
        old = dest.with_name(_temp_name(f".{dest.name}.", "old"))
        dest.rename(old)
    try:
        new.rename(dest)
    except BaseException:
        if old is not None:
            old.rename(dest)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# ------------------------------------------------------------------------------------ committed outputs

def strip_run_metadata(path) -> None:
    """Remove papermill's per-cell timings and run metadata from a notebook (noise in diffs).

    Example:
        >>> strip_run_metadata("notebooks/00-corpus-overview.ipynb")  # doctest: +SKIP
    """
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "tags" in cell.metadata and not cell.metadata["tags"]:
            cell.metadata.pop("tags")
    nbformat.write(nb, str(path))


def refresh_notebooks(paths: list | None = None) -> list[Path]:
    """Re-execute the notebooks IN PLACE on their defaults (the demo corpus) so their outputs are current.

    These committed outputs are what ``pytest --nbval notebooks`` compares against. Run it after changing a
    notebook or anything that changes the demo results, then review the diff.

    Example:
        $ .venv/bin/python -m helpers.reporting --refresh-notebooks
    """
    done = []
    for nb in [Path(p) for p in paths] if paths else notebooks():
        run_notebook(nb, nb)
        strip_run_metadata(nb)
        done.append(nb)
    return done


def main(argv: list[str] | None = None) -> int:
    """``python -m helpers.reporting --refresh-notebooks [NOTEBOOK ...]``.

    Example:
        >>> main(["--help"])  # doctest: +SKIP
    """
    p = argparse.ArgumentParser(prog="python -m helpers.reporting", description="Maintain the notebooks.")
    p.add_argument("--refresh-notebooks", action="store_true",
                   help="re-run the notebooks in place on the demo corpus (the outputs nbval compares)")
    p.add_argument("notebooks", nargs="*", help="only these notebooks (default: all)")
    a = p.parse_args(argv)
    if not a.refresh_notebooks:
        p.print_help()
        return 1
    try:
        for nb in refresh_notebooks(a.notebooks or None):
            print(f"refreshed {display_path(nb)}")
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
