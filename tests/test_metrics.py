"""Events, latency and aggregations on small hand-built tables (no corpus, no extraction)."""
from __future__ import annotations

import random

import pandas as pd
import pytest

from helpers import metrics, schemas

D = pd.Timedelta


def mention(doc, start, speaker="Ann", side="x", stance="claim", said_from=None, said_to=None, basis=None,
            quote=None, after=None, lag=None, time_cue=None, field="body", text=None):
    said_from = None if said_from is None else pd.Timestamp(said_from, tz="UTC") \
        if pd.Timestamp(said_from).tzinfo is None else pd.Timestamp(said_from)
    said_to = None if said_to is None else pd.Timestamp(said_to, tz="UTC") \
        if pd.Timestamp(said_to).tzinfo is None else pd.Timestamp(said_to)
    if basis is None:
        basis = ("explicit" if said_from is not None else "published" if said_to is not None else "unknown")
    return dict(mention_id=f"{doc}:{field}:{start}", doc_id=doc, field=field, speaker=speaker, speaker_text=speaker,
                side=side, stance=stance, text=text or f"{speaker} said something ({doc} {start}).", quote=quote,
                cue="said", start=start, end=start + 10, said_from=said_from, said_to=said_to, time_basis=basis,
                time_cue=time_cue, after_mention_id=after, lag_max=lag, event_id="")


def articles(*specs):
    """specs: (doc_id, published_at or None[, precision[, duplicate_of[, outlet]]])."""
    rows = []
    for s in specs:
        doc, pub, *rest = s
        prec = rest[0] if len(rest) > 0 else ("day" if pub else "unknown")
        rows.append(dict(doc_id=doc, published_at=pub, published_precision=prec,
                         duplicate_of=rest[1] if len(rest) > 1 else None,
                         outlet=rest[2] if len(rest) > 2 else f"Outlet {doc}"))
    df = pd.DataFrame(rows)
    df["published_at"] = pd.to_datetime(df["published_at"], utc=True, format="ISO8601")
    return df


def build(rows, arts):
    ms, ev = metrics.build_events(schemas.conform(rows, "mentions"), arts)
    schemas.validate(ms, "mentions")
    schemas.validate(ev, "events")
    return ms, ev


def groups(ms):
    """The partition of mention ids into events, as a set of frozensets."""
    return {frozenset(g["mention_id"]) for _, g in ms.groupby("event_id")}


# ------------------------------------------------------------------------------------ grouping rules

def test_same_article_same_speaker_is_one_event():
    rows = [mention("a", 0, said_to="2026-01-13"), mention("a", 50, said_to="2026-01-13"),
            mention("a", 90, said_from="2026-01-12", said_to="2026-01-13", time_cue="on Monday")]
    ms, ev = build(rows, articles(("a", "2026-01-12")))
    assert len(ev) == 1
    e = ev.iloc[0]
    assert e["n_mentions"] == 3 and e["n_articles"] == 1
    # the interval is the intersection, and the basis the best one among the mentions
    assert e["said_from"] == pd.Timestamp("2026-01-12", tz="UTC")
    assert e["said_to"] == pd.Timestamp("2026-01-13", tz="UTC")
    assert e["time_basis"] == "explicit"


def test_same_article_disjoint_dates_are_two_events():
    rows = [mention("a", 0, said_from="2026-02-01", said_to="2026-02-02"),
            mention("a", 50, said_from="2026-02-05", said_to="2026-02-06"),
            mention("a", 90, said_from="2026-02-05", said_to="2026-02-06")]
    ms, ev = build(rows, articles(("a", "2026-02-10")))
    assert groups(ms) == {frozenset({"a:body:0"}), frozenset({"a:body:50", "a:body:90"})}


def test_adjacent_days_do_not_merge():
    """[Mon 00:00, Tue 00:00] and [Tue 00:00, Wed 00:00] touch at one instant only: two events."""
    rows = [mention("a", 0, said_from="2026-01-12", said_to="2026-01-13"),
            mention("b", 0, said_from="2026-01-13", said_to="2026-01-14")]
    _, ev = build(rows, articles(("a", "2026-01-15"), ("b", "2026-01-15")))
    assert len(ev) == 2


