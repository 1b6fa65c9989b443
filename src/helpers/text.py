"""Tiny shared helpers: one answer for each small fact the modules need (one ``is_na``, one month table,
one doc-id uniquifier, one way to show a path or a cell safely).

* :func:`path_text` turns a file name into text that any table can hold (non-UTF-8 bytes as ``\\xNN``);
* :func:`printable` makes text safe for a terminal (no escape codes, no control characters);
* :func:`csv_safe` neutralises spreadsheet formulas in text cells (leading apostrophe, as OWASP advises);
* :func:`is_na`, :data:`MONTHS`, :func:`unique_ids`.

Example:
    >>> path_text(b"caf\\xe9.txt".decode("utf-8", "surrogateescape"))
    'caf\\\\xe9.txt'
    >>> printable("evil\\x1b[31m.txt")
    'evil\\\\x1b[31m.txt'
    >>> csv_cell("=1+1"), csv_cell("plain")
    ("'=1+1", 'plain')
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Iterable

import pandas as pd

#: Month names and abbreviations (lower case, no trailing dot) -> month number.
MONTHS: dict[str, int] = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}


def is_na(x) -> bool:
    """Whether ``x`` is a missing value: None, NaN, ``pd.NaT`` or ``pd.NA`` (a string never is). The one
    missing-value test of the package (``metrics._na``, ``reltime._is_na`` are this function).

    Cheap on the common cases: no ``pd.isna`` call for strings, numbers and timestamps.

    Example:
        >>> [is_na(v) for v in (None, float("nan"), pd.NaT, pd.NA, "", 0, pd.Timestamp("2026-01-01"))]
        [True, True, True, True, False, False, False]
    """
    if x is None or x is pd.NaT or x is pd.NA:
        return True
    if isinstance(x, float):
        return x != x
    if isinstance(x, (str, bytes, int, datetime, timedelta)):  # pd.Timestamp is a datetime; NaT is not
        return False
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):  # lists, arrays: not one missing value
        return False


def path_text(path: str) -> str:
    """A path (or name) as text a table can store: bytes that are not UTF-8 (Python keeps them as
    surrogate escapes, ``os.fsdecode``) are written ``\\xNN``; valid names are returned unchanged.

    Example:
        >>> path_text("a/ok.txt")
        'a/ok.txt'
        >>> path_text("a/caf\\udce9.txt")
        'a/caf\\\\xe9.txt'
    """
    if path.isascii():
        return path
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def is_path_text_safe(path: str) -> bool:
    """Whether ``path`` is stored unchanged by :func:`path_text` (it is valid UTF-8).

    Example:
        >>> is_path_text_safe("café.txt"), is_path_text_safe("caf\\udce9.txt")
        (True, False)
    """
    return path_text(path) == path


# C0 and C1 control characters, DEL, and the bidirectional overrides that can make a name print backwards
_UNPRINTABLE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text, keep_newlines: bool = False) -> str:
    """``text`` made safe to print on a terminal: control characters (escape codes), bidirectional
    overrides and non-UTF-8 bytes are shown as ``\\xNN`` / ``\\uNNNN``; tabs stay, newlines stay only
    with ``keep_newlines``.

    Example:
        >>> printable("a\\x1b]0;title\\x07b")
        'a\\\\x1b]0;title\\\\x07b'
        >>> printable("line1\\nline2"), printable("line1\\nline2", keep_newlines=True)
        ('line1\\\\x0aline2', 'line1\\nline2')
    """
    text = path_text(str(text))

    def esc(m: re.Match) -> str:
        c = m.group()
        return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"

    text = _UNPRINTABLE_RE.sub(esc, text)
    return text if keep_newlines else text.replace("\n", "\\x0a")


#: Leading characters a spreadsheet may run as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A text cell neutralised for spreadsheets: a leading ``=``, ``+``, ``-``, ``@``, tab or carriage return
    gets an apostrophe in front (``'=SUM(A1)``), so an editor shows it as text instead of running it.
    Anything that is not a string is returned unchanged (numbers stay numbers, ``-3`` included).

    Example:
        >>> csv_cell("=HYPERLINK(\\"http://x\\")"), csv_cell("-3 days"), csv_cell(-3), csv_cell("ok")
        ('\\'=HYPERLINK("http://x")', "'-3 days", -3, 'ok')
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_safe(df):
    """A copy of DataFrame ``df`` with every text cell passed through :func:`csv_cell` (column names too).

    Example:
        >>> csv_safe(pd.DataFrame({"q": ["=1+1", "fine"], "n": [-1, 2]})).values.tolist()
        [["'=1+1", -1], ['fine', 2]]
    """
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_object_dtype(s.dtype) or pd.api.types.is_string_dtype(s.dtype):
            out[col] = s.map(csv_cell, na_action="ignore")
    out.columns = [csv_cell(c) for c in out.columns]
    return out


def unique_ids(ids: Iterable[str]) -> list[tuple[str, str | None]]:
    """Make ids unique in order: later repeats become ``id-2``, ``id-3`` ... Returns, per input, the id
    to use and the id it replaces (None when unchanged). The one uniquifier for ``doc_id``.

    Example:
        >>> unique_ids(["a", "b", "a", "a-2", "a"])
        [('a', None), ('b', None), ('a-2', 'a'), ('a-2-2', 'a-2'), ('a-3', 'a')]
    """
    seen: set[str] = set()
    out = []
    for base in ids:
        new, k = base, 1
        while new in seen:
            k += 1
            new = f"{base}-{k}"
        seen.add(new)
        out.append((new, base if new != base else None))
    return out
