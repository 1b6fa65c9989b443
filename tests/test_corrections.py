"""Corrections beside the story: applied on every run, stale ones reported, malformed ones a clear error."""
from __future__ import annotations

import pytest

from helpers import corrections, pipeline
from helpers.errors import UserError
from helpers.paths import DEMO_CORPUS, DEMO_STORY


@pytest.fixture()
def story(tmp_path):
    p = tmp_path / "demo.yml"
    p.write_text(DEMO_STORY.read_text(encoding="utf-8"), encoding="utf-8")
    return p


def run(story, tmp_path, name="out", use_cache=False):
    return pipeline.analyze(DEMO_CORPUS, story=story, out=tmp_path / name, jobs=1, progress=False,
                            use_cache=use_cache, cache_dir=tmp_path / "cache")


def test_corrections_applied_everywhere(story, tmp_path):
    base = run(story, tmp_path, "base")
    ms = base.mentions
    claim = ms[(ms["stance"] == "claim") & (ms["side"] == "valdoria")].iloc[0]
    denial = ms[(ms["stance"] == "denial") & (ms["text"] != claim["text"])
                & (ms["doc_id"] != ms.iloc[-1]["doc_id"])].iloc[0]
    n_claims = int((ms["stance"] == "claim").sum())
    corrections.path_for(story).write_text(f"""\
corrections:
  - mention: "{claim['mention_id']}"
    stance: other
    note: a conditional offer, not a claim
  - sentence: "{denial['text'].upper().replace('’', "'")}"
    speaker: Dalia Renko
  - article: "{ms.iloc[-1]['doc_id']}"
    drop: true
  - sentence: "No article says this."
    stance: claim
""", encoding="utf-8")
    got = run(story, tmp_path, "fixed")
    gm = got.mentions
    row = gm[gm["mention_id"] == claim["mention_id"]].iloc[0]
    assert row["stance"] == "other" and row["cue"].startswith("corrected by hand (stance other; a conditional")
    assert int((gm["stance"] == "claim").sum()) < n_claims
    assert set(gm.loc[gm["text"] == denial["text"], "speaker"]) == {"Dalia Renko"}
    assert set(gm.loc[gm["text"] == denial["text"], "side"]) == {"drevania"}  # the side follows the speaker
    assert ms.iloc[-1]["doc_id"] not in set(gm["doc_id"]) and ms.iloc[-1]["doc_id"] not in set(got.articles["doc_id"])
    stale = got.problems[got.problems["message"].str.contains("matches nothing")]
    assert len(stale) == 1 and "correction 4 (line 9)" in stale.iloc[0]["message"]
    assert corrections.count_corrected(gm) >= 2
    assert "Corrected by hand:" in corrections.note(got, story)
    # events and latency are built from the corrected rows
    assert set(got.latency["claim_event_id"]) <= set(got.events.loc[got.events["stance"] == "claim", "event_id"])


def test_changed_corrections_are_not_hidden_by_the_kept_result(story, tmp_path):
    first = run(story, tmp_path, "a", use_cache=True)
    mid = first.mentions.iloc[0]["mention_id"]
    corrections.path_for(story).write_text(f'corrections:\n  - {{mention: "{mid}", drop: true}}\n', encoding="utf-8")
    second = run(story, tmp_path, "b", use_cache=True)
    assert mid not in set(second.mentions["mention_id"])
    assert len(second.mentions) == len(first.mentions) - 1


@pytest.mark.parametrize("text,needle", [
    ("corrections:\n  - {sentence: x, stanse: other}\n", "correction 1 (line 2): unknown key 'stanse'"),
    ("corrections:\n  - {sentence: x, stance: maybe}\n", "stance must be claim, denial or other"),
    ("corrections:\n  - {sentence: x, mention: y, stance: other}\n", "exactly one of mention, sentence, article"),
    ("corrections:\n  - {sentence: x}\n", "says nothing to change"),
    ("corrections:\n  - {sentence: x, side: martians}\n", "side 'martians' is not a side of the story"),
    ("corrections:\n  - {article: x, stance: other}\n", "an article correction can only drop the article"),
    ("corrections:\n  - {sentence: x, stance: other}\n  - {sentence: y, stance: other, stance: claim}\n",
     "line 3: the key 'stance' appears twice"),
    ("fixes: []\n", "expected one key, 'corrections'"),
    ("corrections: [unclosed\n", "not valid YAML"),
])
def test_malformed_corrections_are_a_clear_error(story, tmp_path, text, needle):
    corrections.path_for(story).write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as e:
        run(story, tmp_path)
    assert needle in str(e.value) and "\n" not in str(e.value) and "corrections.yml" in str(e.value)
