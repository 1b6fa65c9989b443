"""Readers registered by format (helpers.ingest): every reader on its own example, streamed dumps of any
size (bad records, records over the size limit, pieces read in parallel give the same rows), gzip."""
from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from helpers import corpus, ingest, pipeline, schemas
from helpers.paths import DEMO_CORPUS, DEMO_STORY

READERS = {r.format: r for r in ingest.READERS}
STREAMED = [r for r in ingest.READERS if r.streamed]


def _name(reader) -> str:
    return "example" + reader.suffixes[0]


@pytest.mark.parametrize("reader", ingest.READERS, ids=lambda r: r.format)
def test_every_reader_loads_its_example(reader, tmp_path):
    assert isinstance(reader, ingest.Reader)
    p = tmp_path / _name(reader)
    p.write_bytes(reader.example())
    arts, probs = corpus.load_file(p, tmp_path)
    assert len(arts) == 1, probs
    assert arts[0]["format"] == reader.format and "minister said" in arts[0]["body"]
    assert not [x for x in probs if x["severity"] == "error"], probs
    assert set(arts[0]) == {c.name for c in schemas.TABLES["articles"]} - {"duplicate_of", "duplicate_reason"}


@pytest.mark.parametrize("reader", ingest.READERS, ids=lambda r: r.format)
def test_every_suffix_finds_its_reader(reader):
    for s in reader.suffixes:
        assert ingest.reader_for("x" + s.upper()) is reader
        assert corpus.FORMATS[s] == reader.format


# --- one dump per streamed format, with good and bad records ------------------------------------------

GOOD = [{"id": f"r{i}", "title": f"Headline {i}", "text": f"The minister said on Monday that talks number {i} exist.",
         "date": "2026-03-03"} for i in range(6)]


def _write(fmt: str, path: Path, recs: list[dict | str]) -> None:
    """recs: dicts, or a string standing for one broken record in that format."""
    if fmt == "jsonl":
        path.write_text("".join((json.dumps(r) if isinstance(r, dict) else r) + "\n" for r in recs))
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["id", "title", "text", "date"])
        for r in recs:
            w.writerow([r["id"], r["title"], r["text"], r["date"]] if isinstance(r, dict) else ["bad", "x", "", ""])
        path.write_text(buf.getvalue())
    elif fmt == "parquet":
        rows = [r if isinstance(r, dict) else {"id": "bad", "title": "x", "text": None, "date": None} for r in recs]
        pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=2)
    else:
        raise AssertionError(fmt)


# the line / row each record of _write lands on (CSV and JSONL: the header is line 1 for CSV)
FIRST = {"jsonl": 1, "csv": 2, "parquet": 1}
TABLES = ["jsonl", "csv", "parquet"]


@pytest.mark.parametrize("fmt", TABLES)
def test_a_bad_record_is_one_problem_with_its_line_and_the_rest_loads(fmt, tmp_path):
    p = tmp_path / f"dump.{fmt}"
    _write(fmt, p, [GOOD[0], "{broken", GOOD[1]])
    before = p.read_bytes()
    arts, probs = corpus.load_file(p, tmp_path)
    assert [a["doc_id"] for a in arts] == ["r0", "r1"]
    assert [a["source_path"] for a in arts] == [f"dump.{fmt}#{FIRST[fmt]}", f"dump.{fmt}#{FIRST[fmt] + 2}"]
    errors = [x for x in probs if x["severity"] == "error"]
    assert [x["source_path"] for x in errors] == [f"dump.{fmt}#{FIRST[fmt] + 1}"], probs
    assert p.read_bytes() == before


@pytest.mark.parametrize("fmt", TABLES)
def test_the_size_limit_applies_to_one_record_not_the_file(fmt, tmp_path, monkeypatch):
    big = {**GOOD[2], "text": "The minister said talks exist. " * 40}
    p = tmp_path / f"dump.{fmt}"
    _write(fmt, p, [GOOD[0], big, GOOD[1]])
    monkeypatch.setattr(corpus, "MAX_FILE_BYTES", 600)
    assert p.stat().st_size > 600
    arts, probs = corpus.load_file(p, tmp_path)
    assert [a["doc_id"] for a in arts] == ["r0", "r1"]
    errors = [x for x in probs if x["severity"] == "error"]
    assert len(errors) == 1 and "too large" in errors[0]["message"], probs
    assert errors[0]["source_path"] == f"dump.{fmt}#{FIRST[fmt] + 1}"


