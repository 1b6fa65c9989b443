"""Load a folder of scraped news pages into the ``articles`` and ``problems`` tables.

Formats (one reader each, registered in :mod:`helpers.ingest`): ``.txt``/``.md`` (the visible text of a
page), ``.html``/``.htm`` (main text and metadata via trafilatura), ``.json`` (one record, a list, or
``{"articles": [...]}``); and, streamed record by record whatever the file's size, ``.jsonl`` /
``.jsonl.gz`` (one record per line), ``.csv``/``.tsv`` and ``.parquet`` (one record per row), with the
field (column) names news scrapers use (news-please: ``title, maintext, date_publish, source_domain,
url``; others: ``text/body/content, date_published/published/datePublished, outlet/source, id``).

Bad input never stops a load: each bad file (or record) becomes one row of ``problems`` with a
message a person understands, and the rest loads. Input files are only ever opened for reading.

Example:
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.txt").write_text("Talks Are Off\\n\\nMarch 3, 2026\\n\\nThe minister said no talks exist.")
    >>> _ = (d / "b.pdf").write_bytes(b"%PDF")
    >>> c = load_corpus(d)
    >>> c.articles[["doc_id", "title", "published_precision"]].values.tolist()
    [['a', 'Talks Are Off', 'day']]
    >>> c.problems["message"].tolist()
    ["unknown file type '.pdf' (expected .txt, .md, .html, .htm, .json, .jsonl, .jsonl.gz, .csv, .parquet, .warc, .warc.gz): skipped"]
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import cleaning, dates, ingest, schemas
from .text import path_text, unique_ids
from .errors import CorpusError

#: Files above this size are reported and skipped without being read (checked with stat first).
MAX_FILE_BYTES = 20 * 1024 * 1024

#: File name ending -> ``format`` column value (from the registered readers, see :mod:`helpers.ingest`).
FORMATS = {s: r.format for r in ingest.READERS for s in r.suffixes}
_ALIASES = (".text", ".markdown", ".ndjson", ".ndjson.gz", ".tsv")
_KNOWN = ", ".join(s for s in FORMATS if s not in _ALIASES)

#: Record fields, in order of preference, for structured (JSON/JSONL) input.
TEXT_KEYS = ("maintext", "text", "body", "content", "article", "article_text", "articleBody", "full_text")
TITLE_KEYS = ("title", "headline")
DATE_KEYS = ("date_publish", "date_published", "datePublished", "published_at", "publishedAt", "published",
             "publish_date", "pubdate", "date")
OUTLET_KEYS = ("outlet", "source", "publisher", "site_name", "sitename", "source_name", "source_domain", "domain")
ID_KEYS = ("id", "doc_id", "_id", "uuid", "guid")
URL_KEYS = ("url", "link", "canonical_url")
CONTAINER_KEYS = ("articles", "items", "records", "results", "documents", "data")
_KNOWN_FIELDS = {k.lower(): k for k in (*TEXT_KEYS, *TITLE_KEYS, *DATE_KEYS, *OUTLET_KEYS, *ID_KEYS, *URL_KEYS)}


def known_field(name) -> str | None:
    """The field of ``TEXT_KEYS`` ... ``URL_KEYS`` a record's (or a table's column) name stands for, whatever
    its case and separators ("Title", "TEXT", "Date Published", "date-publish"); None for another name.

    Example:
        >>> known_field("Title"), known_field("Date Published"), known_field("pubDate"), known_field("views")
        ('title', 'date_published', 'pubdate', None)
    """
    if not isinstance(name, str):
        return None
    low = name.strip().lower()
    return _KNOWN_FIELDS.get(low) or _KNOWN_FIELDS.get(low.replace(" ", "_").replace("-", "_"))


def with_known_keys(rec: dict) -> dict:
    """``rec`` with every field :func:`known_field` recognises also under its known spelling (a field
    already spelt that way wins).

    Example:
        >>> with_known_keys({"Title": "Talks off", "TEXT": "No talks.", "title2": 1})
        {'Title': 'Talks off', 'TEXT': 'No talks.', 'title2': 1, 'title': 'Talks off', 'text': 'No talks.'}
    """
    extra = {}
    for k, v in rec.items():
        known = known_field(k)
        if known is not None and known not in rec and known not in extra:
            extra[known] = v
    return {**rec, **extra} if extra else rec

_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
_ASCII_LETTER_RE = re.compile(r"[A-Za-z]")
_C1_BYTES_RE = re.compile(rb"[\x80-\x9f]")
_ID_RE = re.compile(r"[^\w.\-]+")


@dataclass
class Corpus:
    """A loaded corpus: the ``articles`` and ``problems`` tables (validated by ``schemas.conform``)."""
    articles: pd.DataFrame
    problems: pd.DataFrame


def list_files(root) -> list[Path]:
    """Every file under ``root`` (recursive, sorted by relative path), skipping hidden files and folders.

    Broken symbolic links and special files are listed too, so that :func:`load_file` reports them
    instead of letting them vanish; symbolic links to folders are not followed. ``README*`` files
    document a corpus and are not articles: they are skipped too.
    Raises :class:`errors.CorpusError` when ``root`` is missing, not a folder, or holds no file.

    Example:
        >>> list_files("/no/such/folder")
        Traceback (most recent call last):
        ...
        helpers.errors.CorpusError: corpus folder not found: /no/such/folder
    """
    return [Path(p) for p in list_file_paths(root)]


def list_file_paths(root) -> list[str]:
    """:func:`list_files` as plain strings (what the pipeline needs: 85,850 Paths cost ~1 s more).

    Example:
        >>> import tempfile, pathlib
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> for name in ("b.txt", "a/z.txt", "README.md", ".hidden"):
        ...     (d / name).parent.mkdir(exist_ok=True); _ = (d / name).write_text("x")
        >>> [pathlib.Path(p).relative_to(d).as_posix() for p in list_file_paths(d)]
        ['a/z.txt', 'b.txt']
    """
    return walk(root)[0]


def walk(root) -> tuple[list[str], list[dict]]:
    """The files under ``root`` (as :func:`list_file_paths` lists them) and one ``problems`` row per
    sub-folder that could not be read (its files would otherwise vanish without a word).

    File names that are not valid UTF-8 are listed as Python keeps them (surrogate escapes, usable to
    open the file); the tables show them with :func:`helpers.text.path_text` (``\\xNN``).

    Example:
        >>> import tempfile, pathlib
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (d / "a.txt").write_text("x")
        >>> paths, problems = walk(d)
        >>> [pathlib.Path(p).name for p in paths], problems
        (['a.txt'], [])
    """
    root = Path(root)
    if not root.exists():
        raise CorpusError(f"corpus folder not found: {root}")
    if not root.is_dir():
        raise CorpusError(f"corpus path is not a folder: {root}")
    out: list[str] = []
    problems: list[dict] = []
    base = os.fspath(root).rstrip("/") + "/"

    def unreadable(err: OSError) -> None:
        where = os.fspath(err.filename or root)
        rel = where[len(base):] if where.startswith(base) else "."
        why = "permission denied" if isinstance(err, PermissionError) else (err.strerror or str(err))
        problems.append(_problem(path_text(rel or "."), "error",
                                 f"cannot read folder: {why}: its files (if any) are skipped"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        out.extend(os.path.join(dirpath, f) for f in filenames
                   if not f.startswith(".") and not f.upper().startswith("README"))
    if not out and not problems:
        raise CorpusError(f"corpus folder holds no files: {root}")
    if not out:
        raise CorpusError(f"corpus folder holds no readable files: {root} ({problems[0]['source_path']}: "
                          f"{problems[0]['message']})")
    return sorted(out), problems  # every path starts with root: the strings sort as the relative paths do


def _problem(source: str, severity: str, message: str) -> dict:
    return {"source_path": source, "severity": severity, "message": message}


def decode(data: bytes) -> tuple[str | None, str | None, str | None]:
    """Decode a file's bytes: ``(text, warning, error)``; exactly one of text/error is set.

    UTF-8 (with or without BOM) is read silently. Otherwise: UTF-16 with a BOM; then Windows-1252 /
    latin-1 when the result reads as Western text (accented letters are a minority of letters);
    then charset-normalizer's best guess. Text with NUL bytes or many control characters is binary.

    Example:
        >>> decode("Café".encode("cp1252"))
        ('Café', 'decoded as latin-1 (not UTF-8)', None)
        >>> decode(b"\\x00\\x01\\x02binary")[2]
        'binary file (contains NUL bytes), not text'
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _check_text(data.decode("utf-16"), "decoded as UTF-16 (not UTF-8)")
        except UnicodeDecodeError:
            return None, None, "binary file (starts like UTF-16 but does not decode), not text"
    if b"\x00" in data:
        return None, None, "binary file (contains NUL bytes), not text"
    try:
        return _check_text(data.decode("utf-8"), None)
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        n_non_ascii = len(_NON_ASCII_RE.findall(text))
        if n_non_ascii <= 0.3 * (n_non_ascii + len(_ASCII_LETTER_RE.findall(text))):
            enc = "cp1252 (Windows-1252)" if _C1_BYTES_RE.search(data) else "latin-1"
            return _check_text(text, f"decoded as {enc} (not UTF-8)")
    except UnicodeDecodeError:
        pass
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return None, None, "not text: the bytes do not decode in any known encoding (binary file?)"
    return _check_text(str(best), f"decoded as {best.encoding} (not UTF-8; guessed by charset-normalizer)")


