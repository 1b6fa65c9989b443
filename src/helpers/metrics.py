"""Events, claim frequency and denial latency, computed from the ``mentions`` table.

A *mention* is one report of a statement in one article; an *event* is one utterance. One remark
reported by five outlets, or quoted twice in one transcript, is one event with several mentions.

How mentions become events (``build_events``)
---------------------------------------------
Mentions are only ever grouped with mentions of the same speaker (canonical name) and the same stance.
Every mention carries a time interval ``[said_from, said_to]``; a missing start means "any time
before", a missing end "any time after". Two groups are merged only when their intervals still
overlap, and the event's interval is the INTERSECTION of its mentions' intervals (the utterance fits
every report). Because incompatible reports are never merged, that intersection is never empty;
the price: reports of one remark that contradict each other in time (two different dates for the
same quote) stay separate events. Nothing is dropped, and ``repeated_quotes`` lists the event ids
of every repeated quote, so such splits are visible.

The rules, applied in this order (c and d work on the groups a and b made):

a. Same article: mentions of the same speaker and stance in one article are one event unless their
   intervals are disjoint (then each set of overlapping mentions is its own event).
   Then a mention that says it followed another (``after_mention_id``: "hours later", "denies ... after
   X claims") gets, for its group, a start no earlier than the start of the group it follows: a denial
   answering this week's claim cannot be merged (by rule b) with a denial of the same words last month.
b. Same quote: mentions whose direct quotes are equal after normalisation (case, punctuation,
   curly quotes), or where one quote contains the other, are one event. Only quotes of at least
   ``MIN_QUOTE_WORDS`` words count. Works across articles and whatever the time basis.
c. Bounded intervals across articles: mentions with both ends known (an explicit date or a relative
   phrase) whose intervals overlap are one event.
d. Bounded only by publication (start unknown, end = the article's publication): the mention joins
   ONE event of the same speaker and stance that is compatible with it and ended at most
   ``JOIN_WINDOW`` before the mention's end: the event whose interval contains that end if there is
   one, else the latest event ending within the window. Otherwise it stands alone (and can itself
   be joined by later publication-bounded mentions). It never joins two events.
e. Unknown time (no end at all, e.g. an undated article): joins other articles only by quote (b).

Rules c and d are sweeps over intervals sorted by end (a greedy "stabbing" of intervals): every
merged group shares a common point in time, so no chain of overlaps can glue unrelated remarks.
The whole thing is a sort plus a sweep with union-find: O(n log n), no all-against-all comparison.

Event columns: ``time_basis`` is the best basis among the mentions (explicit > relative >
published > unknown). When no mention bounds the end, the event's end is capped at the first
publication among its articles (the utterance happened before it was reported; basis ``published``).
``n_articles`` counts distinct articles, a syndicated copy (``duplicate_of``) counting as its original.
``event_id`` is ``"E"`` + the first 10 hex digits of the SHA-1 of the sorted mention ids: it depends
only on which mentions make up the event, not on row order.

Denial latency (``pair_latency``)
---------------------------------
Each claim event is paired with the FIRST denial event by another side: a denial whose side is known
and differs from the claim's; when no such denial qualifies, one by a speaker the story does not know
(side null, a different speaker). A claim by an unknown speaker (an outlet the story does not list,
side null) pairs with denials of any known side. Two speakers of unknown side never pair. A denial qualifies when it can be at or after the claim (its latest time is
later than the claim's earliest time). "First" is the denial with the smallest provable upper bound
on the latency; among equals, one that can lie wholly after the claim, then one a mention says
follows the claim, then the earliest-ending and best-dated one. Latency is an interval:
``latency_min = max(0, denial.said_from - claim.said_to)``, ``latency_max = denial.said_to -
claim.said_from`` (null when the denial has no latest time). When the claim has no earliest time (a
report that does not say when it was said), it is ASSUMED to have been made at most ``ASSUMED_RECENCY``
(one day) before its latest time: ``basis`` is then ``assumed`` and the note says so. When a mention of the denial says it came after
a mention of the claim (``after_mention_id``, e.g. "hours later"), the latency is also within
``[0, lag_max]``, and the intersection is kept (basis ``relative``). ``basis`` names what decided
``latency_max``; ``note`` says it in words, quoting the cues.

Example:
    >>> import pandas as pd
    >>> from helpers import schemas
    >>> rows = [dict(mention_id=f"a:body:{i}", doc_id="a", field="body", speaker="Ann", speaker_text="Ann",
    ...              side="x", stance="claim", text="Ann said talks are on.", quote=None, cue="said",
    ...              start=i, end=i + 5, said_from=None, said_to="2026-01-02", time_basis="published",
    ...              time_cue=None, after_mention_id=None, lag_max=None, event_id="") for i in (0, 30)]
    >>> arts = pd.DataFrame({"doc_id": ["a"], "published_at": [pd.Timestamp("2026-01-01", tz="UTC")],
    ...                      "published_precision": ["day"], "outlet": ["Daily"], "duplicate_of": [None]})
    >>> mentions, events = build_events(schemas.conform(rows, "mentions"), arts)
    >>> len(events), int(events.loc[0, "n_mentions"])
    (1, 2)
"""
from __future__ import annotations

import bisect
import hashlib
import re
from collections import defaultdict

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import schemas
from .text import is_na

#: A mention bounded only by its article's publication joins an event that ended at most this long before.
JOIN_WINDOW = pd.Timedelta(days=2)
#: Direct quotes shorter than this (in words) are too generic to identify an utterance.
MIN_QUOTE_WORDS = 3
#: Time bases from best to worst ("assumed": a latency bound that rests on ASSUMED_RECENCY).
BASIS_RANK = {"explicit": 0, "relative": 1, "published": 2, "assumed": 3, "unknown": 4}
#: A claim reported with no earliest time is assumed to have been made at most this long before the
#: latest time its reports allow (news reports recent statements). Only latency uses it, with basis
#: ``assumed`` and a note; the mentions and events keep the open interval.
ASSUMED_RECENCY = pd.Timedelta(days=1)
_RECENCY_US = int(ASSUMED_RECENCY / pd.Timedelta(microseconds=1))

# Times are handled as integer microseconds since the epoch (UTC).
_NEG = -(2 ** 62)  # "no start": earlier than any time
_POS = 2 ** 62  # "no end": later than any time
_DAY_US = 86_400_000_000

_MENTION_NEEDS = ("mention_id", "doc_id", "field", "speaker", "side", "stance", "text", "quote", "start",
                  "said_from", "said_to", "time_basis", "time_cue", "after_mention_id", "lag_max")


# --------------------------------------------------------------------------------------------- helpers

def _require(df: pd.DataFrame, cols, what: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"{what} table lacks column(s) {', '.join(missing)}")


def _ints(values, nat: int) -> list[int]:
    """Datetimes as integer microseconds since the epoch (UTC); missing -> ``nat``."""
    idx = pd.DatetimeIndex(pd.to_datetime(pd.Series(values), utc=True)).as_unit("us")
    arr = idx.asi8.copy()
    arr[idx.isna()] = nat
    return arr.tolist()


