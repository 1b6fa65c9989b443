"""Bad input: every bad file becomes ONE problem row, the rest still loads, and nothing in the folder changes.
Property-based tests throw random bytes, text and JSON-ish files at the loader."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import cleaning, corpus, dates, schemas

GOOD = "Harbour Reopens After Storm\n\nApril 4, 2025\n\nThe harbour reopened on Friday, officials said.\n"


def snapshot(root: Path) -> dict:
    """Bytes and mtimes of everything under root (symlinks not followed)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for f in filenames + dirnames:
            p = Path(dirpath) / f
            st_ = os.lstat(p)
            data = p.read_bytes() if p.is_file() and not p.is_symlink() else None
            out[p.relative_to(root).as_posix()] = (st_.st_mtime_ns, st_.st_size, data)
    return out


def only_problem(tmp_path, name, content, severity="error"):
    p = tmp_path / name
    p.write_bytes(content)
    arts, probs = corpus.load_file(p, tmp_path)
    assert arts == [] and len(probs) == 1, probs
    assert probs[0]["severity"] == severity and probs[0]["source_path"] == name
    return probs[0]["message"]


def test_empty_file(tmp_path):
    assert "empty file" in only_problem(tmp_path, "e.txt", b"")


def test_whitespace_only_file(tmp_path):
    assert "only whitespace" in only_problem(tmp_path, "w.txt", b" \n\t\n ")