_CTRL_BYTES = bytes(range(0x09)) + bytes(range(0x0e, 0x20)) + b"\x7f"


def _check_text(text: str, warning: str | None) -> tuple[str | None, str | None, str | None]:
    # The control characters are ASCII, so they are counted as bytes of the UTF-8 encoding: encoding and
    # bytes.translate are ~5x faster than a regex scan of the text.
    head = text[:100_000].encode("utf-8", "surrogatepass")
    if len(head) - len(head.translate(None, _CTRL_BYTES)) > 0.01 * min(len(text), 100_000) + 1:
        return None, None, "binary file (many control characters), not text"
    return text, warning, None


def _rel(path: Path, root: Path) -> str:
    for base in (root, root.absolute(), root.resolve()):
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def load_file(path, root, piece=None) -> tuple[list[dict], list[dict]]:
    """Parse ONE file (or one :class:`ingest.Piece` of a large dump) into article rows and problem rows.
    Pure; never raises on bad input.

    The reader is chosen by the file name's ending (:func:`ingest.reader_for`). Article rows carry every
    ``articles`` column except ``duplicate_of``; ``source_path`` is relative to ``root`` (``file#n`` for
    a record: the n-th record of a JSON list, the line of a JSONL or CSV record, the row of a Parquet
    file, the record of a WARC file).

    Example:
        >>> import tempfile, pathlib
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (d / "empty.txt").write_bytes(b"")
        >>> load_file(d / "empty.txt", d)
        ([], [{'source_path': 'empty.txt', 'severity': 'error', 'message': 'empty file (0 bytes): skipped'}])
    """
    spath, sroot = os.fspath(path), os.fspath(root).rstrip("/") + "/"  # str ops: pathlib is slow here
    rel = spath[len(sroot):] if spath.startswith(sroot) else _rel(Path(path), Path(root))
    name = os.path.basename(spath)
    name_note = []
    if path_text(rel) != rel:  # not UTF-8: tables hold the \\xNN form (Parquet text is UTF-8 only)
        rel, name = path_text(rel), path_text(name)
        name_note = [_problem(rel, "warning", "file name is not valid UTF-8: its bytes are shown as \\xNN")]
    arts, problems = _load_file(path, spath, rel, name, piece)
    return arts, name_note + problems


