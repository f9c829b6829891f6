"""Article extraction from HTML pages: trafilatura's precise mode, checked against readability.

One extractor is right most of the time and wrong in predictable places. What follows was measured on
the Article Extraction Benchmark's pages (``tidings eval-extraction``, ``benchmarks/results/extraction.md``):

* trafilatura with ``favor_precision`` is the best single extractor we have, and what it gets wrong
  sits mostly at the **edges** of the body: the headline printed again above it, deks and bylines,
  and below it author bios, newsletter boxes, "Related" lists and press-release boilerplate. Its
  default mode adds more junk than body, so it only serves when the precise mode finds nothing.
* readability-lxml finds the body by another algorithm (scoring the ancestors of paragraphs), so its
  mistakes are different. Where both agree the body starts and ends is a safer boundary than either
  one's guess. In the middle of the body trafilatura is trusted: readability drops embeds, tables
  and short lists that readers do see.
* A paragraph made mostly of **link text** (a list of other stories, a teaser, a "subscribe" box) is
  navigation, not prose, whatever container it sits in.
* The headline, printed again as the first line (matching the metadata title or the page's ``<h1>``),
  is metadata, not body.
* Of the plain-text cleaner's verdicts (:mod:`tidings.clean`), only those about a line's own shape
  as page furniture (bylines, source credits, "Related" headers, share/subscribe prompts) are used:
  its other verdicts (subheadings, fragments, repeated lines) drop more body than junk on extracted
  HTML, so the pipeline does not run the line cleaner again on HTML documents.
* Embedded tweets (Twitter's standard ``blockquote.twitter-tweet`` markup) are quotations the story
  is about; their link-heavy markup makes both extractors drop them, so they become plain quotes.

readability-lxml is a base dependency; should it fail to import, the edge check is skipped and the
rest still applies. A page where nothing is found is an expected outcome,
reported as ``None``.
"""

from __future__ import annotations

import copy
import logging
import re
import warnings
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import lxml.html
import trafilatura
from lxml.html import HtmlElement
from trafilatura.settings import Document as TrafilaturaDocument
from trafilatura.utils import load_html

from tidings.ingest.dates import byline_date, dateline_date, first_date, metadata_date

log = logging.getLogger(__name__)
_MIN_WORDS = 10  # fewer words than this is a menu or a login box, not an article
_LINK_DENSITY = 0.7  # share of a paragraph's characters inside links above which it is navigation
_LINK_MIN_WORDS = 5  # shorter paragraphs (product names, "More:") are too ambiguous to judge by their links
_AGREE = 0.5  # share of a paragraph's 4-word shingles another extraction must contain to confirm it
_SHINGLE = 4
_TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
_TWEET = '//blockquote[contains(concat(" ", normalize-space(@class), " "), " twitter-tweet ")]'


@dataclass(frozen=True, slots=True)
class Extracted:
    """What was found in a page: the article body and its metadata."""

    text: str
    title: str | None
    published: datetime | None
    outlet: str | None
    url: str | None
    published_source: str = "none"  # "metadata" (the page's markup), "text" (its byline or dateline) or "none"


def looks_like_html(text: str) -> bool:
    """Sniff HTML in input that came without a file name (stdin, JSON fields)."""
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or (
        head.startswith("<") and any(tag in head for tag in ("<body", "<head", "<p>", "<div", "<article"))
    )


def extract_html(html: str, url: str | None = None, *, favor_precision: bool = False) -> Extracted | None:
    """Extract the main article of a page, or ``None`` when there is none.

    ``favor_precision`` keeps only the paragraphs readability confirms anywhere in the body, not just
    at its edges: less junk, at the cost of embeds and short lists that readability drops.
    """
    tree = _load(html)
    if tree is None:
        return None
    _unwrap_tweets(tree)
    try:
        doc = _trafilatura(tree, url, favor_precision=True)
        if doc is None or not _enough(doc.text):
            doc = _trafilatura(tree, url, favor_precision=False)  # the precise mode can miss a short page
    except Exception as exc:  # noqa: BLE001 - a hostile page must not sink the batch
        log.debug("trafilatura failed on %s: %s", url, exc)
        return None
    if doc is None or not _enough(doc.text):
        return None
    paragraphs = [p for p in (doc.text or "").split("\n") if p.strip()]
    paragraphs = _drop_title_copies(paragraphs, [doc.title or "", *_headlines(tree)])
    paragraphs = _drop_link_lists(paragraphs, LinkIndex(_anchor_texts(tree)))
    paragraphs = _drop_furniture(paragraphs, doc.title)
    other = readability_text(tree, url)
    if other is not None:
        paragraphs = _agreeing(paragraphs, other, everywhere=favor_precision)
    text = "\n".join(paragraphs)
    if not _enough(text):
        return None
    published, source = first_date(
        (metadata_date(tree), "metadata"), (byline_date(tree, text) or dateline_date(text), "text")
    )
    return Extracted(
        text=text,
        title=doc.title or None,
        published=published,
        outlet=doc.sitename or doc.hostname or None,
        url=doc.url or url,
        published_source=source,
    )


