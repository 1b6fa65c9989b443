"""The analysis pipeline: a corpus folder and a story file in, five validated tables out (Parquet).

Chain, per file then global::

    corpus.list_file_paths -> corpus.load_file (per file) -> extraction.extract_mentions (per article)
    -> corpus.mark_duplicates -> metrics.build_events -> metrics.pair_latency
    -> schemas.conform (once per table) -> <out>/<table>.parquet (written atomically)

* Parallel: the per-file work runs in chunks of files on a process pool (``jobs=0``: all cores,
  ``jobs=1``: in this process), or on Dask (``engine="dask"``). The story is loaded once per worker.
  Rows are put back in corpus order (the order of ``corpus.list_file_paths``), so the tables do not depend
  on ``jobs`` or on the engine.
* Incremental: each file's results (article rows, problem rows, mention rows without ``event_id``) are
  cached under ``data/processed/cache/<namespace>/`` in Arrow IPC shards, keyed by the file's path and the
  SHA-256 of its bytes. The namespace is a hash of the story file and of the package source that shapes
  per-file results, so editing either re-processes everything. A ``(path, size, mtime_ns) -> sha256`` index avoids re-hashing
  unchanged files. Duplicates, events and latency are corpus-wide: recomputed whenever a file was added,
  changed or removed (at 100k articles they take most of a re-run). When not one file changed since the
  last run (the same paths and bytes, the same code), that run's five tables are reused as they are
  (``result-<fingerprint>/`` in the namespace, only the latest kept; ``timings["reuse"]``).
* Atomic and private: every check of ``out`` comes first (inside/around the corpus, foreign files,
  write permission, free space: one-line ``UserError``); then each run writes into its own staging
  folder beside ``out`` (``.<out>.staging-<pid>-<random>``) and only the final rename, under a lock on
  ``out``'s parent folder, touches ``out``. A failed, interrupted (Ctrl-C, SIGTERM) or killed run leaves
  the previous output untouched; leftovers of killed runs (their pid is gone) are removed at the start
  of the next run. Nothing is ever written inside the corpus folder.
* Kept results are copied from the run's own staging folder (never from ``out``, which a concurrent
  run may have replaced), and ``run.json`` records the corpus fingerprint: a kept result is used only
  when the fingerprint inside it is the one asked for. Several runs on one output folder are safe:
  each returns (and writes, in turn) its own corpus's tables.
* Robust workers: pool workers die with the main process (``PR_SET_PDEATHSIG`` plus a parent watch),
  finished files are cached every ``CHECKPOINT_SECONDS`` while the run goes on (a killed run loses
  little), one file may take at most ``FILE_BUDGET_SECONDS`` (else it becomes a ``problems`` row), and a
  progress bar appears on any run longer than ``PROGRESS_DELAY`` seconds.
* Paths: file names that are not UTF-8 are opened as Python keeps them and shown in the tables with
  ``text.path_text`` (``\\xNN``); what is printed is passed through ``text.printable`` (no escape codes).

Relative paths (corpus, story, out) resolve against the current directory, as on the command line.

Example:
    >>> import tempfile
    >>> from helpers import pipeline
    >>> from helpers.paths import DEMO_CORPUS
    >>> out = Path(tempfile.mkdtemp()) / "demo"
    >>> result = pipeline.analyze(DEMO_CORPUS, out=out, jobs=1, progress=False)
    >>> sorted(p.name for p in out.iterdir())
    ['articles.parquet', 'events.parquet', 'latency.parquet', 'mentions.parquet', 'problems.parquet', 'run.json']
    >>> pipeline.load_tables(out).articles.shape == result.articles.shape
    True
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import signal
import stat
import sys
import threading
import time
import uuid
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from time import perf_counter
from typing import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import schemas
from .errors import CorpusError, StoryError, UserError
from .text import path_text, printable, unique_ids
from .paths import DEMO_CORPUS, DEMO_STORY, PROCESSED_DIR

#: Bump to invalidate every cache entry (the package's source is hashed into the cache key as well).
CODE_VERSION = "2"  # 2: cache shards in Arrow IPC
#: Files per task sent to a worker (fewer when there are few files, to keep every core busy).
CHUNK_SIZE = 256
#: With fewer files than this to process, the local engine works in-process (a pool costs ~1 s to start).
MIN_PARALLEL = 64
#: Show a progress bar once a run has taken this many seconds (whatever the number of files).
PROGRESS_DELAY = 2.0
#: Seconds one file may take in a worker before it is given up (a ``problems`` row); 0 = no limit.
FILE_BUDGET_SECONDS = 60.0
#: Finished files are written to the cache at least this often (seconds) while a run goes on.
CHECKPOINT_SECONDS = 30.0
#: Free space wanted beside the output on top of the corpus's size (the tables hold the texts).
MIN_FREE_BYTES = 16 * 2**20
#: Compact the cache into one shard when it holds more shards than this.
MAX_SHARDS = 16
#: Default cache folder.
CACHE_DIR = PROCESSED_DIR / "cache"
#: Namespaces (story x code version) kept in the cache folder; older ones are deleted.
KEEP_NAMESPACES = 6

TABLE_NAMES = ("articles", "problems", "mentions", "events", "latency")
_OUTPUT_FILES = {f"{t}.parquet" for t in TABLE_NAMES} | {"run.json"}
_KEY = "_key"  # internal column: which file (path + content hash) a row came from
_ART = "_art"  # internal column: which article of its file a row belongs to (0, 1, ...)
_FILE = "_file"  # internal column: the file's position in the corpus listing (this run only)
_DUPKEY = "_dupkey"  # internal column (articles): corpus.body_key of the body, computed once per article and cached
_URLKEY = "_urlkey"  # internal column (articles): corpus.canonical_url of the url, computed and cached the same way
_INTERNAL = (_KEY, _ART, _FILE, _DUPKEY, _URLKEY)
_PER_FILE = ("articles", "problems", "mentions")  # what the cache holds
_DROP = {"articles": ("duplicate_of", "duplicate_reason"), "problems": (), "mentions": ("event_id",)}


@dataclass
class AnalysisResult:
    """The five tables of one analysis, where they were written, and what the run counted and timed."""

    articles: pd.DataFrame
    problems: pd.DataFrame
    mentions: pd.DataFrame
    events: pd.DataFrame
    latency: pd.DataFrame
    out: Path | None = None
    corpus: str | None = None
    story: str | None = None
    counts: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)


# --------------------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------------------

def analyze(corpus: str | os.PathLike, story: str | os.PathLike | None = None,
            out: str | os.PathLike | None = None, jobs: int = 0, engine: str = "local",
            scheduler: str | None = None, use_cache: bool = True, progress: bool = True,
            *, cache_dir: str | os.PathLike | None = None,
            file_budget: float | None = None) -> AnalysisResult:
    """Analyze a corpus folder for a story and write the five tables as Parquet into ``out``.

    ``story`` None is allowed for the demo corpus only (it then uses the demo story). ``out`` None
    writes to ``data/processed/<story name>/``. ``jobs``: worker processes (0 = all cores, 1 = none).
    ``engine``: ``"local"`` (process pool) or ``"dask"`` (``scheduler`` = address of a running
    scheduler, else a LocalCluster with ``jobs`` workers; the workers of a remote cluster need this
    package installed and must see the corpus and the story file at the same paths).
    ``use_cache=False`` re-processes every file and leaves the cache alone. ``cache_dir`` overrides
    ``data/processed/cache``. ``file_budget``: seconds one file may take in a worker (default
    ``FILE_BUDGET_SECONDS``, 0 = no limit); a file over budget becomes an error row of ``problems``
    (enforced with SIGALRM in the process that runs the file: local engine only, not on Dask's worker
    threads). ``result.counts`` and ``result.timings`` (seconds per stage) say what the run did; they
    are saved in ``out/run.json`` too.

    Raises ``CorpusError`` (missing or empty corpus), ``StoryError`` (bad story) or ``UserError``
    (bad options, unsafe output folder, no permission or no room to write it: checked before any
    file is processed). Files and sub-folders that cannot be read are reported in ``problems``.
    SIGTERM ends the run like Ctrl-C: the staging folder and the worker processes go, the previous
    output stays.

    Example:
        >>> import tempfile
        >>> from helpers.paths import DEMO_CORPUS
        >>> result = analyze(DEMO_CORPUS, out=Path(tempfile.mkdtemp()) / "demo", jobs=1, progress=False)
        >>> result.counts["files"] == result.counts["cache_hits"] + result.counts["processed"]
        True
        >>> set(result.mentions["stance"]) <= {"claim", "denial", "other"}
        True
    """
    started = perf_counter()
    timings: dict[str, float] = {}
    root = _existing_dir(corpus)
    story_path = _story_path(story, root)
    jobs = _jobs(jobs)
    if engine not in ("local", "dask"):
        raise UserError(f"unknown engine {engine!r}: use 'local' or 'dask'")
    if scheduler and engine != "dask":
        raise UserError("a scheduler address needs engine='dask'")
    if file_budget is not None and not (isinstance(file_budget, (int, float)) and file_budget >= 0):
        raise UserError(f"file_budget must be a number of seconds >= 0 (0 = no limit), not {file_budget!r}")

    from . import story as story_mod

    t = perf_counter()
    story_obj = story_mod.load_story(story_path)
    if out is None:
        if story_obj.name in (".", "..") or any(c in story_obj.name for c in "/\\\0"):
            raise UserError(f"the story name {story_obj.name!r} cannot be a folder name: pass --out")
        out = PROCESSED_DIR / story_obj.name
    out = Path(out).expanduser().resolve()
    # every check of the output location comes before anything is written
    _check_outside(out, root, "output folder")
    _check_replaceable(out, root)
    cache = None
    if use_cache:
        cache_root = Path(cache_dir).expanduser().resolve() if cache_dir is not None else CACHE_DIR
        _check_outside(cache_root, root, "cache folder")
        cache = _Cache(cache_root, _namespace(story_path))
    timings["story"] = perf_counter() - t

    t = perf_counter()
    files, walk_problems = _list_files(root)
    timings["list"] = perf_counter() - t

    run = partial(_run, root=root, story_key=(str(story_path), _sha256_file(story_path)), story_obj=story_obj,
                  jobs=jobs, engine=engine, scheduler=scheduler, progress=progress,
                  budget=FILE_BUDGET_SECONDS if file_budget is None else file_budget)
    stats, digests = _digests(files, cache, timings)
    _preflight(out, sum(st[0] for st in stats if st is not None))
    _clean_stale(out.parent, f".{out.name}.")
    if cache is not None:
        cache.clean_stale()
    with _sigterm_raises():
        staging = _make_staging(out)
        try:
            return _analyze_into(staging, files, walk_problems, stats, digests, cache, run, out, root,
                                 story_path, story_obj, jobs, engine, timings, started)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _analyze_into(staging: Path, files, walk_problems, stats, digests, cache, run, out: Path, root: Path,
                  story_path: Path, story_obj, jobs: int, engine: str, timings: dict, started: float) -> AnalysisResult:
    """The body of :func:`analyze` once the private staging folder exists: tables, staging, kept result, swap."""
    from . import corrections
    # the folders that could not be read are part of the corpus state too
    unreadable = [p["source_path"] for p in walk_problems]
    fingerprint = cache.corpus_fingerprint(files, digests, unreadable) if cache is not None else None
    fingerprint = corrections.salt(fingerprint, story_path)  # hand corrections: validated now, part of the key
    bodies = _Bodies(staging / ".bodies")  # deleted once the tables are written (never copied nor swapped in)
    t = perf_counter()
    # an unchanged corpus: its kept tables are copied into the staging folder and read from there
    tables = cache.read_result(fingerprint, staging) if fingerprint else None
    if tables is not None:
        timings["reuse"] = perf_counter() - t
        n_processed = 0
    else:
        frames, n_processed, complete, pending = _per_file_tables(files, stats, digests, cache, run, timings, bodies)
        if walk_problems:
            frames["problems"] = pd.concat([_frame(walk_problems, "problems").drop(columns=[_KEY, _FILE]),
                                            frames["problems"]], ignore_index=True)
        tables = _global_tables(frames, timings, story_obj)
        if pending is not None:
            t = perf_counter()
            pending.join()
            timings["cache_write_wait"] = perf_counter() - t
        fingerprint = cache.corpus_fingerprint(files, digests, unreadable) if cache is not None and complete else None
        fingerprint = corrections.salt(fingerprint, story_path)

    arts = tables["articles"]
    counts = {"files": len(files), "articles": len(arts),
              "duplicates": int(arts["duplicate_of"].notna().sum()),
              "cache_hits": len(files) - n_processed, "processed": n_processed,
              "problems": len(tables["problems"]), "mentions": len(tables["mentions"]),
              "events": len(tables["events"]), "latency_pairs": len(tables["latency"]),
              "jobs": jobs, "engine": engine}
    result = AnalysisResult(**tables, out=out, corpus=str(root), story=str(story_path),
                            counts=counts, timings=timings)
    t = perf_counter()
    timings["total"] = perf_counter() - started  # provisional, for the manifest
    _write_tables(result, staging, fingerprint, encoded="reuse" in timings)
    bodies.close()
    if fingerprint and "reuse" not in timings:
        cache.keep_result(fingerprint, staging)  # from this run's own staging copy, never from `out`
    _swap_in(staging, out, root)
    timings["write"] = perf_counter() - t
    timings["total"] = perf_counter() - started
    return result


def _digests(files: list[str], cache: _Cache | None, timings: dict) -> tuple[list, list]:
    """(size, mtime_ns) and SHA-256 of every file, as far as known before processing.

    Hash only what the stat index does not know, and only when the cache could answer (on a cold
    cache the workers hash while they read). Non-regular files (broken links, pipes) are never
    hashed nor cached: load_file reports them.
    """
    t = perf_counter()
    stats = [_stat(p) for p in files]
    digests: list[str | None] = [None if st is not None else _NOHASH for st in stats]
    if cache is not None:
        digests = cache.lookup_digests(files, stats, digests)
        if cache.has_entries():
            digests = [d or _try_sha256(p) for p, d in zip(files, digests)]
    timings["hash"] = perf_counter() - t
    return stats, digests


def _per_file_tables(files: list[str], stats: list, digests: list, cache: _Cache | None, run,
                     timings: dict, bodies: _Bodies) -> tuple[dict, int, bool, threading.Thread | None]:
    """articles / problems / mentions (without the global columns) for every file, in corpus order:
    from the cache when a file's bytes are known, else by ``run(todo)`` (the engine). Also returns
    how many files were processed and whether every file's rows could be cached (``digests`` is
    completed in place with the hashes the workers computed). The bodies of processed articles wait
    in ``bodies`` (on disk) until the parts are joined. Last: the cache write still going on (join it)."""

    t = perf_counter()
    cached: dict[str, list] = {n: [] for n in _PER_FILE}
    found = np.zeros(len(files), dtype=bool)
    if cache is not None:
        cached, found = cache.read([_file_key(p, d) if d and d != _NOHASH else None
                                    for p, d in zip(files, digests)])
    todo = [(i, p, d) for i, (p, d) in enumerate(zip(files, digests)) if not found[i]]
    timings["cache_read"] = perf_counter() - t
    t = perf_counter()
    n_todo, todo = len(todo), _split_dumps(todo, stats)
    timings["split"] = perf_counter() - t

    checkpoints: list[Path] = []  # the shards this run wrote as it went

    def joined(some: list[dict]) -> dict[str, pd.DataFrame]:
        tables = {n: _concat([p[n] for p in some], n) for n in (*_PER_FILE, "files")}
        tables["articles"] = bodies.put_back(tables["articles"], some)
        return tables

    def to_cache(some: list[dict]) -> float:  # seconds spent
        w = perf_counter()
        shard = cache.write(joined(some))
        checkpoints.extend([shard] if shard else [])
        return perf_counter() - w

    t = perf_counter()
    parts, unsaved, saved_at, write_time = [], [], perf_counter(), 0.0
    for part in run(todo):
        bodies.take(part)  # the main process holds no body while the workers run
        parts.append(part)
        unsaved.append(part)
        if cache is not None and perf_counter() - saved_at >= CHECKPOINT_SECONDS:
            write_time += to_cache(unsaved)  # finished files are cached as the run goes: a killed run keeps them
            unsaved, saved_at = [], perf_counter()
    timings["process"] = perf_counter() - t - write_time

    t = perf_counter()
    parts.sort(key=lambda part: part["order"])  # chunks are runs of the listing (pieces: in file order)
    fresh = joined(parts)
    del parts
    pending = None
    if cache is not None and (unsaved or len(checkpoints) > 1):
        # Everything this run made, as ONE shard in corpus order, in place of its checkpoints (the next re-run
        # reads one file and sorts nothing: cache read + merge of 100k articles, measured alone, 7.3 s from 9
        # shards, 0.7 s from one); with no checkpoint, the unsaved parts are all the parts. The checkpoints go
        # once it is in place. Written by a thread while the corpus-wide stages run on the other core (Arrow
        # writes without the GIL).
        pending = cache.write_later(fresh, then_remove=checkpoints)
    del unsaved
    for i, d in zip(fresh["files"][_FILE].tolist(), fresh["files"]["digest"].tolist()):
        digests[i] = d
    if cache is not None:
        cache.remember_digests(files, stats, digests)
    timings["cache_write"] = perf_counter() - t + write_time

    t = perf_counter()
    frames = {n: _merge(cached[n], fresh[n], n) for n in _PER_FILE}
    broken = set(fresh["files"].loc[~fresh["files"]["cacheable"], _KEY])
    del cached, fresh
    if cache is not None and len(cache.shards()) > MAX_SHARDS:
        keys = [_file_key(p, d) for p, d in zip(files, digests) if d != _NOHASH]
        cache.compact([k for k in keys if k not in broken], frames)
    frames["articles"], frames["mentions"], renamed = _unique_doc_ids(frames["articles"], frames["mentions"])
    if renamed:
        frames["problems"] = pd.concat([frames["problems"], _frame(renamed, "problems")], ignore_index=True)
    for n in _PER_FILE:
        frames[n] = frames[n].drop(columns=[c for c in _INTERNAL if c in frames[n] and c not in (_DUPKEY, _URLKEY)])
    timings["merge"] = perf_counter() - t
    return frames, n_todo, not broken, pending


def _global_tables(frames: dict[str, pd.DataFrame], timings: dict, story=None) -> dict[str, pd.DataFrame]:
    """Duplicates, events and latency over the whole corpus; every table validated once."""
    from . import corpus as corpus_mod, corrections, metrics

    if story is not None:  # hand corrections beside the story file, applied in this one place
        frames = corrections.apply(frames, story)
    t = perf_counter()
    articles = frames["articles"]
    keys = articles.pop(_DUPKEY).array if _DUPKEY in articles else None  # read in passes: no list of every key
    urls = articles.pop(_URLKEY).tolist() if _URLKEY in articles else None
    articles.insert(len(articles.columns), "duplicate_of", pd.Series([None] * len(articles), dtype="str"))
    articles = corpus_mod.mark_duplicates(articles, keys=keys, canonical_urls=urls)
    timings["duplicates"] = perf_counter() - t
    t = perf_counter()
    mentions, events = metrics.build_events(frames["mentions"], articles)
    timings["events"] = perf_counter() - t
    t = perf_counter()
    neutral = getattr(story, "neutral_sides", ())  # the story's neutral sides are never paired
    latency = metrics.pair_latency(events, mentions, neutral_sides=neutral) if neutral else \
        metrics.pair_latency(events, mentions)
    timings["latency"] = perf_counter() - t
    t = perf_counter()
    tables = {"articles": schemas.conform(articles, "articles"),
              "problems": schemas.conform(frames["problems"], "problems"),
              "mentions": schemas.conform(mentions, "mentions"),
              "events": schemas.conform(events, "events"),
              "latency": schemas.conform(latency, "latency")}
    timings["validate"] = perf_counter() - t
    return tables


def summary(result: AnalysisResult) -> str:
    """A short plain-text summary of an analysis (what ``python -m helpers analyze`` prints).

    Example:
        >>> from helpers import schemas
        >>> r = AnalysisResult(*(schemas.empty(n) for n in TABLE_NAMES), out=Path("/tmp/x"))
        >>> print(summary(r).splitlines()[1])
        articles:  0 (0 duplicates)
    """
    c, tm = result.counts, result.timings
    arts, probs, men = result.articles, result.problems, result.mentions
    n_dup = int(arts["duplicate_of"].notna().sum()) if len(arts) else 0
    lines = [f"corpus:    {printable(result.corpus or '?')} ({c.get('files', '?')} files)"
             + (f", story {printable(result.story)}" if result.story else ""),
             f"articles:  {len(arts)} ({n_dup} duplicates)"]
    sev = probs["severity"].value_counts() if len(probs) else {}
    lines.append(f"problems:  {len(probs)} ({sev.get('error', 0)} errors, {sev.get('warning', 0)} warnings)")
    for row in probs.sort_values("severity", kind="stable").head(5).itertuples():
        lines.append(f"  {row.severity}: {printable(row.source_path)}: {printable(row.message)}")
    if len(probs) > 5:
        lines.append(f"  ... and {len(probs) - 5} more (see problems.parquet)")
    by = men["stance"].value_counts() if len(men) else {}
    lines.append(f"mentions:  {len(men)} (" + ", ".join(f"{s} {by.get(s, 0)}" for s in schemas.STANCES) + ")")
    lines.append(f"events:    {len(result.events)}")
    lines.append(f"latency:   {len(result.latency)} claim/denial pairs")
    lines.append(f"output:    {printable(result.out)}")
    if tm:
        line = f"time:      {tm.get('total', 0.0):.1f} s"
        if "processed" in c:
            line += (f" ({c['processed']} files processed, {c['cache_hits']} from cache,"
                     f" engine {c.get('engine', 'local')}, jobs {c.get('jobs', '?')})")
        lines.append(line)
    return "\n".join(lines)


def load_tables(out: str | os.PathLike) -> AnalysisResult:
    """Read the five tables an analysis wrote into ``out`` and validate them against the schemas.

    A table whose bytes are those ``analyze`` wrote and validated (its SHA-256 and the schema version
    are in ``run.json``) is not validated again: on 100k articles that saves ~2 s per notebook.

    Example:
        >>> import tempfile
        >>> from helpers.paths import DEMO_CORPUS
        >>> out = analyze(DEMO_CORPUS, out=Path(tempfile.mkdtemp()) / "demo", jobs=1, progress=False).out
        >>> res = load_tables(out)
        >>> list(res.latency.columns[:2])
        ['claim_event_id', 'denial_event_id']
    """
    out = Path(out).expanduser().resolve()
    missing = [f"{n}.parquet" for n in TABLE_NAMES if not (out / f"{n}.parquet").is_file()]
    if missing:
        raise UserError(f"no analysis tables in {out} (missing {', '.join(missing)}): "
                        "run `python -m helpers analyze CORPUS --story STORY --out FOLDER` first")
    meta = {}
    if (out / "run.json").is_file():
        try:
            meta = json.loads((out / "run.json").read_text(encoding="utf-8"))
        except ValueError:  # a damaged manifest: the tables are still read, and validated
            meta = {}
    known = meta.get("sha256", {}) if meta.get("schema") == schemas.fingerprint() else {}
    tables = {}
    for n in TABLE_NAMES:
        path = out / f"{n}.parquet"
        df = pd.read_parquet(path)
        tables[n] = df if known.get(n) == _sha256_file(path) else schemas.validate(df, n)
    return AnalysisResult(**tables, out=out, corpus=meta.get("corpus"), story=meta.get("story"),
                          counts=meta.get("counts", {}), timings=meta.get("timings", {}))


# --------------------------------------------------------------------------------------------------
# Inputs and options
# --------------------------------------------------------------------------------------------------

def _existing_dir(corpus) -> Path:
    root = Path(corpus).expanduser().resolve()
    if not root.exists():
        raise CorpusError(f"corpus folder not found: {root}")
    if not root.is_dir():
        raise CorpusError(f"corpus is not a folder: {root}")
    return root


def _story_path(story, root: Path) -> Path:
    if story is None:
        if root == DEMO_CORPUS.resolve():
            return DEMO_STORY
        raise StoryError(f"--story is required for {root} (only the demo corpus has a default story)")
    path = Path(story).expanduser().resolve()
    if not path.is_file():
        raise StoryError(f"story file not found: {path}")
    return path


def _jobs(jobs) -> int:
    if not isinstance(jobs, int) or jobs < 0:
        raise UserError(f"jobs must be 0 (all cores) or a positive number, not {jobs!r}")
    return jobs or os.cpu_count() or 1


def _check_outside(path: Path, root: Path, what: str) -> None:
    if path == root or root in path.parents:
        raise UserError(f"the {what} {path} is inside the corpus folder {root}: choose another place")


def _check_replaceable(out: Path, root: Path) -> None:
    """Only a folder holding nothing but earlier pipeline output may be replaced."""
    if out in root.parents:
        raise UserError(f"the output folder {out} contains the corpus folder {root}: choose another place")
    if not out.exists():
        return
    if not out.is_dir():
        raise UserError(f"output path exists and is not a folder: {out}")
    foreign = sorted(p.name for p in out.iterdir() if p.name not in _OUTPUT_FILES)
    if foreign:
        raise UserError(f"refusing to replace {out}: it holds files the pipeline did not write "
                        f"({', '.join(foreign[:3])}{' ...' if len(foreign) > 3 else ''}); "
                        "choose a new or empty --out folder")


def _list_files(root: Path) -> tuple[list[str], list[dict]]:
    """The corpus's files (absolute paths, as Python names them) and one problem row per unreadable folder."""
    from . import corpus as corpus_mod

    paths, problems = corpus_mod.walk(root)
    return [p if os.path.isabs(p) else os.path.join(root, p) for p in paths], problems