def test_different_speaker_or_stance_never_merge():
    rows = [mention("a", 0), mention("a", 20, speaker="Bob"), mention("a", 40, stance="denial"),
            mention("a", 60, stance="other")]
    _, ev = build(rows, articles(("a", "2026-01-12")))
    assert len(ev) == 4
    assert set(ev["stance"]) == {"claim", "denial", "other"}


def test_same_quote_across_articles_is_one_event():
    q = "We are talking to them, and you will find out soon"
    rows = [mention("a", 0, said_to="2026-01-13", quote=q),
            mention("b", 0, said_to="2026-03-01", quote="we’re talking"),  # 2 words after normalising: too short
            mention("c", 0, said_to="2026-03-01", quote="“WE ARE talking to them” "),  # contained in q
            mention("d", 0, quote=q.upper())]  # undated article: joins by quote only
    ms, ev = build(rows, articles(("a", "2026-01-12"), ("b", "2026-02-28"), ("c", "2026-02-28"), ("d", None)))
    assert groups(ms) == {frozenset({"a:body:0", "c:body:0", "d:body:0"}), frozenset({"b:body:0"})}
    big = ev[ev["n_mentions"] == 3].iloc[0]
    assert big["quote"] == q.upper() or big["quote"] == q  # the longest spelling
    assert big["n_articles"] == 3


def test_same_quote_on_disjoint_dates_stays_apart():
    q = "there will be no deal"
    rows = [mention("a", 0, said_from="2026-01-01", said_to="2026-01-02", quote=q),
            mention("b", 0, said_from="2026-03-01", said_to="2026-03-02", quote=q)]
    _, ev = build(rows, articles(("a", "2026-01-05"), ("b", "2026-03-05")))
    assert len(ev) == 2


def test_bounded_overlap_across_articles_merges_without_chaining():
    rows = [mention("a", 0, said_from="2026-01-01", said_to="2026-01-03"),
            mention("b", 0, said_from="2026-01-02", said_to="2026-01-05"),
            mention("c", 0, said_from="2026-01-04", said_to="2026-01-06")]
    ms, ev = build(rows, articles(("a", "2026-01-09"), ("b", "2026-01-09"), ("c", "2026-01-09")))
    # a-b overlap and b-c overlap, but a and c are disjoint: no chain glues all three
    assert groups(ms) == {frozenset({"a:body:0", "b:body:0"}), frozenset({"c:body:0"})}
    for e in ev.itertuples():
        assert e.said_from < e.said_to  # intersections are never empty


def test_publication_bounded_mention_joins_recent_event():
    rows = [mention("a", 0, said_from="2026-01-12", said_to="2026-01-13"),  # explicit Monday
            mention("b", 0, said_to="2026-01-14")]  # "has denied", article of Jan 13 (day precision)
    ms, ev = build(rows, articles(("a", "2026-01-12"), ("b", "2026-01-13")))
    assert len(ev) == 1
    assert ev.iloc[0]["said_to"] == pd.Timestamp("2026-01-13", tz="UTC")
    assert ev.iloc[0]["first_published_at"] == pd.Timestamp("2026-01-12", tz="UTC")


def test_publication_bounded_mention_outside_window_stands_alone():
    assert metrics.JOIN_WINDOW == pd.Timedelta(days=2)
    rows = [mention("a", 0, said_from="2026-02-01", said_to="2026-02-02"),
            mention("b", 0, said_to="2026-02-11")]  # 9 days later: a different remark, perhaps
    _, ev = build(rows, articles(("a", "2026-02-03"), ("b", "2026-02-10")))
    assert len(ev) == 2


