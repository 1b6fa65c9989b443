"""The stance judges on sentences written for this project (none from a test set), by kind of issue 11.

Each case: (proposition, text, context on topic?, expected label). Hard negatives are included: texts
that mention the proposition's words but neither assert nor deny it.
"""
import pytest

from helpers import judges
from helpers.judges import Context
from helpers.proposition import parse

DINNER = "The two ministers had dinner together on Thursday."
FIRM = "Corvel inflated its revenue."
VISIT = "Senator Ulla Brandt visited the Harrow plant."
LAUNCH = "Quillon will launch a folding phone in March."
DEAL = "Pell Robotics turned down a takeover offer from Garnet Capital."
DEAD = "The singer Maro Tessel is dead."
OUTBREAK = "A measles outbreak has hit the Lindvall school district."
SALE = "Korvan Estates sold the Millbrook vineyard to Ostra Wines."
APPROVAL = "The Harlow city council approved the Brightwater housing plan."

CASES = [
    # 1. reports are claims (the outlet, its sources)
    (DINNER, "The Daily Ledger reported on Sunday, citing three people familiar with the matter, that the two "
             "ministers had dinner together on Thursday.", False, "claim"),
    (DINNER, "According to the newspaper, the ministers dined at a private club.", False, "claim"),
    (DINNER, "Ministers dined in secret: Ledger", False, "claim"),
    (VISIT, "Brandt visited the Harrow plant last month, two people briefed on the trip said.", False, "claim"),
    # 2. event verbs are content (judged here as the claim's event)
    (DINNER, "The two ministers met for dinner on Thursday, officials said.", False, "claim"),
    # 3. any proposition, not only talks
    (FIRM, "The auditor accused Corvel of inflating its revenue.", False, "claim"),
    (LAUNCH, "Quillon is launching a folding phone in March, the company confirmed.", False, "claim"),
    (DEAD, "Maro Tessel died on Tuesday, her agent said.", False, "claim"),
    (OUTBREAK, "Health officials confirmed a measles outbreak at two Lindvall schools.", False, "claim"),
    (DEAL, "Pell Robotics rejected the Garnet Capital offer, the company said.", False, "claim"),
    (LAUNCH, "Quillon could launch a folding phone as early as March.", False, "other"),
    (LAUNCH, "Quillon plans to launch a folding phone, the report said.", False, "claim"),  # a future proposition
    (LAUNCH, "Quillon will launch a folding phone in March, two people familiar with the plans said.", False, "claim"),
    (VISIT, "Brandt plans to visit the Harrow plant next week, her office said.", False, "other"),  # past proposition
    (DINNER, "Asked whether the ministers had dinner together, she said nothing.", False, "other"),
    (DINNER, "Did the two ministers really have dinner together?", False, "other"),
    # 4. denials without the topic word (context) and in many shapes
    (DINNER, "\u201cThat is made up from start to finish,\u201d the spokeswoman said.", True, "denial"),
    (DINNER, "The ministry branded the article a smear.", True, "denial"),
    (DINNER, "Nothing of the sort happened, an aide said.", True, "denial"),
    (DINNER, "No dinner ever took place, the embassy said.", False, "denial"),
    (VISIT, "Brandt never visited the Harrow plant, her office said.", False, "denial"),
    (DINNER, "Foreign ministry knocks down the report", True, "denial"),
    (DINNER, "Ministry hits back at the allegations", True, "denial"),
    (DEAD, "Maro Tessel is not dead, her manager insisted.", False, "denial"),
    (DEAD, "Reports of the singer's death are a hoax", False, "denial"),
    (FIRM, "Corvel denied inflating its revenue.", False, "denial"),
    (LAUNCH, "Quillon has no plans to launch a folding phone, a spokesman said.", False, "denial"),
    # 5. denials of something else; no comment
    (DINNER, "Claims that the envoy was briefed before the dinner are untrue, the ministry said.", False, "other"),
    (DINNER, "Neither office would confirm the dinner.", False, "other"),
    (DINNER, "The foreign ministry declined to comment on the dinner.", False, "other"),
    (FIRM, "Corvel claimed the allegations were a smear.", True, "denial"),
    (DINNER, "He did not deny that the ministers had dinner together.", False, "other"),
    (DINNER, "The ministry rejected claims that no dinner took place.", False, "claim"),
    (DINNER, "The request was denied.", True, "other"),
    (DEAL, "The army shot down two drones near the border.", True, "other"),
    (DINNER, "The answer lies in the guest list.", True, "other"),
    # off topic
    (DINNER, "The ministers flew home on Friday.", False, "other"),
    # 6. the predicate as a noun (lexicon/derivations.txt, suffix rules): "sold" ~ "no sale"
    (SALE, "\u201cThere has been no sale,\u201d the Korvan spokesman said.", True, "denial"),
    (APPROVAL, "\u201cNo approval has been given,\u201d the mayor said.", True, "denial"),
    (APPROVAL, "There has been no approval of the Brightwater plan, the mayor said.", False, "denial"),
    (APPROVAL, "The council's approval of the Brightwater plan came on Monday, the developer said.", False, "claim"),
    (SALE, "Korvan did not oppose the sale, a spokesman said.", True, "other"),  # the noun names, not negates
    (SALE, "Korvan's wine sales rose four percent, the company said.", True, "other"),  # plural: revenue
]