def _load_file(path, spath: str, rel: str, name: str, piece) -> tuple[list[dict], list[dict]]:
    reader = ingest.reader_for(name)
    if reader is None:
        suffix = ingest.suffix_of(name)
        return [], [_problem(rel, "warning", f"unknown file type '{suffix or '(none)'}' (expected {_KNOWN}): skipped")]
    suffix = ingest.suffix_of(name)
    stem = name[:-len(suffix)] if suffix and name.lower().endswith(suffix) else os.path.splitext(name)[0]
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            return [], [_problem(rel, "error", f"broken symbolic link (its target {os.readlink(path)!r} does not exist): skipped")]
        return [], [_problem(rel, "error", "file disappeared before it could be read: skipped")]
    except PermissionError:
        return [], [_problem(rel, "error", "cannot read file: permission denied: skipped")]
    except OSError as e:
        return [], [_problem(rel, "error", f"cannot read file: {e.strerror or e}: skipped")]
    if not stat.S_ISREG(st.st_mode):
        return [], [_problem(rel, "error", "not a regular file (a device, pipe or socket): skipped")]
    if st.st_size == 0:
        return [], [_problem(rel, "error", "empty file (0 bytes): skipped")]
    if not reader.streamed:
        return _read_whole(spath, rel, stem, reader.format, st.st_size)
    try:
        return reader.read(spath, rel, stem, piece)
    except PermissionError:
        return [], [_problem(rel, "error", "cannot read file: permission denied: skipped")]
    except Exception as e:  # last resort: a bug on odd input must not stop a 100k-file run
        return [], [_problem(rel, "error", f"internal error while reading this file "
                                           f"({type(e).__name__}: {str(e)[:120]}); please report it: skipped")]