def test_publication_bounded_mention_joins_one_event_only():
    rows = [mention("a", 0, said_from="2026-01-10", said_to="2026-01-11"),
            mention("b", 0, said_from="2026-01-12", said_to="2026-01-13"),
            mention("c", 0, said_to="2026-01-13 12:00")]
    ms, ev = build(rows, articles(("a", "2026-01-11"), ("b", "2026-01-13"), ("c", "2026-01-13 12:00", "minute")))
    assert len(ev) == 2  # a and b stay apart; c joins the nearest (b)
    assert frozenset({"b:body:0", "c:body:0"}) in groups(ms)


def test_publication_bounded_mention_joins_event_containing_its_end():
    rows = [mention("a", 0, said_from="2026-01-12", said_to="2026-01-13"),
            mention("b", 0, said_to="2026-01-12 18:00")]
    ms, ev = build(rows, articles(("a", "2026-01-14"), ("b", "2026-01-12 18:00", "minute")))
    assert len(ev) == 1
    e = ev.iloc[0]
    assert (e["said_from"], e["said_to"]) == (pd.Timestamp("2026-01-12", tz="UTC"),
                                              pd.Timestamp("2026-01-12 18:00", tz="UTC"))


def test_publication_bounded_mentions_group_within_window_of_first():
    rows = [mention("a", 0, said_to="2026-01-13"), mention("b", 0, said_to="2026-01-14"),
            mention("c", 0, said_to="2026-01-16")]  # 3 days after a's bound: no chain through b
    ms, _ = build(rows, articles(("a", "2026-01-12"), ("b", "2026-01-13"), ("c", "2026-01-15")))
    assert groups(ms) == {frozenset({"a:body:0", "b:body:0"}), frozenset({"c:body:0"})}


def test_unknown_time_stands_alone_without_quote():
    rows = [mention("a", 0, said_to="2026-01-13"), mention("d", 0), mention("e", 0)]
    _, ev = build(rows, articles(("a", "2026-01-12"), ("d", None), ("e", None)))
    assert len(ev) == 3
    unknown = ev[ev["said_to"].isna()]
    assert len(unknown) == 2 and set(unknown["time_basis"]) == {"unknown"}


def test_unknown_mention_in_dated_article_is_capped_at_publication():
    rows = [mention("a", 0, basis="unknown")]
    _, ev = build(rows, articles(("a", "2026-01-12", "day")))
    e = ev.iloc[0]
    assert e["said_to"] == pd.Timestamp("2026-01-13", tz="UTC") and pd.isna(e["said_from"])
    assert e["time_basis"] == "published"


def test_duplicates_count_once_and_first_publication_is_earliest():
    q = "the talks are going very well"
    rows = [mention("a", 0, quote=q, said_to="2026-01-13"), mention("b", 0, quote=q, said_to="2026-01-13"),
            mention("c", 0, quote=q, said_to="2026-01-12 08:00")]
    arts = articles(("a", "2026-01-12"), ("b", "2026-01-12", "day", "a"),
                    ("c", "2026-01-12 08:00", "minute"))
    _, ev = build(rows, arts)
    assert len(ev) == 1
    e = ev.iloc[0]
    assert e["n_mentions"] == 3 and e["n_articles"] == 2  # b is a syndicated copy of a
    assert e["first_published_at"] == pd.Timestamp("2026-01-12", tz="UTC")


def test_event_text_is_from_the_earliest_article():
    rows = [mention("late", 0, said_to="2026-01-14", text="Late sentence."),
            mention("early", 0, said_to="2026-01-13", text="Early sentence.")]
    _, ev = build(rows, articles(("late", "2026-01-13"), ("early", "2026-01-12")))
    assert ev.iloc[0]["text"] == "Early sentence."


def test_event_ids_are_deterministic_and_independent_of_row_order():
    rng = random.Random(7)
    rows = [mention(f"d{i % 5}", i * 10, speaker=rng.choice(["Ann", "Bob"]),
                    stance=rng.choice(["claim", "denial"]),
                    said_to=f"2026-01-{10 + i % 5:02d}") for i in range(40)]
    arts = articles(*[(f"d{i}", f"2026-01-{9 + i:02d}") for i in range(5)])
    ms1, ev1 = build(rows, arts)
    shuffled = rows[:]
    rng.shuffle(shuffled)
    ms2, ev2 = build(shuffled, arts)
    assert groups(ms1) == groups(ms2)
    pd.testing.assert_frame_equal(ev1, ev2)
    assert ev1["event_id"].str.fullmatch(r"E[0-9a-f]{10}").all()
    # mentions come back in their input order
    assert ms2["mention_id"].tolist() == [r["mention_id"] for r in shuffled]


