"""Stance judges: does a text assert the story's proposition (``claim``), deny it (``denial``), or
neither (``other``)? One small protocol, a registry, and the judges registered by name.

A judge is any object with ``name`` and ``judge(text, proposition, context) -> Judgement``. The
:class:`Judgement` carries the label, the cue (words and span) and the ``rule`` that decided, so
every row of the ``mentions`` table can say why. :func:`get` returns a judge by name; ``cues`` is
the default (chosen by measurement: ``python -m helpers evaluate`` prints every registered judge's
figures on the FNC-1 set); ``legacy`` is the first version's talk-specific rules, kept for comparison.

The ``cues`` judge, in the order its rules are tried (word lists in ``helpers/lexicon/``):

1. ``question``: a question is ``other``.
2. ``no comment``: "declined to comment", "would not confirm", "neither confirm nor deny" is ``other``
   unless a denial cue follows it.
3. ``denial verb``: deny, dismiss, reject, refute, rule out, knock down, hit back at ... about the
   proposition (the text, or its context when the text points back: "denied it", "rejected the
   report") is a ``denial``; negated ("did not deny") or hypothetical ("would reject") it is ``other``;
   whose object is itself a negation ("rejected claims that there was no dinner") it is a ``claim``;
   a verb that is the proposition's own predicate ("turned down" for a proposition about turning
   down) is content, not a denial.
   ``denial noun``: in a statement a speech frame attributes, a denial verb's noun (its derivation:
   denial, rejection, refutation ...) as the act itself ("X issued a flat denial") is a ``denial``.
4. ``falsity``: false, untrue, baseless, a smear, made up, nothing of the sort ... is a ``denial``,
   unless negated ("not false") or hypothetical.
5. ``downplay``: the proposition shrunk ("only technical contacts", "not substantive") is a ``denial``;
   ``negated existence``: "did not exist", "there was no ..." with the proposition's words, too;
   ``negated predicate``: the proposition's event negated ("no dinner ever took place", "never
   visited", "did not have dinner", "isn't dead") is a ``denial``.
   Rules 3-5 skip a denial of another proposition: "Claims that the envoy was briefed before the
   dinner are untrue" denies a clause whose subject is none of the participants and whose verb is not
   the proposition's.
6. ``off topic``: a text that does not mention the proposition (see
   :attr:`helpers.proposition.Relevance.on_topic`; with a context on topic, its head word is enough)
   is ``other``.
7. ``hedge:<group>``: a condition, willingness, plan or possibility before the proposition's words
   ("could meet", "is willing to talk", "plans to launch") is ``other`` (a plan or "will" is no hedge
   when the proposition itself is about the future: "Acme will launch a phone"); ``negated clause``: a verb
   negated just before them in the same clause ("did not tear up the contract") is a ``denial``; any
   other negation near them (``negation``) is ``other``.
8. ``assertion``: otherwise the proposition, asserted, is a ``claim``; the cue is the reporting verb
   or evidential ("said", "reported", "according to", "accused") when there is one (rule
   ``assertion``), else the proposition's own words (rule ``narration``: the text asserts it itself).

Example:
    >>> from helpers.proposition import parse
    >>> p = parse("The two ministers had dinner together on Thursday.")
    >>> j = get("cues")
    >>> j.judge("The Daily Ledger reported that the two ministers had dinner on Thursday.", p).label
    'claim'
    >>> j.judge("No dinner ever took place, the ministry said.", p)[:2]
    ('denial', 'No dinner')
    >>> j.judge('"That is made up from start to finish," the spokeswoman said.', p, Context(on_topic=True)).rule
    'falsity'
    >>> j.judge("Neither office would confirm the dinner.", p).label
    'other'
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, Protocol

from . import lexicon
from .proposition import Proposition, Relevance

__all__ = ["Judgement", "Context", "StanceJudge", "register", "get", "names", "DEFAULT"]


class Judgement(NamedTuple):
    """A stance with its evidence: ``label``, the ``cue`` words, their span in the text, the ``rule``."""

    label: str
    cue: str
    start: int
    end: int
    rule: str


@dataclass(frozen=True)
class Context:
    """What surrounds the judged text. ``on_topic``: the sentence before, the paragraph or the
    headline is about the proposition (so "That is a lie" can point back to it); ``headline``: the
    text is a headline."""

    on_topic: bool = False
    headline: bool = False
    attributed: bool = False  # the text is what a speech frame attributes ("X said ...", "according to X")


class StanceJudge(Protocol):
    """The protocol every judge implements."""

    name: str

    def judge(self, text: str, proposition: Proposition, context: Context = Context()) -> Judgement: ...


_REGISTRY: dict[str, StanceJudge] = {}
#: The judge used when none is named (chosen by the FNC-1 and gold figures of ``helpers evaluate``).
DEFAULT = "cues"


def register(judge: StanceJudge) -> StanceJudge:
    """Add a judge to the registry (a new method is one class plus this one call).

    Example:
        >>> class Never:
        ...     name = "never"
        ...     def judge(self, text, proposition, context=Context()):
        ...         return Judgement("other", "", 0, 0, "never")
        >>> _ = register(Never()); get("never").judge("x", None).rule
        'never'
        >>> _ = _REGISTRY.pop("never")
    """
    _REGISTRY[judge.name] = judge
    return judge


def get(name: str | None = None) -> StanceJudge:
    """The registered judge called ``name`` (the default when None); a clear error otherwise.

    Example:
        >>> get().name
        'cues'
    """
    name = name or DEFAULT
    if name not in _REGISTRY:
        raise KeyError(f"no stance judge {name!r}; registered: {', '.join(names())}")
    return _REGISTRY[name]


def names() -> list[str]:
    """Names of the registered judges.

    Example:
        >>> "cues" in names() and "legacy" in names()
        True
    """
    return sorted(_REGISTRY)


# ------------------------------------------------------------------------------------------ cue judge
_OTHER = Judgement("other", "", 0, 0, "")
_WORDS = re.compile(r"[a-z]+(?:['’][a-z]+)?")
_NEG_BEFORE = re.compile(
    r"(?:\b(?:not|never|no\s+longer|hardly|refused\s+to|refuses\s+to|declined\s+to|declines\s+to|failed\s+to|"
    r"stopped\s+short\s+of|without|neither|nor)|n['’]t)\s+(?:\w+\s+)?$", re.I)
_MODAL_BEFORE = re.compile(
    r"\b(?:would|could|might|may|can|will|shall|should|must|to|if)\s+(?:\w+ly\s+)?(?:be\s+)?$", re.I)
_TO_OK = re.compile(r"\b(?:quick|quickly|rushed|moved|hastened|swift|went\s+on|continued|continues|continue|"
                    r"was\s+quick|were\s+quick)\s+to\s+(?:\w+ly\s+)?$", re.I)
_DET_BEFORE = re.compile(r"\b(?:the|a|an|its|his|her|their|this|that)\s+$", re.I)
_CLAUSE_END = re.compile(r"[;:]|,\s+(?:but|while|and|saying|adding)\b|\s[–—]\s|\bbut\b", re.I)
_THAT_CLAUSE = re.compile(r"\b(?:" + lexicon.nouns("report_nouns", "asserting") + r")(?:\s+[\w’'-]+){0,5}?\s+that\s+", re.I)
#: "a separate rumour", "another report": the statement denied is explicitly not the story's.
_OTHER_REPORT = re.compile(r"\b(?:separate|another|other|different|unrelated|earlier|older)\s+(?:\w+\s+)?(?:"
                           + lexicon.nouns("report_nouns", "asserting") + r")\b", re.I)
_NEGATION = re.compile(r"\b(?:no|not|never|nobody|none|nothing)\b|n['’]t\b", re.I)
#: Headlines that ask or explain rather than state ("What we know about ...", "Explainer: ...").
_HEADLINE_NOT_A_STATEMENT = re.compile(r"\s*(?:(?:what|why|how|who|when|where|which|is|are|was|were|did|does|do|can|"
                                       r"could|should|will|would)\s|(?:explainer|factbox|fact\s+check|q\s*&\s*a|"
                                       r"timeline|live)\s*:)", re.I)
_QUOTED_QUESTION = re.compile(r"\?\s*[\"”’']")
_VERB_NEGATION = re.compile(r"\b(?:not|never)\b|n['’]t\b", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:(]|\b(?:but|and|which|who|that|whether|if|because|since|although|while|so)\b", re.I)
_POINTER = re.compile(r"\b(?:it|this|these|those|such|them|that(?=\s*[,.;:!?”\"]|\s*$))\b|"
                      r"(?:^|[“\"‘(]\s*)that\s+(?:is|was|'s|’s|story|report|claim|account)\b", re.I)
_MONTH_BEFORE = re.compile(r"\b(?:in|of|since|until|by|from|early|late|mid|last|next|this|on)[\s-]+$", re.I)
_MONTH_AFTER = re.compile(r"\s+\d")
_SENTENCE_BREAK = re.compile(r"[.;!?]\s")
_POST_BREAK = re.compile(r"[;:]|\b(?:but|and|while|although|though|whereas)\b", re.I)


def _hypothetical(text: str, start: int) -> bool:
    """A modal or infinitive right before the cue ("would reject"), or the cue inside a conditional
    clause ("When a chief executive says he is not in talks, ...", "Whether or not the dinner happened")."""
    before = text[max(0, start - 30):start]
    if _MODAL_BEFORE.search(before) is not None and _TO_OK.search(before) is None:
        return True
    if _HABITUAL.search(text, max(0, start - 40), start) is not None:
        return True  # "stars often deny weddings", "clubs routinely deny deals": a habit, not a statement
    return _COND_CLAUSE.search(text, max(0, start - 120), start) is not None


#: "weeks after denying", "a day after it dismissed", "before the club rejected", "since Ann denied":
#: the denial verb opens a time clause (rule ``time clause``).
_TIME_CLAUSE_BEFORE = re.compile(
    r"\b(?:after|before|since|until|following)\s+(?:(?:it|he|she|they|we|the\s+[\w’'-]+(?:\s+[\w’'-]+)?|"
    r"[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})\s+(?:had\s+|has\s+|have\s+|first\s+|publicly\s+|repeatedly\s+)*)?$")


def _in_time_clause(text: str, start: int) -> bool:
    """Rule ``time clause``: a denial verb that opens a clause of time ("..., weeks after denying the plan",
    "a day after it dismissed the reports") names an earlier denial as a point in time; the sentence's
    own stance is its main clause's. (A subject-less "after denying" heading the sentence, "After
    denying it for weeks, the club confirmed the deal", is the same.)"""
    return _TIME_CLAUSE_BEFORE.search(text, max(0, start - 60), start) is not None


