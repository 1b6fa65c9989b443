"""Attribution, context and time on sentences written for this project (issue 11, kinds 1, 2, 4, 6, 7).

A fictional story: two ministers said to have dined together. The story file names only the people; no
outlet, agency or anonymous source is listed, yet they must be read as speakers.
"""
import pandas as pd

from helpers.extraction import MAX_SENTENCE, extract_mentions
from helpers.story import Story

STORY = Story.model_validate({
    "name": "dinner", "title": "Did the ministers dine together?",
    "proposition": {"text": "Foreign Minister Ada Rusk and Trade Minister Bo Lindqvist had dinner together."},
    "sides": [
        {"id": "gov", "label": "Government", "speakers": [
            {"name": "Ada Rusk", "aliases": ["Ada Rusk", "Rusk"]},
            {"name": "Foreign Ministry", "aliases": ["the foreign ministry", "The foreign ministry"]}]},
        {"id": "press", "label": "The press", "speakers": [
            {"name": "Daily Ledger", "aliases": ["The Daily Ledger", "the Daily Ledger"]}]},
    ]})
PUB = pd.Timestamp("2026-05-04 09:00", tz="UTC")
MEDIA = getattr(STORY, "media_side", None)  # a side of kind "media" takes outlets the story does not list


def run(body, title=None, outlet="Harbour Post", pub=PUB, precision="minute"):
    art = {"doc_id": "d", "title": title, "body": body, "published_at": pub, "published_precision": precision,
           "published_tz": None, "outlet": outlet}
    return extract_mentions(art, STORY)


def test_a_report_is_a_claim_by_the_outlet_and_its_sources_belong_to_it():
    rows = run("The Daily Ledger reported on Sunday, citing three people familiar with the matter, that the two "
               "ministers had dinner together on Thursday.")
    assert [(r["speaker"], r["side"], r["stance"]) for r in rows] == [("Daily Ledger", "press", "claim")]
    # kind 6: the claim was made on Sunday (the report), not on Thursday (the dinner)
    assert rows[0]["time_cue"] == "on Sunday" and rows[0]["said_from"] == pd.Timestamp("2026-05-03", tz="UTC")


def test_outlets_and_anonymous_sources_the_story_does_not_list():
    rows = run("Rusk and Lindqvist dined at a lakeside restaurant, two people briefed on the evening said. "
               "According to Reuters, the ministers had dinner for three hours.")
    assert [r["stance"] for r in rows] == ["claim", "claim"]
    assert rows[0]["speaker"] == "Harbour Post" and "people briefed" in rows[0]["speaker_text"]
    assert rows[1]["speaker"] == "Reuters"


def test_headline_with_its_source_after_a_colon():
    rows = run("Nothing here.", title="Ministers dined in secret: Ledger")
    assert [(r["field"], r["speaker"], r["stance"]) for r in rows] == [("title", "Daily Ledger", "claim")]  # the story names it


def test_event_verbs_are_content_not_speech():
    rows = run("Rusk spoke with Lindqvist by phone on Monday. Rusk called Lindqvist twice last week.")
    assert rows == []  # neither sentence is a statement about the dinner, and Rusk is no speaker in them
    rows = run("The Daily Ledger reported that the two ministers had dinner together. "
               "Rusk called the report a fabrication.")
    assert [(r["speaker"], r["stance"]) for r in rows] == [("Daily Ledger", "claim"), ("Ada Rusk", "denial")]


def test_denial_without_the_topic_word_inherits_it_from_context():
    rows = run("The Daily Ledger reported that Rusk and Lindqvist had dinner together. "
               "“That is made up from start to finish,” the foreign ministry said.")
    assert [(r["speaker"], r["stance"], r["rule"]) for r in rows] == [
        ("Daily Ledger", "claim", "assertion"), ("Foreign Ministry", "denial", "falsity")]


def test_the_same_denial_alone_is_not_about_the_story():
    assert run("“That is made up from start to finish,” the foreign ministry said of the budget figures.") == []


def test_no_comment_and_other_propositions_are_not_statements():
    rows = run("The Daily Ledger reported that Rusk and Lindqvist had dinner together. "
               "The foreign ministry declined to comment on the dinner. "
               "Claims that the envoy was briefed before the dinner are untrue, the foreign ministry said.")
    assert [r["stance"] for r in rows if r["speaker"] == "Foreign Ministry"] in ([], ["other", "other"], ["other"])


def test_reporting_sentence_without_a_frame_is_the_outlets():
    rows = run("The two ministers reportedly had dinner together at the embassy.")
    assert [(r["speaker"], r["side"], r["stance"]) for r in rows] == [("Harbour Post", MEDIA, "claim")]
    # what the article says itself was said when it was published
    assert rows[0]["said_from"] == PUB and rows[0]["said_to"] == PUB


def test_plain_narration_is_background_not_a_statement():
    assert run("Lindqvist arrived in the capital late, after the dinner with Rusk was over.") == []


def test_markup_and_stamps_never_become_speakers():
    rows = run("12.05.2026 The two ministers had <b>dinner</b> together, the Daily Ledger said.")
    assert [r["speaker"] for r in rows] == ["Daily Ledger"]


def test_a_story_without_topic_terms_loads_and_reads():
    assert STORY.proposition.topic_terms == []
    assert run("Rusk denied that she had dinner with Lindqvist.")[0]["stance"] == "denial"


def test_a_long_sentence_is_cut_and_still_read():
    filler = "and the ministers walked along the shore " * 200
    rows = run("Rusk said " + filler + ". The foreign ministry denied that the ministers had dinner together.")
    assert len(filler) > MAX_SENTENCE
    assert [r["stance"] for r in rows if r["stance"] != "other"] == ["denial"]


def test_a_claim_that_someone_denied_is_both():
    rows = run("Rusk and Lindqvist had dinner at the embassy, according to the Daily Ledger, a claim that the "
               "foreign ministry angrily denied on Friday.")
    assert sorted((r["speaker"], r["stance"]) for r in rows) == [("Daily Ledger", "claim"), ("Foreign Ministry", "denial")]


def test_a_semicolon_ends_the_reported_clause():
    rows = run("The Daily Ledger reported that Rusk and Lindqvist had dinner together; Rusk and the foreign ministry "
               "have both denied it.")
    assert ("Daily Ledger", "claim") in [(r["speaker"], r["stance"]) for r in rows]
    assert "denial" in [r["stance"] for r in rows]


def test_a_negation_inside_a_conditional_clause_denies_nothing():
    rows = run("The Daily Ledger reported that Rusk and Lindqvist had dinner together. “When a minister says she "
               "did not have dinner with a colleague, it usually means a working lunch,” an analyst said.")
    assert [r["stance"] for r in rows] == ["claim"]
