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

import re
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from importlib import metadata, resources
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import FastAPI, Query, Request, Security
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.security import HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import AfterValidator
from starlette.exceptions import HTTPException
from starlette.routing import Match

from tidings import atom as atom_out
from tidings.config import Config
from tidings.errors import InputError
from tidings.ingest import check_url, document_from_text
from tidings.ingest.sources import read_urls
from tidings.ingest.urls import url_refusal
from tidings.model import Problem
from tidings.serve import analysis, models, pages
from tidings.serve.guard import NO_TOKEN, Guard, SecurityHeaders
from tidings.serve.service import BusyError, Service, Submitted
from tidings.store import StoryRow
from tidings.stream import canonical_url

_bearer = HTTPBearer(auto_error=False, description="The server's token (TIDINGS_TOKEN or --token-file).")
_WRITE = [Security(_bearer)]  # documents the scheme in /docs; the check itself is in guard.Guard, before the body
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": models.Error, "description": "The body is not JSON in UTF-8, or a header is malformed."},
    401: {"model": models.Error, "description": "No token sent."},
    403: {"model": models.Error, "description": "Wrong token."},
    413: {"model": models.Error, "description": "Body too large (serve.max_body_bytes) or too many documents."},
    422: {"model": models.Error, "description": "Malformed request: the message says what and where."},
    503: {"model": models.Error, "description": "Writes disabled (no token configured) or the writer is busy."},
}


_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": models.Error, "description": "No such item."}}
_SLOW: dict[int | str, dict[str, Any]] = {
    503: {"model": models.Error, "description": "The query ran past serve.read_seconds, or (search) too many at once."}
}
MAX_ID = 2**63 - 1  # SQLite's largest integer: an id beyond it cannot exist
MAX_OFFSET = 100_000  # a listing deeper than this is a crawl, not a reader (use since= to follow changes)
MAX_SEARCH_OFFSET = 1_000  # search results past the thousandth are not read
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _plain_text(value: str) -> str:
    """Query text without control characters (NUL and the like mean nothing in a search and break SQL strings)."""
    return _CONTROL.sub(" ", value)


SearchText = Annotated[str, AfterValidator(_plain_text)]
StoryId = Annotated[int, PathParam(ge=1, le=MAX_ID)]
DocId = Annotated[str, PathParam(min_length=1, max_length=64)]


