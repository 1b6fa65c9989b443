"""The pipeline's mechanics: output, atomic writes, cache, parallel and Dask engines, CLI.

Most tests run the pipeline over a *stand-in chain* (tiny fake loader/extractor/metrics installed with
monkeypatch) so that they test the plumbing, not the text rules, and can use hundreds of files quickly.
The tests at the end run the real chain on the demo corpus, the real corpus and the CLI.
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import helpers
from helpers import pipeline, schemas
from helpers.errors import CorpusError, StoryError, UserError
from helpers.paths import PROJ_ROOT

# --------------------------------------------------------------------------------------------------
# The stand-in chain. File format: line 1 title, line 2 ISO date (or anything), then body lines.
# A body line "<Name> said|denied <words>" is a statement; "BOOM" makes the extractor raise.
# --------------------------------------------------------------------------------------------------

_STATEMENT = re.compile(r"^(\w+) (said|denied) .*$", re.M)


def _fake_list_files(root):
    root = Path(root)
    if not root.is_dir():
        raise CorpusError(f"corpus folder not found: {root}")
    files = sorted(p for p in root.rglob("*")
                   if not p.is_dir() and not any(x.startswith(".") for x in p.relative_to(root).parts))
    if not files:
        raise CorpusError(f"no files in {root}")
    return files


def _fake_load_file(path, root):
    rel = Path(path).relative_to(root).as_posix()
    if not Path(path).is_file():
        return [], [{"source_path": rel, "severity": "error", "message": "not a regular file"}]
    raw = Path(path).read_bytes()
    text = raw.decode("utf-8", "replace")
    if not text.strip():
        return [], [{"source_path": rel, "severity": "error", "message": "empty file"}]
    lines = text.splitlines() + ["", ""]
    probs = []
    try:
        published, precision = pd.Timestamp(lines[1], tz="UTC"), "day"
    except ValueError:
        published, precision = None, "unknown"
        probs.append({"source_path": rel, "severity": "warning", "message": "no date"})
    row = dict(doc_id=Path(path).stem, source_path=rel, format="txt", title=lines[0], outlet=None,
               dateline=None, url=None, published_at=published, published_precision=precision,
               published_tz=None, date_evidence=lines[1] or None, body="\n".join(lines[2:]).strip(),
               n_removed_lines=0, removed_lines="", content_hash=hashlib.sha256(raw).hexdigest())
    return [row], probs


def _fake_load_story(path):
    log = os.environ.get("FAKE_STORY_LOG")
    if log:
        with open(log, "a") as fh:
            fh.write(f"{os.getpid()}\n")
    text = Path(path).read_text()
    if not text.startswith("name:"):
        raise StoryError(f"{path}: name: missing")
    return types.SimpleNamespace(name=text.split(":", 1)[1].strip(), sides={"Ann": "a", "Bob": "b"})


def _fake_extract(article, story):
    log = os.environ.get("FAKE_EXTRACT_LOG")
    if log:
        with open(log, "a") as fh:
            fh.write(f"{os.getpid()}\n")
    if "BOOM" in article["body"]:
        raise RuntimeError("extractor exploded")
    rows = []
    for m in _STATEMENT.finditer(article["body"]):
        pub = article["published_at"]
        rows.append(dict(
            mention_id=f"{article['doc_id']}:body:{m.start()}", doc_id=article["doc_id"], field="body",
            speaker=m.group(1), speaker_text=m.group(1), side=story.sides.get(m.group(1)),
            stance="claim" if m.group(2) == "said" else "denial", text=m.group(0), quote=None,
            cue=m.group(2), start=m.start(), end=m.end(), said_from=pub, said_to=pub,
            time_basis="published" if pub is not None else "unknown", time_cue=None,
            after_mention_id=None, lag_max=pd.Timedelta("1 day") if "later" in m.group(0) else None))
    return rows


def _fake_mark_duplicates(df, keys=None, canonical_urls=None):
    df = df.copy()
    first: dict[str, str] = {}
    dup = []
    for doc_id, body in zip(df["doc_id"], df["body"]):
        dup.append(first.get(body))
        first.setdefault(body, doc_id)
    df["duplicate_of"] = pd.Series(dup, dtype="str", index=df.index)
    return df


def _fake_build_events(mentions, articles):
    mentions = mentions.copy()
    mentions["event_id"] = [hashlib.sha1(f"{s}|{t}".encode()).hexdigest()[:12]
                            for s, t in zip(mentions["speaker"], mentions["text"])]
    rows = []
    for eid, g in mentions.groupby("event_id", sort=True):
        r = g.iloc[0]
        rows.append(dict(event_id=eid, stance=r.stance, speaker=r.speaker, side=r.side, text=r.text,
                         quote=None, said_from=g["said_from"].max(), said_to=g["said_to"].min(),
                         time_basis=r.time_basis, n_mentions=len(g), n_articles=g["doc_id"].nunique(),
                         first_published_at=g["said_from"].min()))
    return mentions, schemas.conform(rows, "events")


def _fake_pair_latency(events, mentions):
    rows = []
    for c in events[events["stance"] == "claim"].itertuples():
        d = events[(events["stance"] == "denial") & (events["side"] != c.side)].head(1)
        for dd in d.itertuples():
            rows.append(dict(claim_event_id=c.event_id, denial_event_id=dd.event_id, claim_speaker=c.speaker,
                             denial_speaker=dd.speaker, latency_min=pd.Timedelta(0),
                             latency_max=dd.said_to - c.said_from, basis="published", note="fake"))
    return schemas.conform(rows, "latency")


@pytest.fixture
def fake_chain(monkeypatch, tmp_path):
    """Install the stand-in chain as helpers.corpus/story/extraction/metrics (for this test only)."""
    mods = {
        "corpus": dict(list_file_paths=lambda root: [str(p) for p in _fake_list_files(root)],
                       walk=lambda root: ([str(p) for p in _fake_list_files(root)], []), load_file=_fake_load_file,
                       mark_duplicates=_fake_mark_duplicates, body_key=lambda body: body.strip().lower()),
        "story": dict(load_story=_fake_load_story),
        "extraction": dict(extract_mentions=_fake_extract),
        "metrics": dict(build_events=_fake_build_events, pair_latency=_fake_pair_latency),
    }
    for name, attrs in mods.items():
        mod = types.ModuleType(f"helpers.{name}")
        mod.__dict__.update(attrs)
        mod.__file__ = __file__  # the pipeline hashes metrics' source into the corpus fingerprint
        monkeypatch.setitem(sys.modules, f"helpers.{name}", mod)
        monkeypatch.setattr(helpers, name, mod, raising=False)
    log = tmp_path / "story-loads.log"
    monkeypatch.setenv("FAKE_STORY_LOG", str(log))
    monkeypatch.setattr(pipeline, "CACHE_DIR", tmp_path / "cache")  # never the project's cache
    # the stand-ins are not package source: do not let edits to the package invalidate the cache mid-test
    monkeypatch.setattr(pipeline, "_code_digest", lambda: "stand-in chain")
    monkeypatch.setattr(pipeline, "_WORKER_STORIES", {})
    story = tmp_path / "story.yml"
    story.write_text("name: fake-story\n")
    return types.SimpleNamespace(story=story, log=log, cache=tmp_path / "cache")


def _article(i: int) -> str:
    day = 1 + i % 28
    return (f"Title {i}\n2026-01-{day:02d}\nSome words about item {i}.\nAnn said we are talking {i}.\n"
            f"Bob denied any talks {i} hours later.\nMore text {i}.\n")


def _make_corpus(root: Path, n: int, old: bool = True) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        p = root / f"sub{i % 3}" / f"a{i:04d}.txt"
        p.parent.mkdir(exist_ok=True)
        p.write_text(_article(i))
        if old:  # an mtime in the past, so the stat index may trust it
            os.utime(p, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    return root


def _snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _assert_same_tables(a, b):
    for name in pipeline.TABLE_NAMES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)


# --------------------------------------------------------------------------------------------------
# Output and errors
# --------------------------------------------------------------------------------------------------

def test_analyze_writes_five_valid_tables(fake_chain, tmp_path):
    corpus = _make_corpus(tmp_path / "corpus", 12)
    (corpus / "sub0" / "copy.txt").write_text(_article(3))  # a syndicated copy
    out = tmp_path / "out"
    res = pipeline.analyze(corpus, fake_chain.story, out=out, jobs=1, progress=False)
    assert sorted(p.name for p in out.iterdir()) == sorted(pipeline._OUTPUT_FILES)
    assert res.counts["files"] == 13 and res.counts["articles"] == 13 and res.counts["duplicates"] == 1
    assert res.articles.set_index("doc_id").loc["copy", "duplicate_of"] == "a0003"
    assert len(res.mentions) == 26 and set(res.mentions["stance"]) == {"claim", "denial"}
    assert res.mentions["lag_max"].notna().sum() == 13
    assert len(res.events) == 24 and len(res.latency) > 0  # the copy's two statements are the same events
    for name in pipeline.TABLE_NAMES:
        schemas.validate(getattr(res, name), name)
    # rows come in corpus order (the order of list_files), whatever the engine
    assert list(res.articles["source_path"]) == [p.relative_to(corpus).as_posix() for p in _fake_list_files(corpus)]
    back = pipeline.load_tables(out)
    _assert_same_tables(res, back)
    assert back.counts["files"] == 13 and "total" in back.timings


def test_bad_files_are_reported_and_do_not_stop_the_run(fake_chain, tmp_path):
    corpus = _make_corpus(tmp_path / "corpus", 5)
    (corpus / "empty.txt").write_text("")
    (corpus / "boom.txt").write_text("Boom\n2026-01-02\nBOOM\nAnn said x.\n")
    (corpus / "nodate.txt").write_text("No date\nwhenever\nAnn said y.\n")
    res = pipeline.analyze(corpus, fake_chain.story, out=tmp_path / "out", jobs=1, progress=False)
    probs = res.problems.set_index("source_path")
    assert probs.loc["empty.txt", "severity"] == "error"
    assert "extractor exploded" in probs.loc["boom.txt", "message"]
    assert probs.loc["nodate.txt", "severity"] == "warning"
    assert res.counts["articles"] == 7  # every loadable file, including the one the extractor failed on
    assert "boom" not in set(res.mentions["doc_id"]) and "nodate" in set(res.mentions["doc_id"])


def test_same_doc_id_in_two_folders_is_renamed_in_articles_and_mentions(fake_chain, tmp_path):
    corpus = _make_corpus(tmp_path / "corpus", 4)
    (corpus / "sub2" / "a0000.txt").write_text(_article(77))  # same stem as sub0/a0000.txt
    res = pipeline.analyze(corpus, fake_chain.story, out=tmp_path / "out", jobs=1, progress=False)
    assert res.articles["doc_id"].is_unique and "a0000-2" in set(res.articles["doc_id"])
    renamed = res.articles.set_index("doc_id").loc["a0000-2", "source_path"]
    assert renamed == "sub2/a0000.txt"  # the later file in corpus order gets the suffix
    mine = res.mentions[res.mentions["doc_id"] == "a0000-2"]
    assert len(mine) == 2 and mine["mention_id"].str.startswith("a0000-2:body:").all()
    assert "talking 77" in " ".join(mine["text"])
    assert "already used by sub0/a0000.txt" in " ".join(res.problems["message"])


def test_missing_or_empty_corpus_is_a_corpus_error(fake_chain, tmp_path):
    with pytest.raises(CorpusError, match="not found"):
        pipeline.analyze(tmp_path / "nope", fake_chain.story, out=tmp_path / "out")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError):
        pipeline.analyze(tmp_path / "empty", fake_chain.story, out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_story_is_required_except_for_the_demo_corpus(fake_chain, tmp_path):
    corpus = _make_corpus(tmp_path / "corpus", 2)
    with pytest.raises(StoryError, match="--story is required"):
        pipeline.analyze(corpus, None, out=tmp_path / "out")
    with pytest.raises(StoryError, match="not found"):
        pipeline.analyze(corpus, tmp_path / "missing.yml", out=tmp_path / "out")


def test_default_out_is_processed_story_name(fake_chain, tmp_path, monkeypatch):
    corpus = _make_corpus(tmp_path / "corpus", 2)
    monkeypatch.setattr(pipeline, "PROCESSED_DIR", tmp_path / "processed")
    res = pipeline.analyze(corpus, fake_chain.story, jobs=1, progress=False)
    assert res.out == tmp_path / "processed" / "fake-story" and (res.out / "mentions.parquet").is_file()
    fake_chain.story.write_text("name: ../escape\n")
    with pytest.raises(UserError, match="cannot be a folder name"):
        pipeline.analyze(corpus, fake_chain.story, jobs=1, progress=False)


def test_relative_paths_resolve_against_the_current_directory(fake_chain, tmp_path, monkeypatch):
    _make_corpus(tmp_path / "corpus", 2)
    monkeypatch.chdir(tmp_path)
    res = pipeline.analyze("corpus", "story.yml", out="rel-out", jobs=1, progress=False)
    assert res.out == tmp_path / "rel-out" and res.corpus == str(tmp_path / "corpus")


def test_bad_options_are_user_errors(fake_chain, tmp_path):
    corpus = _make_corpus(tmp_path / "corpus", 2)
    with pytest.raises(UserError, match="jobs"):
        pipeline.analyze(corpus, fake_chain.story, out=tmp_path / "o", jobs=-1)
    with pytest.raises(UserError, match="engine"):
        pipeline.analyze(corpus, fake_chain.story, out=tmp_path / "o", engine="spark")


# --------------------------------------------------------------------------------------------------
# Safety: atomic output, corpus untouched, never clobber a foreign folder
# --------------------------------------------------------------------------------------------------

def test_failed_run_leaves_previous_output_untouched(fake_chain, tmp_path, monkeypatch):
    corpus = _make_corpus(tmp_path / "corpus", 6)
    out = tmp_path / "out"
    pipeline.analyze(corpus, fake_chain.story, out=out, jobs=1, progress=False)
    before = _snapshot(out)
    (corpus / "new.txt").write_text(_article(99))

    def broken(*a, **k):
        raise RuntimeError("stage failed")

    monkeypatch.setattr(helpers.metrics, "build_events", broken)
    with pytest.raises(RuntimeError, match="stage failed"):
        pipeline.analyze(corpus, fake_chain.story, out=out, jobs=1, progress=False)
    assert _snapshot(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]  # no temporary left behind


def test_failure_while_writing_keeps_previous_output(fake_chain, tmp_path, monkeypatch):
    corpus = _make_corpus(tmp_path / "corpus", 6)
    out = tmp_path / "out"
    pipeline.analyze(corpus, fake_chain.story, out=out, jobs=1, progress=False)
    before = _snapshot(out)
    real = pd.DataFrame.to_parquet
    written = []

    def flaky(self, path, *a, **k):
        written.append(path)
        if Path(path).name == "events.parquet" and Path(path).parent.name.startswith(".out."):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, path, *a, **k)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", flaky)
    # a full disk is a one-line error naming the output folder (it was an OSError traceback)
    with pytest.raises(UserError, match=r"could not write the output folder .*out: No space left on device") as err:
        pipeline.analyze(corpus, fake_chain.story, out=out, jobs=1, progress=False, use_cache=False)
    assert "\n" not in str(err.value)
    assert any(Path(p).name == "events.parquet" for p in written)
    assert _snapshot(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]


def test_corpus_folder_is_never_written(fake_chain, tmp_path):
    corpus = _make_corpus(tmp_path / "corpus", 8)
    before = _snapshot(corpus)
    pipeline.analyze(corpus, fake_chain.story, out=tmp_path / "out", jobs=1, progress=False)
    pipeline.analyze(corpus, fake_chain.story, out=tmp_path / "out", jobs=1, progress=False)
    assert _snapshot(corpus) == before
    with pytest.raises(UserError, match="inside the corpus"):
        pipeline.analyze(corpus, fake_chain.story, out=corpus / "out")
    with pytest.raises(UserError, match="inside the corpus"):
        pipeline.analyze(corpus, fake_chain.story, out=tmp_path / "o2", cache_dir=corpus / "cache")
    assert _snapshot(corpus) == before


def test_refuses_to_replace_a_folder_it_did_not_write(fake_chain, tmp_path):
    corpus = _make_corpus(tmp_path / "corpus", 2)
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.docx").write_text("do not delete")
    with pytest.raises(UserError, match="refusing to replace"):
        pipeline.analyze(corpus, fake_chain.story, out=precious, jobs=1)
    assert (precious / "thesis.docx").read_text() == "do not delete"
    with pytest.raises(UserError, match="contains the corpus"):
        pipeline.analyze(corpus, fake_chain.story, out=tmp_path, jobs=1)


# --------------------------------------------------------------------------------------------------
# Cache
# --------------------------------------------------------------------------------------------------

def test_cache_reprocesses_only_new_or_changed_files(fake_chain, tmp_path, monkeypatch):
    corpus = _make_corpus(tmp_path / "corpus", 20)
    run = lambda **k: pipeline.analyze(corpus, fake_chain.story, out=tmp_path / "out", jobs=1,  # noqa: E731
                                       progress=False, **k)
    first = run()
    assert (first.counts["processed"], first.counts["cache_hits"]) == (20, 0)
    second = run()
    assert (second.counts["processed"], second.counts["cache_hits"]) == (0, 20)
    _assert_same_tables(first, second)

    (corpus / "sub1" / "added.txt").write_text(_article(500))
    third = run()
    assert (third.counts["processed"], third.counts["cache_hits"]) == (1, 20)
    _assert_same_tables(third, run(use_cache=False))

    changed = corpus / "sub0" / "a0003.txt"
    changed.write_text(_article(3).replace("Ann said", "Bob said"))
    fourth = run()
    assert (fourth.counts["processed"], fourth.counts["cache_hits"]) == (1, 20)
    assert "Bob said we are talking 3." in set(fourth.mentions["text"])
    _assert_same_tables(fourth, run(use_cache=False))

    changed.unlink()
    fifth = run()
    assert (fifth.counts["processed"], fifth.counts["articles"]) == (0, 20)


def test_an_unchanged_corpus_reuses_the_last_tables(fake_chain, tmp_path, monkeypatch):
    corpus = _make_corpus(tmp_path / "corpus", 6)
    run = lambda: pipeline.analyze(corpus, fake_chain.story, out=tmp_path / "out", jobs=1,  # noqa: E731
                                   progress=False)
    first = run()
    calls = []
    monkeypatch.setattr(sys.modules["helpers.metrics"], "build_events",
                        lambda *a: calls.append(1) or _fake_build_events(*a))
    second = run()
    assert "reuse" in second.timings and calls == [] and second.counts["cache_hits"] == 6
    _assert_same_tables(first, second)
    _assert_same_tables(second, pipeline.load_tables(tmp_path / "out"))
    # one changed byte: recomputed (the file from the per-file cache, the corpus-wide tables anew)
    (corpus / "sub0" / "a0001.txt").write_text(_article(1).replace("Ann said", "Bob said"))
    third = run()
    assert "reuse" not in third.timings and calls == [1] and third.counts["processed"] == 1
    # a damaged kept result is ignored with a warning, and replaced
    for kept in fake_chain.cache.glob("*/result-*"):
        (kept / "mentions.parquet").write_bytes(b"not parquet")
    with pytest.warns(UserWarning, match="unreadable kept result"):
        fourth = run()
    assert "reuse" not in fourth.timings
    _assert_same_tables(third, fourth)
    assert "reuse" in run().timings


def test_broken_links_and_pipes_are_reported_never_hashed_nor_cached(fake_chain, tmp_path):
    import signal

    corpus = _make_corpus(tmp_path / "corpus", 3)
    (corpus / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(corpus / "pipe.txt")  # reading it would block: the pipeline must not try
    signal.alarm(120)
    try:
        runs = [pipeline.analyze(corpus, fake_chain.story, out=tmp_path / "out", jobs=1, progress=False)
                for _ in range(2)]
    finally:
        signal.alarm(0)
    assert set(runs[1].problems["source_path"]) == {"gone.txt", "pipe.txt"}
    assert (runs[1].counts["processed"], runs[1].counts["cache_hits"]) == (2, 3)
    _assert_same_tables(*runs)


def test_unchanged_files_are_not_rehashed(fake_chain, tmp_path, monkeypatch):
    corpus = _make_corpus(tmp_path / "corpus", 10)
    pipeline.analyze(corpus, fake_chain.story, out=tmp_path / "out", jobs=1, progress=False)
    hashed = []
    real = pipeline._sha256_file
    monkeypatch.setattr(pipeline, "_sha256_file", lambda p: hashed.append(Path(p)) or real(p))
    touched = corpus / "sub0" / "a0000.txt"
    os.utime(touched, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))  # same bytes, new mtime
    res = pipeline.analyze(corpus, fake_chain.story, out=tmp_path / "out", jobs=1, progress=False)
    assert [p for p in hashed if corpus in p.parents] == [touched]
    assert res.counts["processed"] == 0


def test_cache_survives_compaction_and_a_corrupt_shard(fake_chain, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "MAX_SHARDS", 2)
    corpus = _make_corpus(tmp_path / "corpus", 6)
    out = tmp_path / "out"
    for i in range(4):
        (corpus / f"extra{i}.txt").write_text(_article(100 + i))
        res = pipeline.analyze(corpus, fake_chain.story, out=out, jobs=1, progress=False)
        assert res.counts["processed"] == (7 if i == 0 else 1)
    shards = list(fake_chain.cache.glob("*/shard-*"))
    assert 1 <= len(shards) <= 3
    for shard in shards:
        (shard / "articles.arrow").write_bytes(b"not an Arrow file")
    for kept in fake_chain.cache.glob("*/result-*"):  # else the unchanged corpus reuses the last result
        shutil.rmtree(kept)
    with pytest.warns(UserWarning, match="unreadable cache shard"):
        again = pipeline.analyze(corpus, fake_chain.story, out=out, jobs=1, progress=False)
    assert again.counts["processed"] == 10
    _assert_same_tables(again, pipeline.analyze(corpus, fake_chain.story, out=out, jobs=1,
                                                progress=False, use_cache=False))


def test_a_run_that_checkpointed_leaves_one_shard_in_corpus_order(fake_chain, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "CHECKPOINT_SECONDS", 0.0)  # a shard after every chunk
    monkeypatch.setattr(pipeline, "CHUNK_SIZE", 2)
    corpus = _make_corpus(tmp_path / "corpus", 9)
    out = tmp_path / "out"
    cold = pipeline.analyze(corpus, fake_chain.story, out=out, jobs=1, progress=False)
    shards = list(fake_chain.cache.glob("*/shard-*"))
    assert cold.counts["processed"] == 9 and len(shards) == 1
    order = pipeline._read_arrow(shards[0] / "articles.arrow")["source_path"].to_pylist()
    assert order == sorted(order)
    (corpus / "zz-extra.txt").write_text(_article(200))
    again = pipeline.analyze(corpus, fake_chain.story, out=out, jobs=1, progress=False)
    assert again.counts["processed"] == 1 and len(list(fake_chain.cache.glob("*/shard-*"))) == 2
    _assert_same_tables(again, pipeline.analyze(corpus, fake_chain.story, out=out, jobs=1,
                                                progress=False, use_cache=False))


def test_a_new_story_file_invalidates_the_cache_and_old_versions_are_pruned(fake_chain, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "KEEP_NAMESPACES", 2)
    corpus = _make_corpus(tmp_path / "corpus", 4)
    for version in range(4):
        fake_chain.story.write_text(f"name: fake-story\n# version {version}\n")
        res = pipeline.analyze(corpus, fake_chain.story, out=tmp_path / "out", jobs=1, progress=False)
        assert res.counts["processed"] == 4
    assert len([p for p in fake_chain.cache.iterdir() if p.is_dir()]) == 2
    again = pipeline.analyze(corpus, fake_chain.story, out=tmp_path / "out", jobs=1, progress=False)
    assert again.counts["processed"] == 0


# --------------------------------------------------------------------------------------------------
# Parallel and Dask engines
# --------------------------------------------------------------------------------------------------

def test_jobs_2_gives_the_same_tables_as_jobs_1(fake_chain, tmp_path, monkeypatch):
    corpus = _make_corpus(tmp_path / "corpus", 300)
    (corpus / "empty.txt").write_text("")
    one = pipeline.analyze(corpus, fake_chain.story, out=tmp_path / "o1", jobs=1, use_cache=False,
                           progress=False)
    fake_chain.log.unlink()
    monkeypatch.setattr(pipeline, "_WORKER_STORIES", {})
    monkeypatch.setenv("FAKE_EXTRACT_LOG", str(tmp_path / "extract.log"))
    two = pipeline.analyze(corpus, fake_chain.story, out=tmp_path / "o2", jobs=2, use_cache=False,
                           progress=False)
    _assert_same_tables(one, two)
    loads = fake_chain.log.read_text().split()
    assert len(loads) == len(set(loads)) == 3  # main + 2 workers: the story is loaded once in each
    workers = set((tmp_path / "extract.log").read_text().split())
    assert len(workers) == 2 and str(os.getpid()) not in workers and workers <= set(loads)


def test_progress_bar_on_long_runs_only(fake_chain, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(pipeline, "PROGRESS_DELAY", 0, raising=False)  # a run "longer than the delay", however few files
    corpus = _make_corpus(tmp_path / "corpus", 20)
    pipeline.analyze(corpus, fake_chain.story, out=tmp_path / "o", jobs=1, use_cache=False, progress=True)
    assert "analyze" in capsys.readouterr().err
    pipeline.analyze(corpus, fake_chain.story, out=tmp_path / "o", jobs=1, use_cache=False, progress=False)
    assert capsys.readouterr().err == ""


def test_dask_engine_gives_the_same_tables(fake_chain, tmp_path):
    from dask.distributed import LocalCluster

    corpus = _make_corpus(tmp_path / "corpus", 40)
    local = pipeline.analyze(corpus, fake_chain.story, out=tmp_path / "o1", jobs=1, use_cache=False,
                             progress=False)
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        dask = pipeline.analyze(corpus, fake_chain.story, out=tmp_path / "o2", jobs=2, engine="dask",
                                scheduler=cluster.scheduler_address, use_cache=False, progress=False)
    _assert_same_tables(local, dask)
    assert dask.counts["engine"] == "dask"


# --------------------------------------------------------------------------------------------------
# Summary and load_tables
# --------------------------------------------------------------------------------------------------

def test_summary_reports_counts_problems_and_output(fake_chain, tmp_path):
    corpus = _make_corpus(tmp_path / "corpus", 4)
    (corpus / "empty.txt").write_text("")
    res = pipeline.analyze(corpus, fake_chain.story, out=tmp_path / "out", jobs=1, progress=False)
    text = pipeline.summary(res)
    assert "articles:  4 (0 duplicates)" in text
    assert "problems:  1 (1 errors, 0 warnings)" in text and "empty.txt: empty file" in text
    assert "mentions:  8 (claim 4, denial 4, other 0)" in text
    assert f"output:    {tmp_path / 'out'}" in text and "5 files processed" in text
    assert pipeline.summary(pipeline.load_tables(tmp_path / "out")) .splitlines()[:7] == text.splitlines()[:7]


def test_load_tables_trusts_only_the_bytes_it_wrote(fake_chain, tmp_path, monkeypatch):
    corpus = _make_corpus(tmp_path / "corpus", 4)
    res = pipeline.analyze(corpus, fake_chain.story, out=tmp_path / "out", jobs=1, progress=False)
    calls = []
    real_validate = schemas.validate
    monkeypatch.setattr(schemas, "validate", lambda df, name: calls.append(name) or real_validate(df, name))
    _assert_same_tables(res, pipeline.load_tables(tmp_path / "out"))
    assert calls == []  # untouched since analyze validated and wrote them
    # a table changed after the run is validated again, and a bad value is caught
    bad = res.mentions.copy()
    bad.loc[0, "stance"] = "maybe"
    bad.to_parquet(tmp_path / "out" / "mentions.parquet", index=False)
    with pytest.raises(Exception, match="maybe|isin"):
        pipeline.load_tables(tmp_path / "out")
    assert calls == ["mentions"]


def test_load_tables_on_a_missing_folder_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="run `python -m helpers analyze"):
        pipeline.load_tables(tmp_path / "nothing")


# --------------------------------------------------------------------------------------------------
# The real chain and the command line
# --------------------------------------------------------------------------------------------------

def _cli(*args, cwd=PROJ_ROOT):
    return subprocess.run([sys.executable, "-m", "helpers", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600)


def test_cli_output_into_a_closed_pipe_is_not_an_error(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "helpers", "analyze", "data/demo", "--out", str(tmp_path / "out"),
                             "--quiet"], cwd=PROJ_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # like `| head -0`: the reader is gone before the summary is printed
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=600) == 0 and "Traceback" not in err and "BrokenPipe" not in err, err
    assert (tmp_path / "out" / "mentions.parquet").is_file()


def test_cli_synth_says_what_it_wrote(tmp_path):
    r = _cli("synth", "3", str(tmp_path / "s"))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("wrote 3 articles in ") and f"story:  {tmp_path / 's' / 'story.yml'}" in r.stdout


def test_cli_missing_corpus_exits_2_with_one_line(tmp_path):
    r = _cli("analyze", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "not found" in r.stderr
    assert not (tmp_path / "out").exists()


def _need_real_chain():
    import helpers.corpus, helpers.extraction, helpers.metrics, helpers.story  # noqa: F401  (fail loudly if absent)


def test_cli_end_to_end_on_the_demo_corpus(tmp_path, demo_corpus, demo_story):
    _need_real_chain()
    r = _cli("analyze", "data/demo", "--story", "data/stories/demo.yml", "--out", str(tmp_path / "tmp"),
             "--quiet")
    assert r.returncode == 0, r.stderr
    assert "articles:" in r.stdout and "latency:" in r.stdout
    res = pipeline.load_tables(tmp_path / "tmp")
    assert len(res.articles) >= 1 and len(res.mentions) >= 1


def test_real_chain_jobs_and_cache_give_identical_tables(tmp_path, demo_corpus, demo_story, monkeypatch):
    _need_real_chain()
    monkeypatch.setattr(pipeline, "MIN_PARALLEL", 0)  # use the pool even on a small corpus
    kw = dict(cache_dir=tmp_path / "cache", progress=False)
    one = pipeline.analyze(demo_corpus, demo_story, out=tmp_path / "o1", jobs=1, use_cache=False, **kw)
    two = pipeline.analyze(demo_corpus, demo_story, out=tmp_path / "o2", jobs=2, **kw)
    cached = pipeline.analyze(demo_corpus, demo_story, out=tmp_path / "o3", jobs=2, **kw)
    assert cached.counts["processed"] == 0
    _assert_same_tables(one, two)
    _assert_same_tables(one, cached)


def test_real_corpus_is_analyzed_and_left_untouched(tmp_path, real_corpus, real_story):
    _need_real_chain()
    before = _snapshot(real_corpus)
    res = pipeline.analyze(real_corpus, real_story, out=tmp_path / "out", jobs=1, progress=False,
                           cache_dir=tmp_path / "cache")
    assert res.counts["files"] == 4 and len(res.articles) == 4
    assert _snapshot(real_corpus) == before


def test_bodies_wait_on_disk_and_come_back_in_place(tmp_path):
    """The main process keeps no body of a processed part in memory: each goes to an Arrow file as the
    part arrives and comes back, memory-mapped, in its column, for any order of parts and across a
    file closed half-way (a checkpoint)."""
    def part(i: int, n: int) -> dict:
        rows = [{"doc_id": f"d{i}-{k}", "body": f"body {i}-{k} " + "x" * k, "n_removed_lines": 0, pipeline._ART: k}
                for k in range(n)]
        return {"articles": pipeline._frame(rows, "articles")}

    bodies = pipeline._Bodies(tmp_path / "bodies")
    parts = [part(0, 3), part(1, 0), part(2, 2)]
    want = {p["articles"]["doc_id"].iloc[k]: p["articles"]["body"].iloc[k]
            for p in parts for k in range(len(p["articles"]))}
    columns = list(parts[0]["articles"].columns)
    for p in parts[:2]:
        bodies.take(p)
    assert "body" not in parts[0]["articles"] and "body" in parts[1]["articles"]  # an empty part keeps its frame
    first = bodies.put_back(pipeline._concat([parts[0]["articles"]], "articles"), parts[:1])  # closes file 0
    bodies.take(parts[2])  # goes to a new file
    both = [parts[2], parts[0]]
    back = bodies.put_back(pipeline._concat([p["articles"] for p in both], "articles"), both)
    assert len(bodies.files) == 2
    assert list(back.columns) == columns == list(first.columns)
    assert back["body"].dtype == parts[1]["articles"]["body"].dtype
    assert dict(zip(back["doc_id"], back["body"])) == {d: want[d] for d in back["doc_id"]}
    assert len(back) == 5 and first["body"].tolist() == [want[d] for d in first["doc_id"]]
    bodies.close()
    assert not (tmp_path / "bodies").exists() and back["body"].str.len().sum() > 0  # still readable, mapped


def test_a_run_leaves_no_body_file_behind(fake_chain, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "CHECKPOINT_SECONDS", 0.0)
    monkeypatch.setattr(pipeline, "CHUNK_SIZE", 2)
    corpus = _make_corpus(tmp_path / "corpus", 5)
    out = tmp_path / "out"
    res = pipeline.analyze(corpus, fake_chain.story, out=out, jobs=1, progress=False)
    assert sorted(p.name for p in out.iterdir()) == sorted(pipeline._OUTPUT_FILES)
    assert not list(out.parent.glob(".out.*")) and not list(fake_chain.cache.rglob("*bodies-*"))
    _assert_same_tables(res, pipeline.analyze(corpus, fake_chain.story, out=tmp_path / "out2", jobs=1,
                                              progress=False, use_cache=False))


def test_no_room_for_the_bodies_is_a_clear_error(fake_chain, tmp_path, monkeypatch):
    corpus = _make_corpus(tmp_path / "corpus", 3)
    out = tmp_path / "out"
    first = pipeline.analyze(corpus, fake_chain.story, out=out, jobs=1, progress=False, use_cache=False)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pipeline.pa.ipc, "new_file", full)
    (corpus / "new.txt").write_text(_article(300))
    with pytest.raises(pipeline.UserError, match="could not write the article bodies.*No space left"):
        pipeline.analyze(corpus, fake_chain.story, out=out, jobs=1, progress=False, use_cache=False)
    _assert_same_tables(first, pipeline.load_tables(out))  # the previous output is untouched
    assert not list(tmp_path.glob(".out.*"))  # no staging folder left behind


def test_a_cache_write_that_fails_in_its_thread_is_a_warning(fake_chain, tmp_path, monkeypatch):
    corpus = _make_corpus(tmp_path / "corpus", 3)

    def broken(self, tables):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(pipeline._Cache, "_write_shard", broken)
    with pytest.warns(UserWarning, match="could not write a cache shard: disk on fire"):
        res = pipeline.analyze(corpus, fake_chain.story, out=tmp_path / "out", jobs=1, progress=False)
    assert "cache_write_wait" in res.timings and not list(fake_chain.cache.glob("*/shard-*"))
    _assert_same_tables(res, pipeline.load_tables(tmp_path / "out"))


def test_new_files_among_cached_ones_take_their_place_in_corpus_order(fake_chain, tmp_path):
    corpus = _make_corpus(tmp_path / "corpus", 6)
    out = tmp_path / "out"
    pipeline.analyze(corpus, fake_chain.story, out=out, jobs=1, progress=False)
    (corpus / "aa-first.txt").write_text(_article(300))  # sorts before every cached file
    (corpus / "sub1" / "a0002b.txt").write_text(_article(301))  # and one among them
    again = pipeline.analyze(corpus, fake_chain.story, out=out, jobs=1, progress=False)
    assert again.counts["processed"] == 2
    _assert_same_tables(again, pipeline.analyze(corpus, fake_chain.story, out=tmp_path / "o2", jobs=1,
                                                progress=False, use_cache=False))


def test_take_runs_is_take():
    t = pa.table({"x": list(range(10)), "s": [f"v{i}" for i in range(10)]})
    rng = np.random.default_rng(0)
    for order in (np.r_[7:10, 0:7], np.r_[0:3, 9, 3:9], rng.permutation(10)):
        for runs in (256, 2):  # slices, or (too many runs) one take
            assert pipeline._take_runs(t, order, max_runs=runs).equals(t.take(order))