def _stat(path: str) -> tuple[int, int] | None:
    """(size, mtime_ns) of a regular file; None for anything else (broken link, pipe, vanished)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns) if stat.S_ISREG(st.st_mode) else None


def _sha256_file(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


_NOHASH = "-"  # digest of a file that cannot be hashed: processed every time, never cached


def _try_sha256(path: str) -> str:
    if _stat(path) is None:
        return _NOHASH
    try:
        return _sha256_file(path)
    except OSError:
        return _NOHASH


def _file_key(path: str, digest: str) -> str:
    return f"{digest}:{path_text(path)}"  # text a Parquet table can hold, whatever bytes the name has


#: Modules that cannot change a file's cached rows (global stages, notebooks, tools): not hashed.
_NOT_PER_FILE = {"metrics.py", "charts.py", "reporting.py", "evaluation.py", "synth.py", "cli.py",
                 "__main__.py", "storytools.py", "frontpage.py", "corrections.py"}  # corrections: in the fingerprint


def _code_digest() -> str:
    """Hash of the package source that shapes per-file results (every module, unless listed above)."""
    h = hashlib.sha256(CODE_VERSION.encode())
    pkg = Path(__file__).parent
    for src in sorted([*pkg.rglob("*.py"), *pkg.rglob("lexicon/*.txt")]):  # word lists shape results too
        if src.name not in _NOT_PER_FILE:
            h.update(src.relative_to(pkg).as_posix().encode() + b"\0" + src.read_bytes())
    return h.hexdigest()


def _namespace(story_path: Path) -> str:
    h = hashlib.sha256(_code_digest().encode() + story_path.read_bytes())
    return "v" + CODE_VERSION + "-" + h.hexdigest()[:16]


# --------------------------------------------------------------------------------------------------
# Per-file work (runs in workers)
# --------------------------------------------------------------------------------------------------

_WORKER_STORIES: dict[tuple[str, str], object] = {}


def _story_for(story_key: tuple[str, str]):
    """The story, loaded once per worker process (keyed by path and file hash)."""
    story = _WORKER_STORIES.get(story_key)
    if story is None:
        from . import story as story_mod

        story = _WORKER_STORIES[story_key] = story_mod.load_story(Path(story_key[0]))
    return story


def _init_worker(story_key: tuple[str, str], parent: int | None = None) -> None:
    """Pool worker start: die with the main process, default SIGTERM, load the story once."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the main process's "raise Terminated"
    if parent is not None:
        _die_with_parent(parent)
    _story_for(story_key)


