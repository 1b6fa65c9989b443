"""Dates in English news pages: a fast regex finder, an explicit time-zone table, and the rule that
picks a page's own publication date among all the dates printed on it.

Why not dateparser: it is slow (the loader must stay near 1 ms per article), it finds false dates in
page furniture ("5 min read"), and it silently maps ``IST`` to Israel. Here every abbreviation goes
through :data:`TZ_TABLE`, written out below with the choice made for the ambiguous ones.

Time zones of a publication time (applied by ``cleaning.parse_page``): the zone printed with the time;
else the one zone the page prints with its other dates (e.g. an ``(IST)`` banner on an Indian site),
recorded in ``date_evidence``; else UTC, with ``published_tz = "UTC (assumed)"`` and a warning.
A date without a time is day precision: midnight UTC of that day, no zone.

Example:
    >>> [m.text for m in find_dates("Posted Jan 12, 2026, at 11:48 pm IST. Talks began on Feb. 1.")]
    ['Jan 12, 2026, at 11:48 pm IST', 'Feb. 1']
    >>> m = find_dates("January 12, 2026 06:22 am (IST)")[0]
    >>> (m.precision, m.tz, str(m.to_utc()))
    ('minute', 'IST', '2026-01-12 00:52:00+00:00')
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import pandas as pd

from .text import MONTHS


def _h(hours: float) -> timedelta:
    return timedelta(minutes=round(hours * 60))


#: Time-zone abbreviation -> UTC offset. Used for every abbreviation printed on a page; nothing else
#: (no library default) decides. Abbreviations not listed here are not read as time zones.
#: Ambiguous abbreviations, and the reading chosen for English-language news (see TZ_AMBIGUOUS):
#: ``IST`` = India (+05:30), ``CST``/``CDT`` = US Central, ``BST`` = British Summer Time,
#: ``AST`` = Atlantic, ``GST`` = Gulf.
TZ_TABLE: dict[str, timedelta] = {
    "UTC": _h(0), "GMT": _h(0), "UT": _h(0), "Z": _h(0),
    # North America
    "EST": _h(-5), "EDT": _h(-4), "CST": _h(-6), "CDT": _h(-5), "MST": _h(-7), "MDT": _h(-6),
    "PST": _h(-8), "PDT": _h(-7), "AKST": _h(-9), "AKDT": _h(-8), "HST": _h(-10),
    "AST": _h(-4), "ADT": _h(-3), "NST": _h(-3.5), "NDT": _h(-2.5),
    # Latin America
    "ART": _h(-3), "BRT": _h(-3), "CLT": _h(-4), "COT": _h(-5), "PET": _h(-5), "VET": _h(-4),
    # Europe and Africa
    "WET": _h(0), "WEST": _h(1), "BST": _h(1), "CET": _h(1), "CEST": _h(2), "EET": _h(2),
    "EEST": _h(3), "MSK": _h(3), "TRT": _h(3), "WAT": _h(1), "CAT": _h(2), "SAST": _h(2), "EAT": _h(3),
    # Asia and Oceania
    "GST": _h(4), "PKT": _h(5), "IST": _h(5.5), "NPT": _h(5.75), "ICT": _h(7), "WIB": _h(7),
    "SGT": _h(8), "HKT": _h(8), "PHT": _h(8), "AWST": _h(8), "JST": _h(9), "KST": _h(9),
    "ACST": _h(9.5), "AEST": _h(10), "AEDT": _h(11), "NZST": _h(12), "NZDT": _h(13),
}

#: The ambiguous abbreviations of TZ_TABLE: what else they can mean, and why the table's reading was chosen.
TZ_AMBIGUOUS: dict[str, str] = {
    "IST": "India Standard Time +05:30 (chosen: by far the most common in English news); "
           "also Irish Standard Time +01:00 and Israel Standard Time +02:00 (dateparser's choice).",
    "CST": "US Central Standard Time -06:00 (chosen); also China Standard Time +08:00, Cuba Standard Time -05:00.",
    "CDT": "US Central Daylight Time -05:00 (chosen); also Cuba Daylight Time -04:00.",
    "BST": "British Summer Time +01:00 (chosen); also Bangladesh Standard Time +06:00.",
    "AST": "Atlantic Standard Time -04:00 (chosen); also Arabia Standard Time +03:00.",
    "GST": "Gulf Standard Time +04:00 (chosen); also South Georgia Time -02:00.",
}

#: Generic names whose offset depends on daylight saving: resolved with the IANA zone at that date.
TZ_REGIONS: dict[str, str] = {
    "ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles",
}

_MONTHS = MONTHS  # the one month table (helpers.text)
_MON = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
        r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_WD = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)?"
_YEAR = r"(?:19|20)\d{2}(?!\d)"
_ORD = r"(?:st|nd|rd|th)?"
_TZ_NAMES = sorted(list(TZ_TABLE) + list(TZ_REGIONS), key=len, reverse=True)
_TZ = (r"(?:(?:UTC|GMT)\s?[+-]\s?\d{1,2}(?::?\d{2})?|(?:" + "|".join(_TZ_NAMES) + r")(?![A-Za-z]))")

_DATE_RE = re.compile(
    r"(?<![\w.])" + _WD + r"(?:"
    r"(?P<mon1>" + _MON + r")\s+(?P<d1>\d{1,2})" + _ORD + r"(?!\d)(?:(?:,\s*|\s+)(?P<y1>" + _YEAR + r"))?"
    r"|(?P<d2>\d{1,2})" + _ORD + r"\s+(?:of\s+)?(?P<mon2>" + _MON + r")(?:,?\s+(?P<y2>" + _YEAR + r"))?"
    r"|(?P<iy>(?:19|20)\d{2})-(?P<im>[01]\d)-(?P<id>[0-3]\d)"
    r"(?:[T ](?P<ih>[0-2]\d):(?P<imin>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?\s?(?P<ioff>Z|[+-][01]\d:?[0-5]\d)?)?(?![\d:])"
    r")",
    re.IGNORECASE,
)
# A clock time right after a date: ", at 11:48 pm", " 06:22 am (IST)", " - 14:05 GMT", " 9 p.m. ET".
_TIME = (r"(?P<h>[0-2]?\d)(?:[:h](?P<m>[0-5]\d)(?::[0-5]\d)?(?:\s*(?P<ap>[ap])\.?\s?m\b\.?)?"
         r"|\.(?P<m2>[0-5]\d)\s*(?P<ap2>[ap])\.?\s?m\b\.?|\s*(?P<ap3>[ap])\.?\s?m\b\.?)"
         r"(?:\s*\(?(?P<tz>" + _TZ + r")\)?)?")
_TIME_AFTER_RE = re.compile(r"(?:\s*(?:,|\||-|–|—|·|•|@)?\s*(?:at\s+)?)" + _TIME, re.IGNORECASE)
_TIME_BEFORE_RE = re.compile(_TIME + r"\s*(?:,|\||-|–|—|·|•|on)?\s*$", re.IGNORECASE)
_DIGIT_RE = re.compile(r"\d")
_DIGITS_RE = re.compile(r"\d+")
_YEAR_HINT_RE = re.compile(r"(?:19|20)\d\d")  # every candidate publication date has a year
_SPACES_RE = re.compile(r"\s+")
_MIDNIGHT_RE = re.compile(r"[T ]00:00(:00)?(\.0+)?\b")
_OFFSET_RE = re.compile(r"(?:UTC|GMT)?\s?([+-])\s?(\d{1,2}):?(\d{2})?$")


@dataclass(frozen=True)
class DateMatch:
    """One date expression found in text: where it is, what it says, and how precise it is.

    ``year`` is None for a date printed without one ("Feb. 1"); ``tz`` is the zone as written
    (``IST``, ``+05:30``, ``Z``) or None.

    Example:
        >>> m = find_dates("Updated: 12 January 2026")[0]
        >>> (m.year, m.month, m.day, m.precision, m.text)
        (2026, 1, 12, 'day', '12 January 2026')
    """
    text: str
    start: int
    end: int
    year: int | None
    month: int
    day: int
    hour: int | None = None
    minute: int | None = None
    tz: str | None = None

    @property
    def precision(self) -> str:
        """``minute`` when a clock time was given, else ``day``."""
        return "minute" if self.hour is not None else "day"

    @property
    def date(self) -> date | None:
        """The calendar date, or None when the year is not printed."""
        return date(self.year, self.month, self.day) if self.year else None

    def utc_offset(self, tz: str | None = None) -> timedelta | None:
        """Offset of ``tz`` (default: the zone printed with this date), via TZ_TABLE; None if unknown.

        Example:
            >>> find_dates("Jan 12, 2026 11:48 pm")[0].utc_offset("IST")
            datetime.timedelta(seconds=19800)
        """
        return tz_offset(tz or self.tz, self.date, self.hour or 0, self.minute or 0)

    def to_utc(self, assume_tz: str | None = None) -> pd.Timestamp | None:
        """The instant in UTC: minute precision uses the printed zone (else ``assume_tz``, else UTC);
        day precision is midnight UTC of the date. None when the year is missing.

        Example:
            >>> str(find_dates("Jan 12, 2026, at 11:48 pm")[0].to_utc("IST"))
            '2026-01-12 18:18:00+00:00'
        """
        if not self.year:
            return None
        if self.hour is None:
            return pd.Timestamp(self.year, self.month, self.day, tz="UTC")
        off = self.utc_offset(self.tz or assume_tz) or timedelta(0)
        local = datetime(self.year, self.month, self.day, self.hour, self.minute or 0)
        return pd.Timestamp((local - off).replace(tzinfo=timezone.utc))


@lru_cache(maxsize=256)
def tz_offset(tz: str | None, on: date | None = None, hour: int = 0, minute: int = 0) -> timedelta | None:
    """UTC offset of a zone as pages print it: a TZ_TABLE abbreviation, ``+05:30``/``UTC+5``, or a
    daylight-saving region name (``ET``) resolved at the given local date and time. None if unknown.

    Example:
        >>> tz_offset("IST"), tz_offset("UTC-03:00")
        (datetime.timedelta(seconds=19800), datetime.timedelta(days=-1, seconds=75600))
        >>> tz_offset("ET", date(2026, 7, 1)) == timedelta(hours=-4)
        True
    """
    if not tz:
        return None
    key = tz.strip().upper()
    if key in TZ_TABLE:
        return TZ_TABLE[key]
    if key in TZ_REGIONS:
        on = on or date(2000, 1, 1)
        return datetime(on.year, on.month, on.day, hour, minute, tzinfo=ZoneInfo(TZ_REGIONS[key])).utcoffset()
    m = _OFFSET_RE.match(key)
    if m:
        sign = -1 if m.group(1) == "-" else 1
        return sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
    return None


def has_year_hint(s: str) -> bool:
    """Whether ``s`` holds something like a year (19xx/20xx): every candidate publication date does.

    Example:
        >>> has_year_hint("Jan 12, 2026"), has_year_hint("12 Jan"), has_year_hint("room 2019b")
        (True, False, True)
    """
    # str `in` first: the regex scans every position of the line, most lines hold neither "19" nor "20"
    return ("19" in s or "20" in s) and _YEAR_HINT_RE.search(s) is not None


def _make(text: str, m: re.Match, line_start: int) -> DateMatch | None:
    g = m.groupdict()
    try:
        if g["iy"]:
            year, month, day = int(g["iy"]), int(g["im"]), int(g["id"])
        else:
            mon = g["mon1"] or g["mon2"]
            if not (mon[0].isupper()):  # "may 5" is not a date; "May 5" / "MAY 5" are
                return None
            month = _MONTHS[mon.rstrip(".").lower()]
            day = int(g["d1"] or g["d2"])
            y = g["y1"] or g["y2"]
            year = int(y) if y else None
        date(year or 2000, month, day)  # validates day-of-month
    except (ValueError, KeyError):
        return None
    start, end = m.start(), m.end()
    hour = minute = tz = None
    if g["iy"]:
        if g["ih"]:
            hour, minute = int(g["ih"]), int(g["imin"])
            off = g["ioff"]
            tz = ("Z" if off.upper() == "Z" else (off if ":" in off else off[:3] + ":" + off[3:])) if off else None
    else:
        t = _TIME_AFTER_RE.match(text, end)
        if t is None or not _clock(t):
            before = text[max(line_start, start - 40):start]
            # a time holds a digit: test for one before the (slow, every-position) search
            t2 = _TIME_BEFORE_RE.search(before) if _DIGIT_RE.search(before) else None
            if t2 is not None and _clock(t2) and t2.group("h"):
                hour, minute = _clock(t2)
                tz = t2.group("tz")
                start = start - len(before) + t2.start()
        else:
            hour, minute = _clock(t)
            tz = t.group("tz")
            end = t.end()
    if tz is not None:
        tz = _SPACES_RE.sub("", tz)
    return DateMatch(text[start:end], start, end, year, month, day, hour, minute, tz)


def _clock(t: re.Match) -> tuple[int, int] | None:
    """Hour and minute of a time match, or None when it is not a clock time (e.g. a bare number)."""
    h = int(t.group("h"))
    ap = t.group("ap") or t.group("ap2") or t.group("ap3")
    m = t.group("m") or t.group("m2")
    if m is None and ap is None:
        return None
    minute = int(m or 0)
    if ap:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if ap.lower() == "p" else 0)
    if h > 23:
        return None
    return h, minute


def find_dates(text: str) -> list[DateMatch]:
    """Every date expression in ``text``, in order: ``January 12, 2026``, ``Jan. 12``, ``12 Jan 2026``,
    ``Monday, Feb 2, 2026``, ISO ``2026-01-12T18:18:00+05:30``, each with a following (or preceding)
    clock time and zone when given. Numeric ``01/02/2026`` is ambiguous (day or month first) and is
    not read. Month names must be capitalised ("may 5" is not a date).

    Example:
        >>> [(m.text, m.year) for m in find_dates("February 10, 2026Clash Report; on Jan. 3 it ended")]
        [('February 10, 2026', 2026), ('Jan. 3', None)]
        >>> find_dates("06:22 am IST, 4 Feb 2026")[0].hour
        6
    """
    # Every date holds a digit: only look around digit runs (a full regex scan of the text is ~10x slower).
    out: list[DateMatch] = []
    pos = 0
    for d in _DIGITS_RE.finditer(text):
        s = d.start()
        if s < pos:
            continue
        nl = text.find("\n", d.end())
        m = _DATE_RE.search(text, max(pos, s - 32), min(len(text) if nl < 0 else nl, d.end() + 48))
        if m is None or m.start() > s:
            continue
        m = _DATE_RE.match(text, m.start())  # again without the window's end, for exact lookaheads
        if m is None:
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        dm = _make(text, m, line_start)
        if dm is not None:
            out.append(dm)
            pos = dm.end
        else:
            pos = m.end()
    return out


_COMPACT_RE = re.compile(r"((?:19|20)\d\d)(\d\d)(\d\d)(?:(\d\d)(\d\d)(?:\d\d)?)?")


def parse_datetime(value) -> DateMatch | None:
    """Read a date field of structured metadata (JSON/HTML/CSV): ISO strings, English dates, epoch numbers
    (also as digits in a string), GDELT's compact ``YYYYMMDD[hhmmss]`` (UTC).

    A time of exactly ``00:00:00`` with no zone is read as a date only (scrapers write it when they
    know only the day). Returns None when nothing can be read.

    Example:
        >>> parse_datetime("2026-01-12T23:48:00+05:30").tz
        '+05:30'
        >>> parse_datetime("2026-01-12 00:00:00").precision
        'day'
        >>> parse_datetime("not a date") is None
        True
        >>> [(d.year, d.month, d.day, d.hour, d.tz) for d in map(parse_datetime, ["1735812000", "20250102103000"])]
        [(2025, 1, 2, 10, 'UTC'), (2025, 1, 2, 10, 'UTC')]
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        secs = value / 1000 if value > 1e11 else value
        if not 3e8 < secs < 5e9:
            return None
        dt = datetime.fromtimestamp(secs, tz=timezone.utc)
        return DateMatch(str(value), 0, 0, dt.year, dt.month, dt.day, dt.hour, dt.minute, "UTC")
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():  # a CSV cell: epoch seconds / ms, or GDELT's YYYYMMDD[hhmmss]
        if len(text) in (10, 13):
            return parse_datetime(int(text))
        m = _COMPACT_RE.fullmatch(text)
        if m:
            y, mo, d, h, mi = (int(x) if x else None for x in m.groups())
            if 1 <= mo <= 12 and 1 <= d <= 31 and (h is None or h < 24 and mi < 60):
                return DateMatch(text, 0, len(text), y, mo, d, h, mi, None if h is None else "UTC")
        return None
    found = [d for d in find_dates(text[:200]) if d.year]
    if not found:
        return None
    d = found[0]
    if d.hour == 0 and d.minute == 0 and d.tz is None and _MIDNIGHT_RE.search(value):
        return DateMatch(d.text, d.start, d.end, d.year, d.month, d.day)
    return d


