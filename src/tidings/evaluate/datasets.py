"""Extraction benchmarks read as their authors ship them, into one :class:`Page` shape.

Each public benchmark stores pages and ground truth its own way; converting them by hand is where numbers
quietly stop being comparable, so the readers live here and :func:`load_dataset` recognises the layout:

* **AEB** (scrapinghub/article-extraction-benchmark): ``html/<id>.html.gz`` and ``ground-truth.json``
  (``{id: {"articleBody", "url"}}``).
* **WCXB** (Murrough-Foley/web-content-extraction-benchmark): a split folder with ``html/<id>.html.gz`` and
  ``ground-truth/<id>.json`` (``ground_truth.main_content``, ``with``/``without`` snippets, the page type).
  Given the repository root, only ``dev/`` is read: the test split is held out, and reading it must be a
  deliberate choice of folder.
* **L3S-GN1** (Kohlschütter et al. 2010): ``original/<uuid>.html`` and ``annotated/<uuid>.html``, whose
  text blocks carry ``x-nc-sel1`` (headline), ``x-nc-sel2`` (full text) and ``x-nc-sel3`` (supplemental:
  captions, standfirsts) classes. The ground truth is those three, as in Bevendorff et al. (2023)'s
  reading of the set.
* **Dragnet** (seomoz/dragnet_data): ``HTML/<id>.html`` (or ``input/``) and ``Corrected/<id>.html.corrected.txt``
  (or ``GoldStandard/<id>.txt``); the text before the ``!@#$%^&*()  COMMENTS`` line is the article.
  ``training.txt``/``test.txt`` name the authors' split.
* **trafilatura's evaluation corpus** (adbar/trafilatura ``tests/``): ``evaldata.json`` with, per page,
  strings the extraction must contain (``with``) and must not contain (``without``), the pages under
  ``eval/`` or ``cache/``. There is no full ground truth: only the snippet score applies.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import lxml.html

from tidings.errors import InputError
from tidings.ingest.decode import decode_bytes


@dataclass(frozen=True, slots=True)
class Page:
    """One benchmark page: its HTML and url, the article body (``None`` when the set has none), and snippets.

    ``must`` are strings a correct extraction contains, ``must_not`` strings of boilerplate it leaves out;
    ``kind`` is the page type where the set labels one (WCXB), ``split`` the authors' split where they give one.
    """

    id: str
    html: str
    truth: str | None
    url: str | None
    kind: str | None = None
    must: tuple[str, ...] = ()
    must_not: tuple[str, ...] = ()
    split: str | None = None


@dataclass(frozen=True, slots=True)
class Dataset:
    """Pages read from one benchmark, and the name of the layout they came in."""

    name: str
    layout: str
    pages: list[Page]


_PAGE_SUFFIXES = (".html.gz", ".htm.gz", ".html", ".htm")
_DRAGNET_COMMENTS = "!@#$%^&*()  COMMENTS"
_L3S_CLASSES = ("x-nc-sel1", "x-nc-sel2", "x-nc-sel3")


def page_id(path: Path) -> str:
    """The page id is the file name without its suffixes, as in the benchmark (``<id>.html.gz``)."""
    name = path.name
    for suffix in _PAGE_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name.split(".")[0]


def read_html(path: Path) -> str:
    """Read a page, gunzipping when the file is gzip (by its magic bytes, whatever its name)."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise InputError(f"{path}: corrupt gzip file ({exc})") from exc
    try:
        return decode_bytes(data)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from exc


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{path}: not a readable JSON file ({exc})") from exc


def load_ground_truth(path: str | Path) -> dict[str, dict[str, str | None]]:
    """``{id: {"articleBody": str, "url": str}}``; anything else is an error naming the file."""
    path = Path(path)
    data = _read_json(path)
    if not isinstance(data, dict) or not all(
        isinstance(v, dict) and isinstance(v.get("articleBody", ""), str) for v in data.values()
    ):
        raise InputError(f'{path}: expected {{id: {{"articleBody": str, "url": str}}}}')
    return {str(k): {"articleBody": v.get("articleBody", ""), "url": v.get("url")} for k, v in data.items()}


def _page_files(folder: Path) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.name.lower().endswith(_PAGE_SUFFIXES):
            files.setdefault(page_id(path), path)
    return files


def _require(folder: Path, wanted: set[str], files: dict[str, Path]) -> None:
    missing = sorted(wanted - set(files))
    if missing:
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        raise InputError(f"{folder}: no page for ground-truth id(s) {', '.join(missing[:3])}{more}")


