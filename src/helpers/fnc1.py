"""Stance on real text nobody here wrote: the FNC-1 headlines and bodies in ``../shared/datasets/fnc-1``.

Each related pair (headline, body, label) is read as the toolkit reads an article: the headline is the
proposition, every body sentence is judged against it (with the sentence before as context), and the
article's label is ``denial`` when a sentence denies it, else ``claim`` when a sentence asserts it,
else ``other``. FNC-1's ``disagree`` is a denial, ``agree`` a claim, ``discuss`` other; ``unrelated``
pairs are left out. The labels are about whole articles and noisy; what matters most is the denial
figure (disagree vs the rest), since a denial is what starts the latency clock.

A second, headline-level reading (closer to judging one headline against a claim): two headlines about
one body are opposed when the body agrees with one and disagrees with the other. :func:`headline_pairs`
takes a positive headline (no negation or falsity word) as the claim and the other as the text: an
opposed pair should be a ``denial``, a pair both agreed with should not. Noisy (both labels are about
the body), but real headlines nobody here wrote.

Honest split: the headlines are divided in two halves by a hash of their text. The rules were
examined against errors of the ``dev`` half only; the ``test`` half was never looked at while writing
them, so its figures are held out. ``python -m helpers evaluate`` prints both, for every judge.

Example (needs ../shared; skipped in doctests):
    >>> figs = evaluate_fnc1(split="test", limit=50)  # doctest: +SKIP
    >>> sorted(figs["denial"])  # doctest: +SKIP
    ['f1', 'precision', 'recall', 'support']
"""
from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from pathlib import Path

from . import judges
from .paths import SHARED_DIR
from .proposition import parse

__all__ = ["FNC_DIR", "load_pairs", "split_of", "judge_article", "evaluate_fnc1", "LABELS", "headline_pairs",
           "evaluate_headlines"]

FNC_DIR = SHARED_DIR / "datasets" / "fnc-1"
LABELS = {"disagree": "denial", "agree": "claim", "discuss": "other"}


def split_of(headline: str) -> str:
    """``dev`` or ``test``: a stable half of the headlines (MD5 of the text).

    Example:
        >>> split_of("Apple will launch a watch") in ("dev", "test")
        True
    """
    return "dev" if hashlib.md5(headline.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def load_pairs(root: str | Path = FNC_DIR) -> list[dict]:
    """Related pairs ``{"headline", "body", "label", "split"}`` (label: denial / claim / other)."""
    root = Path(root)
    bodies = {}
    with open(root / "stance-bodies.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            bodies[r["body_id"]] = r["text"]
    out = []
    with open(root / "stance-pairs.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["stance"] in LABELS and r["body_id"] in bodies:
                out.append({"headline": r["headline"], "body": bodies[r["body_id"]],
                            "label": LABELS[r["stance"]], "split": split_of(r["headline"])})
    return out


def judge_article(headline: str, body: str, judge: str | None = None) -> tuple[str, list]:
    """The article-level label of ``body`` towards ``headline`` and the sentences that decided.

    Example:
        >>> judge_article("Acme bought Globex", "Acme denied it had bought Globex. Shares fell.")[0]
        'denial'
    """
    from .extraction import split_sentences

    prop = parse(headline)
    j = judges.get(judge)
    found = []
    on_topic = False  # the article has been on the proposition so far (sticky, as in extraction)
    for s, e in split_sentences(body):
        sent = body[s:e]
        r = j.judge(sent, prop, judges.Context(on_topic=on_topic))
        if r.label != "other":
            found.append((r.label, r.rule, r.cue, sent))
        on_topic = on_topic or prop.relevance(sent).on_topic
    labels = {f[0] for f in found}
    label = "denial" if "denial" in labels else "claim" if "claim" in labels else "other"
    return label, found


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "support": tp + fn}


def evaluate_fnc1(judge: str | None = None, split: str = "test", limit: int | None = None,
                  root: str | Path = FNC_DIR) -> dict:
    """Per-label precision / recall / F1, 3-class accuracy and ms per article on one split
    (``dev``, ``test`` or ``all``).
    """
    pairs = [p for p in load_pairs(root) if split == "all" or p["split"] == split]
    if limit:
        pairs = pairs[:limit]
    gold, pred = [], []
    t0 = time.perf_counter()
    for p in pairs:
        gold.append(p["label"])
        pred.append(judge_article(p["headline"], p["body"], judge)[0])
    ms = (time.perf_counter() - t0) * 1000 / max(1, len(pairs))
    out = {"judge": judges.get(judge).name, "split": split, "pairs": len(pairs),
           "accuracy": round(sum(g == q for g, q in zip(gold, pred)) / max(1, len(pairs)), 3),
           "ms_per_article": round(ms, 2)}
    for lab in ("denial", "claim", "other"):
        c = Counter((g == lab, q == lab) for g, q in zip(gold, pred))
        out[lab] = _prf(c[(True, True)], c[(False, True)], c[(True, False)])
    return out


def headline_pairs(root: str | Path = FNC_DIR) -> list[dict]:
    """``{"claim", "headline", "label", "split"}``: label ``denial`` when the body the two headlines share
    agrees with the claim headline and disagrees with the other, ``claim`` when it agrees with both. Only
    claims without a negation or falsity word (a positive proposition). Split by the claim headline.

    Example (needs ../shared):
        >>> len(headline_pairs()) > 500  # doctest: +SKIP
        True
    """
    import re
    from collections import defaultdict

    from . import lexicon

    neg = re.compile(r"\b(?:no|not|never|nothing|none)\b|n['’]t\b", re.I)
    fals = lexicon.pattern("falsity")
    by_body: dict = defaultdict(dict)
    with open(Path(root) / "stance-pairs.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["stance"] in ("agree", "disagree"):
                by_body[r["body_id"]][r["headline"]] = r["stance"]
    seen = {}
    for hs in by_body.values():
        agreed = [h for h, st in hs.items() if st == "agree"]
        for h1 in agreed:
            if neg.search(h1) or fals.search(h1) or h1.rstrip().endswith("?"):
                continue
            for h2, st in hs.items():
                if h2 != h1:
                    seen[(h1, h2)] = "denial" if st == "disagree" else "claim"
    return [{"claim": c, "headline": h, "label": lab, "split": split_of(c)} for (c, h), lab in sorted(seen.items())]


def evaluate_headlines(judge: str | None = None, split: str = "test", root: str | Path = FNC_DIR) -> dict:
    """Denial precision / recall / F1 of a judge on :func:`headline_pairs` (one split or ``all``)."""
    j = judges.get(judge)
    pairs = [p for p in headline_pairs(root) if split == "all" or p["split"] == split]
    c = Counter()
    for p in pairs:
        got = j.judge(p["headline"], parse(p["claim"]), judges.Context(headline=True)).label == "denial"
        c[(p["label"] == "denial", got)] += 1
    out = {"judge": j.name, "split": split, "pairs": len(pairs)}
    out["denial"] = _prf(c[(True, True)], c[(False, True)], c[(True, False)])
    return out
