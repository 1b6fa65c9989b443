"""When was a statement made? Resolve the time words of its sentence against the article's own date.

``resolve(sentence, published_at, precision, tz=None)`` returns a :class:`TimeResolution`: an interval
``[said_from, said_to]`` (UTC), the ``basis`` that fixed it, the ``cue`` words, and, for phrases such as
"hours later" / "hours after", a ``relation`` ("after") with an upper bound ``lag_max`` on the delay.

Rules (news is written about the past, so every reading has a PAST bias):

- Explicit dates: "Feb. 1", "January 3", "on January 3", "Jan 12, 2026", "3 March 2026", "2026-01-12".
  Without a year, the year of publication, or the year before when that day would fall after
  publication. A date after publication is not a time of saying and is ignored. Basis ``explicit``.
- Weekdays: "on Sunday", "Sunday", "last Monday": the most recent such day on or before the
  publication day (the publication day in the article's time zone when ``tz`` is known, else UTC).
  "yesterday", "today", "this morning", "last night", "earlier this week", "this week", "last week",
  "earlier this month", "last month": likewise. Basis ``relative``.
- Days are calendar days of the article's time zone when it is known (minute precision with a zone:
  "on Monday" in an IST article is [Monday 00:00 IST, Tuesday 00:00 IST], in UTC), else UTC calendar days
  (day-precision dates are UTC midnights, as in the ``articles`` table). The speaker's own time zone is
  unknown: read day bounds as accurate to about half a day. Every interval is capped at publication (a
  statement precedes its report).
- Relative lags: "hours later/after", "a few hours later", "shortly after", "moments later" (lag at most
  1 day); "minutes later/after" (1 hour); "N hours later" (N+1 hours); "a day later", "the next day",
  "the following day" (2 days: the next calendar day can end 48 hours on); "N days later" (N days, as
  the project decided); "days later" (7 days); "a week later" (7 days); "weeks later" (no bound).
  "two days earlier" / "a day before" give relation ``before``. The interval itself then stays bounded
  by publication only (basis ``published``); the link to the other statement is the extraction's job.
- Failing all that: ``said_to`` = publication (end of the publication day for day precision),
  ``said_from`` NaT, basis ``published``; no publication date: basis ``unknown``, both NaT.

``said_to`` is an upper bound ("no later than"); ``said_from`` a lower bound.

Example:
    >>> import pandas as pd
    >>> pub = pd.Timestamp("2026-01-12 18:18", tz="UTC")
    >>> r = resolve("Cuba on Monday dismissed it, hours after he spoke.", pub, "minute", "IST")
    >>> (str(r.said_from), str(r.said_to), r.basis, r.cue, r.relation, str(r.lag_max))
    ('2026-01-11 18:30:00+00:00', '2026-01-12 18:18:00+00:00', 'relative', 'on Monday; hours after', 'after', '1 days 00:00:00')
    >>> resolve("He told reporters on Feb. 1 that ...", pd.Timestamp("2026-02-10", tz="UTC"), "day").said_from
    Timestamp('2026-02-01 00:00:00+0000', tz='UTC')
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import NamedTuple

import pandas as pd

from .text import MONTHS, is_na

__all__ = ["TimeResolution", "resolve", "tz_offset"]

NaT = pd.NaT
DAY = pd.Timedelta(days=1)

_MONTHS = MONTHS  # the one month table (helpers.text)
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_NUM = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
        "eight": 8, "nine": 9, "ten": 10, "a couple of": 2, "a few": None, "several": None, "some": None}

_MON = r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_MON2 = _MON.replace("?P<mon>", "?P<mon2>")
_DAYNUM = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_EXPLICIT = re.compile(
    r"\b(?:on\s+)?(?:"
    + _MON + r"\s+" + _DAYNUM + r"(?!\d)(?:,?\s+(?P<year>(?:19|20)\d\d))?"
    + r"|(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MON2 + r"(?:,?\s+(?P<year2>(?:19|20)\d\d))?"
    + r"|(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)"
    + r")\b")
_WEEKDAY = re.compile(
    r"\b(?:(?P<prep>on|last|this past|this|since|until|by)\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"(?:\s+(?:morning|afternoon|evening|night))?\b")
_RELDAY = re.compile(
    r"\b(?P<rel>earlier\s+today|later\s+today|today|this\s+morning|this\s+afternoon|this\s+evening|tonight|"
    r"yesterday(?:\s+(?:morning|afternoon|evening))?|last\s+night|the\s+day\s+before\s+yesterday|"
    r"earlier\s+this\s+week|this\s+week|last\s+week|earlier\s+this\s+month|this\s+month|last\s+month)\b",
    re.IGNORECASE)
_LAG = re.compile(
    r"\b(?P<q>(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a\s+couple\s+of|a\s+few|several|some)\s+)?"
    r"(?P<unit>minutes?|hours?|days?|weeks?)\s+(?P<dir>later|after|afterwards|earlier|before)\b"
    r"|\b(?P<soon>shortly|soon|moments|within\s+(?:the|an)\s+hour|within\s+(?:a\s+few\s+)?hours|the\s+(?:next|following)\s+day)"
    r"(?:\s+(?P<dir2>later|after|afterwards))?\b",
    re.IGNORECASE)


_DIGIT = re.compile(r"\d")
_SPACES = re.compile(r"\s+")
_DAY_WORDS = ("day", "tonight", "week", "month", "night", "this morning", "this afternoon", "this evening")
_LAG_WORDS = ("later", "after", "earlier", "before", "shortly", "soon", "moments", "within", "next", "following")


@dataclass(frozen=True)
class TimeResolution:
    """The time a statement was made, as an interval, and the words that decided it.

    ``relation`` is "after" / "before" (another statement) or None; ``lag_max`` bounds that delay.
    """

    said_from: pd.Timestamp
    said_to: pd.Timestamp
    basis: str
    cue: str | None
    relation: str | None = None
    lag_max: pd.Timedelta | None = None
    relation_cue: str | None = None


@lru_cache(maxsize=1024)
def _anchor(pub, kind, precision: str, tz):
    """(upper bound, local publication day as a UTC-midnight stamp, shift local->UTC, the result when the
    words fix nothing), once per article. ``kind``: pub's (time zone, unit): equal instants in other zones
    or units hash alike but print differently."""
    upper = pub + DAY if precision == "day" else pub
    # daylight-saving names (ET) resolved at the UTC date and hour: off by one hour at most, on the night of a change
    off = tz_offset(tz, pub.date(), pub.hour, pub.minute) if precision == "minute" else None
    shift = pd.Timedelta(off) if off is not None else pd.Timedelta(0)
    d = (pub.to_pydatetime() + shift.to_pytimedelta()).date()
    local_day = pd.Timestamp(year=d.year, month=d.month, day=d.day, tz="UTC")
    return upper, local_day, shift, TimeResolution(NaT, upper, "published", None)


def tz_offset(tz, on=None, hour: int = 0, minute: int = 0) -> timedelta | None:
    """UTC offset of a time-zone label as the article wrote it (``IST``, ``+05:30``, ``UTC-5``, ``(ET)``), or
    None: :func:`helpers.dates.tz_offset` (the one answer; daylight-saving names such as ``ET`` resolved at
    the local date ``on``, winter time when no date is given), accepting NaN/None and parentheses.

    Example:
        >>> tz_offset("IST"), tz_offset("+05:30"), tz_offset("GMT-5"), tz_offset("nonsense")
        (datetime.timedelta(seconds=19800), datetime.timedelta(seconds=19800), datetime.timedelta(days=-1, seconds=68400), None)
        >>> tz_offset("ET") == timedelta(hours=-5)
        True
    """
    from .dates import tz_offset as dates_tz_offset

    if is_na(tz):
        return None
    s = str(tz).strip().strip("()").strip()
    return dates_tz_offset(s, on, hour, minute) if s else None


def _hashable(tz):
    return None if tz is None or (isinstance(tz, float) and tz != tz) else str(tz)


_is_na = is_na  # the package's one missing-value test (helpers.text)


def resolve(sentence: str, published_at, precision: str, tz=None) -> TimeResolution:
    """Resolve the time words of ``sentence`` with the article's publication time as anchor.

    ``published_at``: the article's publication (UTC Timestamp, or NaT/None); ``precision``: ``minute``,
    ``day`` or ``unknown``; ``tz``: the article's time-zone label (``IST``, ``+01:00``) when known.
    Pass only the words about the act of saying (the extraction passes the attribution, not the
    quote), so "a January 3 raid" in the reported content is not taken for the time of saying.

    Example:
        >>> import pandas as pd
        >>> pub = pd.Timestamp("2026-01-12", tz="UTC")
        >>> r = resolve("Hours later, the minister rejected it.", pub, "day")
        >>> (r.basis, str(r.said_to), r.relation, str(r.lag_max), r.cue)
        ('published', '2026-01-13 00:00:00+00:00', 'after', '1 days 00:00:00', 'Hours later')
        >>> r = resolve("He said on December 30 that ...", pub, "day")
        >>> str(r.said_from.date()), r.basis
        ('2025-12-30', 'explicit')
        >>> resolve("He said so.", None, "unknown").basis
        'unknown'
    """
    return resolve_at(sentence, anchor(published_at, precision, tz))


class Anchor(NamedTuple):
    """What :func:`resolve` needs of the article (see :func:`anchor`): the publication (UTC, or None),
    its upper bound, its local calendar day (a UTC-midnight stamp), the local->UTC shift, and the
    result when the words fix nothing."""

    pub: pd.Timestamp | None
    upper: pd.Timestamp | None
    local_day: pd.Timestamp | None
    shift: pd.Timedelta
    published: TimeResolution | None


def anchor(published_at, precision: str, tz=None) -> Anchor:
    """The article's side of :func:`resolve`, worked out once per article (same arguments as there).

    Example:
        >>> import pandas as pd
        >>> at = anchor(pd.Timestamp("2026-01-12", tz="UTC"), "day")
        >>> str(at.upper), resolve_at("He said so on Sunday.", at).cue
        ('2026-01-13 00:00:00+00:00', 'on Sunday')
    """
    pub = None if _is_na(published_at) else pd.Timestamp(published_at)
    if pub is None:
        return Anchor(None, None, None, pd.Timedelta(0), None)
    if pub.tzinfo is None:
        pub = pub.tz_localize("UTC")
    if precision == "unknown":
        precision = "day"
    # The publication day as the article's readers saw it (local calendar day), as a UTC-midnight stamp.
    return Anchor(pub, *_anchor(pub, (str(pub.tz), pub.unit), precision, _hashable(tz)))


def resolve_at(sentence: str, at: Anchor) -> TimeResolution:
    """:func:`resolve` against an article's :func:`anchor` (extraction resolves many sentences per article)."""
    pub, upper, local_day, shift, published = at
    text = sentence or ""
    has_digit, has_day_word, relation, lag, rel_cue = _time_words(text)
    frm = to = None
    basis = cue = None
    found = _explicit(text, local_day) if has_digit else None
    if found:
        (frm, to), cue, basis = found[0], found[1], "explicit"
    elif has_day_word:
        found = _relative_day(text, local_day)
        if found:
            (frm, to), cue, basis = found[0], found[1], "relative"

    if basis is not None and frm is not None:
        frm, to = _shifted(frm, to, shift, (frm.unit, to.unit, shift.unit))  # local calendar days -> UTC instants
        if upper is not None:
            to = min(to, upper)
        cues = "; ".join(c for c in (cue, rel_cue) if c)
        return TimeResolution(frm, to, basis, cues, relation, lag, rel_cue)
    if pub is None:
        # an explicit date with a year still fixes the day without a publication date
        if basis == "explicit" and frm is not None:
            return TimeResolution(frm, to, basis, cue, relation, lag, rel_cue)
        return TimeResolution(NaT, NaT, "unknown", cue or rel_cue, relation, lag, rel_cue)
    if relation is None and lag is None:
        return published  # the common case: one shared immutable result per article
    return TimeResolution(NaT, upper, "published", rel_cue, relation, lag, rel_cue)