_HABITUAL = re.compile(r"\b(?:often|routinely|sometimes|usually|typically|frequently|generally|rarely|commonly|"
                       r"always|habitually|tend\s+to|tends\s+to)\s+(?:\w+\s+){0,2}$", re.I)


_COND_CLAUSE = re.compile(r"(?:^|[,;:“\"(.!?]\s*)(?:if|when|whenever|whether|unless|even\s+if)\b[^,;:”\".!?]*$", re.I)


def _negated(text: str, start: int) -> bool:
    """"did not deny", "never denied", "Nothing in the statement contradicts": a negation governs the cue."""
    return _NEG_BEFORE.search(text[max(0, start - 30):start]) is not None or \
        _NEG_SUBJECT.search(text[max(0, start - 80):start]) is not None


_NEG_SUBJECT = re.compile(r"(?:^|[,;:“\"(]\s*)(?:nothing|nobody|no\s+one|none)\b[^,;:]{0,70}$", re.I)


def _clause_after(text: str, end: int) -> str:
    rest = text[end:]
    m = _CLAUSE_END.search(rest)
    rest = rest[:m.start()] if m else rest
    sb = _OBJECT_END.search(rest)  # a clause never runs past its sentence ("... as 'speculation'. X has no plans")
    return rest[:sb.start()] if sb else rest


