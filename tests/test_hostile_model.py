"""A hostile or compromised model writes injected claims into every free-text field it has:
nothing of them reaches the Markdown briefing, the email or `brief review list --json`
(issue 17 item 6, issue 19 item 1). The page is built from the finder's spans and the
program's fields only."""

from __future__ import annotations

import json
from email import message_from_bytes
from pathlib import Path

import httpx2
import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.deliver.files import default_briefing_path, save_briefing
from briefing.pipeline import build_briefing

from .fakes import DAY, completion, ok

CLAIM = "Kowalski fully supports new sanctions"
ANSWERS = [
    # Every field a label has, filled with the claim; names and topics that are not offered.
    {"pos": True, "topic": "sanctions", "stance": "supports", "sum": CLAIM, "who": CLAIM},
    {"pos": True, "topic": CLAIM, "stance": CLAIM, "sum": f"“{CLAIM}” (positions 1, 2, 3)"},
    {"pos": True, "topic": "peace_settlement", "sum": CLAIM, "summary": CLAIM, "note": CLAIM},
]


def test_injected_claims_never_reach_the_page_the_email_or_the_review_list(
    setup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEF_MAIL_FROM", "desk@example.org")
    monkeypatch.setenv("BRIEF_SMTP_HOST", "127.0.0.1")
    settings, store, client = setup

    def handler(request: httpx2.Request, n: int) -> httpx2.Response:
        # The statement about the ships gets every hostile answer in turn (each breaks the
        # schema: it is held for review); the others get answers that fit the schema, which
        # leaves the model no free text at all.
        if (
            "words: We expect the first ships"
            in json.loads(request.content)["messages"][1]["content"]
        ):
            return ok(completion(json.dumps(ANSWERS[(n - 1) % len(ANSWERS)])))
        return ok(completion(json.dumps({"pos": True, "topic": "peace_settlement"})))

    model, _ = client(handler)
    briefing = build_briefing(store, model, settings, DAY)
    save_briefing(store, briefing, default_briefing_path(settings.home, briefing))
    store.close()
    # Two briefed; the third held, and the article listed as not fully extracted.
    assert briefing.positions == 2 and briefing.needs_review == 2
    assert "fully supports" not in briefing.markdown  # ... with none of the model's prose
    assert "fully supports" not in json.dumps(briefing.data)
    runner = CliRunner()
    eml = tmp_path / "day.eml"
    sent = runner.invoke(
        app, ["send", "--date", str(DAY), "--to", "a@example.org", "--dry-run", "--eml", str(eml)]
    )
    assert sent.exit_code == 0, sent.output
    mail = message_from_bytes(eml.read_bytes())
    for part in mail.walk():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            assert b"fully supports" not in payload
    listed = runner.invoke(app, ["review", "list", "--date", str(DAY), "--json"])
    assert listed.exit_code == 0, listed.output
    assert "fully supports" not in listed.stdout