def _read_whole(path: str, rel: str, stem: str, fmt: str, size: int) -> tuple[list[dict], list[dict]]:
    """Read a whole-file format (txt, md, html, json) of ``size`` bytes (from stat): size limit, read,
    decode, parse."""
    if size > MAX_FILE_BYTES:
        return [], [_problem(rel, "error", f"file too large ({size / 2**20:.1f} MB, limit "
                                           f"{MAX_FILE_BYTES / 2**20:.0f} MB = corpus.MAX_FILE_BYTES): skipped")]
    try:
        with open(path, "rb") as f:
            # read(n) allocates n bytes up front: ask for the size stat gave (+1), and read on up to the
            # limit only if the file grew since (a 21 MB request costs ~0.1 ms per small file)
            want = min(size, MAX_FILE_BYTES) + 1
            data = f.read(want)
            if len(data) == want and want <= MAX_FILE_BYTES:
                data += f.read(MAX_FILE_BYTES + 1 - want)
    except PermissionError:
        return [], [_problem(rel, "error", "cannot read file: permission denied: skipped")]
    except OSError as e:
        return [], [_problem(rel, "error", f"cannot read file: {e.strerror or e}: skipped")]
    if len(data) > MAX_FILE_BYTES:
        return [], [_problem(rel, "error", f"file too large (over {MAX_FILE_BYTES / 2**20:.0f} MB): skipped")]
    if not data.strip():
        return [], [_problem(rel, "error", "file holds only whitespace: skipped")]
    text, warning, error = decode(data)
    if error:
        return [], [_problem(rel, "error", error + ": skipped")]
    problems = [_problem(rel, "warning", warning)] if warning else []
    arts: list[dict] = []
    try:
        _parse(text, data, fmt, stem, rel, arts, problems)
    except Exception as e:  # last resort: a bug on odd input must not stop a 100k-file run
        return [], problems + [_problem(rel, "error", f"internal error while reading this file "
                                                      f"({type(e).__name__}: {str(e)[:120]}); please report it: skipped")]
    return arts, problems


def _parse(text: str, data: bytes, fmt: str, stem: str, rel: str, arts: list, problems: list) -> None:
    if fmt in ("txt", "md"):
        _add_page(arts, problems, cleaning.parse_page(text, fmt), stem, rel, fmt, data, None)
    elif fmt == "html":
        _load_html(text, data, stem, rel, arts, problems)
    else:  # json
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as e:
            problems.append(_problem(rel, "error", f"invalid JSON ({e.msg} at line {e.lineno}, column {e.colno}): skipped"))
            return
        except RecursionError:
            problems.append(_problem(rel, "error", "invalid JSON (nested too deeply): skipped"))
            return
        recs = _records(obj)
        if recs is None:
            problems.append(_problem(rel, "error", "JSON holds no article record (expected an object with a text "
                                                   f"field such as {', '.join(TEXT_KEYS[:4])}, or a list of them): skipped"))
        elif isinstance(obj, dict) and len(recs) == 1 and recs[0] is obj:
            _load_record(obj, stem, rel, data, arts, problems)
        else:
            if not recs:
                problems.append(_problem(rel, "error", "JSON list is empty (no article): skipped"))
            for n, rec in enumerate(recs, 1):
                raw = json.dumps(rec, sort_keys=True, ensure_ascii=False).encode()
                _load_record(rec, f"{stem}-{n}", f"{rel}#{n}", raw, arts, problems)


