"""Furniture rules, headline, dateline and body, on lines and pages written for these tests."""
from __future__ import annotations

import pytest

from helpers import cleaning
from helpers.cleaning import line_rule, parse_page, split_dateline

# Each rule: lines it must remove, written here (not taken from any corpus page).
REMOVE = {
    "share": ["Follow us:", "Follow Us On Instagram", "whatsapp-black sharing button", "pinterest sharing button",
              "Share this story", "Share on LinkedIn", "Facebook Twitter Email", "Tweet"],
    "ticker": ["Rains flood the old town | Minister resigns over audit | Chess prodigy wins title at 12",
               "Prices rise again | Storm season starts early this year | New bridge opens to traffic | Zoo welcomes twins"],
    "ad": ["Advertisement", "ADVERTISEMENT", "Advertisement banner", "Sponsored content", "Story continues below advertisement",
           "Scroll to continue with content", "Ad"],
    "image": ["Cover Image", "Featured image", "Photo", "Watch video", "Image credit: Lena Ortiz", "![The harbour](harbour.jpg)"],
    "caption": ["Lena Ortiz and Paul Mendes at the summit. Coastal Times/Staff Photographer.",
                "Farmers wait at the border crossing (Photo: Ravi Kumar)",
                "A ferry leaves the harbour at dawn. File Photo",
                "Delegates in the hall. Getty Images",
                "Protesters outside parliament. Reuters/Ana Lima"],
    "nav": ["Skip to content", "Back to top", "Tags: harbour, ferries, weather", "© 2025 Coastal Times. All rights reserved.",
            "We use cookies to improve your experience.", "3 min read", "Leave a comment"],
    "date": ["Updated: 10:45 IST", "Last updated 3 hours ago", "Published 2 days ago"],
    "donation": ["Subscribe to our newsletter to get the morning briefing in your inbox.",
                 "Please consider supporting independent journalism with a donation."],
    "byline": ["By Lena Ortiz", "By Lena Ortiz and Paul Mendes | Coastal Times", "@coastaltimes",
               "Reporting by Paul Mendes; Editing by Lena Ortiz"],
}
# Lines that look a bit like furniture but are article text: every rule must keep them.
KEEP = [
    "Officials did not share details of the plan with reporters on Tuesday.",
    "The advertisement campaign ran for six weeks before the vote.",
    "Photos of the meeting were never released, the ministry said.",
    "The deal covers Paris, Lyon and Marseille.",
    "By Monday the strike had spread to three more ports, union leaders said.",
    "Support for the plan grew among voters in the north.",
    "Updated figures show the harbour handled more cargo than last year.",
    "TRANSCRIPT",
    "“We are talking, and you will see soon,” the governor told reporters.",
    "Home ministers from six countries met in Rome.",
    "The minister said the price was $40/barrel (about the same as last year).",
    "Negotiators traded proposals through the night / officials said little.",
]


@pytest.mark.parametrize("rule, line", [(r, l) for r, lines in REMOVE.items() for l in lines])
def test_rule_removes_furniture(rule, line):
    assert line_rule(line) == rule


@pytest.mark.parametrize("line", KEEP)
def test_rules_keep_article_lines(line):
    assert line_rule(line) is None


def test_headline_shape():
    assert cleaning.is_headline("Harbour Strike Ends After Nine Days")
    assert cleaning.is_headline("Is the harbour strike over?")
    assert not cleaning.is_headline("The harbour strike ended after nine days.")
    assert not cleaning.is_headline(" ".join(["word"] * 30))
    assert not cleaning.is_headline("Word")


@pytest.mark.parametrize("para, expected", [
    ("Lisbon(The Morning Wire)Portugal has agreed to the plan.", ("Lisbon", "The Morning Wire", "Portugal has agreed to the plan.")),
    ("Buenos Aires (Southern Dispatch) - Argentina said yes.", ("Buenos Aires", "Southern Dispatch", "Argentina said yes.")),
    ("OSLO, Norway (Nordic Press) — Talks resumed.", ("OSLO", "Nordic Press", "Talks resumed.")),
    ("NAIROBI — Kenya said on Monday it would talk.", ("NAIROBI", None, "Kenya said on Monday it would talk.")),
    ("BREAKING: The port is closed.", (None, None, "BREAKING: The port is closed.")),
    ("The mayor (pictured) said no.", (None, None, "The mayor (pictured) said no.")),
    ("Paula Mendes (Labour) Said nothing.", ("Paula Mendes", "Labour", "Said nothing.")),  # limitation, documented
])
def test_split_dateline(para, expected):
    assert split_dateline(para) == expected