# --- choosing the publication date of a page ---------------------------------------------------------

#: Scoring rule for the publication date of a page (see :func:`pick_published`). A candidate is a
#: *date line*: a line holding a dated expression with at most DATE_LINE_MAX_WORDS other words
#: (labels such as "Updated:" and handles/outlet names are allowed), or a byline line holding a date.
#: Dates inside running sentences are events, never candidates.
SCORE_BASE = 1
SCORE_NEAR_HEADLINE = 3   # one of the 2 lines after the headline (or the line right before it), furniture skipped
SCORE_BYLINE = 1          # the line carries a byline marker (`By ...`, `@handle`, `|` separators)
SCORE_PUBLISHED_LABEL = 1  # "Published", "Posted", "First published"
SCORE_UPDATED_LABEL = -2   # "Updated", "Last modified": a later revision, not the publication
SCORE_BANNER = -3          # the page's first line, followed by navigation furniture before the headline
DATE_LINE_MAX_WORDS = 5

_LABEL_RE = re.compile(r"\b(?:first\s+)?(?:published|posted|updated|last\s+updated|modified|last\s+modified|"
                       r"date|on|at|by)\b|[|•·,:;()\-–—/]+", re.IGNORECASE)
_PUBLISHED_RE = re.compile(r"\b(?:first\s+)?(?:published|posted)\b", re.IGNORECASE)
_UPDATED_RE = re.compile(r"\b(?:updated|modified|edited)\b", re.IGNORECASE)
HANDLE_RE = re.compile(r"(?<![\w.])@([A-Za-z0-9_]{2,30})\b")
BYLINE_MARK_RE = re.compile(r"^\s*by\s+[A-Z]|(?<![\w.])@[A-Za-z0-9_]{2,}|\|", re.IGNORECASE)


