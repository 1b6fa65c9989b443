"""Word lists as data: one text file per concept in this folder, compiled once.

Each ``<concept>.txt`` holds one phrase per line (``#`` starts a comment); a file may be split into
named groups by ``[group]`` lines. Verb lists (``INFLECTED``) hold lemmas: every inflection of a
phrase's first word is derived with ``lemminflect`` ("deny" -> deny, denies, denied, denying), so no
inflection is typed by hand. :func:`pattern` compiles a concept into one regex and :func:`gate` gives
the set of first words that regex needs: both come from the same data, so they cannot drift.

Nothing story-specific lives here: these are words about saying, denying and hedging.

Example:
    >>> "denied" in gate("denial_verbs")
    True
    >>> pattern("falsity").search("The report was a smear, he said.").group(0)
    'smear'
    >>> {"condition", "future"} <= set(groups("hedges"))
    True
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

__all__ = ["phrases", "groups", "pattern", "gate", "inflections", "noun_forms", "nouns", "derivations", "CONCEPTS"]

_DIR = Path(__file__).parent
#: Concepts whose phrases start with a verb lemma to inflect.
INFLECTED = frozenset({"denial_verbs", "reporting_verbs", "no_comment", "backing_verbs"})
CONCEPTS = tuple(sorted(p.stem for p in _DIR.glob("*.txt")))


@lru_cache(maxsize=None)
def groups(concept: str) -> dict[str, tuple[str, ...]]:
    """The phrases of one concept by group (a file without ``[group]`` lines is one group, ``all``).

    Example:
        >>> groups("hedges")["condition"][0]
        'if'
    """
    path = _DIR / f"{concept}.txt"
    if not path.is_file():
        raise KeyError(f"no word list {concept!r} (known: {', '.join(CONCEPTS)})")
    out: dict[str, list[str]] = {}
    group = "all"
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            group = line[1:-1].strip()
            continue
        out.setdefault(group, []).append(" ".join(line.lower().split()))
    return {g: tuple(v) for g, v in out.items()}


def phrases(concept: str) -> tuple[str, ...]:
    """Every phrase of a concept (inflected forms included for verb lists).

    Example:
        >>> {"rule out", "ruled out", "rules out"} <= set(phrases("denial_verbs"))
        True
    """
    return _phrases(concept)


@lru_cache(maxsize=None)
def _phrases(concept: str) -> tuple[str, ...]:
    out: list[str] = []
    for items in groups(concept).values():
        for p in items:
            if concept in INFLECTED:
                first, _, rest = p.partition(" ")
                for form in inflections(first):
                    out.append((form + " " + rest).strip())
            else:
                out.append(p)
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=4096)
def inflections(lemma: str) -> tuple[str, ...]:
    """The lemma and its inflected forms (verb and noun), from lemminflect; a word it does not know
    stays as it is.

    Example:
        >>> inflections("deny")
        ('deny', 'denied', 'denies', 'denying')
        >>> inflections("dinner")
        ('dinner', 'dinners')
    """
    from lemminflect import getAllInflections, getAllInflectionsOOV

    lemma = lemma.lower()
    forms = {lemma}
    found = getAllInflections(lemma)
    if not found and lemma.isalpha():
        found = {**getAllInflectionsOOV(lemma, upos="VERB"), **getAllInflectionsOOV(lemma, upos="NOUN")}
    for vals in found.values():
        forms.update(v.lower() for v in vals)
    return (lemma,) + tuple(sorted(forms - {lemma}))


def _phrase_regex(p: str) -> str:
    body = r"[\s-]+".join(re.escape(w) for w in p.split())
    if p.startswith("'") or p == "n't":
        return body  # a clitic: glued to the word before
    return r"\b" + body + (r"\b" if p[-1:].isalnum() else "")


@lru_cache(maxsize=None)
def pattern(concept: str, group: str | None = None) -> re.Pattern:
    """One case-insensitive regex for a concept (or one of its groups), longest phrases first.

    Example:
        >>> bool(pattern("no_comment").search("She declined to comment on the report."))
        True
    """
    items = _phrases(concept) if group is None else groups(concept)[group]
    alts = sorted(set(items), key=len, reverse=True)
    return re.compile(_alternation([_phrase_regex(p) for p in alts]), re.IGNORECASE)


def _alternation(regexes: list[str]) -> str:
    r"""``(?:r1|r2|...)`` for a case-insensitive pattern, written so that the regex engine tries few
    alternatives per position (under IGNORECASE it gets no first-character skip and would try every
    phrase at every character): consecutive alternatives opening with ``\b`` share it, and those among
    them opening with the same ASCII letter share a case-sensitive first-character test that the engine
    checks before entering them (:func:`_letter_test`: "n", "N" or any non-ASCII character, which
    ``(?<=n)`` then tests as IGNORECASE does: the Kelvin sign U+212A is a "k"). Alternatives opening
    with different letters never match at the same place, so the first one in the given order that
    matches is still the one found.

    Example:
        >>> p = re.compile(_alternation([r"\bnot\s+true", r"\bfalse", r"\bno", r"n't"]), re.IGNORECASE)
        >>> [m.group(0) for m in p.finditer("No, that is NOT TRUE and isn't false")]
        ['No', 'NOT TRUE', "n't", 'false']
    """
    parts: list[str] = []
    run: list[str] = []
    for r in regexes + [""]:  # "" ends the last run
        if r.startswith(r"\b"):
            run.append(r[2:])
            continue
        if run:
            parts.append(r"\b(?:" + _by_first_letter(run) + ")")
            run = []
        if r:
            parts.append(r)
    return "(?:" + "|".join(parts) + ")"


def _by_first_letter(regexes: list[str]) -> str:
    """``r1|r2|...`` grouped by first letter behind a case-sensitive test of it (see :func:`_alternation`);
    as it is when one does not open with an ASCII letter."""
    if not all(r[:1].isascii() and r[:1].isalpha() for r in regexes):
        return "|".join(regexes)
    by_letter: dict[str, list[str]] = {}
    for r in regexes:
        by_letter.setdefault(r[0].lower(), []).append(r[1:])
    return "|".join(_letter_test(k) + f"(?<={k})(?:" + "|".join(rest) + ")" for k, rest in by_letter.items())


def _letter_test(letter: str) -> str:
    r"""A case-sensitive class of ``letter`` in both cases and every non-ASCII character, written as the
    other ASCII characters negated (a range up to U+10FFFF costs the regex compiler a loop over 64k
    code points).

    Example:
        >>> _letter_test("b")
        '(?-i:[^\\x00-\\x41\\x43-\\x61\\x63-\\x7f])'
    """
    keep = sorted({ord(letter.lower()), ord(letter.upper())})
    bounds = [-1, *keep, 0x80]
    runs = [(a + 1, b - 1) for a, b in zip(bounds, bounds[1:]) if b - a > 1]
    return "(?-i:[^" + "".join(f"\\x{a:02x}-\\x{b:02x}" for a, b in runs) + "])"


@lru_cache(maxsize=None)
def gate(concept: str) -> frozenset[str]:
    """The first words of a concept's phrases: when a text holds none of them, :func:`pattern` cannot
    match (a set lookup instead of a regex scan). Clitics ("n't", "'ll") are kept as written.

    Example:
        >>> {"no", "nothing"} <= gate("falsity")
        True
    """
    return frozenset(p.split()[0].strip("'").split("-")[0] for p in _phrases(concept))


@lru_cache(maxsize=None)
def noun_forms(concept: str, group: str | None = None) -> frozenset[str]:
    """A noun list's words (or one group's) and their plurals (lemminflect), never verb forms.

    Example:
        >>> {"story", "stories"} <= noun_forms("report_nouns") and "reported" not in noun_forms("report_nouns")
        True
    """
    from lemminflect import getInflection

    words = set()
    for w in (_phrases(concept) if group is None else groups(concept)[group]):
        words.add(w)
        words.update(f.lower() for f in (getInflection(w, tag="NNS") or ()))
    return frozenset(words)


@lru_cache(maxsize=None)
def nouns(concept: str, group: str | None = None) -> str:
    """:func:`noun_forms` as a regex alternation (no groups, no anchors), longest first, for building
    patterns around them ("reports? that ...").

    Example:
        >>> import re
        >>> bool(re.fullmatch(nouns("report_nouns", "asserting"), "claims"))
        True
    """
    return "|".join(re.escape(w) for w in sorted(noun_forms(concept, group), key=len, reverse=True))


#: Regular nominalising suffixes, tried on a verb lemma: (the verb's ending, what replaces it). An
#: ending "" keeps the whole verb ("agree" -> "agreement"); "e" drops a final e ("approve" -> "approval").
_SUFFIXES = (("", "ment"), ("e", "al"), ("", "al"), ("y", "ial"), ("ate", "ation"), ("ct", "ction"),
             ("pt", "ption"), ("ize", "ization"), ("ise", "isation"), ("ify", "ification"), ("", "ation"),
             ("e", "ation"), ("e", "ure"), ("", "ure"), ("", "ance"), ("e", "ance"), ("", "ence"), ("e", "ence"))


@lru_cache(maxsize=None)
def _derivation_table() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """(verb -> nouns, noun -> verbs) from the [pairs] of ``derivations.txt``."""
    nouns_of: dict[str, list[str]] = {}
    verbs_of: dict[str, list[str]] = {}
    for line in groups("derivations").get("pairs", ()):
        verb, _, rest = line.partition(":")
        for noun in (w.strip() for w in rest.split(",")):
            if noun and noun != verb.strip():
                nouns_of.setdefault(verb.strip(), []).append(noun)
                verbs_of.setdefault(noun, []).append(verb.strip())
    return ({k: tuple(v) for k, v in nouns_of.items()}, {k: tuple(v) for k, v in verbs_of.items()})


@lru_cache(maxsize=4096)
def _suffixed(verb: str) -> tuple[str, ...]:
    """The verb's regular nominalisations (:data:`_SUFFIXES`) that lemminflect knows as nouns, less the
    words listed as [not derivations]; verbs of four letters or more only ("die" -> "dial" is no pair)."""
    from lemminflect import getAllLemmas

    if len(verb) < 4 or not verb.isalpha() or "VERB" not in getAllLemmas(verb):
        return ()
    out = []
    for end, suffix in _SUFFIXES:
        if verb.endswith(end) and (end or not verb.endswith("e") or suffix == "ment"):
            cand = verb[:len(verb) - len(end)] + suffix
            if cand != verb and getAllLemmas(cand).get("NOUN", ("",))[0] == cand:
                out.append(cand)
    stop = set(groups("derivations").get("not derivations", ()))
    return tuple(w for w in dict.fromkeys(out) if w not in stop)


@lru_cache(maxsize=4096)
def derivations(lemma: str) -> tuple[str, ...]:
    """The nouns that name a verb's event, or the verbs of an event noun: ``derivations.txt`` both
    ways, plus regular suffixes (:func:`_suffixed`) checked with lemminflect. Lemmas only.

    Example:
        >>> derivations("sell"), derivations("sale"), derivations("approve"), derivations("agree")
        (('sale',), ('sell',), ('approval',), ('agreement',))
        >>> derivations("sign")  # "signal" is listed as no derivation
        ('signing',)
    """
    lemma = " ".join(lemma.lower().split())
    nouns_of, verbs_of = _derivation_table()
    out = list(nouns_of.get(lemma, ())) + list(verbs_of.get(lemma, ()))
    out += [w for w in _suffixed(lemma) if w not in out]
    return tuple(dict.fromkeys(out))
