"""Real inputs for the benchmark (``bench/run.py`` calls :func:`run_inputs`): real text, a large JSONL
dump, a WARC file and single long lines, each beside the I/O floor measured in the same run.

* **real text**: the FNC-1 article bodies (``../shared/datasets/fnc-1/all-bodies.jsonl``, 2,587 real
  bodies by many outlets; third-party text, written only under ``build/bench/``) made into a corpus of
  ``.txt`` files, analysed for the real story ``data/stories/cuba-talks.yml``. Each pipeline run is a
  fresh child process, so the memo caches are cold. A run on one of those files alone measures what
  every run costs whatever its size (interpreter, imports, worker start, story): the per-article
  comparison with the generated corpus is shown with and without it.
* **JSONL dump**: ``--dump-mb`` MB (default 1024) of records made from those bodies (each copy with its
  own id and first line, so the text repeats: an upper bound of the throughput); it is one file, cut
  into pieces that the workers read in parallel; memory is the process tree's peak PSS.
* **WARC**: ``--warc-pages`` HTML responses (the bodies as pages) plus one JPEG response per four pages,
  gzipped per record as crawls are; read by FastWARC (and, when installed, warcio, for comparison).
* **one long line**: a page whose body is one line of 1, 2 and 4 MB (``--line-mb``) of real text without
  a line break: ``corpus.load_file`` + ``extraction.extract_mentions`` in a fresh process, with a time limit
  (``--line-timeout``) so a path that grows faster than linear cannot hang the benchmark.

Child mode (used by the parent): ``python bench/inputs.py analyze CORPUS STORY OUT JOBS`` and
``python bench/inputs.py line FILE STORY`` print one JSON line.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FNC = ROOT.parent / "shared" / "datasets" / "fnc-1" / "all-bodies.jsonl"
STORY = ROOT / "data" / "stories" / "cuba-talks.yml"


def _bodies() -> list[str]:
    with open(FNC, encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f if line.strip()]


def fnc_corpus(work: Path) -> Path:
    """build/bench/fnc-1/corpus/: one .txt file per body (written once)."""
    root = work / "fnc-1" / "corpus"
    done = root.parent / "done"
    if not done.is_file():
        root.mkdir(parents=True, exist_ok=True)
        for i, body in enumerate(_bodies()):
            (root / f"{i:04d}.txt").write_text(body, encoding="utf-8")
        done.write_text("ok")
    return root


def jsonl_dump(work: Path, mb: int) -> Path:
    """build/bench/dump-<mb>/dump.jsonl: ``mb`` MB of records from the bodies (written once)."""
    out = work / f"dump-{mb}" / "dump.jsonl"
    if out.is_file() and out.stat().st_size >= mb * 2**20:
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    bodies = _bodies()
    with open(out, "w", encoding="utf-8") as f:
        k = 0
        while f.tell() < mb * 2**20:
            for i, body in enumerate(bodies):
                f.write(json.dumps({"id": f"c{k}-{i}", "title": f"Report {k} on story {i}",
                                    "text": f"Copy {k} of this report.\n{body}", "date": "2015-01-01"}) + "\n")
            k += 1
    return out


def warc_file(work: Path, pages: int) -> Path:
    """build/bench/warc-<pages>/crawl.warc.gz: HTML responses + JPEG responses, gzipped per record."""
    from helpers.ingest.warc import record

    out = work / f"warc-{pages}" / "crawl.warc.gz"
    if out.is_file():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    bodies = _bodies()
    tmp = out.with_suffix(".tmp")
    with open(tmp, "wb") as f:
        for i in range(pages):
            body = bodies[i % len(bodies)]
            paras = "".join(f"<p>{p}</p>" for p in body.split("\n") if p.strip())
            page = (f"<html><head><title>Report {i}</title><meta property='article:published_time' "
                    f"content='2015-01-01T10:00:00Z'></head><body><nav>Home | World | Sport</nav><article>"
                    f"<h1>Report {i}</h1>{paras}</article><footer>(c) Example</footer></body></html>").encode()
            f.write(record(f"https://news.example/{i}/story", page, gz=True))
            if i % 4 == 0:
                f.write(record(f"https://news.example/{i}/photo.jpg", b"\xff\xd8\xff" + b"\0" * 4000,
                               "image/jpeg", gz=True))
    os.replace(tmp, out)
    return out


def long_line(work: Path, mb: float) -> Path:
    """A .txt page whose body is ONE line of ``mb`` MB of real text."""
    out = work / "lines" / f"line-{mb:g}mb.txt"
    if out.is_file():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    text = " ".join(" ".join(b.split()) for b in _bodies())
    n = int(mb * 2**20)
    while len(text) < n:
        text += " " + text
    out.write_text("A Headline For One Long Line\n\nJanuary 1, 2015\n\n" + text[:n] + "\n", encoding="utf-8")
    return out


def _child(args: list[str], timeout: float | None = None) -> dict:
    """Run this file in child mode in a fresh interpreter (cold memo caches); its JSON line, or
    ``{"timeout": s}``."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    try:
        out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, env=env,
                             timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    except subprocess.CalledProcessError as e:
        return {"error": (e.stderr or "")[-500:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def io_floor(files: list[Path], drop_cache, read_all) -> tuple[float | None, float]:
    cold = drop_cache(files)
    t0 = time.perf_counter()
    read_all(files)
    io_cold = time.perf_counter() - t0 if cold else None
    t0 = time.perf_counter()
    read_all(files)
    return io_cold, time.perf_counter() - t0


def _analyze(corpus: Path, out: Path, jobs: int, measure) -> dict:
    """The pipeline on ``corpus`` in a child process: wall, CPU (incl. the child's workers), and the peak
    memory of the child's process tree (the tree's peak minus this process's own PSS / RSS just before:
    the benchmark process still holds what the synthetic runs left)."""
    import psutil

    own = psutil.Process().memory_full_info()
    os.sync()  # pages written by the runs before are flushed first, not during this one
    res, wall, cpu, mem, load = measure(_child, ["analyze", str(corpus), str(STORY), str(out), str(jobs)])
    return {**res, "wall": wall, "cpu": cpu, "peak": mem.peak - getattr(own, "pss", own.rss),
            "peak_rss": mem.peak_rss - own.rss, "load": load,
            "peak_anon": mem.peak_anon - mem.start[2] if mem.peak_anon else None}  # None: the kernel has no Pss_Anon


def warc_readers(path: Path) -> dict:
    """Seconds to iterate the WARC and read every HTML payload: FastWARC, and warcio when installed."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    out = {}
    t0 = time.perf_counter()
    n = 0
    with open(path, "rb") as f:
        for rec in ArchiveIterator(f, record_types=WarcRecordType.response, parse_http=True):
            if "html" in (rec.http_content_type or ""):
                n += len(rec.reader.read())
    out["fastwarc"] = time.perf_counter() - t0
    try:
        from warcio.archiveiterator import ArchiveIterator as WarcioIterator
    except ImportError:
        return out
    t0 = time.perf_counter()
    with open(path, "rb") as f:
        for rec in WarcioIterator(f):
            if rec.rec_type == "response" and "html" in (rec.http_headers.get_header("Content-Type") or ""):
                n += len(rec.content_stream().read())
    out["warcio"] = time.perf_counter() - t0
    return out


def run_inputs(args, work: Path, measure, drop_cache, read_all, log) -> dict:
    """Every real-input measurement the options ask for (see the module docstring)."""
    jobs = args.jobs or os.cpu_count()
    out: dict = {"jobs": jobs}
    if not FNC.is_file():
        log(f"real inputs skipped: {FNC} not found")
        out["missing"] = str(FNC)
        return out
    if args.real:
        root = fnc_corpus(work)
        files = sorted(root.iterdir())
        cold, warm = io_floor(files, drop_cache, read_all)
        log(f"real text: FNC-1 bodies ({len(files)} files), pipeline in a fresh process")
        r = _analyze(root, work / "tables-fnc", jobs, measure)
        out["real"] = {**r, "files": len(files), "mb": sum(p.stat().st_size for p in files) / 1e6,
                       "io_cold": cold, "io_warm": warm}
        one = work / "fnc-1" / "one"
        one.mkdir(exist_ok=True)
        (one / files[0].name).write_bytes(files[0].read_bytes())
        log("start-up cost of a run: the same on one of those files")
        out["startup"] = _analyze(one, work / "tables-one", jobs, measure)
    if args.dump_mb:
        path = jsonl_dump(work, args.dump_mb)
        cold, warm = io_floor([path], drop_cache, read_all)
        log(f"JSONL dump: {path.stat().st_size / 2**20:.0f} MB, pipeline in a fresh process")
        r = _analyze(path.parent, work / "tables-dump", jobs, measure)
        out["dump"] = {**r, "mb": path.stat().st_size / 1e6, "io_cold": cold, "io_warm": warm}
    if args.warc_pages:
        path = warc_file(work, args.warc_pages)
        cold, warm = io_floor([path], drop_cache, read_all)
        log(f"WARC: {args.warc_pages} pages, readers, then the pipeline in a fresh process")
        readers = warc_readers(path)
        r = _analyze(path.parent, work / "tables-warc", jobs, measure)
        out["warc"] = {**r, "mb": path.stat().st_size / 1e6, "io_cold": cold, "io_warm": warm,
                       "readers": readers, "pages": args.warc_pages}
    sizes = [float(s) for s in str(args.line_mb).split(",") if s.strip()]
    if sizes:
        out["lines"] = {}
        for mb in sizes:
            path = long_line(work, mb)
            cold, warm = io_floor([path], drop_cache, read_all)
            log(f"one line of {mb:g} MB (time limit {args.line_timeout:.0f} s)")
            os.sync()  # the runs before leave up to GBs of written pages: their write-back must not compete
            out["lines"][mb] = {**_child(["line", str(path), str(STORY)], timeout=args.line_timeout),
                                "io_warm": warm}
    return out


def _mb(v: float | None) -> str:
    return "-" if v is None else f"{v / 1e6:,.0f}"


def _ok(v: bool | None) -> str:
    return "n/a" if v is None else ("**met**" if v else "**not met**")


def markdown(inp: dict, runs: list[dict], rerun: dict | None) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Result sections for the real inputs, and the rows (target, measured, met?) of the targets table."""
    L: list[str] = []
    targets: list[tuple[str, str, str]] = []
    cores = inp.get("jobs") or os.cpu_count()
    if inp.get("missing"):
        return ["", "## Real inputs", "", f"Skipped: {inp['missing']} not found."], targets
    L += ["", "## Real inputs (each pipeline run in a fresh process: memo caches cold; peak memory of that "
          "process and its workers)", "",
          "| input | articles | problems | MB | I/O floor cold / warm s | pipeline wall s | CPU s | CPU / wall | "
          "articles/s | MB/s | CPU ms / article | peak MB PSS (RSS sum; anonymous PSS) | x I/O floor (warm) |",
          "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    rows = [("real text: FNC-1 bodies as .txt (story cuba-talks)", inp.get("real")),
            ("JSONL dump (one file, FNC-1 bodies repeated)", inp.get("dump")),
            (f"WARC.gz ({inp.get('warc', {}).get('pages', 0):,} HTML + JPEG responses)", inp.get("warc"))]
    for name, r in rows:
        if not r:
            continue
        if "counts" not in r:
            L.append(f"| {name} | failed: {r.get('error', r.get('timeout'))} |")
            continue
        n = r["counts"]["articles"]
        L.append(f"| {name} | {n:,} | {r['counts']['problems']:,} | {r['mb']:.0f} | "
                 f"{'-' if r['io_cold'] is None else format(r['io_cold'], '.2f')} / {r['io_warm']:.2f} | "
                 f"{r['wall']:.1f} | {r['cpu']:.1f} | {r['cpu'] / r['wall']:.2f} | {n / r['wall']:,.0f} | "
                 f"{r['mb'] / r['wall']:.2f} | {1000 * r['cpu'] / max(n, 1):.2f} | "
                 f"{r['peak'] / 1e6:,.0f} ({r['peak_rss'] / 1e6:,.0f}; {_mb(r.get('peak_anon'))}) | "
                 f"{r['wall'] / r['io_warm']:,.0f}x |")
    for name, r in rows:
        if r and "timings" in r:
            L.append(f"\n{name}, stages (s): " + ", ".join(f"{k} {v:.2f}" for k, v in r["timings"].items())
                     + f"; duplicates found: {r['counts'].get('duplicates', 0):,}; worker CPU s: "
                     + (", ".join(f"{x:.1f}" for x in r.get("workers", [])[:8]) or "none (in-process)")
                     + f"; load average after: {r['load']:.1f}")
    w = inp.get("warc")
    if w and w.get("readers"):
        L += ["", f"WARC readers, iterating {w['mb']:.1f} MB and reading every HTML payload: "
              + ", ".join(f"{k} {v:.3f} s ({w['mb'] / v:.0f} MB/s)" for k, v in w["readers"].items())
              + "; the pipeline reads with FastWARC. A WARC file is read by one worker."]
    lines = inp.get("lines")
    if lines:
        L += ["", "One line without a break (a .txt page; `load_file` + `extract_mentions` in a fresh process, after "
              "the one-time setup every worker pays once, whatever it reads: story index, proposition, lexicon "
              "patterns, timed on a one-sentence page first and shown apart):", "",
              "| line MB | setup s (once) | load s | extract s | total s | mentions | x previous size |",
              "|---:|---:|---:|---:|---:|---:|---:|"]
        prev = None
        for mb, r in lines.items():
            if "total" not in r:
                L.append(f"| {mb:g} | - | - | - | > {r.get('timeout', '?')} (stopped) | - | - |")
                prev = None
                continue
            ratio = f"{r['total'] / prev:.2f}" if prev else "-"
            L.append(f"| {mb:g} | {r.get('setup', float('nan')):.2f} | {r['load']:.2f} | {r['extract']:.2f} | "
                     f"{r['total']:.2f} | {r['mentions']} | {ratio} |")
            prev = r["total"]
    # targets
    big = max(runs, key=lambda r: r["n"]) if runs else None
    if big and big["n"] >= 100_000:
        targets.append(("100k generated articles end to end, cold, <= 60 s", f"{big['wall']:.0f} s wall ({big['n']:,})",
                        _ok(big["wall"] <= 60)))
        targets.append(("peak memory <= 2 GB (100k)", f"{big['peak'] / 1e9:.2f} GB PSS", _ok(big["peak"] <= 2e9)))
    else:
        targets.append(("100k generated articles end to end, cold, <= 60 s; peak <= 2 GB",
                        "not run (add 100000 to --sizes)", "n/a"))
    real = inp.get("real")
    if real and "counts" in real and big:
        mine = 1000 * real["cpu"] / max(real["counts"]["articles"], 1)
        gen = 1000 * big["cpu"] / big["n"]
        text = f"{mine:.2f} ms (FNC-1) vs {gen:.2f} ms (synthetic {big['n']:,}) = {mine / gen:.2f}x"
        ok = mine <= 2 * gen
        start = inp.get("startup", {}).get("cpu")
        if start is not None:  # what every run costs, whatever its size, is not a cost per article
            mine = 1000 * (real["cpu"] - start) / max(real["counts"]["articles"], 1)
            gen = 1000 * (big["cpu"] - start) / big["n"]
            text = (f"{mine:.2f} ms vs {gen:.2f} ms = {mine / gen:.2f}x once the {start:.1f} CPU s every run costs "
                    f"(a run on one of the files) is taken out of both; {text} with it")
            ok = mine <= 2 * gen
        targets.append(("real text: CPU per article within 2x of the generated corpus's (memo caches cold)",
                        text, _ok(ok)))
    if lines:
        one = lines.get(1.0)
        totals = [r.get("total") for r in lines.values()]
        ok1 = None if not one else ("total" in one and one["total"] < 1.0)
        targets.append(("a single 1 MB line processed in under a second",
                        "not measured (no 1 MB size in --line-mb)" if one is None else
                        f"{one['total']:.2f} s (+ {one.get('setup', float('nan')):.2f} s of one-time worker setup)"
                        if "total" in one else "stopped at the time limit", _ok(ok1)))
        if len(totals) > 1:
            ratios = [b / a for a, b in zip(totals, totals[1:]) if a and b]
            sizes = list(lines)
            size_ratio = [b / a for a, b in zip(sizes, sizes[1:])]
            linear = bool(ratios) and len(ratios) == len(size_ratio) and all(r <= 1.25 * s for r, s in zip(ratios, size_ratio))
            targets.append((f"cost linear in input size ({', '.join(f'{x:g}' for x in sizes)} MB)",
                            "time ratios " + ", ".join(f"{r:.2f}" for r in ratios) + " for size ratios "
                            + ", ".join(f"{s:g}" for s in size_ratio), _ok(linear)))
    if rerun:
        targets.append(("re-run after adding one article <= 5 s", f"{rerun['wall']:.1f} s", _ok(rerun["wall"] <= 5)))
    dump = inp.get("dump")
    if dump and "counts" in dump:
        targets.append((f"JSONL dump ({dump['mb']:,.0f} MB): bounded memory <= 2 GB",
                        f"{dump['peak'] / 1e9:.2f} GB PSS ({_mb(dump.get('peak_anon'))} MB of it anonymous)",
                        _ok(dump["peak"] <= 2e9)))
        busy = dump["cpu"] / dump["wall"]
        w = [x for x in dump.get("workers", []) if x >= 1.0][:cores]
        spread = len(w) == cores and min(w) >= 0.8 * max(w)
        targets.append((f"JSONL dump: all {cores} cores busy (the work spread evenly over {cores} workers; "
                        f"CPU / wall >= {0.8 * cores:.1f} on a machine nobody else uses)",
                        f"workers' CPU s: {', '.join(f'{x:.1f}' for x in dump.get('workers', [])[:4]) or '-'}; "
                        f"CPU / wall {busy:.2f} (load average after {dump['load']:.1f})",
                        _ok(busy >= 0.8 * cores) if busy >= 0.8 * cores or not spread
                        else "**not met** as measured; the work was spread evenly over the workers, the machine "
                             "was shared (see the load)"))
    return L, targets


# --------------------------------------------------------------------------------------------------
# Child mode
# --------------------------------------------------------------------------------------------------

def _child_analyze(corpus: str, story: str, out: str, jobs: str) -> dict:
    """The pipeline, with the CPU seconds of each worker process (sampled every 0.5 s): whether the work
    was spread over the cores, whatever else the shared machine was running."""
    import threading

    import psutil

    from helpers import pipeline

    me, seen, stop = psutil.Process(), {}, threading.Event()

    def sample():
        while not stop.is_set():
            for c in me.children(recursive=True):
                try:
                    t = c.cpu_times()
                    seen[c.pid] = t.user + t.system
                except psutil.Error:
                    pass
            stop.wait(0.5)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    res = pipeline.analyze(corpus, story, out=out, jobs=int(jobs), use_cache=False, progress=False)
    stop.set()
    th.join()
    return {"counts": res.counts, "timings": res.timings, "workers": sorted(seen.values(), reverse=True)}


def _child_line(path: str, story: str) -> dict:
    """The long line's load + extraction time, after the one-time setup a worker pays once whatever it reads
    (story index, proposition, lexicon patterns: measured on a one-sentence page first, reported apart)."""
    import tempfile

    from helpers import corpus, extraction, story as story_mod

    st = story_mod.load_story(Path(story))
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.txt"
        small.write_text("A Headline\n\nJanuary 1, 2015\n\nThe minister said on Monday that there were no talks.\n")
        for a in corpus.load_file(small, small.parent)[0]:
            extraction.extract_mentions({**a, "duplicate_of": None}, st)
    setup = time.perf_counter() - t0
    t0 = time.perf_counter()
    arts, _ = corpus.load_file(Path(path), Path(path).parent)
    t1 = time.perf_counter()
    n = sum(len(extraction.extract_mentions({**a, "duplicate_of": None}, st)) for a in arts)
    t2 = time.perf_counter()
    return {"setup": setup, "load": t1 - t0, "extract": t2 - t1, "total": t2 - t0, "mentions": n}


if __name__ == "__main__":
    mode, *rest = sys.argv[1:]
    result = _child_analyze(*rest) if mode == "analyze" else _child_line(*rest)
    print(json.dumps(result, default=float))
