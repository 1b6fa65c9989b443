"""The story file (YAML): the proposition to track, the sides, their speakers and how articles name them.

Everything story-specific (names, roles, topic words) lives in the story file; nothing of it is
hard-coded in the package. ``load_story`` validates the file and raises :class:`StoryError` naming the
file and the field (or the line) when something is wrong. The format is documented in
``docs/story-format.md``.

Names, not alias lists. A speaker is a ``name``, an optional ``role`` and optional ``aliases`` (nicknames,
a capital city ...). The forms articles use are derived (:func:`derive_forms`):

- a person ("Miguel Díaz-Canel", "Ursula von der Leyen"): the full name, the surname alone ("Díaz-Canel",
  "von der Leyen": particles stay with the surname), the role before the name ("President Díaz-Canel",
  "Cuban President Miguel Díaz-Canel", "Secretary of State Marco Rubio"), the role alone ("the Cuban
  president", "Cuba's president", "the president");
- an institution ("State Department", "European Commission", "Apple"): the name, with "the", and "the
  <last word>" when that word is an institution noun ("the Commission");
- a group ("Cuban government", "U.S. officials"): its family ("Cuban officials", "Cuban authorities",
  "Cuban leaders", "a senior U.S. official", "US officials", "American officials");
- every form: possessives ("Rubio's") and a name as subject of a headline.

Matching rules, decided once:

- Whole words only; where forms overlap the LONGEST wins ("Cuban President Miguel Díaz-Canel" beats
  "Díaz-Canel"), and a listed multi-word alias is never cut short.
- Case is ignored, EXCEPT that a capitalised word of a name must start with a capital letter in the text:
  "Trump", "Cook", "Apple" never match "trump card", "cook", "apple pie". Role and title words
  ("president", "foreign minister") match in any case, so Title Case headlines work.
- Typography is forgiven: straight and curly apostrophes, accents ("Diaz" finds "Díaz"), a hyphen or a
  space, any run of white space, and the dots of abbreviations ("U.S." = "US").
- Ambiguity: a DERIVED form shared by two speakers (two speakers named Lee, two presidents) is given to
  neither; a form the story lists (a name or an alias) always beats a derived one. ``python -m helpers
  story check`` lists every form dropped this way. Two speakers listing the same alias is an error.

Example:
    >>> from helpers.paths import REAL_STORY
    >>> s = load_story(REAL_STORY)
    >>> s.side_of("Miguel Díaz-Canel"), s.side_of("Cuban and U.S. officials"), s.side_of("Nobody")
    ('cuba', None, None)
    >>> [(m.text, m.name) for m in s.find_speakers("Hours later, Cuba’s president rejected it.")]
    [('Cuba’s president', 'Miguel Díaz-Canel')]
"""
from __future__ import annotations

import re
from functools import lru_cache
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from .errors import StoryError

__all__ = ["Story", "Speaker", "Side", "MixedSpeaker", "Proposition", "SpeakerMatch", "load_story", "derive_forms",
           "SIDE_KINDS"]

#: Words that make a canonical name a group rather than a person (used for pronoun resolution).
GROUP_WORDS = frozenset("""
officials official authorities government governments department ministry office house council leaders
leadership administration spokesman spokeswoman spokesperson agency committee commission party union
embassy police army military sources media press team club company board parliament congress senate
""".split())

#: What a side can be: ``party`` (takes part in the dispute; the default), ``media`` (the outlets that
#: broke or report the story and their anonymous sources), ``neutral`` (counted, never paired for latency).
SIDE_KINDS = ("party", "media", "neutral")

#: Size limits of a story file (a bigger file is refused with a one-line message).
MAX_STORY_BYTES = 256_000
MAX_SPEAKERS = 500
MAX_ALIASES = 100


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _aliases_ok(v: list[str]) -> list[str]:
    if len(v) > MAX_ALIASES:
        raise ValueError(f"{len(v)} aliases: at most {MAX_ALIASES} per speaker (names are derived, see "
                         f"docs/story-format.md)")
    for a in v:
        if not a or not a.strip():
            raise ValueError("an alias is empty")
    return v


class Speaker(_Model):
    """A speaker of one side: canonical ``name``, optional ``role`` ("Foreign Minister of Cuba") and
    optional ``aliases`` (nicknames and other names the derivation cannot guess: "Havana", "the White House").

    Example:
        >>> Speaker(name="Ann Lee", role="Foreign Minister of Aland").aliases
        []
        >>> Speaker.model_validate("Marco Rubio").name
        'Marco Rubio'
    """

    name: str = Field(min_length=1)
    role: str | None = None
    aliases: list[str] = Field(default_factory=list)

    _check_aliases = field_validator("aliases")(classmethod(lambda cls, v: _aliases_ok(v)))

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, v):
        """A bare name ("Marco Rubio") is a speaker with that name; one alias may be given as a text."""
        if isinstance(v, str):
            return {"name": v}
        if isinstance(v, dict) and isinstance(v.get("aliases"), str):
            return {**v, "aliases": [v["aliases"]]}
        return v


class MixedSpeaker(Speaker):
    """A speaker belonging to several sides at once (e.g. "Cuban and U.S. officials"): side null."""


class Side(_Model):
    """One side of the story: ``id`` (short, unique), optional ``label``, ``kind`` (party / media /
    neutral) and its ``speakers`` (a ``media`` side may list none: outlets are found without a list).

    Example:
        >>> Side(id="press", kind="media").label
        'press'
    """

    id: str = Field(min_length=1)
    label: str | None = None
    kind: Literal["party", "media", "neutral"] = "party"
    speakers: list[Speaker] = Field(default_factory=list)

    @model_validator(mode="after")
    def _defaults(self) -> "Side":
        if not self.label:
            self.label = self.id
        if not self.speakers and self.kind != "media":
            raise ValueError(f"field speakers: side {self.id!r} lists no speaker (only a media side may)")
        return self