_OBJECT_END = re.compile(r"[.!?][\"”’']*\s+(?=[A-Z“\"])")


def _other_proposition(text: str, prop: Proposition, start: int, end: int) -> bool:
    """Does the denial cue at [start, end) deny a DIFFERENT proposition, spelled out in a "claims that
    ..." clause whose subject is none of the participants and which lacks the proposition's event
    (or has it only after a preposition: "briefed before the dinner")?"""
    om = _OTHER_REPORT.search(text)
    if om is not None and abs(om.start() - end) < 40:
        return True
    for m in _THAT_CLAUSE.finditer(text):
        clause = text[m.end():start] if m.end() <= start else _clause_after(text, m.end())
        if not clause.strip():
            continue
        rel = prop.relevance(clause)
        if rel.participants:
            return False
        if rel.head and rel.span is not None:
            before = [w for w in clause[:rel.span[0]].lower().split() if w not in ("the", "a", "an", "this", "that")]
            if before and before[-1] in _PREPOSITIONS:
                return True  # "... briefed before the dinner": the event is only a time or place
            return False
        return True
    return False


_PREPOSITIONS = frozenset("before after during at since until about over ahead following amid of for".split())


class CueJudge:
    """The default judge: word lists (lexicon) + the proposition model + context. See the module doc."""

    name = "cues"

    def judge(self, text: str, proposition: Proposition, context: Context = Context()) -> Judgement:
        return _cue_judge(text or "", proposition, context)