def test_empty_and_bad_input():
    ms, ev = metrics.build_events(schemas.empty("mentions"), articles(("a", None)))
    assert ms.empty and ev.empty and list(ev.columns) == schemas.columns("events")
    with pytest.raises(ValueError, match="lacks column"):
        metrics.build_events(pd.DataFrame({"doc_id": ["a"]}), articles(("a", None)))
    rows = [mention("a", 0), mention("a", 0)]
    with pytest.raises(ValueError, match="unique"):
        metrics.build_events(pd.DataFrame(rows), articles(("a", None)))


@pytest.mark.parametrize("shape", ["bounded", "open", "quotes", "same_doc"])
def test_work_grows_linearly(shape):
    """Join attempts and quote checks per mention stay constant as the input grows (no all-vs-all)."""
    rng = random.Random(1)
    words = [f"w{i}" for i in range(5000)]

    def rows_for(n):
        rows = []
        for i in range(n):
            day = pd.Timestamp("2026-01-01", tz="UTC") + pd.Timedelta(hours=rng.randrange(24 * 60))
            doc = f"d{i}" if shape != "same_doc" else f"d{i // 500}"
            if shape in ("bounded", "same_doc"):
                rows.append(mention(doc, i, said_from=day, said_to=day + pd.Timedelta(hours=30)))
            elif shape == "open":
                rows.append(mention(doc, i, said_to=day))
            else:
                quote = " ".join(rng.choice(words) for _ in range(8))
                rows.append(mention(doc, i, quote=quote))
        return rows

    per_mention = []
    for n in (500, 4000):
        rows = rows_for(n)
        arts = articles(*sorted({(r["doc_id"], "2026-03-01") for r in rows}))
        metrics.build_events(pd.DataFrame(rows), arts)
        ops = metrics.LAST_OPS
        assert ops["mentions"] == n
        per_mention.append((ops["joins"] + ops["quote_checks"]) / n)
    assert per_mention[1] <= 4 and per_mention[1] <= per_mention[0] * 1.5 + 0.5, per_mention


# ------------------------------------------------------------------------------------ latency

def latency_for(rows, arts):
    ms, ev = build(rows, arts)
    lat = metrics.pair_latency(ev, ms)
    schemas.validate(lat, "latency")
    return lat, ev, ms


def test_latency_relative_bound():
    rows = [mention("a", 0, said_to="2026-01-13"),
            mention("a", 80, speaker="Bob", side="y", stance="denial", said_to="2026-01-13",
                    after="a:body:0", lag="1 day", time_cue="Hours later")]
    lat, ev, _ = latency_for(rows, articles(("a", "2026-01-12")))
    assert len(lat) == 1
    r = lat.iloc[0]
    assert (r["claim_speaker"], r["denial_speaker"]) == ("Ann", "Bob")
    assert r["latency_min"] == D(0) and r["latency_max"] == D(days=1) and r["basis"] == "relative"
    assert "'Hours later' in a" in r["note"] and "1 day" in r["note"]


def test_latency_explicit_bounds():
    rows = [mention("a", 0, said_from="2026-02-01", said_to="2026-02-02", time_cue="Feb. 1"),
            mention("b", 0, speaker="Bob", side="y", stance="denial", said_from="2026-02-03",
                    said_to="2026-02-04", time_cue="on Tuesday")]
    lat, _, _ = latency_for(rows, articles(("a", "2026-02-05"), ("b", "2026-02-05")))
    r = lat.iloc[0]
    assert r["latency_min"] == D(days=1) and r["latency_max"] == D(days=3) and r["basis"] == "explicit"
    assert "'Feb. 1' in a" in r["note"] and "'on Tuesday' in b" in r["note"] and "at least 1 day" in r["note"]