@lru_cache(maxsize=4096)
def _shifted(frm, to, shift, units):
    """``(frm - shift, to - shift)``, memoised: pandas arithmetic costs ~20 us a subtraction, and the same
    days recur. ``units``: equal stamps or shifts of other units hash alike but give other units.
    (frm and to are always UTC: made by _explicit or _relative_day.)"""
    return frm - shift, to - shift


@lru_cache(maxsize=16384)
def _time_words(text: str):
    """What ``text`` alone decides: (has a digit, has a day word, relation, lag, relation cue). Memoised:
    the same attribution words recur in article after article."""
    low = text.lower()
    relation = lag = rel_cue = None
    m = _LAG.search(text) if any(w in low for w in _LAG_WORDS) else None
    if m:
        relation, lag = _lag(m)
        rel_cue = m.group(0)
    if relation is None:
        rel_cue = None
    return _DIGIT.search(text) is not None, any(w in low for w in _DAY_WORDS), relation, lag, rel_cue


# Memoised (pure, immutable results): local_day is always None or a UTC midnight made by _anchor, so equal
# keys are identical stamps.
@lru_cache(maxsize=4096)
def _explicit(text: str, local_day):
    for m in _EXPLICIT.finditer(text):
        try:
            if m.group("iso"):
                day = pd.Timestamp(m.group("iso"), tz="UTC")
                has_year = True
            else:
                mon = _MONTHS[(m.group("mon") or m.group("mon2")).lower().rstrip(".")]
                d = int(m.group("day") or m.group("day2"))
                year = m.group("year") or m.group("year2")
                has_year = year is not None
                if has_year:
                    y = int(year)
                elif local_day is not None:
                    y = local_day.year
                else:
                    continue  # month-day with no year and no publication: cannot place it
                day = pd.Timestamp(year=y, month=mon, day=d, tz="UTC")
                if not has_year and local_day is not None and day > local_day:
                    day = pd.Timestamp(year=y - 1, month=mon, day=d, tz="UTC")
        except (ValueError, KeyError):
            continue
        if local_day is not None and day > local_day:
            continue  # after publication: not a time of saying
        return (day, day + DAY), m.group(0)
    return None