def _basis_rank(values) -> np.ndarray:
    """``BASIS_RANK`` of each time basis (9 for a missing or unknown one), via the few distinct values."""
    codes, uniques = pd.factorize(pd.Series(values))
    table = np.array([BASIS_RANK.get(u, 9) for u in uniques] + [9], dtype="int64")
    return table[codes]  # code -1 (missing) takes the last entry


def _td_ints(values) -> list[int | None]:
    td = pd.to_timedelta(pd.Series(values)).astype("timedelta64[us]")
    out = td.to_numpy().astype("int64").tolist()
    return [None if na else v for v, na in zip(out, td.isna().tolist())]


def _dt_series(values: list[int]) -> pd.Series:
    """Integer microseconds (``_NEG``/``_POS`` = missing) -> ``datetime64[us, UTC]`` Series."""
    arr = np.array(values, dtype="int64")
    out = arr.astype("datetime64[us]")
    out[(arr <= _NEG) | (arr >= _POS)] = np.datetime64("NaT")
    return pd.Series(out).dt.tz_localize("UTC")


def _ts(v: int) -> pd.Timestamp | None:
    return None if v <= _NEG or v >= _POS else pd.Timestamp(v, unit="us", tz="UTC")


_na = is_na  # the package's one missing-value test (helpers.text)


def _overlap(lo1: int, hi1: int, lo2: int, hi2: int) -> bool:
    """Do ``[lo1, hi1]`` and ``[lo2, hi2]`` share more than a boundary? (A point interval may sit on one.)"""
    lo, hi = max(lo1, lo2), min(hi1, hi2)
    return lo < hi or (lo == hi and (lo1 == hi1 or lo2 == hi2))


_QUOTE_MAP = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})
_NON_WORD = re.compile(r"[^\w]+")


def normalize_quote(quote) -> str:
    """A quote reduced for comparison: lower case, punctuation and curly quotes gone, single spaces.

    Example:
        >>> normalize_quote("“We’re talking,” he said")
        'we re talking he said'
    """
    if _na(quote):
        return ""
    return " ".join(_NON_WORD.sub(" ", str(quote).translate(_QUOTE_MAP).casefold()).split())


class _Groups:
    """Union-find whose groups carry the intersection of their members' intervals.

    ``join`` refuses (returns False) to merge groups whose intervals do not overlap. ``ops`` counts
    join attempts: the tests use it to check that the work grows linearly, not quadratically.
    """

    def __init__(self, lo: list[int], hi: list[int]):
        self.parent = list(range(len(lo)))
        self.size = [1] * len(lo)
        self.lo, self.hi = list(lo), list(hi)
        self.ops = 0

    def find(self, a: int) -> int:
        parent = self.parent
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def roots(self) -> np.ndarray:
        """The root of every member, at once (pointer jumping on an array)."""
        p = np.array(self.parent, dtype="int64")
        while True:
            q = p[p]
            if (q == p).all():
                return p
            p = q

    def attach(self, members: np.ndarray, to: np.ndarray) -> None:
        """Make each of ``members`` (roots of single-member groups) part of the group of the matching
        ``to`` (whose interval contains the member's: nothing to check, nothing to narrow)."""
        parent = self.parent
        for a, b in zip(members.tolist(), to.tolist()):
            parent[a] = b  # a chain: find() shortens it
        for r in (self.find(b) for b in to.tolist()):
            self.size[r] += 1

    def join(self, a: int, b: int) -> bool:
        self.ops += 1
        parent, lo_, hi_ = self.parent, self.lo, self.hi
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        while parent[b] != b:
            parent[b] = parent[parent[b]]
            b = parent[b]
        if a == b:
            return True
        la, ha, lb, hb = lo_[a], hi_[a], lo_[b], hi_[b]
        lo = la if la > lb else lb
        hi = ha if ha < hb else hb
        if lo > hi or (lo == hi and la != ha and lb != hb):  # see _overlap
            return False
        if self.size[a] < self.size[b]:
            a, b = b, a
        parent[b] = a
        self.size[a] += self.size[b]
        lo_[a], hi_[a] = lo, hi
        return True


#: Work done by the last ``build_events`` call (join attempts, quote containment tests), for the
#: linearity test. Quote containment looks only at quotes sharing the query's rarest word trigram.
LAST_OPS = {"joins": 0, "quote_checks": 0, "mentions": 0}


# --------------------------------------------------------------------------------------------- events

def _article_table(articles: pd.DataFrame) -> pd.DataFrame:
    """Per doc_id: publication start and end (µs, ``_POS`` when undated) and the canonical doc id."""
    _require(articles, ("doc_id", "published_at"), "articles")
    n = len(articles)
    pub = np.array(_ints(articles["published_at"], _POS), dtype="int64") if n else np.zeros(0, "int64")
    prec = articles["published_precision"] if "published_precision" in articles else pd.Series(["minute"] * n)
    day = (prec.astype(str).to_numpy() == "day") & (pub < _POS)
    dup = articles["duplicate_of"] if "duplicate_of" in articles else pd.Series([None] * n, dtype=object)
    doc = articles["doc_id"].astype(str).to_numpy()
    canon = np.where(dup.notna().to_numpy(), dup.astype(object).to_numpy(), doc)
    out = pd.DataFrame({"pub": pub, "pub_end": pub + day * _DAY_US, "canon": canon.astype(str)},
                       index=pd.Index(doc, name="doc_id"))
    return out[~out.index.duplicated()]


