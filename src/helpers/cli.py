"""Command line: ``python -m helpers COMMAND`` (see ``python -m helpers --help``).

Example:
    $ python -m helpers analyze data/demo --story data/stories/demo.yml --out data/processed/demo
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import UserError
from .paths import DEMO_CORPUS, DEMO_STORY, PROJ_ROOT, REPORTS_DIR


def _analyze(a: argparse.Namespace) -> int:
    from . import pipeline

    result = pipeline.analyze(a.corpus, story=a.story, out=a.out, jobs=a.jobs, engine=a.engine,
                              scheduler=a.scheduler, use_cache=not a.no_cache, progress=not a.quiet,
                              file_budget=a.file_budget)
    print(pipeline.summary(result))
    _story_warnings(result)
    return 0


def _evaluate(a: argparse.Namespace) -> int:
    from . import evaluation

    return evaluation.main(a)


def _report(a: argparse.Namespace) -> int:
    from . import reporting
    from .text import printable

    index = reporting.build_report(a.corpus, a.story, out_root=a.out_root, params=dict(a.param or []))
    print(f"report: {printable(index)}")
    return 0


def _synth(a: argparse.Namespace) -> int:
    from . import synth

    info = synth.generate(a.n, a.out, seed=a.seed)
    out = Path(a.out).expanduser().resolve()
    print(f"wrote {info['articles']:,} articles in {info['files']:,} files ({info['bytes'] / 1e6:.1f} MB), "
          f"{info['statements']:,} statements and {info['pairs']:,} latency pairs of ground truth "
          f"in {info['seconds']:.1f} s")
    print(f"corpus: {out / 'corpus'}\nstory:  {out / 'story.yml'}\ngold:   {out / 'gold'}")
    return 0


def _schema_docs(a: argparse.Namespace) -> int:
    from . import schemas

    target = PROJ_ROOT / "docs" / "data-dictionary.md"
    target.write_text(schemas.data_dictionary_markdown() + "\n", encoding="utf-8")
    print(f"wrote {target}")
    return 0


def _kv(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    k, v = text.split("=", 1)
    return k, v


# ---------------------------------------------------------------- story draft / story check / explain
def _story_warnings(result) -> None:
    """After ``analyze``: the story check's warnings (never fatal)."""
    from . import storytools

    try:
        lines = storytools.warnings_for(result.story, result.articles, result.mentions)
    except Exception as exc:  # the check must never spoil a finished analysis
        lines = [f"story check failed: {exc}"]
    for line in lines:
        print(f"warning: {line}", file=sys.stderr)


def _story_draft(a: argparse.Namespace) -> int:
    from . import storytools

    text = storytools.draft(a.corpus, a.claim, top=a.top, name=a.name)
    if a.out:
        out = Path(a.out)
        if out.exists() and not a.force:
            raise UserError(f"{out} exists: choose another --out or pass --force")
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}: sort the speakers into sides, then run "
              f"`python -m helpers story check {a.corpus} --story {out}`")
    else:
        sys.stdout.write(text)
    return 0


def _story_check(a: argparse.Namespace) -> int:
    from . import storytools

    print(storytools.format_check(storytools.check(a.corpus, a.story, top=a.top)))
    return 0


def _explain(a: argparse.Namespace) -> int:
    from . import storytools

    print(storytools.format_explain(storytools.explain(a.sentence, a.story, headline=a.headline)))
    return 0


def _report_in_window(a: argparse.Namespace) -> int:
    """``report --date-from/--date-to``: the notebooks' date_from/date_to parameters."""
    extra = [("date_from", a.date_from)] if a.date_from else []
    extra += [("date_to", a.date_to)] if a.date_to else []
    a.param = list(a.param or []) + extra
    return _report(a)