@lru_cache(maxsize=16384)
def _cue_judge(text: str, prop: Proposition, ctx: Context) -> Judgement:
    stripped = text.rstrip(" \t\n\"”’'.)")
    qm = _QUOTED_QUESTION.search(text)
    if stripped.endswith("?") or qm:
        i = stripped.rfind("?") if stripped.endswith("?") else qm.start()
        return Judgement("other", "?", i, i + 1, "question")
    if ctx.headline and _HEADLINE_NOT_A_STATEMENT.match(text):
        return Judgement("other", text.split()[0], 0, len(text.split()[0]), "question")
    low = text.lower()
    words = set(_WORDS.findall(low))
    rel: Relevance = prop.relevance(text)
    about = rel.on_topic or (ctx.on_topic and (rel.weak or _POINTER.search(text) is not None
                                               or not words.isdisjoint(_REPORT_NOUNS)))
    about = about or (ctx.on_topic and len(words) <= 8)
    # a headline is short: naming a participant or a predicate word is enough to be about the proposition
    about = about or ctx.headline and bool(rel.participants or rel.any)

    denial_from = 0
    if not words.isdisjoint(lexicon.gate("no_comment")):
        nc = lexicon.pattern("no_comment").search(text)
        if nc is not None:
            denial_from = nc.end()
    # 3. denial verbs
    neutral = None
    if not words.isdisjoint(lexicon.gate("denial_verbs")):
        for m in lexicon.pattern("denial_verbs").finditer(text, denial_from):
            w = m.group(0).lower()
            if w in prop.verbs or w.split()[0] in prop.verbs:
                continue  # the proposition's own predicate ("turned down", "rejected")
            if _DET_BEFORE.search(text[max(0, m.start() - 8):m.start()]) or w in ("dispute", "disputes") and \
                    not _verb_dispute(text, m.start()):
                continue  # "the disputed claims", "a dispute": not a statement
            if _negated(text, m.start()):
                neutral = neutral or Judgement("other", m.group(0), m.start(), m.end(), "negated denial")
                continue
            if _in_time_clause(text, m.start()):
                continue  # "Skyreach to cut jobs, weeks after denying the plan": a past denial, not this stance
            if _hypothetical(text, m.start()):
                neutral = neutral or Judgement("other", m.group(0), m.start(), m.end(), "hypothetical denial")
                continue
            obj = _clause_after(text, m.end())
            if not _targets_statement(text, m, obj, prop, ctx, about):
                continue
            inner = prop.negated(obj) or (_NEGATION.search(obj) if _THAT_CLAUSE.search(obj) else None)
            if inner is not None and (about or prop.relevance(obj).weak):
                return Judgement("claim", text[m.start():m.end() + inner.end()], m.start(), m.end() + inner.end(),
                                 "double negative")
            if not (about or rel.any and prop.relevance(obj).any):
                continue
            if _other_proposition(text, prop, m.start(), m.end()):
                return Judgement("other", m.group(0), m.start(), m.end(), "denies another proposition")
            return Judgement("denial", m.group(0), m.start(), m.end(), "denial verb")
    # 3b. a denial named by its noun, as the speech act of a statement ("X issued a flat denial")
    dn = _denial_noun(text, prop, ctx, about)
    if dn is not None:
        return dn
    # rules 4 and 5 only ever decide for a text about the proposition or naming a predicate word
    topical = about or rel.any
    # 4. falsity
    if topical and not words.isdisjoint(lexicon.gate("falsity")):
        for m in lexicon.pattern("falsity").finditer(text, denial_from):
            always = m.group(0).lower() in _PRETEND  # "will not pretend that talks exist": still a falsity
            if not always and not m.group(0).lower().startswith(("not", "no", "nothing")) and _negated(text, m.start()):
                continue
            if m.group(0).lower() in ("lie", "lies", "lying") and _LIE_VERB.match(text, m.end()):
                continue  # "the answer lies in", "an area which lies on": the verb, not a falsehood
            if not always and _hypothetical(text, m.start()):
                continue
            if _other_proposition(text, prop, m.start(), m.end()):
                return Judgement("other", m.group(0), m.start(), m.end(), "denies another proposition")
            tail = _FALSE_THAT.match(text, m.end())
            if tail is not None:
                clause = _clause_after(text, tail.end())
                inner = prop.negated(clause) or _NEG_EXIST.search(clause)
                if inner is not None and not always:  # "it is not true that there are no talks"
                    e = tail.end() + inner.end()
                    return Judgement("claim", text[m.start():e], m.start(), e, "double negative")
            return Judgement("denial", m.group(0), m.start(), m.end(), "falsity")
    if neutral is not None:
        return neutral
    # 5. the proposition negated
    if topical:
        denial = _negated_proposition(text, prop, rel, ctx, about, denial_from)
        if denial is not None:
            return denial
    if denial_from:
        nc = lexicon.pattern("no_comment").search(text)
        return Judgement("other", nc.group(0), nc.start(), nc.end(), "no comment")
    # 6. off topic (a headline naming two participants, or one and a predicate word, is on topic)
    headline_on = ctx.headline and (len(rel.participants) >= 2 or rel.participants and rel.any)
    # 6b. a claim must name the proposition itself; context lends it only to a text naming a participant
    # or pointing back ("He said it happened in May"), never to other events ("leaks at other firms")
    lent = ctx.on_topic and rel.weak and (bool(rel.participants) or _POINTER.search(text) is not None)
    if not (rel.on_topic or lent or headline_on):
        ra = _reaffirmation(text)
        if ra is not None and (ctx.on_topic or ctx.headline):  # "Wirebeat stands by its report"
            return Judgement("claim", ra.group(0), ra.start(), ra.end(), "reaffirmation")
        return Judgement("other", "", 0, 0, "off topic")
    # 7. hedges before the proposition's words
    pspan = rel.span or (len(text), len(text))
    first_hedge = None
    reported = False
    for group in _HEDGE_GROUPS:
        if group == "future" and prop.tense == "future":
            continue  # "will launch" asserts a proposition about the future ("Acme will launch a phone")
        for h in lexicon.pattern("hedges", group).finditer(text, 0, min(len(text), pspan[1] + 40)):
            if h.group(0).lower() == "may" and (_MONTH_AFTER.match(text, h.end()) or
                                                _MONTH_BEFORE.search(text, max(0, h.start() - 12), h.start())):
                continue  # the month ("in May", "May 4"), not the modal
            if _reported_future(text, h, pspan, prop, ctx):
                reported = True
                continue  # "said the airline would cut jobs": "will" in reported speech, not a possibility
            if h.start() > pspan[1] and _POST_BREAK.search(text, pspan[1], h.start()):
                break  # "talks are ongoing and will continue": another clause
            if first_hedge is None or h.start() < first_hedge[0].start():
                first_hedge = (h, group)
            break
    if first_hedge is not None:
        h, group = first_hedge
        return Judgement("other", h.group(0), h.start(), h.end(), "hedge:" + group)
    nc_ = _negated_clause(text, rel, prop, reported)
    if nc_ is not None:
        return Judgement("denial", text[nc_[0]:nc_[1]], *nc_, "reported future negated" if reported else "negated clause")
    nb = _NEGATION.search(text, max(0, pspan[0] - 25), pspan[1] + 25)
    if nb is not None and not _SENTENCE_BREAK.search(text, min(nb.end(), pspan[1]), max(nb.start(), pspan[0])):
        return Judgement("other", nb.group(0), nb.start(), nb.end(), "negation")
    # 7b. the proposition only inside a report noun's phrase that a non-reporting verb acts on
    ro = _report_noun_object(text, prop)
    if ro is not None:
        return ro
    # 8. assertion
    cue = _reporting_cue(text)
    if cue is not None:
        return Judgement("claim", cue.group(0), cue.start(), cue.end(), "assertion")
    if not rel.weak and not ctx.attributed:
        return Judgement("other", "", 0, 0, "no event")  # narration without the proposition's event word
    return Judgement("claim", text[pspan[0]:pspan[1]], pspan[0], pspan[1], "narration")


