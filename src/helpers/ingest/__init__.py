"""Input readers, registered by format: one small class per format, each implementing :class:`Reader`.

``corpus.load_file`` asks :func:`reader_for` which reader owns a file (by its name's ending) and lets
it read the file. Two kinds:

* whole-file readers (``txt``, ``md``, ``html``, ``json``): one page or one JSON document; the whole
  file is read, so ``corpus.MAX_FILE_BYTES`` applies to the file;
* streamed readers (``jsonl`` and ``.jsonl.gz``, ``csv``/``tsv``, ``parquet``, ``warc``): read record by
  record, so the size limit applies to ONE record, memory stays bounded whatever the file's size,
  a bad record is one ``problems`` row (with its line, row or record number) and the rest loads.
  A large dump can be cut into :class:`Piece` s (runs of whole records) that workers read in
  parallel (``Reader.split``).

Adding a format is one module with one class and one :func:`register` line; the tests run every
registered reader on its own ``example()``.

Example:
    >>> reader_for("feed.jsonl.gz").format, reader_for("page.HTML").format, reader_for("x.pdf")
    ('jsonl', 'html', None)
    >>> sorted(r.format for r in READERS)
    ['csv', 'html', 'json', 'jsonl', 'md', 'parquet', 'txt', 'warc']
"""
from .base import PIECE_BYTES, READERS, Piece, Reader, reader_for, register, suffix_of

from . import whole, jsonl, table, warc  # noqa: E402,F401  (each module registers its readers)
from . import duplicates  # noqa: E402,F401

__all__ = ["PIECE_BYTES", "READERS", "Piece", "Reader", "reader_for", "register", "suffix_of"]
