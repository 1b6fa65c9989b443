"""The analysis pipeline: a corpus folder and a story file in, five validated tables out (Parquet).

Chain, per file then global::

    corpus.list_files -> corpus.load_file (per file) -> extraction.extract_mentions (per article)
    -> corpus.mark_duplicates -> metrics.build_events -> metrics.pair_latency
    -> schemas.conform (once per table) -> <out>/<table>.parquet (written atomically)

* Parallel: the per-file work runs in chunks of files on a process pool (``jobs=0``: all cores,
  ``jobs=1``: in this process), or on Dask (``engine="dask"``). The story is loaded once per worker.
  Rows are put back in corpus order (the order of ``corpus.list_files``), so the tables do not depend
  on ``jobs`` or on the engine.
* Incremental: each file's results (article rows, problem rows, mention rows without ``event_id``) are
  cached under ``data/processed/cache/<namespace>/`` in Parquet shards, keyed by the file's path and the
  SHA-256 of its bytes. The namespace is a hash of the story file and of the package's source code, so
  editing either re-processes everything. A ``(path, size, mtime_ns) -> sha256`` index avoids re-hashing
  unchanged files. Events and latency are cheap and global: they are always recomputed.
* Atomic: tables go to a temporary folder beside ``out`` and replace ``out`` only when all are written;
  a failed run leaves the previous output untouched. Nothing is ever written inside the corpus folder.

Relative paths (corpus, story, out) resolve against the current directory, as on the command line.

Example:
    >>>     >>> from helpers import pipeline
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
import shutil
import stat
import sys
import time
import uuid
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter
from typing import Iterator

import pandas as pd

from . import schemas
from .errors import CorpusError, StoryError, UserError
from .paths import DEMO_CORPUS, DEMO_STORY, PROCESSED_DIR

#: Bump to invalidate every cache entry (the package's source is hashed into the cache key as well).
CODE_VERSION = "1"
#: Files per task sent to a worker (fewer when there are few files, to keep every core busy).
CHUNK_SIZE = 256
#: With fewer files than this to process, the local engine works in-process (a pool costs ~1 s to start).
MIN_PARALLEL = 64
#: Show a progress bar when more files than this must be processed.
PROGRESS_MIN_FILES = 200
#: Compact the cache into one shard when it holds more shards than this.
MAX_SHARDS = 16
#: Default cache folder.
CACHE_DIR = PROCESSED_DIR / "cache"

TABLE_NAMES = ("articles", "problems", "mentions", "events", "latency")
_OUTPUT_FILES = {f"{t}.parquet" for t in TABLE_NAMES} | {"run.json"}
_KEY = "_key"  # internal column: which file (path + content hash) a row came from
_ART = "_art"  # internal column: which article of its file a row belongs to (0, 1, ...)
_PER_FILE = ("articles", "problems", "mentions")  # what the cache holds
_DROP = {"articles": ("duplicate_of",), "problems": (), "mentions": ("event_id",)}


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
            *, cache_dir: str | os.PathLike | None = None) -> AnalysisResult:
    """Analyze a corpus folder for a story and write the five tables as Parquet into ``out``.

    ``story`` None is allowed for the demo corpus only (it then uses the demo story). ``out`` None
    writes to ``data/processed/<story name>/``. ``jobs``: worker processes (0 = all cores, 1 = none).
    ``engine``: ``"local"`` (process pool) or ``"dask"`` (``scheduler`` = address of a running
    scheduler, else a LocalCluster with ``jobs`` workers). ``use_cache=False`` re-processes every file
    and leaves the cache alone. ``cache_dir`` overrides ``data/processed/cache``.

    Raises ``CorpusError`` (missing or empty corpus), ``StoryError`` (bad story) or ``UserError``
    (bad options, unsafe output folder). Files that cannot be read are reported in ``problems``.

    Example:
        >>>         >>> from helpers.paths import DEMO_CORPUS
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

    from . import story as story_mod

    t = perf_counter()
    story_obj = story_mod.load_story(story_path)
    out = Path(out).expanduser().resolve() if out is not None else PROCESSED_DIR / story_obj.name
    _check_outside(out, root, "output folder")
    _check_replaceable(out, root)
    cache = None
    if use_cache:
        cache_root = Path(cache_dir).expanduser().resolve() if cache_dir is not None else CACHE_DIR
        _check_outside(cache_root, root, "cache folder")
        cache = _Cache(cache_root, _namespace(story_path))
    timings["story"] = perf_counter() - t

    t = perf_counter()
    files = [str(p) for p in _list_files(root)]
    timings["list"] = perf_counter() - t

    # Which files are already done? Hash only what the stat index does not know (and only when the
    # cache could answer: on a cold cache the workers hash while they read). Files that are not
    # regular (broken links, pipes) are never hashed nor cached: load_file reports them.
    t = perf_counter()
    stats = [_stat(p) for p in files]
    digests: list[str | None] = [None if s is not None else _NOHASH for s in stats]
    if cache is not None:
        known = cache.known_digests()
        digests = [d or _known(known, p, s) for p, s, d in zip(files, stats, digests)]
        if cache.has_entries():
            digests = [d or _try_sha256(p) for p, d in zip(files, digests)]
    timings["hash"] = perf_counter() - t

    t = perf_counter()
    cached: dict[str, list[pd.DataFrame]] = {n: [] for n in _PER_FILE}
    found: set[str] = set()
    if cache is not None:
        cached, found = cache.read({_file_key(p, d) for p, d in zip(files, digests) if d and d != _NOHASH})
    todo = [(p, d) for p, d in zip(files, digests) if d is None or _file_key(p, d) not in found]
    timings["cache_read"] = perf_counter() - t

    t = perf_counter()
    story_key = (str(story_path), _sha256_file(story_path))
    parts = list(_run(todo, root, story_key, story_obj, jobs, engine, scheduler, progress))
    timings["process"] = perf_counter() - t

    t = perf_counter()
    fresh = {n: _concat([p[n] for p in parts], n) for n in (*_PER_FILE, "files")}
    del parts
    learned = dict(zip(fresh["files"]["path"], fresh["files"]["digest"]))
    digests = [d or learned[p] for p, d in zip(files, digests)]
    key_order = {_file_key(p, d): i for i, (p, d) in enumerate(zip(files, digests))}
    for n in _PER_FILE:
        fresh[n] = _in_corpus_order([fresh[n]], n, key_order)
    live_keys: list[str] = []
    if cache is not None:
        cache.write(fresh)
        cache.remember_digests({p: (s[0], s[1], d) for p, s, d in zip(files, stats, digests)
                                if s is not None and d != _NOHASH})
        broken = set(fresh["files"].loc[~fresh["files"]["cacheable"], _KEY])
        live_keys = [k for k, d in zip(key_order, digests) if d != _NOHASH and k not in broken]
    timings["cache_write"] = perf_counter() - t

    t = perf_counter()
    frames = {n: _in_corpus_order(cached[n] + [fresh[n]], n, key_order) for n in _PER_FILE}
    del cached, fresh
    if cache is not None and len(cache.shards()) > MAX_SHARDS:
        cache.compact(live_keys, frames)
    frames["articles"], frames["mentions"], renamed = _unique_doc_ids(frames["articles"], frames["mentions"])
    if renamed:
        frames["problems"] = pd.concat([frames["problems"], _frame(renamed, "problems")], ignore_index=True)
    for n in _PER_FILE:
        frames[n] = frames[n].drop(columns=[c for c in (_KEY, _ART, "_file") if c in frames[n]])
        frames[n] = frames[n].reset_index(drop=True)
    n_processed = len(todo)
    timings["merge"] = perf_counter() - t

    from . import corpus as corpus_mod, metrics

    t = perf_counter()
    articles = frames["articles"]
    articles.insert(len(articles.columns), "duplicate_of", pd.Series([None] * len(articles), dtype="str"))
    articles = corpus_mod.mark_duplicates(articles)
    timings["duplicates"] = perf_counter() - t
    t = perf_counter()
    mentions, events = metrics.build_events(frames["mentions"], articles)
    timings["events"] = perf_counter() - t
    t = perf_counter()
    latency = metrics.pair_latency(events, mentions)
    timings["latency"] = perf_counter() - t

    t = perf_counter()
    tables = {"articles": schemas.conform(articles, "articles"),
              "problems": schemas.conform(frames["problems"], "problems"),
              "mentions": schemas.conform(mentions, "mentions"),
              "events": schemas.conform(events, "events"),
              "latency": schemas.conform(latency, "latency")}
    timings["validate"] = perf_counter() - t

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
    _write_atomically(result)
    timings["write"] = perf_counter() - t
    timings["total"] = perf_counter() - started
    return result


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
    lines = [f"corpus:    {result.corpus or '?'} ({c.get('files', '?')} files)"
             + (f", story {result.story}" if result.story else ""),
             f"articles:  {len(arts)} ({n_dup} duplicates)"]
    sev = probs["severity"].value_counts() if len(probs) else {}
    lines.append(f"problems:  {len(probs)} ({sev.get('error', 0)} errors, {sev.get('warning', 0)} warnings)")
    for row in probs.sort_values("severity", kind="stable").head(5).itertuples():
        lines.append(f"  {row.severity}: {row.source_path}: {row.message}")
    if len(probs) > 5:
        lines.append(f"  ... and {len(probs) - 5} more (see problems.parquet)")
    by = men["stance"].value_counts() if len(men) else {}
    lines.append(f"mentions:  {len(men)} (" + ", ".join(f"{s} {by.get(s, 0)}" for s in schemas.STANCES) + ")")
    lines.append(f"events:    {len(result.events)}")
    lines.append(f"latency:   {len(result.latency)} claim/denial pairs")
    lines.append(f"output:    {result.out}")
    if tm:
        line = f"time:      {tm.get('total', 0.0):.1f} s"
        if "processed" in c:
            line += (f" ({c['processed']} files processed, {c['cache_hits']} from cache,"
                     f" engine {c.get('engine', 'local')}, jobs {c.get('jobs', '?')})")
        lines.append(line)
    return "\n".join(lines)