class Proposition(_Model):
    """The claim tracked, as one plain sentence (``text``: who did what, as its claimants assert it), and
    optional extra words that name its event (``topic_terms``: "dinner", "dined"). The package derives
    the participants, the predicate and its inflections and synonyms from ``text``
    (:mod:`helpers.proposition`); ``topic_terms`` are never required."""

    text: str = Field(min_length=1)
    topic_terms: list[str] = Field(default_factory=list)

    @field_validator("topic_terms")
    @classmethod
    def _terms(cls, v: list[str]) -> list[str]:
        if any(not t or not t.strip() for t in v):
            raise ValueError("a topic term is empty")
        return [t.strip() for t in v]



@dataclass(frozen=True)
class SpeakerMatch:
    """One alias found in a text: span, the words as written, canonical ``name``, ``side`` (or None)."""

    start: int
    end: int
    text: str
    name: str
    side: str | None


class Story(_Model):
    """A validated story file. Build it with :func:`load_story`.

    Example:
        >>> s = Story.model_validate({"name": "x", "title": "X", "proposition": {"text": "A and B talk.",
        ...     "topic_terms": ["talk"]}, "sides": [{"id": "a", "speakers": [
        ...     {"name": "Ann Lee", "role": "Foreign Minister of Aland"}]}]})
        >>> [(m.text, m.name, m.side) for m in s.find_speakers("The foreign minister met Ann Lee. Lee's aide")]
        [('The foreign minister', 'Ann Lee', 'a'), ('Ann Lee', 'Ann Lee', 'a'), ('Lee', 'Ann Lee', 'a')]
        >>> s.is_person("Ann Lee")
        True
    """

    name: str = Field(min_length=1)
    title: str | None = None
    fictional: bool = False
    proposition: Proposition
    sides: list[Side] = Field(min_length=1)
    mixed_speakers: list[MixedSpeaker] = Field(default_factory=list)

    _source: str = PrivateAttr(default="<story>")
    _ix: "StoryIndex | None" = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _consistent(self) -> "Story":
        if not self.title:
            self.title = self.proposition.text
        ids = [s.id for s in self.sides]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"field sides: duplicate side id {dup[0]!r}")
        owner: dict[str, str] = {}
        names: set[str] = set()
        n = 0
        for sp, where in _everyone(self):
            n += 1
            if sp.name in names:
                raise ValueError(f"field {where}.name: the speaker name {sp.name!r} is used twice")
            names.add(sp.name)
            for a in [sp.name, *sp.aliases]:
                key = _key(a)
                if key in owner and owner[key] != sp.name:
                    raise ValueError(f"field {where}.aliases: alias {a!r} is used by both "
                                     f"{owner[key]!r} and {sp.name!r}")
                owner[key] = sp.name
        if n > MAX_SPEAKERS:
            raise ValueError(f"field sides: {n} speakers, at most {MAX_SPEAKERS}")
        return self

    @property
    def index(self) -> "StoryIndex":
        """The story's lookup tables and compiled name matcher (built once per story object).

        Extraction fetches it once per article: plain attributes, no pydantic overhead per lookup.

        Example:
            >>> from helpers.paths import REAL_STORY
            >>> ix = load_story(REAL_STORY).index
            >>> ix.side["Marco Rubio"], ix.person["Marco Rubio"], ix.owner["rubio"]
            ('us', True, 'Marco Rubio')
        """
        if self._ix is None:
            self._ix = StoryIndex(self)
        return self._ix

    def side_of(self, name: str) -> str | None:
        """Side id of canonical speaker ``name``; None for mixed or unknown speakers.

        Example:
            >>> from helpers.paths import REAL_STORY
            >>> load_story(REAL_STORY).side_of("Donald Trump")
            'us'
        """
        return self.index.side.get(name)

    def side_kind(self, side_id: str | None) -> str | None:
        """``party``, ``media`` or ``neutral`` for a side id (None for an unknown id or None).

        Example:
            >>> from helpers.paths import REAL_STORY
            >>> load_story(REAL_STORY).side_kind("us")
            'party'
        """
        return self.index.kind.get(side_id) if side_id is not None else None

    @property
    def media_side(self) -> str | None:
        """Id of the first side of kind ``media`` (outlets and their anonymous sources are credited to
        it), or None when the story has none.

        Example:
            >>> s = Story.model_validate({"name": "x", "proposition": {"text": "A met B.", "topic_terms": ["met"]},
            ...     "sides": [{"id": "a", "speakers": [{"name": "A"}]}, {"id": "press", "kind": "media"}]})
            >>> s.media_side, s.title
            ('press', 'A met B.')
        """
        return next((s.id for s in self.sides if s.kind == "media"), None)

    @property
    def neutral_sides(self) -> frozenset[str]:
        """Ids of the sides of kind ``neutral`` (counted, never paired for latency).

        Example:
            >>> from helpers.paths import DEMO_STORY
            >>> sorted(load_story(DEMO_STORY).neutral_sides)
            []
        """
        return frozenset(s.id for s in self.sides if s.kind == "neutral")

    @property
    def speaker_names(self) -> list[str]:
        """Every canonical speaker name (sides first, then mixed speakers).

        Example:
            >>> from helpers.paths import REAL_STORY
            >>> load_story(REAL_STORY).speaker_names[0]
            'Donald Trump'
        """
        return list(self.index.side)

    def knows(self, name: str) -> bool:
        """True when ``name`` is a canonical speaker of this story.

        Example:
            >>> from helpers.paths import REAL_STORY
            >>> load_story(REAL_STORY).knows("Marco Rubio")
            True
        """
        return name in self.index.side

    def role_of(self, name: str) -> str:
        """The speaker's role as the story file gives it ('' when none).

        Example:
            >>> from helpers.paths import REAL_STORY
            >>> load_story(REAL_STORY).role_of("Marco Rubio")
            'Secretary of State'
        """
        return self.index.role.get(name, "")

    def is_person(self, name: str) -> bool:
        """Whether a canonical name looks like one person (for "he"/"she"): see :func:`looks_like_person`.

        Example:
            >>> from helpers.paths import REAL_STORY
            >>> s = load_story(REAL_STORY)
            >>> s.is_person("Donald Trump"), s.is_person("Cuban government"), s.is_person("State Department")
            (True, False, False)
        """
        return looks_like_person(name)

    @property
    def topic_regex(self) -> re.Pattern:
        """Compiled regex of the proposition's topic terms (case-insensitive, whole words, plural -s allowed).

        Example:
            >>> from helpers.paths import REAL_STORY
            >>> bool(load_story(REAL_STORY).topic_regex.search("no Negotiations at all"))
            True
        """
        return self.index.topic

    def find_speakers(self, text: str) -> list[SpeakerMatch]:
        """Every name occurrence in ``text``, left to right, longest form winning overlaps.

        Example:
            >>> from helpers.paths import REAL_STORY
            >>> [m.name for m in load_story(REAL_STORY).find_speakers("Diaz-Canel and President Trump")]
            ['Miguel Díaz-Canel', 'Donald Trump']
        """
        return self.index.find_speakers(text)

    def forms_of(self, name: str) -> list[str]:
        """The forms matched for speaker ``name`` (listed and derived, ambiguous ones left out), as keys
        (folded, lower case, without dots).

        Example:
            >>> from helpers.paths import REAL_STORY
            >>> "cuba's deputy foreign minister" in load_story(REAL_STORY).forms_of("Carlos Fernández de Cossío")
            True
        """
        return sorted(k for k, (n, _) in self.index.forms.items() if n == name)


