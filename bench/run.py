"""Benchmark the whole pipeline on synthetic corpora of growing size (``make bench``).

For each size: generate a fictional corpus with ground truth (``helpers.synth``, cached under
``build/bench/``), then, in this one run and on the same files:

* the I/O floor: one plain read of every file, cold-ish (page cache dropped for those files with
  ``posix_fadvise(DONTNEED)`` after a sync) and warm;
* the full pipeline ``helpers.pipeline.analyze(corpus, story, out, jobs, use_cache=False)`` (the largest
  size: with an empty cache, which it fills for the re-run test; still a cold run): wall time,
  CPU time (this process + its finished children, ``getrusage``), articles/s, MB/s, peak memory of
  the process tree (a thread sums the RSS of this process and all its children every 0.1 s: an upper
  bound, since pages shared after fork are counted in every process), and the time of each stage
  (``result.timings``);
* dateparser's ``search_dates`` on a random sample of txt/md pages (default 200), extrapolated to
  the whole corpus, against our date path on the same pages (``cleaning.parse_page``: furniture rules
  + publication-date scoring, plus ``reltime`` on each statement sentence the pipeline found, its article anchor worked out once as in the extraction),
  with how often each gets the publication date right, and why dateparser's pick is wrong;
* quality against the ground truth with ``helpers.evaluation`` (articles and statements on a random
  sample of at most 10,000 articles at the large sizes, latency pairs in full);
* for the largest size: re-run time with nothing changed, and after adding one article (cache on);
* real inputs (``bench/inputs.py``): the FNC-1 bodies as a corpus (real text, memo caches cold), a JSONL
  dump of ``--dump-mb`` MB, a WARC file of ``--warc-pages`` pages, and single lines of 1, 2, 4 MB, each
  beside the I/O floor; then every target of issue 9 with met / not met.

Writes ``bench/results.md`` (machine, date, command, tables) and prints it.

    python bench/run.py --sizes 1000,10000,100000 --jobs 0 [--keep] [--report]
    python bench/run.py --sizes "" --dump-mb 64 --warc-pages 500 --line-mb 0.25,0.5   # real inputs, small
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "build" / "bench"


def _import_path() -> str:
    """Run on a snapshot of src/helpers (unless --no-snapshot): edits made to the checkout while the
    benchmark runs (it takes a while) then change neither the code measured nor the cache key."""
    if "--no-snapshot" in sys.argv:
        sys.path.insert(0, str(ROOT / "src"))
        return "the working tree"
    snap = WORK / "src-snapshot"
    shutil.rmtree(snap, ignore_errors=True)
    shutil.copytree(ROOT / "src" / "helpers", snap / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    os.environ.setdefault("CLAIMS_PROJ_ROOT", str(ROOT))  # helpers.paths: data/, the demo corpus
    sys.path.insert(0, str(snap))
    return "a snapshot of src/helpers taken at the start"


CODE = _import_path()

import pandas as pd  # noqa: E402

from helpers import synth  # noqa: E402

RESULTS = ROOT / "bench" / "results.md"
EVAL_SAMPLE = 10_000


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------------

class TreeMemory:
    """Peak memory of this process and all its children, sampled every ``every`` seconds.

    ``peak`` sums PSS (proportional set size: a page shared by k processes counts 1/k in each, so
    the worker pool's copy-on-write pages after ``fork`` count once); ``peak_rss`` sums RSS (every
    shared page counted in every process: an upper bound, what earlier results reported). PSS is
    read from ``/proc/PID/smaps_rollup``, which walks the page tables (~10 ms for a 1 GB process):
    sampled 10 times less often than RSS, so the sampler itself does not slow the run down.
    ``peak_anon`` sums the anonymous part of PSS (``Pss_Anon``): memory the system cannot take back,
    unlike the pages of memory-mapped files (the pipeline maps article bodies it keeps on disk).
    """

    def __init__(self, every: float = 0.1, pss_every: int = 10):
        import psutil

        self.proc, self.every, self.pss_every, self.peak, self.peak_rss = psutil.Process(), every, pss_every, 0, 0
        self.peak_anon = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _sizes(p, pss: bool) -> tuple[int, int, int]:
        """(PSS or 0, RSS, anonymous PSS or 0) of one process."""
        try:
            if pss:
                kb = {}
                with open(f"/proc/{p.pid}/smaps_rollup") as f:
                    for line in f:
                        name, _, rest = line.partition(":")
                        if name in ("Rss", "Pss", "Pss_Anon"):
                            kb[name] = int(rest.split()[0]) * 1024
                return kb.get("Pss", kb.get("Rss", 0)), kb.get("Rss", 0), kb.get("Pss_Anon", 0)
            return 0, p.memory_info().rss, 0
        except Exception:  # the process ended, or no smaps_rollup
            return 0, 0, 0

    def _run(self):
        import psutil

        tick = 0
        while not self._stop.is_set():
            with_pss = tick % self.pss_every == 0
            tick += 1
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
            except psutil.Error:
                procs = [self.proc]
            sizes = [self._sizes(p, with_pss) for p in procs]
            if with_pss:
                self.peak = max(self.peak, sum(a for a, _, _ in sizes))
                self.peak_anon = max(self.peak_anon, sum(c for _, _, c in sizes))
            self.peak_rss = max(self.peak_rss, sum(b for _, b, _ in sizes))
            self._stop.wait(self.every)

    def __enter__(self):
        self.start = self._sizes(self.proc, True)  # this process alone, before: (PSS, RSS, anonymous PSS)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def cpu_seconds() -> float:
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def measure(fn, *args, **kwargs):
    """Run ``fn``: (result, wall s, cpu s, the TreeMemory (``.peak`` PSS, ``.peak_rss``), load average after)."""
    with TreeMemory() as mem:
        c0, t0 = cpu_seconds(), time.perf_counter()
        out = fn(*args, **kwargs)
        wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    return out, wall, cpu, mem, os.getloadavg()[0]


def corpus_files(root: Path) -> list[Path]:
    out = []
    for d, dirs, files in os.walk(root):
        dirs.sort()
        out.extend(Path(d) / f for f in sorted(files) if not f.startswith("."))
    return out


def read_all(files: list[Path]) -> int:
    n = 0
    for p in files:
        with open(p, "rb") as fh:
            n += len(fh.read())
    return n


def drop_cache(files: list[Path]) -> bool:
    """Ask the kernel to forget these files' cached pages (cold-ish read); False where unsupported."""
    if not hasattr(os, "posix_fadvise"):
        return False
    os.sync()
    for p in files:
        fd = os.open(p, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)
    return True


