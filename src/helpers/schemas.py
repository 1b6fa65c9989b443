"""The data contract: each table the pipeline writes has one schema, declared here once.

Every table is validated with pandera at the boundary (when the pipeline writes it and when a
notebook reads it). ``docs/data-dictionary.md`` is generated from the declarations below
(``python -m helpers schema-docs``), so the documentation cannot drift from the code.

Example:
    >>> import pandas as pd
    >>> from helpers import schemas
    >>> df = schemas.empty("problems")
    >>> list(df.columns)
    ['source_path', 'severity', 'message']
    >>> schemas.validate(df, "problems").shape
    (0, 3)
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

UTC_DTYPE = pd.DatetimeTZDtype(unit="us", tz="UTC")
TIMEDELTA_DTYPE = "timedelta64[us]"

STANCES = ("claim", "denial", "other")
TIME_BASES = ("explicit", "relative", "published", "unknown")
PRECISIONS = ("minute", "day", "unknown")
SEVERITIES = ("error", "warning")
LATENCY_BASES = ("explicit", "relative", "published", "assumed", "unknown")


@dataclass(frozen=True)
class Col:
    name: str
    dtype: str  # one of: str, int, bool, datetime, timedelta
    nullable: bool
    doc: str
    allowed: tuple[str, ...] | None = None


TABLES: dict[str, tuple[Col, ...]] = {
    "articles": (
        Col("doc_id", "str", False, "File stem, or the record's id for JSON/JSONL records (unique)."),
        Col("source_path", "str", False, "Path of the file the article came from; for a record of a dump `file#n` (JSONL and CSV: the line the record starts on; Parquet: the row; JSON list: the position; WARC: the record)."),
        Col("format", "str", False, "Input format (the reader that read it, see `helpers.ingest`).",
            ("txt", "md", "html", "json", "jsonl", "csv", "parquet", "warc")),
        Col("title", "str", True, "Headline, as the page gives it."),
        Col("outlet", "str", True, "Publisher (from metadata, a byline handle, or a name glued to the date/dateline)."),
        Col("dateline", "str", True, "Place the story is filed from, e.g. `Havana`."),
        Col("url", "str", True, "URL when the input records one."),
        Col("published_at", "datetime", True, "The article's own publication time, UTC. NaT when the page gives no date (never invented). Day-precision dates are midnight UTC of that day."),
        Col("published_precision", "str", False, "`minute` (a time was given), `day` (a date only) or `unknown` (no date).", PRECISIONS),
        Col("published_tz", "str", True, "Time-zone abbreviation or offset the page used, as written (e.g. `IST`), or inferred from the page."),
        Col("date_evidence", "str", True, "The text the publication date was read from, for audit."),
        Col("body", "str", False, "The article's own text, page furniture removed."),
        Col("n_removed_lines", "int", False, "How many lines of page furniture were removed."),
        Col("removed_lines", "str", False, "The removed lines, newline-joined, each prefixed with the rule that removed it (`[rule] line`)."),
        Col("content_hash", "str", False, "SHA-256 of the raw input bytes (cache key)."),
        Col("duplicate_of", "str", True, "doc_id of the earlier copy when this article is a syndicated copy, else null."),
        Col("duplicate_reason", "str", True, "Why it is a copy: `same_body` (the same normalised text), `same_url` (the same canonical URL: tracking parameters, AMP paths, `www.` and trailing slashes folded) or `near_body` (a near-duplicate body: MinHash/LSH candidates with >= 80% of the shorter body's word 5-grams in the other, e.g. another first line, byline or a trailing \"Read more\"); null when not a copy.", ("same_body", "same_url", "near_body")),
    ),
    "problems": (
        Col("source_path", "str", False, "File (or `file#line`) the problem was met in."),
        Col("severity", "str", False, "`error`: the input was skipped; `warning`: loaded, but something is missing or doubtful.", SEVERITIES),
        Col("message", "str", False, "What went wrong, in words a person understands."),
    ),
    "mentions": (
        Col("mention_id", "str", False, "`<doc_id>:<field>:<start>` (unique)."),
        Col("doc_id", "str", False, "Article the statement was found in."),
        Col("field", "str", False, "`title` or `body`: which text `start`/`end` index into.", ("title", "body")),
        Col("speaker", "str", False, "Who made the statement: the story's canonical name when the story knows the speaker, else the words the article used."),
        Col("speaker_text", "str", False, "How the article named (or referred to) the speaker, e.g. `he`, `Havana`, `Cuba's president`."),
        Col("side", "str", True, "The speaker's side in the story, or null when unknown."),
        Col("stance", "str", False, "Towards the story's proposition.", STANCES),
        Col("text", "str", False, "The sentence (or headline) holding the statement."),
        Col("quote", "str", True, "The quoted words when the statement is a direct quote."),
        Col("cue", "str", False, "The words that decided the stance (e.g. `no conversations`, `claimed`, `rejected`)."),
        Col("start", "int", False, "Start offset of `text` in the article's `field`."),
        Col("end", "int", False, "End offset (exclusive) of `text` in the article's `field`."),
        Col("said_from", "datetime", True, "Earliest time (UTC) the statement can have been made."),
        Col("said_to", "datetime", True, "Latest time (UTC) the statement can have been made."),
        Col("time_basis", "str", False, "What fixed the interval: an explicit date, a relative phrase, only the article's publication, or nothing.", TIME_BASES),
        Col("time_cue", "str", True, "The words that fixed the time (`on Sunday`, `Hours later`, `Feb. 1`)."),
        Col("after_mention_id", "str", True, "Statement this one is said to follow (`hours after X`), for latency bounds."),
        Col("lag_max", "timedelta", True, "Upper bound of the delay after `after_mention_id` (`hours later` -> 1 day)."),
        Col("event_id", "str", False, "The event (one utterance) this mention reports."),
        Col("rule", "str", True, "The stance judge's rule that decided (`denial verb`, `falsity`, `negated predicate`, `assertion`, ...; see `helpers.judges`)."),
    ),
    "events": (
        Col("event_id", "str", False, "Identifier of one utterance (unique)."),
        Col("stance", "str", False, "Stance of the utterance.", STANCES),
        Col("speaker", "str", False, "Canonical speaker."),
        Col("side", "str", True, "Speaker's side."),
        Col("text", "str", False, "The evidence sentence of the earliest-published mention."),
        Col("quote", "str", True, "A direct quote of the utterance, when any mention has one."),
        Col("said_from", "datetime", True, "Earliest time the utterance can have been made (intersection over its mentions)."),
        Col("said_to", "datetime", True, "Latest time the utterance can have been made."),
        Col("time_basis", "str", False, "Best basis among the mentions.", TIME_BASES),
        Col("n_mentions", "int", False, "How many mentions report it."),
        Col("n_articles", "int", False, "How many distinct (non-duplicate) articles report it."),
        Col("first_published_at", "datetime", True, "Publication time of the first article that reports it."),
    ),
    "latency": (
        Col("claim_event_id", "str", False, "The claim."),
        Col("denial_event_id", "str", False, "The first denial of it by another side."),
        Col("claim_speaker", "str", False, "Who claimed."),
        Col("denial_speaker", "str", False, "Who denied."),
        Col("latency_min", "timedelta", True, "Shortest delay between claim and denial the text allows."),
        Col("latency_max", "timedelta", True, "Longest delay the text allows (null: unbounded)."),
        Col("basis", "str", False, "What decided the tightest bound.", LATENCY_BASES),
        Col("note", "str", False, "The bound's reasoning in words, citing the cues."),
    ),
}


def columns(name: str) -> list[str]:
    """Column names of table ``name`` in contract order.

    Example:
        >>> columns("latency")[:2]
        ['claim_event_id', 'denial_event_id']
    """
    return [c.name for c in TABLES[name]]


def _pandas_dtype(dtype: str):
    return {
        "str": "str",
        "int": "int64",
        "bool": "bool",
        "datetime": UTC_DTYPE,
        "timedelta": TIMEDELTA_DTYPE,
    }[dtype]


@lru_cache(maxsize=None)
def schema(name: str):
    """The pandera schema of table ``name`` (strict: no missing or extra columns).

    Example:
        >>> schema("problems").columns["severity"].nullable
        False
    """
    import pandera.pandas as pa

    cols = {}
    for c in TABLES[name]:
        checks = [pa.Check.isin(list(c.allowed))] if c.allowed else []
        cols[c.name] = pa.Column(_pandas_dtype(c.dtype), checks=checks, nullable=c.nullable,
                                 unique=c.name in _UNIQUE.get(name, ()), description=c.doc)
    return pa.DataFrameSchema(cols, strict=True, ordered=True, coerce=True, name=name)


_UNIQUE = {"articles": ("doc_id",), "mentions": ("mention_id",), "events": ("event_id",)}


def empty(name: str) -> pd.DataFrame:
    """An empty DataFrame with the columns and dtypes of table ``name``.

    Example:
        >>> str(empty("events")["said_from"].dtype)
        'datetime64[us, UTC]'
    """
    return pd.DataFrame({c.name: pd.Series([], dtype=_pandas_dtype(c.dtype)) for c in TABLES[name]})


def conform(df: pd.DataFrame | list[dict], name: str) -> pd.DataFrame:
    """Order columns, coerce dtypes and validate: the one way a table crosses a boundary.

    Raises ``pandera.errors.SchemaError`` naming the column and the failing rows.

    Example:
        >>> conform([{"source_path": "a.txt", "severity": "warning", "message": "no date"}], "problems").shape
        (1, 3)
    """
    if not isinstance(df, pd.DataFrame):
        df = pd.DataFrame(list(df), columns=columns(name)) if df else empty(name)
    if len(df) == 0:
        return empty(name)
    out = df.reindex(columns=columns(name)).copy(deep=False)  # copy-on-write: columns are shared until changed
    for c in TABLES[name]:
        if c.dtype == "datetime":
            out[c.name] = pd.to_datetime(out[c.name], utc=True).astype(UTC_DTYPE)
        elif c.dtype == "timedelta":
            out[c.name] = pd.to_timedelta(out[c.name]).astype(TIMEDELTA_DTYPE)
    return validate(out, name)


def validate(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """Validate ``df`` against table ``name``'s schema and return the coerced frame.

    Example:
        >>> validate(empty("mentions"), "mentions").empty
        True
    """
    return schema(name).validate(df, lazy=True)


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A short hash of every table declaration: tables written under another one are validated again.

    Example:
        >>> len(fingerprint())
        16
    """
    return hashlib.sha256(data_dictionary_markdown().encode()).hexdigest()[:16]


