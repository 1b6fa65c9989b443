"""Evaluation against tiny hand-made gold: matching rules, figures, date rules, latency checks, gold loading."""
from __future__ import annotations

import argparse

import pandas as pd
import pytest
import yaml

from helpers import evaluation
from helpers.errors import UserError

T = lambda s: pd.Timestamp(s, tz="UTC")  # noqa: E731


def mentions(*rows):
    cols = ["mention_id", "doc_id", "field", "stance", "text", "speaker", "side", "said_from", "said_to"]
    df = pd.DataFrame([dict(zip(cols, r)) for r in rows], columns=cols)
    for c in ("said_from", "said_to"):
        df[c] = pd.to_datetime(df[c], utc=True)
    return df


GOLD = {"statements": [
    {"doc_id": "a", "field": "title", "where": "Ann claims talks", "speaker": "Ann", "side": "x",
     "stance": "claim", "on_or_before": "2026-01-12"},
    {"doc_id": "a", "field": "body", "where": "said they were talking", "speaker": "Ann", "side": "x",
     "stance": "claim", "date": "2026-01-10"},
    {"doc_id": "a", "field": "body", "where": "Bob denied", "speaker": "Bob", "side": "y", "stance": "denial",
     "on_or_before": "2026-01-12"},
    {"doc_id": "b", "field": "body", "where": "no such talks", "speaker": "Bob", "side": "y", "stance": "denial",
     "time_unknown": True},
    {"doc_id": "b", "field": "body", "where": "aides say", "speaker": "Aides", "side": None, "stance": "claim",
     "time_unknown": True, "optional": True},
]}


def test_statement_figures():
    ms = mentions(
        ("a:title:0", "a", "title", "claim", "Ann Claims Talks With Bob", "Ann", "x", None, "2026-01-13"),
        # right sentence, right stance; date: the interval overlaps Jan 10
        ("a:body:0", "a", "body", "claim", "On Saturday Ann said they were talking.", "Ann", "x",
         "2026-01-10", "2026-01-11"),
        # right sentence, wrong speaker and too late
        ("a:body:50", "a", "body", "denial", "Hours later Bob denied it.", "Cy", "z", None, "2026-01-14"),
        # a second mention of the same statement: a false positive
        ("a:body:51", "a", "body", "denial", "Hours later Bob denied it.", "Cy", "z", None, "2026-01-14"),
        # matches only an optional statement: left out of precision
        ("b:body:90", "b", "body", "claim", "Talks go on, aides say.", "Aides", None, None, None),
        # nothing in the gold
        ("b:body:120", "b", "body", "claim", "The weather is fine.", "Ann", "x", None, None),
        # stance other is never counted
        ("b:body:150", "b", "body", "other", "Bob is willing to talk.", "Bob", "y", None, None),
    )
    r = evaluation.evaluate_statements(ms, GOLD)
    assert r["n_extracted"] == 5 and r["n_gold"] == 4 and r["n_matched"] == 3
    assert r["precision"] == pytest.approx(3 / 5) and r["recall"] == pytest.approx(3 / 4)
    assert r["f1"] == pytest.approx(2 * 0.6 * 0.75 / 1.35)
    assert r["speaker_accuracy"] == pytest.approx(2 / 3) and r["side_accuracy"] == pytest.approx(2 / 3)
    assert r["date_accuracy"] == pytest.approx(2 / 3)
    assert [g["where"] for g in r["missed"]] == ["no such talks"]
    assert {s["mention_id"] for s in r["spurious"]} == {"a:body:51", "b:body:120"}
    assert [w["where"] for w in r["wrong"]] == ["Bob denied"]
    claim, denial = r["per_stance"]["claim"], r["per_stance"]["denial"]
    assert (claim["precision"], claim["recall"]) == (pytest.approx(2 / 3), 1.0)
    assert (denial["precision"], denial["recall"]) == (0.5, 0.5)


def test_matching_requires_doc_field_and_stance():
    ms = mentions(
        ("b:body:0", "b", "body", "claim", "There were no such talks.", "Bob", "y", None, None),  # wrong stance
        ("a:body:0", "a", "body", "claim", "Ann Claims Talks", "Ann", "x", None, "2026-01-12"),  # wrong field
        ("c:title:0", "c", "title", "denial", "Bob denied", "Bob", "y", None, None),  # wrong doc
    )
    r = evaluation.evaluate_statements(ms, GOLD)
    assert r["n_matched"] == 0 and r["precision"] == 0.0 and r["recall"] == 0.0 and r["f1"] == 0.0
    assert r["speaker_accuracy"] is None