def _die_with_parent(parent: int) -> None:
    """Make this process end when ``parent`` does, even after ``kill -9`` of the parent: Linux's
    ``PR_SET_PDEATHSIG`` (SIGKILL), plus a watch thread that exits once the parent pid is gone (other
    systems, or a parent that died before the call)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the watch below does it
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class FileTimeout(BaseException):
    """One file took longer than its budget (a BaseException, so no ``except Exception`` swallows it)."""


@contextmanager
def _time_limit(seconds: float | None):
    """Raise :class:`FileTimeout` in this thread after ``seconds`` (SIGALRM; main thread only, else no limit).

    Example:
        >>> with _time_limit(5):
        ...     pass
    """
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def on_alarm(signum, frame):
        raise FileTimeout()

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _process_chunk(files: list[tuple], root: str, story_key: tuple[str, str],
                   budget: float | None = None, on_file=None) -> dict[str, pd.DataFrame]:
    """Load and extract a chunk of ``(position, path, digest or None[, ingest.Piece])``; one DataFrame per
    per-file table, plus ``files`` (path, digest, key, whether the result may be cached) and ``order``
    (where the chunk starts: position, byte). Each file (or dump piece) gets at most
    ``budget`` seconds (then: one error row, nothing else from it). ``on_file(path, done)`` is called
    before (``done=False``) and after (``True``) each file (in-process progress)."""
    story = _story_for(story_key)
    rows: dict[str, list[dict]] = {n: [] for n in _PER_FILE}
    done = []
    for pos, path, digest, *piece in files:
        piece = piece[0] if piece else None
        first = piece.record if piece is not None else 0  # _ART stays unique across a file's pieces
        if on_file is not None:
            on_file(path, False)
        digest = digest or _try_sha256(path)
        key = _file_key(path, digest)
        try:
            with _time_limit(budget):
                arts, probs, ments, ok = _process_file(path, root, story, piece)
        except FileTimeout:
            arts, ments, ok = [], [], False
            probs = [{"source_path": _shown(path, root), "severity": "error",
                      "message": f"gave up after {budget:g} s (the per-file budget, pipeline.FILE_BUDGET_SECONDS): "
                                 "skipped, no article or statement taken from this file"}]
        ok = ok and digest != _NOHASH
        rows["mentions"] += [{**m, _KEY: key, _FILE: pos, _ART: first + m[_ART]} for m in ments]
        rows["articles"] += [{**a, _KEY: key, _FILE: pos, _ART: first + a[_ART]} for a in arts]
        rows["problems"] += [{**p, _KEY: key, _FILE: pos} for p in probs]
        done.append({"path": path_text(path), "digest": digest, _KEY: key, "cacheable": ok, _FILE: pos})
        if on_file is not None:
            on_file(path, True)
    part = {n: _frame(rows[n], n) for n in _PER_FILE}
    part["files"] = _files_frame(done)
    part["order"] = (files[0][0], files[0][3].start if len(files[0]) > 3 else 0)
    return part


def _process_file(path: str, root: str, story, piece=None) -> tuple[list[dict], list[dict], list[dict], bool]:
    """One file's (or one dump piece's) article rows (with ``_ART``, ``_DUPKEY`` and ``_URLKEY``), problem rows,
    mention rows (with ``_ART``) and whether they may be cached (not after an internal error)."""
    from . import corpus as corpus_mod, extraction
    from .ingest.duplicates import canonical_url

    ok = True
    try:
        arts, probs = corpus_mod.load_file(Path(path), Path(root), *([piece] if piece is not None else []))
    except Exception as exc:  # a loader bug must not stop the run: report it
        arts, probs, ok = [], [_internal_error(path, root, "loading the file (skipped)", exc)], False
    ments = []
    for i, art in enumerate(arts):
        art = {**art, "duplicate_of": None}
        try:
            mentions = extraction.extract_mentions(art, story)
        except Exception as exc:
            mentions, ok = [], False
            probs = [*probs, _internal_error(
                path, root, f"extracting statements from {art.get('doc_id')} (article kept, no mentions)", exc)]
        ments += [{**m, _ART: i} for m in mentions]
    arts = [{**a, _ART: i, _DUPKEY: corpus_mod.body_key(a["body"]), _URLKEY: canonical_url(a.get("url"))}
            for i, a in enumerate(arts)]
    return arts, probs, ments, ok


_FILES_COLUMNS = {"path": "str", "digest": "str", _KEY: "str", "cacheable": "bool", _FILE: "int64"}


def _files_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(_FILES_COLUMNS)).astype(_FILES_COLUMNS)


def _shown(path: str, root: str) -> str:
    """A file's ``source_path``: relative to the corpus, as table-safe text."""
    try:
        shown = Path(path).relative_to(root).as_posix()
    except ValueError:
        shown = path
    return path_text(shown)