def build_events(mentions: pd.DataFrame, articles: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Group mentions into events (one utterance each); return ``(mentions with event_id, events)``.

    ``mentions`` has every ``mentions`` column (``event_id`` may be missing: it is (re)computed);
    ``articles`` needs ``doc_id`` and ``published_at`` (``published_precision``, ``duplicate_of``
    and ``outlet`` are used when present). The rules are in this module's docstring. Mentions come
    back in their input order; events are sorted by time, then speaker.

    Example (the same quote in two articles is one event):
        >>> import pandas as pd
        >>> from helpers import schemas
        >>> def m(doc, day):
        ...     return dict(mention_id=f"{doc}:body:0", doc_id=doc, field="body", speaker="Ann",
        ...                 speaker_text="Ann", side="x", stance="claim", text="“We are talking to them,” Ann said.",
        ...                 quote="We are talking to them", cue="are talking", start=0, end=30, said_from=None,
        ...                 said_to=day, time_basis="published", time_cue=None, after_mention_id=None,
        ...                 lag_max=None, event_id="")
        >>> arts = pd.DataFrame({"doc_id": ["a", "b"], "published_at": pd.to_datetime(["2026-01-01", "2026-03-01"], utc=True)})
        >>> ms, ev = build_events(schemas.conform([m("a", "2026-01-01"), m("b", "2026-03-01")], "mentions"), arts)
        >>> ev[["n_mentions", "n_articles"]].values.tolist()
        [[2, 2]]
        >>> ms["event_id"].nunique()
        1
    """
    _require(mentions, _MENTION_NEEDS, "mentions")
    arts = _article_table(articles)
    m = mentions.drop(columns=["event_id"], errors="ignore").reset_index(drop=True)
    n = len(m)
    if n == 0:
        LAST_OPS.update(joins=0, quote_checks=0, mentions=0)
        return schemas.empty("mentions"), schemas.empty("events")
    ids = pa.array(m["mention_id"].astype(str), pa.large_string())
    order = pc.sort_indices(ids).to_numpy()  # by code point, as Python sorts str
    ordered = ids.take(order)
    if n > 1 and pc.any(pc.equal(ordered[1:], ordered[:-1])).as_py():
        dups = m.loc[m["mention_id"].duplicated(), "mention_id"].head(3).tolist()
        raise ValueError(f"mention_id must be unique; repeated: {', '.join(map(str, dups))}")
    rank = np.empty(n, dtype="int64")
    rank[order] = np.arange(n)  # each id's place in sorted order: the tie-break everywhere below

    lo = np.array(_ints(m["said_from"], _NEG), dtype="int64")
    hi = np.array(_ints(m["said_to"], _POS), dtype="int64")
    key = m.groupby(["speaker", "stance"], sort=True, dropna=False).ngroup().to_numpy()
    doc = pd.factorize(m["doc_id"].astype(str), sort=True)[0]
    groups = _Groups(lo.tolist(), hi.tolist())

    # (a) same article: sweep each (speaker, stance, doc) by interval end (greedy stabbing).
    # A mention with the same interval as the one before it always joins that one's group and leaves the
    # group's interval as it is (mentions of one article mostly share their bounds): linked directly,
    # only the others go through the sweep.
    o = np.lexsort((rank, lo, hi, doc, key))
    same = np.zeros(n, dtype=bool)
    same[1:] = (key[o][1:] == key[o][:-1]) & (doc[o][1:] == doc[o][:-1])
    twin = np.zeros(n, dtype=bool)
    twin[1:] = same[1:] & (lo[o][1:] == lo[o][:-1]) & (hi[o][1:] == hi[o][:-1])
    ol, sl, cur = o.tolist(), same.tolist(), -1
    for p in np.flatnonzero(~twin).tolist():
        if not sl[p] or not groups.join(cur, ol[p]):  # a new (speaker, stance, doc), or no overlap
            cur = ol[p]
    groups.attach(o[twin], o[np.flatnonzero(twin) - 1])

    # A mention that says it came after another ("hours later", "after X claimed") starts no earlier
    # than the statement it follows: its group's start is raised to that statement's group start.
    _follow_links(m["after_mention_id"], ids, groups)

    # (b) same or containing quote, within (speaker, stance).
    checks = _join_quotes(m["quote"], key, rank, groups)

    # (c) bounded groups across articles, (d) publication-bounded groups, per (speaker, stance).
    roots = np.unique(groups.roots())
    rlo, rhi = np.array(groups.lo)[roots], np.array(groups.hi)[roots]
    bounded = (rlo > _NEG) & (rhi < _POS)
    b = np.lexsort((rank[roots][bounded], rlo[bounded], rhi[bounded], key[roots][bounded]))
    cur, prev = -1, -1
    for r, k in zip(roots[bounded][b].tolist(), key[roots][bounded][b].tolist()):
        if k != prev or not groups.join(cur, r):
            cur, prev = r, k
    targets: dict[int, list[tuple]] = defaultdict(list)
    for r in {groups.find(r) for r in roots[bounded].tolist()}:
        targets[int(key[r])].append((groups.hi[r], groups.lo[r], int(rank[r]), r))
    for lst in targets.values():
        lst.sort()
    opened = (rlo <= _NEG) & (rhi < _POS)
    window = int(JOIN_WINDOW / pd.Timedelta(microseconds=1))
    p = np.lexsort((rank[roots][opened], rhi[opened], key[roots][opened]))
    for o_, k in zip(roots[opened][p].tolist(), key[roots][opened][p].tolist()):
        entries, end = targets[k], groups.hi[o_]
        j = bisect.bisect_right(entries, (end, _POS))
        pick = None
        if j < len(entries) and _overlap(entries[j][1], entries[j][0], _NEG, end):
            pick = j  # the nearest event whose interval contains this mention's end
        elif j > 0 and end - entries[j - 1][0] <= window:
            pick = j - 1  # else the latest event that ended within the window before it
        if pick is not None and groups.join(o_, entries[pick][3]):
            del entries[pick]
            r = groups.find(o_)
            bisect.insort(entries, (groups.hi[r], groups.lo[r], int(rank[r]), r))
        else:
            bisect.insort(entries, (end, _NEG, int(rank[o_]), o_))
    LAST_OPS.update(joins=groups.ops, quote_checks=checks, mentions=n)
    return _assemble(m, groups, rank, doc, arts)


def _follow_links(after: pd.Series, ids: pa.Array, groups: _Groups) -> None:
    """Raise the start of each linked mention's group to the start of the group it says it follows.

    Only when that start lies inside the group's interval: when the dates contradict the link they
    win (``pair_latency`` then never pairs a denial that ended before the claim began). ``ids``: the
    mention ids (unique), row by row.
    """
    has = after.notna().to_numpy()
    if not has.any():
        return
    found = pc.index_in(pa.array(after[has].astype(str), pa.large_string()), value_set=ids)
    for i, k in zip(np.flatnonzero(has).tolist(), found.to_pylist()):
        if k is None:  # the followed mention is not in the table
            continue
        ri, rj = groups.find(i), groups.find(k)
        start = groups.lo[rj]
        if ri != rj and groups.lo[ri] < start <= groups.hi[ri]:
            groups.lo[ri] = start


def _join_quotes(quotes: pd.Series, key: np.ndarray, rank: np.ndarray, groups: _Groups) -> int:
    """Rule (b): join mentions whose normalised quotes are equal or contain one another. Returns checks done."""
    has = quotes.notna().to_numpy()
    if not has.any():
        return 0
    idx = np.flatnonzero(has)
    raw = quotes[has].tolist()
    memo = {q: normalize_quote(q) for q in set(raw)}
    norm = [memo[q] for q in raw]
    q = pd.DataFrame({"i": idx, "key": key[idx], "norm": norm, "rank": rank[idx]})
    q = q[q["norm"].str.count(" ") + 1 >= MIN_QUOTE_WORDS]
    q = q.sort_values(["key", "norm", "rank"], kind="stable")
    first = q.groupby(["key", "norm"], sort=False)["i"].transform("first")
    for i, f in zip(q["i"].tolist(), first.tolist()):
        if i != f:
            groups.join(f, i)
    checks = 0
    distinct = q.drop_duplicates(["key", "norm"])
    for _, g in distinct.groupby("key", sort=False):
        if len(g) < 2:
            continue
        rep = dict(zip(g["norm"].tolist(), g["i"].tolist()))
        trigrams: dict[tuple, list[str]] = defaultdict(list)
        for text in rep:
            w = text.split()
            for t in {tuple(w[k:k + 3]) for k in range(len(w) - 2)}:
                trigrams[t].append(text)
        for text, i in rep.items():
            w = text.split()
            rarest = min((tuple(w[k:k + 3]) for k in range(len(w) - 2)), key=lambda t: len(trigrams[t]))
            for c in trigrams[rarest]:
                checks += 1
                if len(c) > len(text) and f" {text} " in f" {c} ":
                    groups.join(i, rep[c])
    return checks


def _rows(col: pd.Series, rows: np.ndarray) -> pd.Series:
    """``col`` at positions ``rows`` as a fresh str Series (a take on the column: no full conversion)."""
    return col.take(rows).astype("str").reset_index(drop=True)


def _assemble(m: pd.DataFrame, groups: _Groups, rank: np.ndarray, doc: np.ndarray, arts: pd.DataFrame):
    """Events table from the final groups (vectorised), and the mentions with their event_id."""
    n = len(m)
    root = groups.roots()
    docs = m["doc_id"].astype(str)
    at = arts.index.get_indexer(docs)
    known = at >= 0
    pub = np.where(known, arts["pub"].to_numpy()[at], _POS)
    pub_end = np.where(known, arts["pub_end"].to_numpy()[at], _POS)
    canon = pd.factorize(np.where(known, arts["canon"].to_numpy(dtype=object)[at], docs.to_numpy(dtype=object)))[0]
    not_body = (m["field"].astype(str) != "body").to_numpy()
    basis = _basis_rank(m["time_basis"])
    start = m["start"].to_numpy()

    # Report order inside an event: earliest-published article first (undated last), body before title.
    o = np.lexsort((rank, start, doc, not_body, pub, root))
    heads = np.flatnonzero(np.r_[True, root[o][1:] != root[o][:-1]])
    ends = np.r_[heads[1:], n]
    ev_root = root[o][heads]
    first = o[heads]
    n_mentions = ends - heads
    ev_basis = np.minimum.reduceat(basis[o], heads)
    first_pub = np.minimum.reduceat(pub[o], heads)
    cap = np.minimum.reduceat(pub_end[o], heads)
    pairs = np.unique(root.astype("int64") * (int(canon.max()) + 1) + canon)
    n_articles = pd.Series(pairs // (int(canon.max()) + 1)).value_counts().reindex(ev_root).to_numpy()
    side_ok = m["side"].notna().to_numpy()[o]
    side_pos = np.minimum.reduceat(np.where(side_ok, np.arange(n), n), heads)
    sides = m["side"].astype(object).to_numpy()
    ev_side = [sides[o[p]] if p < e else None for p, e in zip(side_pos.tolist(), ends.tolist())]
    qlen = m["quote"].str.len().fillna(-1).astype("int64").to_numpy()
    position = np.empty(n, dtype="int64")
    position[o] = np.arange(n)
    oq = np.lexsort((position, -qlen, root))  # longest quote first, then report order
    ids = m["mention_id"].astype(str).to_numpy(dtype=object)[np.lexsort((rank, root))].tolist()
    ev_id = ["E" + hashlib.sha1("\n".join(ids[h:e]).encode()).hexdigest()[:10]
             for h, e in zip(heads.tolist(), ends.tolist())]

    lo = np.array(groups.lo, dtype="int64")[ev_root]
    hi = np.array(groups.hi, dtype="int64")[ev_root]
    # No mention bounds the end: the utterance still came before its first report.
    capped = (hi >= _POS) & (cap < _POS) & (cap >= lo)
    hi = np.where(capped, cap, hi)
    ev_basis = np.where(capped & (ev_basis == BASIS_RANK["unknown"]), BASIS_RANK["published"], ev_basis)
    names = {v: k for k, v in BASIS_RANK.items()}
    events = pd.DataFrame({
        "event_id": pd.Series(ev_id, dtype="str"),
        "stance": _rows(m["stance"], first),
        "speaker": _rows(m["speaker"], first),
        "side": pd.Series(ev_side, dtype="str"),
        "text": _rows(m["text"], first),
        "quote": _rows(m["quote"], oq[heads]).where(qlen[oq[heads]] >= 0, None),
        "said_from": _dt_series(lo.tolist()),
        "said_to": _dt_series(hi.tolist()),
        "time_basis": pd.Series([names.get(b, "unknown") for b in ev_basis.tolist()], dtype="str"),
        "n_mentions": pd.Series(n_mentions, dtype="int64"),
        "n_articles": pd.Series(n_articles, dtype="int64"),
        "first_published_at": _dt_series(first_pub.tolist()),
    })
    events = events.sort_values(["said_from", "said_to", "speaker", "stance", "event_id"],
                                na_position="first", kind="stable").reset_index(drop=True)
    event_of = np.empty(n, dtype=object)
    event_of[ev_root] = ev_id
    out = m.assign(event_id=pd.Series(event_of[root], dtype="str"))  # the other columns are not copied
    for col in schemas.columns("mentions"):
        if col not in out:  # an optional column a caller's rows lack (e.g. ``rule``)
            out[col] = pd.Series([None] * len(out), dtype="str")
    return out[schemas.columns("mentions")], events


# --------------------------------------------------------------------------------------------- latency

def fmt_duration(td) -> str:
    """A duration in words an analyst reads at a glance.

    Example:
        >>> fmt_duration(pd.Timedelta(hours=36)), fmt_duration(pd.Timedelta(days=10)), fmt_duration(None)
        ('1 day 12 h', '10 days', 'unbounded')
    """
    if _na(td):
        return "unbounded"
    td = pd.Timedelta(td)
    if td == pd.Timedelta(0):
        return "0 s"
    days, rest = td.days, td - pd.Timedelta(days=td.days)
    hours, minutes = rest.seconds // 3600, (rest.seconds % 3600) // 60
    parts = []
    if days:
        parts.append(f"{days} day" + ("s" if days != 1 else ""))
    if hours:
        parts.append(f"{hours} h")
    if minutes and not days:
        parts.append(f"{minutes} min")
    return " ".join(parts) or f"{int(td.total_seconds())} s"


def _fmt_time(v: int) -> str:
    t = _ts(v)
    if t is None:
        return "?"
    return t.strftime("%Y-%m-%d") if (t.hour, t.minute, t.second) == (0, 0, 0) else t.strftime("%Y-%m-%d %H:%M UTC")


def _event_bounds(events: pd.DataFrame) -> dict[str, dict]:
    """Per event: its interval in µs and time basis (the evidence is added later by ``_add_evidence``)."""
    ev = {}
    for eid, lo, hi, basis in zip(events["event_id"].astype(str).tolist(), _ints(events["said_from"], _NEG),
                                  _ints(events["said_to"], _POS), events["time_basis"].astype(str).tolist()):
        ev[eid] = dict(lo=lo, hi=hi, basis=basis, lo_src=None, hi_src=None)
    return ev


def _add_evidence(bounds: dict[str, dict], wanted: set[str], mentions: pd.DataFrame) -> None:
    """For the events in ``wanted``: which mention decided the start and the end (basis, cue, doc).

    Among mentions giving the same bound, the best time basis wins, then the smallest mention id.
    """
    m = mentions.loc[mentions["event_id"].isin(list(wanted)),  # the few columns used: no copy of the rest
                     ["event_id", "mention_id", "doc_id", "time_basis", "time_cue", "said_from", "said_to"]]
    codes, events = pd.factorize(m["event_id"].astype(str))
    for end, col, nat in (("lo", "said_from", _NEG), ("hi", "said_to", _POS)):
        target = np.array([bounds[e][end] for e in events], dtype="int64")[codes]
        own = m[np.array(_ints(m[col], nat), dtype="int64") == target]  # the mentions giving the bound
        t = pd.DataFrame({"event_id": own["event_id"].astype(str).tolist(),
                          "mention_id": own["mention_id"].astype(str).tolist(),
                          "doc": own["doc_id"].astype(str).tolist(), "basis": own["time_basis"].astype(str).tolist(),
                          "cue": own["time_cue"].astype(object).tolist(), "rank": _basis_rank(own["time_basis"])})
        first = t.sort_values(["event_id", "rank", "mention_id"], kind="stable").drop_duplicates("event_id")
        for eid, doc, basis, cue in zip(first["event_id"].tolist(), first["doc"].tolist(), first["basis"].tolist(),
                                        first["cue"].tolist()):
            bounds[eid][f"{end}_src"] = dict(doc=doc, basis=basis, cue=None if _na(cue) else cue)
    for eid in wanted:  # an end capped at publication (see build_events) has no mention behind it
        e = bounds[eid]
        if e["hi"] < _POS and e["hi_src"] is None:
            e["hi_src"] = dict(doc=None, basis="published", cue=None)


def _describe(src: dict | None, v: int) -> str:
    if src is None:
        return _fmt_time(v)
    where = f" in {src['doc']}" if src.get("doc") else ""
    how = f"'{src['cue']}'{where}" if src.get("cue") else f"{src['basis']}{where}"
    return f"{_fmt_time(v)} ({how})"


def pair_latency(events: pd.DataFrame, mentions: pd.DataFrame, neutral_sides=()) -> pd.DataFrame:
    """Pair each claim event with the first denial by another side; latency as an interval.

    ``mentions`` must carry ``event_id`` (the output of ``build_events``). Claims without a side,
    and claims no other side denies, get no row. Claims and denials of a side in ``neutral_sides``
    (the story's sides of kind ``neutral``) are never paired. See the module docstring for the rules.

    Example ("hours later" bounds the delay by one day):
        >>> import pandas as pd
        >>> from helpers import schemas
        >>> base = dict(field="body", quote=None, cue="x", start=0, end=9, said_from=None, time_cue=None,
        ...             after_mention_id=None, lag_max=None, time_basis="published", said_to="2026-01-02")
        >>> rows = [dict(base, mention_id="d:body:0", doc_id="d", speaker="Ann", speaker_text="Ann", side="a",
        ...              stance="claim", text="Ann claimed talks.", event_id="E1"),
        ...         dict(base, mention_id="d:body:20", doc_id="d", speaker="Bob", speaker_text="Bob", side="b",
        ...              stance="denial", text="Hours later, Bob denied it.", time_cue="Hours later",
        ...              after_mention_id="d:body:0", lag_max="1 day", event_id="E2", start=20, end=40)]
        >>> ms = schemas.conform(rows, "mentions")
        >>> arts = pd.DataFrame({"doc_id": ["d"], "published_at": pd.to_datetime(["2026-01-01"], utc=True),
        ...                      "published_precision": ["day"]})
        >>> ms, ev = build_events(ms, arts)
        >>> lat = pair_latency(ev, ms)
        >>> lat[["denial_speaker", "latency_min", "latency_max", "basis"]].values.tolist()
        [['Bob', Timedelta('0 days 00:00:00'), Timedelta('1 days 00:00:00'), 'relative']]
        >>> lat.loc[0, "note"]
        "'Hours later' in d: the denial came at most 1 day after the claim"
    """
    _require(events, ("event_id", "stance", "speaker", "side", "said_from", "said_to", "time_basis"), "events")
    _require(mentions, ("event_id", "mention_id", "doc_id", "text", "time_basis", "time_cue", "said_from",
                        "said_to", "after_mention_id", "lag_max"), "mentions")
    if events.empty:
        return schemas.empty("latency")
    bounds = _event_bounds(events)
    speaker = dict(zip(events["event_id"].astype(str).tolist(), events["speaker"].astype(str).tolist()))

    # Relative links: a denial mention says it came after a claim mention.
    links: dict[tuple[str, str], tuple] = {}
    linked = mentions.loc[mentions["after_mention_id"].notna(),  # the few columns used: no copy of the rest
                          ["after_mention_id", "lag_max", "time_cue", "text", "doc_id", "event_id"]]
    if len(linked):
        event_of = pd.Series(mentions["event_id"].astype(str).to_numpy(), index=mentions["mention_id"].astype(str))
        event_of = event_of[~event_of.index.duplicated()]
        after_event = event_of.reindex(linked["after_mention_id"].astype(str)).tolist()
        for c, lag, cue, text, doc, eid in zip(after_event, _td_ints(linked["lag_max"]), linked["time_cue"].tolist(),
                                               linked["text"].tolist(), linked["doc_id"].tolist(),
                                               linked["event_id"].astype(str).tolist()):
            if _na(c):
                continue
            old = links.get((c, eid))
            lag_v = _POS if lag is None else lag
            if old is None or lag_v < old[0]:
                links[(c, eid)] = (lag_v, None if _na(cue) else cue, doc, text)
    links_by_claim: dict[str, list[str]] = defaultdict(list)
    for c, d in links:
        links_by_claim[c].append(d)

    stance = events["stance"].astype(str).tolist()
    sides = events["side"].astype(object).tolist()
    eids = events["event_id"].astype(str).tolist()
    neutral = set(neutral_sides)
    claims = [(e, None if _na(s_) else s_) for e, st, s_ in zip(eids, stance, sides)
              if st == "claim" and (_na(s_) or s_ not in neutral)]
    denial_side = {e: None if _na(s_) else s_ for e, st, s_ in zip(eids, stance, sides)
                   if st == "denial" and (_na(s_) or s_ not in neutral)}
    by_side: dict[str | None, list[tuple]] = defaultdict(list)
    for eid, side in denial_side.items():
        by_side[side].append((bounds[eid]["hi"], bounds[eid]["lo"], eid))
    for lst in by_side.values():
        lst.sort()

    chosen = []
    for cid, cside in claims:
        cb = bounds[cid]
        cands = set()
        for side, lst in by_side.items():
            if side == cside or side is None and cside is None:
                continue  # the same side; or neither side known: nothing says they disagree
            # the earliest-ending denial that ends after the claim's start (smallest latency bound), and
            # the earliest-ending one that ends no earlier than the claim's end (for claims with no start)
            for k in (bisect.bisect_right(lst, (cb["lo"], _POS, "")), bisect.bisect_left(lst, (cb["hi"], -_POS, ""))):
                if k < len(lst):
                    cands.add(lst[k][2])
        cands.update(d for d in links_by_claim.get(cid, ()) if d in denial_side and denial_side[d] != cside)
        cands = {d for d in cands if speaker[d] != speaker[cid]}
        best = None
        for did in cands:
            if bounds[did]["hi"] <= (cb["lo"] if cb["lo"] > _NEG else cb["hi"] - _RECENCY_US):
                continue  # ended before the claim could start: whatever a headline says, not an answer to it
            r = _latency(cb, bounds[did], links.get((cid, did)))
            link = (cid, did) in links
            rank = (denial_side[did] is None, r["max"], r["after_claim"], not link, bounds[did]["hi"],
                    -bounds[did]["lo"], did)
            if best is None or rank < best[0]:
                best = (rank, did)
        if best is not None:
            chosen.append((cid, best[1]))

    _add_evidence(bounds, {e for pair in chosen for e in pair}, mentions)
    rows = []
    for cid, did in chosen:
        r = _latency(bounds[cid], bounds[did], links.get((cid, did)))
        rows.append(dict(claim_event_id=cid, denial_event_id=did, claim_speaker=speaker[cid],
                         denial_speaker=speaker[did],
                         latency_min=pd.Timedelta(microseconds=r["min"]),
                         latency_max=None if r["max"] >= _POS else pd.Timedelta(microseconds=r["max"]),
                         basis=r["basis"], note=r["note"]))
    if not rows:
        return schemas.empty("latency")
    out = pd.DataFrame(rows, columns=schemas.columns("latency"))
    out["latency_min"] = pd.to_timedelta(out["latency_min"]).astype(schemas.TIMEDELTA_DTYPE)
    out["latency_max"] = pd.to_timedelta(out["latency_max"]).astype(schemas.TIMEDELTA_DTYPE)
    for c in ("claim_event_id", "denial_event_id", "claim_speaker", "denial_speaker", "basis", "note"):
        out[c] = out[c].astype("str")
    return out.sort_values(["claim_event_id"]).reset_index(drop=True)


def _relation_cue(text) -> str | None:
    """The words saying one statement followed another ("hours after"), as ``reltime`` reads them."""
    if _na(text):
        return None
    from . import reltime

    return reltime.resolve(str(text), pd.NaT, "unknown").relation_cue


def _latency(c: dict, d: dict, link: tuple | None) -> dict:
    """The latency interval of one (claim, denial) pair, its basis and its note (times in µs)."""
    lmin = max(0, d["lo"] - c["hi"]) if d["lo"] > _NEG and c["hi"] < _POS else 0
    if d["hi"] < _POS and c["lo"] <= _NEG and c["hi"] < _POS:
        # The claim's start is unknown: news reports what was said recently, so assume the claim was made
        # at most ASSUMED_RECENCY before its latest possible time (said so in basis and note).
        lo = c["hi"] - _RECENCY_US
        lmax = max(0, d["hi"] - lo)
        basis = "assumed"
        note = (f"claim's earliest time unknown: assumed at most {fmt_duration(ASSUMED_RECENCY)} before "
                f"{_describe(c['hi_src'], c['hi'])}; denial no later than {_describe(d['hi_src'], d['hi'])}: "
                f"at most {fmt_duration(pd.Timedelta(microseconds=lmax))} under that assumption")
    elif d["hi"] < _POS and c["lo"] > _NEG:
        lmax = d["hi"] - c["lo"]
        ranked = [c["lo_src"]["basis"] if c["lo_src"] else c["basis"],
                  d["hi_src"]["basis"] if d["hi_src"] else d["basis"]]
        basis = max(ranked, key=lambda b: BASIS_RANK.get(b, 4))
        note = (f"claim no earlier than {_describe(c['lo_src'], c['lo'])}; denial no later than "
                f"{_describe(d['hi_src'], d['hi'])}: at most {fmt_duration(pd.Timedelta(microseconds=lmax))}")
    else:
        lmax, basis = _POS, "unknown"
        why = "the claim has no known earliest time" if c["lo"] <= _NEG else "the denial has no known latest time"
        note = f"no upper bound: {why}"
    if link is not None:
        lag, cue, doc, text = link
        cue = _relation_cue(text) or cue
        phrase = f"'{cue}' in {doc}" if cue else f"a statement in {doc}"
        if lag < _POS and lmin > lag:
            note = (f"{phrase} puts the denial at most {fmt_duration(pd.Timedelta(microseconds=lag))} after "
                    f"the claim, but the dates allow no less than {fmt_duration(pd.Timedelta(microseconds=lmin))}"
                    f"; the relative statement is kept")
            lmin, lmax, basis = 0, lag, "relative"
        elif lag < lmax or lag <= lmax and basis == "assumed":
            lmax, basis = lag, "relative"
            note = f"{phrase}: the denial came at most {fmt_duration(pd.Timedelta(microseconds=lag))} after the claim"
    if lmin > 0:
        note += (f"; at least {fmt_duration(pd.Timedelta(microseconds=lmin))} (claim no later than "
                 f"{_describe(c['hi_src'], c['hi'])}, denial no earlier than {_describe(d['lo_src'], d['lo'])})")
    after_claim = 0 if d["hi"] >= c["hi"] else 1  # prefer denials that can lie after the whole claim interval
    return dict(min=lmin, max=lmax, basis=basis, note=note, after_claim=after_claim)


# --------------------------------------------------------------------------------------------- aggregations

def _with_articles(mentions: pd.DataFrame, articles: pd.DataFrame, cols) -> pd.DataFrame:
    cols = [c for c in cols if c in articles.columns and c not in mentions.columns]
    if not cols:
        return mentions.copy()
    return mentions.merge(articles[["doc_id", *cols]], on="doc_id", how="left")


def _columns(mentions: pd.DataFrame, *cols: str) -> pd.DataFrame:
    """``doc_id``, ``stance`` and those of ``cols`` the table has: merging 760k full rows costs seconds."""
    return mentions[list(dict.fromkeys(c for c in ("doc_id", "stance", *cols) if c in mentions.columns))]


def _canonical_doc(df: pd.DataFrame) -> pd.Series:
    if "duplicate_of" not in df:
        return df["doc_id"]
    return df["duplicate_of"].where(df["duplicate_of"].notna(), df["doc_id"])


def _label(series: pd.Series, missing: str = "(none)") -> pd.Series:
    return series.astype("object").where(series.notna(), missing).astype("str")


def daily_counts(mentions: pd.DataFrame, articles: pd.DataFrame, clock: str = "said", by: str = "stance",
                 stances=("claim", "denial")) -> pd.DataFrame:
    """Mentions per UTC day, by when they were said or when they were published.

    ``clock="said"``: the day of ``said_from`` when the start is known, else the day of ``said_to`` (the
    latest possible day; a bound at midnight exactly counts for the day before). Mentions with no time
    at all are left out. ``basis`` tells which: the mention's ``time_basis`` (``explicit``/``relative``
    use the start, ``published`` the end). ``clock="published"``: the article's publication day
    (``basis`` = ``publication``); undated articles are left out. ``by`` is ``stance``, ``speaker``,
    ``side`` or ``outlet`` (missing values show as ``(none)``). Columns: ``day, <by>, basis,
    n_mentions, n_articles``.

    Example:
        >>> import pandas as pd
        >>> ms = pd.DataFrame({"doc_id": ["a", "a", "b"], "stance": ["claim", "denial", "claim"],
        ...     "said_from": pd.to_datetime(["2026-01-03", None, None], utc=True),
        ...     "said_to": pd.to_datetime(["2026-01-04", "2026-01-05", None], utc=True),
        ...     "time_basis": ["explicit", "published", "unknown"]})
        >>> arts = pd.DataFrame({"doc_id": ["a", "b"], "published_at": pd.to_datetime(["2026-01-04 10:00", None], utc=True)})
        >>> daily_counts(ms, arts)[["day", "stance", "basis", "n_mentions"]].astype(str).values.tolist()
        [['2026-01-03 00:00:00+00:00', 'claim', 'explicit', '1'], ['2026-01-04 00:00:00+00:00', 'denial', 'published', '1']]
        >>> daily_counts(ms, arts, clock="published")[["stance", "n_mentions"]].values.tolist()
        [['claim', 1], ['denial', 1]]
    """
    if clock not in ("said", "published"):
        raise ValueError(f"clock must be 'said' or 'published', not {clock!r}")
    if by not in ("stance", "speaker", "side", "outlet"):
        raise ValueError(f"by must be one of stance, speaker, side, outlet; not {by!r}")
    _require(mentions, ("doc_id", "stance"), "mentions")
    m = _columns(mentions[mentions["stance"].isin(list(stances))], "said_from", "said_to", "time_basis", by)
    m = _with_articles(m, articles, ["published_at", "outlet", "duplicate_of"])
    if clock == "said":
        _require(m, ("said_from", "said_to", "time_basis"), "mentions")
        start = pd.to_datetime(m["said_from"], utc=True)
        end = pd.to_datetime(m["said_to"], utc=True) - pd.Timedelta(microseconds=1)
        day = start.dt.floor("D").where(start.notna(), end.dt.floor("D"))
        basis = m["time_basis"].astype("str")
    else:
        day = pd.to_datetime(m["published_at"], utc=True).dt.floor("D")
        basis = pd.Series("publication", index=m.index, dtype="str")
    m = m.assign(day=day, basis=basis, _doc=_canonical_doc(m))
    if by in m:
        m[by] = _label(m[by])
    else:
        m[by] = "(none)"
    m = m[m["day"].notna()]
    out = (m.groupby(["day", by, "basis"], sort=True)
           .agg(n_mentions=("doc_id", "size"), n_articles=("_doc", "nunique")).reset_index())
    out["day"] = pd.to_datetime(out["day"], utc=True).astype(schemas.UTC_DTYPE)
    return out


def counts_by(mentions: pd.DataFrame, articles: pd.DataFrame, key: str = "speaker",
              stances=("claim", "denial")) -> pd.DataFrame:
    """How many mentions, events and articles per speaker, side or outlet, and stance.

    ``mentions`` needs ``event_id`` (from ``build_events``). A syndicated copy counts as its
    original in ``n_articles``. Missing sides/outlets show as ``(none)``. Sorted by most mentions.

    Example:
        >>> import pandas as pd
        >>> ms = pd.DataFrame({"doc_id": ["a", "b", "b"], "stance": ["claim", "claim", "denial"],
        ...     "speaker": ["Ann", "Ann", "Bob"], "side": ["x", "x", None], "event_id": ["E1", "E1", "E2"]})
        >>> arts = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["Daily", "Weekly"], "duplicate_of": [None, None]})
        >>> counts_by(ms, arts).values.tolist()
        [['Ann', 'claim', 2, 1, 2], ['Bob', 'denial', 1, 1, 1]]
        >>> counts_by(ms, arts, key="side")["side"].tolist()
        ['x', '(none)']
    """
    if key not in ("speaker", "side", "outlet"):
        raise ValueError(f"key must be speaker, side or outlet; not {key!r}")
    _require(mentions, ("doc_id", "stance", "event_id"), "mentions")
    m = _columns(mentions[mentions["stance"].isin(list(stances))], "event_id", key)
    m = _with_articles(m, articles, ["outlet", "duplicate_of"])
    m = m.assign(_doc=_canonical_doc(m))
    m[key] = _label(m[key]) if key in m else "(none)"
    out = (m.groupby([key, "stance"], sort=True)
           .agg(n_mentions=("doc_id", "size"), n_events=("event_id", "nunique"), n_articles=("_doc", "nunique"))
           .reset_index())
    return out.sort_values(["n_mentions", key, "stance"], ascending=[False, True, True],
                           kind="stable").reset_index(drop=True)


def repeated_quotes(mentions: pd.DataFrame) -> pd.DataFrame:
    """Direct quotes reported more than once (same words after normalisation), with the documents.

    Columns: ``quote`` (the longest original spelling), ``speaker``, ``stance``, ``n_mentions``,
    ``n_articles``, ``doc_ids`` (comma-separated), ``event_ids``. Sorted by most repeated.

    Example:
        >>> import pandas as pd
        >>> ms = pd.DataFrame({"doc_id": ["a", "a", "b"], "speaker": ["Ann"] * 3, "stance": ["claim"] * 3,
        ...     "quote": ["We are talking.", "we are talking", "Something else entirely"], "event_id": ["E1"] * 3})
        >>> repeated_quotes(ms)[["quote", "n_mentions", "n_articles", "doc_ids"]].values.tolist()
        [['We are talking.', 2, 1, 'a']]
    """
    _require(mentions, ("doc_id", "speaker", "stance", "quote"), "mentions")
    m = mentions[mentions["quote"].notna()].copy()
    cols = ["quote", "speaker", "stance", "n_mentions", "n_articles", "doc_ids", "event_ids"]
    if m.empty:
        return pd.DataFrame({c: pd.Series([], dtype="int64" if c.startswith("n_") else "str") for c in cols})
    if "event_id" not in m:
        m["event_id"] = ""
    quote, speaker, stance, doc, event = (m[c].astype(str).tolist()
                                          for c in ("quote", "speaker", "stance", "doc_id", "event_id"))
    norm = {q: normalize_quote(q) for q in set(quote)}  # quotes repeat: normalise each spelling once
    by_norm: dict[str, list[int]] = defaultdict(list)
    for i, q in enumerate(quote):
        if norm[q]:
            by_norm[norm[q]].append(i)
    rows = []
    for key in sorted(by_norm):
        g = by_norm[key]
        if len(g) < 2:
            continue
        docs = {doc[i] for i in g}
        rows.append(dict(quote=max((quote[i] for i in g), key=len),
                         speaker=", ".join(sorted({speaker[i] for i in g})),
                         stance=", ".join(sorted({stance[i] for i in g})),
                         n_mentions=len(g), n_articles=len(docs), doc_ids=", ".join(sorted(docs)),
                         event_ids=", ".join(sorted({event[i] for i in g} - {""}))))
    out = pd.DataFrame(rows, columns=cols)
    out = out.astype({c: ("int64" if c.startswith("n_") else "str") for c in cols})
    return out.sort_values(["n_mentions", "quote"], ascending=[False, True], kind="stable").reset_index(drop=True)


def first_reports(events: pd.DataFrame, mentions: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """For each event: which article reported it first (doc, outlet, time) and how many re-reported it.

    Undated articles come last. ``n_rereports`` = distinct later articles (copies count as their original).

    Example:
        >>> import pandas as pd
        >>> ev = pd.DataFrame({"event_id": ["E1"], "stance": ["claim"], "speaker": ["Ann"], "side": ["x"]})
        >>> ms = pd.DataFrame({"event_id": ["E1", "E1"], "doc_id": ["late", "early"], "mention_id": ["l:body:0", "e:body:0"]})
        >>> arts = pd.DataFrame({"doc_id": ["late", "early"], "outlet": ["Weekly", "Daily"],
        ...     "published_at": pd.to_datetime(["2026-01-05", "2026-01-02"], utc=True)})
        >>> first_reports(ev, ms, arts)[["first_doc_id", "first_outlet", "n_rereports"]].values.tolist()
        [['early', 'Daily', 1]]
    """
    _require(events, ("event_id", "stance", "speaker", "side"), "events")
    _require(mentions, ("event_id", "doc_id"), "mentions")
    m = _with_articles(_columns(mentions[mentions["event_id"].isin(events["event_id"])], "event_id"), articles,
                       ["published_at", "outlet", "duplicate_of"])
    for c in ("published_at", "outlet"):
        if c not in m:
            m[c] = None
    m = m.assign(_doc=_canonical_doc(m), _nat=m["published_at"].isna())
    m = m.sort_values(["event_id", "_nat", "published_at", "doc_id"], kind="stable")
    first = m.drop_duplicates("event_id").set_index("event_id")
    stats = m.groupby("event_id").agg(n_mentions=("doc_id", "size"), n_articles=("_doc", "nunique"))
    out = events[["event_id", "stance", "speaker", "side"]].copy()
    out["first_doc_id"] = out["event_id"].map(first["doc_id"]).astype("str")
    out["first_outlet"] = out["event_id"].map(first["outlet"]).astype("str")
    out["first_published_at"] = pd.to_datetime(out["event_id"].map(first["published_at"]), utc=True)
    out["n_mentions"] = out["event_id"].map(stats["n_mentions"]).fillna(0).astype("int64")
    out["n_articles"] = out["event_id"].map(stats["n_articles"]).fillna(0).astype("int64")
    out["n_rereports"] = (out["n_articles"] - 1).clip(lower=0)
    return out.reset_index(drop=True)


def reporting_lag(mentions: pd.DataFrame, articles: pd.DataFrame, per: str = "mention",
                  stances=("claim", "denial")) -> pd.DataFrame:
    """How long after a statement was said it was published, as an interval.

    ``per="mention"``: one row per dated mention: ``lag_min = max(0, published - said_to)``,
    ``lag_max = published_end - said_from`` (null when the start is unknown; for a day-precision
    publication date ``published_end`` is the end of that day). ``per="outlet"``: per outlet,
    ``n_mentions``, ``n_bounded`` (with a finite ``lag_max``) and the medians of both bounds.

    Example:
        >>> import pandas as pd
        >>> ms = pd.DataFrame({"mention_id": ["a:body:0"], "doc_id": ["a"], "speaker": ["Ann"], "stance": ["claim"],
        ...     "said_from": pd.to_datetime(["2026-01-01"], utc=True), "said_to": pd.to_datetime(["2026-01-02"], utc=True),
        ...     "time_basis": ["explicit"]})
        >>> arts = pd.DataFrame({"doc_id": ["a"], "outlet": ["Daily"], "published_precision": ["day"],
        ...     "published_at": pd.to_datetime(["2026-01-03"], utc=True)})
        >>> reporting_lag(ms, arts)[["lag_min", "lag_max"]].astype(str).values.tolist()
        [['1 days', '3 days']]
        >>> reporting_lag(ms, arts, per="outlet")["median_lag_max"].astype(str).tolist()
        ['3 days']
    """
    if per not in ("mention", "outlet"):
        raise ValueError(f"per must be 'mention' or 'outlet', not {per!r}")
    _require(mentions, ("mention_id", "doc_id", "stance", "said_from", "said_to", "time_basis"), "mentions")
    m = _columns(mentions[mentions["stance"].isin(list(stances))], "mention_id", "speaker", "time_basis",
                 "said_from", "said_to")
    m = _with_articles(m, articles, ["published_at", "published_precision", "outlet"])
    for c in ("outlet", "published_precision"):
        if c not in m:
            m[c] = None
    pub = pd.to_datetime(m["published_at"], utc=True)
    m = m[pub.notna()].copy()
    pub = pub[pub.notna()]
    pub_end = pub + pd.to_timedelta((m["published_precision"] == "day").astype("int64"), unit="D")
    said_from = pd.to_datetime(m["said_from"], utc=True)
    said_to = pd.to_datetime(m["said_to"], utc=True)
    zero = pd.Timedelta(0)
    m["outlet"] = _label(m["outlet"])
    m["published_at"] = pub
    m["lag_min"] = (pub - said_to).clip(lower=zero).fillna(zero).astype(schemas.TIMEDELTA_DTYPE)
    m["lag_max"] = (pub_end - said_from).clip(lower=zero).astype(schemas.TIMEDELTA_DTYPE)
    cols = ["mention_id", "doc_id", "outlet", "speaker", "stance", "time_basis", "said_from", "said_to",
            "published_at", "lag_min", "lag_max"]
    m = m[[c for c in cols if c in m]].reset_index(drop=True)
    if per == "mention":
        return m
    out = (m.groupby("outlet", sort=True)
           .agg(n_mentions=("mention_id", "size"), n_bounded=("lag_max", "count"),
                median_lag_min=("lag_min", "median"), median_lag_max=("lag_max", "median"))
           .reset_index())
    return out
