"""Stance rules: unit cases, and accuracy on tests/data/stance_sentences.yml (sentences written for the project)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from helpers import stance
from helpers.stance import StanceResult, classify, explain

DATA = Path(__file__).parent / "data" / "stance_sentences.yml"
LABELS = ("claim", "denial", "other")

# Levels reached: 1.000 on all 110 sentences after the first version's rules were tuned on them, so these
# floors allow about one miss. The proposition-based judge (helpers.judges "cues", the default since issue
# 11) was written against other sentences (tests/test_judges.py); on this file its first run gave 0.764,
# then 0.982 after general fixes (participants named "both sides"/"the couple", light verbs, hedges after
# the predicate, double negatives after "not true that"), then 1.000 after a "downplay" word list. Honest generalisation, measured on each batch BEFORE any rule change for it: first batch
# 60/65 (0.923), second batch 21/25 (0.84), third batch 18/20 (0.90).
MIN_ACCURACY = 0.99
MIN_PRECISION = {"claim": 0.97, "denial": 0.97}
MIN_RECALL = {"claim": 0.97, "denial": 0.97}


def _cases():
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))["sentences"]


def scores(cases):
    pairs = [(c["label"], classify(c["text"], claim=c.get("claim"))) for c in cases]
    acc = sum(g == p for g, p in pairs) / len(pairs)
    per = {}
    for lab in LABELS:
        tp = sum(g == p == lab for g, p in pairs)
        npred = sum(p == lab for _, p in pairs)
        ngold = sum(g == lab for g, _ in pairs)
        per[lab] = (tp / npred if npred else 1.0, tp / ngold if ngold else 1.0, ngold)
    return acc, per, pairs


def test_file_is_big_and_varied():
    cases = _cases()
    assert len(cases) >= 40
    counts = Counter(c["label"] for c in cases)
    assert all(counts[lab] >= 10 for lab in LABELS), counts
    assert sum(1 for c in cases if c["label"] == "other" and c.get("kind")) >= 15  # many hard negatives
    assert len({c.get("claim") for c in cases}) >= 6


def test_accuracy_on_own_sentences(capsys):
    cases = _cases()
    acc, per, pairs = scores(cases)
    with capsys.disabled():
        print(f"\nstance on {len(cases)} sentences: accuracy {acc:.3f}")
        for lab, (p, r, n) in per.items():
            print(f"  {lab:7s} precision {p:.3f} recall {r:.3f} (n={n})")
        for c, (g, p) in zip(cases, pairs):
            if g != p:
                print(f"  MISS gold={g} got={p}: {c['text']}")
    assert acc >= MIN_ACCURACY
    for lab in ("claim", "denial"):
        assert per[lab][0] >= MIN_PRECISION[lab], (lab, per[lab])
        assert per[lab][1] >= MIN_RECALL[lab], (lab, per[lab])


CLAIM = "Acme and Globex are holding talks."


@pytest.mark.parametrize("text,label", [
    ("Acme denied it was in talks with Globex.", "denial"),
    ("Acme did not deny it was in talks with Globex.", "other"),
    ("Acme would reject any talks held under pressure.", "other"),
    ("There are no talks with Globex, Acme said.", "denial"),
    ("Acme said talks with Globex were not taking place.", "denial"),
    ("Acme said the reports of talks were baseless.", "denial"),
    ("Acme said it was talking to Globex.", "claim"),
    ("Acme said it was ready to talk if Globex asked.", "other"),
    ("Acme rejected claims that there were no talks with Globex.", "claim"),
    ("Acme rejected the reports, saying there were no talks with Globex.", "denial"),
    ("Are Acme and Globex talking?", "other"),
    ("Acme denied that its factory had closed.", "other"),          # off topic
    ("Acme warned Globex to start talks or face a lawsuit.", "other"),
])
def test_rules(text, label):
    assert classify(text, claim=CLAIM) == label


def test_explain_gives_the_cue_and_its_span():
    text = "Officials said no negotiations are taking place."
    r = explain(text, claim=CLAIM)
    assert r == StanceResult("denial", "no negotiations", 15, 30, "negated predicate")
    assert text[r.cue_start:r.cue_end] == r.cue


def test_topic_terms_replace_the_claim_words():
    # "engagement" is a topic word of this story, not of the claim sentence
    assert classify("Havana dismissed suggestions of diplomatic engagement.", claim=CLAIM) == "other"
    assert classify("Havana dismissed suggestions of diplomatic engagement.", claim=CLAIM,
                    topic_terms=["engagement"]) == "denial"


def test_topic_known_lets_anaphora_through():
    assert classify("Hours later, the minister rejected his claim.", claim=CLAIM) == "other"
    assert classify("Hours later, the minister rejected his claim.", claim=CLAIM, topic_known=True) == "denial"


def test_without_claim_no_topic_is_required():
    assert classify("The company denied it.") == "denial"
    assert classify("The company denied it.", claim=CLAIM) == "other"


def test_claim_topic_terms_are_stems_with_synonyms():
    terms = stance.claim_topic_terms("Acme and Globex are in merger talks.")
    assert "merg" in terms and "negoti" in terms and "acme" not in terms