def test_matching_prefers_the_right_speaker_and_normalises_quotes():
    gold = {"statements": [{"doc_id": "a", "field": "body", "where": "Bob’s “no” stands", "speaker": "Bob",
                            "side": "y", "stance": "denial", "time_unknown": True}]}
    ms = mentions(("a:body:0", "a", "body", "denial", "Ann says BOB'S \"NO\"  STANDS.", "Ann", "x", None, None),
                  ("a:body:1", "a", "body", "denial", "Ann says Bob's \"no\" stands.", "Bob", "y", None, None))
    r = evaluation.evaluate_statements(ms, gold)
    assert r["speaker_accuracy"] == 1.0 and r["n_matched"] == 1 and r["precision"] == 0.5


@pytest.mark.parametrize("rule, said_from, said_to, ok", [
    ({"date": "2026-02-01"}, "2026-02-01", "2026-02-02", True),
    ({"date": "2026-02-01"}, "2026-01-31 12:00", "2026-01-31 23:00", True),  # within the time-zone slack
    ({"date": "2026-02-01"}, "2026-01-29", "2026-01-30", False),
    ({"date": "2026-02-01"}, None, "2026-02-11", True),  # open start: overlaps
    ({"date": "2026-02-01"}, None, None, False),  # no end: not dated
    ({"on_or_before": "2026-02-10"}, None, "2026-02-11", True),
    ({"on_or_before": "2026-02-10"}, None, "2026-02-11 14:00", True),
    ({"on_or_before": "2026-02-10"}, None, "2026-02-12", False),
    ({"on_or_before": "2026-02-10"}, None, None, False),
    ({"time_unknown": True}, None, None, True),
    ({"time_unknown": True}, None, "2026-02-11", False),
    ({}, None, None, None),
])
def test_date_rules(rule, said_from, said_to, ok):
    s = None if said_from is None else T(said_from)
    e = None if said_to is None else T(said_to)
    assert evaluation._date_ok(rule, s, e) is ok


def test_article_fields():
    arts = pd.DataFrame({
        "doc_id": ["a", "b"], "title": ["Talks  “on”", "Other"], "outlet": ["Daily Planet", None],
        "dateline": [None, "Havana"], "published_at": [T("2026-01-12"), T("2026-01-12 18:18")],
        "published_precision": ["day", "minute"], "body": ["Ann spoke.\nMore.", "Bob spoke. Share this"]})
    gold = {"articles": [
        {"doc_id": "a", "title": 'Talks "on"', "outlet": "daily planet", "dateline": None,
         "published_at": "2026-01-12", "published_precision": "day", "body_keeps": ["Ann spoke. More."],
         "body_drops": ["Share this"]},
        {"doc_id": "b", "title": "Other", "outlet": "Weekly", "dateline": "Havana",
         "published_at": "2026-01-12T23:48:00+05:30", "published_precision": "minute",
         "body_keeps": ["Bob spoke"], "body_drops": ["Share this"]},
        {"doc_id": "zzz", "title": "Lost"},
    ]}
    acc = evaluation.evaluate_articles(arts, gold).set_index("field")
    assert acc.loc["title", "correct"] == 2 and acc.loc["title", "n"] == 3  # zzz is missing: wrong
    assert acc.loc["outlet", "accuracy"] == 0.5
    assert acc.loc["dateline", "accuracy"] == 1.0
    assert acc.loc["published_at", "accuracy"] == 1.0  # 23:48 IST is 18:18 UTC
    assert acc.loc["body_keeps", "accuracy"] == 1.0 and acc.loc["body_drops", "accuracy"] == 0.5
    details = evaluation.article_checks(arts, gold)
    assert details[(details["doc_id"] == "zzz")]["got"].tolist() == ["(missing article)"]


def test_published_at_rules():
    ok = evaluation._published_ok
    assert ok("2026-01-12", T("2026-01-12"), "day")
    assert not ok("2026-01-12", T("2026-01-13"), "day")
    assert ok("2026-01-12", T("2026-01-12 20:00"), "minute")
    assert not ok("2026-01-12", None, "unknown")
    assert ok(None, None, "unknown") and not ok(None, T("2026-01-12"), "day")
    assert not ok("2026-01-12T10:00:00+00:00", T("2026-01-12 10:05"), "minute")


