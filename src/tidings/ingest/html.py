"""Article extraction from HTML pages: three extractions of the page, and the body they agree on.

trafilatura's default mode, its precise mode (``favor_precision``) and readability-lxml each extract the
page; :mod:`tidings.ingest.consensus` merges their paragraphs in page order and keeps the body where the two
algorithms agree, grown by the running text next to it (see that module for the rules and why they hold
across sites). Measured on four benchmarks, each against the same three extractors run alone
(``benchmarks/results/extraction.md``). Then, paragraph by paragraph:

* A paragraph made mostly of **link text** (a list of other stories, a teaser, a "subscribe" box) is
  navigation, not prose, whatever container it sits in.
* The headline, printed again as the first line (matching the metadata title or the page's ``<h1>``),
  is metadata, not body. A standfirst under it is body.
* Of the plain-text cleaner's verdicts (:mod:`tidings.clean`), only those about a line's own shape
  as page furniture (bylines, source credits, "Related" headers, share/subscribe prompts) are used:
  its other verdicts (subheadings, fragments, repeated lines) drop more body than junk on extracted
  HTML, so the pipeline does not run the line cleaner again on HTML documents.
* Embedded tweets (Twitter's standard ``blockquote.twitter-tweet`` markup) are quotations the story
  is about; their link-heavy markup makes the extractors drop them, so they become plain quotes.

Title, date and site name come from trafilatura's metadata. readability-lxml is a base dependency; should
it fail to import, the two trafilatura modes decide alone. A page where nothing is found is an expected
outcome, reported as ``None``.
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
from typing import TYPE_CHECKING

import lxml.html
from lxml.html import HtmlElement

from tidings.ingest import consensus
from tidings.ingest.dates import page_date

if TYPE_CHECKING:
    from trafilatura.settings import Document as TrafilaturaDocument

log = logging.getLogger(__name__)
_MIN_WORDS = 10  # fewer words than this is a menu or a login box, not an article
_LINK_DENSITY = 0.7  # share of a paragraph's characters inside links above which it is navigation
_LINK_MIN_WORDS = 5  # shorter paragraphs (product names, "More:") are too ambiguous to judge by their links
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

    ``favor_precision`` keeps only paragraphs two extractions agree on: less junk, at the cost of
    standfirsts, lead paragraphs and embeds that only one extractor keeps.
    """
    tree = _load(html)
    if tree is None:
        return None
    _unwrap_tweets(tree)
    doc = _trafilatura(tree, url, favor_precision=False, metadata=True)
    precise = _trafilatura(tree, url, favor_precision=True, metadata=False)
    default = doc.text if doc is not None else None
    texts = {
        consensus.DEFAULT: default,
        consensus.PRECISE: precise.text if precise is not None else None,
        consensus.READABILITY: readability_text(tree, url),
    }
    title = doc.title if doc is not None else None
    links = LinkIndex(_anchor_texts(tree))
    titles = [title or "", *_headlines(tree)]

    def prose(paragraph: str) -> bool:
        return _prose(paragraph, links)

    def tidy(paragraphs: list[str]) -> list[str]:
        paragraphs = _drop_title_copies(paragraphs, titles)
        paragraphs = _drop_link_lists(paragraphs, links)
        return _drop_furniture(paragraphs, title)

    paragraphs = tidy(consensus.choose(texts, prose, strict=favor_precision))
    if not favor_precision and (whole := consensus.restore(paragraphs, default, prose)) is not None:
        paragraphs = tidy(whole)
    text = "\n".join(paragraphs)
    if not _enough(text):
        return None
    published, source = page_date(tree, text, title)
    return Extracted(
        text=text,
        title=title or None,
        published=published,
        outlet=(doc.sitename or doc.hostname or None) if doc is not None else None,
        url=(doc.url if doc is not None else None) or url,
        published_source=source,
    )


# -- the extractors ---------------------------------------------------------------


def _load(html: str) -> HtmlElement | None:
    from trafilatura.utils import load_html  # trafilatura loads on the first page, not for text inputs

    try:
        return load_html(html)
    except Exception as exc:  # noqa: BLE001 - lxml raises several types on broken input
        log.debug("cannot parse HTML: %s", exc)
        return None


def _trafilatura(
    tree: HtmlElement, url: str | None, *, favor_precision: bool, metadata: bool
) -> TrafilaturaDocument | None:
    """One trafilatura extraction, ``None`` when it finds nothing or fails (the other extractions still count)."""
    import trafilatura

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return trafilatura.bare_extraction(
                copy.deepcopy(tree),  # trafilatura prunes the tree it is given
                url=url,
                with_metadata=metadata,
                include_comments=False,
                include_tables=True,
                favor_precision=favor_precision,
            )
    except Exception as exc:  # noqa: BLE001 - a hostile page must not sink the batch
        log.debug("trafilatura failed on %s: %s", url, exc)
        return None


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


_PROSE_WORDS = 12  # a dozen words: a sentence, not a label, a heading or a menu entry
_PROSE_LINKS = 0.3
_SENTENCE_END = re.compile(r"[.!?…\"'”’)\]]\s*$")


def _prose(paragraph: str, links: LinkIndex) -> bool:
    """Running text: a dozen words or more, mostly not link text, ending a sentence (or long)."""
    words = len(paragraph.split())
    if words < _PROSE_WORDS or links.density(paragraph) >= _PROSE_LINKS:
        return False
    return bool(_SENTENCE_END.search(paragraph)) or words >= 40


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
    from tidings.clean import clean_lines  # tidings.clean imports tidings.ingest: import late

    verdicts = clean_lines("\n".join(paragraphs), title).lines
    drop: set[int] = set()
    numbers = [v.number for v in verdicts] + [len(paragraphs) + 1]
    for verdict, end in zip(verdicts, numbers[1:], strict=False):
        if verdict.reason in _FURNITURE:
            drop.update(range(verdict.number - 1, end - 1))  # an unwrapped verdict covers several lines
    return [p for i, p in enumerate(paragraphs) if i not in drop]