def _records(obj) -> list | None:
    if isinstance(obj, list):
        return obj
    if isinstance(obj, dict):
        if any(known_field(k) in TEXT_KEYS for k in obj):
            return [obj]
        for k in CONTAINER_KEYS:
            if isinstance(obj.get(k), list):
                return obj[k]
    return None


def _field(rec: dict, keys: tuple[str, ...]):
    for k in keys:
        v = rec.get(k)
        if v not in (None, "", [], {}):
            return v
    return None


def _as_text(v) -> str | None:
    if isinstance(v, str):
        return v
    if isinstance(v, list) and v and all(isinstance(x, str) for x in v):
        return "\n\n".join(v)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(v)
    return None


def _load_record(rec, doc_id: str, source: str, raw: bytes, arts: list, problems: list,
                 fmt: str = "json") -> None:
    if not isinstance(rec, dict):
        problems.append(_problem(source, "error", f"record is a JSON {type(rec).__name__}, not an object: skipped"))
        return
    rec = with_known_keys(rec)
    text = _as_text(_field(rec, TEXT_KEYS))
    if text:
        text = cleaning.strip_markup(text)  # scrapers keep HTML in text fields: markup never reaches the rules
    if not text or not text.strip():
        problems.append(_problem(source, "error", "no article text found (the record has no "
                                                  f"{'/'.join(TEXT_KEYS[:4])} field with text): skipped"))
        return
    rid = _field(rec, ID_KEYS)
    if isinstance(rid, (str, int)) and not isinstance(rid, bool):
        rid = _ID_RE.sub("_", str(rid)).strip("_")[:120]
        doc_id = rid or doc_id
    outlet = _field(rec, OUTLET_KEYS)
    if isinstance(outlet, dict):
        outlet = outlet.get("name") or outlet.get("title") or outlet.get("id")
    raw_date = _field(rec, DATE_KEYS)
    url = _field(rec, URL_KEYS)
    title = _as_text(_field(rec, TITLE_KEYS))
    meta = {"title": cleaning.strip_markup(title) if title else title, "outlet": _as_text(outlet),
            "date": dates.parse_datetime(raw_date), "date_raw": raw_date,
            "url": url if isinstance(url, str) else None}
    _add_page(arts, problems, cleaning.parse_page(text, fmt, meta), doc_id, source, fmt, raw, meta["url"])


def _load_html(text: str, data: bytes, stem: str, rel: str, arts: list, problems: list, *,
               url: str | None = None, crawled: dates.DateMatch | None = None, fmt: str = "html") -> None:
    """One HTML page -> one article row. ``url``: the address it was fetched from (a WARC record's
    target URI), which wins over the page's own; ``crawled``: when it was fetched (WARC-Date), used
    only when the page gives no date of its own: the article was published at or before it."""
    from trafilatura.utils import load_html

    try:
        tree = load_html(text)
        doc = _html_document(tree) if tree is not None else None
    except Exception as e:  # trafilatura/lxml failures on broken markup: report, never crash the load
        problems.append(_problem(rel, "error", f"could not parse HTML ({type(e).__name__}): skipped"))
        return
    if doc is None or not (doc.text or "").strip():
        problems.append(_problem(rel, "error", "no article text found (the HTML has no main text): skipped"))
        return
    date = dates.parse_datetime(doc.date)
    raw_date = doc.date
    if date is None or date.precision == "day":
        # htmldate keeps only the day when it reads the date from the URL; take the time from the page's
        # standard metadata when it names the same day (or htmldate found none)
        precise, source = _html_meta_time(tree)
        if precise is not None and precise.precision == "minute" and (date is None or precise.date == date.date):
            date, raw_date = precise, f"{source}: {precise.text}"
    if date is None and crawled is not None:
        date, raw_date = crawled, f"WARC-Date {crawled.text} (crawl time: published at or before it)"
        problems.append(_problem(rel, "warning", "no publication date in the page: the crawl time (WARC-Date) "
                                                 "is used, the article was published at or before it"))
    url = url or doc.url
    meta = {"title": doc.title, "outlet": doc.sitename or doc.hostname, "date": date,
            "date_raw": raw_date, "url": url}
    _add_page(arts, problems, cleaning.parse_page(doc.text, "html", meta), stem, rel, fmt, data, url)