def _internal_error(path: str, root: str, stage: str, exc: Exception) -> dict:
    return {"source_path": _shown(path, root), "severity": "error",
            "message": f"internal error while {stage}: {type(exc).__name__}: {path_text(str(exc))}"}


def _frame(rows: list[dict], name: str) -> pd.DataFrame:
    """Rows (dicts) -> a typed DataFrame of table ``name`` (minus derived columns) + internal columns.

    Plain pandas casts, no pandera: validation happens once, on the whole table.
    """
    data = {}
    for col in schemas.TABLES[name]:
        if col.name in _DROP[name]:
            continue
        values = pd.Series([r.get(col.name) for r in rows], dtype=object)
        if col.dtype == "datetime":
            values = pd.to_datetime(values, utc=True).astype(schemas.UTC_DTYPE)
        elif col.dtype == "timedelta":
            values = pd.to_timedelta(values).astype(schemas.TIMEDELTA_DTYPE)
        elif col.dtype == "int":
            values = values.astype("int64")
        elif col.dtype == "bool":
            values = values.astype("bool")
        else:
            values = values.astype("str")
        data[col.name] = values
    data[_KEY] = pd.Series([r.get(_KEY, "") for r in rows], dtype="str")
    if name != "problems":
        data[_ART] = pd.Series([r[_ART] for r in rows], dtype="int64")
    data[_FILE] = pd.Series([r.get(_FILE, -1) for r in rows], dtype="int64")
    if name == "articles":
        data[_DUPKEY] = pd.Series([r.get(_DUPKEY, "") for r in rows], dtype="str")
        data[_URLKEY] = pd.Series([r.get(_URLKEY) for r in rows], dtype="str")
    return pd.DataFrame(data)