def _everyone(story: Story):
    for i, s in enumerate(story.sides):
        for j, sp in enumerate(s.speakers):
            yield sp, f"sides.{i}.speakers.{j}"
    for j, sp in enumerate(story.mixed_speakers):
        yield sp, f"mixed_speakers.{j}"


# ------------------------------------------------------------------------------------------ derivation
#: Title and role words: they match in any case ("President", "president", "PRESIDENT").
TITLE_WORDS = frozenset("""
the a an own of for and senior top former acting interim chief vice deputy assistant under prime first lady
president minister ministers foreign secretary senator sen rep representative congressman congresswoman governor
gov mayor chancellor premier general gen judge justice executive ceo cfo coo chairman chairwoman chair director
ambassador envoy spokesman spokeswoman spokesperson king queen prince princess pope sir dame lord mr mrs ms miss dr
prof professor commissioner official officials leader leaders head founder owner manager coach captain
defence defense finance interior trade economy health justice affairs state attorney counsel adviser advisor
national security press communications spokespeople
""".split())
_HONORIFICS = ("Mr", "Mrs", "Ms", "Dr")
_PARTICLES = frozenset("de del della der den di da das dos du van von ter ten le la bin ibn al el".split())
_SUFFIXES = frozenset("jr sr ii iii iv".split())
_CALENDAR = frozenset("""january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday""".split())
#: Last words that make "the <word>" a safe short form of an institution ("the Commission").
INSTITUTION_NOUNS = frozenset("""commission department ministry council parliament agency bureau office committee
court bank company party union administration senate congress assembly embassy police army navy board foundation
institute university corporation group federation league association authority tribunal cabinet""".split())
#: Group nouns that name the same collective ("Cuban officials" = "Cuban authorities" = "the Cuban government").
_FAMILY = ("officials", "authorities", "leaders", "leadership", "government", "administration")
_FAMILY_PLURAL = ("officials", "authorities", "leaders", "governments")
_SPOKES = ("spokesperson", "spokesman", "spokeswoman")

#: Country -> adjectives (demonyms), the first being the usual one; others get "<name>n" for "-a" names.
DEMONYMS: dict[str, tuple[str, ...]] = {
    "United States": ("U.S.", "US", "American"), "United Kingdom": ("British", "U.K.", "UK"),
    "Britain": ("British", "UK", "U.K."), "European Union": ("EU", "European"), "China": ("Chinese",),
    "Russia": ("Russian",), "France": ("French",), "Germany": ("German",), "Israel": ("Israeli",),
    "Iran": ("Iranian",), "India": ("Indian",), "Japan": ("Japanese",), "Cuba": ("Cuban",), "Mexico": ("Mexican",),
    "Canada": ("Canadian",), "Brazil": ("Brazilian",), "Ukraine": ("Ukrainian",), "Turkey": ("Turkish",),
    "Spain": ("Spanish",), "Italy": ("Italian",), "Pakistan": ("Pakistani",), "Saudi Arabia": ("Saudi",),
    "Egypt": ("Egyptian",), "Syria": ("Syrian",), "Iraq": ("Iraqi",), "North Korea": ("North Korean",),
    "South Korea": ("South Korean",), "Venezuela": ("Venezuelan",), "Australia": ("Australian",),
    "Greece": ("Greek",), "Netherlands": ("Dutch",), "Poland": ("Polish",), "Sweden": ("Swedish",),
    "Qatar": ("Qatari",), "Afghanistan": ("Afghan",), "Taiwan": ("Taiwanese",), "Vietnam": ("Vietnamese",),
    "Philippines": ("Philippine", "Filipino"), "Argentina": ("Argentine", "Argentinian"), "Colombia": ("Colombian",),
    "Nigeria": ("Nigerian",), "South Africa": ("South African",), "Ireland": ("Irish",), "Switzerland": ("Swiss",),
    "Portugal": ("Portuguese",), "Norway": ("Norwegian",), "Denmark": ("Danish",), "Finland": ("Finnish",),
    "Belgium": ("Belgian",), "Austria": ("Austrian",), "Hungary": ("Hungarian",), "Lebanon": ("Lebanese",),
    "Jordan": ("Jordanian",), "Yemen": ("Yemeni",), "Kenya": ("Kenyan",), "Palestine": ("Palestinian",),
    "Thailand": ("Thai",), "Indonesia": ("Indonesian",), "Malaysia": ("Malaysian",), "Chile": ("Chilean",),
    "Peru": ("Peruvian",), "New Zealand": ("New Zealand",), "Scotland": ("Scottish",), "Wales": ("Welsh",),
    "England": ("English",), "Belarus": ("Belarusian",), "Serbia": ("Serbian",), "Kosovo": ("Kosovar",),
}
_ADJ_GROUP: dict[str, tuple[str, ...]] = {}
for _adjs in DEMONYMS.values():
    for _a in _adjs:
        _ADJ_GROUP.setdefault(_a.replace(".", "").lower(), _adjs)


