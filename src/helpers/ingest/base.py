"""The :class:`Reader` protocol, the registry, and the bounded line reader the streamed readers share."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import BinaryIO, Iterator, Protocol, runtime_checkable

#: A large streamed file is cut into pieces of about this many bytes, read by workers in parallel.
PIECE_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Piece:
    """A run of whole records of one file: bytes ``[start, end)`` (for Parquet: row groups
    ``[start, end)``), whose first record is on line ``line`` (1-based) and is the file's record
    number ``record`` (0-based, used for ids). ``header``: the CSV column names, read once."""
    start: int
    end: int
    line: int
    record: int
    header: tuple[str, ...] | None = None


@runtime_checkable
class Reader(Protocol):
    """What every input format implements.

    ``format``: the ``articles.format`` value; ``suffixes``: lower-case name endings it owns
    (``".jsonl.gz"`` wins over ``".gz"``); ``streamed``: read record by record (no whole-file size
    limit). ``read`` returns ``(article rows, problem rows)`` as ``corpus.load_file`` does and never
    raises on bad input; ``split`` returns ``(sha256 of the file, pieces)`` or None when the file is not
    worth cutting; ``example`` returns the bytes of a small valid file holding one article.
    """
    format: str
    suffixes: tuple[str, ...]
    streamed: bool

    def read(self, path: str, rel: str, stem: str, piece: Piece | None = None) -> tuple[list[dict], list[dict]]: ...

    def split(self, path: str, piece_bytes: int = PIECE_BYTES) -> tuple[str, list[Piece]] | None: ...

    def example(self) -> bytes: ...


#: Every registered reader (see :func:`register`).
READERS: list[Reader] = []


def register(reader_class):
    """Class decorator: instantiate the reader and add it to :data:`READERS`."""
    reader = reader_class()
    assert isinstance(reader, Reader), f"{reader_class.__name__} does not implement Reader"
    READERS.append(reader)
    return reader_class


def suffix_of(name: str) -> str:
    """The longest registered ending of ``name`` (lower case), else its last extension.

    Example:
        >>> suffix_of("dump.JSONL.gz"), suffix_of("a.b.txt"), suffix_of("README")
        ('.jsonl.gz', '.txt', '')
    """
    low = name.lower()
    best = ""
    for r in READERS:
        for s in r.suffixes:
            if low.endswith(s) and len(s) > len(best) and len(low) > len(s):
                best = s
    if best:
        return best
    dot = low.rfind(".")
    return low[dot:] if dot > 0 else ""


def reader_for(name: str) -> Reader | None:
    """The reader that owns a file name, or None for an unknown type."""
    suffix = suffix_of(name)
    for r in READERS:
        if suffix in r.suffixes:
            return r
    return None


def known_suffixes() -> list[str]:
    """The registered endings, for messages (aliases included)."""
    return [s for r in READERS for s in r.suffixes]


def iter_lines(f: BinaryIO, limit: int, line: int = 1, pos: int = 0, end: int | None = None,
               digest: "hashlib._Hash | None" = None) -> Iterator[tuple[int, int, bytes | None, int]]:
    """Lines of a binary file as ``(line number, byte offset, bytes, length)``, never holding more
    than ``limit`` bytes of one line: a longer line is consumed in 1 MB steps and given as ``None``
    (its ``length`` says how long it was). Stops at EOF or at byte ``end``. ``digest`` is updated with
    every byte read.

    Example:
        >>> import io
        >>> [(n, p, b, k) for n, p, b, k in iter_lines(io.BytesIO(b"ab\\n" + b"x" * 9 + b"\\nc"), limit=5)]
        [(1, 0, b'ab\\n', 3), (2, 3, None, 10), (3, 13, b'c', 1)]
    """
    while end is None or pos < end:
        data = f.readline(limit + 1)
        if not data:
            return
        if digest is not None:
            digest.update(data)
        size = len(data)
        if size > limit and not data.endswith(b"\n"):
            while True:
                more = f.readline(1 << 20)
                if digest is not None:
                    digest.update(more)
                size += len(more)
                if not more or more.endswith(b"\n"):
                    break
            data = None
        yield line, pos, data, size
        line += 1
        pos += size


def problem(source: str, severity: str, message: str) -> dict:
    return {"source_path": source, "severity": severity, "message": message}


def too_large(what: str, size: int, limit: int) -> str:
    return (f"{what} too large ({size / 2**20:.1f} MB, limit {limit / 2**20:.0f} MB per record = "
            f"corpus.MAX_FILE_BYTES): skipped")


def decode_record(raw: bytes) -> tuple[str | None, str | None]:
    """Text of one record's bytes: ``(text, warning)``; UTF-8, else Windows-1252, else latin-1
    (never fails; the warning says which). A UTF-8 BOM is dropped.

    Example:
        >>> decode_record("Café".encode("cp1252"))
        ('Café', 'decoded as Windows-1252 (not UTF-8)')
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "decoded as Windows-1252 (not UTF-8)"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "decoded as latin-1 (not UTF-8)"