@lru_cache(maxsize=None)
def _arrow_schema(name: str) -> pa.Schema:
    """Arrow schema of the per-file table ``name`` with its internal columns (cache and merge)."""
    return pa.Schema.from_pandas(_frame([], name), preserve_index=False).remove_metadata()


def _unique_doc_ids(articles: pd.DataFrame, mentions: pd.DataFrame):
    """Two files can give the same doc_id (``a/x.txt``, ``b/x.txt``): later ones become ``x-2``, ``x-3`` ...
    (``text.unique_ids``, the one uniquifier; ``corpus.unique_doc_ids`` uses it too).

    Workers extract each file alone, so the renaming is applied here to the article and to its mentions
    (``doc_id``, ``mention_id``, ``after_mention_id``). Returns the frames and one warning per rename.
    """
    if not articles["doc_id"].duplicated().any():
        return articles, mentions, []
    holder: dict[str, str] = {}
    new_ids, renamed, problems = [], {}, []
    for (new, base), source, key, art in zip(unique_ids(articles["doc_id"].tolist()), articles["source_path"],
                                             articles[_FILE], articles[_ART]):
        if base is not None:
            renamed[(key, art)] = (base, new)
            problems.append({"source_path": source, "severity": "warning",
                             "message": f"doc_id {base!r} is already used by {holder[base]}; this article is {new!r}"})
        holder[new] = source
        new_ids.append(new)
    articles = articles.assign(doc_id=pd.Series(new_ids, index=articles.index, dtype="str"))
    hit = pd.Series([(k, a) in renamed for k, a in zip(mentions[_FILE], mentions[_ART])], index=mentions.index,
                    dtype="bool")
    if hit.any():
        mentions = mentions.copy()
        for i in mentions.index[hit]:
            old, new = renamed[(mentions.at[i, _FILE], mentions.at[i, _ART])]
            mentions.at[i, "doc_id"] = new
            for col in ("mention_id", "after_mention_id"):
                v = mentions.at[i, col]
                if isinstance(v, str) and v.startswith(old + ":"):
                    mentions.at[i, col] = new + v[len(old):]
    return articles, mentions, problems


def _empty_part(name: str) -> pd.DataFrame:
    return _files_frame([]) if name == "files" else _frame([], name)


def _concat(frames: list[pd.DataFrame], name: str) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return _empty_part(name)
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def _merge(cached: list[pa.Table], fresh: pd.DataFrame, name: str) -> pd.DataFrame:
    """Cached (Arrow) and fresh rows of table ``name`` in corpus order (stable within a file)."""
    if not cached and _in_order(fresh[_FILE].to_numpy()):
        return fresh  # a cold run: nothing to merge (no round trip through Arrow, no second copy)
    schema = _arrow_schema(name)
    tables = [t.select(schema.names).cast(schema) for t in cached]
    if len(fresh) or not tables:
        tables.append(pa.Table.from_pandas(fresh, schema=schema, preserve_index=False))
    table = tables[0] if len(tables) == 1 else pa.concat_tables(tables)
    if not _in_order(table[_FILE].to_numpy()):
        table = _take_runs(table, pc.sort_indices(table, sort_keys=[(_FILE, "ascending")]).to_numpy())
    return table.to_pandas()


def _take_runs(table: pa.Table, order: np.ndarray, max_runs: int = 256) -> pa.Table:
    """``table.take(order)``; when ``order`` is a few runs of consecutive rows (a re-run: the cached
    rows in corpus order, a new file's rows to put somewhere among them), as zero-copy slices instead:
    the memory-mapped bodies are then neither read nor copied.

    Example:
        >>> t = pa.table({"x": [0, 1, 2, 3, 4]})
        >>> _take_runs(t, np.array([3, 4, 0, 1, 2]))["x"].to_pylist()
        [3, 4, 0, 1, 2]
    """
    cuts = np.flatnonzero(np.diff(order) != 1) + 1
    if len(cuts) >= max_runs:
        return table.take(order)
    starts = np.r_[0, cuts]
    ends = np.r_[cuts, len(order)]
    return pa.concat_tables([table.slice(int(order[a]), int(b - a)) for a, b in zip(starts, ends)])


def _in_order(pos: np.ndarray) -> bool:
    return len(pos) < 2 or bool((pos[1:] >= pos[:-1]).all())