def test_latency_denial_known_only_from_later_article():
    rows = [mention("a", 0, said_from="2026-02-01", said_to="2026-02-02", time_cue="on Feb. 1"),
            mention("a", 90, speaker="Bob", side="y", stance="denial", said_to="2026-02-11")]
    lat, _, _ = latency_for(rows, articles(("a", "2026-02-10")))
    r = lat.iloc[0]
    assert r["latency_min"] == D(0) and r["latency_max"] == D(days=10) and r["basis"] == "published"
    assert "published in a" in r["note"]


def test_claim_with_no_start_is_assumed_recent_and_says_so():
    rows = [mention("a", 0, said_to="2026-01-13"),
            mention("b", 0, speaker="Bob", side="y", stance="denial", said_from="2026-01-20",
                    said_to="2026-01-21")]
    lat, _, _ = latency_for(rows, articles(("a", "2026-01-12"), ("b", "2026-01-22")))
    r = lat.iloc[0]
    # the claim is assumed made at most a day before its report's end (Jan 12 - Jan 13): at most 9 days
    assert r["latency_max"] == D(days=9) and r["basis"] == "assumed"
    assert r["latency_min"] == D(days=7)
    assert "assumed at most 1 day before" in r["note"]


def test_latency_unbounded_when_denial_has_no_end():
    rows = [mention("a", 0, said_from="2026-01-12", said_to="2026-01-13"),
            mention("b", 0, speaker="Bob", side="y", stance="denial")]
    lat, _, _ = latency_for(rows, articles(("a", "2026-01-12"), ("b", None)))
    r = lat.iloc[0]
    assert pd.isna(r["latency_max"]) and r["basis"] == "unknown" and "no upper bound" in r["note"]


def test_latency_needs_another_known_side_and_a_later_denial():
    rows = [mention("a", 0, said_from="2026-02-01", said_to="2026-02-02"),
            mention("a", 30, speaker="Ann's aide", side="x", stance="denial", said_from="2026-02-02",
                    said_to="2026-02-03"),  # same side
            mention("a", 60, speaker="Someone", side=None, stance="denial", said_from="2026-02-02",
                    said_to="2026-02-03"),  # side unknown
            mention("b", 0, speaker="Bob", side="y", stance="denial", said_from="2026-01-20",
                    said_to="2026-01-21"),  # before the claim
            mention("c", 0, speaker="Cy", side="z", stance="denial", said_from="2026-02-06",
                    said_to="2026-02-07"),  # the first qualifying denial
            mention("d", 0, speaker="Bob", side="y", stance="denial", said_from="2026-02-08",
                    said_to="2026-02-09")]
    arts = articles(("a", "2026-02-04"), ("b", "2026-01-22"), ("c", "2026-02-08"), ("d", "2026-02-10"))
    lat, _, _ = latency_for(rows, arts)
    assert lat["denial_speaker"].tolist() == ["Cy"]
    assert lat.iloc[0]["latency_max"] == D(days=6) and lat.iloc[0]["latency_min"] == D(days=4)


def test_claim_by_unknown_speaker_pairs_but_not_with_an_unknown_denier():
    """An outlet the story does not list (side null) claims: a known side's denial answers it; a denial
    by another unknown speaker does not (nothing says the two disagree as sides)."""
    rows = [mention("a", 0, speaker="The Ledger", side=None, said_from="2026-02-01", said_to="2026-02-02"),
            mention("a", 40, speaker="Bob", side="y", said_from="2026-02-01", said_to="2026-02-02"),
            mention("a", 80, speaker="Cy", side="z", stance="denial", said_from="2026-02-03", said_to="2026-02-04"),
            mention("a", 90, speaker="Someone", side=None, stance="denial", said_from="2026-02-02",
                    said_to="2026-02-03")]
    lat, ev, _ = latency_for(rows, articles(("a", "2026-02-05")))
    assert sorted(zip(lat["claim_speaker"], lat["denial_speaker"])) == [("Bob", "Cy"), ("The Ledger", "Cy")]
    assert metrics.pair_latency(ev[ev["stance"] == "claim"], _).empty


