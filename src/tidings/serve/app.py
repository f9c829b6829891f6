"""The web application: pages for people, JSON for programs, both from the same archive.

Route handlers are wiring: read rows through the thread's connection
(:class:`~tidings.serve.service.Readers`), hand writes to the single
writer, and pass results to :mod:`tidings.serve.pages` for formatting.

Pages: ``/`` (front page: ranked stories, search box, date filter, pages),
``/stories/{id}`` (cited summary, sources by syndication, timeline, and where
sources disagree when :mod:`tidings.analyze` is installed),
``/documents/{id}`` (the cleaned article, the sentences the summary used
highlighted), ``/search``. API under ``/api`` (OpenAPI at ``/docs``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import FastAPI, Query, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.security import HTTPBearer
from starlette.exceptions import HTTPException

from tidings.config import Config
from tidings.errors import InputError
from tidings.ingest import check_url, document_from_text
from tidings.ingest.sources import read_urls
from tidings.model import Problem
from tidings.serve import analysis, models, pages
from tidings.serve.guard import NO_TOKEN, Guard
from tidings.serve.service import BusyError, Service, Submitted
from tidings.stream import canonical_url

_bearer = HTTPBearer(auto_error=False, description="The server's token (TIDINGS_TOKEN or --token-file).")
_WRITE = [Security(_bearer)]  # documents the scheme in /docs; the check itself is in guard.Guard, before the body
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": models.Error, "description": "No token sent."},
    403: {"model": models.Error, "description": "Wrong token."},
    413: {"model": models.Error, "description": "Body too large (serve.max_body_bytes) or too many documents."},
    422: {"model": models.Error, "description": "Malformed request: the message says what and where."},
    503: {"model": models.Error, "description": "Writes disabled (no token configured) or the writer is busy."},
}


def _version() -> str:
    try:
        return metadata.version("tidings")
    except metadata.PackageNotFoundError:
        return "0"


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=headers)


def _utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _where(loc: tuple[Any, ...]) -> str:
    parts = [p for p in loc if p not in ("body", "query", "path", "batch", "one")]
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or ("body" if loc and loc[0] == "body" else "request")


def _problem(error: dict[str, Any]) -> dict[str, str]:
    kind, message = error.get("type", ""), str(error.get("msg", "invalid"))
    if kind == "json_invalid":
        reason = (error.get("ctx") or {}).get("error", "")
        return {"where": "body", "problem": f"not valid JSON ({reason})" if reason else "not valid JSON"}
    if kind == "model_attributes_type" and tuple(error.get("loc", ())) in (("body", "one"), ("body",)):
        message = 'expected a JSON object: one document {"text": ...} or a batch {"documents": [...]}'
    elif kind == "missing" and tuple(error.get("loc", ())) == ("body",):
        message = "a JSON body is required"
    return {"where": _where(tuple(error.get("loc", ()))), "problem": message.removeprefix("Value error, ")}


def create_app(db_path: str | Path, config: Config | None = None, token: str | None = None) -> FastAPI:
    """The service for one archive file; ``token`` enables the write endpoints (None: read-only server).

    >>> from fastapi.testclient import TestClient  # doctest: +SKIP
    >>> with TestClient(create_app("tidings.db", token="s3cret")) as client:  # doctest: +SKIP
    ...     client.get("/api/stories").json()["stories"]
    """
    config = config or Config()
    service = Service(db_path, config, token or None)
    serve = config.serve

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service.start()
        try:
            yield
        finally:
            service.close()

    app = FastAPI(
        title="tidings",
        version=_version(),
        summary="News stories with cited summaries: the same archive as web pages and as JSON.",
        lifespan=lifespan,
    )
    app.state.service = service
    app.add_middleware(Guard, token=service.token, max_body=serve.max_body_bytes)
    env = pages.environment()

    def page(template: str, status: int = 200, **values: Any) -> HTMLResponse:
        html = env.get_template(template).render(writes=service.writes_enabled, **values)
        return HTMLResponse(html, status_code=status)

    # -- errors ------------------------------------------------------------------------------------------

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = [_problem(e) for e in exc.errors()]
        first = problems[0] if problems else {"where": "request", "problem": "invalid"}
        message = f"invalid request: {first['where']}: {first['problem']}"
        if not request.url.path.startswith("/api/"):
            return page("web_error.html", 400, title="Bad request", message=message)
        return _json({"error": message, "problems": problems}, 422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if not request.url.path.startswith("/api/"):
            title = "Not found" if exc.status_code == 404 else "Error"
            return page("web_error.html", exc.status_code, title=title, message=str(exc.detail))
        return _json({"error": str(exc.detail)}, exc.status_code, dict(exc.headers or {}))

    @app.exception_handler(BusyError)
    async def busy(request: Request, exc: BusyError) -> Response:
        return _json({"error": str(exc)}, 503, {"Retry-After": "5"})

    def limit_ok(limit: int) -> int:
        if limit > serve.max_page_size:
            raise HTTPException(422, f"limit: at most {serve.max_page_size}")
        return limit

    # -- API: reading ------------------------------------------------------------------------------------
    # Reads are async: they run on the event loop, on its own read-only connection. They are indexed SQLite
    # queries of a few milliseconds at most, and running them in the thread pool costs more than it saves:
    # each of a thread's many handovers of the interpreter lock waits for a busy loop (measured: front-page
    # and search latency under load fell several-fold). Writes, which clean and fetch, use the thread pool.

    @app.get("/api/stories", response_model=models.StoryList, tags=["read"])
    async def api_stories(
        limit: Annotated[int, Query(ge=1, description="Stories per page.")] = serve.page_size,
        offset: Annotated[int, Query(ge=0)] = 0,
        since: Annotated[datetime | None, Query(description="Only stories active since (ISO 8601).")] = None,
    ) -> Response:
        """Live stories, most recently active first (a client polling with ``since`` sees what changed)."""
        rows = service.read().stories(since=_utc(since), limit=limit_ok(limit) + 1, offset=offset)
        more = f"/api/stories?limit={limit}&offset={offset + limit}" if len(rows) > limit else None
        if more and since is not None:
            more += f"&since={_utc(since).isoformat().replace('+', '%2B')}"  # type: ignore[union-attr]
        data = {"stories": [pages.story_item_json(r) for r in rows[:limit]], "limit": limit, "offset": offset}
        return _json({**data, "next": more})

    @app.get("/api/stories/{story_id}", response_model=models.StoryDetail, tags=["read"])
    async def api_story(story_id: int) -> Response:
        """One story with its articles; the id of a story merged into another resolves to the live one."""
        archive = service.read()
        live = archive.resolve_story(story_id)
        row = archive.story(live) if live is not None else None
        if row is None:
            raise HTTPException(404, f"no story {story_id}")
        merged = {a for a, b, _, _ in archive.merges(row.id) if b == row.id}
        data = pages.story_detail_json(row, archive.story_documents(row.id), sorted(merged), story_id)
        headers = {"Content-Location": f"/api/stories/{row.id}"} if row.id != story_id else None
        return _json(data, headers=headers)

    @app.get("/api/documents/{doc_id}", response_model=models.DocumentDetail, tags=["read"])
    async def api_document(doc_id: str) -> Response:
        """One archived article: cleaned text, provenance, and the spans the story's summary cites."""
        archive = service.read()
        stored = archive.document(doc_id)
        if stored is None:
            raise HTTPException(404, f"no document {doc_id}")
        story = archive.resolve_story(stored.story_id) if stored.story_id is not None else None
        row = archive.story(story) if story is not None else None
        spans = pages.cited_spans(row.summary if row else None, doc_id)
        return _json(pages.document_detail_json(stored, story, spans))

    @app.get("/api/search", response_model=models.SearchResults, tags=["read"])
    async def api_search(
        q: Annotated[str, Query(min_length=1, max_length=500, description="Words to find (all of them).")],
        limit: Annotated[int, Query(ge=1)] = serve.page_size,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> Response:
        """Full-text search over archived articles (SQLite FTS5), best match first."""
        hits = service.read().search(q, limit=limit_ok(limit) + 1, offset=offset)
        results = [{"document": d, "story": s, "title": t, "snippet": snip} for d, s, t, snip in hits[:limit]]
        more = None
        if len(hits) > limit:
            more = "/api/search?" + urlencode({"q": q, "limit": limit, "offset": offset + limit})
        return _json({"query": q, "results": results, "limit": limit, "offset": offset, "next": more})

    @app.get("/api/feeds", response_model=models.FeedList, tags=["read"])
    async def api_feeds() -> Response:
        """Subscribed feeds and how their last poll went."""
        return _json({"feeds": service.read().feed_rows()})

    @app.get("/api/status", response_model=models.Status, tags=["read"])
    async def api_status() -> Response:
        """What this server can do right now."""
        return _json(
            {
                "documents": service.read().count_documents(),
                "writes_enabled": service.writes_enabled,
                "worker": service.worker.is_alive(),
                "ready": service.worker.ready.is_set(),
                "analysis": analysis.available(),
            }
        )

    # -- API: writing ------------------------------------------------------------------------------------

    @app.post(
        "/api/documents",
        response_model=models.IngestResult,
        status_code=201,
        dependencies=_WRITE,
        responses=_ERRORS,
        tags=["write"],
    )
    def api_add_documents(body: models.DocumentsBody) -> Response:
        """Add one article or a batch; each is text, HTML, or a URL fetched under the server's fetch rules.

        201 when at least one article was added, 200 when all were already archived, 422 when none could
        be used; ``results`` says what became of each item, in order.
        """
        if not service.writes_enabled:  # the guard answers first; this keeps the endpoint safe on its own
            raise HTTPException(503, NO_TOKEN)
        items = body.documents if isinstance(body, models.DocumentBatch) else [body]
        if len(items) > serve.max_batch:
            raise HTTPException(413, f"too many documents: {len(items)}, at most {serve.max_batch} per request")
        outcomes = service.writer.add(_submitted(items, service))
        service.changed()
        added = sum(o.status == "added" for o in outcomes)
        duplicates = sum(o.status == "duplicate" for o in outcomes)
        problems = sum(o.status == "problem" for o in outcomes)
        status = 201 if added else (200 if duplicates else 422)
        results = [
            {"index": o.index, "status": o.status, "id": o.id, "story": o.story, "reason": o.reason, "input": o.input}
            for o in outcomes
        ]
        data: dict[str, Any] = {"added": added, "duplicates": duplicates, "problems": problems, "results": results}
        if status == 422:
            data["error"] = "no document could be used: " + "; ".join(
                f"item {o.index}: {o.reason}" for o in outcomes if o.reason
            )
        return _json(data, status)

    @app.post(
        "/api/feeds",
        response_model=models.FeedResult,
        status_code=201,
        dependencies=_WRITE,
        responses=_ERRORS,
        tags=["write"],
    )
    def api_subscribe(body: models.FeedIn) -> Response:
        """Subscribe to an RSS/Atom feed: the background worker polls it (conditional GET) with the fetch rules."""
        if not service.writes_enabled:
            raise HTTPException(503, NO_TOKEN)
        try:
            url = check_url(body.url, config.fetch, resolve=False)
        except InputError as exc:
            raise HTTPException(422, f"url: {exc}") from None
        new = service.writer.subscribe(url)
        service.worker.poll_soon()
        return _json({"url": url, "subscribed": True, "new": new}, 201 if new else 200)

    # -- pages ---------------------------------------------------------------------------------------------

    @app.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse, include_in_schema=False)
    async def front(
        date_from: Annotated[str | None, Query(alias="from", max_length=40)] = None,
        date_to: Annotated[str | None, Query(alias="to", max_length=40)] = None,
        page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    ) -> Response:
        key = ("front", date_from, date_to, page_no)
        cached = service.pages.peek(key)  # the same page for everyone: kept a moment (serve.page_cache_seconds)
        if cached is None:
            response = front_page(date_from, date_to, page_no)
            cached = (response.status_code, bytes(response.body))
            service.pages.put(key, cached)
        return HTMLResponse(cached[1], status_code=cached[0])

    def front_page(date_from: str | None, date_to: str | None, page_no: int) -> Response:
        archive = service.read()
        try:
            window = pages.front_window(archive.latest_activity(), serve.front_days, date_from, date_to)
        except ValueError as exc:
            return page("web_error.html", 400, title="Bad date", message=str(exc))
        total = archive.count_ranked(start=window.start, end=window.end)
        pager = pages.pager(total, page_no, serve.page_size, window.query)
        rows = archive.ranked_stories(
            start=window.start, end=window.end, limit=serve.page_size, offset=(pager.page - 1) * serve.page_size
        )
        return page(
            "web_front.html",
            title="Stories",
            cards=[pages.story_card(r) for r in rows],
            window=window,
            pager=pager,
            rule=pages.RANK_RULE,
        )

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    async def story_page(story_id: int) -> Response:
        archive = service.read()
        live = archive.resolve_story(story_id)
        row = archive.story(live) if live is not None else None
        if row is None:
            raise HTTPException(404, f"There is no story {story_id} in this archive.")
        if row.id != story_id:
            return RedirectResponse(f"/stories/{row.id}", status_code=301)
        stored = archive.story_documents(row.id)
        documents = [s.document for s in stored]
        numbers = pages.numbering(row.summary, documents)
        if not row.summary_is_current:
            service.changed()
        analysed, disagreements = (True, None)
        if analysis.available() and row.independent > 1:  # disagreement needs two independent sources
            analysed, disagreements = service.analyses.get(row)
            if not analysed:
                service.changed()  # the worker computes it
        return page(
            "web_story.html",
            title=row.title or f"Story {row.id}",
            story=row,
            card=pages.story_card(row),
            sentences=pages.cited_summary(row.summary, documents, numbers),
            groups=pages.source_groups(documents, numbers),
            timeline=pages.timeline(stored, numbers),
            analysed=analysed,
            disagreements=pages.disagreement_views(disagreements or [], documents, numbers),
        )

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    async def document_page(doc_id: str) -> Response:
        archive = service.read()
        stored = archive.document(doc_id)
        if stored is None:
            raise HTTPException(404, "There is no such article in this archive.")
        story = archive.resolve_story(stored.story_id) if stored.story_id is not None else None
        row = archive.story(story) if story is not None else None
        spans = pages.cited_spans(row.summary if row else None, doc_id)
        original = archive.document(stored.document.copy_of) if stored.document.copy_of else None
        return page(
            "web_document.html",
            title=stored.document.title or "Article",
            stored=stored,
            doc=stored.document,
            outlet=pages.outlet(stored.document),
            story=row,
            paragraphs=pages.highlight(stored.document.text, spans),
            cited=len({k for _, _, k in spans}),
            original=original.document if original else None,
        )

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    async def search_page(
        q: Annotated[str, Query(max_length=500)] = "",
        page_no: Annotated[int, Query(alias="page", ge=1, le=1000)] = 1,
    ) -> Response:
        size = serve.page_size
        hits = service.read().search(
            q, limit=size + 1, offset=(page_no - 1) * size, marks=(pages.MARK_OPEN, pages.MARK_CLOSE)
        )
        results = [
            {"document": d, "story": s, "title": t or "(untitled)", "snippet": pages.snippet_pieces(snip)}
            for d, s, t, snip in hits[:size]
        ]
        return page(
            "web_search.html",
            title=f"Search: {q}" if q else "Search",
            q=q,
            results=results,
            page_no=page_no,
            more=len(hits) > size,
        )

    return app