@dataclass
class DateCandidate:
    """A date line of a page with the score the publication-date rule gave it, and why."""
    line_no: int
    line: str
    match: DateMatch
    rest: str
    score: int
    reasons: list[str]


def date_line_rest(line: str, m: DateMatch) -> str:
    """What a line says besides the date and its labels/separators, e.g. a glued outlet name.

    Example:
        >>> date_line_rest("February 10, 2026Clash Report", find_dates("February 10, 2026Clash Report")[0])
        'Clash Report'
        >>> date_line_rest("Updated: Jan 5, 2026, 10:00 GMT", find_dates("Updated: Jan 5, 2026, 10:00 GMT")[0])
        ''
    """
    rest = line[:m.start] + " " + line[m.end:]
    rest = _LABEL_RE.sub(" ", rest)
    return " ".join(rest.split())


def candidates(lines: list[str], title_no: int | None = None, furniture: set[int] = frozenset(),
               content: list[int] | None = None) -> list[DateCandidate]:
    """Score every date line of a page (one string per line) for being the page's own publication date.

    ``title_no`` is the headline's line number (None: no headline); ``furniture`` holds the line
    numbers judged navigation furniture (share/follow lines, tickers); ``content`` the line numbers of
    non-empty lines in order (computed when omitted). The rule, in words:

    * every date line starts at SCORE_BASE; a date with no year is never a candidate;
    * +SCORE_NEAR_HEADLINE if it is one of the 2 lines after the headline (a standfirst may sit between)
      or the line right before it (furniture lines are not counted after the headline);
    * +SCORE_BYLINE for a byline line, +SCORE_PUBLISHED_LABEL for "Published/Posted",
      SCORE_UPDATED_LABEL for "Updated/Modified";
    * SCORE_BANNER if it is the page's first line and navigation furniture stands between it and the
      headline: that is a site banner, which usually shows the day the page was viewed or saved.

    Example:
        >>> page = ["May 4, 2026 09:00 am (IST)", "Follow us:", "Big Headline Here", "| Jan 12, 2026 |", "Text."]
        >>> [(c.match.day, c.score) for c in candidates(page, title_no=2, furniture={1})]
        [(4, -2), (12, 5)]
    """
    if content is None:
        content = [i for i, s in enumerate(lines) if s.strip()]
    pos = {n: k for k, n in enumerate(i for i in content if i not in furniture)}
    raw_pos = {n: k for k, n in enumerate(content)}
    tpos = pos.get(title_no) if title_no is not None else None
    first = content[0] if content else None
    out = []
    for n in content:
        line = lines[n]
        if len(line) > 200 or not has_year_hint(line):
            continue
        for m in find_dates(line):
            if not m.year:
                continue
            rest = date_line_rest(line, m)
            byline = bool(BYLINE_MARK_RE.search(line))
            if len(rest.split()) > DATE_LINE_MAX_WORDS and not byline:
                continue
            score, why = SCORE_BASE, ["date line"]
            if tpos is not None and n in pos and (0 < pos[n] - tpos <= 2 or raw_pos[n] - raw_pos[title_no] == -1):
                score += SCORE_NEAR_HEADLINE
                why.append("next to the headline")
            if byline:
                score += SCORE_BYLINE
                why.append("byline")
            if _PUBLISHED_RE.search(line):
                score += SCORE_PUBLISHED_LABEL
                why.append("published label")
            if _UPDATED_RE.search(line):
                score += SCORE_UPDATED_LABEL
                why.append("updated label")
            if n == first and title_no is not None and n < title_no and \
                    any(n < f < title_no for f in furniture):
                score += SCORE_BANNER
                why.append("site banner above navigation")
            out.append(DateCandidate(n, line, m, rest, score, why))
            break  # one candidate per line: its first date
    return out


def pick_published(cands: list[DateCandidate]) -> DateCandidate | None:
    """The best candidate with a positive score (ties: the earliest line), or None.

    Example:
        >>> page = ["Headline of the Day", "Jan 12, 2026", "Body text."]
        >>> pick_published(candidates(page, title_no=0)).match.day
        12
    """
    best = None
    for c in cands:
        if c.score > 0 and (best is None or c.score > best.score):
            best = c
    return best


def page_zones(cands: list[DateCandidate]) -> list[str]:
    """Distinct time zones printed with the page's dates (in order), for a time printed without one.

    Example:
        >>> page_zones(candidates(["Jan 1, 2026 10:00 IST", "Headline", "Jan 2, 2026 11:00"], title_no=1))
        ['IST']
    """
    zones: list[str] = []
    for c in cands:
        z = c.match.tz
        if z and z not in zones:
            zones.append(z)
    return zones