# -- the extractors ---------------------------------------------------------------


def _load(html: str) -> HtmlElement | None:
    try:
        return load_html(html)
    except Exception as exc:  # noqa: BLE001 - lxml raises several types on broken input
        log.debug("cannot parse HTML: %s", exc)
        return None


def _trafilatura(tree: HtmlElement, url: str | None, *, favor_precision: bool) -> TrafilaturaDocument | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return trafilatura.bare_extraction(
            copy.deepcopy(tree),  # trafilatura prunes the tree it is given
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            favor_precision=favor_precision,
        )


def readability_text(page: str | HtmlElement, url: str | None = None) -> str | None:
    """readability-lxml's article as text with a line per block, ``None`` when it is not installed or fails."""
    try:
        from readability import Document
    except ImportError:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = copy.deepcopy(page) if isinstance(page, HtmlElement) else page
            return html_to_text(Document(tree, url=url).summary(html_partial=True))
    except Exception as exc:  # noqa: BLE001 - a second opinion that fails is simply absent
        log.debug("readability failed on %s: %s", url, exc)
        return None


_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr"}
    | {"td", "th", "section", "article", "header", "footer", "figure", "figcaption", "dl", "dt", "dd", "hr"}
)


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment with a line break around every block element.

    Block boundaries matter: without them the last word of one paragraph and the first of the next
    glue into one token, and paragraphs cannot be compared with another extractor's.

    >>> html_to_text("<div><p>One <b>two</b></p><p>Three</p><script>x()</script></div>")
    'One two\\nThree'
    """
    if not fragment.strip():
        return ""
    root = lxml.html.fromstring(fragment)
    for el in list(root.iter("script", "style", "noscript")):
        el.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag in _BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
            if el.tag != "br":
                el.text = "\n" + (el.text or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


# -- page preparation -------------------------------------------------------------


def _unwrap_tweets(tree: HtmlElement) -> None:
    """Turn embedded tweets into plain quotations (no class, no links) so extractors keep their text."""
    for quote in tree.xpath(_TWEET):
        for link in list(quote.iter("a")):
            link.drop_tag()
        for name in list(quote.attrib):
            del quote.attrib[name]
        # the embed's wrapper ("social-media-embed", "twitter-wrap") looks like a share widget: unwrap it
        parent = quote.getparent()
        while parent is not None and parent.tag in ("div", "figure", "span") and _only_child(parent, quote):
            grand = parent.getparent()
            if grand is None:
                break
            quote.tail = parent.tail
            grand.replace(parent, quote)
            parent = grand


def _only_child(parent: HtmlElement, child: HtmlElement) -> bool:
    """True when ``child`` is all ``parent`` shows (scripts and whitespace aside)."""
    if (parent.text or "").strip():
        return False
    for el in parent:
        if el is not child and (el.tag not in ("script", "noscript") or (el.tail or "").strip()):
            return False
    return not (child.tail or "").strip()


def _headlines(tree: HtmlElement) -> list[str]:
    """Text of the page's ``<h1>`` elements (a page has one, or a few in templates that misuse it)."""
    return [_SPACE.sub(" ", h.text_content()).strip() for h in tree.iter("h1")][:5]


def _anchor_texts(tree: HtmlElement) -> set[str]:
    """Distinct link texts of the page."""
    return {a.text_content() for a in tree.iter("a")}


# -- paragraph decisions ----------------------------------------------------------


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _enough(text: str | None) -> bool:
    return len(_TOKEN.findall(text or "")) >= _MIN_WORDS