def test_full_invented_page():
    text = "\n".join([
        "Monday, 3 November 2025 | 08:10 CET",
        "Follow us on Facebook",
        "Share on X",
        "Weather eases in the north | Rail strike called off | Museum reopens after repairs",
        "Advertisement",
        "Harbour Workers Return as Talks Resume",
        "",
        "By Lena Ortiz | Coastal Times | 28 October 2025, 18:30 CET",
        "",
        "Image placeholder",
        "Valletta(Coastal Times)Dock workers returned on Tuesday after a week-long stoppage over pay.",
        "",
        "“We have an agreement in principle,” the union leader said outside the gates.",
        "Read more:",
        "- Ferry fares to rise in spring",
        "- New cranes arrive at the port",
        "The port authority said it had never refused to meet the union.",
        "TRANSCRIPT",
        "Q: Is there a deal? A: There is an agreement in principle.",
        "Support independent journalism",
        "Our reporting is funded by readers like you.",
        "Donate today.",
    ])
    page = parse_page(text)
    assert page.title == "Harbour Workers Return as Talks Resume"
    assert str(page.published_at) == "2025-10-28 17:30:00+00:00"
    assert page.published_tz == "CET" and page.published_precision == "minute"
    assert page.dateline == "Valletta" and page.outlet == "Coastal Times"
    assert page.body.startswith("Dock workers returned on Tuesday")
    for kept in ("agreement in principle,” the union leader", "never refused to meet", "TRANSCRIPT", "Q: Is there a deal?"):
        assert kept in page.body
    for gone in ("Follow us", "Share on X", "Museum reopens", "Advertisement", "Lena Ortiz", "Image placeholder",
                 "Read more", "Ferry fares", "New cranes", "independent journalism", "funded by readers", "Donate",
                 "November 2025", "Harbour Workers Return"):
        assert gone not in page.body, gone
    rules = [r.split("]")[0][1:] for r in page.removed]
    assert rules.count("donation") == 3 and rules.count("read_more") == 3
    assert "title" in rules and "ticker" in rules and "byline" in rules
    assert all(r.startswith("[") and "] " in r for r in page.removed)


def test_page_with_no_headline_keeps_first_paragraph():
    page = parse_page("The council met on Tuesday and agreed to repair the old harbour wall before the winter storms "
                      "arrive, the mayor said.\nWork starts next month.")
    assert page.title is None
    assert page.body.startswith("The council met on Tuesday")


def test_kicker_above_headline_is_skipped_for_the_title():
    page = parse_page("WORLD\nRain Returns to the Valley\nFarmers welcomed the first rain in months on Sunday.")
    assert page.title == "Rain Returns to the Valley"


def test_read_more_list_without_bullets_stops_at_prose():
    page = parse_page("Headline About Ports\nFirst paragraph of the article, long enough to be prose.\nRelated\n"
                      "Ferry fares to rise in spring\nNew cranes arrive at the port\n"
                      "The article continues here with a full sentence.")
    assert "Ferry fares" not in page.body and "New cranes" not in page.body
    assert "The article continues here" in page.body


def test_appeal_header_early_in_page_does_not_eat_the_article():
    page = parse_page("Headline About Ports\nSubscribe\nFirst paragraph of the article is here.\nSecond paragraph.\n"
                      "Third paragraph.\nFourth paragraph.")
    assert "Fourth paragraph." in page.body and "First paragraph" in page.body


def test_markdown_page():
    page = parse_page("# Ferries Return to the Island\n\n*March 2, 2025*\n\n---\n\nThe [ferry](http://x.example) "
                      "ran again on **Sunday**.\n", fmt="md")
    assert page.title == "Ferries Return to the Island"
    assert page.body == "The ferry ran again on Sunday."
    assert str(page.published_at) == "2025-03-02 00:00:00+00:00"


def test_metadata_title_line_is_removed_from_text():
    page = parse_page("Ferries Return\nThe ferry ran again on Sunday.", fmt="json", meta={"title": "Ferries  Return"})
    assert page.title == "Ferries Return" and page.body == "The ferry ran again on Sunday."


def test_removed_lines_are_counted_and_labelled():
    page = parse_page("Advertisement\nFerries Return\nThe ferry ran again on Sunday.\nCover Image")
    assert page.removed == ["[ad] Advertisement", "[title] Ferries Return", "[image] Cover Image"]


@pytest.mark.parametrize("byline, outlet", [
    ("By Ana Ruiz, Valley Post", "Valley Post"),
    ("By Ana Ruiz | Valley Post", "Valley Post"),
    ("By Ana Ruiz, Staff Writer", None),
    ("By Ana Ruiz and Tom Bell", None),
])
def test_outlet_from_a_byline_line(byline, outlet):
    page = parse_page(f"Ferry Service Resumes\n{byline}\nJune 9, 2025\n\nThe ferry ran again on Monday.\n")
    assert page.outlet == outlet
    assert byline not in page.body
