"""Turn the visible text of a scraped page into an article: headline, date, outlet, dateline and body.

Page furniture is removed by GENERAL rules about what furniture looks like, never by listing one
site's strings. Each rule is a small function of one line (or, for blocks, of the lines after a
header); every removed line is kept as ``[rule] line`` for audit. The rules:

==============  ===================================================================================
``share``       share/follow buttons: ``Follow us:``, ``facebook-white sharing button``, rows of network names
``ticker``      a line of 3+ unrelated headlines joined by `` | ``
``read_more``   a ``Read more``/``Related``/``Also read`` header and the link list under it
``ad``          ad labels: ``Advertisement``, ``Sponsored content``, ``Story continues below``
``image``       image placeholders: ``Cover Image``, ``Photo``, markdown images, ``Image credit: ...``
``caption``     a short line ending in a photo credit: ``... Name/Agency.``, ``(Photo: ...)``, ``Getty Images``
``donation``    a trailing appeal block (``Support our journalism``, ``Subscribe``) and one-line appeals
``byline``      ``By Jane Roe``, ``@handle`` lines, ``Reporting by ...`` (once outlet/date were read)
``date``        lines that only carry a date, time or ``Updated: ...`` label (once the date was read)
``nav``         navigation/footer words, copyright, cookie notices, ``Tags: ...``, ``5 min read``
``title``       the headline itself (it is the ``title`` column)
``markup``      markdown rules (``---``), only for ``.md``
``label``       a page or section label (``KEY POINTS``, ``Highlights``, ``WORLD NEWS``) alone on a line, or a
                label or scraper stamp (``5 min read``, ``Advertisement``) glued to the first words
==============  ===================================================================================

The label and stamp word lists are data (``ingest/lexicon/page_labels.txt``, ``stamps.txt``).
Text fields of structured records (JSON, CSV, Parquet) may hold HTML: :func:`strip_markup` turns it
into text before anything else.

Page structure: the headline is the first content line that is not furniture, not a date line and
not a one-word kicker, if it is headline-shaped (:func:`is_headline`); otherwise the page has no
title. The publication date is chosen by the scoring rule of :func:`dates.candidates`. A leading
dateline (``Havana(Outlet)Text``, ``PLACE — Text``) is split off the first paragraph.

Example:
    >>> page = parse_page("Follow us:\\nCuba Says No\\n\\nJanuary 12, 2026\\n\\nHavana said no talks exist.\\n"
    ...                   "Advertisement\\nThe ministry repeated it later on Monday.")
    >>> page.title, str(page.published_at), page.published_precision
    ('Cuba Says No', '2026-01-12 00:00:00+00:00', 'day')
    >>> page.body
    'Havana said no talks exist.\\n\\nThe ministry repeated it later on Monday.'
    >>> page.removed
    ['[share] Follow us:', '[title] Cuba Says No', '[date] January 12, 2026', '[ad] Advertisement']
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import dates

# --- line rules --------------------------------------------------------------------------------------

_NETWORKS = (r"facebook|twitter|x|instagram|youtube|linkedin|whatsapp|telegram|pinterest|reddit|tiktok|"
             r"threads|bluesky|mastodon|e-?mail|print|copy\s+link|messenger|flipboard|sms")
_PART_SPLIT_RE = re.compile(r"\s*[|•·]\s*")
_NETWORK_RE = re.compile(r"^(?:" + _NETWORKS + r")$", re.IGNORECASE)
_SHARE_RE = re.compile(
    r"^(?:"
    r"[a-z]+(?:[-_][a-z]+)*\s+shar(?:e|ing)\s+button"                      # "facebook-white sharing button"
    r"|(?:share|follow)(?:\s+(?:this|the))?(?:\s+(?:article|story|post|page|us))?(?:\s+on\s+[\w ,&]{1,40})?"
    r"|(?:share|tweet|pin|post)\s+(?:on|to|via)\s+(?:" + _NETWORKS + r")|tweet(?:\s+this)?|pin\s+it"
    r"|(?:(?:" + _NETWORKS + r")[\s,|•·/]*){2,}"                            # a row of network names
    r")\s*[:.]?$", re.IGNORECASE)
_AD_RE = re.compile(
    r"^(?:advertisements?(?:\s+(?:banner|feature|below|above))?|sponsored(?:\s+(?:content|links?|stories|post))?"
    r"|promoted(?:\s+content)?|paid\s+(?:content|post|partnership)|ads?|\(ad\)"
    r"|(?:story|article)\s+continues\s+(?:below|after)(?:\s+(?:this\s+)?(?:ad|advertisement))?"
    r"|continue\s+reading(?:\s+(?:below|the\s+main\s+story))?|scroll\s+(?:down\s+)?to\s+continue(?:\s+\w+){0,3})"
    r"\s*[:.]?$", re.IGNORECASE)
_IMAGE_RE = re.compile(
    r"^(?:(?:cover|featured|hero|header|lead|top|main|file|representational|representative|stock|placeholder)"
    r"\s+(?:image|photo|picture|pic)|images?|photos?|pictures?|videos?|gallery|photo\s+gallery|slideshow"
    r"|watch(?:\s+(?:the\s+)?video)?|thumbnail|illustration|image\s+placeholder|play\s+video)\s*[:.]?$"
    r"|^(?:image|photo|picture|video)\s*(?:credits?|source|courtesy)\s*[:\-–—].{0,80}$"
    r"|^!\[[^\]]*\]\([^)]*\)\s*$", re.IGNORECASE)
# A credit closing a short caption line: "... Trump. Reuters/Jane Roe", "(Photo: AP)", "Getty Images".
_CAP = r"[A-Z][\w’'&.\-]*"
_CAPS = _CAP + r"(?:\s+(?:" + _CAP + r"|of|the|and|via|for))*"
_SEG_CREDIT_RE = re.compile(  # the caption's last segment is a credit (names are case-sensitive)
    _CAPS + r"\s?/\s?" + _CAPS
    + r"|(?i:(?:[\w ]{0,30}\s)?(?:getty\s+images|shutterstock|alamy|ap\s+photo|afp\s+photo|reuters\s+photo|"
    r"epa(?:-efe)?|xinhua|file\s+photo)(?:\s*/\s*[\w .]+)?)")
_KEYWORD_CREDIT_RE = re.compile(
    r"(?:^|[.;|]\s+|\s[-–—]\s|\()(?:photo|image|picture|credit|courtesy|file\s+photo|source)s?\s*[:/]\s*[^.:]{1,60}"
    r"\)?\s*\.?\s*$|\((?:photo|image|picture|credit|file\s+photo|courtesy)\b[^)]{0,80}\)\s*\.?\s*$", re.IGNORECASE)
_SEGMENT_SPLIT_RE = re.compile(r"[.;:|]\s+|\s[-–—]\s")
_READ_MORE_RE = re.compile(
    r"^(?:read\s+(?:more|also|next|this)|also\s+read|see\s+also|related(?:\s+(?:articles?|stories|news|posts?|"
    r"coverage|content|links?|reading|topics))?|more\s+(?:on\s+this(?:\s+story)?|stories|news|from\s+[\w .]{1,30}"
    r"|to\s+read)|recommended(?:\s+for\s+you)?|you\s+(?:may|might)\s+(?:also\s+)?like|trending(?:\s+now)?"
    r"|most\s+(?:read|popular|viewed)|latest(?:\s+(?:news|stories))?|top\s+stories|popular(?:\s+now)?"
    r"|don[’']t\s+miss|must\s+read)\s*(?:[:>»\-–—]+\s*(?P<inline>\S.*)?)?$", re.IGNORECASE)
_BULLET_RE = re.compile(r"^(?:[-*•·▪►»‣◦]|\d{1,2}[.)])\s+\S")
_DONATION_HEAD_RE = re.compile(
    r"^(?:support\s+(?:our|us|independent|quality|objective|local|free|unbiased|fearless|)\s*(?:journalism|"
    r"reporting|media|news|work)?|support\s+us|donate(?:\s+now|\s+today)?|make\s+a\s+(?:donation|contribution)"
    r"|become\s+a\s+(?:member|subscriber|supporter|patron)|subscribe(?:\s+(?:now|today|to\s+[\w ]{1,30}))?"
    r"|sign\s+up(?:\s+(?:for|to)\s+[\w ]{1,30})?|join\s+(?:our|the)\s+(?:newsletter|mailing\s+list)"
    r"|we\s+need\s+your\s+(?:support|help)|help\s+(?:us|keep)\s+[\w ]{1,40})\s*[.!:]?$", re.IGNORECASE)
_APPEAL_RE = re.compile(  # an appeal verb opening a sentence of the line, with a word of the appeal trade
    r"(?:^|[.?!…]\s+)(?:please\s+)?(?:support\s+(?:us|our|independent|local|quality|objective|unbiased|free)"
    r"|subscribe|donate|sign\s+up|become\s+a\s+(?:member|subscriber|supporter|patron)|join\s+(?:us|our)"
    r"|click\s+here|consider\s+(?:supporting|subscribing|donating)|make\s+a\s+(?:donation|contribution))"
    r"\b[^.?!]{0,120}?\b(?:journalism|newsletter|contribution|donation|subscription|subscribers?|members?|"
    r"membership|supporters?|inbox|a\s+month|a\s+year|per\s+month)\b", re.IGNORECASE)
_NAME = r"[A-Z][\w.'’\-]+(?:\s+[A-Z][\w.'’\-]+){0,3}"  # names are case-sensitive: "By Monday the ..." is prose
_BYLINE_RE = re.compile(
    r"^(?i:(?:written|posted|reported|edited|compiled)\s+by|by|author)\s*:?\s+" + _NAME
    + r"(?:\s*(?:,|and|&|\||/|-|–|—)\s*[A-Z][\w.'’\- ]{0,40}){0,3}$"
    r"|^(?i:(?:additional\s+)?reporting\s+by)\b.{0,150}$"
    r"|^[|\s]*@[A-Za-z0-9_]{2,30}[|\s]*$")
_DATE_LABEL_RE = re.compile(
    r"^(?:(?:last\s+)?updated|published|posted|first\s+published|modified|last\s+modified)\b"
    r"(?=.*(?:\d|\bago\b|\btoday\b|\byesterday\b)).{0,60}$", re.IGNORECASE)
_NAV_RE = re.compile(
    r"^(?:home|menu|search|skip\s+to\s+(?:main\s+)?content|back\s+to\s+top|log\s?in|sign\s+in|close|next|previous"
    r"|(?:next|previous)\s+(?:article|story|post)|comments?|leave\s+a\s+(?:comment|reply)|\d+\s+comments?"
    r"|print(?:\s+this\s+(?:page|article))?|e-?mail(?:\s+this)?|listen(?:\s+to\s+(?:this\s+)?article)?"
    r"|\d+\s*(?:min|minute)s?\s+(?:read|listen)|(?:tags|topics|categories|filed\s+under|keywords)\s*:.{0,150}"
    r"|(?:we|this\s+(?:site|website))\s+uses?\s+cookies.{0,200}|accept(?:\s+all)?\s+cookies"
    r"|(?:©|\(c\)|copyright\b).{0,150}|all\s+rights\s+reserved\.?)\s*[.:]?$", re.IGNORECASE)
_MD_RULE_RE = re.compile(r"^(?:[-*_=]\s*){3,}$")


def _words(s: str) -> int:
    return len(s.split())


# --- markup in record fields, page labels, glued stamps ------------------------------------------------

_LEXICON = Path(__file__).parent / "ingest" / "lexicon"
_DROP_BLOCK_RE = re.compile(r"<(script|style|noscript|template|svg)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_BREAK_TAG_RE = re.compile(r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|table|blockquote|section|article|header|footer"
                           r"|figure|figcaption|aside|pre|hr|dd|dt)\b[^<>]{0,2000}>", re.I)
_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9:\-]{0,30}(?:\s[^<>]{0,2000})?/?>")
_ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def strip_markup(text: str) -> str:
    """Text of a record field that may hold HTML: scripts, styles and comments dropped, block tags become
    line breaks, other tags vanish, entities are decoded. Text without markup comes back unchanged.
    Linear: each pattern is bounded and scans the text once.

    Example:
        >>> strip_markup("<p>Minister <b>Ana Ruiz</b> said&nbsp;&ldquo;no&rdquo;.</p><p>Next.</p>")
        'Minister Ana Ruiz said “no”.\\nNext.'
        >>> strip_markup("Profits rose 5% as x < y & z > w.")
        'Profits rose 5% as x < y & z > w.'
    """
    if "<" not in text and "&" not in text:
        return text
    if "<" in text:
        text = _DROP_BLOCK_RE.sub(" ", text)
        text = _BREAK_TAG_RE.sub("\n", text)
        text = _TAG_RE.sub("", text)
    if "&" in text and _ENTITY_RE.search(text):
        text = html.unescape(text)
    lines = [" ".join(x.split()) for x in text.split("\n")]
    return "\n".join(x for x in lines if x) if len(lines) > 1 else lines[0]


@lru_cache(maxsize=None)
def word_list(name: str) -> tuple[str, ...]:
    """The entries of ``ingest/lexicon/<name>.txt`` (one a line; ``#`` comments and blank lines skipped).

    Example:
        >>> "key points" in word_list("page_labels")
        True
    """
    rows = (line.strip() for line in (_LEXICON / f"{name}.txt").read_text(encoding="utf-8").splitlines())
    return tuple(r for r in rows if r and not r.startswith("#"))


def _label_key(s: str) -> str:
    return " ".join(s.casefold().replace("’", "'").strip().rstrip(":：").split())


@lru_cache(maxsize=1)
def _labels() -> frozenset[str]:
    return frozenset(_label_key(x) for x in word_list("page_labels"))


def is_page_label(line: str) -> bool:
    """A page or section label, not a headline: one of ``page_labels.txt``, or a short run of capitals
    (at most 2 words, no digit) such as a section name.

    Example:
        >>> is_page_label("KEY POINTS"), is_page_label("Advertisement"), is_page_label("WORLD NEWS:")
        (True, True, True)
        >>> is_page_label("Cuba Rejects Talks Claim"), is_page_label("CUBA DENIES TALKS WITH THE US")
        (False, False)
    """
    s = line.strip()
    if not s or len(s) > 40:
        return False
    if _label_key(s) in _labels():
        return True
    core = s.rstrip(":：").strip()
    return _words(core) <= 2 and sum(c.isalpha() for c in core) >= 3 and core.upper() == core \
        and not any(c.isdigit() for c in core)


#: ``{time}`` in a word list: a clock time, with am/pm and a time-zone abbreviation when there are ("08:14 GMT",
#: "9.05am", "14:32 BST"); ``{n}``: a number.
_TIME = r"\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[a-z]{2,4})?"


def _alternatives(entries) -> str:
    parts = sorted({re.escape(e).replace(r"\{n\}", r"\d{1,3}").replace(r"\{time\}", _TIME).replace(r"\ ", r"\s+")
                    for e in entries}, key=len, reverse=True)
    return "|".join(parts)


_NEXT = r"(?=[A-Z\"“‘'(])"  # what follows a glued label: the article's first (capitalised) word


@lru_cache(maxsize=1)
def _glued_res() -> tuple[re.Pattern, re.Pattern]:
    stamps = re.compile(rf"^(?i:{_alternatives(word_list('stamps'))})\s*[:|•·\-–—]?\s*{_NEXT}")
    labels = re.compile(rf"^(?P<label>(?i:{_alternatives(word_list('page_labels'))}))"
                        rf"(?P<sep>\s*[:|•·\-–—]\s*|\s+){_NEXT}")
    return stamps, labels


def strip_glued(first: str) -> tuple[str, list[str]]:
    """Take scraper stamps and page labels off the start of an article's first line (at most three):
    ``(rest, removed)``. Only before a capitalised word; a label (``page_labels.txt``) only when written in
    capitals, several words long, or followed by a separator, so prose ("Opinion polls show ...",
    "World Bank officials ...") and datelines ("LONDON — ...") are left alone.

    Example:
        >>> strip_glued("KEY POINTS The minister said no talks exist.")
        ('The minister said no talks exist.', ['KEY POINTS'])
        >>> strip_glued("5 min readAdvertisement The minister said so.")
        ('The minister said so.', ['5 min read', 'Advertisement'])
        >>> strip_glued("Opinion Polls show a lead.")[1], strip_glued("LONDON — The minister said so.")[1]
        ([], [])
    """
    stamps, labels = _glued_res()
    removed = []
    for _ in range(3):
        m = stamps.match(first)
        if m is None:
            m = labels.match(first)
            if m is not None and not (m["label"].isupper() or " " in m["label"] or m["sep"].strip()):
                m = None
        if m is None or m.end() == 0:
            break
        removed.append(m.group(0).strip(" :|•·-–—"))
        first = first[m.end():]
    return first, removed


def rule_share(line: str) -> bool:
    """Share/follow furniture, alone or as a row of share items joined by ``·``, ``|`` or ``•``.

    Example:
        >>> rule_share("Follow us on Facebook"), rule_share("linkedin-black sharing button"), rule_share("Share.")
        (True, True, True)
        >>> rule_share("Share on Facebook · Share on X · Email")
        True
        >>> rule_share("Officials did not share the details of the plan.")
        False
    """
    if len(line) > 300:
        return False
    if len(line) <= 120 and _SHARE_RE.match(line):
        return True
    if "|" not in line and "·" not in line and "•" not in line:
        return False
    parts = [p for p in _PART_SPLIT_RE.split(line) if p]
    return len(parts) >= 2 and all(len(p) <= 60 and (_SHARE_RE.match(p) or _NETWORK_RE.match(p)) for p in parts)


def rule_ticker(line: str) -> bool:
    """A row of 3+ unrelated headlines joined by `` | `` (each of 3+ words, none a date).

    Example:
        >>> rule_ticker("Storm hits the coast | Markets rally on rate cut | Local team wins the cup")
        True
        >>> rule_ticker("By Jane Roe | Daily Planet | Jan 4, 2026")
        False
    """
    if line.count("|") < 2:
        return False
    parts = [p.strip() for p in line.split("|") if p.strip()]
    if len(parts) < 3:
        return False
    long_parts = sum(1 for p in parts if _words(p) >= 3)
    if long_parts < 3 or long_parts < 0.75 * len(parts):
        return False
    return not any(d.year for p in parts for d in dates.find_dates(p))


def rule_ad(line: str) -> bool:
    """Advertisement labels.

    Example:
        >>> rule_ad("ADVERTISEMENT"), rule_ad("Story continues below advertisement"), rule_ad("Ad")
        (True, True, True)
        >>> rule_ad("The advertisement ran for weeks.")
        False
    """
    return len(line) <= 80 and bool(_AD_RE.match(line))


def rule_image(line: str) -> bool:
    """Image/video placeholders and credit lines.

    Example:
        >>> rule_image("Featured Image"), rule_image("Photo credit: Jane Roe"), rule_image("![a map](m.png)")
        (True, True, True)
        >>> rule_image("Photos of the meeting were never released.")
        False
    """
    return len(line) <= 160 and bool(_IMAGE_RE.match(line))


def rule_caption(line: str) -> bool:
    """A short line (<= 25 words) of names ending in a photo credit.

    Example:
        >>> rule_caption("Jane Roe and John Doe at the summit. Agency Photos/Sam Poe.")
        True
        >>> rule_caption("The ministers shake hands (Photo: Staff)"), rule_caption("A harbour at dawn. Getty Images")
        (True, True)
        >>> rule_caption("The deal was signed in Paris and London.")
        False
    """
    if len(line) > 250:
        return False
    if "/" not in line and "(" not in line:
        low = line.lower()  # cheap substring gate before the regexes (str `in` is ~20x faster than re here)
        if not ("photo" in low or "image" in low or "credit" in low or "getty" in low or "picture" in low
                or "courtesy" in low or "shutterstock" in low or "alamy" in low or "xinhua" in low or "epa" in low):
            return False
    if _words(line) > 25:
        return False
    if _KEYWORD_CREDIT_RE.search(line):
        return True
    return bool(_SEG_CREDIT_RE.fullmatch(_SEGMENT_SPLIT_RE.split(line.rstrip(" ."))[-1]))


def rule_byline(line: str) -> bool:
    """A byline or handle line.

    Example:
        >>> rule_byline("By Jane Roe and Sam Poe"), rule_byline("@dailyplanet"), rule_byline("Reporting by Sam Poe")
        (True, True, True)
        >>> rule_byline("By Monday the talks had collapsed, officials said in a statement to reporters.")
        False
    """
    return len(line) <= 200 and bool(_BYLINE_RE.match(line)) and _words(line) <= 16


def rule_nav(line: str) -> bool:
    """Navigation, footer and cookie furniture.

    Example:
        >>> rule_nav("Skip to content"), rule_nav("© 2026 Daily Planet. All rights reserved."), rule_nav("4 min read")
        (True, True, True)
        >>> rule_nav("Home secretary defends the plan")
        False
    """
    return len(line) <= 250 and bool(_NAV_RE.match(line))


def rule_date_label(line: str) -> bool:
    """An ``Updated:``/``Published`` label line with a date or time.

    Example:
        >>> rule_date_label("Updated: 10:30 IST"), rule_date_label("Last updated 2 hours ago")
        (True, True)
        >>> rule_date_label("Published reports say the talks failed.")
        False
    """
    return len(line) <= 100 and bool(_DATE_LABEL_RE.match(line)) and _words(line) <= 10


def rule_appeal(line: str) -> bool:
    """A one-line donation/subscription appeal.

    Example:
        >>> rule_appeal("Subscribe to our newsletter for daily updates in your inbox.")
        True
        >>> rule_appeal("Like our maps? Become a member for $4 a month.")
        True
        >>> rule_appeal("Support for the plan grew among voters.")
        False
    """
    if len(line) > 300:
        return False
    low = line.lower()  # cheap substring gate before the regex
    if not ("support" in low or "subscri" in low or "donat" in low or "sign up" in low or "become a " in low
            or "join " in low or "click here" in low or "consider " in low or "make a " in low):
        return False
    return bool(_APPEAL_RE.search(line)) and _words(line) <= 30


#: Single-line rules in the order they are tried; the first that fires names the removal.
LINE_RULES = (
    ("share", rule_share), ("ticker", rule_ticker), ("ad", rule_ad), ("image", rule_image),
    ("nav", rule_nav), ("date", rule_date_label), ("donation", rule_appeal), ("caption", rule_caption),
    ("byline", rule_byline),
)
_CHEAP_MAX = 300  # lines longer than this can only be tickers


def line_rule(line: str) -> str | None:
    """Name of the first single-line furniture rule that removes ``line``, or None (keep it). Lines up to
    ``_CHEAP_MAX`` characters are memoised: news repeats them (a site's furniture on every page, wire copy
    across outlets), a line's rule depends on nothing else, and the memo stays small (a long line, which
    can only be a ticker, is never kept).

    Example:
        >>> line_rule("Advertisement banner"), line_rule("Cuba said there are no talks.")
        ('ad', None)
    """
    if len(line) > _CHEAP_MAX:
        return "ticker" if rule_ticker(line) else None
    return _short_line_rule(line)


@lru_cache(maxsize=16384)
def _short_line_rule(line: str) -> str | None:
    for name, rule in LINE_RULES:
        if rule(line):
            return name
    return None


def is_headline(line: str) -> bool:
    """Looks like a headline: 2-25 words, <= 250 characters, not a sentence ending in a period.

    Example:
        >>> is_headline("Cuba Rejects Talks Claim"), is_headline("Cuba rejected the claim on Monday.")
        (True, False)
        >>> is_headline("‘No deal yet’: Ministers leave the valley talks")
        True
    """
    n = _words(line)
    return 2 <= n <= 25 and len(line) <= 250 and not line.rstrip("”’\"' ").endswith(".") \
        and not _BULLET_RE.match(line) and line[:1] not in "(-"


# --- dateline ---------------------------------------------------------------------------------------

_PLACE = r"[A-Z][A-Za-zÀ-ÿ'’.\-]+(?:[ \-][A-Z][A-Za-zÀ-ÿ'’.\-]+){0,3}"
_DATELINE_PAREN_RE = re.compile(
    r"^(?P<place>" + _PLACE + r")(?:,\s*(?P<region>[A-Z][\w .'\-]{1,30}?))?\s*\((?P<outlet>[A-Z][^()\n]{1,60})\)"
    r"\s*(?:[-–—:]\s*)?(?=[A-Z\"“‘'])")
_DATELINE_CAPS_RE = re.compile(
    r"^(?P<place>[A-Z][A-Z'’.\-]{2,}(?:[ \-][A-Z][A-Z'’.\-]+){0,3})(?:,\s*(?P<region>[A-Z][\w .'\-]{1,30}?))?"
    r"\s*[-–—:]\s*(?=[A-Z\"“‘'])")
_NOT_PLACES = {"BREAKING", "UPDATE", "UPDATED", "EXCLUSIVE", "WATCH", "LIVE", "OPINION", "ANALYSIS", "EDITORIAL",
               "NOTE", "CORRECTION", "TRANSCRIPT", "EDITOR'S NOTE", "FACT CHECK", "VIDEO", "PHOTOS", "Q", "A"}


def split_dateline(paragraph: str) -> tuple[str | None, str | None, str]:
    """Split a leading dateline off a paragraph: ``(place, outlet_in_parentheses, rest)``.

    Handles ``Place(Outlet)Text``, ``Place, Region (Agency) - Text`` and ``PLACE — Text``.

    Example:
        >>> split_dateline("Lisbon(The Morning Wire)Portugal has agreed to the plan.")
        ('Lisbon', 'The Morning Wire', 'Portugal has agreed to the plan.')
        >>> split_dateline("NAIROBI — Kenya said on Monday it would talk.")
        ('NAIROBI', None, 'Kenya said on Monday it would talk.')
        >>> split_dateline("Trump (pictured) said it.")
        (None, None, 'Trump (pictured) said it.')
    """
    m = _DATELINE_PAREN_RE.match(paragraph)
    if m and len(m.group("outlet").split()) <= 8:
        return m.group("place"), m.group("outlet").strip(), paragraph[m.end():]
    m = _DATELINE_CAPS_RE.match(paragraph)
    if m and m.group("place") not in _NOT_PLACES and len(paragraph) > m.end():
        return m.group("place"), None, paragraph[m.end():]
    return None, None, paragraph


# --- the page ----------------------------------------------------------------------------------------

_MD_HEADING_RE = re.compile(r"^#{1,6}\s+")
_MD_LINK_RE = re.compile(r"(?<!!)\[([^\]\n]*)\]\([^)\n]*\)")
_MD_EMPH_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_EM_RE = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])|^_(?=\S)(.+)(?<=\S)_$")
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
# Lines hold no newline, so "ends with one of these" is str.endswith (a `[...]$` regex search tries
# every position of the line).
_SENTENCE_PUNCT = (".", "!", "?", ";")
_LINK_LIST_END = (".", "!", "?", '"', "”", "’", ":")


@dataclass
class Page:
    """What :func:`parse_page` read from one page. ``problems`` holds ``(severity, message)`` pairs."""
    title: str | None = None
    outlet: str | None = None
    dateline: str | None = None
    published_at: pd.Timestamp | None = None
    published_precision: str = "unknown"
    published_tz: str | None = None
    date_evidence: str | None = None
    body: str = ""
    removed: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)


def _md_line(s: str) -> str:
    # each substitution runs only when the line holds what its pattern needs (a scan is ~1 us per line);
    # callables, not "\\1" templates, which re expands in Python for every match
    if s[:1] == "#":
        s = _MD_HEADING_RE.sub("", s)
    if "](" in s:
        s = _MD_LINK_RE.sub(lambda m: m[1], s)
    if "**" in s or "__" in s:
        s = _MD_EMPH_RE.sub(lambda m: m[2], s)
    if "*" in s or s[:1] == "_":
        s = _MD_EM_RE.sub(lambda m: m.group(1) or m.group(2), s)
    return s


def _norm_key(s: str) -> str:
    return " ".join(s.casefold().replace("’", "'").replace("‘", "'").split())


def parse_page(text: str, fmt: str = "txt", meta: dict | None = None) -> Page:
    """Read one page's visible text into a :class:`Page` (title, date, outlet, dateline, clean body).

    ``meta`` carries what structured input already knows (keys ``title``, ``outlet``, ``date`` as a
    :class:`dates.DateMatch`, ``date_raw``); the text is then only used for what is missing.
    Never raises on odd text; an empty body is reported by the caller.

    Example:
        >>> p = parse_page("Havana(Wire Service)Cuba has denied the report.\\nRead More:\\n- Other story one\\n"
        ...                "The ministry spoke later.")
        >>> (p.title, p.dateline, p.outlet, p.published_precision)
        (None, 'Havana', 'Wire Service', 'unknown')
        >>> p.body
        'Cuba has denied the report.\\n\\nThe ministry spoke later.'
        >>> p.problems
        [('warning', 'no publication date found on the page; published_at left empty (never guessed)')]
    """
    meta = meta or {}
    page = Page()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if any(c in text for c in _INVISIBLE):  # str `in` is ~7x faster than the regex scan of a clean page
        text = _INVISIBLE_RE.sub("", text)
    raw = text.split("\n")
    lines = [s.strip() for s in raw]
    if fmt == "md":
        lines = [_md_line(s) if s else s for s in lines]
    content = [i for i, s in enumerate(lines) if s]
    rule: dict[int, str] = {}

    # 1. single-line furniture, then block rules (read-more lists, trailing appeals)
    for i in content:
        s = lines[i]
        if fmt == "md" and _MD_RULE_RE.match(s):
            rule[i] = "markup"
            continue
        r = line_rule(s)
        if r:
            rule[i] = r
    _block_rules(lines, content, rule)

    # 2. headline: the first content line that is not furniture, not a date line and not a short kicker
    title_no = None
    if meta.get("title") and not is_page_label(str(meta["title"])):
        page.title = " ".join(str(meta["title"]).split())
        key = _norm_key(page.title)
        for i in content[:8]:
            if i not in rule and _norm_key(lines[i]) == key:
                title_no = i
                break
    else:
        for i in content:
            s = lines[i]
            if i in rule or _is_date_line(s):
                continue
            if _words(s) == 1 and len(s) <= 20:
                continue  # a kicker/section label above the headline
            if is_page_label(s):
                rule[i] = "label"  # "KEY POINTS", "WORLD NEWS" above the headline
                continue
            if is_headline(s):
                title_no = i
                page.title = s
            break
    if title_no is not None:
        rule[title_no] = "title"

    # 3. publication date
    nav = {i for i, r in rule.items() if r in ("share", "ticker", "nav", "ad", "image", "caption")}
    cands = dates.candidates(lines, title_no, nav, content)
    cand_lines = {c.line_no for c in cands}
    best = None
    if meta.get("date") is not None:
        _set_date(page, meta["date"], [], str(meta.get("date_raw") or meta["date"].text), from_meta=True)
    else:
        if meta.get("date_raw"):
            page.problems.append(("warning", f"could not read the date field {str(meta['date_raw'])[:60]!r}; "
                                             "looked for a date in the text instead"))
        best = dates.pick_published(cands)
        if best is not None:
            _set_date(page, best.match, dates.page_zones(cands), best.line)
        elif cands:
            c = max(cands, key=lambda c: c.score)
            why = ("is in the site banner above the navigation, which usually shows the day the page was saved"
                   if "site banner above navigation" in c.reasons else
                   "is labelled as an update, not the publication" if "updated label" in c.reasons else
                   f"does not look like the article's own date ({', '.join(c.reasons)})")
            page.problems.append(("warning", f"the only date line on the page ({c.match.text!r}) {why}; "
                                             "not used, published_at left empty"))
        else:
            page.problems.append(("warning", "no publication date found on the page; published_at left empty "
                                             "(never guessed)"))

    # 4. outlet: metadata, a name on the chosen date line, a byline's handle or name, a dateline's parentheses
    outlet = meta.get("outlet") or None
    if not outlet and best is not None:
        outlet = _outlet_in_line(best.line, best.rest)
    for i in sorted(cand_lines | {i for i, r in rule.items() if r == "byline"}):
        if outlet:
            break
        h = dates.HANDLE_RE.search(lines[i])
        outlet = h.group(1) if h else (_outlet_in_line(lines[i]) if i not in cand_lines else None)

    # 5. date lines and label lines leave the body once read
    for c in cands:
        if c.line_no not in rule:
            rule[c.line_no] = "byline" if dates.BYLINE_MARK_RE.search(c.line) and \
                (dates.HANDLE_RE.search(c.line) or c.line.lower().startswith("by ")) else "date"

    # 6. body
    kept = [lines[i] for i in content if i not in rule]
    page.removed = [f"[{rule[i]}] {lines[i]}" for i in content if i in rule]
    if kept:
        kept[0], glued = strip_glued(kept[0])
        page.removed += [f"[label] {g}" for g in glued]
        if not kept[0]:
            kept.pop(0)
    if kept:
        place, paren_outlet, rest = split_dateline(kept[0])
        if place:
            page.dateline = place
            outlet = outlet or paren_outlet
            kept[0] = rest.strip()
            if not kept[0]:
                kept.pop(0)
    page.outlet = " ".join(str(outlet).split()) if outlet else None
    page.body = "\n\n".join(kept)
    return page


def _is_date_line(s: str) -> bool:
    if len(s) > 200 or not dates.has_year_hint(s):
        return False
    for m in dates.find_dates(s):
        if m.year and len(dates.date_line_rest(s, m).split()) <= dates.DATE_LINE_MAX_WORDS:
            return True
    return False


_ROLE_RE = re.compile(r"(?i)\b(?:writer|correspondent|editor|reporter|staff|contributor|columnist|"
                      r"journalist|producer|analyst|bureau|chief|desk)\b")
_LABEL_WORDS = {"published", "posted", "updated", "last", "first", "modified", "date", "on", "at", "edited"}


def _outlet_in_line(line: str, rest: str | None = None) -> str | None:
    """An outlet printed on a byline or date line: a ``|``/``·`` part that is a short name (not ``By ...``,
    not a handle, not a date, not a role such as ``Staff Writer``), the name after ``By Jane Roe,``, or
    ``rest`` (what a date line says besides its date, e.g. a name glued to it) when it is a name.

    Example:
        >>> _outlet_in_line("By Jane Roe, The Daily Planet | May 2, 2025"), _outlet_in_line("By Jane Roe, Staff Writer")
        ('The Daily Planet', None)
    """
    parts = _PART_SPLIT_RE.split(line)
    if len(parts) > 1 or line[:3].lower() == "by ":
        for p in parts:
            if p[:3].lower() == "by ":
                tail = p.split(",", 1)[1].strip() if "," in p else ""
                if tail and _is_name(tail) and not _ROLE_RE.search(tail):
                    return tail
            elif p and p[0] != "@" and not dates._DIGIT_RE.search(p) and _is_name(p) and not _ROLE_RE.search(p):
                return p
        return None
    return rest if rest and _is_name(rest) else None


def _is_name(s: str) -> bool:
    """A short proper name (an outlet glued to a date): 1-5 capitalised words, no sentence punctuation."""
    words = s.split()
    return 1 <= len(words) <= 5 and words[0][:1].isupper() and not s.lower().startswith("by ") \
        and words[0].lower().rstrip(":") not in _LABEL_WORDS \
        and not s.endswith(_SENTENCE_PUNCT) and not any(w.lower() in ("ago", "am", "pm", "read") for w in words)


def _block_rules(lines: list[str], content: list[int], rule: dict[int, str]) -> None:
    """Read-more headers with their link lists; a trailing donation/subscription block."""
    k = 0
    while k < len(content):
        i = content[k]
        m = _READ_MORE_RE.match(lines[i]) if len(lines[i]) <= 200 else None
        if m and i not in rule:
            rule[i] = "read_more"
            if not m.group("inline"):
                j = k + 1
                bullets = j < len(content) and bool(_BULLET_RE.match(lines[content[j]]))
                while j < len(content) and j - k <= 12:
                    s = lines[content[j]]
                    if bullets and not _BULLET_RE.match(s):
                        break
                    if not bullets and (_words(s) > 15 or s.endswith(_LINK_LIST_END)):
                        break
                    rule.setdefault(content[j], "read_more")
                    j += 1
                k = j
                continue
        k += 1
    # trailing appeal block: a short appeal header in the second half of the page starts a block that
    # runs to the end of the page (at most 15 lines)
    half = len(content) // 2
    for k in range(max(half, 1), len(content)):
        i = content[k]
        if len(content) - k <= 15 and len(lines[i]) <= 80 and _DONATION_HEAD_RE.match(lines[i]):
            for j in content[k:]:
                rule[j] = "donation"
            break


def _set_date(page: Page, m: dates.DateMatch, zones: list[str], evidence: str, from_meta: bool = False) -> None:
    """Fill the publication fields from the chosen date. A time printed without a zone takes the one zone
    the page prints with its other dates (e.g. its banner); with none (or several) it is read as UTC,
    ``published_tz`` says ``UTC (assumed)`` and a warning is added."""
    page.published_precision = m.precision
    page.date_evidence = evidence[:200]
    if m.precision == "day":
        page.published_at = m.to_utc()
        return
    if m.tz:
        page.published_tz = m.tz
        page.published_at = m.to_utc()
    elif len(zones) == 1 and not from_meta:
        page.published_tz = zones[0]
        page.published_at = m.to_utc(zones[0])
        page.date_evidence += f" [time zone {zones[0]} taken from the page's other date line]"
    else:
        page.published_tz = "UTC (assumed)"
        page.published_at = m.to_utc("UTC")
        why = "the page states several" if len(zones) > 1 else "the page states none"
        page.problems.append(("warning", f"publication time {m.text!r} has no time zone and {why}; "
                                         "read as UTC (published_tz = 'UTC (assumed)')"))