def test_a_jsonl_line_over_the_limit_is_never_held_in_memory(tmp_path, monkeypatch):
    seen = []
    real = ingest.base.iter_lines

    def spy(*a, **k):
        for item in real(*a, **k):
            seen.append(0 if item[2] is None else len(item[2]))
            yield item

    monkeypatch.setattr(ingest.jsonl, "iter_lines", spy)
    monkeypatch.setattr(corpus, "MAX_FILE_BYTES", 1000)
    p = tmp_path / "d.jsonl"
    p.write_text(json.dumps(GOOD[0]) + "\n" + json.dumps({"text": "x" * 50_000}) + "\n" + json.dumps(GOOD[1]) + "\n")
    arts, probs = corpus.load_file(p, tmp_path)
    assert len(arts) == 2 and max(seen) <= 1001 and "line 2: record too large" in probs[-1]["message"] + probs[0]["message"]


def test_csv_quoted_line_breaks_non_utf8_and_missing_text_column(tmp_path):
    p = tmp_path / "a.csv"
    p.write_bytes('id,text\nq1,"First line.\nSecond line of the minister\'s words."\nq2,Caf\xe9 owners said so.\n'
                  .encode("cp1252"))
    arts, probs = corpus.load_file(p, tmp_path)
    assert [(a["doc_id"], a["source_path"]) for a in arts] == [("q1", "a.csv#2"), ("q2", "a.csv#4")]
    assert "Café" in arts[1]["body"] and any("Windows-1252" in x["message"] for x in probs)
    (tmp_path / "b.csv").write_text("name,age\nx,3\n")
    _, probs = corpus.load_file(tmp_path / "b.csv", tmp_path)
    assert len(probs) == 1 and "no text column" in probs[0]["message"]