def load_pages(pages_dir: str | Path, ground_truth: str | Path) -> list[Page]:
    """AEB layout: pair every ground-truth entry with its page (``<id>.html.gz``, ``.html`` or ``.htm``), by id.

    A ground-truth id without a page is an error (scores over a silently smaller set would mislead); pages
    without ground truth are ignored, since a pages folder may hold more than one split.
    """
    pages_dir = Path(pages_dir)
    if not pages_dir.is_dir():
        raise InputError(f"{pages_dir}: not a directory")
    truth = load_ground_truth(ground_truth)
    files = _page_files(pages_dir)
    _require(pages_dir, set(truth), files)
    return [
        Page(id=i, html=read_html(files[i]), truth=entry["articleBody"] or "", url=entry["url"])
        for i, entry in sorted(truth.items())
    ]


def load_wcxb(split_dir: Path) -> list[Page]:
    """A WCXB split folder (``html/``, ``ground-truth/``): main content, snippets and page type per page."""
    files = _page_files(split_dir / "html")
    pages = []
    for path in sorted((split_dir / "ground-truth").glob("*.json")):
        record = _read_json(path)
        truth = record.get("ground_truth") if isinstance(record, dict) else None
        if not isinstance(truth, dict):
            raise InputError(f"{path}: expected a WCXB record with a ground_truth object")
        body = truth.get("main_content")  # a few records have only snippets: scored on those alone
        _require(split_dir / "html", {path.stem}, files)
        kind = ((record.get("_internal") or {}).get("page_type") or {}).get("primary")
        pages.append(
            Page(
                id=path.stem,
                html=read_html(files[path.stem]),
                truth=body if isinstance(body, str) else None,
                url=record.get("url"),
                kind=kind,
                must=tuple(truth.get("with") or ()),
                must_not=tuple(truth.get("without") or ()),
                split=split_dir.name,
            )
        )
    return pages


def l3s_truth(annotated: str) -> str:
    """The headline, full-text and supplemental text of an L3S-GN1 annotated page, a line per block, in page order.

    Annotated spans nest (a block's span holds its links' spans), so each piece of text counts once, under
    the innermost annotated span around it; a line is an outermost annotated span.

    >>> l3s_truth('<p><span class="x-nc-sel1">Title</span> <span class="x-nc-sel0">Menu</span>'
    ...           '<span class="x-nc-sel2">Body <a><span class="x-nc-sel2">link</span></a> text</span></p>')
    'Title\\nBody link text'
    """
    root = lxml.html.fromstring(annotated)
    blocks: list[list[str]] = []
    last: object = None

    def emit(text: str | None, owner: object, label: str | None) -> None:
        nonlocal last
        if not text or not text.strip() or label not in _L3S_CLASSES:
            return
        if owner is not last:
            blocks.append([])
            last = owner
        blocks[-1].append(text)

    def walk(element: lxml.html.HtmlElement, owner: object, label: str | None) -> None:
        if not isinstance(element.tag, str) or element.tag in ("script", "style"):
            return
        classes = (element.get("class") or "").split() if element.tag == "span" else []
        mine = next((c for c in classes if c.startswith("x-nc-sel")), None)
        inner_owner = element if mine and owner is None else owner
        inner_label = mine or label
        emit(element.text, inner_owner, inner_label)
        for child in element:
            walk(child, inner_owner, inner_label)
            emit(child.tail, inner_owner, inner_label)

    walk(root, None, None)
    lines = (" ".join("".join(block).split()) for block in blocks)
    return "\n".join(line for line in lines if line)


def load_l3s(folder: Path) -> list[Page]:
    """L3S-GN1 as converted to single pages (``original/``, ``annotated/``; urls from ``url-mapping.txt``)."""
    urls: dict[str, str] = {}
    mapping = folder / "url-mapping.txt"
    if mapping.is_file():
        for line in mapping.read_text(encoding="utf-8", errors="replace").splitlines():
            uuid, _, url = line.partition("\t")
            urls[uuid.strip().removeprefix("<urn:uuid:").removesuffix(">")] = url.strip()
    originals = _page_files(folder / "original")
    pages = []
    for path in sorted((folder / "annotated").iterdir()):
        if not path.name.lower().endswith(_PAGE_SUFFIXES):
            continue
        key = page_id(path)
        _require(folder / "original", {key}, originals)
        pages.append(Page(id=key, html=read_html(originals[key]), truth=l3s_truth(read_html(path)), url=urls.get(key)))
    return pages