@lru_cache(maxsize=4096)
def _relative_day(text: str, local_day):
    if local_day is None:
        m = _WEEKDAY.search(text) or _RELDAY.search(text)
        return ((None, None), m.group(0)) if m else None
    m = next((w for w in _WEEKDAY.finditer(text) if w.group("prep") not in ("since", "until", "by")), None)
    if m:
        wd = _WEEKDAYS[m.group("wd").lower()]
        back = (local_day.weekday() - wd) % 7
        if back == 0 and m.group("prep") in ("last", "this past"):
            back = 7
        day = local_day - back * DAY
        return (day, day + DAY), m.group(0)
    m = _RELDAY.search(text)
    if not m:
        return None
    rel = _SPACES.sub(" ", m.group("rel").lower())
    monday = local_day - local_day.weekday() * DAY
    first = local_day.replace(day=1)
    if rel in ("today", "earlier today", "later today", "this morning", "this afternoon", "this evening", "tonight"):
        span = (local_day, local_day + DAY)
    elif rel.startswith("yesterday"):
        span = (local_day - DAY, local_day)
    elif rel == "last night":
        span = (local_day - DAY, local_day + DAY)
    elif rel == "the day before yesterday":
        span = (local_day - 2 * DAY, local_day - DAY)
    elif rel in ("earlier this week", "this week"):
        span = (monday, local_day + DAY)
    elif rel == "last week":
        span = (monday - 7 * DAY, monday)
    elif rel in ("earlier this month", "this month"):
        span = (first, local_day + DAY)
    else:  # last month
        prev = (first - DAY).replace(day=1)
        span = (prev, first)
    return span, m.group(0)


def _lag(m: re.Match):
    if m.group("unit"):
        unit = m.group("unit").lower().rstrip("s")
        q = (m.group("q") or "").strip().lower()
        q = _SPACES.sub(" ", q)
        n = int(q) if q.isdigit() else _NUM.get(q, None) if q else None
        direction = m.group("dir").lower()
        relation = "before" if direction in ("earlier", "before") else "after"
        if unit == "minute":
            lag = pd.Timedelta(hours=1) if n is None else pd.Timedelta(minutes=n + 1)
        elif unit == "hour":
            lag = DAY if n is None else pd.Timedelta(hours=n + 1)
        elif unit == "day":
            lag = 7 * DAY if n is None and not q else (2 * DAY if n == 1 else (n or 7) * DAY)
        else:  # week
            lag = None if n is None else n * 7 * DAY
        return relation, lag
    soon = _SPACES.sub(" ", m.group("soon").lower())
    if soon in ("moments", "shortly", "soon") and not m.group("dir2"):
        return None, None  # a bare "soon" is no relation
    if soon.startswith("the "):
        return "after", 2 * DAY
    if soon in ("within the hour", "within an hour"):
        return "after", pd.Timedelta(hours=1)
    return "after", DAY
