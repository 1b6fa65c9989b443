"""Stance of one sentence: does it assert that something is happening (``claim``), deny it (``denial``),
or neither (``other``)? Story-independent rules, with the evidence that decided.

``explain(text, claim=None)`` returns a :class:`StanceResult` with the label and the cue (words and
character span). ``classify`` returns the label only. Given a ``claim`` (a sentence such as a story's
proposition, "A and B are holding talks"), the judgement is RELATIVE to it: a sentence must share the
claim's topic to be a claim or a denial, and a sentence that contradicts it without any denial verb
("No talks between A and B, officials say") is a denial.

The rules, in the order they are applied:

1. A question ("...?", "asked whether") is ``other``.
2. Topic: with a claim (or ``topic_terms``), a sentence without a topic word is ``other``
   (unless ``topic_known``: the caller knows the sentence refers back to an on-topic claim,
   e.g. "rejected his claim").
3. A denial verb (deny, dismiss, reject, refute, rebuff, rule out ...) is a ``denial``, unless it is
   negated ("did not deny", "no longer rejects", "refused to deny": ``other``) or hypothetical
   ("would reject", "plans to deny": ``other``). A denial verb whose object is itself a negation
   ("rejected claims that there were no talks", "dismissed the denial") is a double negative: ``claim``.
4. A contradiction without a denial verb is a ``denial``: negative existence ("there are no", "no such",
   "no talks", "no high-level negotiations", "nobody ... is negotiating"), a negated activity ("not taking
   place", "are not talking", "has not entered", "do not exist", "not substantive", "do not constitute"),
   the claim's own predicate negated ("a truce had not yet been agreed"), contacts that are "only /
   purely / limited to technical" ones, "will not pretend that ...", or falsity ("false", "misleading",
   "untrue", "baseless", "pure invention" ...). A negation under a modal ("there will be no ceasefire")
   is hypothetical and does not count. "It is not true that there are no talks" is a double negative:
   ``claim``.
5. Whichever comes FIRST of a hedge and a claim predicate decides. Hedges give ``other``: willingness
   ("is willing to", "open to", "ready to talk"), conditions ("if", "unless", "provided that", "only on
   the basis of", "can only"), threats ("or face", "before it is too late", "warned"), future and
   hypothetical ("will", "would", "could", "plans to"), no comment ("declined to comment", "whether").
   Claim predicates give ``claim``: "are talking", "is engaged in", "in talks", "underway", "ongoing",
   "taking place" after a form of *be*; "held talks", "have taken place", "there are serious
   negotiations", "the talks are moving / real", "met ... to discuss", "claimed / suggests / confirms +
   talks", "a deal is very close"; or the claim's own predicate repeated in text with no hedge at all
   ("agreed a ceasefire" for "have agreed a ceasefire"). A claim predicate under a modal or an
   infinitive ("could be underway", "to hold talks") or a negation does not count.
6. Otherwise ``other``.

Example:
    >>> explain("Cuba denied that talks were taking place.")
    StanceResult(label='denial', cue='denied', cue_start=5, cue_end=11, rule='')
    >>> classify("Officials say no negotiations are under way.", claim="A and B are holding negotiations.")
    'denial'
    >>> classify("He said the country is willing to talk if sanctions are lifted.")
    'other'
    >>> classify("She did not deny that the two firms were in talks.")
    'other'
    >>> classify("We are talking to them, and you will see results soon.")
    'claim'
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["StanceResult", "classify", "explain", "claim_topic_terms", "topic_pattern"]

I = re.IGNORECASE


@dataclass(frozen=True)
class StanceResult:
    """The label, the cue that decided it (words and span in the text; empty cue: nothing decided) and
    the rule that fired (see :mod:`helpers.judges`)."""

    label: str
    cue: str
    cue_start: int
    cue_end: int
    rule: str = ""


# ------------------------------------------------------------------------------------------------ lexicons
_Q = r"[\"“”‘’']?"  # an optional quotation mark between words ("no “conversations”")
_BE = r"(?:is|are|was|were|be|been|being|remain|remains|remained|(?<=\w)['’]re|(?<=\w)['’]s)"
_ADV = r"(?:\w+ly|now|already|still|also|actually|even|indeed|reportedly|all)"
_NEG = r"(?:not|n['’]t|never|no\s+longer|hardly)"
_TALK_NOUNS = r"(?:talks|negotiations|discussions|dialogue|conversations|contacts|consultations)"
_ACT = (r"(?:engaged|engaging|entered|held|hold|holding|talking|talked|negotiating|negotiated|speaking|"
        r"spoken|meeting|met|discussing|discussed|conducting|in\s+(?:\w+\s+)?(?:talks|negotiations|discussions|"
        r"contact|touch|dialogue)|constitute|constituted|amount\s+to|taking\s+place|take\s+place|took\s+place|"
        r"taken\s+place|happening|happened|occurring|occurred|underway|under\s+way|ongoing|going\s+on|exist|existed|"
        r"substantive|real|formal|serious|genuine)")

_DENIAL_VERB = re.compile(
    r"\b(?:den(?:y|ies|ied|ying|ial|ials)|dismiss(?:es|ed|ing)?|reject(?:s|ed|ing)?|refut(?:e|es|ed|ing)|"
    r"rebuff(?:s|ed|ing)?|disput(?:e|es|ed|ing)|contradict(?:s|ed|ing)?|debunk(?:s|ed|ing)?|"
    r"rul(?:e|es|ed|ing)\s+out|brush(?:es|ed|ing)?\s+(?:off|aside)|shoots?\s+down|shot\s+down|"
    r"pour(?:s|ed|ing)?\s+cold\s+water\s+on)\b", I)
_DENIAL_NOUN = re.compile(r"\bdeni(?:al|als)\b", I)
_NEG_BEFORE = re.compile(
    r"(?:\b(?:not|never|no\s+longer|hardly|refused\s+to|refuses\s+to|declined\s+to|declines\s+to|failed\s+to|"
    r"stopped\s+short\s+of|without)|n['’]t)\s+(?:\w+\s+)?$", I)
_MODAL_BEFORE = re.compile(
    r"\b(?:would|could|might|may|can|will|shall|should|must|to)\s+(?:" + _ADV + r"\s+)?(?:be\s+)?$", I)
_TO_OK = re.compile(r"\b(?:quick|quickly|rushed|moved|hastened|swift|went\s+on|continued|continues|continue)\s+to\s+"
                    r"(?:" + _ADV + r"\s+)?$", I)

_NEG_EXIST = [
    re.compile(r"\bno\s+such\b", I),
    re.compile(r"\bthere\s+(?:is|are|was|were|has\s+been|have\s+been|had\s+been)\s+(?:" + _ADV + r"\s+)?"
               + _Q + r"(?:no|not\s+any|nothing)\b", I),
    re.compile(r"\b" + _NEG + r"\s+" + _Q + r"(?:" + _ADV + r"\s+|yet\s+|any\s+)?(?:be\s+|been\s+|being\s+)?" + _Q
               + _ACT + r"\b", I),
    re.compile(r"\b(?:non-?existent|nothing\s+more|nothing\s+else)\b", I),
    re.compile(r"(?:\b(?:not|never)\s+(?:\w+\s+)?|n['’]t\s+)pretend\b", I),
    re.compile(r"\b(?:nobody|no\s+one|no-one|none)\b(?:\s+[\w-]+){0,4}?\s+(?:is|are|was|were|has|have|had)\s+(?:\w+\s+)?"
               + _ACT + r"\b", I),
    re.compile(r"\b(?:only|purely|strictly|merely|exclusively|limited\s+to|restricted\s+to|confined\s+to)\s+"
               r"(?:\w+\s+){0,2}?(?:technical|routine|consular|logistical|operational|working-level|low-level)\b", I),
    re.compile(r"\b(?:limited|restricted|confined)\s+to\s+(?:the\s+)?(?:[\w-]+\s+)?(?:channel|channels)\b", I),
    re.compile(r"\b(?:technical|routine|consular)\s+(?:\w+\s+)?only\b", I),
]
_FALSITY = re.compile(
    r"\b(?:false|falsely|misleading|untrue|not\s+" + _Q + r"true|not\s+accurate|not\s+correct|baseless|groundless|"
    r"unfounded|fabricated|fabrication|fake|inaccurate|incorrect|nonsense|fiction|fictitious|fantasy|invention|"
    r"invented|made[\s-]up|concocted|propaganda|"
    r"fairy[\s-]tale|myth|a\s+lie|no\s+truth|without\s+(?:any\s+)?(?:foundation|basis))\b", I)
_FALSE_THAT = re.compile(r"\b(?:not\s+true|untrue|false|not\s+the\s+case)\s+that\b", I)

_HEDGES = [
    ("willingness", re.compile(
        r"\b(?:willing|willingness|ready|readiness|prepared|open|openness|keen|eager|available)\s+(?:to|for)\b|"
        r"\bdoor\s+(?:is|was|remains|remained)\s+open\b", I)),
    ("condition", re.compile(
        r"\b(?:if|unless|provided(?:\s+that)?|providing|as\s+long\s+as|on\s+condition|as\s+soon\s+as|"
        r"only\s+(?:if|when|after|once|on|based|under|with)|can\s+only|could\s+only|would\s+only|will\s+only)\b", I)),
    ("threat", re.compile(
        r"\b(?:or\s+(?:else|face)|too\s+late|warn(?:s|ed|ing)?|threat(?:s|en|ens|ened|ening)?|ultimatum|"
        r"consequences)\b", I)),
    ("future", re.compile(
        r"\b(?:will|would|could|might|may|shall|(?<=\w)['’]ll|going\s+to|plans?\s+to|intends?\s+to|hopes?\s+to|"
        r"expects?\s+to|wants?\s+to|aims?\s+to|seeks?\s+to|possibl[ey]|potential(?:ly)?|perhaps|maybe|"
        r"hypothetical(?:ly)?)\b", I)),
    ("no comment", re.compile(
        r"\b(?:declined|declines|refused|refuses)\s+to\s+(?:comment|confirm|say)\b|\bno\s+comment\b|\bwhether\b", I)),
]

_CLAIM_FIXED = [
    re.compile(r"\b" + _BE + r"\s+(?:" + _ADV + r"\s+)?" + _Q
               + r"(?:talking|negotiating|speaking|meeting|discussing|holding|conducting|engaged\s+in|"
                 r"in\s+(?:[\w-]+\s+)?(?:talks|negotiations|discussions|contact|touch|dialogue)|underway|under\s+way|"
                 r"ongoing|taking\s+place|occurring|happening|progressing|advancing|continuing|going\s+on|"
                 r"in\s+progress|held)\b", I),
    re.compile(r"\b(?:hold|holds|held|holding|conduct|conducts|conducted|conducting|resume|resumes|resumed|"
               r"resuming|began|begun|started|launched|opened|entered\s+into)\s+(?:[\w-]+\s+){0,5}?"
               + _TALK_NOUNS + r"\b", I),
    re.compile(r"\b(?:ongoing|underway|under\s+way)\b", I),
    re.compile(r"\b(?:have|has|had|(?<=\w)['’]ve)\s+(?:" + _ADV + r"\s+)?(?:taken\s+place|occurred|happened|begun|started|"
               r"resumed)\b", I),
    re.compile(r"\b(?:deal|agreement|accord)\s+(?:[\w-]+\s+){0,4}?(?:is|was|are|were)\s+" + _Q
               + r"(?:very\s+|so\s+)?(?:close|near|imminent|within\s+reach)\b", I),
    re.compile(r"\bwithin\s+reach\b", I),
    re.compile(r"\bthere\s+(?:is|are|was|were|have\s+been|has\s+been|had\s+been)\s+(?:[\w-]+\s+){0,2}?" + _Q
               + _TALK_NOUNS + r"\b", I),
    re.compile(r"\b(?:met|meet|meets|meeting|sat\s+down)\s+(?:[\w-]+\s+){0,4}?to\s+(?:discuss|negotiate|talk|hammer\s+out)\b", I),
    re.compile(r"\b" + _TALK_NOUNS + r"\s+(?:(?:with|between)\s+[\w\s'’-]{1,40}?\s+)?(?:are|is|were|was|have\s+been|has\s+been)\s+"
               r"(?:" + _ADV + r"\s+)?(?:going|progressing|advancing|continuing|moving|constructive|productive|positive|real|"
               r"difficult|tough|intense|cordial|friendly|at\s+an?\s+[\w-]+\s+stage)\b", I),
]
_CLAIM_VERB = (r"(?:claim(?:s|ed|ing)?|suggest(?:s|ed|ing)?|confirm(?:s|ed|ing)?|announc(?:e|es|ed|ing)|"
               r"reveal(?:s|ed|ing)?|assert(?:s|ed|ing)?|insist(?:s|ed|ing)?|maintain(?:s|ed|ing)?|tout(?:s|ed|ing)?|"
               r"hail(?:s|ed|ing)?)")

_STOP = frozenset("""a an the and or but of to in on at for with by from as is are was were be been being am has have
had do does did will would can could may might shall should must not no this that these those it its their
his her they them he she we our you your i me my there here than then so such very also only just still
holding hold held said say says""".split())
_SYNONYMS = [
    {"talk", "negoti", "discuss", "dialogue", "conversation", "contact"},
    {"deal", "agreement", "accord", "pact"},
    {"merg", "acquisit", "takeover", "buyout"},
    {"ceasefire", "truce", "armistice"},
]
_SUFFIX = re.compile(r"(?:ations|ation|ments|ment|ings|ing|ers|er|ed|es|s)$")


# Words without which a family of rules cannot fire: one set lookup skips its regexes (speed).
_WORDS = re.compile(r"[a-z]+(?:['’][a-z]+)?")
_DV_WORDS = frozenset("""deny denies denied denying denial denials dismiss dismisses dismissed dismissing reject rejects
rejected rejecting refute refutes refuted refuting rebuff rebuffs rebuffed rebuffing dispute disputes disputed disputing
contradict contradicts contradicted contradicting debunk debunks debunked debunking rule rules ruled ruling brush brushes
brushed brushing shoot shoots shot pour pours poured pouring""".split())
_NE_WORDS = frozenset("""no not never nobody none only pretend purely strictly merely exclusively limited restricted confined
non nonexistent nothing technical routine consular hardly longer""".split())
_FALSE_WORDS = frozenset("""false falsely misleading untrue true accurate correct baseless groundless unfounded fabricated
fabrication fake inaccurate incorrect nonsense fiction fictitious fantasy invention invented made concocted propaganda
fairy myth lie truth foundation basis""".split())
_HEDGE_WORDS = {
    "willingness": frozenset("willing willingness ready readiness prepared open openness keen eager available door".split()),
    "condition": frozenset("if unless provided providing long condition soon only".split()),
    "threat": frozenset("or late warn warns warned warning threat threats threaten threatens threatened threatening "
                        "ultimatum consequences".split()),
    "future": None,  # modal verbs are everywhere: always checked
    "no comment": frozenset("declined declines refused refuses comment whether".split()),
}


def _has_negation(words: set, low: str) -> bool:
    return not words.isdisjoint(_NE_WORDS) or "n't" in low or "n’t" in low


# ------------------------------------------------------------------------------------------------ topic
def _stem(word: str) -> str:
    w = word.lower()
    s = _SUFFIX.sub("", w)
    return s if len(s) >= 4 else w


_PREDICATE = re.compile(r"\b(?:is|are|was|were|have|has|had|will|would|be|been)\b", I)


@lru_cache(maxsize=256)
def claim_topic_terms(claim: str) -> tuple[str, ...]:
    """The topic stems of a claim sentence: the lower-case content words of its PREDICATE (what follows
    its first auxiliary: "are [in merger talks]"; the whole sentence when there is none), stemmed, plus
    close synonyms of talk-like, deal-like, merger-like and ceasefire-like words. The subject (who) is
    not the topic, and capitalised words (names) and words under four letters are left out.

    Example:
        >>> claim_topic_terms("Acme and Globex are in merger talks.")
        ('acquisit', 'buyout', 'contact', 'conversation', 'dialogue', 'discuss', 'merg', 'negoti', 'takeover', 'talk')
    """
    stems = set(_predicate_stems(claim))
    for group in _SYNONYMS:
        if any(s.startswith(g) or g.startswith(s) for s in stems for g in group):
            stems |= group
    return tuple(sorted(stems))


@lru_cache(maxsize=256)
def topic_pattern(terms: tuple[str, ...], stems: bool = False) -> re.Pattern:
    """One regex for topic terms: exact words (plural allowed), or stems (any ending) when ``stems``.

    Example:
        >>> bool(topic_pattern(("talks", "negotiations")).search("No Negotiations"))
        True
    """
    alts = []
    for t in sorted(set(terms), key=len, reverse=True):
        body = r"[\s-]+".join(re.escape(w) for w in t.split())
        alts.append(body + (r"\w*" if stems else r"(?:e?s)?"))
    return re.compile(r"\b(?:" + "|".join(alts) + r")\b", I)


def _topic_re(claim, topic_terms):
    if topic_terms:
        return topic_pattern(tuple(topic_terms))
    if claim:
        return topic_pattern(claim_topic_terms(claim), stems=True)
    return None


# ------------------------------------------------------------------------------------------------ rules
def _res(label, m, text=None, span=None):
    if m is None:
        return StanceResult(label, "", 0, 0)
    s, e = span if span else (m.start(), m.end())
    return StanceResult(label, m.string[s:e] if text is None else text[s:e], s, e)


def _preceded(text: str, start: int, pat: re.Pattern) -> bool:
    return pat.search(text[max(0, start - 40):start]) is not None


def _hypothetical(text: str, start: int) -> bool:
    before = text[max(0, start - 40):start]
    return _MODAL_BEFORE.search(before) is not None and _TO_OK.search(before) is None


_OBJ_END = re.compile(r"[,;:]|\s(?:and|but|while|saying|adding|as)\s|\s[–—-]\s", I)


def _neg_exist(text: str):
    best = None
    for pat in _NEG_EXIST:
        m = pat.search(text)
        if m and (best is None or m.start() < best.start()):
            best = m
    return best


def _no_topic(text: str, topic: re.Pattern | None):
    """"no (adj) TOPIC", "no sign of TOPIC" (needs the topic words)."""
    if topic is None:
        pat = _NO_TALK
    else:
        pat = _no_topic_pattern(topic.pattern)
    return pat.search(text)


_PREP = r"(?!(?:in|on|of|for|with|to|from|about|at|by|the|a|an|more|longer|doubt)\b)"
_NO_TALK = re.compile(r"\bno\s+" + _Q + r"(?:" + _PREP + r"[\w-]+\s+){0,2}?" + _Q + _TALK_NOUNS + r"\b", I)


@lru_cache(maxsize=256)
def _no_topic_pattern(topic_src: str) -> re.Pattern:
    return re.compile(r"\b(?:no\s+" + _Q + r"(?:" + _PREP + r"[\w-]+\s+){0,2}?|no\s+(?:sign|signs|evidence|"
                      r"indication)\s+of\s+(?:[\w-]+\s+){0,2}?)" + _Q + "(?:" + topic_src + ")", I)


def explain(text: str, claim: str | None = None, *, topic_terms=None, topic_known: bool = False,
            judge: str | None = None) -> StanceResult:
    """Label ``text`` claim / denial / other towards ``claim`` and say which words and rule decided.

    With a ``claim`` (a proposition sentence), the registered stance judge ``judge`` (default: the
    :mod:`helpers.judges` default, ``cues``) decides against the parsed proposition; ``topic_terms``
    add words that name its event; ``topic_known``: the context (the sentence before, the headline)
    is on the proposition, so a text that points back ("That is a lie") can deny it. Without a claim,
    the first version's talk rules (this module's doc) decide.

    Example:
        >>> explain("Reports of secret talks are false, the ministry said.", claim="A and B are holding talks.")
        StanceResult(label='denial', cue='false', cue_start=28, cue_end=33, rule='falsity')
        >>> explain("The minister rejected claims that there were no talks.", claim="A and B are holding talks.").label
        'claim'
        >>> explain("Acme dined with Globex, the paper reported.", claim="Acme had dinner with Globex.").rule
        'assertion'
        >>> explain("He warned them to make a deal before it is too late.", claim="A and B are holding talks.").label
        'other'
    """
    if claim is None and judge is None:
        return _explain(text or "", claim, None if topic_terms is None else tuple(topic_terms), topic_known)
    from . import judges
    from .proposition import parse

    prop = parse(claim or "", tuple(topic_terms or ()))
    t = text or ""
    headline = not t.rstrip().endswith((".", "”", '"')) and len(t.split()) <= 25
    r = judges.get(judge).judge(t, prop, judges.Context(on_topic=topic_known, headline=headline))
    return StanceResult(r.label, r.cue, r.start, r.end, r.rule)


@lru_cache(maxsize=16384)
def _explain(text: str, claim: str | None, topic_terms: tuple | None, topic_known: bool) -> StanceResult:
    """:func:`explain`, memoised on all its inputs: the rules are pure, the result immutable, and news
    repeats its sentences (wire copy, stock quotes)."""
    # 1. questions
    stripped = text.rstrip(" \t\n\"”’'.)")
    if stripped.endswith("?"):
        i = stripped.rfind("?")
        return StanceResult("other", "?", i, i + 1)
    # 2. topic
    topic = _topic_re(claim, topic_terms)
    if topic is not None and not topic_known and topic.search(text) is None:
        return StanceResult("other", "", 0, 0)

    low = text.lower()
    words = set(_WORDS.findall(low))
    negation = _has_negation(words, low)

    # 3. denial verbs
    neutralized = None
    for m in (_DENIAL_VERB.finditer(text) if not words.isdisjoint(_DV_WORDS) else ()):
        if _DENIAL_NOUN.fullmatch(m.group(0)):
            # the noun "denial" is a cue only as the head of a statement ("issued a denial")
            if not _DET_WORD_BEFORE.search(text[max(0, m.start() - 20):m.start()]):
                continue
        elif _DET_BEFORE.search(text[max(0, m.start() - 8):m.start()]):
            continue  # "the disputed claims", "a dismissed case": an adjective, not a statement
        elif m.group(0).lower() == "dispute" and not _VERB_AUX_BEFORE.search(text[max(0, m.start() - 20):m.start()]):
            continue  # "the dam dispute": the noun
        if _preceded(text, m.start(), _NEG_BEFORE):
            neutralized = neutralized or _res("other", m, span=(_neg_start(text, m.start()), m.end()))
            continue
        if _hypothetical(text, m.start()):
            neutralized = neutralized or _res("other", m)
            continue
        obj = text[m.end():]
        end = _OBJ_END.search(obj)
        obj = obj[:end.start()] if end else obj
        inner = (_neg_exist(obj) or _no_topic(obj, topic) or _DENIAL_NOUN.search(obj)) if negation or "denial" in low else None
        if inner is not None:
            return StanceResult("claim", text[m.start():m.end() + inner.end()], m.start(), m.end() + inner.end())
        return _res("denial", m)
    if neutralized is not None:
        return neutralized

    # 4. contradictions without a denial verb
    found = ((_neg_exist(text), _no_topic(text, topic), _neg_echo(text, claim)) if negation else ()) + \
        ((_FALSITY.search(text),) if not words.isdisjoint(_FALSE_WORDS) else ())
    ne = [x for x in found if x is not None and (not _hypothetical(text, x.start()) or "pretend" in x.group(0).lower())]
    if ne:
        first = min(ne, key=lambda x: x.start())
        ft = _FALSE_THAT.search(text)
        if ft is not None:
            rest = text[ft.end():]
            inner = _neg_exist(rest) or _no_topic(rest, topic)
            if inner is not None:
                return StanceResult("claim", text[ft.start():ft.end() + inner.end()], ft.start(), ft.end() + inner.end())
        return _res("denial", first)

    # 5. first of hedge and claim predicate
    claim_m = _first_claim(text, topic, words)
    hedge_m = None
    for name, pat in _HEDGES:
        gate = _HEDGE_WORDS.get(name)
        if gate is not None and words.isdisjoint(gate):
            continue
        for h in pat.finditer(text):
            if hedge_m is None or h.start() < hedge_m.start():
                hedge_m = h
            break
    echo = _echo(text, claim) if hedge_m is None else None  # the weakest cue: only in unhedged text
    if echo is not None and (claim_m is None or echo.start() < claim_m.start()):
        claim_m = echo
    if claim_m is not None and (hedge_m is None or claim_m.start() < hedge_m.start()):
        return _res("claim", claim_m)
    if hedge_m is not None:
        return _res("other", hedge_m)
    return StanceResult("other", "", 0, 0)


_DET_WORD_BEFORE = re.compile(r"\b(?:a|an|its|his|her|their|the)\s+(?:\w+\s+)?$", I)
_DET_BEFORE = re.compile(r"\b(?:the|a|an|its|his|her|their)\s+$", I)
_VERB_AUX_BEFORE = re.compile(r"(?:\b(?:not|never|did|does|do|would|could|will|to|may|might|can|cannot)|n['’]t)\s+"
                              r"(?:\w+ly\s+)?$", I)


def _neg_start(text: str, start: int) -> int:
    before = text[max(0, start - 40):start]
    m = _NEG_BEFORE.search(before)
    return start - len(before) + m.start() if m else start


#: Words one of which each claim pattern needs (None: always tried), in the order of _CLAIM_FIXED.
_CLAIM_GATES = [
    None,
    frozenset("hold holds held holding conduct conducts conducted conducting resume resumes resumed resuming began "
              "begun started launched opened entered".split()),
    frozenset("ongoing underway under".split()),
    frozenset("have has had taken occurred happened begun started resumed".split()),
    frozenset("deal agreement accord".split()),
    frozenset(["reach"]),
    frozenset(["there"]),
    frozenset("met meet meets meeting sat".split()),
    frozenset("talks negotiations discussions dialogue conversations contacts consultations".split()),
]
_CLAIM_VERB_WORDS = frozenset(w + e for w in ("claim", "suggest", "confirm", "reveal", "assert", "insist", "maintain",
                                              "tout", "hail") for e in ("", "s", "ed", "ing")) | frozenset(
    "announce announces announced announcing".split())


def _first_claim(text: str, topic: re.Pattern | None, words: set | None = None):
    cands = []
    for gate, pat in zip(_CLAIM_GATES, _CLAIM_FIXED):
        if gate is not None and words is not None and words.isdisjoint(gate):
            continue
        for m in pat.finditer(text):
            if not _hypothetical(text, m.start()) and not _preceded(text, m.start(), _NEG_BEFORE):
                cands.append(m)
                break
    if topic is not None:
        for m in _claim_topic_patterns(topic.pattern)[0].finditer(text):
            if not _hypothetical(text, m.start()) and not _preceded(text, m.start(), _NEG_BEFORE):
                cands.append(m)
                break
    if words is not None and words.isdisjoint(_CLAIM_VERB_WORDS):
        return min(cands, key=lambda m: m.start()) if cands else None
    for m in _claim_topic_patterns(topic.pattern if topic is not None else _TALK_NOUNS)[1].finditer(text):
        if not _hypothetical(text, m.start()) and not _preceded(text, m.start(), _NEG_BEFORE):
            cands.append(m)
            break
    return min(cands, key=lambda m: m.start()) if cands else None


@lru_cache(maxsize=256)
def _claim_topic_patterns(topic_src: str) -> tuple[re.Pattern, re.Pattern]:
    """("be / have + topic word": "was speaking with", "have talked"), ("claims + topic noun")."""
    be_topic = re.compile(r"\b(?:" + _BE + r"|have|has|had|have\s+been|has\s+been|had\s+been)\s+(?:" + _ADV
                          + r"\s+)?" + _Q + r"(?:" + topic_src + r")", I)
    verb_topic = re.compile(r"\b" + _CLAIM_VERB + r"\s+(?:(?:that|the|a|of|secret|new|direct|formal|ongoing|"
                            r"high-level|[A-Z][\w.-]*)\s+){0,3}?" + _Q + r"(?:" + topic_src + r")", I)
    return be_topic, verb_topic


@lru_cache(maxsize=256)
def _predicate_stems(claim: str) -> tuple[str, ...]:
    """Stems of the claim's predicate, without synonyms ("have agreed a truce" -> agre, truce)."""
    aux = _PREDICATE.search(claim)
    words = re.findall(r"[A-Za-z][\w-]*", claim[aux.end():] if aux else claim)
    return tuple(sorted({s for s in (_stem(w) for w in words if w[0].islower() and w.lower() not in _STOP)
                         if len(s) >= 4}))