def load_tables(out: str | os.PathLike) -> AnalysisResult:
    """Read the five tables an analysis wrote into ``out`` and validate them against the schemas.

    Example:
        >>>         >>> from helpers.paths import DEMO_CORPUS
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
    tables = {n: schemas.validate(pd.read_parquet(out / f"{n}.parquet"), n) for n in TABLE_NAMES}
    meta = {}
    if (out / "run.json").is_file():
        meta = json.loads((out / "run.json").read_text(encoding="utf-8"))
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


def _list_files(root: Path) -> list[Path]:
    from . import corpus as corpus_mod

    return [p if Path(p).is_absolute() else root / p for p in corpus_mod.list_files(root)]


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
    return f"{digest}:{path}"


#: Modules that cannot change a file's cached rows (global stages, notebooks, tools): not hashed.
_NOT_PER_FILE = {"metrics.py", "charts.py", "reporting.py", "evaluation.py", "synth.py", "cli.py",
                 "__main__.py"}


def _code_digest() -> str:
    """Hash of the package source that shapes per-file results (every module, unless listed above)."""
    h = hashlib.sha256(CODE_VERSION.encode())
    pkg = Path(__file__).parent
    for src in sorted(pkg.rglob("*.py")):
        if src.name not in _NOT_PER_FILE:
            h.update(src.relative_to(pkg).as_posix().encode() + b"\0" + src.read_bytes())
    return h.hexdigest()


def _namespace(story_path: Path) -> str:
    h = hashlib.sha256(_code_digest().encode() + story_path.read_bytes())
    return "v" + CODE_VERSION + "-" + h.hexdigest()[:16]


def _known(known: dict, path: str, stat: tuple[int, int]) -> str | None:
    entry = known.get(path)
    return entry[2] if entry is not None and entry[:2] == stat else None


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


def _init_worker(story_key: tuple[str, str]) -> None:
    _story_for(story_key)


def _process_chunk(files: list[tuple[str, str | None]], root: str,
                   story_key: tuple[str, str]) -> dict[str, pd.DataFrame]:
    """Load and extract a chunk of files; returns one DataFrame per per-file table (+ ``files``)."""
    from . import corpus as corpus_mod, extraction

    story = _story_for(story_key)
    rows: dict[str, list[dict]] = {n: [] for n in _PER_FILE}
    done = []
    for path, digest in files:
        digest = digest or _try_sha256(path)
        key, ok = _file_key(path, digest), digest != _NOHASH
        try:
            arts, probs = corpus_mod.load_file(Path(path), Path(root))
        except Exception as exc:  # a loader bug must not stop the run: report it
            arts, probs, ok = [], [_internal_error(path, root, "loading the file (skipped)", exc)], False
        for i, art in enumerate(arts):
            art = {**art, "duplicate_of": None}
            try:
                mentions = extraction.extract_mentions(art, story)
            except Exception as exc:
                mentions, ok = [], False
                probs = [*probs, _internal_error(
                    path, root, f"extracting statements from {art.get('doc_id')} (article kept, no mentions)", exc)]
            rows["mentions"] += [{**m, _KEY: key, _ART: i} for m in mentions]
        rows["articles"] += [{**a, _KEY: key, _ART: i} for i, a in enumerate(arts)]
        rows["problems"] += [{**p, _KEY: key} for p in probs]
        done.append({"path": path, "digest": digest, _KEY: key, "cacheable": ok})
    part = {n: _frame(rows[n], n) for n in _PER_FILE}
    part["files"] = pd.DataFrame(done, columns=["path", "digest", _KEY, "cacheable"]).astype(
        {"path": "str", "digest": "str", _KEY: "str", "cacheable": "bool"})
    return part


def _internal_error(path: str, root: str, stage: str, exc: Exception) -> dict:
    try:
        shown = Path(path).relative_to(root).as_posix()
    except ValueError:
        shown = path
    return {"source_path": shown, "severity": "error",
            "message": f"internal error while {stage}: {type(exc).__name__}: {exc}"}


def _frame(rows: list[dict], name: str) -> pd.DataFrame:
    """Rows (dicts) -> a typed DataFrame of table ``name`` (minus derived columns) + the file key.

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
    return pd.DataFrame(data)


