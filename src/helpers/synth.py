"""Synthetic corpus generator: N fictional news pages with their story file and ground truth.

``generate(n, out, seed)`` (CLI: ``python -m helpers synth N OUT [--seed S]``) writes::

    OUT/corpus/000/ ... OUT/corpus/NNN/   the pages, at most 1000 files per subfolder
    OUT/story.yml                         the (fictional) story, in the format of data/stories/*.yml
    OUT/gold/articles.parquet             ground truth per article       } always written
    OUT/gold/statements.parquet           every claim and denial         } (fast at 100k)
    OUT/gold/latency.parquet              claim -> first denial bounds   }
    OUT/gold/articles.yml, statements.yml, latency.yml   the same in the YAML gold format of
                                          data/gold/ (only when n <= YAML_MAX_ARTICLES: YAML is slow)
    OUT/manifest.json                     n, seed, counts, bytes, generator version and source hash

The world is simulated first: a run of *episodes* a few days apart; in each, an Ostravian leader
claims that Ostravia and Marivel are holding talks, a Marivelan leader denies it (hours or days
later), sometimes a second Marivelan denial follows and sometimes Ostravia's own officials admit the
contacts are not substantive. Every page is then one outlet's report of one episode, published at a
time after what it reports, and written from templates: headline, dates in the outlet's own style
and time zone (IST, EST, GMT, CET, UTC), page furniture (share lines, tickers joined by `` | ``,
"Read More" lists, advertisement labels, image captions, donation appeals, misleading banner dates
of the day the page was saved, "5 min read"), claims, denials, hard negatives (willingness,
conditions, threats, off-topic denials, "declined to comment"), context paragraphs, sometimes a
transcript quoting the same remark twice. Statements are dated as a reporter would ("on Monday",
"on Feb. 3", "hours later", "hours after", "earlier this week", or not at all). About 5% of pages
are syndicated copies of an earlier page (same body, another outlet, published later), about 2%
carry no date at all.

Ground truth (the gold formats of the shared context; the parquet tables have the same columns
plus the simulated truth):

* ``articles``: doc_id, title, outlet, dateline, published_at (ISO date for day precision, ISO
  datetime with offset for minute precision, null), published_precision, body_keeps, body_drops;
  parquet extras: source_path, format, duplicate_of, published_utc, episode.
* ``statements``: doc_id, field, where (<= 8 words, found exactly once in that field), speaker,
  side, stance, and one of date / on_or_before / time_unknown, optional; parquet extras:
  utterance (id of the simulated utterance), said_at (its true UTC time), relative (bounded by
  "hours later/after").
* ``latency``: claim_speaker, claim_where {doc_id, where}, denial_speaker, denial_side,
  latency_min_at_least, latency_max_at_most, basis (parquet: claim_doc_id, claim_where, ...,
  plus true_latency).

Deterministic: every page is a pure function of (seed, n, index), so the output is byte-identical
for a seed and pages can be written by several processes. Dates run from 2026-01-05 onwards.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> out = Path(tempfile.mkdtemp()) / "synth"
    >>> info = generate(40, out, seed=1)
    >>> info["articles"], sorted(p.name for p in (out / "gold").iterdir())[:3]
    (40, ['articles.parquet', 'articles.yml', 'latency.parquet'])
    >>> (out / "story.yml").is_file()
    True
"""
from __future__ import annotations

import hashlib
import html
import json
import os
import random
import shutil
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from .errors import UserError

#: Bump when the output for a seed changes.
GENERATOR_VERSION = "1"
#: Files per corpus subfolder.
FILES_PER_DIR = 1000
#: Records per .jsonl file.
RECORDS_PER_JSONL = 50
#: The YAML gold files are written only up to this many articles (the parquet ones always).
YAML_MAX_ARTICLES = 5000
#: Share of pages that are syndicated copies of an earlier page.
DUPLICATE_RATE = 0.05
#: Share of pages that carry no date at all.
UNDATED_RATE = 0.02
#: Day the simulated story starts (a Monday).
START = datetime(2026, 1, 5, tzinfo=timezone.utc)

_MANIFEST = "manifest.json"

# --------------------------------------------------------------------------------------------------
# The fictional story
# --------------------------------------------------------------------------------------------------

STORY_YAML = """\
# Synthetic story written by helpers.synth: FICTIONAL countries and people (test data only).
name: synth-ostravia-marivel
title: "Is Ostravia talking to Marivel? (synthetic, fictional)"
fictional: true
proposition:
  text: "Ostravia and Marivel are holding talks."
  topic_terms: [talks, talking, talk, negotiations, negotiating, negotiate, dialogue, conversations,
                discussions, contacts, diplomacy]
sides:
  - id: ostravia
    label: Government of Ostravia
    speakers:
      - name: Halvard Brenn
        role: President of Ostravia
        aliases: ["Halvard Brenn", "President Halvard Brenn", "Ostravian President Halvard Brenn",
                  "President Brenn", "Brenn", "Ostravia's president", "Ostravia’s president",
                  "the Ostravian president", "The Ostravian president", "the president", "The president"]
      - name: Teodor Lusk
        role: Foreign Minister of Ostravia
        aliases: ["Teodor Lusk", "Foreign Minister Teodor Lusk", "Ostravia's Foreign Minister Teodor Lusk",
                  "Ostravia’s Foreign Minister Teodor Lusk", "Lusk", "the foreign minister",
                  "The foreign minister"]
      - name: Ostravian Foreign Ministry
        aliases: ["the Ostravian Foreign Ministry", "The Ostravian Foreign Ministry", "Ostravian Foreign Ministry"]
      - name: Ostravian officials
        role: unnamed Ostravian officials
        aliases: ["a senior Ostravian official", "A senior Ostravian official", "Ostravian officials",
                  "Ostravian authorities", "the Ostravian government", "The Ostravian government",
                  "Kessgrad", "Ostravia"]
  - id: marivel
    label: Government of Marivel
    speakers:
      - name: Ilsa Varoque
        role: Prime Minister of Marivel
        aliases: ["Ilsa Varoque", "Prime Minister Ilsa Varoque", "Marivelan Prime Minister Ilsa Varoque",
                  "Prime Minister Varoque", "Varoque", "Marivel's prime minister", "Marivel’s prime minister",
                  "the Marivelan prime minister", "The Marivelan prime minister", "the prime minister",
                  "The prime minister"]
      - name: Anouk Serrat
        role: Deputy Foreign Minister of Marivel
        aliases: ["Anouk Serrat", "Deputy Foreign Minister Anouk Serrat",
                  "Marivel's Deputy Foreign Minister Anouk Serrat", "Marivel’s Deputy Foreign Minister Anouk Serrat",
                  "Serrat", "Marivel's deputy foreign minister", "Marivel’s deputy foreign minister"]
      - name: Marivelan government
        role: Marivelan officials and authorities speaking collectively
        aliases: ["Marivel", "Port Selene", "Marivelan officials", "Marivelan authorities", "Marivelan leaders",
                  "the Marivelan government", "The Marivelan government", "Marivelan government"]
mixed_speakers:
  - name: Ostravian and Marivelan officials
    aliases: ["Ostravian and Marivelan officials", "Marivelan and Ostravian officials",
              "officials from both countries", "Officials from both countries"]
"""

A, B, ACAP, BCAP, ADJ, BDJ = "Ostravia", "Marivel", "Kessgrad", "Port Selene", "Ostravian", "Marivelan"

# canonical -> (side, full forms, short forms, pronoun, possessive short)
SPEAKERS = {
    "Halvard Brenn": ("ostravia", ["President Halvard Brenn", "Ostravian President Halvard Brenn"],
                      ["Brenn", "President Brenn"], "he", "Brenn"),
    "Teodor Lusk": ("ostravia", ["Foreign Minister Teodor Lusk", "Ostravia's Foreign Minister Teodor Lusk"],
                    ["Lusk"], "he", "Lusk"),
    "Ilsa Varoque": ("marivel", ["Prime Minister Ilsa Varoque", "Marivelan Prime Minister Ilsa Varoque"],
                     ["Varoque", "Prime Minister Varoque", "Marivel's prime minister"], "she", "Varoque"),
    "Anouk Serrat": ("marivel", ["Deputy Foreign Minister Anouk Serrat",
                                 "Marivel's Deputy Foreign Minister Anouk Serrat"],
                     ["Serrat"], "she", "Serrat"),
    "Marivelan government": ("marivel", ["Marivelan officials", "The Marivelan government", "Marivel"],
                             ["Marivel", "Port Selene", "Marivelan officials"], None, "Marivel"),
    "Ostravian officials": ("ostravia", ["A senior Ostravian official"], ["Ostravian officials"], None, "Ostravia"),
    "Ostravian Foreign Ministry": ("ostravia", ["The Ostravian Foreign Ministry"],
                                   ["The Ostravian Foreign Ministry"], None, "the ministry"),
    "Ostravian and Marivelan officials": (None, ["Ostravian and Marivelan officials"],
                                          ["Officials from both countries"], None, "officials"),
}