def test_unknown_denier_answers_only_when_no_known_side_does():
    rows = [mention("a", 0, said_from="2026-02-01", said_to="2026-02-02"),
            mention("a", 60, speaker="Someone", side=None, stance="denial", said_from="2026-02-02",
                    said_to="2026-02-03")]
    lat, _, _ = latency_for(rows, articles(("a", "2026-02-04")))
    assert lat["denial_speaker"].tolist() == ["Someone"]


def test_relative_link_conflicting_with_dates_keeps_relative_and_says_so():
    rows = [mention("a", 0, said_from="2026-02-01", said_to="2026-02-02"),
            mention("b", 0, speaker="Bob", side="y", stance="denial", said_from="2026-02-05",
                    said_to="2026-02-06", after="a:body:0", lag="1 day", time_cue="hours after")]
    lat, _, _ = latency_for(rows, articles(("a", "2026-02-03"), ("b", "2026-02-07")))
    r = lat.iloc[0]
    assert r["basis"] == "relative" and r["latency_max"] == D(days=1) and r["latency_min"] == D(0)
    assert "but the dates allow no less than 3 days" in r["note"]


def test_relative_link_looser_than_dates_keeps_dates():
    rows = [mention("a", 0, said_from="2026-02-01", said_to="2026-02-02"),
            mention("b", 0, speaker="Bob", side="y", stance="denial", said_from="2026-02-02",
                    said_to="2026-02-03", after="a:body:0", lag="5 days", time_cue="days later")]
    lat, _, _ = latency_for(rows, articles(("a", "2026-02-03"), ("b", "2026-02-07")))
    assert lat.iloc[0]["basis"] == "explicit" and lat.iloc[0]["latency_max"] == D(days=2)


def test_latency_is_deterministic():
    rng = random.Random(3)
    rows = []
    for i in range(30):
        day = pd.Timestamp("2026-01-01", tz="UTC") + pd.Timedelta(days=rng.randrange(20))
        who, side = rng.choice([("Ann", "x"), ("Bob", "y"), ("Cy", "z")])
        rows.append(mention(f"d{i}", 0, speaker=who, side=side, stance=rng.choice(["claim", "denial"]),
                            said_from=day, said_to=day + D(days=1)))
    arts = articles(*[(f"d{i}", "2026-02-01") for i in range(30)])
    lat1, _, _ = latency_for(rows, arts)
    rng.shuffle(rows)
    lat2, _, _ = latency_for(rows, arts)
    assert len(lat1) > 0
    pd.testing.assert_frame_equal(lat1, lat2)
    assert (lat1["latency_min"] <= lat1["latency_max"]).all()




def test_stock_quote_answering_a_new_claim_is_a_new_event():
    """A side repeats its January line in March, in an article whose headline says the denial came
    after a March claim: the March denial is not merged into January's, and pairs with the March claim."""
    line = "There are no talks and there have been none"
    rows = [mention("jan", 0, speaker="Bob", side="y", stance="denial", said_from="2026-01-06",
                    said_to="2026-01-07", time_cue="on January 6"),
            mention("jan", 40, speaker="Bob", side="y", stance="denial", said_to="2026-01-08", quote=line),
            mention("mar", 0, field="title", speaker="Bob", side="y", stance="denial", said_to="2026-03-19",
                    after="mar:title:1"),
            mention("mar", 1, field="title", said_to="2026-03-19"),
            mention("mar", 0, said_from="2026-03-18", said_to="2026-03-19", time_cue="on Wednesday"),
            mention("mar", 60, speaker="Bob", side="y", stance="denial", said_to="2026-03-19", quote=line)]
    lat, ev, ms = latency_for(rows, articles(("jan", "2026-01-08"), ("mar", "2026-03-19")))
    event = dict(zip(ms["mention_id"], ms["event_id"]))
    assert event["mar:body:60"] == event["mar:title:0"] != event["jan:body:40"]
    march = ev.set_index("event_id").loc[event["mar:title:0"]]
    assert march["said_from"] == pd.Timestamp("2026-03-18", tz="UTC")
    assert len(lat) == 1 and lat.iloc[0]["denial_event_id"] == event["mar:title:0"]
    assert D(0) <= lat.iloc[0]["latency_max"] <= D(days=1)


