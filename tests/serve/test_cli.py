"""`tidings serve`: the token, the settings, and a real server process answering on loopback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from tidings.cli import app
from tidings.config import Config
from tidings.errors import ConfigError, TidingsError
from tidings.serve.server import read_token

from .conftest import TOKEN, Fixture


def test_token_from_file_or_environment(tmp_path: Path):
    file = tmp_path / "token"
    file.write_text(f"{TOKEN}\nignored second line\n")
    assert read_token(file, {}) == TOKEN
    assert read_token(None, {"TIDINGS_TOKEN": f"  {TOKEN} "}) == TOKEN
    assert read_token(None, {"TIDINGS_TOKEN": ""}) is None
    file.write_text("short\n")
    with pytest.raises(TidingsError, match="at least 16 characters"):
        read_token(file, {})
    with pytest.raises(TidingsError, match="cannot read token file"):
        read_token(tmp_path / "missing", {})


def test_serve_settings_are_validated(tmp_path: Path):
    toml = tmp_path / "t.toml"
    toml.write_text("[serve]\nmax_batch = 0\n")
    with pytest.raises(ConfigError, match=r"serve.max_batch must be in \[1, 10000\], got 0"):
        Config.from_toml(toml)
    toml.write_text("[serve]\npage_size = 5\npoll_every = 0\n")
    assert Config.from_toml(toml).serve.page_size == 5


def test_serve_help_lists_its_options():
    result = CliRunner().invoke(app, ["serve", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for option in ("--db", "--host", "--port", "--token-file", "--allow-private"):
        assert option in result.output


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_tidings_serve_starts_uvicorn(built_archive: Fixture):
    port = _port()
    cmd = [sys.executable, "-c", "from tidings.cli import main; main()", "serve", "--db", str(built_archive.path)]
    env = {k: v for k, v in os.environ.items() if k != "TIDINGS_TOKEN"}
    proc = subprocess.Popen([*cmd, "--port", str(port)], env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline, status = time.monotonic() + 60, None
        while status is None and time.monotonic() < deadline and proc.poll() is None:
            try:
                status = httpx.get(f"http://127.0.0.1:{port}/api/status", timeout=2).json()
            except httpx.HTTPError:
                time.sleep(0.2)
        assert status is not None, "the server did not answer"
        assert status["writes_enabled"] is False and status["documents"] == 11
        assert httpx.get(f"http://127.0.0.1:{port}/").status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    assert "serving read-only, write endpoints answer 503" in err