def test_binary_file_with_nul_bytes(tmp_path):
    assert "binary" in only_problem(tmp_path, "b.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_undecodable_bytes(tmp_path):
    msg = only_problem(tmp_path, "u.txt", bytes(range(0x80, 0x100)) * 8 + b"\x01\x02\x03" * 20)
    assert "binary" in msg or "not text" in msg


@pytest.mark.parametrize("encoding, name", [("cp1252", "cp1252"), ("latin-1", "latin-1")])
def test_legacy_encodings_are_decoded_with_a_warning(tmp_path, encoding, name):
    text = ("Caf\u00e9 Owners Protest\n\nMay 5, 2025\n\nThe owners of the caf\u00e9 on the pla\u00e7a said the "
            "r\u00e9gime of fees was unfair.")
    if encoding == "cp1252":
        text += " \u201cWe will not pay,\u201d one said \u2014 loudly."
    p = tmp_path / "enc.txt"
    p.write_bytes(text.encode(encoding))
    arts, probs = corpus.load_file(p, tmp_path)
    assert len(arts) == 1 and "caf\u00e9 on the pla\u00e7a" in arts[0]["body"]
    assert [pr["severity"] for pr in probs] == ["warning"] and name in probs[0]["message"]
    if encoding == "cp1252":
        assert "\u201cWe will not pay,\u201d" in arts[0]["body"]


def test_utf16_with_bom_is_decoded(tmp_path):
    p = tmp_path / "u16.txt"
    p.write_bytes(GOOD.encode("utf-16"))
    arts, probs = corpus.load_file(p, tmp_path)
    assert arts[0]["title"] == "Harbour Reopens After Storm" and "UTF-16" in probs[0]["message"]


def test_non_western_single_byte_text_goes_to_charset_normalizer(tmp_path):
    text = "Новости дня: правительство заявило, что переговоры не ведутся и не планируются в этом году. " * 3
    p = tmp_path / "ru.txt"
    p.write_bytes(text.encode("cp1251"))
    arts, probs = corpus.load_file(p, tmp_path)
    assert len(arts) == 1 and "переговоры" in arts[0]["body"]
    assert "charset-normalizer" in probs[0]["message"]


def test_file_above_the_size_limit_is_not_read(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:  # 50 MB sparse file
        f.truncate(50 * 1024 * 1024)

    def no_open(*a, **k):
        raise AssertionError("the loader opened a file above the size limit")

    monkeypatch.setattr(corpus, "open", no_open, raising=False)
    arts, probs = corpus.load_file(big, tmp_path)
    assert arts == [] and len(probs) == 1 and "too large (50.0 MB" in probs[0]["message"]


def test_size_limit_is_a_module_constant(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus, "MAX_FILE_BYTES", 10)
    assert "too large" in only_problem(tmp_path, "g.txt", GOOD.encode())


def test_unreadable_file(tmp_path, monkeypatch):
    p = tmp_path / "locked.txt"
    p.write_text(GOOD)
    real_open = open

    def deny(path, *a, **k):
        if Path(path) == p:
            raise PermissionError(13, "Permission denied")
        return real_open(path, *a, **k)

    monkeypatch.setattr(corpus, "open", deny, raising=False)
    arts, probs = corpus.load_file(p, tmp_path)
    assert arts == [] and "permission denied" in probs[0]["message"]


def test_broken_symlink(tmp_path):
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    assert [p.name for p in corpus.list_files(tmp_path)] == ["dangling.txt"]
    arts, probs = corpus.load_file(tmp_path / "dangling.txt", tmp_path)
    assert arts == [] and "broken symbolic link" in probs[0]["message"]


def test_fifo_is_reported_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    arts, probs = corpus.load_file(tmp_path / "pipe.txt", tmp_path)
    assert arts == [] and "not a regular file" in probs[0]["message"]


def test_unknown_extension_is_a_warning(tmp_path):
    msg = only_problem(tmp_path, "scan.pdf", b"%PDF-1.7", severity="warning")
    assert "unknown file type '.pdf'" in msg and "skipped" in msg


def test_invalid_json_file(tmp_path):
    assert "invalid JSON" in only_problem(tmp_path, "bad.json", b'{"title": "x", "text": ')


def test_deeply_nested_json(tmp_path):
    assert "nested too deeply" in only_problem(tmp_path, "deep.json", b"[" * 100_000 + b"]" * 100_000)


def test_json_without_records(tmp_path):
    assert "no article record" in only_problem(tmp_path, "meta.json", b'{"status": "ok", "total": 0}')


def test_page_with_only_furniture(tmp_path):
    msg = only_problem(tmp_path, "f.txt", b"Advertisement\nFollow us:\nfacebook-white sharing button\nCover Image\n")
    assert "no article text found" in msg


def test_mixed_folder_loads_the_good_and_reports_each_bad_once(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "x.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "feed.jsonl").write_text(json.dumps({"id": "j1", "text": "A line of text."}) + "\n{oops\n")
    (tmp_path / "link.txt").symlink_to(tmp_path / "missing.txt")
    before = snapshot(tmp_path)
    c = corpus.load_corpus(tmp_path)
    assert snapshot(tmp_path) == before
    assert sorted(c.articles["doc_id"]) == ["good", "j1"]
    bad = c.problems[c.problems["source_path"] != "feed.jsonl#1"]  # j1 loads, with a "no date" warning
    assert bad.groupby("source_path").size().to_dict() == {"bin.txt": 1, "empty.txt": 1, "x.docx": 1,
                                                           "feed.jsonl#2": 1, "link.txt": 1}
    assert c.problems.set_index("source_path").loc["feed.jsonl#1", "severity"] == "warning"


# --- property-based ----------------------------------------------------------------------------------

EXTS = ["txt", "md", "html", "json", "jsonl", "dat"]
KEYS = ["title", "maintext", "text", "body", "date_publish", "published", "datePublished", "date", "id",
        "outlet", "source", "source_domain", "url", "headline", "content"]
json_scalars = st.none() | st.booleans() | st.integers(-10**12, 10**13) | st.floats(allow_nan=False) | \
    st.text(max_size=40) | st.sampled_from(["2025-05-02 14:30:00", "May 2, 2025", "2025-05-02T10:00:00+05:30",
                                             "Jan 1, 2026 10:00 IST", "", "Advertisement"])
json_values = st.recursive(json_scalars, lambda kids: st.lists(kids, max_size=3) |
                           st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), kids, max_size=4), max_leaves=12)
records = st.dictionaries(st.sampled_from(KEYS), json_values, max_size=8)
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400) | \
    st.lists(st.sampled_from(["Follow us:", "Advertisement", "Cover Image", "Big Headline Here", "Read More:",
                              "- a linked story", "June 2, 2025 10:00 am (IST)", "| @handle | Jun 1, 2025, at 9:00 pm",
                              "Support our journalism", "Lisbon(Wire)Text starts here.", "A sentence of the article.",
                              "", "a | b c d | e f g | h i j"]), max_size=15).map("\n".join)


def file_contents(ext):
    if ext == "json":
        return st.one_of(records.map(json.dumps), st.lists(records, max_size=3).map(json.dumps),
                         json_values.map(json.dumps), st.binary(max_size=200)).map(lambda s: s if isinstance(s, bytes) else s.encode())
    if ext == "jsonl":
        line = st.one_of(records.map(json.dumps), json_values.map(json.dumps), st.text(max_size=30))
        return st.lists(line, max_size=4).map(lambda ls: "\n".join(ls).encode("utf-8", "replace"))
    if ext == "html":
        return st.one_of(texts.map(lambda t: f"<html><body><article><h1>T</h1><p>{t}</p></article></body></html>".encode()),
                         st.binary(max_size=300))
    return st.one_of(st.binary(max_size=400), texts.map(lambda t: t.encode()),
                     texts.map(lambda t: t.encode("cp1252", "replace")))


folders = st.lists(st.sampled_from(EXTS).flatmap(lambda e: st.tuples(st.just(e), file_contents(e))),
                   min_size=1, max_size=5)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(folders)
def test_loader_never_raises_and_accounts_for_every_file(files):
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        for i, (ext, data) in enumerate(files):
            (root / f"f{i}.{ext}").write_bytes(data)
        before = snapshot(root)
        c = corpus.load_corpus(root)
        assert snapshot(root) == before
        schemas.validate(c.articles, "articles")
        schemas.validate(c.problems, "problems")
        assert c.articles["doc_id"].is_unique
        assert (c.articles["body"].str.strip() != "").all()
        assert not c.problems["message"].str.contains("internal error").any(), c.problems
        for i, (ext, _) in enumerate(files):
            name = f"f{i}.{ext}"
            seen = [s for s in list(c.articles["source_path"]) + list(c.problems["source_path"])
                    if s == name or s.startswith(name + "#")]
            assert seen, f"{name} is neither an article nor a problem"


@settings(max_examples=200, deadline=None)
@given(texts)
def test_parse_page_never_raises_and_keeps_its_promises(text):
    page = cleaning.parse_page(text)
    assert page.published_precision in ("minute", "day", "unknown")
    assert (page.published_at is None) == (page.published_precision == "unknown")
    assert all(r.startswith("[") and "] " in r for r in page.removed)
    if page.title is not None:
        assert page.title.strip() and "\n" not in page.title


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200) |
       st.lists(st.sampled_from(["Jan", "5", ",", " ", "2025", "10:30", "pm", "IST", "(", ")", "May", "12th",
                                 "Monday", "2025-01-02", "T", ":", "+05:30", "at", "\n"]), max_size=20).map("".join))
def test_find_dates_spans_are_exact(text):
    for m in dates.find_dates(text):
        assert text[m.start:m.end] == m.text
        assert 1 <= m.month <= 12 and 1 <= m.day <= 31
        assert m.hour is None or 0 <= m.hour <= 23
        m.to_utc()