def data_dictionary_markdown() -> str:
    """Markdown documentation of every table, generated from the declarations above.

    Example:
        >>> "| `published_at` |" in data_dictionary_markdown()
        True
    """
    lines = ["# Data dictionary", "",
             "Generated from `src/helpers/schemas.py` by `python -m helpers schema-docs`; do not edit by hand.",
             "Times are UTC (`datetime64[us, UTC]`); durations are `timedelta64[us]`.", ""]
    for name, cols in TABLES.items():
        lines += [f"## `{name}`", "", "| column | type | null? | meaning |", "|---|---|---|---|"]
        for c in cols:
            doc = c.doc + (f" One of: {', '.join(f'`{a}`' for a in c.allowed)}." if c.allowed else "")
            lines.append(f"| `{c.name}` | {c.dtype} | {'yes' if c.nullable else 'no'} | {doc} |")
        lines.append("")
    lines += ["## CSV files beside the charts", "",
              "The notebooks save each chart's table as CSV (`charts.write_csv`). A text cell that starts with",
              "`=`, `+`, `-`, `@`, a tab or a carriage return is written with a leading apostrophe (`'=...`), as",
              "OWASP advises against spreadsheet formula injection: an editor shows the text instead of running",
              "it. Numbers are written as they are (`-3` stays `-3`). Strip one leading `'` from such a cell to",
              "get the original text back. The Parquet tables are not changed.", ""]
    return "\n".join(lines)