def test_field_names_in_any_case_or_spelling_are_read_in_every_format(tmp_path):
    """Exports name their columns "Title", "TEXT", "Date Published", "Source": the same fields as lower case."""
    rec = {"ID": "r1", "Title": "Minister denies talks", "TEXT": "The minister said there are no talks.",
           "Date Published": "2025-01-03", "Source": "Daily Planet", "URL": "https://example.com/a"}
    (tmp_path / "a.jsonl").write_text(json.dumps(rec) + "\n")
    (tmp_path / "b.json").write_text(json.dumps({"items": [rec]}))
    with open(tmp_path / "c.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rec))
        w.writeheader()
        w.writerow(rec)
    pq.write_table(pa.Table.from_pylist([rec]), tmp_path / "d.parquet")
    for name in ("a.jsonl", "b.json", "c.csv", "d.parquet"):
        arts, probs = corpus.load_file(tmp_path / name, tmp_path)
        assert not [p for p in probs if p["severity"] == "error"], (name, probs)
        a = arts[0]
        assert (a["doc_id"], a["title"], a["outlet"], a["url"]) == \
            ("r1", "Minister denies talks", "Daily Planet", "https://example.com/a"), name
        assert "no talks" in a["body"] and str(a["published_at"]).startswith("2025-01-03"), name
    # an exact spelling wins over another case of the same name
    both = {"text": "The right text.", "Text": "The other one."}
    (tmp_path / "e.jsonl").write_text(json.dumps(both) + "\n")
    assert corpus.load_file(tmp_path / "e.jsonl", tmp_path)[0][0]["body"] == "The right text."


@pytest.mark.parametrize("sep", [";", "|", "\t", ","])
def test_a_csv_export_with_another_separator_is_read(sep, tmp_path):
    """Spreadsheets in many languages export CSV with semicolons; the header says which separator it is."""
    p = tmp_path / "export.csv"
    p.write_text(sep.join(["Title", "Text", "Date"]) + "\n"
                 + sep.join(["Talks off", '"The minister said: no talks, none; at all."', "2025-01-02"]) + "\n")
    arts, probs = corpus.load_file(p, tmp_path)
    assert [(a["title"], a["body"]) for a in arts] == [("Talks off", "The minister said: no talks, none; at all.")]
    assert str(arts[0]["published_at"]).startswith("2025-01-02") and not probs


def test_jsonl_gz_reads_like_jsonl_and_a_truncated_stream_keeps_what_loaded(tmp_path):
    plain = tmp_path / "d.jsonl"
    _write("jsonl", plain, GOOD)
    gz = tmp_path / "g.jsonl.gz"
    gz.write_bytes(gzip.compress(plain.read_bytes()))
    a1, _ = corpus.load_file(plain, tmp_path)
    a2, _ = corpus.load_file(gz, tmp_path)
    assert [a["body"] for a in a1] == [a["body"] for a in a2] and a2[0]["format"] == "jsonl"
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(gz.read_bytes()[:-30])
    arts, probs = corpus.load_file(cut, tmp_path)
    assert 0 < len(arts) <= len(GOOD) and probs[-1]["source_path"] == "cut.jsonl.gz"
    assert "rest of the file skipped" in probs[-1]["message"]
    (tmp_path / "not.jsonl.gz").write_bytes(b"plain text, not gzip")
    _, probs = corpus.load_file(tmp_path / "not.jsonl.gz", tmp_path)
    assert len(probs) == 1 and "not a valid gzip file" in probs[0]["message"]


# --- pieces -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", TABLES)
def test_pieces_read_in_any_order_give_the_rows_of_the_whole_file(fmt, tmp_path):
    recs = [*GOOD[:3], "{broken", "", *GOOD[3:]] if fmt == "jsonl" else [*GOOD[:3], "{broken", *GOOD[3:]]
    p = tmp_path / f"dump.{fmt}"
    _write(fmt, p, recs)
    reader = ingest.reader_for(p.name)
    whole = corpus.load_file(p, tmp_path)
    digest, pieces = reader.split(str(p), piece_bytes=1)
    assert len(pieces) >= 3 and digest == pipeline._sha256_file(p)
    got = [corpus.load_file(p, tmp_path, piece) for piece in reversed(pieces)][::-1]
    assert [a for arts, _ in got for a in arts] == whole[0]
    assert [x for _, probs in got for x in probs] == whole[1]


def test_a_parquet_piece_holds_at_least_one_row_group(tmp_path):
    p = tmp_path / "dump.parquet"
    _write("parquet", p, GOOD)  # row groups of two rows
    n_groups = pq.ParquetFile(p).metadata.num_row_groups
    _, pieces = ingest.reader_for(p.name).split(str(p), piece_bytes=0)  # was: an unbound local
    assert [(x.start, x.end) for x in pieces] == [(g, g + 1) for g in range(n_groups)]


def test_small_or_compressed_files_are_not_cut(tmp_path):
    p = tmp_path / "d.jsonl"
    _write("jsonl", p, GOOD)
    assert ingest.reader_for(p.name).split(str(p)) is None
    gz = tmp_path / "d.jsonl.gz"
    gz.write_bytes(gzip.compress(p.read_bytes()))
    assert ingest.reader_for(gz.name).split(str(gz), piece_bytes=1) is None


def _demo_dump(tmp_path: Path, copies: int) -> Path:
    """A JSONL dump of the demo corpus's JSONL records, repeated with new ids."""
    src = [json.loads(line) for line in (DEMO_CORPUS / "010_ce134979333c4b48.jsonl").read_text().splitlines()]
    root = tmp_path / "corpus"
    root.mkdir()
    with open(root / "dump.jsonl", "w") as f:
        for k in range(copies):
            for j, r in enumerate(src):
                f.write(json.dumps({**r, "id": f"d{k}-{j}", "text": f"Report {k}. " + r["text"]}) + "\n")
    return root


def test_pipeline_cuts_a_dump_across_workers_and_gives_the_same_tables(tmp_path, monkeypatch):
    root = _demo_dump(tmp_path, 40)
    one = pipeline.analyze(root, DEMO_STORY, out=tmp_path / "one", jobs=1, use_cache=False, progress=False)
    monkeypatch.setattr(ingest, "PIECE_BYTES", 4096)
    chunks = []
    real = pipeline._process_chunk
    monkeypatch.setattr(pipeline, "_process_chunk", lambda c, *a, **k: chunks.append(c) or real(c, *a, **k))
    cut = pipeline.analyze(root, DEMO_STORY, out=tmp_path / "cut", jobs=1, use_cache=False, progress=False)
    assert len(chunks) > 5 and all(len(c) == 1 and len(c[0]) == 4 for c in chunks)
    for name in pipeline.TABLE_NAMES:
        pd.testing.assert_frame_equal(getattr(one, name), getattr(cut, name), check_dtype=False)
    assert cut.counts["processed"] == 1 and len(cut.articles) == 120


def test_a_cut_dump_is_cached_whole_and_read_back(tmp_path, monkeypatch):
    root = _demo_dump(tmp_path, 20)
    monkeypatch.setattr(ingest, "PIECE_BYTES", 4096)
    kw = dict(jobs=1, progress=False, cache_dir=tmp_path / "cache")
    first = pipeline.analyze(root, DEMO_STORY, out=tmp_path / "a", **kw)
    (tmp_path / "cache").joinpath  # the kept result would short-cut the second run: drop it
    for kept in (tmp_path / "cache").rglob("result-*"):
        import shutil
        shutil.rmtree(kept)
    again = pipeline.analyze(root, DEMO_STORY, out=tmp_path / "b", **kw)
    assert again.counts["cache_hits"] == 1 and again.counts["processed"] == 0
    pd.testing.assert_frame_equal(first.articles, again.articles, check_dtype=False)
    pd.testing.assert_frame_equal(first.mentions, again.mentions, check_dtype=False)


def test_chunks_keep_pieces_alone_and_runs_in_order():
    todo = [(0, "a", None), (1, "b", None), (2, "c", "h", ingest.Piece(0, 9, 1, 0)),
            (2, "c", "h", ingest.Piece(9, 20, 5, 4)), (3, "d", None)]
    assert pipeline._chunks(todo, 1) == [todo[:2], [todo[2]], [todo[3]], [todo[4]]]


# --- WARC ------------------------------------------------------------------------------------------

from helpers.ingest.warc import record  # noqa: E402

PAGE = (b"<html><head><title>Talks Are Off</title>%s</head><body><article><h1>Talks Are Off</h1><p>The minister "
        b"said on Tuesday that no talks exist between the two governments, and that none were planned for the "
        b"rest of the year.</p></article></body></html>")
DATED = PAGE % b"<meta property='article:published_time' content='2026-03-03T10:00:00Z'>"
UNDATED = PAGE % b""


def _warc(gz: bool) -> bytes:
    return b"".join([
        record("urn:warcinfo", b"software: test", "application/warc-fields", kind="warcinfo", gz=gz),
        record("https://a.example/news/1", b"GET / HTTP/1.1\r\n\r\n", "application/http; msgtype=request",
               kind="request", gz=gz),
        record("https://a.example/news/1", DATED, gz=gz),
        record("https://a.example/logo.jpg", b"\xff\xd8\xff", "image/jpeg", gz=gz),
        record("https://a.example/news/2", UNDATED, date="2026-03-05T07:30:00Z", gz=gz),
        record("https://a.example/feed.pdf", b"%PDF-1.4", "application/pdf", gz=gz),
    ])


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_warc_html_responses_become_articles_and_the_rest_is_counted(gz, tmp_path):
    p = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    p.write_bytes(_warc(gz))
    arts, probs = corpus.load_file(p, tmp_path)
    assert [(a["doc_id"], a["source_path"], a["url"], a["format"]) for a in arts] == [
        ("crawl-3", f"{p.name}#3", "https://a.example/news/1", "warc"),
        ("crawl-5", f"{p.name}#5", "https://a.example/news/2", "warc")]
    # the page's own date wins; the crawl time (WARC-Date) only stands in for a missing one, with a warning
    assert arts[0]["published_at"] == pd.Timestamp("2026-03-03 10:00", tz="UTC")
    assert arts[1]["published_at"] == pd.Timestamp("2026-03-05 07:30", tz="UTC")
    assert "WARC-Date" in arts[1]["date_evidence"]
    msgs = {x["source_path"]: x["message"] for x in probs}
    assert "crawl time (WARC-Date)" in msgs[f"{p.name}#5"]
    assert msgs[p.name] == ("skipped 4 records that are not an HTML response "
                            "(warcinfo 1, request 1, response image/jpeg 1, response application/pdf 1)")


def test_warc_bad_input_is_reported_and_what_loaded_is_kept(tmp_path, monkeypatch):
    good = record("https://a.example/1", DATED)
    (tmp_path / "cut.warc").write_bytes(good + record("https://a.example/2", DATED)[:-200])
    arts, probs = corpus.load_file(tmp_path / "cut.warc", tmp_path)
    assert [a["url"] for a in arts] == ["https://a.example/1"]
    assert [(x["source_path"], x["severity"]) for x in probs if "cut short" in x["message"]] == [("cut.warc#2", "error")]
    (tmp_path / "junk.warc").write_bytes(b"this is not an archive\n" * 5)
    arts, probs = corpus.load_file(tmp_path / "junk.warc", tmp_path)
    assert arts == [] and len(probs) == 1 and probs[0]["severity"] == "error", probs
    monkeypatch.setattr(corpus, "MAX_FILE_BYTES", 300)
    (tmp_path / "big.warc").write_bytes(record("https://a.example/big", DATED) + good)
    arts, probs = corpus.load_file(tmp_path / "big.warc", tmp_path)
    assert [x["source_path"] for x in probs if "too large" in x["message"]] == ["big.warc#1", "big.warc#2"]


def test_pool_and_dask_read_the_pieces_of_a_dump_into_the_same_tables(tmp_path, monkeypatch):
    from dask.distributed import LocalCluster  # noqa: F401  (fails early if dask.distributed is missing)

    root = _demo_dump(tmp_path, 30)
    monkeypatch.setattr(ingest, "PIECE_BYTES", 8192)
    kw = dict(use_cache=False, progress=False)
    one = pipeline.analyze(root, DEMO_STORY, out=tmp_path / "one", jobs=1, **kw)
    pool = pipeline.analyze(root, DEMO_STORY, out=tmp_path / "pool", jobs=2, **kw)
    dask = pipeline.analyze(root, DEMO_STORY, out=tmp_path / "dask", jobs=2, engine="dask", **kw)
    for name in pipeline.TABLE_NAMES:
        pd.testing.assert_frame_equal(getattr(one, name), getattr(pool, name), obj=name)
        pd.testing.assert_frame_equal(getattr(one, name), getattr(dask, name), obj=name)
    assert pool.timings["split"] >= 0 and len(one.articles) == 90