@pytest.mark.parametrize("seed", range(5))
def test_latency_is_never_negative_even_when_links_contradict_dates(seed):
    """Random claims and denials, some linked ("after") to claims they cannot follow: every pair keeps
    0 <= latency_min <= latency_max, and no denial that ended before its claim began is chosen."""
    rng = random.Random(seed)
    rows, claims = [], []
    for i in range(40):
        day = pd.Timestamp("2026-01-01", tz="UTC") + D(days=rng.randrange(30))
        dated = rng.random() < 0.6
        if rng.random() < 0.5:
            rows.append(mention(f"c{i}", 0, said_from=day if dated else None, said_to=day + D(days=1)))
            claims.append(f"c{i}:body:0")
        else:
            after = rng.choice(claims) if claims and rng.random() < 0.5 else None
            rows.append(mention(f"d{i}", 0, speaker="Bob", side="y", stance="denial",
                                said_from=day if dated else None, said_to=day + D(days=1), after=after,
                                lag="1 day" if after and rng.random() < 0.5 else None))
    arts = articles(*[(r["doc_id"], "2026-03-01") for r in rows])
    lat, ev, ms = latency_for(rows, arts)
    assert len(lat) > 0
    assert (lat["latency_min"] >= D(0)).all()
    assert (lat["latency_max"].dropna() >= lat.loc[lat["latency_max"].notna(), "latency_min"]).all()
    bounds = ev.set_index("event_id")
    for c, d in zip(lat["claim_event_id"], lat["denial_event_id"]):
        start = bounds.loc[c, "said_from"]
        assert pd.isna(start) or bounds.loc[d, "said_to"] > start


def test_pair_latency_empty():
    assert list(metrics.pair_latency(schemas.empty("events"), schemas.empty("mentions")).columns) == \
        schemas.columns("latency")


# ------------------------------------------------------------------------------------ aggregations

@pytest.fixture()
def small():
    rows = [mention("a", 0, said_from="2026-01-11", said_to="2026-01-12", basis="explicit", quote="we are talking now"),
            mention("a", 40, said_to="2026-01-13", quote="We are talking now!"),
            mention("b", 0, said_to="2026-01-14", quote="we are talking now"),
            mention("b", 40, speaker="Bob", side="y", stance="denial", said_to="2026-01-14"),
            mention("c", 0, speaker="Bob", side="y", stance="denial"),
            mention("c", 40, speaker="Bob", side="y", stance="other")]
    arts = articles(("a", "2026-01-12", "day", None, "Daily"), ("b", "2026-01-13", "day", None, "Weekly"),
                    ("c", None, "unknown", None, None))
    ms, ev = build(rows, arts)
    return ms, ev, arts


def test_daily_counts_said_and_published(small):
    ms, _, arts = small
    said = metrics.daily_counts(ms, arts, clock="said")
    got = {(str(r.day.date()), r.stance, r.basis): r.n_mentions for r in said.itertuples()}
    assert got == {("2026-01-11", "claim", "explicit"): 1, ("2026-01-12", "claim", "published"): 1,
                   ("2026-01-13", "claim", "published"): 1, ("2026-01-13", "denial", "published"): 1}
    pub = metrics.daily_counts(ms, arts, clock="published", by="outlet")
    assert pub.groupby("outlet")["n_mentions"].sum().to_dict() == {"Daily": 2, "Weekly": 2}
    with pytest.raises(ValueError, match="clock"):
        metrics.daily_counts(ms, arts, clock="heard")