CLAIM_QUOTES = [
    f"We are talking to {B} at a very high level, and you will see results soon",
    f"We are negotiating with {B} right now, and it is going very well",
    f"The talks with {BCAP} are real, and they are moving fast",
    f"We have been in discussions with {B} for weeks",
    "Our people are talking to their people every single day",
    f"There are serious negotiations with {B} going on as we speak",
]
DENIAL_QUOTES = [
    f"There are no talks with {A}, and there have been none",
    f"Nobody in this government is negotiating with {ACAP}",
    f"We are not in any negotiations with {A}; what exists are technical exchanges on fisheries",
    f"Talk of secret negotiations with {A} is pure invention",
    f"There is no dialogue with {A} apart from routine consular contacts",
]
DENIAL_QUOTES_2 = [  # follow-up quotes (pronoun sentences)
    "No negotiations are taking place, whatever anyone says in Kessgrad",
    "There is nothing under way beyond the usual contacts on border crossings",
    "We will not pretend that talks exist when they do not",
]
PLATFORMS = ["Chirper", "Plaza", "his Beacon account"]

# (template, anchor) -- {S}: speaker at sentence start, {s}: speaker mid-sentence, {when}: " on Monday" or "",
# {q}: quote, {C}: claimer's short name, {Cp}: claimer's possessive.
CLAIM_INDIRECT = [
    ("{S}{when} claimed that Ostravia and Marivel were already holding talks.", "claimed that Ostravia"),
    ("{S} said{when} that negotiations with Marivel were underway and that a deal was close.",
     "negotiations with Marivel were underway"),
    ("{S}{when} told reporters that his government was in direct talks with Port Selene.",
     "was in direct talks with Port Selene"),
    ("Speaking to journalists{when}, {s} insisted that discussions with Marivel were going well.",
     "insisted that discussions with Marivel"),
    ("In a post on Chirper{when}, {s} wrote that the two governments were negotiating.",
     "wrote that the two governments were negotiating"),
]
CLAIM_QUOTE = [
    ("“{q},” {s} told reporters{when}.", "{s} told reporters"),
    ("“{q},” {s} said{when}.", "{q}"),
    ("{S} said{when}: “{q}.”", "{q}"),
    ("“{q},” {s} wrote on Chirper{when}.", "wrote on Chirper"),
]
DENIAL_INDIRECT = [
    ("{S}{when} rejected {Cp} claim, saying there were no negotiations of any kind with Ostravia.",
     "no negotiations of any kind with Ostravia"),
    ("{S}{when} denied that any talks with Ostravia were taking place.", "denied that any talks with Ostravia"),
    ("{S} said{when} that there was no dialogue with Kessgrad beyond routine technical contacts on border crossings.",
     "there was no dialogue with Kessgrad"),
    ("{S}{when} dismissed reports of negotiations with Ostravia as false.",
     "dismissed reports of negotiations with Ostravia"),
    ("In a statement{when}, {s} said claims of ongoing talks with Ostravia were misleading.",
     "claims of ongoing talks with Ostravia were misleading"),
]
DENIAL_QUOTE = [
    ("“{q},” {s} said{when}.", "{q}"),
    ("“{q},” {s} wrote on Plaza{when}.", "wrote on Plaza"),
    ("{S} said{when}: “{q}.”", "{q}"),
]
DENIAL_HOURS_LATER = [
    ("Hours later, {s} rejected {Cp} claim, saying no negotiations were taking place.",
     "rejected {Cp} claim, saying no negotiations"),
    ("Within hours, {s} denied that any talks with Ostravia existed.", "denied that any talks with Ostravia existed"),
]
# a denial with its own date, "hours after" the claim: two statements in one sentence
DENIAL_HOURS_AFTER = [
    ("{S}{when} dismissed suggestions of talks with Ostravia, hours after {c} claimed that the two governments "
     "were negotiating.", "dismissed suggestions of talks with Ostravia", "claimed that the two governments"),
    ("{S}{when} rejected any idea of negotiations, only hours after {c} said that talks with Marivel were underway.",
     "rejected any idea of negotiations", "said that talks with Marivel were underway"),
]
FOLLOWUP_DENIAL = [
    ("{S}{when} repeated that Marivel was not negotiating with Ostravia.", "repeated that Marivel was not negotiating"),
    ("{S}{when} said again that no talks with Kessgrad had taken place.", "no talks with Kessgrad had taken place"),
]
CONTRA_DENIAL = [  # Ostravia's own officials
    ("{S} told the Evening Ledger{when} that recent contacts with Marivel were “not substantive” and limited to "
     "fisheries logistics.", "recent contacts with Marivel were"),
    ("{S}{when} acknowledged that no formal talks with Marivel were taking place.",
     "no formal talks with Marivel were taking place"),
]
MIXED_DENIAL = [
    ("{S} said{when} that no high-level negotiations were taking place between the two capitals.",
     "no high-level negotiations were taking place"),
]
MINISTRY_CLAIM = [
    ("{S} has maintained that talks are occurring but has given no details on who takes part.",
     "has maintained that talks are occurring"),
]
PRONOUN_DENIAL = [
    ("“{q},” {p} added.", "{p} added"),
    ("“{q},” {p} said later.", "{p} said later"),
]
TRANSCRIPT_QUESTION = [
    "“Are you talking to Marivel? Is a deal coming?” a reporter asked.",
    "“What kind of deal do you want from Marivel?” one journalist asked.",
]
# Hard negatives: topical or attributed, but neither claim nor denial of the proposition.
HARD_NEGATIVES = [
    ("Ilsa Varoque", "{S} said Marivel was open to dialogue with Ostravia provided it took place without pressure."),
    ("Ilsa Varoque", "{S} said any talks would have to respect Marivel's sovereignty and its fishing rights."),
    ("Halvard Brenn", "{S} warned that Marivel should come to the table soon or face new tariffs on its fish."),
    ("Halvard Brenn", "{S} claimed that Ostravian fish exports had doubled since the spring."),
    ("Marivelan government", "{S} denied that its coast guard had fired on Ostravian trawlers."),
    ("Anouk Serrat", "Asked whether negotiations had been scheduled, {s} declined to comment."),
    ("Marivelan government", "Marivelan officials said they were ready to talk if Ostravia lifted the fuel embargo."),
    ("Teodor Lusk", "{S} did not rule out talks later in the year."),
    (None, "Analysts said talks, if they ever begin, would be slow and difficult."),
    (None, "It was not immediately clear what a deal between the two governments would involve."),
    ("Halvard Brenn", "Will there be a summit? {S} would only say that the door was open."),
]
FILLER = [
    "The quarrel centres on the Selene river dam, which Ostravia finished upstream three years ago and which "
    "Marivel blames for cutting the flow that reaches its farms by a third.",
    "Fishing crews from both countries work the same shallow banks, and boats are seized almost every season.",
    "Ostravia imposed a fuel embargo on Marivel in the autumn, and queues for petrol in Port Selene now stretch "
    "around several blocks.",
    "Electricity in much of Marivel is rationed to eight hours a day, according to the state utility.",
    "The last formal talks between the two governments collapsed in 2019 over fishing quotas.",
    "Trade between the two neighbours has fallen by almost half since the embargo began.",
    "Ferries between Kessgrad and Port Selene were suspended in November and have not resumed.",
    "Marivelan exporters say the tariffs have closed their main market for frozen fish.",
    "Both governments face elections next year, and neither leader can afford to look weak at home.",
    "The two countries share a 340-kilometre border that was last redrawn in 1961.",
    "Thousands of Marivelan workers cross into Ostravia every week for seasonal jobs in the canneries.",
    "Diplomats in the region describe relations as the worst in a generation.",
    "The Ostravian navy has stepped up patrols near the river mouth since the spring.",
    "A regional development bank froze a loan for a second dam earlier in the year.",
    "Shortages of cooking gas have led to street protests in several Marivelan towns.",
    "Prices of staple goods in Port Selene have climbed steeply, with bread up by a fifth.",
    "The embargo has been criticised by several neighbouring states, although none has broken it.",
    "Farmers downstream say the river now runs too low for their pumps in late summer.",
    "Remittances from relatives abroad have become a lifeline for many Marivelan families.",
    "Relations between the two capitals have swung between cautious thaws and long freezes for decades.",
    "An earlier round of contacts in 2022, brokered by a neutral mediator, produced a fisheries truce that "
    "lasted barely a month.",
    "The Marivelan currency has lost a third of its value against the dollar over the past year.",
    "Dock workers in Port Selene say cargo traffic has never been so thin.",
    "Observers note that each side has strong domestic reasons to keep the dispute alive.",
    "Satellite images show the reservoir behind the dam at its highest level in a decade.",
    "Ostravian canneries rely on Marivelan labour, and several have already cut shifts.",
    "The river dispute has also delayed a long-planned rail link between the two coasts.",
    "Insurance costs for cargo ships calling at Marivelan ports have tripled, shipping agents say.",
    "Hospitals in the south of Marivel report shortages of imported medicines.",
    "Both countries are members of the Coastal Union, which has so far avoided taking sides.",
]
SUBHEADS = ["What Kessgrad wants", "The view from Port Selene", "Fuel and fish", "A long dispute",
            "Pressure on the economy"]