def _add_story_commands(sub) -> None:
    r = sub.choices["report"]
    r.add_argument("--date-from", default=None, metavar="YYYY-MM-DD",
                   help="keep articles published and statements said on or after this day (UTC)")
    r.add_argument("--date-to", default=None, metavar="YYYY-MM-DD",
                   help="keep articles published and statements said on or before this day (UTC, inclusive)")
    r.set_defaults(func=_report_in_window)

    s = sub.add_parser("story", help="write a draft story from a corpus, or check a story against a corpus")
    ss = s.add_subparsers(dest="story_command", required=True)
    d = ss.add_parser("draft", help="a draft story: the speakers of claims and denials near --claim, most frequent first")
    d.add_argument("corpus", help="folder of articles")
    d.add_argument("--claim", required=True, help='the proposition, one plain sentence ("A and B held talks.")')
    d.add_argument("--out", default=None, help="write the draft to this file (default: print it)")
    d.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    d.add_argument("--name", default=None, help="story name (default: from the corpus folder)")
    d.add_argument("--top", type=int, default=30, help="at most this many speakers")
    d.set_defaults(func=_story_draft)
    c = ss.add_parser("check", help="ambiguous or unused names, and frequent speakers the story does not know")
    c.add_argument("corpus", help="folder of articles")
    c.add_argument("--story", required=True, help="story file (YAML)")
    c.add_argument("--top", type=int, default=10, help="list at most this many unknown speakers")
    c.set_defaults(func=_story_check)
    e = sub.add_parser("explain", help="what the toolkit reads in one sentence: speaker, side, stance, cue, why")
    e.add_argument("sentence")
    e.add_argument("--story", required=True, help="story file (YAML)")
    e.add_argument("--headline", default=None, help="the article's headline (context)")
    e.set_defaults(func=_explain)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m helpers", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("analyze", help="load a corpus and write articles/mentions/events/latency/problems as Parquet")
    s.add_argument("corpus", nargs="?", default=str(DEMO_CORPUS), help="folder of articles (default: the demo corpus)")
    s.add_argument("--story", default=None,
                   help="story file (YAML); required unless CORPUS is the demo corpus (then: the demo story)")
    s.add_argument("--out", default=None, help="output folder (default: data/processed/<story name>)")
    s.add_argument("--jobs", type=int, default=0, help="worker processes (0 = all cores, 1 = no parallelism)")
    s.add_argument("--engine", choices=["local", "dask"], default="local")
    s.add_argument("--scheduler", default=None, help="address of an existing Dask scheduler (with --engine dask)")
    s.add_argument("--no-cache", action="store_true", help="re-process every article (ignore the content-hash cache)")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.add_argument("--file-budget", type=float, default=None, metavar="SECONDS",
                   help="give up a file after this many seconds (reported in problems; default "
                        "pipeline.FILE_BUDGET_SECONDS = 60, 0 = no limit; local engine only)")
    s.set_defaults(func=_analyze)

    s = sub.add_parser("evaluate", help="print precision/recall and per-field accuracy against the gold annotations")
    s.add_argument("--corpus", action="append", choices=["demo", "cuba-talks"], help="which gold (default: both)")
    s.add_argument("--no-fnc", action="store_true", help="skip the FNC-1 real-text stance figures (~20 s)")
    s.set_defaults(func=_evaluate)

    s = sub.add_parser("report", help="run every notebook with papermill and render offline HTML")
    s.add_argument("--corpus", default=str(DEMO_CORPUS))
    s.add_argument("--story", default=str(DEMO_STORY))
    s.add_argument("--out-root", default=str(REPORTS_DIR), help="reports go to OUT_ROOT/<story name>/")
    s.add_argument("--param", action="append", type=_kv, help="extra notebook parameter NAME=VALUE (repeatable)")
    s.set_defaults(func=_report)

    s = sub.add_parser("synth", help="write N synthetic articles (+ story and ground truth) into OUT")
    s.add_argument("n", type=int)
    s.add_argument("out")
    s.add_argument("--seed", type=int, default=0)
    s.set_defaults(func=_synth)

    s = sub.add_parser("schema-docs", help="regenerate docs/data-dictionary.md from the schemas")
    s.set_defaults(func=_schema_docs)
    _add_story_commands(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except UserError as exc:
        from .text import printable  # here, not at the top: `--help` stays quick (text imports pandas)

        print(f"error: {printable(exc)}", file=sys.stderr)  # one line, no escape codes from file names
        return 2
    except BrokenPipeError:  # output piped into `head` and the like: the reader stopped, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when exiting
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