def test_counts_by(small):
    ms, _, arts = small
    sp = metrics.counts_by(ms, arts, key="speaker")
    ann = sp[(sp["speaker"] == "Ann") & (sp["stance"] == "claim")].iloc[0]
    assert (ann["n_mentions"], ann["n_events"], ann["n_articles"]) == (3, 1, 2)
    out = metrics.counts_by(ms, arts, key="outlet")
    assert set(out["outlet"]) == {"Daily", "Weekly", "(none)"}
    assert "other" not in set(out["stance"])


def test_repeated_quotes(small):
    ms, _, _ = small
    rq = metrics.repeated_quotes(ms)
    assert len(rq) == 1
    r = rq.iloc[0]
    assert (r["n_mentions"], r["n_articles"], r["doc_ids"]) == (3, 2, "a, b")


def test_first_reports(small):
    ms, ev, arts = small
    fr = metrics.first_reports(ev, ms, arts)
    ann = fr[fr["speaker"] == "Ann"].iloc[0]
    assert (ann["first_doc_id"], ann["first_outlet"], ann["n_rereports"]) == ("a", "Daily", 1)
    assert len(fr) == len(ev)


def test_reporting_lag(small):
    ms, _, arts = small
    lag = metrics.reporting_lag(ms, arts)
    assert set(lag["doc_id"]) == {"a", "b"}  # c has no date
    first = lag[lag["mention_id"] == "a:body:0"].iloc[0]
    assert first["lag_min"] == D(0) and first["lag_max"] == D(days=2)  # said Jan 11, published during Jan 12
    assert pd.isna(lag[lag["mention_id"] == "a:body:40"].iloc[0]["lag_max"])
    per = metrics.reporting_lag(ms, arts, per="outlet")
    assert per.set_index("outlet")["n_bounded"].to_dict() == {"Daily": 1, "Weekly": 0}


def test_open_claim_pairs_with_a_denial_that_can_follow_it():
    """A claim known only by its article's date pairs with the earliest denial ending at or after that date,
    not with an older denial (of an older claim, most likely) nor with an undated one."""
    rows = [mention("a", 0, said_to="2026-02-11"),
            mention("b", 0, speaker="Bob", side="y", stance="denial", said_from="2026-01-12", said_to="2026-01-13"),
            mention("a", 50, speaker="Cy", side="y", stance="denial", said_to="2026-02-11"),
            mention("c", 0, speaker="Dee", side="y", stance="denial")]
    lat, _, _ = latency_for(rows, articles(("a", "2026-02-10"), ("b", "2026-01-13"), ("c", None)))
    assert lat["denial_speaker"].tolist() == ["Cy"]
    assert lat.iloc[0]["latency_max"] == D(days=1) and lat.iloc[0]["basis"] == "assumed"


def test_equal_bounds_prefer_the_denial_said_to_follow_the_claim():
    rows = [mention("a", 0, said_from="2026-03-01", said_to="2026-03-02"),
            mention("a", 40, speaker="Bob", side="y", stance="denial", said_to="2026-03-02"),
            mention("a", 80, speaker="Cy", side="y", stance="denial", said_to="2026-03-02",
                    after="a:body:0", lag="1 day", time_cue="Hours later")]
    lat, _, _ = latency_for(rows, articles(("a", "2026-03-01")))
    assert lat["denial_speaker"].tolist() == ["Cy"] and lat.iloc[0]["latency_max"] == D(days=1)


def test_relative_note_quotes_the_relation_not_the_date_cue():
    rows = [mention("a", 0, said_from="2026-01-11", said_to="2026-01-13", basis="relative"),
            mention("a", 80, speaker="Bob", side="y", stance="denial", said_from="2026-01-12", said_to="2026-01-13",
                    basis="relative", after="a:body:0", lag="1 day", time_cue="on Monday",
                    text="Bob on Monday dismissed it, hours after Ann claimed talks were on.")]
    lat, _, _ = latency_for(rows, articles(("a", "2026-01-13")))
    assert lat.iloc[0]["note"] == "'hours after' in a: the denial came at most 1 day after the claim"
