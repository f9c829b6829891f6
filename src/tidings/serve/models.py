"""The API's request and response shapes (pydantic), which are also what /docs shows.

Responses are built by :mod:`tidings.serve.pages` as plain dicts and sent
as they are (no second validation pass on every read); the tests check them
against these models, so the documentation cannot drift from what is sent.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

MAX_URL = 2048


def _reasonable_time(value: datetime) -> datetime:
    """A time the archive can store and compare: timezone-aware (UTC assumed), within years 1000 to 9000."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    if not 1000 <= value.year <= 8999:
        raise ValueError(f"{value.isoformat()} is out of range (years 1000 to 8999)")
    return value.astimezone(UTC)


def _iso_text(value: Any) -> Any:
    """Only ISO 8601 text is a time here: pydantic would read ``0.5`` as a Unix timestamp."""
    if isinstance(value, str) and re.match(TIME_PATTERN, value):
        return value
    if isinstance(value, datetime):
        return value
    raise ValueError("expected an ISO 8601 date or time like 2024-03-12 or 2024-03-12T09:30:00Z, years 1000 to 8999")


TIME_PATTERN = r"^\s*(1\d{3}|[2-8]\d{3})-\d{2}-\d{2}"  # what the validators accept, said in the schema
Time = Annotated[
    datetime,
    BeforeValidator(_iso_text),
    AfterValidator(_reasonable_time),
    Field(json_schema_extra={"pattern": TIME_PATTERN}),
]