@pytest.mark.parametrize("prop,text,on_topic,expected", CASES, ids=[c[1][:50] for c in CASES])
def test_cue_judge(prop, text, on_topic, expected):
    r = judges.get("cues").judge(text, parse(prop), Context(on_topic=on_topic))
    assert r.label == expected, r
    if expected != "other":
        assert r.cue and r.rule and text[r.start:r.end] == r.cue  # the evidence is a span of the text


def test_default_judge_beats_legacy_on_these_cases():
    """The legacy (talk-specific) judge gets most of these wrong; the default must get all right."""
    def score(name):
        j = judges.get(name)
        return sum(j.judge(t, parse(p), Context(on_topic=o)).label == e for p, t, o, e in CASES)
    assert score("cues") == len(CASES)
    assert score("legacy") < 0.7 * len(CASES)


def test_registry_names_and_errors():
    assert {"cues", "legacy"} <= set(judges.names())
    with pytest.raises(KeyError, match="no stance judge"):
        judges.get("nope")


HEADLINES = [
    # headline shapes, written for this project: (proposition, headline, expected)
    (DEAL, "Pell Robotics Didn't Tear Up the Garnet Capital Deal After All", "denial"),
    (DEAL, "No, Pell Robotics Did Not Turn Down a Takeover Offer", "denial"),
    (DEAL, "Hoax: Pell Robotics never got a Garnet Capital offer", "denial"),
    (DEAL, "Pell Robotics Turns Down Garnet Capital Takeover Offer", "claim"),
    (DEAL, "Report: Pell Robotics rejects takeover offer from Garnet Capital", "claim"),
    (DEAD, "Maro Tessel Death Rumours Are Fake, Says Her Label", "denial"),
    (DEAD, "Maro Tessel dies at 41", "claim"),
    (DEAD, "Is Maro Tessel dead?", "other"),
    (LAUNCH, "Quillon Denies It Will Launch a Folding Phone", "denial"),
    (LAUNCH, "Quillon to Launch Folding Phone in March, Sources Say", "claim"),
    (LAUNCH, "Quillon May Launch a Folding Phone", "other"),
    (FIRM, "Corvel did not inflate revenue, auditors find", "denial"),
    (FIRM, "Officials did not say whether Corvel inflated its revenue", "other"),
    (DEAD, "That Maro Tessel obituary was satire", "denial"),
    (DEAL, "Viral Pell Robotics letter was doctored, company says", "denial"),
    (VISIT, "Photo of Brandt at Harrow plant was photoshopped", "denial"),
    (VISIT, "Brandt tours Harrow plant", "claim"),
]


