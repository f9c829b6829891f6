"""Ingest: read inputs into :class:`~tidings.model.Document` objects with provenance.

Files (.txt, .html, .jsonl), directories and stdin. Encoding is detected,
unicode and whitespace are normalised, HTML pages go through trafilatura,
and the language is identified; inputs that cannot be used become
:class:`~tidings.model.Problem` results.
"""

from tidings.ingest.dates import parse_date
from tidings.ingest.decode import decode_bytes, normalize_text
from tidings.ingest.files import SUPPORTED_SUFFIXES, Loaded, document_from_text, expand_inputs, load
from tidings.ingest.html import extract_html, looks_like_html
from tidings.ingest.language import detect_language

__all__ = [
    "SUPPORTED_SUFFIXES",
    "Loaded",
    "decode_bytes",
    "detect_language",
    "document_from_text",
    "expand_inputs",
    "extract_html",
    "load",
    "looks_like_html",
    "normalize_text",
    "parse_date",
]
