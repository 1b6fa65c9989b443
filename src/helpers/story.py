"""The story file (YAML): the proposition to track, the sides, their speakers and how articles name them.

Everything story-specific (names, aliases, topic words) lives in the story file; nothing of it is
hard-coded in the package. ``load_story`` validates the file and raises :class:`StoryError` naming the
file and the field when something is wrong.

Alias matching (``Story.find_speakers``), decided once and documented here:

- An alias matches only as whole words, and the LONGEST alias wins where several overlap
  ("Cuban President Miguel Díaz-Canel" beats "Díaz-Canel"; "Cuba's president" beats "Cuba").
- Case: aliases are matched case-SENSITIVELY, because capitalised aliases are often common words in
  lower case ("Trump" / "trump card", "Havana" is safe but "Washington" as a person, "March" ...). The one
  relaxation: an alias written with a lower-case first letter ("the president") also matches with that
  letter capitalised ("The president", sentence-initial). Headlines in Title Case therefore need the
  alias as written (or the story lists the Title Case form).
- Typography is forgiven: straight and curly apostrophes match each other, accented letters match
  their plain forms ("Diaz" finds "Díaz" and the reverse), a hyphen matches a space, and any run of
  white space matches any other.

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
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from .errors import StoryError

__all__ = ["Story", "Speaker", "Side", "MixedSpeaker", "Proposition", "SpeakerMatch", "load_story"]

#: Words that make a canonical name a group rather than a person (used for pronoun resolution).
GROUP_WORDS = frozenset("""
officials official authorities government governments department ministry office house council leaders
leadership administration spokesman spokeswoman spokesperson agency committee commission party union
embassy police army military sources media press team club company board parliament congress senate
""".split())


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _aliases_ok(v: list[str]) -> list[str]:
    if not v:
        raise ValueError("must list at least one alias")
    for a in v:
        if not a or not a.strip():
            raise ValueError("an alias is empty")
    return v


class Speaker(_Model):
    """A speaker of one side: canonical ``name``, optional ``role``, and the ``aliases`` articles use."""

    name: str = Field(min_length=1)
    role: str | None = None
    aliases: list[str]

    _check_aliases = field_validator("aliases")(classmethod(lambda cls, v: _aliases_ok(v)))


class MixedSpeaker(_Model):
    """A speaker belonging to several sides at once (e.g. "Cuban and U.S. officials"): side null."""

    name: str = Field(min_length=1)
    role: str | None = None
    aliases: list[str]

    _check_aliases = field_validator("aliases")(classmethod(lambda cls, v: _aliases_ok(v)))


class Side(_Model):
    """One side of the story: ``id`` (short, unique), ``label`` and its ``speakers``."""

    id: str = Field(min_length=1)
    label: str = Field(min_length=1)
    speakers: list[Speaker] = Field(min_length=1)


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
        ...     "topic_terms": ["talk"]}, "sides": [{"id": "a", "label": "A", "speakers": [
        ...     {"name": "Ann Lee", "aliases": ["Ann Lee", "Lee", "the minister"]}]}]})
        >>> [(m.text, m.name, m.side) for m in s.find_speakers("The minister met Ann Lee.")]
        [('The minister', 'Ann Lee', 'a'), ('Ann Lee', 'Ann Lee', 'a')]
        >>> s.is_person("Ann Lee")
        True
    """

    name: str = Field(min_length=1)
    title: str = Field(min_length=1)
    fictional: bool = False
    proposition: Proposition
    sides: list[Side] = Field(min_length=1)
    mixed_speakers: list[MixedSpeaker] = Field(default_factory=list)

    _source: str = PrivateAttr(default="<story>")
    _ix: "StoryIndex | None" = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _consistent(self) -> "Story":
        ids = [s.id for s in self.sides]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"field sides: duplicate side id {dup[0]!r}")
        owner: dict[str, str] = {}
        names: set[str] = set()
        for sp, where in _everyone(self):
            if sp.name in names:
                raise ValueError(f"field {where}.name: the speaker name {sp.name!r} is used twice")
            names.add(sp.name)
            for a in sp.aliases:
                key = _key(a)
                if key in owner and owner[key] != sp.name:
                    raise ValueError(f"field {where}.aliases: alias {a!r} is used by both "
                                     f"{owner[key]!r} and {sp.name!r}")
                owner[key] = sp.name
        return self

    @property
    def index(self) -> "StoryIndex":
        """The story's lookup tables and compiled alias matcher (built once per story object).

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
        """Every alias occurrence in ``text``, left to right, longest alias winning overlaps.

        Example:
            >>> from helpers.paths import REAL_STORY
            >>> [m.name for m in load_story(REAL_STORY).find_speakers("Diaz-Canel and President Trump")]
            ['Miguel Díaz-Canel', 'Donald Trump']
        """
        return self.index.find_speakers(text)


def _everyone(story: Story):
    for i, s in enumerate(story.sides):
        for j, sp in enumerate(s.speakers):
            yield sp, f"sides.{i}.speakers.{j}"
    for j, sp in enumerate(story.mixed_speakers):
        yield sp, f"mixed_speakers.{j}"


class StoryIndex:
    """Plain lookup tables of a story: ``side``/``role``/``person`` per canonical name, the ``owner`` of
    each folded alias, the compiled alias ``matcher`` (a trie regex) and the ``topic`` regex.

    Example:
        >>> from helpers.paths import REAL_STORY
        >>> [m.name for m in load_story(REAL_STORY).index.find_speakers("Fernandez de Cossio said")]
        ['Carlos Fernández de Cossío']
    """

    def __init__(self, story: Story):
        self.side: dict[str, str | None] = {}
        self.role: dict[str, str] = {}
        self.owner: dict[str, str] = {}
        variants: set[str] = set()
        for s in story.sides:
            for sp in s.speakers:
                self.side[sp.name] = s.id
        for sp, _ in _everyone(story):
            self.side.setdefault(sp.name, None)
            self.role[sp.name] = sp.role or ""
            for a in sp.aliases:
                self.owner[_key(a)] = sp.name
                f = " ".join(fold(a).split())
                variants.add(f)
                if f[:1].islower():
                    variants.add(f[0].upper() + f[1:])
        # No (?<!\w) in front: a pattern opening with its first letters lets the regex engine skip ahead
        # fast; speaker_spans rejects starts inside a word by hand.
        self.matcher = re.compile(r"(?:" + _trie_regex(sorted(variants)) + r")(?!\w)")
        self.topic = topic_regex(story.proposition.topic_terms)
        self.person = {n: looks_like_person(n) for n in self.side}
        self.names = list(self.side)

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
        out = []
        pos = 0
        while (m := self.matcher.search(folded, pos)) is not None:
            start, end = m.span()
            if start and _WORD_CHAR.match(folded, start - 1):
                pos = start + 1  # inside a word: what (?<!\w) would reject; a match may still start later
                continue
            name = self.owner.get(" ".join(m.group(0).split()).lower())
            if name is not None:
                out.append((start, end, text[start:end], name, self.side.get(name)))
            pos = end
        return out


_WORD_CHAR = re.compile(r"\w")


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
    (so offsets carry over). Fast path: plain replaces, the translation table only for accented text.

    Example:
        >>> fold("Díaz-Canel’s")
        "Diaz Canel's"
    """
    if not text.isascii():
        for a, b in _SIMPLE_FOLDS:
            if a in text:
                text = text.replace(a, b)
        if _LETTERS_TO_FOLD.search(text):
            text = text.translate(_FOLD)
    return text.replace("-", " ")


def _key(alias: str) -> str:
    """The alias as matched: folded, single-spaced, lower case."""
    return " ".join(fold(alias).split()).lower()


def _trie_regex(words: list[str]) -> str:
    """A regex matching any of ``words``, factored as a trie (fast), longest alternative first; a space
    matches any run of white space."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        alts = [(r"\s+" if ch == " " else re.escape(ch)) + build(child) for ch, child in sorted(node.items()) if ch]
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
    """
    words = name.replace("’", "'").split()
    if len(words) < 2 or not words[0][:1].isupper() or not words[-1][:1].isupper():
        return False
    return not any(w.lower().strip(".,'") in GROUP_WORDS for w in words)


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
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
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
