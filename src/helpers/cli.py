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