# --------------------------------------------------------------------------------------------------
# Steps
# --------------------------------------------------------------------------------------------------

def ensure_corpus(n: int, seed: int) -> tuple[Path, dict, float | None]:
    out = WORK / f"synth-{n}-s{seed}"
    man = out / "manifest.json"
    if man.is_file():
        info = json.loads(man.read_text())
        if info.get("n") == n and info.get("seed") == seed and info.get("source_sha256") == synth.source_hash():
            log(f"reusing {out}")
            return out, info, None
    log(f"generating {n} articles into {out}")
    t0 = time.perf_counter()
    info = synth.generate(n, out, seed=seed)
    return out, info, time.perf_counter() - t0


def run_pipeline(synth_dir: Path, n: int, jobs: int, use_cache: bool, cache_dir: Path | None = None):
    from helpers import pipeline

    return measure(pipeline.analyze, synth_dir / "corpus", story=synth_dir / "story.yml",
                   out=WORK / f"tables-{n}", jobs=jobs, use_cache=use_cache, progress=False,
                   **({"cache_dir": cache_dir} if cache_dir is not None else {}))


class DateClock:
    """Adds up the time spent in ``helpers.dates`` (outermost calls only) while active."""

    NAMES = ("find_dates", "candidates", "pick_published", "page_zones", "date_line_rest", "parse_datetime")

    def __init__(self):
        from helpers import dates

        self.dates, self.total, self._depth, self._saved = dates, 0.0, 0, {}

    def _wrap(self, fn):
        def timed(*a, **k):
            if self._depth:
                return fn(*a, **k)
            self._depth += 1
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                self.total += time.perf_counter() - t0
                self._depth -= 1
        return timed

    def __enter__(self):
        for name in self.NAMES:
            self._saved[name] = getattr(self.dates, name)
            setattr(self.dates, name, self._wrap(self._saved[name]))
        self._saved["to_utc"] = self.dates.DateMatch.to_utc
        self.dates.DateMatch.to_utc = self._wrap(self._saved["to_utc"])
        return self

    def __exit__(self, *exc):
        self.dates.DateMatch.to_utc = self._saved.pop("to_utc")
        for name, fn in self._saved.items():
            setattr(self.dates, name, fn)