def demonyms(place: str) -> tuple[str, ...]:
    """Adjectives for a place: the table, else "<place>n" for names ending in -a ("Drevania" ->
    "Drevanian"), else none.

    Example:
        >>> demonyms("Cuba"), demonyms("the United States"), demonyms("Valdoria"), demonyms("State")
        (('Cuban',), ('U.S.', 'US', 'American'), ('Valdorian',), ())
    """
    place = re.sub(r"^the\s+", "", place.strip(), flags=re.I)
    if place in DEMONYMS:
        return DEMONYMS[place]
    if re.fullmatch(r"[A-Z][a-z]+a", place):
        return (place + "n",)
    return ()


def _is_place(x: str) -> bool:
    return bool(demonyms(x))


#: Words of a portfolio ("Secretary of State", "Minister of Foreign Affairs"): "of" them is no place.
_PORTFOLIO = frozenset("""state defense defence finance foreign affairs staff health justice treasury commerce energy
education agriculture labor labour interior homeland security transportation transport trade economy culture
environment home housing veterans information the and public works communications""".split())


def _is_owner(x: str) -> bool:
    """Is ``x`` in "<title> of x" a place or an organisation ("Cuba", "Apple"), not a portfolio ("State")?"""
    words = x.split()
    return bool(words) and words[-1][:1].isupper() and not all(w.lower() in _PORTFOLIO for w in words)


def surname(name: str) -> str | None:
    """The surname of a person's name: the last word, or from the first particle on ("de", "van der" ...);
    suffixes (Jr., III) skipped. None for a one-word name.

    Example:
        >>> surname("Carlos Fernández de Cossío"), surname("Ursula von der Leyen"), surname("Martin Luther King Jr.")
        ('Fernández de Cossío', 'von der Leyen', 'King')
    """
    words = name.split()
    while len(words) > 1 and words[-1].lower().strip(".,") in _SUFFIXES:
        words = words[:-1]
    words = [w.rstrip(",") for w in words]
    if len(words) < 2:
        return None
    for i in range(1, len(words) - 1):
        if words[i].lower() in _PARTICLES:  # "Ursula von der Leyen", "Carlos Fernández de Cossío"
            return " ".join(words[max(1, i - 1):])
    return words[-1]


def _role_parts(role: str) -> tuple[str, str | None]:
    """(head, place) of a role: "Foreign Minister of Cuba" -> ("Foreign Minister", "Cuba"); "Cuba's
    foreign minister" / "Cuban foreign minister" -> ("foreign minister", "Cuba"/"Cuban" place)."""
    role = " ".join(role.split())
    m = re.fullmatch(r"(.+?)\s+of\s+(.+)", role)
    if m and _is_owner(m.group(2)):
        return m.group(1), re.sub(r"^the\s+", "", m.group(2), flags=re.I)
    first, _, rest = role.partition(" ")
    if rest:
        poss = re.fullmatch(r"(.+?)['’]s", first)
        if poss and _is_place(poss.group(1)):
            return rest, poss.group(1)
        grp = _ADJ_GROUP.get(first.replace(".", "").lower())
        if grp:
            place = next(c for c, a in DEMONYMS.items() if a == grp)
            return rest, place
        if re.fullmatch(r"[A-Z][a-z]+an", first) and _is_place(first[:-1]):
            return rest, first[:-1]
    return role, None


def kind_of(name: str, role: str | None = None) -> str:
    """``person``, ``group`` (a collective: "Cuban officials", "Cuban government") or ``institution``.

    Example:
        >>> kind_of("Miguel Díaz-Canel"), kind_of("U.S. officials"), kind_of("Apple"), kind_of("State Department")
        ('person', 'group', 'institution', 'institution')
    """
    words = name.split()
    if words and words[-1].lower() in _FAMILY + _FAMILY_PLURAL:
        return "group"
    if looks_like_person(name):
        return "person"
    return "institution"