def _version() -> str:
    try:
        return metadata.version("tidings")
    except metadata.PackageNotFoundError:
        return "0"


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=headers)


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
        docs_url=None,  # served below from the package's own files, not a CDN
        redoc_url=None,
    )
    app.state.service = service
    app.add_middleware(Guard, token=service.token, max_body=serve.max_body_bytes)
    app.add_middleware(SecurityHeaders)  # outermost: every answer, the guard's refusals included
    app.mount("/static/docs", StaticFiles(directory=str(_swagger_files())), name="docs-files")
    app.mount("/static", StaticFiles(directory=str(resources.files("tidings") / "static")), name="static")
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
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # the router names the first route's methods; the path may have several
            headers["Allow"] = ", ".join(_allowed_methods(app, request.scope))
        if not request.url.path.startswith("/api/"):
            title = "Not found" if exc.status_code == 404 else "Error"
            answer = page("web_error.html", exc.status_code, title=title, message=str(exc.detail))
            answer.headers.update(headers)
            return answer
        return _json({"error": str(exc.detail)}, exc.status_code, headers)

    @app.exception_handler(BusyError)
    async def busy(request: Request, exc: BusyError) -> Response:
        if not request.url.path.startswith("/api/"):
            answer = page("web_error.html", 503, title="Busy", message=f"{exc}.")
            answer.headers["Retry-After"] = "5"
            return answer
        return _json({"error": str(exc)}, 503, {"Retry-After": "5"})

    @app.exception_handler(sqlite3.OperationalError)
    async def slow(request: Request, exc: sqlite3.OperationalError) -> Response:
        if "interrupted" not in str(exc):
            raise exc
        message = f"this request needed more than {serve.read_seconds:g} s of work; narrow it down (fewer pages back)"
        if not request.url.path.startswith("/api/"):
            return page("web_error.html", 503, title="Too much work", message=message)
        return _json({"error": message}, 503)

    # -- API: reading ------------------------------------------------------------------------------------
    # Reads are plain functions, so FastAPI runs them in its thread pool, each thread on its own read-only
    # connection with a time budget (serve.read_seconds): a slow read never holds the event loop, and
    # SQLite releases the interpreter lock while it works, so other requests go on meanwhile.

    # the ceiling comes from the configuration, so this type is made here (annotations are evaluated here:
    # this module does not use postponed annotations, for FastAPI to see it)
    Limit = Annotated[int, Query(ge=1, le=serve.max_page_size, description="Items per page.")]  # noqa: N806

    @app.get("/api/stories", response_model=models.StoryList, tags=["read"], responses=_SLOW)
    def api_stories(
        limit: Limit = serve.page_size,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
        since: Annotated[models.Time | None, Query(description="Only stories active since (ISO 8601).")] = None,
    ) -> Response:
        """Live stories, most recently active first (a client polling with ``since`` sees what changed)."""
        rows = service.read().stories(since=since, limit=limit + 1, offset=offset)
        more = None
        if len(rows) > limit and offset + limit <= MAX_OFFSET:
            more = "/api/stories?" + urlencode(
                {"limit": limit, "offset": offset + limit, **({"since": since.isoformat()} if since else {})}
            )
        data = {"stories": [pages.story_item_json(r) for r in rows[:limit]], "limit": limit, "offset": offset}
        return _json({**data, "next": more})

    @app.get(
        "/api/stories/{story_id}",
        response_model=models.StoryDetail,
        tags=["read"],
        responses={**_NOT_FOUND, **_SLOW},
    )
    def api_story(
        story_id: StoryId,
        since: Annotated[
            models.Time | None,
            Query(
                description="Add `new`: what the articles that arrived after this time (ISO 8601) report that the"
                " earlier ones did not."
            ),
        ] = None,
    ) -> Response:
        """One story with its articles; the id of a story merged into another resolves to the live one."""
        archive = service.read()
        live = archive.resolve_story(story_id)
        row = archive.story(live) if live is not None else None
        if row is None:
            raise HTTPException(404, f"no story {story_id}")
        merged = {a for a, b, _, _ in archive.merges(row.id) if b == row.id}
        stored = archive.story_documents(row.id)
        data = pages.story_detail_json(row, stored, sorted(merged), story_id)
        if since is not None:
            arrivals = [d.ingested_at for d in stored]
            news = service.news(row, since, arrivals) or {"since": since.isoformat(), "new": [], "added": []}
            data |= {"new": news["new"], "new_since": news["since"], "added": news["added"]}
        headers = {"Content-Location": f"/api/stories/{row.id}"} if row.id != story_id else None
        return _json(data, headers=headers)

    @app.get(
        "/api/documents/{doc_id}",
        response_model=models.DocumentDetail,
        tags=["read"],
        responses={**_NOT_FOUND, **_SLOW},
    )
    def api_document(doc_id: DocId) -> Response:
        """One archived article: cleaned text, provenance, and the spans the story's summary cites."""
        archive = service.read()
        stored = archive.document(doc_id)
        if stored is None:
            raise HTTPException(404, f"no document {doc_id}")
        story = archive.resolve_story(stored.story_id) if stored.story_id is not None else None
        row = archive.story(story) if story is not None else None
        spans = pages.cited_spans(row.summary if row else None, doc_id)
        return _json(pages.document_detail_json(stored, story, spans))

    @app.get("/api/search", response_model=models.SearchResults, tags=["read"], responses=_SLOW)
    def api_search(
        q: Annotated[SearchText, Query(min_length=1, max_length=500, description="Words to find (all of them).")],
        limit: Limit = serve.page_size,
        offset: Annotated[int, Query(ge=0, le=MAX_SEARCH_OFFSET)] = 0,
    ) -> Response:
        """Full-text search over archived articles (SQLite FTS5), best match first; at most 12 distinct words."""
        with service.search_slot():
            hits = service.read().search(q, limit=limit + 1, offset=offset)
        results = [{"document": d, "story": s, "title": t, "snippet": snip} for d, s, t, snip in hits[:limit]]
        more = None
        if len(hits) > limit and offset + limit <= MAX_SEARCH_OFFSET:
            more = "/api/search?" + urlencode({"q": q, "limit": limit, "offset": offset + limit})
        return _json({"query": q, "results": results, "limit": limit, "offset": offset, "next": more})

    @app.get("/api/feeds", response_model=models.FeedList, tags=["read"], responses=_SLOW)
    def api_feeds() -> Response:
        """Subscribed feeds and how their last poll went."""
        return _json({"feeds": service.read().feed_rows()})

    @app.get("/api/status", response_model=models.Status, tags=["read"], responses=_SLOW)
    def api_status() -> Response:
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
        responses={
            **_ERRORS,
            200: {"model": models.IngestResult, "description": "Every item was archived already."},
            422: {
                "model": models.IngestFailure | models.Error,
                "description": "No item could be used (each item's reason), or the request is malformed.",
            },
        },
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
        notes, submitted = _submitted(items, service)
        outcomes = service.writer.add(submitted)
        service.changed()
        added = sum(o.status == "added" for o in outcomes)
        duplicates = sum(o.status == "duplicate" for o in outcomes)
        problems = sum(o.status == "problem" for o in outcomes)
        status = 201 if added else (200 if duplicates else 422)
        results = [
            {
                "index": o.index,
                "status": o.status,
                "id": o.id,
                "story": o.story,
                "reason": o.reason or notes.get(o.index),
                "input": o.input,
            }
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
        responses={**_ERRORS, 200: {"model": models.FeedResult, "description": "Already subscribed."}},
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
        feed_id, new = service.writer.subscribe(url)
        service.worker.poll_soon()
        return _json({"id": feed_id, "url": url, "subscribed": True, "new": new}, 201 if new else 200)

    @app.delete(
        "/api/feeds/{feed_id}",
        response_model=models.FeedResult,
        dependencies=_WRITE,
        responses={**_ERRORS, **_NOT_FOUND},
        tags=["write"],
    )
    def api_unsubscribe(feed_id: Annotated[int, PathParam(ge=1, le=MAX_ID)]) -> Response:
        """Stop polling a feed (its articles stay in the archive)."""
        if not service.writes_enabled:
            raise HTTPException(503, NO_TOKEN)
        url = service.writer.unsubscribe(feed_id)
        if url is None:
            raise HTTPException(404, f"no feed {feed_id}")
        return _json({"id": feed_id, "url": url, "subscribed": False, "new": False})

    # -- pages ---------------------------------------------------------------------------------------------

    @app.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse, include_in_schema=False)
    def front(
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

    def atom(body: bytes) -> Response:
        return Response(body, media_type="application/atom+xml; charset=utf-8")

    def live_story(story_id: int) -> StoryRow:
        """The live story an id names (a merged story's id names the story it went into), else a 404 page."""
        archive = service.read()
        live = archive.resolve_story(story_id)
        row = archive.story(live) if live is not None else None
        if row is None:
            raise HTTPException(404, f"There is no story {story_id} in this archive.")
        return row

    @app.api_route("/feed.atom", methods=["GET", "HEAD"], include_in_schema=False)
    def front_feed(request: Request) -> Response:
        """The front page's stories as an Atom feed: one entry per story, updated when an article joins it."""
        base = str(request.base_url).rstrip("/")
        key = ("feed", base)
        cached = service.pages.peek(key)
        if cached is None:
            archive = service.read()
            window = pages.front_window(archive.latest_activity(), serve.front_days, None, None)
            rows = archive.ranked_stories(start=window.start, end=window.end, limit=serve.page_size)
            entries = [atom_out.story_entry(r, service.latest(r), base=base) for r in rows]
            cached = atom_out.render_atom(
                f"{base}/",
                "tidings: current stories",
                entries,
                link=f"{base}/",
                self_link=f"{base}/feed.atom",
                subtitle=pages.RANK_RULE,
            )
            service.pages.put(key, cached)
        return atom(cached)

    @app.api_route("/stories/{story_id}/feed.atom", methods=["GET", "HEAD"], include_in_schema=False)
    def story_feed(story_id: StoryId, request: Request) -> Response:
        """One story's updates as an Atom feed: an entry per arrival of articles, with what they added."""
        base = str(request.base_url).rstrip("/")
        row = live_story(story_id)
        if row.id != story_id:
            return RedirectResponse(f"/stories/{row.id}/feed.atom", status_code=301)
        entries = atom_out.update_entries(row, service.updates(row), base=base)
        title = f"tidings: {atom_out.story_entry(row, base=base).title}"
        story_uri = f"{base}/stories/{row.id}"
        return atom(
            atom_out.render_atom(
                f"{story_uri}/feed.atom", title, entries, link=story_uri, self_link=f"{story_uri}/feed.atom"
            )
        )

    @app.api_route("/stories/{story_id}", methods=["GET", "HEAD"], response_class=HTMLResponse, include_in_schema=False)
    def story_page(
        story_id: StoryId,
        request: Request,
        since: Annotated[models.Time | None, Query(description="Show what is new since then.")] = None,
    ) -> Response:
        archive = service.read()
        row = live_story(story_id)
        if row.id != story_id:
            return RedirectResponse(f"/stories/{row.id}", status_code=301)
        stored = archive.story_documents(row.id)
        documents = [s.document for s in stored]
        numbers = pages.numbering(row.summary, documents)
        if not row.summary_is_current:
            service.changed()
        visit = pages.last_visit(request.cookies.get(pages.visit_cookie(row.id)))
        since = since or visit
        arrived = pages.arrived_since(stored, since) if since else 0
        news = service.news(row, since, [d.ingested_at for d in stored]) if since and arrived else None
        analysed, found = service.analysis(row)
        answer = page(
            "web_story.html",
            wide=True,
            title=pages.story_title(row),
            story=row,
            card=pages.story_card(row),
            sentences=pages.cited_summary(row.summary, documents, numbers),
            since=since,
            from_cookie=since is not None and since == visit,
            new=pages.cited_summary(news, documents, numbers, key="new") if news else [],
            arrived=arrived,
            groups=pages.source_groups(documents, numbers),
            timeline=pages.timeline(stored, numbers),
            updates=pages.update_views(stored, numbers),
            analysed=analysed,
            analysis=pages.analysis_view(found, documents, numbers),
            feed=f"/stories/{row.id}/feed.atom",
        )
        # the visit is remembered for this story's page only, to say next time what arrived since
        answer.set_cookie(
            pages.visit_cookie(row.id),
            pages.now_stamp(),
            max_age=90 * 86400,
            path=f"/stories/{row.id}",
            httponly=True,
            samesite="lax",
        )
        return answer

    @app.api_route("/documents/{doc_id}", methods=["GET", "HEAD"], response_class=HTMLResponse, include_in_schema=False)
    def document_page(doc_id: DocId) -> Response:
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
            story_title=pages.story_title(row) if row else None,
            paragraphs=pages.highlight(stored.document.text, spans),
            cited=len({k for _, _, k in spans}),
            original=original.document if original else None,
        )

    @app.api_route("/search", methods=["GET", "HEAD"], response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        q: Annotated[SearchText, Query(max_length=500)] = "",
        page_no: Annotated[int, Query(alias="page", ge=1, le=MAX_SEARCH_OFFSET // serve.page_size)] = 1,
    ) -> Response:
        size = serve.page_size
        with service.search_slot():
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
            more=len(hits) > size and page_no * size < MAX_SEARCH_OFFSET,
        )

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> Response:
        return page("web_docs.html", openapi_url=app.openapi_url)

    return app


def _allowed_methods(app: FastAPI, scope: dict[str, Any]) -> list[str]:
    """Every method some route answers at this request's path (for a 405's Allow header)."""
    methods: set[str] = set()
    for route in app.router.routes:
        match, _ = route.matches({**scope, "method": "GET"})
        if match != Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return sorted(methods)


def _swagger_files() -> Path:
    """Swagger UI's script and stylesheet, shipped by the ``fastapi-offline`` package (part of the serve extra)."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


def _submitted(items: list[models.DocumentIn], service: Service) -> tuple[dict[int, str], list[Submitted]]:
    """Request items as documents, and notes on what was dropped from them (an address that is not a web URL).

    URLs are fetched here, in the request's thread, before any lock is taken.
    """
    out: list[Submitted] = []
    notes: dict[int, str] = {}
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
        if reason := url_refusal(item.url):
            notes[index] = f"url dropped, the article is kept: {reason}"
        raw = item.text if item.text is not None else item.html or ""
        try:
            doc = document_from_text(
                raw,
                doc_id=f"item {index}",
                url=item.url,
                title=item.title,
                outlet=item.outlet,
                published=item.published,
                is_html=item.html is not None,
            )
        except InputError as exc:
            out.append((index, Problem(item.url or f"item {index}", str(exc))))
            continue
        out.append((index, doc, raw))
    return notes, out