def dateparser_vs_ours(synth_dir: Path, result, sample: int, seed: int) -> dict:
    """search_dates vs our date path on a random sample of txt/md pages: speed and publication-date picks."""
    import dateparser.search

    from helpers import cleaning, reltime

    gold = synth.load_gold(synth_dir)["articles"]
    pages = gold[gold["format"].isin(["txt", "md"])]
    pages = pages.sample(min(sample, len(pages)), random_state=seed)
    arts = result.articles.set_index("doc_id")
    ments = result.mentions.groupby("doc_id")
    dateparser.search.search_dates("Warm-up: January 5, 2026 at 10:00 GMT.", languages=["en"])
    t_dp = t_ours = t_find = t_rel = 0.0
    clock = DateClock()
    dp_ok = ours_ok = 0
    why: dict[str, int] = {}
    from helpers import dates

    for r in pages.itertuples():
        text = (synth_dir / "corpus" / r.source_path).read_text(encoding="utf-8")
        t0 = time.perf_counter()
        found = dateparser.search.search_dates(text, languages=["en"]) or []
        t_dp += time.perf_counter() - t0
        t0 = time.perf_counter()
        dates.find_dates(text)
        t_find += time.perf_counter() - t0
        a = arts.loc[r.doc_id]
        sentences = ments.get_group(r.doc_id)["text"].tolist() if r.doc_id in ments.groups else []
        t0 = time.perf_counter()
        with clock:
            cleaning.parse_page(text, r.format)
        t1 = time.perf_counter()
        at = reltime.anchor(a["published_at"], a["published_precision"], a["published_tz"])  # once per article,
        for s in sentences:  # as the extraction does
            reltime.resolve_at(s, at)
        t_rel += time.perf_counter() - t1
        t_ours += time.perf_counter() - t0
        truth = None if r.published_at is None or pd.isna(r.published_at) else str(r.published_at)[:10]
        # ours: the pipeline's published_at, read as the page's local day when it is a day
        got = a["published_at"]
        if truth is None:
            ours_ok += int(pd.isna(got))
        elif not pd.isna(got):
            local = str(r.published_at)
            want = pd.Timestamp(local) if len(local) > 10 else None
            ours_ok += int(abs(got - want) < pd.Timedelta(minutes=1)) if want is not None else \
                int(got.date().isoformat() == truth)
        # dateparser: its first date, as the calendar day it printed
        pick = found[0] if found else None
        ok = (pick is None) if truth is None else (pick is not None and pick[1].date().isoformat() == truth)
        dp_ok += int(ok)
        if not ok:
            why[_why_wrong(text, pick, truth)] = why.get(_why_wrong(text, pick, truth), 0) + 1
    k = len(pages)
    return {"n": k, "dp_s": t_dp / k, "ours_s": t_ours / k, "find_s": t_find / k, "rel_s": t_rel / k,
            "date_s": (clock.total + t_rel) / k, "pubdate_s": clock.total / k,
            "dp_ok": dp_ok / k, "ours_ok": ours_ok / k, "why": dict(sorted(why.items(), key=lambda x: -x[1]))}


def _why_wrong(text: str, pick, truth) -> str:
    if pick is None:
        return "found no date"
    s, _dt = pick
    first_line = text.split("\n", 1)[0]
    if truth is None:
        return "undated page: a date was invented"
    if "min" in s.split() or "read" in s:
        return "'N min read' taken for a date"
    if s.strip() in ("Jan", "Feb", "Aug", "Sept", "Oct", "Nov", "Dec", "March", "April", "May", "June", "July"):
        return "AP date 'Feb. 8, 2026' split at the period"
    if s in first_line:
        return "site banner (the day the page was saved)"
    line = next((ln for ln in text.split("\n") if s in ln), "")
    if " | " in line and not line.startswith("|"):
        return "ticker of unrelated headlines"
    return "other text ('now', 'on Friday', 'in 2019', ...)"