@lru_cache(maxsize=256)
def _echo_patterns(claim: str) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(r"\b" + re.escape(st) + r"\w*", I) for st in _predicate_stems(claim))


@lru_cache(maxsize=256)
def _neg_echo_pattern(claim: str) -> re.Pattern | None:
    stems = _predicate_stems(claim)
    if not stems:
        return None
    return re.compile(r"\b" + _NEG + r"\s+(?:[\w-]+\s+){0,2}?(?:" + "|".join(map(re.escape, stems)) + r")\w*", I)


def _neg_echo(text: str, claim: str | None):
    """The claim's own predicate negated ("a truce had not yet been agreed" for "have agreed a truce")."""
    pat = _neg_echo_pattern(claim) if claim else None
    return pat.search(text) if pat is not None else None


def _echo(text: str, claim: str | None):
    """The claim's own predicate repeated ("agreed a ceasefire" for "have agreed a ceasefire"): every
    predicate stem present, when the predicate has at least two, in text with no hedge at all.
    Returns the first stem's match."""
    if not claim:
        return None
    pats = _echo_patterns(claim)
    if len(pats) < 2:
        return None
    found = [p.search(text) for p in pats]
    if any(f is None for f in found):
        return None
    first = min(found, key=lambda m: m.start())
    if _hypothetical(text, first.start()) or _preceded(text, first.start(), _NEG_BEFORE):
        return None
    return first


def classify(text: str, claim: str | None = None, **kwargs) -> str:
    """``claim``, ``denial`` or ``other`` for ``text`` (see :func:`explain` for the evidence).

    Example:
        >>> classify("No talks between Acme and Globex, officials say", claim="Acme and Globex are holding talks.")
        'denial'
        >>> classify("Acme is open to talks with Globex.", claim="Acme and Globex are holding talks.")
        'other'
    """
    return explain(text, claim, **kwargs).label
