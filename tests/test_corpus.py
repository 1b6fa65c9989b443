"""The loader against hand-made gold (real and demo corpora), every input format, ids and duplicates."""
from __future__ import annotations

import doctest
import json

import pandas as pd
import pytest

from helpers import cleaning, corpus, dates, schemas
from helpers.errors import CorpusError
from helpers.paths import DEMO_CORPUS, GOLD_DIR


def gold_accuracy(corpus_dir, gold_path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Load a corpus and score it against its gold file: (per-check rows, per-field accuracy)."""
    checks = corpus.compare_to_gold(corpus.load_corpus(corpus_dir).articles, gold_path)
    return checks, corpus.accuracy_by_field(checks)


@pytest.mark.parametrize("name", ["cuba-talks", "demo"])
def test_loader_matches_gold(name, request):
    gold = GOLD_DIR / f"{name}-articles.yml"
    if name == "demo":
        root = DEMO_CORPUS
    else:
        root = request.getfixturevalue("real_corpus")
    checks, acc = gold_accuracy(root, gold)
    print(f"\n{name}: per-field accuracy\n{acc.to_string(index=False)}")
    assert len(checks) > 0 and set(acc["field"]) >= {"title", "published_at", "body_keeps", "body_drops"}
    bad = checks[~checks["ok"]]
    assert bad.empty, "\n" + bad.to_string()


def test_real_corpus_tables(real_corpus):
    c = corpus.load_corpus(real_corpus)
    assert len(c.articles) == 4 and c.articles["doc_id"].is_unique
    schemas.validate(c.articles, "articles")
    # exactly one page has no date, and says so; nothing else is wrong with these pages
    assert c.problems[["severity"]].value_counts().to_dict() == {("warning",): 1}
    assert "no publication date" in c.problems["message"].iloc[0]
    for row in c.articles.itertuples():
        removed = row.removed_lines.split("\n") if row.removed_lines else []
        assert len(removed) == row.n_removed_lines
        assert all(r.startswith("[") and "] " in r for r in removed)
        assert row.date_evidence is None or pd.isna(row.date_evidence) or len(row.date_evidence) < 250


def test_gold_accuracy_helper_reports_mistakes():
    arts = pd.DataFrame({"doc_id": ["a"], "title": ["Wrong"], "outlet": [None], "dateline": [None],
                         "published_at": pd.to_datetime([None], utc=True), "published_precision": ["unknown"],
                         "body": ["Share this. Text."]})
    gold = {"articles": [{"doc_id": "a", "title": "Right", "published_at": "2025-01-01", "published_precision": "day",
                          "body_keeps": ["text"], "body_drops": ["Share this"]},
                         {"doc_id": "missing", "title": None}]}
    checks = corpus.compare_to_gold(arts, gold)
    assert checks.set_index(["doc_id", "field"])["ok"].to_dict() == {
        ("a", "title"): False, ("a", "published_at"): False, ("a", "published_precision"): False,
        ("a", "body_keeps"): True, ("a", "body_drops"): False, ("missing", "title"): False}
    acc = corpus.accuracy_by_field(checks).set_index("field")
    assert acc.loc["title", "accuracy"] == 0 and acc.loc["body_keeps", "accuracy"] == 1


# --- formats ----------------------------------------------------------------------------------------

HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Ferry Link Restored | Isle Courier</title>
<meta property="og:site_name" content="Isle Courier">
<meta property="og:title" content="Ferry Link Restored">
<meta property="article:published_time" content="2025-04-06T08:15:00+02:00">
<link rel="canonical" href="https://islecourier.example/2025/04/06/ferry-link"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Ferry Link Restored</h1>
<p>The ferry between the two islands sailed again on Sunday after a storm damaged the pier last week.</p>
<p>Harbour officials said repairs had cost less than feared and that timetables would return to normal.</p>
<p>Advertisement</p>
<p>Travellers queued from early morning, many carrying bicycles and crates of vegetables for the market.</p>
</article><footer>© 2025 Isle Courier</footer></body></html>"""


def load_one(tmp_path, name, content):
    p = tmp_path / name
    p.write_bytes(content.encode() if isinstance(content, str) else content)
    return corpus.load_file(p, tmp_path)


def test_html_uses_trafilatura_metadata_and_precise_meta_time(tmp_path):
    arts, probs = load_one(tmp_path, "page.html", HTML)
    assert probs == [] and len(arts) == 1
    a = arts[0]
    assert (a["doc_id"], a["format"], a["title"], a["outlet"]) == ("page", "html", "Ferry Link Restored", "Isle Courier")
    assert a["published_at"] == pd.Timestamp("2025-04-06 06:15", tz="UTC") and a["published_precision"] == "minute"
    assert "sailed again on Sunday" in a["body"] and "Travellers queued" in a["body"]
    assert "Advertisement" not in a["body"] and "Ferry Link Restored" not in a["body"]


def test_html_without_text_is_an_error(tmp_path):
    arts, probs = load_one(tmp_path, "blank.htm", "<html><head><title>x</title></head><body><nav>Home</nav></body></html>")
    assert arts == [] and probs[0]["severity"] == "error" and "no article text found" in probs[0]["message"]


NEWS_PLEASE = {"title": "Dam Talks Stall", "maintext": "Negotiators left the valley without a deal on Friday.",
               "date_publish": "2025-05-02 14:30:00", "date_download": "2025-06-01 10:00:00",
               "source_domain": "valleypost.example", "url": "https://valleypost.example/a"}


def test_json_single_news_please_record(tmp_path):
    arts, probs = load_one(tmp_path, "rec.json", json.dumps(NEWS_PLEASE))
    a = arts[0]
    assert (a["doc_id"], a["format"], a["outlet"], a["url"]) == ("rec", "json", "valleypost.example", NEWS_PLEASE["url"])
    assert a["published_at"] == pd.Timestamp("2025-05-02 14:30", tz="UTC") and a["published_tz"] == "UTC (assumed)"
    assert [p["severity"] for p in probs] == ["warning"] and "no time zone" in probs[0]["message"]


def test_json_list_and_container_shapes(tmp_path):
    recs = [{"id": "x-1", "text": "First text here.", "published": "2025-05-03T10:00:00Z", "outlet": "Wire"},
            {"body": "Second text, no id.", "datePublished": "May 4, 2025", "source": {"name": "Valley Post"}},
            "not a record",
            {"title": "No text at all"}]
    arts, probs = load_one(tmp_path, "list.json", json.dumps(recs))
    assert [a["doc_id"] for a in arts] == ["x-1", "list-2"]
    assert [a["source_path"] for a in arts] == ["list.json#1", "list.json#2"]
    assert arts[1]["outlet"] == "Valley Post" and arts[1]["published_precision"] == "day"
    errors = {p["source_path"]: p["message"] for p in probs if p["severity"] == "error"}
    assert set(errors) == {"list.json#3", "list.json#4"} and "no article text found" in errors["list.json#4"]
    arts, probs = load_one(tmp_path, "wrapped.json", json.dumps({"status": "ok", "articles": recs[:1]}))
    assert [a["doc_id"] for a in arts] == ["x-1"]


def test_json_epoch_date_and_paragraph_list(tmp_path):
    arts, _ = load_one(tmp_path, "e.json", json.dumps({"content": ["Para one.", "Para two."], "date": 1746093600}))
    assert arts[0]["body"] == "Para one.\n\nPara two."
    assert arts[0]["published_at"] == pd.Timestamp("2025-05-01 10:00", tz="UTC")


def test_jsonl_lines_and_a_broken_line(tmp_path):
    lines = [json.dumps({"id": "a1", "text": "Alpha text.", "published": "2025-05-05T09:00:00+01:00"}),
             "{broken json",
             "",
             json.dumps({"text": "Gamma text.", "published": "2025-05-06"})]
    arts, probs = load_one(tmp_path, "feed.jsonl", "\n".join(lines))
    assert [(a["doc_id"], a["source_path"], a["format"]) for a in arts] == [
        ("a1", "feed.jsonl#1", "jsonl"), ("feed-3", "feed.jsonl#4", "jsonl")]
    assert arts[0]["published_tz"] == "+01:00"
    assert probs == [{"source_path": "feed.jsonl#2", "severity": "error",
                      "message": probs[0]["message"]}] and "line 2: invalid JSON" in probs[0]["message"]


def test_markdown_file(tmp_path):
    arts, probs = load_one(tmp_path, "note.md", "# Valley Floods\n\n_June 1, 2025_\n\nRain fell for [three](x) days.\n")
    assert arts[0]["title"] == "Valley Floods" and arts[0]["format"] == "md"
    assert arts[0]["body"] == "Rain fell for three days." and arts[0]["published_precision"] == "day"


def test_content_hash_is_of_raw_bytes(tmp_path):
    import hashlib

    raw = "Headline Words Here\nBody sentence.".encode()
    arts, _ = load_one(tmp_path, "h.txt", raw)
    assert arts[0]["content_hash"] == hashlib.sha256(raw).hexdigest()


# --- folder, ids, duplicates -----------------------------------------------------------------------

def test_list_files_sorted_recursive_skips_hidden_and_readme(tmp_path):
    for rel in ["b.txt", "a/z.txt", "a/b.txt", ".hidden.txt", ".git/x.txt", "README.md", "a/readme.txt"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    got = [p.relative_to(tmp_path).as_posix() for p in corpus.list_files(tmp_path)]
    assert got == ["a/b.txt", "a/z.txt", "b.txt"]


@pytest.mark.parametrize("setup, msg", [
    (lambda p: p / "nope", "corpus folder not found"),
    (lambda p: (p / "f.txt").write_text("x") and p / "f.txt", "not a folder"),
    (lambda p: (p / "empty").mkdir() or p / "empty", "holds no files"),
])
def test_bad_corpus_folder_raises_one_line_error(tmp_path, setup, msg):
    with pytest.raises(CorpusError) as e:
        corpus.load_corpus(setup(tmp_path))
    assert msg in str(e.value) and "\n" not in str(e.value)


def test_doc_ids_are_made_unique_with_a_warning(tmp_path):
    (tmp_path / "a.txt").write_text("First Headline Here\nOne text.")
    (tmp_path / "a.md").write_text("Second Headline Here\nAnother text.")
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "a.txt").write_text("Third Headline Here\nThird text.")
    c = corpus.load_corpus(tmp_path)
    assert c.articles.set_index("source_path")["doc_id"].to_dict() == {"a.md": "a", "a.txt": "a-2", "s/a.txt": "a-3"}
    assert c.problems["message"].str.contains("already used").sum() == 2


def test_mark_duplicates_points_to_earliest_copy():
    df = pd.DataFrame({
        "doc_id": ["late", "early", "undated", "other", "tie-b", "tie-a"],
        "source_path": ["1", "2", "3", "4", "5", "6"],
        "body": ["He said “no talks”.", "he said \"NO talks\".\n", "He  said ‘no talks’.".replace("‘", "“").replace("’", "”"),
                 "Different text.", "Tie text.", "Tie text."],
        "published_at": pd.to_datetime(["2025-01-03", "2025-01-02", None, "2025-01-01", "2025-01-05", "2025-01-05"], utc=True),
    })
    out = corpus.mark_duplicates(df).set_index("doc_id")["duplicate_of"].to_dict()
    assert out == {"late": "early", "early": None, "undated": "early", "other": None, "tie-b": "tie-a", "tie-a": None}


def test_syndicated_copy_across_formats(tmp_path):
    text = "The council voted to rebuild the harbour wall, the mayor said on Tuesday."
    (tmp_path / "a.txt").write_text("Council Votes on Harbour\n\nMay 3, 2025\n\n" + text)
    (tmp_path / "b.json").write_text(json.dumps({"title": "Harbour Wall", "text": text.upper(), "date": "2025-05-04"}))
    c = corpus.load_corpus(tmp_path)
    assert c.articles.set_index("doc_id")["duplicate_of"].fillna("-").to_dict() == {"a": "-", "b": "a"}


def test_finalize_with_no_articles_gives_valid_empty_tables():
    c = corpus.finalize([], [])
    assert list(c.articles.columns) == schemas.columns("articles") and c.articles.empty and c.problems.empty


@pytest.mark.parametrize("module", [corpus, cleaning, dates])
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0


@pytest.mark.parametrize("module", [corpus, cleaning, dates])
def test_public_functions_have_examples(module):
    import inspect

    for name, fn in inspect.getmembers(module, inspect.isfunction):
        if fn.__module__ == module.__name__ and not name.startswith("_"):
            assert fn.__doc__ and ">>>" in fn.__doc__, f"{module.__name__}.{name} has no example"


def test_mark_duplicates_date_only_copy_counts_at_end_of_its_day():
    df = pd.DataFrame({"doc_id": ["dayonly", "timed", "nextday"], "source_path": ["1", "2", "3"],
                       "body": ["Same words here."] * 3,
                       "published_at": pd.to_datetime(["2025-02-01 00:00", "2025-02-01 21:00", "2025-02-02 00:30"], utc=True),
                       "published_precision": ["day", "minute", "minute"]})
    out = corpus.mark_duplicates(df).set_index("doc_id")["duplicate_of"].to_dict()
    assert out == {"dayonly": "timed", "timed": None, "nextday": "timed"}


def test_loader_on_a_synthetic_corpus_it_was_not_written_against(tmp_path):
    """Cross-check with another engineer's generator (helpers.synth) and its own ground truth."""
    from helpers import synth
    synth.generate(150, tmp_path / "s", seed=11)
    gold_file = tmp_path / "s" / "gold" / "articles.parquet"
    assert gold_file.exists(), "synth wrote no gold/articles.parquet"
    g = pd.read_parquet(gold_file)
    recs = [{k: (list(v) if k in ("body_keeps", "body_drops") else (None if pd.isna(v) else v)) for k, v in r.items()}
            for r in g.to_dict("records")]
    c = corpus.load_corpus(tmp_path / "s" / "corpus")
    acc = corpus.accuracy_by_field(corpus.compare_to_gold(c.articles, {"articles": recs})).set_index("field")
    print(f"\nsynthetic corpus (150 articles): per-field accuracy\n{acc.to_string()}")
    assert (acc["accuracy"] >= 0.97).all(), acc
    # the same groups of syndicated copies (which copy is first can differ on same-day date-only ties)
    def groups(s):
        out = {}
        for d, o in s.items():
            out.setdefault(o if isinstance(o, str) else d, set()).add(d)
        return {frozenset(v) for v in out.values() if len(v) > 1}
    mine = c.articles.set_index("doc_id")["duplicate_of"]
    theirs = g.set_index("doc_id")["duplicate_of"]
    assert groups(mine.where(mine.notna(), None)) == groups(theirs.where(theirs.notna(), None))