def _negated_proposition(text: str, prop: Proposition, rel: Relevance, ctx: Context, about: bool,
                          denial_from: int) -> Judgement | None:
    """Rule 5 for a text about the proposition or naming a predicate word: its predicate negated, a verb
    negated before it, the proposition downplayed or its existence negated (a ``denial``), else None."""
    ng = prop.negated(text)
    if ng is not None and ng.start() >= denial_from and not _hypothetical(text, ng.start()) and \
            (about or rel.weak or ctx.on_topic and rel.any):
        if not _other_proposition(text, prop, ng.start(), ng.end()):
            return Judgement("denial", ng.group(0), ng.start(), ng.end(), "negated predicate")
    nc_ = _negated_clause(text, rel, prop)
    if nc_ is not None and nc_[0] >= denial_from and rel.weak and (about or ctx.on_topic):
        return Judgement("denial", text[nc_[0]:nc_[1]], *nc_, "negated clause")
    dp = _downplay(text)
    if dp is not None and not _hypothetical(text, dp.start()):
        return Judgement("denial", dp.group(0), dp.start(), dp.end(), "downplay")
    ne = _NEG_EXIST.search(text, denial_from)
    if ne is not None and (about or rel.weak or ctx.on_topic) and not _hypothetical(text, ne.start()):
        return Judgement("denial", ne.group(0), ne.start(), ne.end(), "negated existence")
    return None


@lru_cache(maxsize=1)
def _denial_nouns() -> re.Pattern:
    """The nouns of the denial verbs (``lexicon/derivations.txt``: deny ~ denial, reject ~ rejection)."""
    from lemminflect import getAllInflections

    nouns = {d for v in lexicon.groups("denial_verbs")["all"] if " " not in v for d in lexicon.derivations(v)
             if not getAllInflections(d, upos="VERB")} - set(lexicon.groups("derivations")["not denial nouns"])
    return re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, nouns), key=len, reverse=True)) + r")s?\b", re.I)


