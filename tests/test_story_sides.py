"""Side kinds end to end: a neutral side's statements are counted but never paired for latency."""
from __future__ import annotations

from helpers import pipeline

STORY = """\
name: sides
proposition: {text: "Aland and Borea are holding talks.", topic_terms: [talks]}
sides:
  - id: a
    speakers: [{name: Ann Lee, role: Premier of Alandia}]
  - id: b
    speakers: [{name: Bob Moss, role: President of Borea}]
  - id: pundits
    kind: {kind}
    speakers: [{name: Carl Pundit}]
"""
ARTICLES = {
    "1.txt": "Lee Says Talks Are On\n\n2 March 2026\n\nAnn Lee said on Monday that Aland and Borea are holding talks.\n",
    "2.txt": "Pundit Dismisses Talk\n\n3 March 2026\n\nCarl Pundit denied that Aland and Borea are holding talks.\n",
    "3.txt": "Moss Denies\n\n5 March 2026\n\nBob Moss denied that Aland and Borea are holding talks.\n",
}


def run(tmp_path, kind):
    corpus = tmp_path / f"corpus-{kind}"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    story = tmp_path / f"{kind}.yml"
    story.write_text(STORY.replace("{kind}", kind), encoding="utf-8")
    return pipeline.analyze(corpus, story=story, out=tmp_path / f"out-{kind}", jobs=1, progress=False, use_cache=False)


def test_neutral_side_counted_never_paired(tmp_path):
    party = run(tmp_path, "party")
    neutral = run(tmp_path, "neutral")
    for r in (party, neutral):  # the pundit's denial is counted either way
        assert "Carl Pundit" in set(r.mentions.loc[r.mentions["stance"] == "denial", "speaker"])
    assert set(party.latency["denial_speaker"]) == {"Carl Pundit"}  # first denial by another side
    assert set(neutral.latency["denial_speaker"]) == {"Bob Moss"}  # the neutral pundit is skipped