def derive_forms(name: str, role: str | None = None) -> list[str]:
    """The forms derived for a speaker's name and role (without the ones the story lists), most specific
    first. See the module doc for the rules.

    Example:
        >>> derive_forms("Miguel Díaz-Canel", "President of Cuba")[:4]
        ['Miguel Díaz-Canel', 'Díaz-Canel', 'President of Cuba Miguel Díaz-Canel', 'President of Cuba Díaz-Canel']
        >>> [f for f in derive_forms("Miguel Díaz-Canel", "President of Cuba") if " " in f and "Canel" not in f]
        ['the President of Cuba', 'the President', "Cuba's President", "Cuba's own President", 'the Cuban President', 'Cuban President']
        >>> derive_forms("European Commission")
        ['European Commission', 'the European Commission', 'the Commission', 'a European Commission spokesperson', 'the European Commission spokesperson', 'European Commission spokesperson', 'a European Commission spokesman', 'the European Commission spokesman', 'European Commission spokesman', 'a European Commission spokeswoman', 'the European Commission spokeswoman', 'European Commission spokeswoman']
    """
    name = " ".join(name.split())
    core = re.sub(r"^the\s+", "", name, flags=re.I)
    out: list[str] = [core]
    kind = kind_of(core, role)
    head, place = _role_parts(role) if role else (None, None)
    adjs = demonyms(place) if place else ()
    if kind == "person":
        sur = surname(core)
        words = core.split()
        names = [core]
        if sur and len(words) > 2 and len(sur.split()) == 1:
            names.append(f"{words[0]} {sur}")
        if sur and sur.lower() not in _CALENDAR and len(sur) > 1:
            out.append(sur)  # a surname that is a month or weekday ("May") only with a title: "Prime Minister May"
        out += names[1:]
        if sur and len(sur.split()) > 1 and sur.split()[-1][:1].isupper() and len(sur.split()[-1]) > 3:
            # "Cristina Fernández de Kirchner": news also writes "Kirchner" and "Cristina Kirchner"
            out += [sur.split()[-1], f"{words[0]} {sur.split()[-1]}"]
        titles: list[str] = []
        if role:
            titles.append(" ".join(role.split()))
            if head and head != role:
                titles.append(head)
            titles += [f"{a} {head}" for a in adjs] + ([f"{_poss(place)} {head}"] if place else [])
        for t in titles:
            for n in (core, sur or core):
                out.append(f"{t} {n}")
        if sur:
            out += [f"{h} {sur}" for h in _HONORIFICS]
        if role:
            if place:
                out.append(f"the {' '.join(role.split())}")
            out.append(f"the {head}")
            if place:
                out += [f"{_poss(place)} {head}", f"{_poss(place)} own {head}"]
                out += [f"the {a} {head}" for a in adjs] + [f"{a} {head}" for a in adjs]
    elif kind == "group":
        words = core.split()
        base = " ".join(words[:-1])
        fam = _FAMILY
        if " and " in f" {base} ":
            a, _, b = base.partition(" and ")
            bases = [f"{x} and {y}" for x0, y0 in ((a, b), (b, a))
                     for x in _adj_variants(x0) for y in _adj_variants(y0)]
            fam = _FAMILY_PLURAL
        else:
            bases = list(_adj_variants(base))
        for b in bases:
            for f in fam:
                out.append(f"{b} {f}")
                if f in ("government", "leadership", "administration", "authorities", "governments"):
                    out.append(f"the {b} {f}")
            if " and " not in b:
                art = "an" if b[:1].lower() in "aeio" else "a"
                out += [f"{art} {b} official", f"a senior {b} official", f"senior {b} officials"]
    else:
        out.append(f"the {core}")
        words = core.split()
        short = _short_form(words)
        if short:
            out += [short, f"the {short}"]  # "Skyreach Airways" -> "Skyreach"
        if len(words) > 1 and words[-1].lower() in INSTITUTION_NOUNS:
            out.append(f"the {words[-1]}")
        elif len(words) > 2 and words[1].lower() == "of" and words[0].lower() in INSTITUTION_NOUNS:
            out.append(f"the {words[0].lower()}")  # "Ministry of Infrastructure": "the ministry"
        for sp in _SPOKES:
            out += [f"a {core} {sp}", f"the {core} {sp}", f"{core} {sp}"]
    seen: set[str] = set()
    res = []
    for f in out:
        k = _key(f)
        if k and k not in seen:
            seen.add(k)
            res.append(f)
    return res


def _short_form(words: list[str]) -> str | None:
    """The short name news uses after the first mention: the name without its designator ("Skyreach
    Airways" -> "Skyreach", "Rovenna FC" -> "Rovenna"; ``lexicon/organisations.txt``), when one capitalised
    word is left that is no common English word ("General Motors" keeps its name), else None."""
    from . import lexicon
    from .proposition import _known

    if len(words) != 2 or words[-1].lower() not in lexicon.groups("organisations")["designators"]:
        return None
    w = words[0]
    if not re.fullmatch(r"[A-Z][a-z][\w-]{2,}", w) or w.lower() in _CALENDAR or _known(w.lower()) or w in DEMONYMS:
        return None
    return w


def _forms_from_others(sp: Speaker, speakers: list[Speaker]) -> list[str]:
    """Forms that need the other speakers: an "Office of the <role>" gets "<surname>'s office" and "<surname>'s
    spokesman" of the person with that role; a group with a one-word place alias ("Havana") gets "officials
    in Havana" and "Havana officials".

    Example:
        >>> people = [Speaker(name="Aldric Vossberg", role="Premier of Valdoria"),
        ...           Speaker(name="Valdorian government", aliases=["Varnholt"])]
        >>> _forms_from_others(Speaker(name="Office of the Premier"), people)[:3]
        ["the Premier's office", "the Premier's spokesperson", 'a spokesperson for the Premier']
        >>> _forms_from_others(people[1], people)
        ['officials in Varnholt', 'Varnholt officials']
    """
    out: list[str] = []
    m = re.fullmatch(r"(?i:office)\s+of\s+(?:(?i:the)\s+)?(.+)", " ".join(sp.name.split()))
    if m:
        x = m.group(1)
        holders = [o for o in speakers if o.role and kind_of(o.name) == "person"
                   and _role_parts(o.role)[0].lower() == x.lower()]
        whos = [f"the {x}"] + [s for o in holders if (s := surname(o.name))] + [o.name for o in holders]
        for w in whos:
            out.append(f"{w}'s office")
            for spk in _SPOKES:
                out += [f"{w}'s {spk}", f"a {spk} for {w}"]
    if kind_of(sp.name) == "group":
        for a in sp.aliases:
            if re.fullmatch(r"[A-Z][\w'-]+(?: [A-Z][\w'-]+)*", a.strip()):
                out += [f"officials in {a.strip()}", f"{a.strip()} officials"]
    return out


