"""Stance on real text nobody here wrote (FNC-1 in ../shared): floors on the held-out half.

The rules were examined against errors of the ``dev`` half only (helpers.fnc1); these floors are on the
``test`` half, a little under the level measured when they were set (see the closing note of issue 11),
and the default judge must beat the first version's rules there.
"""
import pytest

from helpers import fnc1

pytestmark = pytest.mark.skipif(not (fnc1.FNC_DIR / "stance-pairs.jsonl").is_file(), reason="../shared absent")


@pytest.fixture(scope="module")
def articles():
    return {j: fnc1.evaluate_fnc1(j, split="test") for j in ("cues", "legacy")}


def test_article_level_denials_beat_the_first_version(articles):
    cues, legacy = articles["cues"], articles["legacy"]
    assert cues["denial"]["f1"] >= 0.30 and cues["accuracy"] >= 0.36
    assert cues["denial"]["f1"] > legacy["denial"]["f1"] and cues["accuracy"] > legacy["accuracy"]


def test_headline_pairs_denials():
    cues = fnc1.evaluate_headlines("cues", split="test")["denial"]
    legacy = fnc1.evaluate_headlines("legacy", split="test")["denial"]
    assert cues["precision"] >= 0.75 and cues["f1"] >= 0.33
    assert cues["f1"] > legacy["f1"]


def test_split_is_stable_and_balanced():
    pairs = fnc1.load_pairs()
    share = sum(p["split"] == "dev" for p in pairs) / len(pairs)
    assert 0.4 < share < 0.6
    assert fnc1.split_of("x") == fnc1.split_of("x")