def test_latency_checks():
    ms = pd.DataFrame({"doc_id": ["a", "a"], "stance": ["claim", "claim"], "speaker": ["Ann", "Ann"],
                       "text": ["Ann claimed talks.", "Ann claimed more talks on Feb. 1."], "event_id": ["E1", "E2"]})
    ev = pd.DataFrame({"event_id": ["E1", "E2", "E3", "E4"], "side": ["x", "x", "y", "y"]})
    lat = pd.DataFrame({"claim_event_id": ["E1", "E2"], "denial_event_id": ["E3", "E4"],
                        "claim_speaker": ["Ann", "Ann"], "denial_speaker": ["Bob", "Cy"],
                        "latency_min": [pd.Timedelta(0), pd.Timedelta(0)],
                        "latency_max": [pd.Timedelta("1D"), pd.NaT], "basis": ["relative", "unknown"],
                        "note": ["n1", "n2"]})
    gold = {"latency": [
        {"claim_speaker": "Ann", "claim_where": {"doc_id": "a", "where": "claimed talks"}, "denial_speaker": "Bob",
         "latency_max_at_most": "1 day", "latency_min_at_least": "0 s", "basis": "relative"},
        {"claim_speaker": "Ann", "claim_where": {"doc_id": "a", "where": "on Feb. 1"}, "denial_side": "y",
         "latency_max_at_most": "10 days"},
        {"claim_speaker": "Ann", "claim_where": {"doc_id": "a", "where": "claimed talks"}, "denial_side": "x",
         "latency_max_at_most": "12 hours"},
        {"claim_speaker": "Bob", "claim_where": {"doc_id": "a", "where": "claimed talks"}},
    ]}
    r = evaluation.evaluate_latency(lat, ev, ms, gold)
    assert r["ok"].tolist() == [True, False, False, False]
    assert r["max_ok"].tolist() == [True, False, False, False]  # unbounded is not "at most 10 days"
    assert r["denial_ok"].tolist() == [True, True, False, False]
    assert r["claim_found"].tolist() == [True, True, True, False]
    assert r["basis_agrees"].tolist() == [True, None, None, None]


def test_load_gold(tmp_path):
    (tmp_path / "toy-statements.yml").write_text(yaml.safe_dump({"corpus": "toy", "statements": GOLD["statements"]}))
    g = evaluation.load_gold("toy", gold_dir=tmp_path)
    assert g["articles"] is None and len(g["statements"]) == 5
    with pytest.raises(UserError, match="no gold"):
        evaluation.load_gold("nothing", gold_dir=tmp_path)
    (tmp_path / "bad-statements.yml").write_text("statements:\n  - {doc_id: a, field: body}\n")
    with pytest.raises(UserError, match="entry 0 lacks where, stance"):
        evaluation.load_gold("bad", gold_dir=tmp_path)
    (tmp_path / "worse-statements.yml").write_text("statements: [\n")
    with pytest.raises(UserError, match="not valid YAML"):
        evaluation.load_gold("worse", gold_dir=tmp_path)


def test_repository_gold_files_load():
    for name in ("demo", "cuba-talks"):
        g = evaluation.load_gold(name)
        assert g["statements"], name
        for s in g["statements"]:
            assert len(s["where"].split()) <= 8, s["where"]


def test_figures_table_and_main(capsys, monkeypatch):
    figs = {"articles": pd.DataFrame({"field": ["title"], "n": [4], "correct": [3], "accuracy": [0.75]}),
            "statements": evaluation.evaluate_statements(mentions(), GOLD),
            "latency": pd.DataFrame({"claim_where": ["a: x"], "ok": [True], "latency_min": [pd.Timedelta(0)],
                                     "latency_max": [pd.Timedelta("1D")], "basis": ["relative"], "note": ["n"]})}
    table = evaluation.figures_table("toy", figs)
    assert {"precision", "recall", "f1", "date_accuracy", "pairs_ok"} <= set(table["metric"])
    monkeypatch.setattr(evaluation, "CORPORA", {"toy": (".", ".")})
    monkeypatch.setattr(evaluation, "load_gold", lambda name: {})
    monkeypatch.setattr(evaluation, "evaluate_corpus", lambda name: figs)
    assert evaluation.main(argparse.Namespace(corpus=["toy"])) == 0
    out = capsys.readouterr().out
    assert "precision" in out and "toy latency a: x: ok" in out


def test_gold_as_dataframe():
    arts = pd.DataFrame({"doc_id": ["a"], "title": ["Talks on"], "body": ["Ann spoke."]})
    gold = pd.DataFrame({"doc_id": ["a"], "title": ["Talks on"], "outlet": [None],
                         "body_keeps": [["Ann spoke"]], "body_drops": [[]]})
    acc = evaluation.evaluate_articles(arts, gold).set_index("field")["accuracy"].to_dict()
    assert acc == {"title": 1.0, "outlet": 1.0, "body_keeps": 1.0}