def _unique_doc_ids(articles: pd.DataFrame, mentions: pd.DataFrame):
    """Two files can give the same doc_id (``a/x.txt``, ``b/x.txt``): later ones become ``x-2``, ``x-3`` ...

    Workers extract each file alone, so the renaming is applied here to the article and to its mentions
    (``doc_id``, ``mention_id``, ``after_mention_id``). Returns the frames and one warning per rename.
    """
    if not articles["doc_id"].duplicated().any():
        return articles, mentions, []
    seen: dict[str, str] = {}
    new_ids, renamed, problems = [], {}, []
    for doc_id, source, key, art in zip(articles["doc_id"], articles["source_path"], articles[_KEY],
                                        articles[_ART]):
        new, k = doc_id, 1
        while new in seen:
            k += 1
            new = f"{doc_id}-{k}"
        if new != doc_id:
            renamed[(key, art)] = (doc_id, new)
            problems.append({"source_path": source, "severity": "warning",
                             "message": f"doc_id {doc_id!r} is already used by {seen[doc_id]}; this article is {new!r}"})
        seen[new] = source
        new_ids.append(new)
    articles = articles.assign(doc_id=pd.Series(new_ids, index=articles.index, dtype="str"))
    hit = pd.Series([(k, a) in renamed for k, a in zip(mentions[_KEY], mentions[_ART])], index=mentions.index,
                    dtype="bool")
    if hit.any():
        mentions = mentions.copy()
        for i in mentions.index[hit]:
            old, new = renamed[(mentions.at[i, _KEY], mentions.at[i, _ART])]
            mentions.at[i, "doc_id"] = new
            for col in ("mention_id", "after_mention_id"):
                v = mentions.at[i, col]
                if isinstance(v, str) and v.startswith(old + ":"):
                    mentions.at[i, col] = new + v[len(old):]
    return articles, mentions, problems