def _poss(x: str) -> str:
    """English possessive: "Cuba's", "the United States'"."""
    return f"the {x}'" if x.endswith("s") else f"{x}'s"


def _adj_variants(base: str) -> tuple[str, ...]:
    grp = _ADJ_GROUP.get(base.replace(".", "").lower())
    return grp if grp else (base,)


def _caps_mask(form: str, free: frozenset[str]) -> tuple[str, ...]:
    """Per word of the folded form, what the text's word must look like: ``""`` anything (a title or role
    word: "President", "the", "minister"), ``"C"`` start with a capital ("Trump", "Apple"), ``"A"`` an
    abbreviation in capitals ("U.S.", "EU").

    Example:
        >>> _caps_mask("Cuba's President Miguel Díaz-Canel", TITLE_WORDS)
        ('C', '', 'C', 'C', 'C')
    """
    out = []
    for w in fold(form).split():
        base = re.sub(r"'s$|'$", "", w.lower()).strip(".,")
        if not w[:1].isupper() or base in free:
            out.append("")
        else:
            letters = w.replace(".", "").replace("'s", "")
            out.append("A" if len(letters) > 1 and letters.isupper() else "C")
    return tuple(out)


class StoryIndex:
    """Plain lookup tables of a story: ``side``/``role``/``person`` per canonical name, ``kind`` per side
    id, the ``owner`` of each form (folded key), the compiled name ``matcher`` (a trie regex), the
    ``topic`` regex, and for ``story check``: ``listed``/``derived`` forms per name and the ``dropped``
    (ambiguous) derived forms with the speakers that share them.

    Example:
        >>> from helpers.paths import REAL_STORY
        >>> [m.name for m in load_story(REAL_STORY).index.find_speakers("Fernandez de Cossio said")]
        ['Carlos Fernández de Cossío']
    """

    def __init__(self, story: Story):
        self.side: dict[str, str | None] = {}
        self.role: dict[str, str] = {}
        self.kind: dict[str, str] = {s.id: s.kind for s in story.sides}
        self.listed: dict[str, list[str]] = {}
        self.derived: dict[str, list[str]] = {}
        for s in story.sides:
            for sp in s.speakers:
                self.side[sp.name] = s.id
        listed_owner: dict[str, str] = {}
        derived_owners: dict[str, set[str]] = {}
        masks: dict[str, tuple[bool, ...]] = {}
        speakers = [sp for sp, _ in _everyone(story)]
        free_of: dict[str, frozenset[str]] = {}
        for sp in speakers:
            self.side.setdefault(sp.name, None)
            self.role[sp.name] = sp.role or ""
            head = _role_parts(sp.role)[0] if sp.role else ""  # its words match in any case; a place does not
            free_of[sp.name] = TITLE_WORDS | {w.lower() for w in fold(head).split() if not demonyms(w)}
            self.listed[sp.name] = [sp.name, *sp.aliases]
            for a in self.listed[sp.name]:
                listed_owner[_key(a)] = sp.name
            self.derived[sp.name] = derive_forms(sp.name, sp.role) + _forms_from_others(sp, speakers)
            for f in self.derived[sp.name]:
                derived_owners.setdefault(_key(f), set()).add(sp.name)
        self.owner: dict[str, str] = {}
        self.dropped: dict[str, list[str]] = {}
        variants: set[str] = set()  # folded lower-case forms with their dots (optional in the trie)
        for sp in speakers:
            free = free_of[sp.name]
            for f in self.listed[sp.name]:
                self._add(_key(f), f, sp.name, free, masks, variants)
        for sp in speakers:
            free = free_of[sp.name]
            for f in self.derived[sp.name]:
                k = _key(f)
                if k in listed_owner:
                    if listed_owner[k] != sp.name:
                        self.dropped.setdefault(k, sorted({listed_owner[k], sp.name}))
                    continue
                if len(derived_owners[k]) > 1:
                    self.dropped[k] = sorted(derived_owners[k])
                    continue
                self._add(k, f, sp.name, free, masks, variants)
        self.forms: dict[str, tuple[str, tuple[bool, ...]]] = {k: (self.owner[k], masks[k]) for k in self.owner}
        self.short = frozenset(k for k in self.forms if len(k.split()) == 2 and k.startswith("the ")
                               and k.split()[1] in INSTITUTION_NOUNS)
        # No (?<!\w) in front: a pattern opening with its first letters lets the regex engine skip ahead
        # fast; speaker_spans rejects starts inside a word by hand.
        variants.discard("")
        pattern = r"(?:" + _trie_regex(sorted(variants)) + r")(?!\w)" if variants else r"(?!x)x"  # none: never
        self.matcher = re.compile(pattern)  # runs on lower-cased text (faster than re.IGNORECASE)
        self._matcher_i = re.compile(pattern, re.IGNORECASE)  # for the rare text whose lower() changes length
        self.topic = topic_regex(story.proposition.topic_terms)
        media = {sd.id for sd in story.sides if getattr(sd, "kind", "party") == "media"}
        self.person = {n: looks_like_person(n) and self.side[n] not in media for n in self.side}
        self.names = list(self.side)

    def _add(self, k, form, name, free, masks, variants) -> None:
        if not k:
            return
        self.owner.setdefault(k, name)
        m = _caps_mask(form, free)
        old = masks.get(k)
        masks[k] = m if old is None or len(old) != len(m) else tuple(min(a, b) for a, b in zip(old, m))
        written = " ".join(fold(form).split())
        variants.add(written.lower())
        variants.add(" ".join(_dotted(w) for w in written.split()).lower())  # "US" also as "U.S."

    def find_speakers(self, text: str) -> list[SpeakerMatch]:
        return [SpeakerMatch(*t) for t in self.speaker_spans(text)]

    def speaker_spans(self, text: str) -> list[tuple[int, int, str, str, str | None]]:
        """:meth:`find_speakers` as plain tuples ``(start, end, text, name, side)`` (cheaper to build and
        hash, for extraction).

        Example:
            >>> from helpers.paths import REAL_STORY
            >>> load_story(REAL_STORY).index.speaker_spans("VanRubio met Rubio.")
            [(13, 18, 'Rubio', 'Marco Rubio', 'us')]
        """
        folded = fold(text)
        low = folded.lower()
        search = self.matcher.search
        if len(low) != len(folded):
            low, search = folded, self._matcher_i.search
        out = []
        pos = 0
        forms = self.forms
        while (m := search(low, pos)) is not None:
            start, end = m.span()
            if start and _WORD_CHAR.match(folded, start - 1):
                pos = start + 1  # inside a word: what (?<!\w) would reject; a match may still start later
                continue
            got = _accept(folded, start, end, forms, self.short)
            if got is None:
                pos = start + 1
                continue
            end, name = got
            out.append((start, end, text[start:end], name, self.side.get(name)))
            pos = end
        return out