#: htmldate settings: the original (publication) date, with its time when the page gives one.
_HTMLDATE_PARAMS = {"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True, "extensive_search": False}
_EXTRACTOR = None


def _html_document(tree):
    """What ``trafilatura.bare_extraction(tree, fast=True, with_metadata=True, include_comments=False,
    date_extraction_params=_HTMLDATE_PARAMS)`` returns in the fields we use (title, sitename, hostname,
    url, date, text), or None when it finds nothing.

    Its metadata pass also extracts author, categories, tags and license, about half of the time of a
    page, which we never use: the steps for our fields are run here as ``extract_metadata`` runs them,
    then the main-text extraction with the metadata pass off (the url it would pass only matters for
    link output, which is off). One Extractor serves every page (building it parses its config).
    """
    global _EXTRACTOR
    import trafilatura
    from courlan import extract_domain
    from htmldate import find_date
    from trafilatura import metadata as tm
    from trafilatura.settings import Extractor

    try:
        meta = tm.examine_meta(tree)
        try:
            meta = tm.extract_meta_json(tree, meta)
        except Exception:  # trafilatura's own guard (bugs in its JSON-LD reader)
            pass
        if not meta.title:
            meta.title = tm.extract_title(tree)
        if not meta.url:
            meta.url = tm.extract_url(tree)
        if meta.url:
            meta.hostname = extract_domain(meta.url, fast=True)
        meta.date = find_date(tree, url=meta.url, **_HTMLDATE_PARAMS)
        if not meta.sitename:
            meta.sitename = tm.extract_sitename(tree)
        if meta.sitename:
            meta.sitename = meta.sitename.lstrip("@")
            if meta.sitename and "." not in meta.sitename and not meta.sitename[0].isupper():
                meta.sitename = meta.sitename.title()
        elif meta.url:
            m = tm.META_URL.match(meta.url)
            if m:
                meta.sitename = m[1]
        meta.clean_and_trim()
    except (TypeError, ValueError):  # bare_extraction returns None on these
        return None
    if _EXTRACTOR is None:
        # fast=True skips trafilatura's second (fallback) extractor: ~2x faster, same text on news pages
        _EXTRACTOR = Extractor(output_format="python", fast=True, comments=False)
    doc = trafilatura.bare_extraction(tree, options=_EXTRACTOR)
    if doc is None:
        return None
    meta.text = doc.text
    return meta


_HTML_TIME_XPATHS = (
    ("meta article:published_time", "//meta[@property='article:published_time']/@content"),
    ("meta itemprop datePublished", "//meta[@itemprop='datePublished']/@content"),
    ("meta pubdate", "//meta[@name='pubdate' or @name='publishdate' or @name='date']/@content"),
    ("<time datetime>", "(//article//time[@datetime] | //main//time[@datetime] | //time[@pubdate])[1]/@datetime"),
)


def _html_meta_time(tree) -> tuple[dates.DateMatch | None, str]:
    """The publication time in a page's standard metadata (Open Graph / schema.org meta, JSON-LD
    ``datePublished``, an article's ``<time datetime>``), read from the lxml tree; ``(None, "")`` if absent."""
    for name, xp in _HTML_TIME_XPATHS:
        for v in tree.xpath(xp):
            d = dates.parse_datetime(str(v))
            if d is not None:
                return d, name
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            obj = json.loads(script)
        except ValueError:
            continue
        for o in obj if isinstance(obj, list) else [obj]:
            if isinstance(o, dict):
                d = dates.parse_datetime(o.get("datePublished"))
                if d is not None:
                    return d, "JSON-LD datePublished"
    return None, ""


def _add_page(arts: list, problems: list, page: cleaning.Page, doc_id: str, source: str, fmt: str,
              raw: bytes, url: str | None) -> None:
    if not page.body.strip():
        problems.append(_problem(source, "error", "no article text found (only page furniture, or nothing): skipped"))
        return
    problems.extend(_problem(source, sev, msg) for sev, msg in page.problems)
    arts.append({
        "doc_id": doc_id, "source_path": source, "format": fmt, "title": page.title, "outlet": page.outlet,
        "dateline": page.dateline, "url": url, "published_at": page.published_at,
        "published_precision": page.published_precision, "published_tz": page.published_tz,
        "date_evidence": page.date_evidence, "body": page.body, "n_removed_lines": len(page.removed),
        "removed_lines": "\n".join(page.removed), "content_hash": hashlib.sha256(raw).hexdigest(),
    })


def unique_doc_ids(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """Make ``doc_id`` unique (two files can share a stem; records can share an id): later rows get
    ``-2``, ``-3`` ... Returns the rows and one warning problem per renamed row.

    Example:
        >>> rows, probs = unique_doc_ids([{"doc_id": "a", "source_path": "x/a.txt"}, {"doc_id": "a", "source_path": "y/a.txt"}])
        >>> [r["doc_id"] for r in rows], probs[0]["message"]
        (['a', 'a-2'], "doc_id 'a' is already used by x/a.txt; this article is 'a-2'")
    """
    holder: dict[str, str] = {}
    out, problems = [], []
    for r, (new, base) in zip(rows, unique_ids([r["doc_id"] for r in rows])):  # the one uniquifier
        if base is not None:
            problems.append(_problem(r["source_path"], "warning",
                                     f"doc_id {base!r} is already used by {holder[base]}; this article is {new!r}"))
            r = {**r, "doc_id": new}
        holder[new] = r["source_path"]
        out.append(r)
    return out, problems


_DUP_MAP = {"’": "'", "‘": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "–": "-", "—": "-",
            "\u00a0": " "}
# A regex substitution, not str.translate: translate with a dict table walks every character in Python
# (~0.5 ms for a 3 KB body, measured), the regex only touches the few matches.
_DUP_RE = re.compile("[" + "".join(_DUP_MAP) + "]")


def body_key(body: str) -> str:
    """The duplicate key of a body (see :func:`ingest.duplicates.body_key`): a hash of the normalised
    body, then its MinHash signature.

    Example:
        >>> body_key("Cuba said “no”.").split(":")[0] == body_key('  cuba SAID "no".').split(":")[0]
        True
    """
    return ingest.duplicates.body_key(body)


def mark_duplicates(articles: pd.DataFrame, keys: Sequence[str] | None = None,
                    canonical_urls: Sequence[str | None] | None = None) -> pd.DataFrame:
    """Fill ``duplicate_of`` and ``duplicate_reason``: each syndicated copy (the same normalised body, the
    same canonical URL, or a near-duplicate body; see :mod:`helpers.ingest.duplicates`) points to the
    earliest-published copy, then the lexically first doc_id; undated copies come last. A date-only copy
    (``published_precision == "day"``) counts as published at the END of its day: it is not known to be
    earlier than a timed copy of the same day. Near-linear in the number of articles (one key each, one
    sort, LSH buckets). Also makes ``doc_id`` unique if it is not (see :func:`unique_doc_ids`). ``keys``
    and ``canonical_urls`` (:func:`body_key` of each body, ``ingest.duplicates.canonical_url`` of each url)
    may be given: the pipeline computes them in its workers, once per article, and caches them.

    Example:
        >>> df = pd.DataFrame({"doc_id": ["b", "a", "c"], "body": ["Same text.", "same  TEXT.", "Other."],
        ...                    "published_at": pd.to_datetime(["2026-01-02", "2026-01-03", None], utc=True),
        ...                    "source_path": ["b.txt", "a.txt", "c.txt"]})
        >>> mark_duplicates(df)[["duplicate_of", "duplicate_reason"]].values.tolist()
        [[None, None], ['b', 'same_body'], [None, None]]
    """
    df = articles.copy(deep=False)  # copy-on-write: the caller's frame is never changed, the bodies not copied
    if df["doc_id"].duplicated().any():
        rows, _ = unique_doc_ids(df.to_dict("records"))
        df["doc_id"] = [r["doc_id"] for r in rows]
    if keys is None or len(keys) != len(df):  # the pipeline passes keys it computed (and cached) per article
        keys = [body_key(b) for b in df["body"]]
    doc_ids = df["doc_id"].tolist()
    when = pd.to_datetime(df["published_at"], utc=True)
    if "published_precision" in df:
        day = (df["published_precision"] == "day").to_numpy()
        when = when.where(~day, when + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1))
    order = pd.DataFrame({"undated": when.isna().to_numpy(), "when": when.to_numpy(), "doc_id": doc_ids}) \
        .sort_values(["undated", "when", "doc_id"], kind="stable").index.to_numpy()  # positions 0..n-1
    rank = np.empty(len(df), dtype=np.int64)
    rank[order] = np.arange(len(df))
    urls = df["url"].tolist() if "url" in df else [None] * len(df)
    dup_of, reason = ingest.duplicates.find_duplicates(doc_ids, df["body"].array, keys, urls, rank,  # bodies: a few,
                                                       canonical=canonical_urls)  # by index
    df["duplicate_of"] = pd.Series(dup_of, index=df.index, dtype=object)
    df["duplicate_reason"] = pd.Series(reason, index=df.index, dtype=object)
    return df


def finalize(article_rows: list[dict], problem_rows: list[dict]) -> Corpus:
    """Assemble the rows of many :func:`load_file` calls into a validated :class:`Corpus`
    (unique doc_ids, duplicates marked). The pipeline calls this after loading files in parallel.

    Example:
        >>> finalize([], [{"source_path": "x.bin", "severity": "error", "message": "binary"}]).problems.shape
        (1, 3)
    """
    rows, renamed = unique_doc_ids(article_rows)
    if rows:
        arts = mark_duplicates(pd.DataFrame(rows))
    else:
        arts = schemas.empty("articles")
    return Corpus(schemas.conform(arts, "articles"), schemas.conform(list(problem_rows) + renamed, "problems"))


def load_corpus(path) -> Corpus:
    """Load every file of a corpus folder (sequentially) into validated ``articles`` and ``problems``.

    Raises :class:`errors.CorpusError` when the folder is missing or empty; bad files become problems.

    Example:
        >>> from helpers.paths import REAL_CORPUS
        >>> c = load_corpus(REAL_CORPUS)              # doctest: +SKIP
        >>> c.articles[["doc_id", "published_at"]]   # doctest: +SKIP
    """
    root = Path(path)
    paths, probs = walk(root)
    arts = []
    for f in paths:
        a, p = load_file(f, root)
        arts += a
        probs += p
    return finalize(arts, probs)


# --- accuracy against a gold annotation ---------------------------------------------------------------

def compare_to_gold(articles: pd.DataFrame, gold) -> pd.DataFrame:
    """One row per gold check (``doc_id, field, expected, got, ok``): :func:`helpers.evaluation.article_checks`,
    the one gold comparer (this name is kept for the loader's tests and notebooks).

    ``gold`` is a path to a ``data/gold/<corpus>-articles.yml`` file or its parsed dict.

    Example:
        >>> arts = pd.DataFrame({"doc_id": ["a"], "title": ["T"], "outlet": [None], "dateline": [None],
        ...     "published_at": pd.to_datetime(["2026-01-12"], utc=True), "published_precision": ["day"],
        ...     "body": ["Kept words. More."]})
        >>> gold = {"articles": [{"doc_id": "a", "title": "T", "outlet": None, "dateline": None,
        ...     "published_at": "2026-01-12", "published_precision": "day", "body_keeps": ["Kept words"],
        ...     "body_drops": ["Share this"]}]}
        >>> bool(compare_to_gold(arts, gold)["ok"].all())
        True
    """
    from .evaluation import article_checks

    if not isinstance(gold, dict):
        import yaml

        gold = yaml.safe_load(Path(gold).read_text(encoding="utf-8"))
    return article_checks(articles, gold)


def accuracy_by_field(checks: pd.DataFrame) -> pd.DataFrame:
    """Per-field accuracy of :func:`compare_to_gold` checks: ``field, n, correct, accuracy``.

    Example:
        >>> accuracy_by_field(pd.DataFrame({"field": ["title", "title"], "ok": [True, False]}))
           field  n  correct  accuracy
        0  title  2        1       0.5
    """
    g = checks.groupby("field", sort=False)["ok"]
    out = pd.DataFrame({"n": g.size(), "correct": g.sum().astype(int)}).reset_index()
    out["accuracy"] = out["correct"] / out["n"]
    return out