def load_dragnet(folder: Path) -> list[Page]:
    """Dragnet's pages and corrected texts; the article is what precedes the comments marker."""
    html_dir = next((folder / d for d in ("HTML", "input") if (folder / d).is_dir()), None)
    gold_dir = next((folder / d for d in ("Corrected", "GoldStandard") if (folder / d).is_dir()), None)
    if html_dir is None or gold_dir is None:
        raise InputError(f"{folder}: expected HTML/ (or input/) and Corrected/ (or GoldStandard/)")
    split: dict[str, str] = {}
    for name in ("training", "test"):
        listing = folder / f"{name}.txt"
        if listing.is_file():
            split |= {line.strip(): name for line in listing.read_text().splitlines() if line.strip()}
    files = _page_files(html_dir)
    pages = []
    for path in sorted(gold_dir.glob("*.txt")):
        key = path.name.split(".")[0]
        _require(html_dir, {key}, files)
        gold = decode_bytes(path.read_bytes()).split(_DRAGNET_COMMENTS, 1)[0]
        pages.append(Page(id=key, html=read_html(files[key]), truth=gold.strip(), url=None, split=split.get(key)))
    return pages


def load_trafilatura_eval(folder: Path) -> list[Page]:
    """trafilatura's evaluation corpus: pages with must-have and must-not strings, no full ground truth."""
    data = _read_json(folder / "evaldata.json")
    if not isinstance(data, dict):
        raise InputError(f"{folder / 'evaldata.json'}: expected {{url: {{file, with, without}}}}")
    pages = []
    for url, entry in sorted(data.items()):
        found = [folder / d / entry["file"] for d in ("cache", "eval")]
        path = next((p for p in found if p.is_file()), None)
        if path is None:
            raise InputError(f"{folder}: no page {entry['file']} (under cache/ or eval/)")
        pages.append(
            Page(
                id=entry["file"],
                html=read_html(path),
                truth=None,
                url=url,
                must=tuple(entry.get("with") or ()),
                must_not=tuple(entry.get("without") or ()),
            )
        )
    return pages


def detect_layout(folder: Path) -> tuple[str, Path]:
    """Which benchmark a folder holds, and the folder its reader starts from."""
    if (folder / "ground-truth.json").is_file() and (folder / "html").is_dir():
        return "aeb", folder
    if (folder / "ground-truth").is_dir() and (folder / "html").is_dir():
        return "wcxb", folder
    if (folder / "dev" / "ground-truth").is_dir():
        return "wcxb", folder / "dev"  # the repository root: its dev split, never the held-out test split
    for candidate in (folder, *sorted(p for p in folder.iterdir() if p.is_dir())):
        if (candidate / "annotated").is_dir() and (candidate / "original").is_dir():
            return "l3s-gn1", candidate
    if any((folder / d).is_dir() for d in ("Corrected", "GoldStandard")):
        return "dragnet", folder
    if (folder / "evaldata.json").is_file():
        return "trafilatura-eval", folder
    raise InputError(
        f"{folder}: not a benchmark folder tidings knows (AEB, WCXB, L3S-GN1, Dragnet or trafilatura's eval corpus)"
    )


def load_dataset(path: str | Path, ground_truth: str | Path | None = None, *, kind: str | None = None) -> Dataset:
    """Read a benchmark as it comes: a pages folder and an AEB ground-truth file, or a dataset folder.

    ``kind`` keeps only pages of that type (WCXB labels its pages: ``article``, ``forum``, ...).
    """
    path = Path(path)
    if not path.is_dir():
        raise InputError(f"{path}: not a directory")
    if ground_truth is not None:
        layout, pages = "aeb", load_pages(path, ground_truth)
    else:
        layout, root = detect_layout(path)
        readers = {
            "aeb": lambda p: load_pages(p / "html", p / "ground-truth.json"),
            "wcxb": load_wcxb,
            "l3s-gn1": load_l3s,
            "dragnet": load_dragnet,
            "trafilatura-eval": load_trafilatura_eval,
        }
        pages = readers[layout](root)
    if kind is not None:
        known = {p.kind for p in pages}
        if kind not in known:
            labels = ", ".join(sorted(k for k in known if k)) or "none"
            raise InputError(f"{path}: no pages of type {kind!r} (types here: {labels})")
        pages = [p for p in pages if p.kind == kind]
    return Dataset(name=path.name, layout=layout, pages=pages)