class LinkIndex:
    """The page's link texts, to measure how much of a paragraph is link text.

    Matching is by substring, not by word, because extracted text glues words together where the markup
    had no space (a link followed by a hidden hover card reads "Kristi NoemKristi Lynn Noem..."). A page
    can have thousands of links and its body thousands of paragraphs, so each link is filed under its
    rarest 6-character piece and a paragraph only tries the links whose piece it contains.
    """

    _K = 6

    def __init__(self, anchors: Iterable[str]) -> None:
        texts = {t for a in anchors if len(t := _SPACE.sub(" ", a).strip()) >= 2}
        long = [t for t in texts if len(t) >= self._K]
        self._short = sorted(t for t in texts if len(t) < self._K)
        counts = Counter(g for t in long for g in self._pieces(t))
        self._by_piece: dict[str, list[str]] = {}
        for t in long:
            self._by_piece.setdefault(min(self._pieces(t), key=counts.__getitem__), []).append(t)

    @classmethod
    def _pieces(cls, text: str) -> set[str]:
        return {text[i : i + cls._K] for i in range(len(text) - cls._K + 1)}

    def density(self, paragraph: str) -> float:
        """Share of the paragraph's characters covered by link texts (longest first, each place once).

        >>> LinkIndex(["Big story about things"]).density("Related: Big story about things")
        0.7096774193548387
        """
        rest = _SPACE.sub(" ", paragraph).strip()
        total = len(rest)
        if not total:
            return 0.0
        candidates = [t for piece in self._pieces(rest) for t in self._by_piece.get(piece, ())]
        candidates += [t for t in self._short if t in rest]
        covered = 0
        for anchor in sorted(set(candidates), key=len, reverse=True):
            if anchor in rest:
                covered += len(anchor) * rest.count(anchor)
                rest = rest.replace(anchor, "\x00")
        return covered / total


def _drop_link_lists(paragraphs: list[str], links: LinkIndex) -> list[str]:
    return [p for p in paragraphs if len(p.split()) < _LINK_MIN_WORDS or links.density(p) < _LINK_DENSITY]


def _same_text(a: str, b: str) -> bool:
    """Same words, about the same length: a copy of the headline, not a sentence that starts like it."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb or abs(len(ta) - len(tb)) > max(2, len(tb) // 5):
        return False
    sa, sb = set(ta), set(tb)
    return len(sa & sb) / len(sa | sb) >= 0.8


def _drop_title_copies(paragraphs: list[str], titles: list[str]) -> list[str]:
    """The headline printed again above the body is not part of it (the title is kept as metadata).

    Headlines come from the metadata (often an SEO variant) and from the page's ``<h1>`` (what the reader
    sees), since the copy in the body follows either.
    """
    start = 0
    while start < len(paragraphs) and any(t and _same_text(paragraphs[start], t) for t in titles):
        start += 1
    return paragraphs[start:]


_FURNITURE = frozenset({"byline or credit line", "source line", "teaser header", "share, subscribe or site chrome"})


def _drop_furniture(paragraphs: list[str], title: str | None) -> list[str]:
    """Lines the cleaner recognises as page furniture by their own shape: bylines, source credits,
    "Related"-style headers, share and subscribe prompts. Its other verdicts (headings, fragments,
    repeated lines) are kept out: on extracted HTML they drop more body than junk.
    """
    from tidings.clean import clean_text  # tidings.clean imports tidings.ingest: import late

    _, verdicts, _ = clean_text("\n".join(paragraphs), title)
    drop: set[int] = set()
    numbers = [v.number for v in verdicts] + [len(paragraphs) + 1]
    for verdict, end in zip(verdicts, numbers[1:], strict=False):
        if verdict.reason in _FURNITURE:
            drop.update(range(verdict.number - 1, end - 1))  # an unwrapped verdict covers several lines
    return [p for i, p in enumerate(paragraphs) if i not in drop]


class _Shingles:
    """Lower-cased 4-word shingles of a text, to ask whether it contains a paragraph."""

    def __init__(self, text: str) -> None:
        tokens = _tokens(text)
        self.lines = {" ".join(_tokens(line)) for line in text.split("\n")}
        self.shingles = set(zip(*(tokens[i:] for i in range(_SHINGLE)), strict=False))

    def confirms(self, paragraph: str) -> bool:
        """Most of the paragraph's shingles are there; a paragraph too short for one must be a whole line there."""
        tokens = _tokens(paragraph)
        if len(tokens) < _SHINGLE:
            return bool(tokens) and " ".join(tokens) in self.lines
        grams = list(zip(*(tokens[i:] for i in range(_SHINGLE)), strict=False))
        return sum(g in self.shingles for g in grams) / len(grams) >= _AGREE


def _agreeing(paragraphs: list[str], other: str, *, everywhere: bool = False) -> list[str]:
    """Trim the paragraphs before the first and after the last one the other extraction confirms.

    With ``everywhere``, every unconfirmed paragraph goes. When the other extraction confirms nothing
    it has found a different part of the page, and there is no agreement to act on.
    """
    index = _Shingles(other)
    confirmed = [index.confirms(p) for p in paragraphs]
    if not any(confirmed):
        return paragraphs
    if everywhere:
        return [p for p, ok in zip(paragraphs, confirmed, strict=True) if ok]
    first = confirmed.index(True)
    last = len(confirmed) - confirmed[::-1].index(True)
    return paragraphs[first:last]