TICKER = [
    "Harbour strike enters third day in Velmora", "Redport stun holders 3-1 in Champions Cup",
    "Central bank holds rates at 4.5%", "Storm warning issued for the northern coast",
    "Tech firm unveils folding tablet at spring fair", "Film festival names its jury president",
    "Rail fares to rise 3% from March", "Olive harvest hit by late frost", "Stock index closes at record high",
    "Teachers vote to accept pay offer", "Airport expansion approved after ten-year wait",
    "Heatwave grips inland provinces", "Cyclist breaks hour record in Lodrin", "New bridge opens to traffic",
    "Museum returns looted statues", "Chess prodigy, 12, becomes grandmaster", "Flood defences fail in Aster valley",
    "Coffee prices jump on drought fears", "Parliament passes data privacy bill", "Opera house reopens after fire",
]
SHARE = ["facebook sharing button", "twitter sharing button", "whatsapp sharing button", "email sharing button",
         "Share on Facebook", "Share on X", "Share via WhatsApp", "Copy link"]
ADS = ["Advertisement", "Advertisement banner", "ADVERTISEMENT", "Story continues below advertisement"]
IMAGE_LABELS = ["Cover Image", "Featured image", "Image"]
AGENCIES = ["Nordpress", "Coastal Photo Service", "Government Press Office", "Lantern Images"]
DONATION = [
    ["Support Our Journalism",
     "Independent reporting costs money, and we do not sell your data.",
     "A small contribution keeps this site free for every reader. Donate today."],
    ["Help keep our newsroom independent",
     "Readers like you fund our reporting from both sides of the border.",
     "Give once or monthly: every contribution counts."],
]
AUTHORS = ["Mara Quell", "Jonas Ferrow", "Priya Anand", "Tomas Weld", "Lea Marchetti", "Sunil Rao", "Ines Kober"]

# outlet: (name, handle, domain, tz abbreviation, UTC offset in minutes, format, page style, weight)
OUTLETS = [
    ("Lotus Daily Bulletin", "lotusbulletin", "lotusbulletin.example", "IST", 330, "txt", "banner", 6),
    ("Ganges Evening Courier", "gangescourier", "gangescourier.example", "IST", 330, "txt", "banner", 5),
    ("Harbour Line Report", None, "harbourline.example", "GMT", 0, "txt", "glued", 7),
    ("Northgate Herald", None, "northgate.example", None, 0, "txt", "plain", 8),
    ("The Lantern Digital", None, "lantern.example", "GMT", 0, "txt", "dateline", 7),
    ("Hudson Wire Service", None, "hudsonwire.example", "EST", -300, "txt", "wire", 8),
    ("Atlantic Dispatch", None, "atlanticdispatch.example", "EST", -300, "txt", "wire", 5),
    ("Meridian Post", None, "meridianpost.example", "GMT", 0, "md", "md", 5),
    ("Rhine Courier", None, "rhinecourier.example", "CET", 60, "md", "md", 5),
    ("Bluewater Times", None, "bluewatertimes.example", "EST", -300, "html", "html", 5),
    ("Fleetbridge Monitor", None, "fleetbridge.example", "GMT", 0, "html", "html", 4),
    ("Coastline Daily", None, "coastlinedaily.example", "IST", 330, "html", "html", 3),
    ("Varda News Agency", None, "vardanews.example", "UTC", 0, "json", "newsplease", 8),
    ("Kestrel Review", None, "kestrelreview.example", "UTC", 0, "json", "newsplease", 6),
    ("Open Ledger Feed", None, "openledger.example", None, 0, "jsonl", "record", 8),
    ("Southern Cross Wire", None, "southerncross.example", None, -300, "jsonl", "record", 6),
]
_OUTLET_CUM = []
_t = 0
for _o in OUTLETS:
    _t += _o[7]
    _OUTLET_CUM.append(_t)
_OUTLET_TOTAL = _t

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
MONTHS_AP = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
MONTHS_3 = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# --------------------------------------------------------------------------------------------------
# The simulated world
# --------------------------------------------------------------------------------------------------