class DocumentIn(BaseModel):
    """One article: its ``text`` (plain) or ``html`` (the page; the article is extracted), or only a ``url`` to fetch.

    With ``text`` or ``html``, ``url`` is where the article lives (it identifies the article, so the same URL
    is never archived twice). A ``url`` alone is fetched under the server's fetch rules: http(s) only, no
    private or loopback addresses unless the server allows them, size and time limits.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: str | None = Field(default=None, min_length=1, description="The article as plain text.")
    html: str | None = Field(default=None, min_length=1, description="The article's web page as HTML.")
    url: str | None = Field(default=None, min_length=1, max_length=MAX_URL, description="The article's address.")
    title: str | None = Field(default=None, max_length=1000)
    outlet: str | None = Field(default=None, max_length=300, description="Who published it, e.g. 'Reuters'.")
    published: Time | None = Field(default=None, description="Publication time, ISO 8601.")

    @model_validator(mode="after")
    def _one_body(self) -> DocumentIn:
        if self.text is not None and self.html is not None:
            raise ValueError("give either text or html, not both")
        if self.text is None and self.html is None and self.url is None:
            raise ValueError("give the article's text, its html, or a url to fetch")
        return self


class DocumentBatch(BaseModel):
    """Several articles in one request (one transaction: all are archived or, on a server error, none)."""

    model_config = ConfigDict(extra="forbid")

    documents: list[DocumentIn] = Field(min_length=1)


def _shape(value: Any) -> str:
    return "batch" if isinstance(value, dict) and "documents" in value else "one"


DocumentsBody = Annotated[
    Annotated[DocumentBatch, Tag("batch")] | Annotated[DocumentIn, Tag("one")], Discriminator(_shape)
]


_FEED_URL = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+"


class FeedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        min_length=1,
        max_length=MAX_URL,
        json_schema_extra={"pattern": _FEED_URL},
        description="An RSS or Atom feed (http or https).",
    )

    @field_validator("url")
    @classmethod
    def _web(cls, value: str) -> str:
        if re.match(_FEED_URL, value):
            return value
        scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", value)
        if scheme:
            raise ValueError(f"refused: scheme {scheme.group(1).lower()!r} (only http and https feeds)")
        raise ValueError("not an absolute URL (it needs http:// or https://)")


class Error(BaseModel):
    """Every error answer has ``error`` (what went wrong, in a sentence); some say more (``problems``, results)."""

    model_config = ConfigDict(extra="allow")

    error: str
    problems: list[dict[str, Any]] | None = None


class Citation(BaseModel):
    document: str
    start: int
    end: int


class SummarySentence(BaseModel):
    text: str
    sources: list[str]
    independent_sources: int
    citations: list[Citation]


class StoryItem(BaseModel):
    id: int
    title: str | None
    size: int = Field(description="Articles in the story.")
    independent_sources: int = Field(description="Articles that are not copies of another one.")
    first_published: datetime | None = Field(description="Its articles' earliest publication date (null: none dated).")
    last_published: datetime | None = Field(description="Its articles' latest publication date (null: none dated).")
    first_seen: datetime | None = Field(description="When its first article was archived (not when it was published).")
    last_seen: datetime | None = Field(description="When its latest article was archived.")
    summary: list[SummarySentence] = Field(description="The cached cited summary (may lag a just-changed story).")
    summary_current: bool = Field(description="False while the summary is being recomputed after a change.")
    href: str
    html: str


class StoryList(BaseModel):
    stories: list[StoryItem]
    limit: int
    offset: int
    next: str | None = Field(description="The next page, if there is one.")


PUBLISHED_SOURCE = (
    "Where the publication date was found: metadata (the page's markup or the date given with the document), feed,"
    " url, text (a byline or dateline); none when the document is undated; null when not recorded."
)


class StoryDocument(BaseModel):
    id: str
    url: str | None
    title: str | None
    outlet: str | None
    published: datetime | None
    published_source: Literal["metadata", "feed", "url", "text", "none"] | None = Field(description=PUBLISHED_SOURCE)
    copy_of: str | None = Field(description="The archived article this one copies (syndication, rewrite).")
    language: str | None
    format: str
    ingested_at: datetime | None
    href: str


class NewSentence(BaseModel):
    text: str
    sources: list[str]
    independent_sources: int


class StoryDetail(StoryItem):
    requested_id: int = Field(description="The id asked for; differs from id when that story was merged.")
    merged_from: list[int]
    documents: list[StoryDocument]
    new: list[NewSentence] | None = Field(
        None,
        description="With `since`: what the articles that arrived after it report that the earlier ones did not"
        " (empty when nothing is new).",
    )
    new_since: datetime | None = Field(None, description="With `since`: the time `new` is relative to.")
    added: list[str] | None = Field(None, description="With `since`: the ids of the articles that arrived after it.")


class CitedSpan(BaseModel):
    sentence: int = Field(description="Which sentence of the story's summary (1-based) cites this span.")
    start: int
    end: int


class DocumentDetail(BaseModel):
    id: str
    url: str | None
    title: str | None
    outlet: str | None
    published: datetime | None
    published_source: Literal["metadata", "feed", "url", "text", "none"] | None = Field(description=PUBLISHED_SOURCE)
    copy_of: str | None
    language: str | None
    format: str
    text: str = Field(description="The cleaned article text; citation offsets index into it.")
    story: int | None
    ingested_at: datetime | None
    cited: list[CitedSpan]
    href: str
    html: str


class SearchHit(BaseModel):
    document: str
    story: int | None
    title: str | None
    snippet: str = Field(description="Matched terms in [brackets].")


class SearchResults(BaseModel):
    query: str
    results: list[SearchHit]
    limit: int
    offset: int
    next: str | None


class Outcome(BaseModel):
    index: int = Field(description="Position of the item in the request.")
    status: str = Field(description="added, duplicate (of id) or problem (see reason).")
    id: str | None = None
    story: int | None = None
    reason: str | None = None
    input: str | None = None


class IngestResult(BaseModel):
    added: int
    duplicates: int
    problems: int
    results: list[Outcome]


class IngestFailure(IngestResult):
    """No item could be used (422): what became of each, and why, in one sentence."""

    error: str


class Feed(BaseModel):
    id: int
    url: str
    last_polled: str | None = None
    last_status: str | None = None


class FeedResult(BaseModel):
    id: int
    url: str
    subscribed: bool
    new: bool


class FeedList(BaseModel):
    feeds: list[Feed]


class Status(BaseModel):
    documents: int
    writes_enabled: bool
    worker: bool = Field(description="The background worker is running.")
    ready: bool = Field(description="Warmed up: the story index is loaded and the compute process started.")
    analysis: bool = Field(description="tidings.analyze is installed: stories show where sources disagree.")