def per_format_costs(synth_dir: Path, seed: int, k: int = 40) -> dict:
    """In this process, on up to ``k`` random files per format: loader and extraction time per article."""
    from helpers import corpus, extraction, story as story_mod

    story = story_mod.load_story(synth_dir / "story.yml")
    root = synth_dir / "corpus"
    by_fmt: dict[str, list[Path]] = {}
    for p in corpus_files(root):
        by_fmt.setdefault(p.suffix.lstrip("."), []).append(p)
    rng, rows = random.Random(seed), {}
    for fmt, paths in sorted(by_fmt.items()):
        t_load = t_ext = 0.0
        n_art = 0
        for p in rng.sample(paths, min(k, len(paths))):
            t0 = time.perf_counter()
            arts, _problems = corpus.load_file(p, root)
            t1 = time.perf_counter()
            for a in arts:
                extraction.extract_mentions(a, story)
            t_load, t_ext = t_load + t1 - t0, t_ext + time.perf_counter() - t1
            n_art += len(arts)
        rows[fmt] = {"articles": n_art, "load_ms": 1000 * t_load / max(n_art, 1),
                     "extract_ms": 1000 * t_ext / max(n_art, 1), "share": len(paths)}
    return rows


def quality(synth_dir: Path, result, seed: int) -> dict:
    from helpers import evaluation

    gold = synth.evaluation_gold(synth_dir)
    ids = [a["doc_id"] for a in gold["articles"]]
    sampled = len(ids) > EVAL_SAMPLE
    if sampled:
        keep = set(random.Random(seed).sample(ids, EVAL_SAMPLE))
        gold = dict(gold, articles=[a for a in gold["articles"] if a["doc_id"] in keep],
                    statements=[s for s in gold["statements"] if s["doc_id"] in keep])
        arts = result.articles[result.articles["doc_id"].isin(keep)]
        ments = result.mentions[result.mentions["doc_id"].isin(keep)]
    else:
        arts, ments = result.articles, result.mentions
    acc = evaluation.evaluate_articles(arts, gold).set_index("field")["accuracy"].to_dict()
    st = evaluation.evaluate_statements(ments, gold)
    lat = evaluation.evaluate_latency(result.latency, result.events, result.mentions, gold)
    g = synth.load_gold(synth_dir)["articles"]
    gdup = set(g.loc[g["duplicate_of"].notna(), "doc_id"])
    fdup = set(result.articles.loc[result.articles["duplicate_of"].notna(), "doc_id"])
    return {"sampled": sampled, "n_articles": len(gold["articles"]), "acc": acc, "st": st,
            "lat_ok": int(lat["ok"].sum()), "lat_n": len(lat), "lat_paired": int(lat["paired"].sum()),
            "dup_recall": len(gdup & fdup) / len(gdup) if gdup else None,
            "dup_precision": len(gdup & fdup) / len(fdup) if fdup else None}


def rerun_after_adding_one(synth_dir: Path, n: int, jobs: int, seed: int) -> dict:
    """Re-runs on the cache the cold run of size ``n`` filled: nothing changed, then one article added."""
    cache = WORK / f"cache-{n}"
    log("re-run: nothing changed")
    same, wall_s, _cpu, _mem, _l = run_pipeline(synth_dir, n, jobs, True, cache)
    extra_dir = WORK / "extra-article"
    synth.generate(1, extra_dir, seed=seed + 7919)
    src = next(p for p in (extra_dir / "corpus").rglob("*") if p.is_file())
    added_dir = synth_dir / "corpus" / "zzz-added"
    added_dir.mkdir(exist_ok=True)
    added = added_dir / src.name
    shutil.copyfile(src, added)
    try:
        log("re-run: one article added")
        res, wall, cpu, mem, _l = run_pipeline(synth_dir, n, jobs, True, cache)
    finally:
        shutil.rmtree(added_dir, ignore_errors=True)
    return {"same_wall": wall_s, "same_processed": same.counts.get("processed"), "same_timings": same.timings,
            "wall": wall, "cpu": cpu,
            "timings": res.timings, "processed": res.counts.get("processed"), "hits": res.counts.get("cache_hits")}


