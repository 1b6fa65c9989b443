"""JSON Lines dumps (``.jsonl``, ``.ndjson``, and gzip-compressed ``.jsonl.gz`` / ``.ndjson.gz``).

Streamed line by line: one line is one record (the field names of ``corpus.TEXT_KEYS`` etc.), a
line over ``corpus.MAX_FILE_BYTES`` is skipped without being held in memory, a bad line is one
``problems`` row (``file#<line>``) and the rest loads. An uncompressed dump larger than two pieces is
cut at line ends into pieces of about ``PIECE_BYTES`` that workers read in parallel; a gzip stream
cannot be entered in the middle, so a ``.jsonl.gz`` is read by one worker (still streamed).

Example:
    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "feed.jsonl")
    >>> _ = open(p, "wb").write(b'{"id": "a", "text": "The minister spoke."}\\n{bad\\n')
    >>> arts, probs = JsonLinesReader().read(p, "feed.jsonl", "feed")
    >>> [a["source_path"] for a in arts], [(x["source_path"], x["message"][:28]) for x in probs if x["severity"] == "error"]
    (['feed.jsonl#1'], [('feed.jsonl#2', 'line 2: invalid JSON (Expect')])
"""
from __future__ import annotations

import gzip
import hashlib
import json
import zlib

from .base import PIECE_BYTES, Piece, decode_record, iter_lines, problem, register, too_large


@register
class JsonLinesReader:
    format = "jsonl"
    suffixes = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
    streamed = True

    def read(self, path: str, rel: str, stem: str, piece: Piece | None = None):
        from .. import corpus

        limit = corpus.MAX_FILE_BYTES
        arts: list[dict] = []
        probs: list[dict] = []
        gz = path.lower().endswith(".gz")
        line, start, end, k = (piece.line, piece.start, piece.end, piece.record) if piece else (1, 0, None, 0)
        n = line - 1
        try:
            with (gzip.open(path, "rb") if gz else open(path, "rb")) as f:
                if start:
                    f.seek(start)
                for n, _, raw, size in iter_lines(f, limit, line, start, end):
                    if raw is None:
                        k += 1
                        probs.append(problem(f"{rel}#{n}", "error", f"line {n}: " + too_large("record", size, limit)))
                        continue
                    if not raw.strip():
                        continue
                    k += 1
                    self._record(raw, n, k, stem, rel, arts, probs)
        except (OSError, EOFError, zlib.error) as e:  # truncated or corrupt gzip, read error mid-way
            what = "not a valid gzip file" if gz and n < line else f"cannot read on after line {n}"
            probs.append(problem(rel, "error", f"{what} ({type(e).__name__}: {str(e)[:80]}): "
                                               "the rest of the file skipped"))
        if piece is None and not arts and not any(p["severity"] == "error" for p in probs):
            probs.append(problem(rel, "error", "no article text found (no record in the file): skipped"))
        return arts, probs

    @staticmethod
    def _record(raw: bytes, n: int, k: int, stem: str, rel: str, arts: list, probs: list) -> None:
        from .. import corpus

        src = f"{rel}#{n}"
        if b"\x00" in raw:
            probs.append(problem(src, "error", f"line {n}: binary data (contains NUL bytes), not a JSON record: line skipped"))
            return
        text, warning = decode_record(raw)
        try:
            rec = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as e:
            why = e.msg if isinstance(e, json.JSONDecodeError) else "nested too deeply"
            probs.append(problem(src, "error", f"line {n}: invalid JSON ({why}): line skipped"))
            return
        if warning:
            probs.append(problem(src, "warning", f"line {n}: {warning}"))
        if raw.endswith(b"\n"):
            raw = raw[:-1]
        corpus._load_record(rec, f"{stem}-{k}", src, raw, arts, probs, fmt="jsonl")

    def split(self, path: str, piece_bytes: int = PIECE_BYTES):
        """``(sha256, pieces)`` for an uncompressed dump over two pieces long, cut at line ends; else None.

        One pass over the file (the hash comes with it); never holds more than one line.
        """
        from .. import corpus
        import os

        if path.lower().endswith(".gz") or os.path.getsize(path) <= 2 * piece_bytes:
            return None
        h = hashlib.sha256()
        pieces: list[Piece] = []
        first = (1, 0, 0)  # line, byte, record of the current piece's first line
        k = 0
        with open(path, "rb") as f:
            for n, pos, raw, size in iter_lines(f, corpus.MAX_FILE_BYTES, digest=h):
                if pos - first[1] >= piece_bytes:
                    pieces.append(Piece(first[1], pos, first[0], first[2]))
                    first = (n, pos, k)
                if raw is None or raw.strip():
                    k += 1
            total = f.tell()
        pieces.append(Piece(first[1], total, first[0], first[2]))
        return h.hexdigest(), pieces

    def example(self) -> bytes:
        return (b'{"id": "e1", "title": "Talks Are Off", "text": "The minister said no talks exist.", '
                b'"date": "2026-03-03"}\n')