class _Bodies:
    """Article bodies kept on disk while a run goes on, so the main process never holds every body.

    Each part that comes back from a worker gives its ``body`` column to :meth:`take` (written as one
    record batch of an Arrow IPC file in ``folder``); :meth:`put_back` returns it to a frame of parts,
    memory-mapped: zero copy, pages read as they are used and reclaimable by the system, whatever the
    corpus size (a 1 GB dump's bodies are 1 GB). A file is closed (readable) when its bodies are first
    asked for; later parts go to a new one. The files may be deleted once the tables are written: the
    mappings stay valid (POSIX).
    """

    _SCHEMA = pa.schema([("body", pa.large_string())])

    def __init__(self, folder: Path):
        self.folder = folder
        self.files: list[Path] = []
        self._writer = None
        self._batches = 0  # record batches in the open file
        self._readers: dict[int, pa.ipc.RecordBatchFileReader] = {}

    def take(self, part: dict) -> None:
        """Move ``part["articles"]["body"]`` to disk; ``part["body"]`` remembers where (file, batch, column position)."""
        arts = part["articles"]
        if not len(arts):
            return
        body = pa.array(arts["body"].array, pa.large_string())
        try:
            if self._writer is None:
                self.folder.mkdir(exist_ok=True)
                self.files.append(self.folder / f"bodies-{len(self.files)}.arrow")
                self._writer = pa.ipc.new_file(str(self.files[-1]), self._SCHEMA)
                self._batches = 0
            self._writer.write_batch(pa.record_batch([body], schema=self._SCHEMA))
        except OSError as exc:  # a full disk: the run stops, the previous output stays
            raise UserError(f"could not write the article bodies into {printable(self.folder)}: "
                            f"{exc.strerror or exc} (the previous output is unchanged)") from None
        part["body"] = (len(self.files) - 1, self._batches, arts.columns.get_loc("body"))
        self._batches += 1
        part["articles"] = arts.drop(columns=["body"])

    def put_back(self, arts: pd.DataFrame, parts: list[dict]) -> pd.DataFrame:
        """``arts`` (the concatenated articles of ``parts``, in that order) with the bodies put back in place."""
        where = [p["body"] for p in parts if "body" in p]
        if not where:
            return arts
        if self._writer is not None and any(f == len(self.files) - 1 for f, _, _ in where):
            self._writer.close()
            self._writer = None
        chunks = [self._reader(f).get_batch(b).column(0) for f, b, _ in where]
        body = pd.arrays.ArrowStringArray(pa.chunked_array(chunks, pa.large_string())).astype("str")
        out = arts.copy(deep=False)
        out.insert(where[0][2], "body", body)
        return out

    def _reader(self, f: int) -> pa.ipc.RecordBatchFileReader:
        if f not in self._readers:
            self._readers[f] = pa.ipc.open_file(pa.memory_map(str(self.files[f])))
        return self._readers[f]

    def close(self) -> None:
        """Close the open file and delete the files (bodies already put back stay readable)."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        shutil.rmtree(self.folder, ignore_errors=True)


# --------------------------------------------------------------------------------------------------
# Engines
# --------------------------------------------------------------------------------------------------

def _chunks(todo: list, workers: int) -> list[list]:
    """Runs of the todo list, of up to CHUNK_SIZE files; each piece of a cut dump is a chunk of its own."""
    size = max(1, min(CHUNK_SIZE, math.ceil(len(todo) / (workers * 4))))
    out: list[list] = []
    for item in todo:
        if len(item) > 3 or not out or len(out[-1]) >= size or len(out[-1][-1]) > 3:
            out.append([])
        out[-1].append(item)
    return out


def _split_dumps(todo: list, stats: list) -> list:
    """Cut each large streamed dump (JSONL, CSV, Parquet) into pieces of whole records that workers read
    in parallel: ``(pos, path, digest)`` becomes ``(pos, path, digest, piece)`` per piece (the digest
    comes with the cutting pass). Small files and whole-file formats are left as they are."""
    from . import ingest

    out = []
    for item in todo:
        st = stats[item[0]]
        reader = ingest.reader_for(item[1]) if st is not None and st[0] > 2 * ingest.PIECE_BYTES else None
        cut = reader.split(item[1], ingest.PIECE_BYTES) if reader is not None and reader.streamed else None
        if cut is None:
            out.append(item)
        else:
            out += [(item[0], item[1], cut[0], piece) for piece in cut[1]]
    return out


def _run(todo, root: Path, story_key, story_obj, jobs: int, engine: str, scheduler: str | None,
         progress: bool, budget: float | None = None) -> Iterator[dict[str, pd.DataFrame]]:
    """Process ``todo`` on the chosen engine, yielding one part per chunk as it completes.

    With ``progress``, a bar (stderr) appears once the run has taken ``PROGRESS_DELAY`` seconds, however
    few the files, and keeps its clock moving while a slow file is worked on (in-process it names that file).
    """
    if not todo:
        return
    from tqdm import tqdm

    bar = tqdm(total=len(todo), unit="file", desc="analyze", file=sys.stderr, disable=not progress,
               delay=PROGRESS_DELAY, miniters=0)
    lock = threading.Lock()

    def tick(n: int = 0, name: str | None = None) -> None:
        with lock:
            if name is not None:
                bar.set_postfix_str(printable(os.path.relpath(name, root))[-60:], refresh=False)
            bar.update(n)

    stop = threading.Event()

    def heartbeat() -> None:  # keeps the bar's clock moving (and makes it appear) while a slow file runs
        while not stop.wait(1.0):
            tick()

    if progress:
        threading.Thread(target=heartbeat, name="progress", daemon=True).start()
    per_file = engine != "dask" and (jobs == 1 or len(todo) < MIN_PARALLEL and not any(len(item) > 3 for item in todo))
    if engine == "dask":
        runner = _run_dask(_chunks(todo, jobs), str(root), story_key, jobs, scheduler)
    elif per_file:
        _WORKER_STORIES[story_key] = story_obj  # in-process: reuse the story already loaded
        runner = (_process_chunk(c, str(root), story_key, budget, on_file=lambda p, d: tick(int(d), p))
                  for c in _chunks(todo, 1))
    else:
        runner = _run_pool(_chunks(todo, jobs), str(root), story_key, jobs, budget)
    try:
        for part in runner:
            if not per_file:
                tick(len(part["files"]))
            yield part
    finally:
        runner.close()
        stop.set()
        bar.close()


def _run_pool(chunks, root: str, story_key, jobs: int, budget: float | None) -> Iterator[dict[str, pd.DataFrame]]:
    """Chunks on a process pool whose workers die with this process; on any failure or interruption
    (an error, Ctrl-C, SIGTERM, the consumer stopping) the workers are killed, not waited for."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    pool = ProcessPoolExecutor(max_workers=min(jobs, len(chunks)), initializer=_init_worker,
                               initargs=(story_key, os.getpid()))
    finished = False
    try:
        futures = [pool.submit(_process_chunk, c, root, story_key, budget) for c in chunks]
        for fut in as_completed(futures):
            yield fut.result()
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:
            workers = list((getattr(pool, "_processes", None) or {}).values())  # no public handle on them
            for proc in workers:
                proc.kill()
            pool.shutdown(wait=False, cancel_futures=True)
            for proc in workers:
                proc.join(5)


def _run_dask(chunks, root: str, story_key, jobs: int, scheduler: str | None):
    import logging

    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        futures = client.map(_process_chunk, chunks, root=root, story_key=story_key, pure=False)
        for fut in as_completed(futures):
            part = fut.result()
            fut.release()
            yield part
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# --------------------------------------------------------------------------------------------------
# Cache
# --------------------------------------------------------------------------------------------------

def _write_arrow(table: pa.Table, path: Path, compression: str | None = "lz4") -> None:
    """``table`` as an Arrow IPC file (the cache's format: read back in a fraction of Parquet's time)."""
    options = pa.ipc.IpcWriteOptions(compression=compression)
    with pa.ipc.new_file(str(path), table.schema, options=options) as writer:
        writer.write_table(table)


def _read_arrow(path: Path) -> pa.Table:
    """An Arrow IPC file, memory-mapped: uncompressed columns are not copied into memory."""
    return pa.ipc.open_file(pa.memory_map(str(path))).read_all()