def _empty_part(name: str) -> pd.DataFrame:
    if name == "files":
        return pd.DataFrame({"path": pd.Series([], dtype="str"), "digest": pd.Series([], dtype="str"),
                             _KEY: pd.Series([], dtype="str"), "cacheable": pd.Series([], dtype="bool")})
    return _frame([], name)


def _concat(frames: list[pd.DataFrame], name: str) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return _empty_part(name)
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def _in_corpus_order(frames: list[pd.DataFrame], name: str, key_order: dict[str, int]) -> pd.DataFrame:
    """Concatenate; sort rows by their file's position in the corpus listing (stable within a file)."""
    df = _concat(frames, name)
    df = df.assign(_file=df[_KEY].map(key_order).astype("int64"))
    if not df["_file"].is_monotonic_increasing:
        df = df.sort_values("_file", kind="stable")
    return df


# --------------------------------------------------------------------------------------------------
# Engines
# --------------------------------------------------------------------------------------------------

def _chunks(todo: list, workers: int) -> list[list]:
    size = max(1, min(CHUNK_SIZE, math.ceil(len(todo) / (workers * 4))))
    return [todo[i:i + size] for i in range(0, len(todo), size)]


def _run(todo, root: Path, story_key, story_obj, jobs: int, engine: str, scheduler: str | None,
         progress: bool) -> Iterator[dict[str, pd.DataFrame]]:
    if not todo:
        return
    from tqdm import tqdm

    bar = tqdm(total=len(todo), unit="file", desc="analyze", file=sys.stderr,
               disable=not (progress and len(todo) > PROGRESS_MIN_FILES))
    try:
        if engine == "dask":
            runner = _run_dask(_chunks(todo, jobs), str(root), story_key, jobs, scheduler)
        elif jobs == 1 or len(todo) < MIN_PARALLEL:
            _WORKER_STORIES[story_key] = story_obj  # in-process: reuse the story already loaded
            runner = (_process_chunk(c, str(root), story_key) for c in _chunks(todo, 1))
        else:
            runner = _run_pool(_chunks(todo, jobs), str(root), story_key, jobs)
        for part in runner:
            bar.update(len(part["files"]))
            yield part
    finally:
        bar.close()