def _episodes(seed: int, n: int) -> list[dict]:
    """The utterances of the story: one episode every 3-5 days, count growing with the corpus."""
    rng = random.Random(f"synth-world-{seed}")
    count = max(3, min(60, n // 40 + 2))
    out, day = [], START + timedelta(days=rng.randint(0, 2))
    for k in range(count):
        claimer = "Halvard Brenn" if rng.random() < 0.75 else "Teodor Lusk"
        denier = rng.choice(["Ilsa Varoque", "Ilsa Varoque", "Anouk Serrat", "Marivelan government"])
        tc = day + timedelta(hours=rng.randint(9, 15), minutes=rng.randint(0, 59))
        quick = rng.random() < 0.6
        lag = timedelta(hours=rng.randint(2, 7), minutes=rng.randint(0, 59)) if quick else \
            timedelta(days=rng.randint(1, 3), hours=rng.randint(-2, 2))
        td = tc + lag
        td = td.replace(hour=min(max(td.hour, 9), 17))  # statements fall in 09:00-17:59 UTC (same day everywhere)
        if td <= tc:
            td = tc + timedelta(hours=2)
        ep = {
            "k": k,
            "claim": {"id": f"U{k:03d}c", "speaker": claimer, "stance": "claim", "at": tc,
                      "quote": CLAIM_QUOTES[rng.randrange(len(CLAIM_QUOTES))]},
            "denial": {"id": f"U{k:03d}d", "speaker": denier, "stance": "denial", "at": td,
                       "quote": DENIAL_QUOTES[rng.randrange(len(DENIAL_QUOTES))]},
            "quick": (td - tc) < timedelta(hours=23),
            "followup": None, "contra": None,
        }
        if rng.random() < 0.3:
            who = "Anouk Serrat" if denier != "Anouk Serrat" else "Marivelan government"
            tf = (td + timedelta(days=rng.randint(1, 2))).replace(hour=rng.randint(9, 17))
            ep["followup"] = {"id": f"U{k:03d}f", "speaker": who, "stance": "denial", "at": tf}
        if rng.random() < 0.25:
            to = (td + timedelta(days=rng.randint(1, 3))).replace(hour=rng.randint(9, 17))
            ep["contra"] = {"id": f"U{k:03d}o", "speaker": "Ostravian officials", "stance": "denial", "at": to}
        out.append(ep)
        day = day + timedelta(days=rng.randint(4, 6))
    return out


class _Draws:
    """Cheap deterministic random draws for one article, from a row of precomputed uniforms.

    Each shard of FILES_PER_DIR articles gets one numpy matrix of uniforms seeded by (seed, shard), so an
    article's text depends only on (seed, index), whichever process writes it.
    """

    __slots__ = ("u", "k", "n")

    def __init__(self, row: list[float]):
        self.u, self.k, self.n = row, 0, len(row)

    def random(self) -> float:
        k = self.k
        self.k = k + 1
        return self.u[k % self.n]

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def randrange(self, n: int) -> int:
        return int(self.random() * n)

    def sample(self, seq, k: int) -> list:
        pool, n = list(seq), len(seq)
        for j in range(k):
            m = j + int(self.random() * (n - j))
            pool[j], pool[m] = pool[m], pool[j]
        return pool[:k]


_DRAWS_PER_ARTICLE = 200


@lru_cache(maxsize=8)
def _uniforms(seed: int, shard: int) -> list[list[float]]:
    import numpy as np

    return np.random.default_rng([seed, shard, 7]).random((FILES_PER_DIR, _DRAWS_PER_ARTICLE)).tolist()


def _doc_rng(seed: int, i: int) -> _Draws:
    d = _Draws(_uniforms(seed, i // FILES_PER_DIR)[i % FILES_PER_DIR])
    d.k = 1  # draw 0 decides whether the article is a syndicated copy
    return d


def _is_copy(seed: int, i: int) -> bool:
    return i > 0 and _uniforms(seed, i // FILES_PER_DIR)[i % FILES_PER_DIR][0] < DUPLICATE_RATE


def _pick_outlet(rng: _Draws, formats: set | None = None) -> tuple:
    while True:
        x = rng.random() * _OUTLET_TOTAL
        for o, c in zip(OUTLETS, _OUTLET_CUM):
            if x < c:
                break
        if formats is None or o[5] in formats:
            return o


# --------------------------------------------------------------------------------------------------
# Dates as reporters write them
# --------------------------------------------------------------------------------------------------

def _explicit(d: date, rng: _Draws) -> str:
    return f"{MONTHS_AP[d.month - 1]} {d.day}" if rng.random() < 0.5 else f"{MONTHS[d.month - 1]} {d.day}"


def _when(rng: _Draws, said: datetime, pub_day: date) -> tuple[str, str]:
    """A date phrase for an utterance, relative to the publication day: (" on Monday", "fixed") etc."""
    d = said.date()
    delta = (pub_day - d).days
    r = rng.random()
    if delta <= 4:
        if r < 0.55:
            return f" on {WEEKDAYS[d.weekday()]}", "fixed"
        if r < 0.75:
            return f" on {_explicit(d, rng)}", "fixed"
        if r < 0.82 and delta >= 1 and d.isocalendar()[1] == pub_day.isocalendar()[1]:
            return " earlier this week", "none"
        return "", "none"
    if r < 0.7:
        return f" on {_explicit(d, rng)}", "fixed"
    return "", "none"


def _h12(t: datetime, upper: bool = False, pad: bool = False) -> str:
    h = t.hour % 12 or 12
    ampm = ("PM" if upper else "pm") if t.hour >= 12 else ("AM" if upper else "am")
    return f"{h:02d}:{t.minute:02d} {ampm}" if pad else f"{h}:{t.minute:02d} {ampm}"


def _iso_offset(t: datetime) -> str:
    return t.isoformat(timespec="seconds")


# --------------------------------------------------------------------------------------------------
# One article
# --------------------------------------------------------------------------------------------------

class _Doc:
    """An article being written: title, paragraphs (each a list of sentences), statements, furniture."""

    def __init__(self):
        self.title = ""
        self.title_statements: list[dict] = []
        self.paras: list[str] = []
        self.statements: list[dict] = []  # body statements: sentence, anchor, speaker, kind, ...

    def say(self, sentence: str, anchor: str, speaker: str, stance: str, kind: str, utt: dict | None,
            ref_day: date | None, para: list) -> None:
        para.append(sentence)
        self.statements.append({"sentence": sentence, "anchor": anchor, "speaker": speaker, "stance": stance,
                                "kind": kind, "utt": utt, "ref_day": ref_day})


def _first(sp: str, rng: _Draws) -> str:
    return rng.choice(SPEAKERS[sp][1])


def _short(sp: str, rng: _Draws) -> str:
    return rng.choice(SPEAKERS[sp][2])


def _mid(surface: str) -> str:
    """A speaker form for mid-sentence use ("A senior official" -> "a senior official")."""
    if surface.startswith(("A ", "The ")) and not surface.startswith("The Ostravian Foreign"):
        return surface[0].lower() + surface[1:]
    if surface.startswith("The Ostravian Foreign"):
        return "the" + surface[3:]
    if surface.startswith("Officials "):
        return "o" + surface[1:]
    return surface


def _poss(name: str) -> str:
    return name + "’s" if name.endswith("s") is False else name + "’"


def _compose(seed: int, n: int, i: int, world: list[dict]) -> dict:
    """Plan and write article ``i``: returns a dict with text parts, metadata and gold statements."""
    rng = _doc_rng(seed, i)
    ep = world[rng.randrange(len(world))]
    c, d = ep["claim"], ep["denial"]
    # when is it published?
    if ep["quick"] or rng.random() < 0.85:
        pub = d["at"] + timedelta(minutes=rng.randint(60, 96 * 60))
    else:
        pub = c["at"] + timedelta(minutes=rng.randint(60, max(61, int((d["at"] - c["at"]).total_seconds() // 60) - 30)))
    knows_denial = pub > d["at"]
    knows_follow = ep["followup"] is not None and pub > ep["followup"]["at"] + timedelta(hours=1)
    knows_contra = ep["contra"] is not None and pub > ep["contra"]["at"] + timedelta(hours=1)
    outlet = _pick_outlet(rng)
    undated = rng.random() < UNDATED_RATE
    tzmin = outlet[4]
    local = pub.astimezone(timezone(timedelta(minutes=tzmin)))
    pub_day = local.date()

    doc = _Doc()
    claimer, denier = c["speaker"], d["speaker"]
    claimer_short = SPEAKERS[claimer][4]
    cq, dq = c["quote"], d["quote"]

    # ---- headline
    r = rng.random()
    dn_head = "Marivel" if denier == "Marivelan government" or rng.random() < 0.5 else SPEAKERS[denier][4]
    dn_head_sp = "Marivelan government" if dn_head == "Marivel" else denier
    if knows_denial:
        options = [
            (f"{dn_head} denies talks with Ostravia after {claimer_short} claims negotiations",
             [("denies talks with Ostravia", dn_head_sp, "denial"), (f"{claimer_short} claims negotiations", claimer, "claim")]),
            (f"{dn_head} rejects {_poss(claimer_short)} claim of talks", [(f"rejects {_poss(claimer_short)} claim", dn_head_sp, "denial")]),
            (f"No talks with Ostravia, says {dn_head}", [("No talks with Ostravia", dn_head_sp, "denial")]),
            ("Tensions rise between Ostravia and Marivel over river dam", []),
        ]
    else:
        options = [
            (f"{claimer_short} claims talks with Marivel are underway", [(f"{claimer_short} claims talks", claimer, "claim")]),
            (f"{claimer_short} says Ostravia is negotiating with Marivel", [("is negotiating with Marivel", claimer, "claim")]),
            ("Ostravia and Marivel trade barbs over fuel embargo", []),
        ]
    title, tstats = options[int(r * len(options))]
    if outlet[6] in ("glued", "plain", "wire", "html") and rng.random() < 0.8:
        title = _title_case(title)
    doc.title = title
    for anchor, sp, stance in tstats:
        doc.title_statements.append({"sentence": title, "anchor": anchor, "speaker": sp, "stance": stance,
                                     "kind": "none", "utt": d if stance == "denial" and sp == denier else
                                     (c if stance == "claim" else None), "ref_day": None})

    # ---- lead and statement paragraphs
    sfull, dfull = _first(claimer, rng), _first(denier, rng)
    claim_phrase, claim_kind = _when(rng, c["at"], pub_day)
    claim_day_fixed = c["at"].date() if claim_kind == "fixed" else None
    cp = _poss(claimer_short)
    paras: list[list[str]] = []

    def put(para, tmpl, speaker, stance, kind, utt, ref_day=None, **kw):
        t, anchor = tmpl[0], tmpl[1]
        doc.say(t.format(**kw), anchor.format(**kw), speaker, stance, kind, utt, ref_day, para)

    if knows_denial:
        lead: list[str] = []
        hours_after = ep["quick"] and rng.random() < 0.35
        if hours_after:
            # the denial with its own date, "hours after" the claim: two statements in one sentence
            tmpl = rng.choice(DENIAL_HOURS_AFTER)
            dphr, dkind = _when(rng, d["at"], pub_day)
            put(lead, tmpl, denier, "denial", dkind, d, S=dfull, when=dphr, c=sfull)
            doc.statements[-1]["relative"] = True
            ddfix = d["at"].date() if dkind == "fixed" else None
            doc.statements.append({"sentence": lead[-1], "anchor": tmpl[2], "speaker": claimer, "stance": "claim",
                                   "kind": "before_ref" if ddfix else "none", "utt": c, "ref_day": ddfix})
            paras.append(lead)
            cs = _short(claimer, rng)
            paras.append([])
            put(paras[-1], rng.choice(CLAIM_QUOTE), claimer, "claim", claim_kind, c, q=cq, s=cs, S=cs,
                when=claim_phrase)
        else:
            # the claim first, then the denial ("hours later" or with its own date)
            put(lead, rng.choice(CLAIM_INDIRECT), claimer, "claim", claim_kind, c, S=sfull, s=sfull,
                when=claim_phrase)
            paras.append(lead)
            paras.append([])
            if ep["quick"] and rng.random() < 0.5:
                put(paras[-1], rng.choice(DENIAL_HOURS_LATER), denier, "denial",
                    "after_ref" if claim_day_fixed else "none", d, claim_day_fixed, s=_mid(dfull), Cp=cp)
                doc.statements[-1]["relative"] = True
            else:
                dphr, dkind = _when(rng, d["at"], pub_day)
                put(paras[-1], rng.choice(DENIAL_INDIRECT), denier, "denial", dkind, d,
                    S=dfull, s=_mid(dfull), when=dphr, Cp=cp)
        # a direct quote of the denial, maybe followed by a pronoun ("she added")
        qpara: list[str] = []
        dshort = _short(denier, rng)
        put(qpara, rng.choice(DENIAL_QUOTE), denier, "denial", "none", d, q=dq, s=_mid(dshort), S=dshort, when="")
        pron = SPEAKERS[denier][3]
        if pron and rng.random() < 0.5:
            put(qpara, rng.choice(PRONOUN_DENIAL), denier, "denial", "none", d,
                q=rng.choice(DENIAL_QUOTES_2), p=pron)
        paras.append(qpara)
        if not hours_after and rng.random() < 0.5:
            cs = _short(claimer, rng)
            paras.append([])
            put(paras[-1], rng.choice(CLAIM_QUOTE), claimer, "claim", "none", c, q=cq, s=cs, S=cs, when="")
    else:
        lead = []
        tmpl = rng.choice(CLAIM_INDIRECT + CLAIM_QUOTE)
        put(lead, tmpl, claimer, "claim", claim_kind, c, S=sfull, s=sfull, q=cq, when=claim_phrase)
        lead.append("Marivel did not immediately respond to a request for comment.")
        paras.append(lead)
    if knows_follow:
        f = ep["followup"]
        phr, kind = _when(rng, f["at"], pub_day)
        paras.append([])
        put(paras[-1], rng.choice(FOLLOWUP_DENIAL), f["speaker"], "denial", kind, f,
            S=_first(f["speaker"], rng), when=phr)
    if knows_contra:
        o = ep["contra"]
        phr, kind = _when(rng, o["at"], pub_day)
        k = rng.randrange(len(CONTRA_DENIAL))
        paras.append([])
        put(paras[-1], CONTRA_DENIAL[k], o["speaker"], "denial", kind, o,
            S="A senior Ostravian official" if k == 0 else "Ostravian officials", when=phr)
    if knows_denial and rng.random() < 0.15:
        sp = "Ostravian and Marivelan officials"
        paras.append([])
        put(paras[-1], MIXED_DENIAL[0], sp, "denial", "none", None, S=_first(sp, rng), when="")
    if rng.random() < 0.2:
        paras.append([])
        put(paras[-1], MINISTRY_CLAIM[0], "Ostravian Foreign Ministry", "claim", "none", None,
            S="The Ostravian Foreign Ministry")

    # ---- hard negatives and context, shuffled in between the statements
    negs = rng.sample(HARD_NEGATIVES, rng.randint(2, 3))
    fill_idx = rng.sample(range(len(FILLER)), 12)
    context: list[list[str]] = []
    fi = 0
    for who, t in negs:
        surface = ("Marivel" if who == "Marivelan government" else _first(who, rng)) if who else ""
        s = t.format(S=surface, s=_mid(surface))
        k = rng.randint(1, 2)
        context.append([FILLER[j] for j in fill_idx[fi:fi + k]] + [s])
        fi += k
    while fi < len(fill_idx):
        k = rng.randint(2, 3)
        context.append([FILLER[j] for j in fill_idx[fi:fi + k]])
        fi += k
    # statement paragraphs keep their order; context paragraphs are interleaved after the first two
    stmt_rest, merged = paras[2:], []
    while stmt_rest or context:
        if stmt_rest and (not context or rng.random() < 0.5):
            merged.append(stmt_rest.pop(0))
        else:
            merged.append(context.pop(0))
    body_paras = paras[:2] + merged
    transcript = None
    if rng.random() < 0.12:
        cs = SPEAKERS[claimer][4]
        role = "President of Ostravia" if claimer == "Halvard Brenn" else "Foreign Minister of Ostravia"
        tpara: list[str] = []
        put(tpara, ("“{q},” said {name}, {role}.", "said {name}, {role}"), claimer, "claim", "none", c,
            q=cq, name=claimer, role=role)
        put(tpara, ("“{q},” {cs} repeated.", "{cs} repeated"), claimer, "claim", "none", c, q=cq, cs=cs)
        transcript = ["TRANSCRIPT", rng.choice(TRANSCRIPT_QUESTION)] + tpara
    return {"i": i, "episode": ep["k"], "outlet": outlet, "pub": pub, "local": local, "undated": undated,
            "doc": doc, "paras": [" ".join(p) for p in body_paras], "transcript": transcript,
            "rng": rng, "pub_day": pub_day}


_SMALL = {"a", "an", "and", "the", "of", "with", "to", "in", "on", "over", "after", "is", "are", "says"}


def _title_case(t: str) -> str:
    words = t.split(" ")
    return " ".join(w if (k and w.lower() in _SMALL) else w[:1].upper() + w[1:] for k, w in enumerate(words))


# --------------------------------------------------------------------------------------------------
# Rendering: one page in its outlet's format
# --------------------------------------------------------------------------------------------------

def _render(a: dict, doc_id: str) -> dict:
    """Turn a composed article into file text (or a JSON record) plus its gold article row."""
    rng: _Draws = a["rng"]
    o = a["outlet"]
    name, handle, domain, tz, _offset, fmt, style = o[:7]
    local: datetime = a["local"]
    undated = a["undated"]
    title = a["doc"].title
    paras = list(a["paras"])
    transcript = a["transcript"]
    keeps: list[str] = []
    drops: list[str] = []
    outlet_gold = None
    dateline = None
    precision = "unknown" if undated else "minute"
    saved = local + timedelta(days=rng.randint(3, 40), hours=rng.randint(0, 12))
    ticker = " | ".join(rng.sample(TICKER, rng.randint(6, 9)))
    related = rng.sample(TICKER, 3)
    caption = rng.choice([
        f"Halvard Brenn and Ilsa Varoque. Official Instagram/{rng.choice(AGENCIES)}.",
        f"File photo of the Selene river dam. Photo: {rng.choice(AGENCIES)}",
        f"Fishing boats in the harbour of Port Selene. Credit: {rng.choice(AGENCIES)}/Handout",
    ])
    donation = rng.choice(DONATION)
    author = rng.choice(AUTHORS)
    url = f"https://{domain}/world/{doc_id}"
    lines: list[str] = []

    def body_lines():
        out = []
        ad_at = rng.randint(2, max(2, len(paras) - 1))
        rm_at = rng.randint(3, max(3, len(paras)))
        for k, p in enumerate(paras):
            if k == ad_at and style in ("banner", "glued", "wire", "plain"):
                ad = rng.choice(ADS)
                out.append(ad)
                drops.append(ad) if ad != "Advertisement" else None
            if k == rm_at and style in ("dateline", "wire", "banner"):
                out.append("Read More:" if style != "wire" else "Read more")
                out.extend(f"- {h}" for h in related)
                drops.append(related[0])
            out.append(p)
        if transcript:
            out.extend(transcript)
        return out

    if fmt in ("txt", "md"):
        if style == "banner":
            lines.append(f"{MONTHS[saved.month - 1]} {saved.day:02d}, {saved.year} {_h12(saved, pad=True)} ({tz})")
            lines.append("Follow us:")
            lines.extend(f"{s.split()[0].lower()}-white sharing button" for s in rng.sample(SHARE[:4], 4))
            lines.append(ticker)
            lines.append(caption)
            lines.append("")
            lines.append(title)
            lines.append("")
            if not undated:
                lines.append(f"| @{handle} | {MONTHS_3[local.month - 1]} {local.day}, {local.year}, at {_h12(local)}")
                lines.append("")
            outlet_gold = handle if not undated else None
            drops += [ticker.split(" | ")[1], caption[:30], "sharing button"]
            lines.extend(x for p in body_lines() for x in (p, ""))
            lines += [" ", ""] + [x for d_ in donation for x in (d_, "")]
            drops.append(donation[1])
        elif style == "glued":
            precision = "unknown" if undated else "day"
            lines += ["Advertisement banner", "", title, ""]
            if not undated:
                lines += [f"{MONTHS[local.month - 1]} {local.day}, {local.year}{name}", ""]
                outlet_gold = name
            lines += [rng.choice(IMAGE_LABELS), ""]
            drops.append("Advertisement banner")
            bl = body_lines()
            if len(bl) > 5 and not a.get("copy"):  # a syndicated copy keeps the original's text exactly
                bl.insert(4, rng.choice(SUBHEADS))
            lines.extend(x for p in bl for x in (p, ""))
        elif style == "plain":
            precision = "unknown" if undated else "day"
            lines += [title, ""]
            if not undated:
                lines += [f"{MONTHS[local.month - 1]} {local.day}, {local.year}", ""]
            lines.extend(x for p in body_lines() for x in (p, ""))
        elif style == "dateline":
            if rng.random() < 0.5:
                lines += [title, ""]
            else:
                title = None
            if not undated:
                lines += [f"Published: {local.day} {MONTHS_3[local.month - 1]} {local.year}, "
                          f"{local.hour:02d}:{local.minute:02d} {tz}", ""]
            city = rng.choice([ACAP, BCAP])
            dateline = city
            outlet_gold = name
            paras[0] = f"{city}({name}){paras[0]}"
            bl = body_lines()
            lines.extend(bl)
            lines += ["", ""]
        elif style == "wire":
            lines += [title, "", f"By {author}, {name}"]
            if not undated:
                lines.append(f"{MONTHS_AP[local.month - 1]} {local.day}, {local.year} {_h12(local, upper=True)} {tz}")
            lines += [f"{rng.randint(3, 7)} min read", ""]
            outlet_gold = name
            drops.append("min read")
            lines.extend(x for p in body_lines() for x in (p, ""))
            lines += ["Sign up for our morning briefing", "Subscribe now"]
            drops.append("Sign up for our morning briefing")
        elif style == "md":
            lines += [f"# {title}", ""]
            if not undated:
                lines += [f"*{name}* · {local.day} {MONTHS[local.month - 1]} {local.year}, "
                          f"{local.hour:02d}:{local.minute:02d} {tz}", ""]
            else:
                lines += [f"*{name}*", ""]
            outlet_gold = name
            lines += [f"![{caption}](https://{domain}/img/{doc_id}.jpg)", ""]
            lines += ["[Share on Facebook](https://facebook.example/share) · [Share on X](https://x.example/share)", ""]
            drops.append("Share on Facebook")
            lines.extend(x for p in body_lines() for x in (p, ""))
            lines += ["**Read more:**", ""] + [f"- [{h}](https://{domain}/news/{k})" for k, h in enumerate(related)]
            lines += ["", "---", "", donation[0], donation[2]]
            drops += [related[1], donation[2]]
        text = "\n".join(lines).rstrip() + "\n"
        payload = text
    elif fmt == "html":
        outlet_gold = name
        iso = _iso_offset(local)
        meta = ""
        if not undated and rng.random() < 0.7:
            meta = f'<meta property="article:published_time" content="{iso}">\n'
        human = f"{MONTHS[local.month - 1]} {local.day}, {local.year} at {_h12(local, upper=True)} {tz}"
        time_html = "" if undated else f'<time datetime="{iso}">{human}</time>'
        e = html.escape
        ps = "\n".join(f"<p>{e(p)}</p>" + ("\n<div class=\"ad-slot\">Advertisement</div>" if k == 2 else "")
                       for k, p in enumerate(paras))
        if transcript:
            ps += "\n<h2>TRANSCRIPT</h2>\n" + "\n".join(f"<p>{e(x)}</p>" for x in transcript[1:])
        payload = (
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{e(title)} | {e(name)}</title>\n"
            f'<meta property="og:title" content="{e(title)}">\n<meta property="og:site_name" content="{e(name)}">\n'
            f'<meta property="og:url" content="{url}">\n{meta}'
            '<meta name="x-fictional" content="synthetic test page: fictional people and places">\n'
            "</head>\n<body>\n<header>\n"
            f'<div class="topbar">{WEEKDAYS[saved.weekday()]}, {MONTHS[saved.month - 1]} {saved.day}, {saved.year}</div>\n'
            f'<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a> '
            '<a href="/sport">Sport</a> <a href="/opinion">Opinion</a></nav>\n'
            f'<div class="ticker">{e(ticker)}</div>\n</header>\n<main>\n<article>\n'
            f"<h1>{e(title)}</h1>\n"
            f'<p class="byline">By {author} {time_html}</p>\n'
            f'<figure><img src="https://{domain}/img/{doc_id}.jpg" alt=""><figcaption>{e(caption)}</figcaption></figure>\n'
            f"{ps}\n</article>\n"
            '<aside class="related"><h3>Read More</h3><ul>'
            + "".join(f'<li><a href="/news/{k}">{e(h)}</a></li>' for k, h in enumerate(related))
            + "</ul></aside>\n</main>\n"
            '<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a> '
            '<a href="#">Copy link</a></div>\n'
            f'<footer><p>{e(donation[0])}</p><p>{e(donation[1])}</p><p>© 2026 {e(name)}. All rights reserved.</p>'
            "</footer>\n</body>\n</html>\n")
        drops += [related[0], donation[1], "All rights reserved"]
    elif fmt == "json":
        outlet_gold = domain
        maintext = "\n".join(paras + (transcript or []))
        rec = {"title": title, "maintext": maintext,
               "date_publish": None if undated else _utc_naive(a["pub"]),
               "source_domain": domain, "url": url, "authors": [author], "language": "en",
               "note": "synthetic test data: fictional people and places"}
        payload = json.dumps(rec, ensure_ascii=False) + "\n"
    else:  # jsonl record
        outlet_gold = name
        dayonly = rng.random() < 0.3
        if undated:
            published = None
        elif dayonly:
            published = local.date().isoformat()
            precision = "day"
        else:
            published = _iso_offset(local)
        rec = {"id": doc_id, "title": title, "text": "\n\n".join(paras + (transcript or [])),
               "published": published, "outlet": name, "url": url,
               "note": "synthetic test data: fictional people and places"}
        payload = json.dumps(rec, ensure_ascii=False)
    if fmt == "json" and not undated:
        published_at = a["pub"].replace(second=0, microsecond=0).isoformat(timespec="seconds")
    elif undated:
        published_at = None
    elif precision == "day":
        published_at = local.date().isoformat()
    else:
        published_at = local.replace(second=0, microsecond=0).isoformat(timespec="seconds")
    if style == "banner" and undated:
        outlet_gold = None
    # body keeps: the opening words of up to three paragraphs (not the one carrying a dateline)
    plain = a["paras"]
    candidates = [p for k, p in enumerate(plain) if not (k == 0 and dateline)]
    for p in rng.sample(candidates, min(3, len(candidates))):
        keeps.append(" ".join(p.split(" ")[:8]))
    return {"payload": payload, "format": fmt, "title": title, "outlet": outlet_gold, "dateline": dateline,
            "published_at": published_at, "published_precision": precision, "body_keeps": keeps,
            "body_drops": sorted(set(drops)), "body": "\n".join(plain + (transcript or [])),
            "published_utc": None if undated else a["pub"].replace(second=0, microsecond=0),
            "pub_day": None if undated else (a["pub"].date() if fmt == "json" else a["pub_day"])}


def _utc_naive(t: datetime) -> str:
    """news-please style: UTC, no zone."""
    return t.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:00")


# --------------------------------------------------------------------------------------------------
# Gold statements
# --------------------------------------------------------------------------------------------------

def _where(text: str, sentence: str, anchor: str) -> str | None:
    """A fragment of <= 8 words of ``sentence`` from ``anchor`` on, found exactly once in ``text``."""
    pos = sentence.find(anchor)
    if pos < 0:
        low = sentence.lower().find(anchor.lower())
        pos = max(low, 0)
    words = sentence[pos:].split(" ")
    for width in (6, 8):
        frag = " ".join(words[:width]).rstrip(" ,.:;")
        if len(frag) >= 12 and text.count(frag) == 1:
            return frag
    words = sentence.split(" ")  # anywhere in the sentence
    for k in range(len(words)):
        frag = " ".join(words[k:k + 8]).strip(" ,.:;")
        if len(frag) >= 12 and text.count(frag) == 1:
            return frag
    return None


def _gold_date(st: dict, pub_day: date | None) -> dict:
    if pub_day is None:
        return {"time_unknown": True}
    kind = st["kind"]
    if kind == "fixed":
        return {"date": st["utt"]["at"].date().isoformat()}
    if kind == "after_ref" and st["ref_day"] is not None:
        return {"on_or_before": min(st["ref_day"] + timedelta(days=1), pub_day).isoformat()}
    if kind == "before_ref" and st["ref_day"] is not None:
        return {"on_or_before": min(st["ref_day"], pub_day).isoformat()}
    return {"on_or_before": pub_day.isoformat()}


def _statement_rows(doc_id: str, a: dict, r: dict) -> list[dict]:
    rows = []
    doc: _Doc = a["doc"]
    pub_day = r["pub_day"]
    fields = []
    if r["title"]:
        fields.append(("title", r["title"], doc.title_statements))
    fields.append(("body", r["body"], doc.statements))
    for field, text, stats in fields:
        for st in stats:
            sentence = st["sentence"] if field == "body" else text
            w = _where(text, sentence, st["anchor"])
            if w is None:  # never seen; a silent skip would make the ground truth incomplete
                raise RuntimeError(f"synth: no unique fragment locates {sentence!r} in {doc_id}")
            side = SPEAKERS[st["speaker"]][0]
            row = {"doc_id": doc_id, "field": field, "where": w, "speaker": st["speaker"], "side": side,
                   "stance": st["stance"]}
            row.update(_gold_date(st, pub_day))
            row["optional"] = False
            row["utterance"] = st["utt"]["id"] if st["utt"] else None
            row["said_at"] = st["utt"]["at"] if st["utt"] else None
            row["relative"] = st.get("relative", False)
            rows.append(row)
    return rows


# --------------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------------

def _doc_name(seed: int, i: int) -> str:
    return f"{i:06d}_{hashlib.blake2b(f'{seed}:{i}'.encode(), digest_size=8).hexdigest()}"


_EXT = {"txt": ".txt", "md": ".md", "html": ".html", "json": ".json"}


def _article(seed: int, n: int, i: int, world: list[dict]) -> tuple[dict, dict, str]:
    """Compose and render article ``i`` (a syndicated copy re-renders an earlier article's text)."""
    doc_id = _doc_name(seed, i)
    if _is_copy(seed, i):
        rng = _doc_rng(seed, i)
        rng.k = _DRAWS_PER_ARTICLE // 2  # the copy's own draws, apart from the ones composing articles use
        j = i - 1 - rng.randrange(min(i, 400))
        while j > 0 and _is_copy(seed, j):
            j -= 1
        orig = _compose(seed, n, j, world)
        if not orig["undated"] and orig["outlet"][6] != "dateline":
            a = dict(orig)
            a["rng"] = rng
            a["outlet"] = _pick_outlet(rng, {"txt", "md", "html", "json", "jsonl"})
            while a["outlet"][6] == "dateline" or a["outlet"][0] == orig["outlet"][0]:
                a["outlet"] = _pick_outlet(rng)
            # 30-44 hours later: the copy's calendar day is after the original's in every zone, so even a
            # day-precision copy is unambiguously the later one (and "on Monday" still means the same day)
            a["pub"] = orig["pub"] + timedelta(minutes=rng.randint(30 * 60, 44 * 60))
            a["copy"] = True
            a["local"] = a["pub"].astimezone(timezone(timedelta(minutes=a["outlet"][4])))
            a["pub_day"] = a["local"].date()
            a["undated"] = False
            r = _render(a, doc_id)
            r["duplicate_of"] = _doc_name(seed, j)
            return a, r, doc_id
    a = _compose(seed, n, i, world)
    r = _render(a, doc_id)
    r["duplicate_of"] = None
    return a, r, doc_id


def _chunk(seed: int, n: int, lo: int, hi: int, corpus_dir: str):
    """Write articles lo..hi-1 into one shard folder; return (articles df, statements df, [files, bytes])."""
    import pandas as pd

    world = _episodes(seed, n)
    arts, stats = [], []
    written = [0, 0]  # files, bytes
    jsonl_recs: list[str] = []
    jsonl_docs: list[dict] = []
    shard = Path(corpus_dir) / f"{lo // FILES_PER_DIR:03d}"
    shard.mkdir(parents=True, exist_ok=True)

    def write(path: Path, text: str) -> None:
        data = text.encode("utf-8")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        written[0] += 1
        written[1] += len(data)

    def flush_jsonl():
        if not jsonl_recs:
            return
        fname = f"feed_{jsonl_docs[0]['i']:06d}.jsonl"
        write(shard / fname, "\n".join(jsonl_recs) + "\n")
        for k, row in enumerate(jsonl_docs):
            row["source_path"] = f"{shard.name}/{fname}#{k + 1}"
        jsonl_recs.clear()
        jsonl_docs.clear()

    for i in range(lo, hi):
        a, r, doc_id = _article(seed, n, i, world)
        row = {"doc_id": doc_id, "title": r["title"], "outlet": r["outlet"], "dateline": r["dateline"],
               "published_at": r["published_at"], "published_precision": r["published_precision"],
               "body_keeps": r["body_keeps"], "body_drops": r["body_drops"], "source_path": None,
               "format": r["format"], "duplicate_of": r["duplicate_of"], "published_utc": r["published_utc"],
               "episode": a["episode"], "i": i}
        if r["format"] == "jsonl":
            jsonl_recs.append(r["payload"])
            jsonl_docs.append(row)
            if len(jsonl_recs) >= RECORDS_PER_JSONL:
                flush_jsonl()
        else:
            fname = doc_id + _EXT[r["format"]]
            write(shard / fname, r["payload"])
            row["source_path"] = f"{shard.name}/{fname}"
        arts.append(row)
        stats.extend(_statement_rows(doc_id, a, r))
    flush_jsonl()
    adf = pd.DataFrame(arts).drop(columns="i")
    adf["published_utc"] = pd.to_datetime(adf["published_utc"], utc=True)
    sdf = pd.DataFrame(stats, columns=STATEMENT_COLUMNS)
    sdf["time_unknown"] = sdf["time_unknown"].astype("boolean").fillna(False).astype(bool)
    sdf["said_at"] = pd.to_datetime(sdf["said_at"], utc=True)
    return adf, sdf, written


STATEMENT_COLUMNS = ["doc_id", "field", "where", "speaker", "side", "stance", "date", "on_or_before",
                     "time_unknown", "optional", "utterance", "said_at", "relative"]
LATENCY_COLUMNS = ["claim_speaker", "claim_doc_id", "claim_where", "denial_speaker", "denial_side",
                   "latency_min_at_least", "latency_max_at_most", "basis", "true_latency", "episode"]


def _chunks(n: int) -> list[tuple[int, int]]:
    """Article ranges, one per shard folder: each holds <= FILES_PER_DIR files (jsonl packs many records)."""
    return [(lo, min(n, lo + FILES_PER_DIR)) for lo in range(0, n, FILES_PER_DIR)]


def generate(n: int, out: str | os.PathLike, seed: int = 0, jobs: int | None = None) -> dict:
    """Write ``n`` synthetic articles, the story file and the ground truth into ``out`` (see module doc).

    ``out`` must be a new or empty folder, or a folder this function wrote before (it is then replaced).
    ``jobs``: processes writing shards (default: 1 below 5000 articles, else all cores); the output
    does not depend on it. Returns a summary dict (articles, files, bytes, statements, pairs, seconds).

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> info = generate(30, Path(tempfile.mkdtemp()) / "s", seed=3)
        >>> info["articles"], info["statements"] > 30
        (30, True)
    """
    import time

    import pandas as pd

    t0 = time.perf_counter()
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise UserError(f"synth: the number of articles must be a positive integer, got {n!r}")
    out = Path(out).expanduser().resolve()
    if out.exists():
        if not out.is_dir():
            raise UserError(f"synth: output path exists and is not a folder: {out}")
        if any(out.iterdir()) and not (out / _MANIFEST).is_file():
            raise UserError(f"synth: output folder {out} is not empty and was not written by synth; "
                            "choose a new folder")
        for sub in ("corpus", "gold"):
            shutil.rmtree(out / sub, ignore_errors=True)
        for f in ("story.yml", _MANIFEST):
            (out / f).unlink(missing_ok=True)
    corpus_dir = out / "corpus"
    corpus_dir.mkdir(parents=True, exist_ok=True)
    chunks = _chunks(n)
    if jobs is None:
        jobs = 1 if n < 5000 else (os.cpu_count() or 1)
    if jobs > 1 and len(chunks) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as ex:
            parts = list(ex.map(_chunk, *zip(*[(seed, n, lo, hi, str(corpus_dir)) for lo, hi in chunks])))
    else:
        parts = [_chunk(seed, n, lo, hi, str(corpus_dir)) for lo, hi in chunks]
    t_write = time.perf_counter() - t0
    arts = pd.concat([p[0] for p in parts], ignore_index=True)
    stats = pd.concat([p[1] for p in parts], ignore_index=True)
    (out / "story.yml").write_text(STORY_YAML, encoding="utf-8")
    pairs = _latency_pairs(_episodes(seed, n), stats)
    gold = out / "gold"
    gold.mkdir(exist_ok=True)
    _write_gold(gold, arts, stats, pairs, n)
    info = {"generator_version": GENERATOR_VERSION, "source_sha256": source_hash(), "n": n, "seed": seed,
            "articles": len(arts),
            "files": sum(p[2][0] for p in parts), "bytes": sum(p[2][1] for p in parts),
            "statements": len(stats), "pairs": len(pairs),
            "duplicates": int(arts["duplicate_of"].notna().sum()),
            "undated": int((arts["published_precision"] == "unknown").sum()),
            "formats": {f: int((arts["format"] == f).sum()) for f in ("txt", "md", "html", "json", "jsonl")}}
    (out / _MANIFEST).write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    info["seconds_pages"] = round(t_write, 3)
    info["seconds"] = round(time.perf_counter() - t0, 3)
    return info


def source_hash() -> str:
    """SHA-256 of this module's source: a cache of generated corpora is stale when it changes.

    Example:
        >>> len(source_hash())
        64
    """
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def _latency_pairs(world: list[dict], stats) -> list[dict]:
    """Per episode: the claim, the first denial by Marivel, and the bounds the corpus texts support.

    A bound is given only when some page supports it: both days stated ("on Monday" / "on Feb. 3") give
    [days - 1, days + 1] (basis explicit); "hours later"/"hours after" give at most 1 day (basis relative).
    """
    pairs = []
    rows = stats.groupby("utterance", sort=False).indices  # one pass, not one scan per utterance
    for ep in world:
        c, d = ep["claim"], ep["denial"]
        if c["id"] not in rows or d["id"] not in rows:
            continue
        cs, ds = stats.iloc[rows[c["id"]]], stats.iloc[rows[d["id"]]]
        cfix = cs[cs["date"].notna()]
        dfix = ds[ds["date"].notna()]
        days = (d["at"].date() - c["at"].date()).days
        bounds = []
        if len(cfix) and len(dfix):
            bounds.append((timedelta(days=days + 1), "explicit"))
        if ep["quick"] and ds["relative"].any():
            bounds.append((timedelta(days=1), "relative"))
        if not bounds:
            continue
        mx, basis = min(bounds, key=lambda x: (x[0], x[1] != "relative"))  # a tie: the relative cue decides
        mn = max(timedelta(0), timedelta(days=days - 1)) if len(cfix) and len(dfix) else timedelta(0)
        ref = (cfix if len(cfix) else cs).iloc[0]
        pairs.append({"claim_speaker": c["speaker"], "claim_doc_id": ref["doc_id"], "claim_where": ref["where"],
                      "denial_speaker": d["speaker"], "denial_side": SPEAKERS[d["speaker"]][0],
                      "latency_min_at_least": _td(mn), "latency_max_at_most": _td(mx), "basis": basis,
                      "true_latency": _td(d["at"] - c["at"]), "episode": ep["k"]})
    return pairs


def _td(t: timedelta) -> str:
    """A pandas Timedelta string: "0 s", "1 day", "3 days", "7380 s"."""
    s = int(t.total_seconds())
    if s == 0:
        return "0 s"
    if s % 86400 == 0:
        return f"{s // 86400} day" + ("s" if s // 86400 != 1 else "")
    return f"{s} s"


def _write_gold(gold: Path, arts, stats, pairs: list[dict], n: int) -> None:
    import pandas as pd
    import yaml

    arts.to_parquet(gold / "articles.parquet", index=False)
    stats.to_parquet(gold / "statements.parquet", index=False)
    pd.DataFrame(pairs, columns=LATENCY_COLUMNS).to_parquet(gold / "latency.parquet", index=False)
    if n > YAML_MAX_ARTICLES:
        return
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    def dump(path, obj):
        text = yaml.dump(obj, Dumper=dumper, allow_unicode=True, sort_keys=False, width=120)
        path.write_text("# Ground truth written by helpers.synth (fictional synthetic corpus).\n" + text,
                        encoding="utf-8")

    g = _gold_records(arts.to_dict("records"), stats.to_dict("records"), pairs)
    dump(gold / "articles.yml", {"corpus": "synth", "articles": g["articles"]})
    dump(gold / "statements.yml", {"corpus": "synth", "statements": g["statements"]})
    dump(gold / "latency.yml", {"corpus": "synth", "pairs": g["latency"]})


def _gold_records(arts: list[dict], stats: list[dict], pairs: list[dict]) -> dict:
    """Ground-truth rows -> the gold format of data/gold (what helpers.evaluation reads and the YAML holds)."""
    keys = ("doc_id", "title", "outlet", "dateline", "published_at", "published_precision")
    articles = [{**{k: _none(r[k]) for k in keys}, "body_keeps": list(r["body_keeps"]),
                 "body_drops": list(r["body_drops"])} for r in arts]
    statements = []
    for r in stats:
        y = {k: _none(r[k]) for k in ("doc_id", "field", "where", "speaker", "side", "stance")}
        if _none(r["date"]) is not None:
            y["date"] = r["date"]
        elif _none(r["on_or_before"]) is not None:
            y["on_or_before"] = r["on_or_before"]
        else:
            y["time_unknown"] = True
        y["optional"] = bool(r["optional"])
        statements.append(y)
    latency = [{"claim_speaker": r["claim_speaker"],
                "claim_where": {"doc_id": r["claim_doc_id"], "where": r["claim_where"]},
                "denial_speaker": r["denial_speaker"], "denial_side": r["denial_side"],
                "latency_min_at_least": r["latency_min_at_least"], "latency_max_at_most": r["latency_max_at_most"],
                "basis": r["basis"]} for r in pairs]
    return {"corpus": "synth", "articles": articles, "statements": statements, "latency": latency}


def _none(v):
    """pandas missing values (None, NaN, NA) -> None, for YAML."""
    try:
        import pandas as pd

        return None if pd.isna(v) else v
    except (TypeError, ValueError):
        return v


def load_gold(out: str | os.PathLike) -> dict:
    """The ground truth of a synthetic corpus as DataFrames: {"articles", "statements", "latency"}.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> out = Path(tempfile.mkdtemp()) / "s"
        >>> _ = generate(20, out, seed=2)
        >>> sorted(load_gold(out))
        ['articles', 'latency', 'statements']
    """
    import pandas as pd

    gold = Path(out) / "gold"
    if not gold.is_dir():
        raise UserError(f"no synthetic ground truth at {gold} (run: python -m helpers synth N {out})")
    return {name: pd.read_parquet(gold / f"{name}.parquet") for name in ("articles", "statements", "latency")}


def evaluation_gold(out: str | os.PathLike) -> dict:
    """The ground truth in the shape ``helpers.evaluation`` reads (the YAML gold formats), from the
    parquet files, so it works at any size: ``{"corpus", "articles", "statements", "latency"}``.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> out = Path(tempfile.mkdtemp()) / "s"
        >>> _ = generate(20, out, seed=2)
        >>> g = evaluation_gold(out)
        >>> sorted(g) == ["articles", "corpus", "latency", "statements"]
        True
        >>> {"doc_id", "field", "where", "speaker", "side", "stance", "optional"} <= set(g["statements"][0])
        True
    """
    g = load_gold(out)
    return _gold_records(g["articles"].to_dict("records"), g["statements"].to_dict("records"),
                         g["latency"].to_dict("records"))