_WORD_CHAR = re.compile(r"\w")
_WORDS = re.compile(r"\S+")


def _caps_ok(words: list[str], mask: tuple[str, ...]) -> bool:
    """Do the text's words have the capitals the form needs (see :func:`_caps_mask`)? A name word in
    capitals only is refused (a dateline "WASHINGTON -" is no mention of "Washington"), an abbreviation
    ("US", "U.S.") is not.

    Example:
        >>> _caps_ok(["Trump"], ("C",)), _caps_ok(["trump"], ("C",)), _caps_ok(["TRUMP"], ("C",)), _caps_ok(["US"], ("A",))
        (True, False, False, True)
    """
    if len(words) != len(mask):
        return False
    for w, need in zip(words, mask):
        if need and w[:1].isalpha():
            if not w[:1].isupper():
                return False
            if need == "C" and len(w) > 1 and w.replace("'S", "").isupper():
                return False
    return True


_OF_NAME = re.compile(r"\s+of\s+(?:the\s+)?[A-Z]")


def _accept(folded: str, start: int, end: int, forms, short: frozenset = frozenset()) -> tuple[int, str] | None:
    """(end, name) of the longest form at ``start`` whose capitals agree, trying the matched span first and
    then its shorter word prefixes; None when none does. A ``short`` form ("the Department") followed by
    "of <Name>" names another body ("the Department of Justice") and is refused."""
    span = folded[start:end]
    words = span.split()
    ends = None  # where each word ends: only needed when the whole span is refused (rare)
    for k in range(len(words), 0, -1):
        if k == len(words):
            stop = len(span.rstrip())
        else:
            ends = ends or [w.end() for w in _WORDS.finditer(span)]
            stop = ends[k - 1]
        key = _key_folded(span[:stop])
        got = forms.get(key)
        if got is not None and _caps_ok(words[:k], got[1]):
            if key in short and _OF_NAME.match(folded, start + stop):
                return None
            return start + stop, got[0]
    return None


def _dotted(word: str) -> str:
    """An all-capitals abbreviation with dots ("US" -> "U.S."); other words unchanged."""
    if re.fullmatch(r"[A-Z]{2,3}", word):
        return ".".join(word) + "."
    return word


# -------------------------------------------------------------------------------------------------
def _fold_table() -> dict[int, str]:
    """One character -> one character: accents dropped, apostrophes straight, hyphens and dashes spaces.
    Lengths never change, so offsets in the folded text are offsets in the original."""
    table = {}
    for cp in range(0xC0, 0x250):
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if len(base) == 1 and base != ch and base.isascii():
            table[cp] = base
    for ch in "’‘ʼ`´":
        table[ord(ch)] = "'"
    for ch in "-‐‑‒–—":
        table[ord(ch)] = " "
    for ch in "\u00a0\u2009\u202f":
        table[ord(ch)] = " "
    return table


_FOLD = _fold_table()
_LETTERS_TO_FOLD = re.compile("[" + "".join(sorted(chr(c) for c in _FOLD if c >= 0xC0 and chr(c).isalpha())) + "]")
_SIMPLE_FOLDS = [(chr(c), r) for c, r in _FOLD.items() if not chr(c).isalpha()]


def fold(text: str) -> str:
    """``text`` with accents dropped, apostrophes straight and hyphens/dashes as spaces, SAME LENGTH
    (so offsets carry over). Fast path: plain replaces, then the table applied to the accented letters only.

    Example:
        >>> fold("Díaz-Canel’s")
        "Diaz Canel's"
    """
    if not text.isascii():
        for a, b in _SIMPLE_FOLDS:
            if a in text:
                text = text.replace(a, b)
        # only accented letters are left to fold: a regex pass touches just them (str.translate with a
        # dict looks up every character in Python: 0.14 s for 2 MB, the regex 0.01 s)
        text = _LETTERS_TO_FOLD.sub(_fold_letter, text)
    return text.replace("-", " ")


def _fold_letter(m: re.Match) -> str:
    return _FOLD[ord(m.group())]