def report_timing(largest: Path) -> dict:
    """build_report twice on the demo and on ``largest``: the first run (cold: an empty cache of its own)
    and the second (warm: nothing changed, the last tables are reused: what re-rendering a report costs)."""
    from helpers import pipeline, reporting
    from helpers.paths import DEMO_CORPUS, DEMO_STORY

    # a cache of its own, emptied first: the first run is cold whatever ran before, and the project's
    # data/processed/cache is left alone
    pipeline.CACHE_DIR = WORK / "report-cache"
    shutil.rmtree(pipeline.CACHE_DIR, ignore_errors=True)
    out = {}
    for name, corpus, story in (("demo", DEMO_CORPUS, DEMO_STORY),
                                ("synthetic", largest / "corpus", largest / "story.yml")):
        for run in ("first run", "second run"):
            log(f"report on {name} ({run})")
            index, wall, cpu, mem, _l = measure(reporting.build_report, corpus, story,
                                                out_root=WORK / f"reports-{name}")
            pages = sorted(Path(index).parent.glob("*.html"))
            out[f"{name}, {run}"] = {"wall": wall, "cpu": cpu, "pages": len(pages),
                                     "max_html_mb": max(p.stat().st_size for p in pages) / 1e6 if pages else None,
                                     "files": len(corpus_files(Path(corpus)))}
            log(f"report on {name} ({run}): {wall:.1f} s")
    return out


# --------------------------------------------------------------------------------------------------
# Writing the results
# --------------------------------------------------------------------------------------------------

def machine() -> str:
    import psutil

    model = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                  if ln.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else "?"
    return (f"{os.cpu_count()} cores ({model}), {psutil.virtual_memory().total / 2**30:.1f} GiB RAM, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
            f"pandas {pd.__version__}")


def git_state() -> str:
    import subprocess

    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              timeout=20).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "src"], cwd=ROOT, capture_output=True, text=True,
                               timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "git state unknown"
    return f"commit {head or '?'}" + (" + uncommitted changes in src/" if dirty else "")


GIT_AT_START = git_state()  # when the snapshot was taken: the code measured


def f(v, spec=".2f", none="-"):
    return none if v is None or (isinstance(v, float) and v != v) else format(v, spec)