def _denial_noun(text: str, prop: Proposition, ctx: Context, about: bool) -> Judgement | None:
    """Rule ``denial noun``: in a statement a speech frame attributes ("issued a flat denial"), a denial
    verb's noun within its first five words, after a verb and a determiner ("Two claims, two denials:" is
    a headline's topic) and not the subject of a clause ("said the denial had done little"), in a text
    about the proposition or after context on it, is a ``denial``; negated before it ("did not issue a
    denial") it is ``other``. Never in unattributed narration ("Reyes's denial came a day later")."""
    if not ctx.attributed or not (about or ctx.on_topic):
        return None
    m = _denial_nouns().search(text, 0, 80)
    if m is None or len(text[:m.start()].split()) > 5 or m.group(0).lower() in prop.verbs:
        return None  # far from the speech act, or the proposition's own event ("the rejection of the offer")
    if not _ACT_BEFORE.fullmatch(text, 0, m.start()) or _SUBJECT_NOUN.match(text, m.end()):
        return None  # "said the denial had done little": the denial is what is talked about, not the act
    if _NEGATION.search(text, 0, m.start()) or _hypothetical(text, m.start()):
        return Judgement("other", m.group(0), m.start(), m.end(), "negated denial")
    if _other_proposition(text, prop, m.start(), m.end()):
        return Judgement("other", m.group(0), m.start(), m.end(), "denies another proposition")
    return Judgement("denial", m.group(0), m.start(), m.end(), "denial noun")


#: What comes before the noun of a denial act: a verb and a determiner ("issued a flat", "repeated her").
_ACT_BEFORE = re.compile(r"\s*[^\W\d][^,;:“”\"]*?\s(?:a|an|the|its|his|her|their|our|my)\s+(?:[\w-]+\s+)?", re.I)
_SUBJECT_NOUN = re.compile(r"\s+(?:\w+ly\s+)?(?:is|was|were|are|has|had|have|would|will|could|can|may|might|did|"
                          r"does|do|should|must|came|comes|[a-z]+ed)\b", re.I)


_REAFFIRM = re.compile(r"\b(?:(?:stands?|stood|standing|sticks?|stuck|sticking)\s+by|(?:repeat|reiterat|renew)\w*)\s+"
                       r"(?:(?:its|his|her|their|our|my|the|every|each|this|that|all)\s+)?(?:\w+\s+)?(?:report(?:ing|s)?|"
                       r"story|stories|word|words|account|claims?|article|findings|journalism|accusations?|allegations?|"
                       r"charges?|it)\b", re.I)


def _reaffirmation(text: str):
    """"stands by its report", "we stand by every word": a claim repeated by pointing back to it."""
    return _REAFFIRM.search(text)


@lru_cache(maxsize=1)
def _downplay_pattern() -> re.Pattern:
    g = lexicon.groups("downplay")

    def alt(ws):
        return "|".join(r"[\s-]+".join(map(re.escape, w.split())) for w in sorted(ws, key=len, reverse=True))
    return re.compile(r"\b(?:(?:" + alt(g["qualifier"]) + r")\s+(?:[\w-]+\s+){0,2}?(?:" + alt(g["kind"]) + r")|"
                      + alt(g["negated quality"]) + r")\b", re.I)


def _downplay(text: str):
    return _downplay_pattern().search(text)


_PRETEND = frozenset("pretend pretends pretended pretending".split())
_FALSE_THAT = re.compile(r"\s+that\s+", re.I)
_NEG_EXIST = re.compile(r"(?:\b(?:not|never)|n['’]t)\s+(?:\w+\s+)?(?:exist|exists|existed|happen|happened|occur|occurred|"
                        r"take\s+place|taken\s+place|took\s+place|taking\s+place|happening|occurring|existing)\b|\bthere\s+(?:is|are|was|were|has\s+been|have\s+been|"
                        r"had\s+been)\s+(?:nothing|none)\b", re.I)
_LIE_VERB = re.compile(r"\s+(?:in|on|at|with|ahead|behind|within|between|beneath|down|about|low|dormant|"
                       r"elsewhere|there|here|north|south|east|west)\b", re.I)
#: Denial verbs that are also physical ("shot down two planes", "slammed the door"): a denial only when
#: their object is a statement ("shot down the report") or points back to one.
_PHYSICAL = frozenset("shoot shot shoots shooting knock knocked knocks knocking slam slammed slams slamming scotch "
                      "scotched quash quashed push pushed hit hits hitting pour poured brush brushed shut shuts "
                      "shutting laugh laughed slap slapped swat swatted wave waved".split())
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|is|are|be|being)\s+(?:\w+ly\s+)?$", re.I)


def _targets_statement(text: str, m: re.Match, obj: str, prop: Proposition, ctx: Context, about: bool) -> bool:
    """Is what the denial verb at ``m`` acts on a statement about the proposition? Its object mentions
    the proposition or names / points to a statement ("the report", "it", "claims that ..."); in the
    passive ("the request was denied") its subject must."""
    first = m.group(0).lower().split()[0]
    if _PASSIVE_BEFORE.search(text[max(0, m.start() - 20):m.start()]):
        if first in _PHYSICAL:
            return False  # "the account was shut down": the thing itself, not a statement
        subj = text[:m.start()]
        r = prop.relevance(subj)
        return r.weak or bool(r.participants) or bool(_REPORT_WORD.search(subj[-60:])) and (about or ctx.on_topic)
    head = obj.strip()[:80]
    if prop.relevance(head).weak:
        return True
    points = _REPORT_WORD.search(head) is not None or _POINTER_START.match(head) is not None
    if first in _PHYSICAL:
        return points and (about or ctx.on_topic)
    return about or points and ctx.on_topic