def _run_pool(chunks, root: str, story_key, jobs: int) -> Iterator[dict[str, pd.DataFrame]]:
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=min(jobs, len(chunks)), initializer=_init_worker,
                             initargs=(story_key,)) as pool:
        futures = [pool.submit(_process_chunk, c, root, story_key) for c in chunks]
        try:
            for fut in as_completed(futures):
                yield fut.result()
        finally:
            for fut in futures:
                fut.cancel()


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

class _Cache:
    """Per-file results in Parquet shards under ``root/<namespace>/``, plus a stat index ``root/files.parquet``.

    A shard is a folder of four Parquet files (``files``, ``articles``, ``problems``, ``mentions``),
    written to a temporary name and renamed into place, so readers never see half a shard. A shard
    that cannot be read is ignored (its files are simply processed again).
    """

    def __init__(self, root: Path, namespace: str):
        self.root = root
        self.dir = root / namespace
        self.index = root / "files.parquet"
        self._known: dict[str, tuple[int, int, str]] | None = None

    def shards(self) -> list[Path]:
        if not self.dir.is_dir():
            return []
        return sorted(p for p in self.dir.iterdir() if p.name.startswith("shard-") and p.is_dir())

    def has_entries(self) -> bool:
        return bool(self.shards())

    def known_digests(self) -> dict[str, tuple[int, int, str]]:
        if self._known is not None:
            return self._known
        self._known = {}
        if self.index.is_file():
            try:
                df = pd.read_parquet(self.index)
                self._known = {p: (s, m, d) for p, s, m, d in zip(
                    df["path"].tolist(), df["size"].tolist(), df["mtime_ns"].tolist(), df["digest"].tolist())}
            except Exception as exc:
                warnings.warn(f"ignoring unreadable cache index {self.index}: {exc}")
        return self._known

    def remember_digests(self, entries: dict[str, tuple[int, int, str | None]]) -> None:
        # Files modified in the last 2 s may change again within the same mtime tick: not recorded.
        recent = time.time_ns() - 2_000_000_000
        merged = dict(self.known_digests())
        new = {p: e for p, e in entries.items() if e[2] is not None and e[1] < recent and merged.get(p) != e}
        if not new:
            return
        merged.update(new)
        df = pd.DataFrame({"path": pd.Series(list(merged), dtype="str"),
                           "size": pd.Series([e[0] for e in merged.values()], dtype="int64"),
                           "mtime_ns": pd.Series([e[1] for e in merged.values()], dtype="int64"),
                           "digest": pd.Series([e[2] for e in merged.values()], dtype="str")})
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".files-{uuid.uuid4().hex}.parquet"
        try:
            df.to_parquet(tmp, index=False)
            os.replace(tmp, self.index)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            warnings.warn(f"could not update the cache index {self.index}: {exc}")

    def read(self, wanted: set[str]) -> tuple[dict[str, list[pd.DataFrame]], set[str]]:
        frames: dict[str, list[pd.DataFrame]] = {n: [] for n in _PER_FILE}
        found: set[str] = set()
        for shard in reversed(self.shards()):  # newest first
            need = wanted - found
            if not need:
                break
            try:
                keys = pd.read_parquet(shard / "files.parquet", columns=[_KEY])[_KEY]
                hits = set(keys[keys.isin(need)])
                if not hits:
                    continue
                got = {}
                for n in _PER_FILE:
                    df = pd.read_parquet(shard / f"{n}.parquet")
                    got[n] = df if len(hits) == len(keys) else df[df[_KEY].isin(hits)]
            except Exception as exc:
                warnings.warn(f"ignoring unreadable cache shard {shard}: {exc}")
                continue
            for n in _PER_FILE:
                frames[n].append(got[n])
            found |= hits
        return frames, found

    def write(self, fresh: dict[str, pd.DataFrame]) -> None:
        files = fresh["files"]
        if not len(files):
            return
        keep = files.loc[files["cacheable"], _KEY]
        tables = {"files": files[files["cacheable"]].drop(columns="cacheable")}
        for n in _PER_FILE:
            df = fresh[n].drop(columns=["_file"], errors="ignore")
            tables[n] = df if len(keep) == len(files) else df[df[_KEY].isin(set(keep))]
        self._write_shard(tables)

    def compact(self, live_keys: list[str], frames: dict[str, pd.DataFrame]) -> None:
        """Replace every shard by one holding only this run's files (drops other corpora's entries)."""
        old = self.shards()
        keys = pd.Series(live_keys, dtype="str")
        parts = keys.str.split(":", n=1)
        files = pd.DataFrame({"path": parts.str[1], "digest": parts.str[0], _KEY: keys})
        live = set(live_keys)
        tables = {"files": files, **{n: frames[n].loc[frames[n][_KEY].isin(live)].drop(columns=["_file"])
                                     for n in _PER_FILE}}
        if self._write_shard(tables):
            for shard in old:
                shutil.rmtree(shard, ignore_errors=True)

    def _write_shard(self, tables: dict[str, pd.DataFrame]) -> bool:
        name = f"shard-{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
        tmp = self.dir / f".tmp-{name}"
        try:
            tmp.mkdir(parents=True)
            for n, df in tables.items():
                df.to_parquet(tmp / f"{n}.parquet", index=False)
            os.rename(tmp, self.dir / name)
            return True
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            warnings.warn(f"could not write the cache shard {tmp}: {exc}")
            return False


# --------------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------------

def _write_atomically(result: AnalysisResult) -> None:
    """Write all tables into a temporary folder beside ``out``, then swap it in."""
    out = result.out
    out.parent.mkdir(parents=True, exist_ok=True)
    _check_replaceable(out, Path(result.corpus))
    tmp = out.parent / f".{out.name}.tmp-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        for n in TABLE_NAMES:
            getattr(result, n).to_parquet(tmp / f"{n}.parquet", index=False)
        manifest = {"corpus": result.corpus, "story": result.story, "counts": result.counts,
                    "timings": {k: round(v, 4) for k, v in result.timings.items()}}
        (tmp / "run.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        old = None
        if out.exists():
            old = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:8]}"
            os.rename(out, old)
        try:
            os.rename(tmp, out)
        except OSError:
            if old is not None:
                os.rename(old, out)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
