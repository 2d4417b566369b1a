"""Small things a user notices: a bad date typed on the command line is bad usage (exit 2), and
a browser leaving the review page mid-answer prints no traceback."""

from __future__ import annotations

import datetime as dt
import http.client
import threading

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.config import load_settings
from briefing.review import web
from briefing.store.database import Store

from .conftest import SEEDS


def test_a_bad_published_date_is_bad_usage() -> None:
    result = CliRunner().invoke(app, ["ingest", str(SEEDS), "--published", "2025-13-45"])
    assert result.exit_code == 2
    assert "--published" in result.stderr and "YYYY-MM-DD" in result.stderr


def serve_once(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    """One GET to a review server whose page fails with `error` as it is written."""

    def failing_get(self: web._Handler) -> None:
        raise error

    monkeypatch.setattr(web._Handler, "do_GET", failing_get)
    settings = load_settings()
    with Store(settings.store_path) as store:
        server = web.ReviewServer(store, settings, dt.date(2025, 12, 16), "tester", port=0)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            conn.request("GET", "/")
            with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
                conn.getresponse()
            conn.close()
        finally:
            server.shutdown()
            server.server_close()


@pytest.mark.allow_hosts(["127.0.0.1"])
@pytest.mark.parametrize(
    "error", [BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "reset")]
)
def test_a_browser_that_disconnects_prints_no_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], error: OSError
) -> None:
    serve_once(monkeypatch, error)
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.allow_hosts(["127.0.0.1"])
def test_a_real_server_error_is_still_shown(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    serve_once(monkeypatch, RuntimeError("a bug"))
    err = capsys.readouterr().err
    assert "Traceback" in err and "RuntimeError: a bug" in err
