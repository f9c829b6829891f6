"""Running the service: the token, and uvicorn in one process.

One process, because the archive has one writer and the story index it
keeps in memory cannot be shared between processes; concurrency comes from
uvicorn's event loop and the request thread pool (reads run in parallel,
each on its own SQLite connection).
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import uvicorn
import uvicorn.config

from tidings.config import Config
from tidings.errors import TidingsError

TOKEN_ENV = "TIDINGS_TOKEN"
MIN_TOKEN = 16


def read_token(token_file: Path | None = None, environ: dict[str, str] | None = None) -> str | None:
    """The write token: the first line of ``token_file`` if given, else ``$TIDINGS_TOKEN``, else None.

    A token shorter than 16 characters is refused: it could be guessed.

    >>> read_token(None, {"TIDINGS_TOKEN": "correct-horse-battery-staple"})
    'correct-horse-battery-staple'
    >>> read_token(None, {}) is None
    True
    """
    if token_file is not None:
        try:
            lines = token_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise TidingsError(f"cannot read token file {token_file}: {exc}") from None
        token = lines[0].strip() if lines else ""
        where = f"token file {token_file}"
    else:
        token = (os.environ if environ is None else environ).get(TOKEN_ENV, "").strip()
        where = TOKEN_ENV
        if not token:
            return None
    if len(token) < MIN_TOKEN:
        raise TidingsError(f"{where}: the token must be at least {MIN_TOKEN} characters (it guards writes)")
    return token


def serve(
    db_path: str | Path, config: Config, token: str | None, host: str, port: int, *, access_log: bool = False
) -> None:
    """Start uvicorn on ``host:port`` with the app for ``db_path``, until interrupted.

    The access log is off unless asked for: a line per request costs a fifth of a story read's CPU.
    """
    from tidings.serve.app import create_app

    app = create_app(db_path, config, token)
    uvicorn.run(
        app,
        host=host,
        port=port,
        workers=1,
        log_level="info",
        log_config=log_config(),
        access_log=access_log,
        server_header=False,
    )


def log_config() -> dict[str, Any]:
    """uvicorn's logging, with tokens a client put in a query string redacted from the access log.

    Clients should send the token in the Authorization header; one that puts it in the URL must not
    have it written to a log file that more people can read than the token was meant for.
    """
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config.setdefault("filters", {})["redact"] = {"()": "tidings.serve.guard.RedactSecrets"}
    for handler in config["handlers"].values():
        handler.setdefault("filters", []).append("redact")
    return config