class _Cache:
    """Per-file results in shards under ``root/<namespace>/``, plus a stat index ``root/files.parquet``.

    A shard is a folder of Arrow IPC files (``files``, ``articles``, ``problems``, ``mentions``: LZ4;
    ``bodies``: the articles' bodies, uncompressed, memory-mapped when read; Parquet took 1.5 s to read
    100k articles' rows, these 0.5 s), each row tagged with its file key (``sha256:path``); it is written under a temporary name and
    renamed into place, so readers never see half a shard. A shard that cannot be read is ignored
    (its files are simply processed again). Lookups are Arrow hash joins: no Python loop per row.
    """

    def __init__(self, root: Path, namespace: str):
        self.root = root
        self.dir = root / namespace
        self.index = root / "files.parquet"
        self._index: pa.Table | None = None
        self._index_hit = np.zeros(0, dtype=bool)

    def shards(self) -> list[Path]:
        try:
            return sorted(p for p in self.dir.iterdir() if p.name.startswith("shard-") and p.is_dir())
        except OSError:  # no cache yet (or another run just pruned it)
            return []

    def has_entries(self) -> bool:
        return bool(self.shards())

    def lookup_digests(self, files: list[str], stats: list, digests: list) -> list:
        """Fill unknown digests from the stat index where (path, size, mtime_ns) still match."""
        self._index_hit = np.zeros(len(files), dtype=bool)
        if not self.index.is_file() or not files:
            return digests
        try:
            index = self._index = pq.read_table(self.index).select(["path", "size", "mtime_ns", "digest"])
            pos = pc.fill_null(pc.index_in(pa.array([path_text(f) for f in files], pa.large_string()),
                                           value_set=index["path"].cast(pa.large_string())), -1).to_numpy()
        except Exception as exc:
            warnings.warn(f"ignoring unreadable cache index {self.index}: {exc}")
            self._index = None
            return digests
        size = np.array([st[0] if st else -1 for st in stats], dtype=np.int64)
        mtime = np.array([st[1] if st else -1 for st in stats], dtype=np.int64)
        safe = np.where(pos >= 0, pos, 0)
        hit = ((pos >= 0) & (index["size"].to_numpy()[safe] == size) & (index["mtime_ns"].to_numpy()[safe] == mtime))
        self._index_hit = hit
        known = index["digest"].take(pa.array(safe)).to_pylist()
        return [d if d is not None or not h else k for d, h, k in zip(digests, hit.tolist(), known)]

    def remember_digests(self, files: list[str], stats: list, digests: list) -> None:
        """Record (path, size, mtime_ns) -> digest for this corpus, keeping other folders' entries.

        Files modified in the last 2 s may change again within the same mtime tick: not recorded.
        """
        recent = time.time_ns() - 2_000_000_000
        keep = [i for i, (st, d) in enumerate(zip(stats, digests)) if st is not None and d not in (None, _NOHASH)
                and st[1] < recent]
        if not keep or (len(self._index_hit) == len(files) and self._index_hit[keep].all()):
            return
        current = pa.table({"path": pa.array([path_text(files[i]) for i in keep], pa.large_string()),
                            "size": pa.array([stats[i][0] for i in keep], pa.int64()),
                            "mtime_ns": pa.array([stats[i][1] for i in keep], pa.int64()),
                            "digest": pa.array([digests[i] for i in keep], pa.large_string())})
        if self._index is not None:
            old = self._index.cast(current.schema)
            names = pa.array([path_text(f) for f in files], pa.large_string())
            others = old.filter(pc.invert(pc.is_in(old["path"], value_set=names)))
            current = pa.concat_tables([others, current])
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / (_temp_name(".", "files") + ".parquet")
        try:
            pq.write_table(current, tmp)
            os.replace(tmp, self.index)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            warnings.warn(f"could not update the cache index {self.index}: {exc}")

    def corpus_fingerprint(self, files: list[str], digests: list, unreadable: list[str] = ()) -> str | None:
        """One hash of every file's path and bytes (and of the ``unreadable`` folders), plus what shapes
        the corpus-wide tables (metrics.py and the schemas; the per-file code and the story are in the
        namespace already). None when a file's bytes are unknown or cannot be cached."""
        if any(d is None or d == _NOHASH for d in digests):
            return None
        from . import metrics

        h = hashlib.sha256(Path(metrics.__file__).read_bytes() + schemas.fingerprint().encode())
        for path, digest in zip(files, digests):
            h.update(f"{_file_key(path, digest)}\n".encode())
        for folder in unreadable:
            h.update(f"unreadable:{folder}\n".encode())
        return h.hexdigest()[:24]

    def result_dir(self, fingerprint: str) -> Path:
        return self.dir / f"result-{fingerprint}"

    def read_result(self, fingerprint: str, staging: Path) -> dict[str, pd.DataFrame] | None:
        """The five tables of the kept run with this fingerprint, or None. They are first copied into
        ``staging`` (this run's private folder: a concurrent run may replace or prune the kept copy) and
        used only if the fingerprint recorded inside that copy is ``fingerprint`` and the tables check
        out as ``load_tables`` checks them."""
        kept = self.result_dir(fingerprint)
        if not (kept / "run.json").is_file():
            return None
        try:
            for name in (*(f"{n}.parquet" for n in TABLE_NAMES), "run.json"):
                shutil.copyfile(kept / name, staging / name)
            meta = json.loads((staging / "run.json").read_text(encoding="utf-8"))
            res = load_tables(staging) if meta.get("fingerprint") == fingerprint else None
            if res is None:
                warnings.warn(f"ignoring kept result {kept}: it records the corpus fingerprint "
                              f"{meta.get('fingerprint')!r}, not {fingerprint!r}")
        except Exception as exc:  # damaged, or pruned meanwhile by another run: recompute (and keep anew)
            warnings.warn(f"ignoring unreadable kept result {kept}: {exc}")
            res = None
        if res is None:
            for name in os.listdir(staging):
                (staging / name).unlink()
            return None
        return {n: getattr(res, n) for n in TABLE_NAMES}

    def keep_result(self, fingerprint: str, staging: Path) -> None:
        """Copy the tables this run wrote into its ``staging`` folder as this corpus state's result (only the
        latest is kept). ``staging/run.json`` records ``fingerprint``, checked again on reuse."""
        tmp = self.dir / _temp_name(".", "result")
        try:
            shutil.copytree(staging, tmp)
            for old in self.dir.glob("result-*"):
                shutil.rmtree(old, ignore_errors=True)
            os.rename(tmp, self.result_dir(fingerprint))
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            if not (self.result_dir(fingerprint) / "run.json").is_file():  # else: a concurrent run kept it
                warnings.warn(f"could not keep this run's result in the cache: {exc}")

    def clean_stale(self) -> None:
        """Remove temporary files and folders of cache writers that were killed (their pid is gone)."""
        _clean_stale(self.root, ".")
        _clean_stale(self.dir, ".")

    def read(self, keys: list[str | None]) -> tuple[dict[str, list[pa.Table]], np.ndarray]:
        """Cached rows of the files whose key is given (None: not cacheable), tagged with ``_file``
        (the position in ``keys``), and which positions were found."""
        frames: dict[str, list[pa.Table]] = {n: [] for n in _PER_FILE}
        found = np.zeros(len(keys), dtype=bool)
        wanted = np.array([k is not None for k in keys], dtype=bool)
        if not wanted.any():
            return frames, found
        value_set = pa.array([k or "" for k in keys], pa.large_string())

        def positions(column) -> np.ndarray:
            return pc.fill_null(pc.index_in(column.cast(pa.large_string()), value_set=value_set), -1).to_numpy()

        for shard in reversed(self.shards()):  # newest first; a key found once is not taken again
            if found[wanted].all():
                break
            try:
                pos = positions(_read_arrow(shard / "files.arrow")[_KEY])
                pos = pos[pos >= 0]
                new = pos[wanted[pos] & ~found[pos]]
                if not len(new):
                    continue
                take = np.zeros(len(keys), dtype=bool)
                take[new] = True
                got = {}
                for n in _PER_FILE:
                    table = _read_arrow(shard / f"{n}.arrow")
                    if n == "articles":  # the bodies: mapped, not read (see _write_shard)
                        table = table.append_column("body", _read_arrow(shard / "bodies.arrow")["body"])
                    p = positions(table[_KEY])
                    mask = (p >= 0) & take[np.where(p >= 0, p, 0)]
                    if not mask.all():
                        table, p = table.filter(pa.array(mask)), p[mask]
                    got[n] = table.append_column(_FILE, pa.array(p, pa.int64()))
            except Exception as exc:
                warnings.warn(f"ignoring unreadable cache shard {shard}: {exc}")
                continue
            for n in _PER_FILE:
                frames[n].append(got[n])
            found |= take
        return frames, found

    def write(self, fresh: dict[str, pd.DataFrame]) -> Path | None:
        """One shard of the cacheable files' rows; its folder (None: nothing written)."""
        return self._write_shard(self._shard_tables(fresh))

    @staticmethod
    def _shard_tables(fresh: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        """The rows of a shard: those of the cacheable files (none when no file is)."""
        files = fresh["files"]
        if not len(files):
            return {}
        ok = files["cacheable"]
        keep = set(files.loc[ok, _KEY]) - set(files.loc[~ok, _KEY])  # a dump is cached only if every piece was
        ok = files[_KEY].isin(keep)
        tables = {"files": files.loc[ok, ["path", "digest", _KEY]]}
        for n in _PER_FILE:
            df = fresh[n].drop(columns=[_FILE])
            tables[n] = df if ok.all() else df[df[_KEY].isin(keep)]
        return tables

    def write_later(self, fresh: dict[str, pd.DataFrame], then_remove: list[Path]) -> threading.Thread:
        """:meth:`write` in a thread (started; join it), then remove the shards ``then_remove``. The rows are
        taken as Arrow tables first: the frames may change once this returns. A failure is a warning."""
        tables = {n: pa.Table.from_pandas(df, preserve_index=False) for n, df in self._shard_tables(fresh).items()}

        def work() -> None:
            try:
                if self._write_shard(tables):
                    self.remove(then_remove)
            except Exception as exc:  # never lose the run for the cache's sake
                warnings.warn(f"could not write a cache shard: {exc}")

        thread = threading.Thread(target=work, name="cache-write")
        thread.start()
        return thread

    def remove(self, shards: list[Path]) -> None:
        for shard in shards:
            shutil.rmtree(shard, ignore_errors=True)

    def compact(self, live_keys: list[str], frames: dict[str, pd.DataFrame]) -> None:
        """Replace every shard by one holding only this run's files (drops other corpora's entries)."""
        old = self.shards()
        keys = pd.Series(live_keys, dtype="str")
        parts = keys.str.split(":", n=1)
        tables = {"files": pd.DataFrame({"path": parts.str[1], "digest": parts.str[0], _KEY: keys})}
        live = set(live_keys)
        for n in _PER_FILE:
            keep = frames[n][_KEY].isin(live)
            tables[n] = (frames[n] if keep.all() else frames[n].loc[keep]).drop(columns=[_FILE])
        if self._write_shard(tables):
            self.remove(old)

    def _write_shard(self, tables: dict[str, pd.DataFrame | pa.Table]) -> Path | None:
        if not tables:
            return None
        name = f"shard-{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
        tmp = self.dir / _temp_name(".", "shard")
        try:
            tmp.mkdir(parents=True)
            for n, df in tables.items():
                table = df if isinstance(df, pa.Table) else pa.Table.from_pandas(df, preserve_index=False)
                if n == "articles":  # the bodies apart, uncompressed: a re-run maps them instead of reading them
                    _write_arrow(table.select(["body"]), tmp / "bodies.arrow", compression=None)
                    table = table.drop_columns(["body"])
                _write_arrow(table, tmp / f"{n}.arrow")
            os.rename(tmp, self.dir / name)
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            warnings.warn(f"could not write the cache shard {tmp}: {exc}")
            return None
        self._prune_namespaces()
        return self.dir / name

    def _prune_namespaces(self) -> None:
        """Keep the KEEP_NAMESPACES most recently written namespaces (old code or story versions go)."""
        try:
            spaces = [(p.stat().st_mtime_ns, p) for p in self.root.iterdir() if p.is_dir() and p.name.startswith("v")]
        except OSError:  # another run is pruning too
            return
        for _, old in sorted(spaces, reverse=True)[KEEP_NAMESPACES:]:
            if old != self.dir:
                shutil.rmtree(old, ignore_errors=True)


# --------------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------------

class Terminated(SystemExit):
    """Raised in the main thread on SIGTERM while an analysis or a report runs, so that its clean-up runs
    (exit status 143, as for a process killed by SIGTERM)."""

    def __init__(self) -> None:
        super().__init__(128 + signal.SIGTERM)


@contextmanager
def _sigterm_raises():
    """While inside: SIGTERM raises :class:`Terminated` in the main thread (no-op in other threads).

    Example:
        >>> with _sigterm_raises():
        ...     pass
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_term(signum, frame):
        raise Terminated()

    old = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


#: Names of temporary entries: ``<prefix><kind>-<pid>-<random>`` (staging, old, tmp, result, files, shard, building).
_TEMP_RE = re.compile(r"(?:staging|old|tmp|result|files|shard|building)-(\d+)-[0-9a-f]{8,}")


def _temp_name(prefix: str, kind: str) -> str:
    """A temporary entry name that says which process owns it (so a later run can tell it is stale)."""
    return f"{prefix}{kind}-{os.getpid()}-{uuid.uuid4().hex[:12]}"


def _clean_stale(folder: Path, prefix: str) -> list[Path]:
    """Remove the temporary entries ``<prefix><kind>-<pid>-...`` in ``folder`` whose process is gone
    (a run killed with ``kill -9`` or a power cut leaves them); returns what was removed.

    Example:
        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp()); (d / ".out.staging-999999999-0123456789ab").mkdir()
        >>> [p.name for p in _clean_stale(d, ".out.")]
        ['.out.staging-999999999-0123456789ab']
    """
    removed = []
    try:
        entries = [p for p in folder.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return removed
    for p in entries:
        m = _TEMP_RE.match(p.name[len(prefix):])
        if m and int(m.group(1)) != os.getpid() and not _pid_alive(int(m.group(1))):
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)
            removed.append(p)
    return removed


def _free_bytes(folder: Path) -> int:
    return shutil.disk_usage(folder).free


def _preflight(out: Path, corpus_bytes: int) -> None:
    """Before any file is processed: can ``out`` be written (its nearest existing ancestor writable) and
    is there room for it? One-line ``UserError`` otherwise."""
    parent = out.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise UserError(f"cannot write the output folder {printable(out)}: {printable(parent)} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UserError(f"cannot write the output folder {printable(out)}: no write permission in "
                        f"{printable(parent)}")
    need = corpus_bytes + MIN_FREE_BYTES
    free = _free_bytes(parent)
    if free < need:
        raise UserError(f"not enough free space for the output folder {printable(out)}: {free / 2**20:.0f} MB free "
                        f"in {printable(parent)}, about {need / 2**20:.0f} MB needed (corpus size + "
                        f"{MIN_FREE_BYTES // 2**20} MB)")


def _make_staging(out: Path) -> Path:
    """This run's private staging folder beside ``out`` (same file system: the final rename is atomic)."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = out.parent / _temp_name(f".{out.name}.", "staging")
        staging.mkdir()
    except OSError as exc:
        raise UserError(f"cannot write the output folder {printable(out)}: {exc.strerror or exc}") from None
    return staging


