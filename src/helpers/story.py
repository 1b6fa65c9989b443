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
    """The claim tracked, as one plain sentence, and the words that put a sentence on its topic."""

    text: str = Field(min_length=1)
    topic_terms: list[str] = Field(min_length=1)

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
    _matcher: re.Pattern | None = PrivateAttr(default=None)
    _alias_owner: dict[str, str] = PrivateAttr(default_factory=dict)
    _side: dict[str, str | None] = PrivateAttr(default_factory=dict)
    _roles: dict[str, str] = PrivateAttr(default_factory=dict)
    _topic_re: re.Pattern | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _consistent(self) -> "Story":
        ids = [s.id for s in self.sides]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"field sides: duplicate side id {dup[0]!r}")
        owner: dict[str, str] = {}
        names: set[str] = set()
        for sp, where in self._everyone():
            if sp.name in names:
                raise ValueError(f"field {where}.name: the speaker name {sp.name!r} is used twice")
            names.add(sp.name)
            for a in sp.aliases:
                key = _fold(a)
                if key in owner and owner[key] != sp.name:
                    raise ValueError(f"field {where}.aliases: alias {a!r} is used by both "
                                     f"{owner[key]!r} and {sp.name!r}")
                owner[key] = sp.name
        return self

    def model_post_init(self, __context) -> None:
        for sp, _ in self._everyone():
            self._side[sp.name] = self._side_id(sp)
            self._roles[sp.name] = sp.role or ""
            for a in sp.aliases:
                self._alias_owner[_fold(a)] = sp.name

    def _everyone(self):
        for i, s in enumerate(self.sides):
            for j, sp in enumerate(s.speakers):
                yield sp, f"sides.{i}.speakers.{j}"
        for j, sp in enumerate(self.mixed_speakers):
            yield sp, f"mixed_speakers.{j}"

    def _side_id(self, sp) -> str | None:
        for s in self.sides:
            if any(x is sp for x in s.speakers):
                return s.id
        return None

    # ---------------------------------------------------------------- lookups
    def side_of(self, name: str) -> str | None:
        """Side id of canonical speaker ``name``; None for mixed or unknown speakers.

        Example:
            >>> from helpers.paths import REAL_STORY
            >>> load_story(REAL_STORY).side_of("Donald Trump")
            'us'
        """
        return self._side.get(name)

    @property
    def speaker_names(self) -> list[str]:
        """Every canonical speaker name (sides first, then mixed speakers).

        Example:
            >>> from helpers.paths import REAL_STORY
            >>> load_story(REAL_STORY).speaker_names[0]
            'Donald Trump'
        """
        return list(self._side)

    def knows(self, name: str) -> bool:
        """True when ``name`` is a canonical speaker of this story.

        Example:
            >>> from helpers.paths import REAL_STORY
            >>> load_story(REAL_STORY).knows("Marco Rubio")
            True
        """
        return name in self._side

    def role_of(self, name: str) -> str:
        """The speaker's role as the story file gives it ('' when none).

        Example:
            >>> from helpers.paths import REAL_STORY
            >>> load_story(REAL_STORY).role_of("Marco Rubio")
            'Secretary of State'
        """
        return self._roles.get(name, "")

    def is_person(self, name: str) -> bool:
        """Whether a canonical name looks like one person (for "he"/"she"): two or more words, first and
        last capitalised, none of them a group word (officials, government, department ...).

        Example:
            >>> from helpers.paths import REAL_STORY
            >>> s = load_story(REAL_STORY)
            >>> s.is_person("Donald Trump"), s.is_person("Cuban government"), s.is_person("State Department")
            (True, False, False)
        """
        return looks_like_person(name)

    # ---------------------------------------------------------------- matching
    @property
    def matcher(self) -> re.Pattern:
        """The compiled alias regex (built once per story object, longest alias first)."""
        if self._matcher is None:
            aliases = sorted({a for sp in self._all_speakers() for a in sp.aliases}, key=lambda a: (-len(a), a))
            self._matcher = re.compile("|".join(_alias_pattern(a) for a in aliases))
        return self._matcher

    @property
    def topic_regex(self) -> re.Pattern:
        """Compiled regex of the proposition's topic terms (case-insensitive, whole words, plural -s allowed).

        Example:
            >>> from helpers.paths import REAL_STORY
            >>> bool(load_story(REAL_STORY).topic_regex.search("no Negotiations at all"))
            True
        """
        if self._topic_re is None:
            self._topic_re = topic_regex(self.proposition.topic_terms)
        return self._topic_re

    def find_speakers(self, text: str) -> list[SpeakerMatch]:
        """Every alias occurrence in ``text``, left to right, longest alias winning overlaps.

        Example:
            >>> from helpers.paths import REAL_STORY
            >>> [m.name for m in load_story(REAL_STORY).find_speakers("Diaz-Canel and President Trump")]
            ['Miguel Díaz-Canel', 'Donald Trump']
        """
        out = []
        for m in self.matcher.finditer(text):
            name = self._alias_owner.get(_fold(m.group(0)))
            if name is None:  # matched through case/typography relaxation: find its owner by folding
                name = self._owner_loose(m.group(0))
            if name is not None:
                out.append(SpeakerMatch(m.start(), m.end(), m.group(0), name, self._side.get(name)))
        return out

    def _owner_loose(self, found: str) -> str | None:
        key = _fold(found)
        for a, name in self._alias_owner.items():
            if a.lower() == key.lower():
                return name
        return None

    def _all_speakers(self):
        return [sp for s in self.sides for sp in s.speakers] + list(self.mixed_speakers)


# -------------------------------------------------------------------------------------------------
def _fold(s: str) -> str:
    """Typography-insensitive key: accents stripped, apostrophes straight, hyphens and spaces one space."""
    s = unicodedata.normalize("NFD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.replace("’", "'").replace("‘", "'")
    return re.sub(r"[\s\-]+", " ", s).strip()


def _char_class(ch: str) -> str:
    if ch in "'’‘":
        return "['’‘]"
    if ch == "-" or ch.isspace():
        return r"[\s\-]+"
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    if base and base != ch:
        return f"[{re.escape(ch)}{re.escape(base)}]"
    if ch.isalpha() and ch.isascii():
        # the plain letter also matches its accented forms found in text (e -> é, è ...)
        variants = _ACCENTED.get(ch, "")
        return f"[{ch}{variants}]" if variants else ch
    return re.escape(ch)


_ACCENTED = {
    "a": "áàâäãå", "e": "éèêë", "i": "íìîï", "o": "óòôöõ", "u": "úùûü", "n": "ñ", "c": "ç",
    "A": "ÁÀÂÄÃÅ", "E": "ÉÈÊË", "I": "ÍÌÎÏ", "O": "ÓÒÔÖÕ", "U": "ÚÙÛÜ", "N": "Ñ", "C": "Ç",
}


def _alias_pattern(alias: str) -> str:
    alias = re.sub(r"\s+", " ", alias.strip())
    chars = [_char_class(c) for c in alias]
    # collapse consecutive separators produced by "- " etc.
    body = "".join(chars).replace(r"[\s\-]+[\s\-]+", r"[\s\-]+")
    first = alias[0]
    if first.islower():
        body = f"[{first}{first.upper()}]" + "".join(chars[1:])
    return rf"(?<!\w){body}(?!\w)"


def topic_regex(terms) -> re.Pattern:
    """Compile topic terms into one case-insensitive whole-word regex (plural ``s``/``es`` allowed).

    Example:
        >>> bool(topic_regex(["merger talk"]).search("Merger talks resumed"))
        True
    """
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