_REPORT_WORD = re.compile(r"\b(?:" + lexicon.nouns("report_nouns") + r")\b", re.I)
_POINTER_START = re.compile(r"\s*(?:it|this|these|those|them|such|that(?=\s*[,.;:!?”\"]|\s*$)|"
                            r"the\s+(?:idea|notion|suggestion))\b", re.I)
_HEDGE_GROUPS = ("condition", "willingness", "threat", "demand", "agreement to act", "refusal", "future", "possibility")
_REPORT_NOUNS = lexicon.noun_forms("report_nouns")
_VERB_BEFORE = re.compile(r"(?:\b(?:not|never|did|does|do|would|could|will|to|may|might|can|cannot|also|they|he|she|"
                          r"we|it|who|\w+ly)|n['’]t|\b[A-Z][\w’'.-]+)\s+$")


_DISPUTE_OBJECT = re.compile(r"\s+(?:(?!(?:with|over|between|about|on|in|of|for|at)\b)[\w-]+\s+)?(?:the|a|an|that|this|these|those|his|her|its|their|any|all|such|claims?|reports?|"
                             r"allegations?|suggestions?|accounts?)\b", re.I)


def _negated_clause(text: str, rel: Relevance, prop: Proposition, reported: bool = False):
    """A verb negated at most 60 characters before the proposition's first word, in the same clause and
    not in a conditional one ("did not tear up the contract", "has not found a single sign of
    unauthorised access"): the span (start, end) from the negation to that word, or None. Not when that
    word is a noun derived from the predicate's verb: "did not oppose the sale" does not deny selling."""
    if rel.span is None:
        return None
    p0, p1 = rel.span
    if text[p0:p1].lower() in prop.nominals:
        return None
    lo = max(0, p0 - 60)
    nb = None
    for nb in _VERB_NEGATION.finditer(text, lo, p0):
        pass
    if nb is None or _CLAUSE_BREAK.search(text, nb.end(), p0):
        return None
    if _hypothetical(text, nb.start()) and not (reported and _WOULD_BEFORE.search(text, max(0, nb.start() - 12), nb.start())):
        return None  # "would not cut" stays a denial in reported speech about a future proposition
    return nb.start(), p1


_WOULD_BEFORE = re.compile(r"\bwould\s+$", re.I)


_NOUN_BEFORE = re.compile(r"\b(?:in|a|the|of|any|no)\s+$", re.I)


def _verb_dispute(text: str, start: int) -> bool:
    """"dispute(s)" is the verb when a statement follows as its object ("disputes the report"); never
    after "in" or an article ("in dispute with", "a dispute over")."""
    if _NOUN_BEFORE.search(text, max(0, start - 6), start):
        return False
    end = start + len("disputes" if text[start:start + 8].lower() == "disputes" else "dispute")
    return _DISPUTE_OBJECT.match(text, end) is not None


@lru_cache(maxsize=1)
def _reporting_pattern() -> re.Pattern:
    alts = sorted(set(lexicon.phrases("reporting_verbs")) | set(lexicon.phrases("evidentials")), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(r"[\s-]+".join(map(re.escape, a.split())) for a in alts) + r")\b", re.I)


_WILL = re.compile(r"\b(?:will|shall|going\s+to)\b|['’]ll\b", re.I)
_MODAL_GAP = re.compile(r"\s+(?:(?:not|never|also|still|now|soon|then|\w+ly)\s+)*(?:be\s+)?", re.I)


def _reported_future(text: str, h: re.Match, pspan, prop: Proposition, ctx: Context) -> bool:
    """Rule ``reported future``: "would" right before the proposition's words, in a that-clause of a
    speech verb ("The union said the airline would cut 1,500 jobs", "she insisted it would not"), is
    the backshifted "will" of reported speech. Only for a proposition about the future ("X will cut
    jobs"): there "would" asserts (or, negated, denies) the plan; otherwise it stays a possibility."""
    if prop.tense != "future" or h.group(0).lower() != "would" or h.end() > pspan[0] or not _WILL.search(prop.text):
        return False  # only a plain "will" proposition: "iOS 8.2 may launch Monday" is itself a possibility
    if not _MODAL_GAP.fullmatch(text, h.end(), pspan[0]):
        return False  # only a negation or adverbs between "would" and the event ("would not cut", "would soon cut")
    if _COND_CLAUSE.search(text, max(0, h.start() - 120), h.start()) is not None:
        return False  # "if the talks fail, the airline would cut jobs": a condition
    return ctx.attributed or _reporting_cue(text[:h.start()]) is not None