def _submitted(items: list[models.DocumentIn], service: Service) -> list[Submitted]:
    """Request items as documents; URLs are fetched here, in the request's thread, before any lock is taken."""
    out: list[Submitted] = []
    archive = service.read()
    for index, item in enumerate(items):
        if item.text is None and item.html is None:
            url = item.url or ""
            reads = list(
                read_urls(
                    [url],
                    service.fetcher,
                    service.config.ingest,
                    known=lambda link: archive.has_url(canonical_url(link)),
                )
            )
            if not reads:
                out.append((index, Problem(url, "nothing new at this address (its articles are archived)")))
            for read in reads:
                if isinstance(read, Problem):
                    out.append((index, read))
                else:
                    doc = read.document
                    doc = replace(
                        doc,
                        title=item.title or doc.title,
                        outlet=item.outlet or doc.outlet,
                        published=item.published or doc.published,
                    )
                    out.append((index, doc, read.raw))
            continue
        raw = item.text if item.text is not None else item.html or ""
        try:
            doc = document_from_text(
                raw,
                doc_id=item.url or f"item {index}",
                url=item.url,
                title=item.title,
                outlet=item.outlet,
                published=_utc(item.published),
                is_html=item.html is not None,
            )
        except InputError as exc:
            out.append((index, Problem(item.url or f"item {index}", str(exc))))
            continue
        out.append((index, doc, raw))
    return out