def _write_tables(result: AnalysisResult, staging: Path, fingerprint: str | None, encoded: bool = False) -> None:
    """Write the tables (unless ``encoded``: a kept result already copied them there) and ``run.json``
    into ``staging``. A full disk or a refused write becomes a one-line ``UserError``."""
    try:
        if not encoded:
            for n in TABLE_NAMES:
                getattr(result, n).to_parquet(staging / f"{n}.parquet", index=False)
        manifest = {"corpus": result.corpus, "story": result.story, "counts": result.counts,
                    "timings": {k: round(v, 4) for k, v in result.timings.items()},
                    # what load_tables needs to trust these files without validating them again
                    "schema": schemas.fingerprint(),
                    "sha256": {n: _sha256_file(staging / f"{n}.parquet") for n in TABLE_NAMES},
                    # which corpus state these tables are: checked before a kept copy is ever reused
                    "fingerprint": fingerprint}
        (staging / "run.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UserError(f"could not write the output folder {printable(result.out)}: {exc.strerror or exc} "
                        "(the previous output is unchanged)") from None


@contextmanager
def _locked(folder: Path):
    """An exclusive ``flock`` on ``folder`` for the time of the block (swaps into one folder take turns)."""
    import fcntl

    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _swap_in(staging: Path, out: Path, root: Path) -> None:
    """Replace ``out`` by ``staging``: two renames under a lock on ``out.parent``; the old output is removed
    last. The output-location checks run again under the lock (another run may have changed ``out``)."""
    with _locked(out.parent):
        _check_replaceable(out, root)
        old = None
        if out.exists():
            old = out.parent / _temp_name(f".{out.name}.", "old")
            os.rename(out, old)
        try:
            os.rename(staging, out)
        except OSError:
            if old is not None:
                os.rename(old, out)
            raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