_RN_TOKEN = re.compile(r"[\w’'.-]+|[^\w\s]")
_RN_DETERMINERS = frozenset("the a an these those this that such its their his her our my any all some new fresh "
                            "latest recent earlier widespread persistent".split())
_RN_PARTICLES = frozenset("to into off aside away at on by with over".split())
_RN_NOT_VERB = frozenset("i you he she it we they who which is are was were be been being am has have had do does "
                         "did will would shall should can could may might must not no never and or but as than".split())
_RN_BEFORE_BARE = frozenset("to will would shall should can could may might must did does do not never".split())
_RN_POST = re.compile(r"\s+(?:of|about|over|regarding|concerning|surrounding|that)\b", re.I)
_RN_NOUNS = re.compile(r"\b(?:" + lexicon.nouns("report_nouns", "asserting") + r")\b", re.I)


@lru_cache(maxsize=1)
def _backing_verbs() -> frozenset[str]:
    """Phrases of the verbs after which a report noun's content stays asserted: the reporting verbs
    ("confirmed reports that", "repeated claims that") and the verbs that make or back a statement
    ("made claims that", "backed reports of")."""
    return frozenset(lexicon.phrases("reporting_verbs")) | frozenset(lexicon.phrases("backing_verbs"))


def _acts_on(tokens: list[str], i: int) -> bool:
    """Is token ``i`` a verb acting on what follows: a known verb inflected ("calls", "dismissed",
    "investigating") or bare after "to", a modal or "did"?"""
    from lemminflect import getAllLemmas

    w = tokens[i].lower()
    if w in _RN_NOT_VERB or not w.isalpha():
        return False
    lemmas = getAllLemmas(w, upos="VERB").get("VERB", ())
    if not lemmas:
        return False
    return w not in lemmas or i > 0 and tokens[i - 1].lower() in _RN_BEFORE_BARE


def _report_noun_object(text: str, prop: Proposition) -> Judgement | None:
    """Rule ``report noun object``: the proposition's event named only inside a noun phrase headed by a
    report noun ("contamination claims", "allegations that the water was contaminated", "rumours of a
    sale") that is the object of a verb neither of saying nor of making or backing a statement ("calls
    contamination claims 'irresponsible'", "is investigating allegations that ...", "responded to
    reports of talks") is talked about, not asserted: ``other``. A denial verb or a falsity word ("dismissed
    the reports", "called the claims false") has decided before; "said reports of a sale were accurate",
    "made claims that ..." stay assertions."""
    if _RN_NOUNS.search(text) is None:
        return None
    masked = text
    first = None
    for n in _RN_NOUNS.finditer(text):
        toks = [(m.group(0), m.start()) for m in _RN_TOKEN.finditer(text, max(0, n.start() - 100), n.start())]
        words = [t for t, _ in toks]
        i, mods, np_start, verb = len(toks) - 1, 0, n.start(), None
        while i >= 0 and mods <= 3:
            w = words[i].lower()
            if w in _RN_DETERMINERS:
                np_start = toks[i][1]
                i -= 1
                continue
            if _acts_on(words, i):
                verb = i
                break
            if w in _RN_PARTICLES and i > 0 and _acts_on(words, i - 1):
                verb = i - 1
                break
            if not w[:1].isalnum() or w in _RN_NOT_VERB or w in _RN_PARTICLES:
                break  # punctuation, a pronoun, a preposition: not the object of a verb
            np_start = toks[i][1]
            mods += 1
            i -= 1
        if verb is None:
            continue
        phrase = " ".join(w.lower() for w in words[verb:verb + 2])
        if words[verb].lower() in _backing_verbs() or phrase in _backing_verbs():
            continue
        np_end = n.end()
        post = _RN_POST.match(text, n.end())
        if post is not None:
            tail = _clause_after(text, post.end())
            comma = tail.find(",")  # "the accounts of three staff, said ...": the phrase ends at a comma
            np_end = post.end() + (comma if comma >= 0 else len(tail))
        masked = masked[:np_start] + " " * (np_end - np_start) + masked[np_end:]
        if first is None:
            first = (toks[verb][1], n.end())
    if first is None:
        return None
    rel = prop.relevance(masked)
    if rel.head or rel.on_topic:
        return None  # the proposition is also asserted outside the report noun's phrase
    return Judgement("other", text[first[0]:first[1]], first[0], first[1], "report noun object")


def _reporting_cue(text: str):
    return _reporting_pattern().search(text)


register(CueJudge())


class LegacyJudge:
    """The first version's rules (``helpers.stance`` before the proposition model): talk-specific
    predicates, topic words required in the text. Kept to compare against."""

    name = "legacy"

    def judge(self, text: str, proposition: Proposition, context: Context = Context()) -> Judgement:
        from . import stance

        r = stance._explain(text or "", proposition.text, proposition.terms or None, bool(context.on_topic and False))
        return Judgement(r.label, r.cue, r.cue_start, r.cue_end, "legacy")


register(LegacyJudge())