def markdown(runs: list[dict], dp: dict | None, rerun: dict | None, rep: dict | None, costs: dict | None, args,
             started: str, load0: float, inp: dict | None = None) -> str:
    L = ["# Benchmark results", "",
         f"- date: {started} (UTC)",
         f"- command: `{' '.join([Path(sys.argv[0]).as_posix()] + sys.argv[1:])}` (jobs={args.jobs or os.cpu_count()})",
         f"- machine: {machine()}",
         f"- code: {GIT_AT_START}, run from {CODE}",
         f"- load average (1 min) before the run: {load0:.1f}; the machine is shared, so wall times vary "
         "from run to run: CPU seconds are given beside them.",
         "- corpora: `helpers.synth` (fictional, seed "
         f"{args.seed}), generated once and cached under `build/bench/`.",
         "- peak memory: the highest sum over this process and all its children of PSS, sampled every 1 s "
         "(a page shared by k processes counts 1/k in each: the pool's copy-on-write pages count once), "
         "and, for comparison, of RSS, sampled every 0.1 s (shared pages counted in every process: an upper bound).", ""]
    L += ["## Throughput (full pipeline, cold: `use_cache=False`; the largest size fills an empty cache)", "",
          "| articles | files | MB | generate s | I/O floor cold / warm s | pipeline wall s | CPU s | "
          "articles/s | MB/s | peak MB PSS (RSS sum) | x I/O floor (warm) | load after |",
          "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in runs:
        L.append(f"| {r['n']:,} | {r['files']:,} | {r['mb']:.0f} | {f(r['gen_s'], '.1f', 'cached')} | "
                 f"{f(r['io_cold'], '.2f')} / {r['io_warm']:.2f} | {r['wall']:.1f} | {r['cpu']:.1f} | "
                 f"{r['n'] / r['wall']:,.0f} | {r['mb'] / r['wall']:.1f} | {r['peak'] / 1e6:,.0f} ({r.get('peak_rss', r['peak']) / 1e6:,.0f}) | "
                 f"{r['wall'] / r['io_warm']:,.0f}x | {r['load']:.1f} |")
    if len(runs) > 1:
        a, b = runs[0], runs[-1]
        L += ["", f"Scaling: {b['n'] / b['wall']:,.0f} articles/s at {b['n']:,} vs {a['n'] / a['wall']:,.0f} at "
                  f"{a['n']:,} ({(b['n'] / b['wall']) / (a['n'] / a['wall']):.2f}x); CPU per article "
                  f"{1000 * b['cpu'] / b['n']:.2f} ms vs {1000 * a['cpu'] / a['n']:.2f} ms."]
    L += ["", "## Where the time goes (`result.timings`, seconds)", ""]
    stages = list(dict.fromkeys(k for r in runs for k in r["timings"]))
    L += ["| articles | " + " | ".join(stages) + " |", "|---:|" + "---:|" * len(stages)]
    for r in runs:
        L.append(f"| {r['n']:,} | " + " | ".join(f(r["timings"].get(s), ".2f") for s in stages) + " |")
    if costs:
        L += ["", f"Per format, in one process, on up to 40 random files of each format of the {runs[-1]['n']:,} corpus "
                  "(ms per article; a .jsonl file holds 50 articles):", "",
              "| format | files in corpus | articles timed | load_file | extract_mentions |", "|---|---:|---:|---:|---:|"]
        for fmt, c in costs.items():
            L.append(f"| {fmt} | {c['share']:,} | {c['articles']} | {c['load_ms']:.2f} | {c['extract_ms']:.2f} |")
    if dp:
        d, r = dp["d"], dp["run"]
        L += ["", f"## Dates: ours vs dateparser `search_dates` ({d['n']} random txt/md pages of the "
                  f"{r['n']:,} corpus)", "",
              "| per article | ms | search_dates / this |", "|---|---:|---:|",
              f"| dateparser `search_dates(page, languages=['en'])` | {1000 * d['dp_s']:.1f} | 1 |",
              f"| **ours: date resolution** = time inside `helpers.dates` during `parse_page` (publication date) "
              f"+ `reltime` on every statement sentence (the article anchor once, `resolve_at` per sentence, as the extraction does) | {1000 * d['date_s']:.2f} | "
              f"**{d['dp_s'] / d['date_s']:.0f}x** |",
              f"| ... of which publication-date finding (`helpers.dates`) | {1000 * d['pubdate_s']:.2f} | |",
              f"| ... of which `reltime` | {1000 * d['rel_s']:.2f} | |",
              f"| ours, upper bound: all of `cleaning.parse_page` (furniture rules too) + reltime "
              f"| {1000 * d['ours_s']:.2f} | {d['dp_s'] / d['ours_s']:.0f}x |",
              f"| `dates.find_dates` alone on the whole page (every date, like search_dates) | {1000 * d['find_s']:.2f} "
              f"| {d['dp_s'] / d['find_s']:.0f}x |", "",
              f"- search_dates over the whole corpus, extrapolated from the sample: "
              f"{d['dp_s'] * r['n']:,.0f} s single-core = {d['dp_s'] * r['n'] / r['wall']:.0f}x the whole "
              f"pipeline's wall time ({r['wall']:.0f} s).",
              f"- publication date right: ours {100 * d['ours_ok']:.1f}%, dateparser's first date "
              f"{100 * d['dp_ok']:.1f}%.", "",
              "Why dateparser's first date is wrong (pages):", ""]
        L += [f"- {k}: {v}" for k, v in d["why"].items()]
    L += ["", "## Correctness against the synthetic ground truth (`helpers.evaluation`)", "",
          "| articles | evaluated | title | outlet | dateline | published_at | precision | body keeps | body drops | "
          "claim P / R | denial P / R | speaker | side | said-date | latency pairs ok | duplicates found |",
          "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in runs:
        q = r["q"]
        a, st = q["acc"], q["st"]
        c, dn = st["per_stance"]["claim"], st["per_stance"]["denial"]
        L.append(f"| {r['n']:,} | {q['n_articles']:,}{' (sample)' if q['sampled'] else ''} | "
                 + " | ".join(f(a.get(k), ".3f") for k in ("title", "outlet", "dateline", "published_at",
                                                             "published_precision", "body_keeps", "body_drops"))
                 + f" | {f(c['precision'], '.3f')} / {f(c['recall'], '.3f')} | {f(dn['precision'], '.3f')} / "
                   f"{f(dn['recall'], '.3f')} | {f(st['speaker_accuracy'], '.3f')} | {f(st['side_accuracy'], '.3f')} | "
                   f"{f(st['date_accuracy'], '.3f')} | {q['lat_ok']}/{q['lat_n']} | {f(q['dup_recall'], '.3f')} |")
    if rerun:
        t = rerun["timings"]
        L += ["", f"## Re-run after adding one article ({runs[-1]['n']:,} articles, cache on)", "",
              "- the cache was filled by the cold run above (the largest size runs with an empty cache, which it fills)",
              f"- re-run with nothing changed: {rerun['same_wall']:.2f} s wall ({rerun['same_processed']} files processed); "
              "stages: " + ", ".join(f"{k} {v:.2f}" for k, v in rerun["same_timings"].items()),
              f"- the analysis stage for the added article (`process`: load, clean, dates, statements): "
              f"**{rerun['timings'].get('process', float('nan')):.2f} s**; the corpus-wide stages (duplicates, events, "
              "latency) are recomputed over all articles on every run",
              f"- re-run after adding one article: **{rerun['wall']:.2f} s** wall ({rerun['processed']} file processed, "
              f"{rerun['hits']:,} from cache{'; the cache missed: the package source changed between runs?' if not rerun['hits'] else ''}); stages: "
              + ", ".join(f"{k} {v:.2f}" for k, v in t.items()), ""]
    if inp is not None:
        import inputs

        sections, targets = inputs.markdown(inp, runs, rerun)
        L += sections
        L += ["", "## Targets (issue 9)", "", "| target | measured | met? |", "|---|---|---|"]
        L += [f"| {t} | {m} | {ok} |" for t, m, ok in targets]
        L.append("")
    if rep:
        L += report_section(rep)
    return "\n".join(L) + "\n"


def report_section(rep: dict) -> list[str]:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M")
    L = ["", "## Reports (`helpers.reporting.build_report`)", "",
         f"Measured {when} (UTC) with `bench/run.py --report-only` or `--report`; code as in src/ then.", "",
         "| corpus | files | wall s | CPU s | largest HTML page MB | pages |", "|---|---:|---:|---:|---:|---:|"]
    for k, v in rep.items():
        L.append(f"| {k} | {v.get('files', '-')} | {v['wall']:.1f} | {v['cpu']:.1f} | "
                 f"{f(v['max_html_mb'], '.2f')} | {v['pages']} |")
    for run in ("first run", "second run"):
        d, s = rep.get(f"demo, {run}"), rep.get(f"synthetic, {run}")
        if d and s:
            L.append(f"\n{run.capitalize()}: largest corpus / demo time = {s['wall'] / d['wall']:.2f}x "
                     f"(target <= 2x); largest page {s['max_html_mb']:.2f} MB (target < 10 MB).")
    L.append("\nThe report analyses the corpus once (`pipeline.analyze`, here with a cache of its own under "
             "`build/bench/report-cache`, emptied before the first run): a first run includes the whole cold "
             "analysis; the second finds nothing changed and reuses the last tables.")
    return L


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,10000,100000", help="comma-separated corpus sizes")
    p.add_argument("--jobs", type=int, default=0, help="pipeline worker processes (0 = all cores)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--keep", action="store_true", help="keep the generated corpora and outputs in build/bench/")
    p.add_argument("--dp-sample", type=int, default=200, help="pages for the dateparser comparison (0: skip)")
    p.add_argument("--no-rerun", action="store_true", help="skip the add-one-article re-run")
    p.add_argument("--report", action="store_true", help="also time build_report on the demo and largest corpus")
    p.add_argument("--report-only", action="store_true", help="only time build_report (demo vs the largest size's "
                   "corpus, generated if needed) and put that section into the results file")
    p.add_argument("--output", default=str(RESULTS), help="where to write the Markdown results")
    p.add_argument("--no-snapshot", action="store_true", help="import helpers from src/ as it is (default: a "
                   "snapshot copied at the start, so edits during the run change nothing)")
    p.add_argument("--no-real", dest="real", action="store_false", help="skip the FNC-1 real-text corpus")
    p.add_argument("--dump-mb", type=int, default=1024, help="size of the JSONL dump in MB (0: skip)")
    p.add_argument("--warc-pages", type=int, default=5000, help="HTML pages in the WARC file (0: skip)")
    p.add_argument("--line-mb", default="1,2,4", help="single-line sizes in MB, comma-separated ('': skip)")
    p.add_argument("--line-timeout", type=float, default=120, help="seconds allowed per single-line size")
    p.add_argument("--no-inputs", action="store_true", help="skip every real-input measurement")
    args = p.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    WORK.mkdir(parents=True, exist_ok=True)
    if args.report_only:
        synth_dir, _info, _gen = ensure_corpus(max(sizes), args.seed)
        section = "\n".join(report_section(report_timing(synth_dir))).strip() + "\n"
        path = Path(args.output)
        old = path.read_text(encoding="utf-8") if path.is_file() else "# Benchmark results\n"
        head = old.split("\n## Reports", 1)[0].rstrip("\n")
        path.write_text(head + "\n\n" + section, encoding="utf-8")
        print(section)
        return 0
    started = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M")
    load0 = os.getloadavg()[0]
    runs, dp, rerun, rep, costs, inp = [], None, None, None, None, None
    made: list[Path] = []
    try:
        for n in sizes:
            synth_dir, info, gen_s = ensure_corpus(n, args.seed)
            if gen_s is not None:
                made.append(synth_dir)
            files = corpus_files(synth_dir / "corpus")
            cold = drop_cache(files)
            t0 = time.perf_counter()
            nbytes = read_all(files)
            io_cold = time.perf_counter() - t0 if cold else None
            t0 = time.perf_counter()
            read_all(files)
            io_warm = time.perf_counter() - t0
            # the largest size writes a fresh cache as it goes (still a cold run), for the re-run test
            fill = n == max(sizes) and not args.no_rerun
            if fill:
                shutil.rmtree(WORK / f"cache-{n}", ignore_errors=True)
            log(f"{n}: pipeline (jobs={args.jobs or os.cpu_count()}, {'filling an empty cache' if fill else 'no cache'})")
            res, wall, cpu, mem, load = run_pipeline(synth_dir, n, args.jobs, fill, WORK / f"cache-{n}" if fill else None)
            peak = mem.peak
            log(f"{n}: {wall:.1f} s wall, {cpu:.1f} s CPU, peak {peak / 1e6:.0f} MB PSS "
                f"({mem.peak_rss / 1e6:.0f} MB RSS sum); evaluating")
            q = quality(synth_dir, res, args.seed)
            runs.append({"n": n, "files": len(files), "mb": nbytes / 1e6, "gen_s": gen_s, "io_cold": io_cold,
                         "io_warm": io_warm, "wall": wall, "cpu": cpu, "peak": peak, "peak_rss": mem.peak_rss, "load": load,
                         "timings": res.timings, "q": q})
            if n == max(sizes):
                log(f"{n}: per-format costs")
                costs = per_format_costs(synth_dir, args.seed)
                if args.dp_sample:
                    log(f"{n}: dateparser on {args.dp_sample} pages")
                    dp = {"d": dateparser_vs_ours(synth_dir, res, args.dp_sample, args.seed), "run": runs[-1]}
                if not args.no_rerun:
                    rerun = rerun_after_adding_one(synth_dir, n, args.jobs, args.seed)
                largest = synth_dir
            del res
        if not args.no_inputs:
            import inputs

            inp = inputs.run_inputs(args, WORK, measure, drop_cache, read_all, log)
        if args.report:
            rep = report_timing(largest)
    finally:
        if not args.keep:
            for d in made:
                shutil.rmtree(d, ignore_errors=True)
            for d in [*WORK.glob("tables-*"), *WORK.glob("dump-*"), *WORK.glob("warc-*"), WORK / "lines"]:
                shutil.rmtree(d, ignore_errors=True)
            for d in [*WORK.glob("cache-*"), WORK / "report-cache"]:
                shutil.rmtree(d, ignore_errors=True)
            shutil.rmtree(WORK / "extra-article", ignore_errors=True)
    text = markdown(runs, dp, rerun, rep, costs, args, started, load0, inp)
    old = Path(args.output).read_text(encoding="utf-8") if Path(args.output).is_file() else ""
    if rep is None and "\n## Reports" in old:  # keep the last report timing (it is measured separately)
        text = text.rstrip("\n") + "\n\n## Reports" + old.split("\n## Reports", 1)[1]
    Path(args.output).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
