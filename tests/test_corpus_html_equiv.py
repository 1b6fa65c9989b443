"""corpus._html_document runs only the parts of trafilatura's metadata pass that feed our columns: it must
give exactly what the full ``bare_extraction(..., with_metadata=True)`` gives in those fields (a trafilatura
upgrade that changes extract_metadata would show up here)."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import corpus
from helpers.paths import DEMO_CORPUS

HOSTILE = Path(__file__).parent / "data" / "hostile" / "corpus"
PAGES = sorted(Path(DEMO_CORPUS).glob("*.htm*")) + sorted(HOSTILE.glob("*.htm*"))
FIELDS = ("title", "sitename", "hostname", "url", "date", "text")

EXTRA = """<html><head><title>Talks stall | The Daily Planet</title>
<link rel="canonical" href="/world/2026/01/12/talks-stall">
<meta property="og:url" content="https://dailyplanet.example/world/2026/01/12/talks-stall">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Talks stall",
 "datePublished": "2026-01-12T09:30:00+01:00", "publisher": {"name": "@dailyplanet"}}</script></head>
<body><article><h1>Talks stall</h1><p>The talks stalled on Monday, officials said, and no new date was set
for the next round of the negotiations between the two governments.</p>
<p>Both sides blamed the other for the delay in a pair of statements released late in the evening.</p>
</article></body></html>"""


def _full(tree):
    import trafilatura

    return trafilatura.bare_extraction(tree, fast=True, with_metadata=True, include_comments=False,
                                       date_extraction_params=dict(corpus._HTMLDATE_PARAMS))


@pytest.mark.parametrize("html", [p.read_text(encoding="utf-8") for p in PAGES] + [EXTRA],
                         ids=[p.name for p in PAGES] + ["canonical-jsonld"])
def test_html_document_matches_full_bare_extraction(html):
    from trafilatura.utils import load_html

    assert PAGES, "no demo HTML pages found"
    full = _full(load_html(html))
    ours = corpus._html_document(load_html(html))
    assert (full is None) == (ours is None)
    if full is not None:
        assert {f: getattr(ours, f) for f in FIELDS} == {f: getattr(full, f) for f in FIELDS}