def _key(alias: str) -> str:
    """The alias as matched: folded, single-spaced, lower case, without dots ("U.S." = "US")."""
    return _key_folded(fold(alias))


def _key_folded(folded: str) -> str:
    return " ".join(folded.split()).lower().replace(".", "")


def _trie_regex(words: list[str]) -> str:
    """A regex matching any of ``words``, factored as a trie (fast), longest alternative first; a space
    matches any run of white space, a dot is optional."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        alts = [(r"\s+" if ch == " " else r"\.?" if ch == "." else re.escape(ch)) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if end:
            return ("(?:" + body + ")?") if len(alts) == 1 else body + "?"
        return body

    return build(trie)


def topic_regex(terms) -> re.Pattern:
    """Compile topic terms into one case-insensitive whole-word regex (plural ``s``/``es`` allowed).

    Example:
        >>> bool(topic_regex(["merger talk"]).search("Merger talks resumed"))
        True
    """
    if not terms:
        return re.compile(r"(?!x)x")  # no terms: matches nothing
    pats = []
    for t in sorted(set(terms), key=lambda t: -len(t)):
        words = [re.escape(w) for w in t.split()]
        pats.append(r"[\s\-]+".join(words) + "(?:e?s)?")
    return re.compile(r"\b(?:" + "|".join(pats) + r")\b", re.IGNORECASE)


def looks_like_person(name: str) -> bool:
    """Heuristic: "Ann Lee" is a person, "Cuban officials" / "State Department" / "Reuters" are not.

    Example:
        >>> looks_like_person("Carlos Fernández de Cossío"), looks_like_person("the spokesman")
        (True, False)
        >>> looks_like_person("The Daily Ledger")
        False
    """
    words = name.replace("’", "'").split()
    if len(words) < 2 or not words[0][:1].isupper() or not words[-1][:1].isupper() or words[0].lower() == "the":
        return False  # "The Brazier", "The Daily Ledger": a title, not a person
    if words[-1].lower().strip(",'") in _org_last_words():
        return False  # "Skyreach Airways", "Rovenna FC", "Eastmere Residents' Association": an organisation
    return not any(w.lower().strip(".,'") in GROUP_WORDS for w in words)


@lru_cache(maxsize=1)
def _org_last_words() -> frozenset[str]:
    """Last words that make a name an organisation's (``lexicon/organisations.txt``: the designators, and the
    institution nouns that are never surnames)."""
    from . import lexicon

    words = lexicon.groups("organisations")
    return frozenset(words["designators"]) | frozenset(words["institution last words"])


class _UniqueKeyLoader(yaml.SafeLoader):
    """yaml.SafeLoader that refuses a mapping with the same key twice (YAML's default: the last one wins)."""

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                continue
            if key in seen:
                raise StoryError(f"line {key_node.start_mark.line + 1}: the key {key!r} appears twice "
                                 f"(first on line {seen[key]}): keep one")
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


_STOP = frozenset("""a an the and or of to in on at for with by from as is are was were be been being has have had
do does did will would shall should can could may might must not no that this these those it its their his her our
there then than into over about after before between two three both each together held holding hold during while
since until against without within upon via also just him them its us me my your into onto stop""".split())


def default_topic_terms(text: str) -> list[str]:
    """Suggested topic words for a draft story (``story draft`` writes them as a comment): the
    proposition's lower-case content words. Loading never needs them: :mod:`helpers.proposition` derives
    the predicate, its inflections and synonyms from the proposition itself.

    Example:
        >>> default_topic_terms("The two ministers had dinner together in Paris.")
        ['ministers', 'dinner']
        >>> default_topic_terms("Apple and Samsung held merger talks.")
        ['merger', 'talks']
    """
    out = []
    for w in re.findall(r"[A-Za-z][A-Za-z'-]*", text):
        lw = w.lower()
        if w[0].isupper() or lw in _STOP or len(lw) < 3 or lw in out:
            continue
        out.append(lw)
    return out or [w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)][:3] or [text.strip()]


def load_story(path) -> Story:
    """Read and validate a story file (YAML). Raises :class:`StoryError` naming the file and the field.

    Example:
        >>> from helpers.paths import REAL_STORY
        >>> s = load_story(REAL_STORY)
        >>> s.name, s.proposition.text
        ('cuba-talks', 'The United States and Cuba are holding talks.')
        >>> load_story("no/such/story.yml")
        Traceback (most recent call last):
        ...
        helpers.errors.StoryError: story file not found: no/such/story.yml
    """
    p = Path(path)
    if not p.is_file():
        raise StoryError(f"story file not found: {path}")
    size = p.stat().st_size
    if size > MAX_STORY_BYTES:
        raise StoryError(f"{p}: {size:,} bytes, a story file is at most {MAX_STORY_BYTES:,} bytes "
                         f"(list names and roles, not every form: see docs/story-format.md)")
    try:
        raw = yaml.load(p.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506 (a SafeLoader)
    except StoryError as exc:
        raise StoryError(f"{p}: {exc}") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" (line {where.line + 1})" if where is not None else ""
        raise StoryError(f"{p}: not valid YAML{at}: {getattr(exc, 'problem', exc)}") from None
    except UnicodeDecodeError:
        raise StoryError(f"{p}: not UTF-8 text") from None
    if not isinstance(raw, dict):
        raise StoryError(f"{p}: expected a mapping with name, title, proposition, sides")
    try:
        story = Story.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = "missing (required)"
        elif err["type"] == "extra_forbidden":
            msg = "unknown field"
        if err["loc"]:
            msg = f"field {'.'.join(str(x) for x in err['loc'])}: {msg}"
        raise StoryError(f"{p}: {msg}") from None
    story._source = str(p)
    return story
