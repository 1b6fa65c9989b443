"""Table exports: CSV / TSV (header row required) and Parquet, one article per row.

The columns are matched by the same names as JSON record fields (``corpus.TEXT_KEYS``,
``TITLE_KEYS``, ``DATE_KEYS``, ``OUTLET_KEYS``, ``ID_KEYS``, ``URL_KEYS``; in any case, with spaces or
hyphens for underscores: ``corpus.known_field``; first present wins), so ``text``/``maintext``/``body``/
``content`` ..., ``title``/``headline``, ``date_publish``/``published``/``date`` ...,
``outlet``/``source``/``source_domain`` ..., ``id``, ``url`` (and ``Title``, ``TEXT``, ``Date Published`` ...).
Streamed row by row (CSV) or batch by batch (Parquet): the size limit applies to one row, a bad row
is a ``problems`` row (``file#<line>`` for CSV, the line its record starts on, the header being line 1;
``file#<row>`` for Parquet, 1-based) and the rest loads. Large files are cut into pieces (CSV: at
record ends, found by parsing, so quoted fields with line breaks stay whole; Parquet: row groups).

Example:
    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "export.csv")
    >>> _ = open(p, "w").write('id,title,text\\nx1,Talks Off,"The minister said no talks exist."\\nx2,Empty,\\n')
    >>> arts, probs = CsvReader().read(p, "export.csv", "export")
    >>> [(a["doc_id"], a["source_path"], a["title"]) for a in arts], [x["source_path"] for x in probs if x["severity"] == "error"]
    ([('x1', 'export.csv#2', 'Talks Off')], ['export.csv#3'])
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os

from .base import PIECE_BYTES, Piece, decode_record, iter_lines, problem, register, too_large


class _Lines:
    """Decoded physical lines for ``csv.reader``, counting lines and bytes; a line over the limit
    becomes an empty line and is remembered (the record holding it is then reported, not loaded)."""

    def __init__(self, f, limit: int, line: int = 1, pos: int = 0, end: int | None = None, digest=None):
        self._it = iter_lines(f, limit, line, pos, end, digest)
        self.line, self.pos = line, pos  # next line's number and offset
        self.oversize = 0  # size of the longest oversize line since the last reset
        self.warning = None

    def __iter__(self):
        return self

    def __next__(self) -> str:
        n, pos, raw, size = next(self._it)
        self.line, self.pos = n + 1, pos + size
        if raw is None:
            self.oversize = max(self.oversize, size)
            return "\n"
        text, warning = decode_record(raw)
        self.warning = self.warning or warning
        return text


def _delimiter(path: str) -> str:
    """The field separator of a CSV/TSV export: of comma, tab, semicolon (spreadsheets in many languages)
    and bar, the one that splits the header line into the most known field names (``corpus.known_field``);
    the file type's own (comma, tab for ``.tsv``) when none names more.

    Example:
        >>> import tempfile, os
        >>> p = os.path.join(tempfile.mkdtemp(), "x.csv")
        >>> _ = open(p, "w").write("title;text;date\\nA;B, and C;2025-01-02\\n")
        >>> _delimiter(p)
        ';'
    """
    from .. import corpus

    default = "\t" if path.lower().endswith(".tsv") else ","
    with open(path, "rb") as f:
        first = f.readline(64 * 1024)
    text, _ = decode_record(first)
    if not text:
        return default
    text = text.lstrip("\ufeff")

    def known(sep: str) -> int:
        return sum(corpus.known_field(h) is not None for h in next(csv.reader([text], delimiter=sep), []))

    return max((default, *(c for c in ",\t;|" if c != default)), key=known)  # max keeps the first of equals


def _records(lines: _Lines, delimiter: str):
    """``(first line, fields, oversize, warning)`` per CSV record."""
    reader = csv.reader(lines, delimiter=delimiter, strict=False)
    start = lines.line
    for fields in reader:
        yield start, fields, lines.oversize, lines.warning
        lines.oversize, lines.warning = 0, None
        start = lines.line


def _clean(v):
    """Parquet values as the JSON reader would see them (dates as ISO text)."""
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()
    return v


@register
class CsvReader:
    format = "csv"
    suffixes = (".csv", ".tsv")
    streamed = True

    def read(self, path: str, rel: str, stem: str, piece: Piece | None = None):
        from .. import corpus

        limit = corpus.MAX_FILE_BYTES
        arts: list[dict] = []
        probs: list[dict] = []
        delimiter = _delimiter(path)
        csv.field_size_limit(max(limit, csv.field_size_limit()))
        with open(path, "rb") as f:
            if piece is not None:
                f.seek(piece.start)
                lines = _Lines(f, limit, piece.line, piece.start, piece.end)
                header, k = list(piece.header or ()), piece.record
            else:
                lines = _Lines(f, limit)
                header, k = None, 0
            try:
                for n, fields, oversize, warning in _records(lines, delimiter):
                    src = f"{rel}#{n}"
                    if header is None:
                        header = [h.strip() for h in fields]
                        if not {corpus.known_field(h) for h in header} & set(corpus.TEXT_KEYS):
                            probs.append(problem(rel, "error", "CSV header names no text column (expected one of "
                                                               f"{', '.join(corpus.TEXT_KEYS[:4])} ...): skipped"))
                            return arts, probs
                        continue
                    if oversize:
                        k += 1
                        probs.append(problem(src, "error", f"line {n}: " + too_large("record", oversize, limit)))
                        continue
                    if not any(x.strip() for x in fields):
                        continue
                    k += 1
                    if len(fields) > len(header):
                        probs.append(problem(src, "warning", f"line {n}: {len(fields)} fields for {len(header)} "
                                                             "columns: the extra fields are ignored"))
                    if warning:
                        probs.append(problem(src, "warning", f"line {n}: {warning}"))
                    rec = {h: v for h, v in zip(header, fields) if v.strip()}
                    raw = "\x1f".join(fields).encode("utf-8", "surrogatepass")
                    corpus._load_record(rec, f"{stem}-{k}", src, raw, arts, probs, fmt="csv")
            except csv.Error as e:
                probs.append(problem(f"{rel}#{lines.line - 1}", "error",
                                     f"line {lines.line - 1}: malformed CSV ({e}): the rest of the file skipped"))
            except OSError as e:
                probs.append(problem(rel, "error", f"cannot read on after line {lines.line - 1} ({e}): the rest skipped"))
        if piece is None and not arts and not any(p["severity"] == "error" for p in probs):
            probs.append(problem(rel, "error", "no article text found (no row in the file): skipped"))
        return arts, probs

    def split(self, path: str, piece_bytes: int = PIECE_BYTES):
        """``(sha256, pieces)`` for a CSV over two pieces long, cut at record ends; else None."""
        from .. import corpus

        if os.path.getsize(path) <= 2 * piece_bytes:
            return None
        h = hashlib.sha256()
        pieces: list[Piece] = []
        delimiter = _delimiter(path)
        csv.field_size_limit(max(corpus.MAX_FILE_BYTES, csv.field_size_limit()))
        with open(path, "rb") as f:
            lines = _Lines(f, corpus.MAX_FILE_BYTES, digest=h)
            header, first, k, pos = None, None, 0, 0
            try:
                for n, fields, oversize, _ in _records(lines, delimiter):
                    if header is None:
                        header = tuple(x.strip() for x in fields)
                        first = (lines.line, lines.pos, 0)
                        pos = lines.pos
                        continue
                    if pos - first[1] >= piece_bytes:  # this record starts a new piece
                        pieces.append(Piece(first[1], pos, first[0], first[2], header))
                        first = (n, pos, k)
                    if oversize or any(x.strip() for x in fields):
                        k += 1
                    pos = lines.pos
            except csv.Error:
                return None  # let one reader report it
            h.update(f.read())
        if header is None or first is None:
            return None
        pieces.append(Piece(first[1], os.path.getsize(path), first[0], first[2], header))
        return h.hexdigest(), pieces

    def example(self) -> bytes:
        return b'id,title,text,date\ne1,Talks Are Off,"The minister said ""no talks"" exist.",2026-03-03\n'


@register
class ParquetReader:
    format = "parquet"
    suffixes = (".parquet",)
    streamed = True
    #: Rows per batch read (a batch of 20 MB texts is still only 512 rows).
    BATCH_ROWS = 512

    def read(self, path: str, rel: str, stem: str, piece: Piece | None = None):
        import pyarrow.parquet as pq

        from .. import corpus

        limit = corpus.MAX_FILE_BYTES
        arts: list[dict] = []
        probs: list[dict] = []
        try:
            pf = pq.ParquetFile(path)
        except Exception as e:
            return [], [problem(rel, "error", f"not a readable Parquet file ({type(e).__name__}: {str(e)[:100]}): skipped")]
        names = pf.schema_arrow.names
        if not {corpus.known_field(c) for c in names} & set(corpus.TEXT_KEYS):
            return [], [problem(rel, "error", "Parquet file has no text column (expected one of "
                                              f"{', '.join(corpus.TEXT_KEYS[:4])} ...): skipped")]
        cols = [c for c in names if corpus.known_field(c)]
        # the text columns, in TEXT_KEYS's order of preference (for the size check; records are read by _load_record)
        texts = sorted((c for c in cols if corpus.known_field(c) in corpus.TEXT_KEYS),
                       key=lambda c: corpus.TEXT_KEYS.index(corpus.known_field(c)))
        groups = range(piece.start, piece.end) if piece else range(pf.num_row_groups)
        row = piece.line - 1 if piece else 0
        try:
            for batch in pf.iter_batches(batch_size=self.BATCH_ROWS, row_groups=list(groups), columns=cols):
                for rec in batch.to_pylist():
                    row += 1
                    src = f"{rel}#{row}"
                    text = next((rec[c] for c in texts if rec.get(c)), None)
                    size = len(text.encode("utf-8", "surrogatepass")) if isinstance(text, str) else 0
                    if size > limit:
                        probs.append(problem(src, "error", f"row {row}: " + too_large("record", size, limit)))
                        continue
                    rec = {k: _clean(v) for k, v in rec.items() if v is not None}
                    raw = repr(sorted(rec.items())).encode("utf-8", "surrogatepass")
                    corpus._load_record(rec, f"{stem}-{row}", src, raw, arts, probs, fmt="parquet")
        except Exception as e:  # a damaged page or column chunk: keep what loaded
            probs.append(problem(rel, "error", f"cannot read on after row {row} ({type(e).__name__}: "
                                               f"{str(e)[:100]}): the rest of the file skipped"))
        if piece is None and not arts and not any(p["severity"] == "error" for p in probs):
            probs.append(problem(rel, "error", "no article text found (no row in the file): skipped"))
        return arts, probs

    def split(self, path: str, piece_bytes: int = PIECE_BYTES):
        """``(sha256, pieces)``, one piece per run of row groups of about ``piece_bytes``; None for one group."""
        import pyarrow.parquet as pq

        try:
            meta = pq.ParquetFile(path).metadata
        except Exception:
            return None
        if meta.num_row_groups < 2:
            return None
        pieces, first, rows, size, rows_before = [], 0, 0, 0, 0
        for g in range(meta.num_row_groups):
            rg = meta.row_group(g)
            if size >= piece_bytes and g > first:  # a piece holds at least one row group
                pieces.append(Piece(first, g, rows_before + 1, rows_before))
                first, size = g, 0
            if size == 0:
                rows_before = rows
            size += rg.total_byte_size
            rows += rg.num_rows
        pieces.append(Piece(first, meta.num_row_groups, rows_before + 1, rows_before))
        if len(pieces) < 2:
            return None
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest(), pieces

    def example(self) -> bytes:
        import pyarrow as pa
        import pyarrow.parquet as pq

        buf = io.BytesIO()
        pq.write_table(pa.table({"id": ["e1"], "title": ["Talks Are Off"], "text": ["The minister said no talks exist."],
                                 "date": ["2026-03-03"]}), buf)
        return buf.getvalue()
