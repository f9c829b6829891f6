"""The service: ``tidings serve`` shows the archive as web pages for people and JSON for programs.

``create_app(db_path, config, token)`` builds the FastAPI application (see
:mod:`tidings.serve.app`); :mod:`.service` holds the connections, the single
writer and the background worker; :mod:`.pages` formats what the pages and
the API show; :mod:`.guard` checks tokens and body sizes before a body is read.
Needs the ``serve`` extra (FastAPI, uvicorn).
"""

from tidings.serve.app import create_app

__all__ = ["create_app"]