@pytest.mark.parametrize("prop,headline,expected", HEADLINES, ids=[h[1][:50] for h in HEADLINES])
def test_headlines(prop, headline, expected):
    r = judges.get().judge(headline, parse(prop), Context(headline=True))
    assert r.label == expected, r


def test_headlines_that_ask_or_explain_are_not_statements():
    p = parse(DINNER)
    for h in ("What we know about the ministers' dinner", "Explainer: the dinner that shook the cabinet",
              "Did the two ministers have dinner together"):
        assert judges.get().judge(h, p, Context(headline=True)).label == "other", h


def test_the_month_may_is_no_hedge():
    p = parse(DINNER)
    j = judges.get()
    assert j.judge("The two ministers had dinner together in May, the paper reported.", p).label == "claim"
    assert j.judge("The two ministers may have had dinner together, the paper reported.", p).label == "other"


@pytest.mark.parametrize("headline", [
    "Pell Robotics Turned Down Garnet Deal? Not Exactly",
    "The Pell Robotics takeover snub story isn't true",
    "Pell Robotics never tore up the Garnet Capital offer",
])
def test_more_denial_headlines(headline):
    assert judges.get().judge(headline, parse(DEAL), Context(headline=True)).label == "denial"


@pytest.mark.parametrize("text,expected", [
    ("Our team has not found a single sign of a hack, the company said.", "denial"),
    ("Investigators found no trace of an intruder.", "denial"),
    ("They asked not to be named because the hack was still under investigation.", "other"),
    ("\u201cI'm not going to go into every conversation about the hack,\u201d he said.", "other"),
])
def test_negated_clauses_in_context(text, expected):
    p = parse("Hackers broke into Corvel's servers and stole customer data.")
    assert judges.get().judge(text, p, Context(on_topic=True)).label == expected


@pytest.mark.parametrize("text", [
    "Clubs routinely deny deals that later go through.",
    "Stars often deny weddings for weeks to protect magazine deals.",
    "The account was shut down before the hack was found.",
    "The company has been in dispute with the union over the hack since January.",
])
def test_habits_and_things_are_not_denials(text):
    p = parse("Hackers broke into Corvel's servers and stole customer data.")
    assert judges.get().judge(text, p, Context(on_topic=True)).label != "denial"


def test_derived_nouns_are_singular_and_listed_exceptions_are_not_derivations():
    from helpers import lexicon

    assert lexicon.derivations("sell") == ("sale",) and lexicon.derivations("approve") == ("approval",)
    assert "signal" not in lexicon.derivations("sign") and "creature" not in lexicon.derivations("create")
    forms = dict(parse(SALE).forms)["sell"]
    assert "sale" in forms and "sales" not in forms


@pytest.mark.parametrize("text,attributed,expected", [
    ("issued a flat denial on Tuesday.", True, "denial"),           # "Mayor Calder issued a flat denial ..."
    ("issued a rejection of the developer's account.", True, "denial"),
    ("said the denial had done little to calm residents.", True, "other"),  # the denial is the subject
    ("did not issue a denial.", True, "other"),
    ("The mayor's denial came a day later.", False, "other"),        # narration: the article reports it
])
def test_denial_named_by_its_noun(text, attributed, expected):
    ctx = Context(on_topic=True, attributed=attributed)
    r = judges.get("cues").judge(text, parse(APPROVAL), ctx)
    assert r.label == expected, r
    if expected == "denial":
        assert r.rule == "denial noun" and text[r.start:r.end] == r.cue


def test_a_denial_noun_that_is_a_headline_topic_is_no_denial_act():
    ctx = Context(on_topic=True, headline=True, attributed=True)
    r = judges.get("cues").judge("Two claims, two denials: the week at Harlow council", parse(APPROVAL), ctx)
    assert r.rule != "denial noun", r


def test_only_the_event_verbs_get_their_nouns():
    p = parse("Korvan Estates sold the ship to Ostra Lines.")  # "ship" is the object, not the event
    forms = dict(p.forms)
    assert "sale" in forms["sell"] and "shipment" not in forms["ship"] and p.nominals == {"sale"}
