"""Whole-file readers: one page (``txt``, ``md``, ``html``) or one JSON document per file.

The file is read at once, so ``corpus.MAX_FILE_BYTES`` applies to the whole file; the parsing itself
lives in :mod:`helpers.corpus` (``_read_whole``), unchanged.
"""
from __future__ import annotations

import os

from .base import PIECE_BYTES, Piece, register


class _Whole:
    format = ""
    suffixes: tuple[str, ...] = ()
    streamed = False
    sample = b""

    def read(self, path: str, rel: str, stem: str, piece: Piece | None = None):
        from .. import corpus

        return corpus._read_whole(path, rel, stem, self.format, os.stat(path).st_size)

    def split(self, path: str, piece_bytes: int = PIECE_BYTES):
        return None  # one page is one article: nothing to cut

    def example(self) -> bytes:
        return self.sample


@register
class TextReader(_Whole):
    """The visible text of a page."""
    format, suffixes = "txt", (".txt", ".text")
    sample = b"Talks Are Off\n\nMarch 3, 2026\n\nThe minister said no talks exist.\n"


@register
class MarkdownReader(_Whole):
    """A page saved as Markdown."""
    format, suffixes = "md", (".md", ".markdown")
    sample = b"# Talks Are Off\n\n_March 3, 2026_\n\nThe minister said no talks exist.\n"


@register
class HtmlReader(_Whole):
    """An HTML page: main text and metadata via trafilatura."""
    format, suffixes = "html", (".html", ".htm")
    sample = (b"<html><head><title>Talks Are Off</title>"
              b"<meta property='article:published_time' content='2026-03-03T10:00:00Z'></head>"
              b"<body><article><h1>Talks Are Off</h1><p>The minister said on Tuesday that no talks exist "
              b"between the two governments, and that none were planned.</p></article></body></html>")


@register
class JsonReader(_Whole):
    """One JSON record, a list of records, or ``{"articles": [...]}``."""
    format, suffixes = "json", (".json",)
    sample = b'{"title": "Talks Are Off", "text": "The minister said no talks exist.", "date": "2026-03-03"}'
