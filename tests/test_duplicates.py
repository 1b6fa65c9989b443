"""Duplicates that syndication makes: canonical URLs (courlan + AMP folding) and near-duplicate bodies
(MinHash/LSH from datasketch), flagged with ``duplicate_of`` and ``duplicate_reason``."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from helpers import corpus, schemas
from helpers.ingest import duplicates

# fictional wire story (the demo corpus's invented countries)
WIRE = ("Valdorian Foreign Minister Petra Kessel said on Tuesday that no talks with Drevania had taken place "
        "over the disputed river basin, rejecting reports that envoys met in Lisk last week.\n"
        "Kessel told reporters in Port Selm that the government had received no proposal from Drevanian "
        "officials and would not comment on what she called rumours spread by opposition newspapers.\n"
        "The dispute over water rights has strained relations between the neighbours since the dam at "
        "Greyhollow began filling in January, cutting the flow downstream by nearly a third.\n"
        "Drevanian President Ilsabet Moranth said on Monday that her envoys had met Valdorian hydrologists "
        "and that a framework for formal negotiations was close to being agreed.\n"
        "Analysts in both capitals said the conflicting accounts suggested that any contacts so far had been "
        "technical rather than political, and that neither side wanted to be seen making concessions.")


def _frame(rows):
    """rows: (doc_id, body, published, url)."""
    return pd.DataFrame({"doc_id": [r[0] for r in rows], "body": [r[1] for r in rows],
                         "published_at": pd.to_datetime([r[2] for r in rows], utc=True),
                         "url": [r[3] for r in rows], "source_path": [r[0] + ".txt" for r in rows]})


def _marks(df):
    out = corpus.mark_duplicates(df).set_index("doc_id")
    return {d: (o, r) for d, o, r in zip(out.index, out["duplicate_of"], out["duplicate_reason"]) if o is not None}


@pytest.mark.parametrize("url, canon", [
    ("https://news.example/2026/03/talks/amp", "https://news.example/2026/03/talks"),
    ("https://news.example/amp/2026/03/talks/", "https://news.example/2026/03/talks"),
    ("https://amp.news.example/2026/03/talks.amp.html", "https://news.example/2026/03/talks.html"),
    ("http://www.News.Example/2026/03/talks/?utm_source=tw&utm_medium=social&fbclid=abc#comments",
     "https://news.example/2026/03/talks"),
    ("https://news.example/2026/03/talks?amp=1&page=2", "https://news.example/2026/03/talks?page=2"),
    ("https://news.example/", None), ("mailto:desk@news.example", None), (None, None), ("", None),
])
def test_canonical_url(url, canon):
    assert duplicates.canonical_url(url) == canon


def test_different_articles_keep_different_urls():
    a = duplicates.canonical_url("https://news.example/2026/03/talks?id=1")
    assert a != duplicates.canonical_url("https://news.example/2026/03/talks?id=2")
    assert a != duplicates.canonical_url("https://other.example/2026/03/talks?id=1")


def test_an_amp_copy_at_a_second_url_is_a_duplicate():
    df = _frame([("orig", WIRE, "2026-03-03 10:00", "https://news.example/2026/03/talks"),
                 ("amp", "Short AMP rendering of the page.", "2026-03-03 11:00",
                  "https://news.example/2026/03/talks/amp/?utm_source=twitter")])
    assert _marks(df) == {"amp": ("orig", "same_url")}


def test_canonical_urls_given_by_the_pipeline_give_the_same_marks():
    urls = ["https://news.example/2026/03/talks", "https://news.example/2026/03/talks/amp/?utm_source=x", None,
            "https://other.example/a"]
    bodies = ["One text about talks.", "Another rendering.", "A third.", "A fourth one."]
    keys = [duplicates.body_key(b) for b in bodies]
    rank = np.arange(4)
    computed = duplicates.find_duplicates(list("abcd"), bodies, keys, urls, rank)
    given = [duplicates.canonical_url(u) for u in urls]
    given[2] = float("nan")  # a missing value, as a str column of pandas gives it
    assert duplicates.find_duplicates(list("abcd"), bodies, keys, urls, rank, canonical=given) == computed
    assert computed == ([None, "a", None, None], [None, "same_url", None, None])


def test_wire_copies_with_changed_edges_are_near_duplicates():
    paras = WIRE.split("\n")
    copies = [
        ("wire", WIRE, "2026-03-03 09:00"),
        # another first line
        ("first", "\n".join(["PORT SELM, Valdoria: Talks? What talks, asks the foreign minister.", *paras[1:]]), "2026-03-03 12:00"),
        # another byline and a trailing "Read more" list
        ("byline", "\n".join(["By Sam Poe, Kestrel News Service, with reporting from the Greyhollow dam site.", *paras,
                               "Read more: Dam levels fall again as the dry season begins in the upper valley."]), "2026-03-04 08:00"),
    ]
    df = _frame([(d, b, t, None) for d, b, t in copies])
    assert _marks(df) == {"first": ("wire", "near_body"), "byline": ("wire", "near_body")}


def test_a_different_article_on_the_same_story_is_not_a_duplicate():
    other = ("Drevanian President Ilsabet Moranth said on Monday that her envoys had met Valdorian hydrologists "
             "and that a framework for formal negotiations was close to being agreed.\n"
             "Speaking at a rally in the northern city of Varn, Moranth thanked farmers for their patience and "
             "promised that the reservoir would be managed fairly, whatever the outcome of the talks.\n"
             "Her opponents accused her of inventing progress to distract from rising food prices, and "
             "called on parliament to publish the minutes of every meeting with Valdorian officials.")
    df = _frame([("wire", WIRE, "2026-03-03", None), ("other", other, "2026-03-03", None)])
    assert _marks(df) == {}


def test_short_bodies_are_never_near_duplicates():
    df = _frame([("a", "The minister said no talks exist.", "2026-03-03", None),
                 ("b", "The minister said no talks exist at all.", "2026-03-04", None)])
    assert _marks(df) == {}


def test_the_copy_points_to_the_earliest_and_undated_copies_come_last():
    body2 = WIRE.replace("Tuesday", "Wednesday", 1)
    df = _frame([("late", WIRE, "2026-03-05", None), ("undated", body2, None, None), ("early", body2, "2026-03-02", None)])
    assert _marks(df) == {"late": ("early", "near_body"), "undated": ("early", "same_body")}


def test_candidates_come_from_lsh_buckets_not_from_all_pairs(monkeypatch):
    rng = np.random.default_rng(7)
    vocab = [f"word{i}" for i in range(5000)]
    bodies = [" ".join(rng.choice(vocab, 120)) + "." for _ in range(300)]
    checks = []
    real = np.intersect1d
    monkeypatch.setattr(duplicates.np, "intersect1d", lambda *a, **k: checks.append(1) or real(*a, **k))
    df = _frame([(f"d{i}", b, "2026-03-03", None) for i, b in enumerate(bodies)])
    assert _marks(df) == {}
    assert len(checks) < 30  # all pairs would be 44,850 checks


def test_reason_column_is_in_the_schema():
    col = next(c for c in schemas.TABLES["articles"] if c.name == "duplicate_reason")
    assert col.nullable and set(col.allowed) == set(duplicates.REASONS)


def test_stored_minhash_parameters_are_datasketchs():
    """minhash.json holds datasketch's permutations and LSH bands for the module's settings (the pipeline
    reads them from there: importing datasketch imports scipy in every worker)."""
    from datasketch import MinHash, MinHashLSH

    m = MinHash(num_perm=duplicates.NUM_PERM, seed=1, scheme=duplicates.SCHEME)
    lsh = MinHashLSH(threshold=duplicates.LSH_THRESHOLD, num_perm=duplicates.NUM_PERM, weights=duplicates.LSH_WEIGHTS)
    a, b = duplicates._permutations()
    assert a.tolist() == m.permutations[0].tolist() and b.tolist() == m.permutations[1].tolist(), \
        "run helpers.ingest.duplicates.write_params()"
    assert duplicates._bands() == (lsh.b, lsh.r) and duplicates._hash_dtype() == m.hashvalues.dtype


def test_duplicates_do_not_import_datasketch_at_run_time():
    code = ("import sys; from helpers.ingest import duplicates as d; "
            "d.body_key('The minister said there are no talks and there will be none. ' * 20); "
            "d.find_duplicates(['a', 'b'], ['x', 'y'], [d.body_key('a b c ' * 100), d.body_key('a b c ' * 100)], "
            "[None, None], __import__('numpy').arange(2)); print('datasketch' in sys.modules, 'scipy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]


def test_signature_is_datasketch_minhash_of_the_shingles():
    from datasketch import MinHash

    sh = duplicates.shingles(WIRE)
    m = MinHash(num_perm=duplicates.NUM_PERM, seed=1, hashfunc=int, scheme=duplicates.SCHEME)
    m.update_batch(sh.tolist())
    assert duplicates.signature(WIRE).tolist() == m.hashvalues.tolist()
    assert duplicates.signature("Too short.") is None
