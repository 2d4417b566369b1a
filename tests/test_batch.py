"""`brief extract --batch` against a fake Batch API on 127.0.0.1 (tests/batchapi.py).

What a user checks: the batch carries the requests a live run would send; its answers land in
the cache a live run reads; a batch that expires, fails in part or comes back with bad lines
loses nothing, and nothing is sent twice; two passes at once and providers without batches are
refused with one line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.config import load_settings
from briefing.extract.batched import batch_lock
from briefing.llm.fixtures import request_key
from briefing.store.database import Store

from .batchapi import BatchAPI, answered, failed
from .fakes import ARTICLE, DAY, ENTRIES, FOUND
from .test_run import (
    DESK,
    Inbox,
    inbox,  # noqa: F401 (the fixture, asked for by name below)
)

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])
runner = CliRunner()
BATCH = ["extract", "--batch", "--date", DAY.isoformat()]
LIVE = ["extract", "--date", DAY.isoformat()]


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[BatchAPI]:
    server = BatchAPI().start()
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("BRIEF_PROVIDER", "openai")
    monkeypatch.setenv("BRIEF_MODEL", "test-model")
    yield server
    server.stop()


def ingest_article(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    path = home.parent / f"{home.name}-article.md"
    path.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(path)])
    assert result.exit_code == 0, result.stderr


@pytest.fixture
def day(api: BatchAPI, isolated: Path) -> Path:
    ingest_article(isolated)
    return isolated


def positions(home: Path) -> int:
    with Store(home / "brief.sqlite3") as store:
        return store.count("positions")


def cached(home: Path) -> set[str]:
    with Store(home / "brief.sqlite3") as store:
        return {call.key for call in store.calls()}


def run(args: list[str], code: int = 0) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == code, result.stderr
    return result.stderr


def test_a_batch_carries_exactly_the_requests_a_live_run_sends(
    api: BatchAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same article extracted live in one home ...
    live_home = tmp_path / "live"
    monkeypatch.setenv("BRIEF_HOME", str(live_home))
    ingest_article(live_home)
    run(LIVE)
    live = {request_key(body): body for body in api.live}
    assert len(live) == FOUND

    # ... and through a batch in another: the same bodies, keyed by their cache keys.
    batch_home = tmp_path / "batch"
    monkeypatch.setenv("BRIEF_HOME", str(batch_home))
    ingest_article(batch_home)
    said = run(BATCH)
    (batch_id,) = api.batches
    assert f"batch {batch_id} submitted: {FOUND} requests" in said
    lines = api.inputs(batch_id)
    assert {line["custom_id"]: line["body"] for line in lines} == live
    assert {(line["method"], line["url"]) for line in lines} == {("POST", "/v1/chat/completions")}
    batch = api.batches[batch_id]
    assert (batch["endpoint"], batch["completion_window"]) == ("/v1/chat/completions", "24h")
    assert api.files[batch["input_file_id"]][0] == "batch"
    assert len(api.live) == FOUND  # the batch pass asked nothing live

    # The store records the batch under the provider's id, with each custom_id waiting.
    with Store(batch_home / "brief.sqlite3") as store:
        (stored,) = store.batches_in_flight()
        assert stored.remote_id == batch_id and stored.requests == FOUND
        assert store.request_outcomes(stored.id) == dict.fromkeys(live, ("waiting", None))


def test_a_batch_in_progress_changes_nothing_and_is_not_asked_live(
    api: BatchAPI, day: Path
) -> None:
    run(BATCH)
    (batch_id,) = api.batches
    api.batches[batch_id]["status"] = "in_progress"
    said = run(BATCH)
    assert f"batch {batch_id}: in progress" in said
    assert "1 article waiting for the Batch API" in said
    assert list(api.batches) == [batch_id]  # nothing submitted again
    assert cached(day) == set() and positions(day) == 0

    # A plain extract meanwhile does not pay for the same requests again.
    said = run(LIVE, code=1)
    assert api.live == []
    assert f"waiting in batch {batch_id}" in said


def test_a_completed_batch_fills_the_cache_a_live_run_reads(api: BatchAPI, day: Path) -> None:
    run(BATCH)
    (batch_id,) = api.batches
    api.finish(batch_id)
    said = run(BATCH)
    assert f"batch {batch_id} completed: {FOUND} answers taken into the cache" in said
    assert "1 articles extracted" in said
    assert positions(day) == FOUND
    assert cached(day) == api.custom_ids(batch_id)
    assert list(api.batches) == [batch_id] and api.live == []

    # Extracted afresh, the article is answered from the cache: no request at all.
    with Store(day / "brief.sqlite3") as store, store.transaction() as db:
        db.execute("DELETE FROM positions")
        db.execute("DELETE FROM extractions")
    said = run(LIVE)
    assert "1 articles extracted, 0 with problems" in said
    assert api.live == [] and positions(day) == FOUND


@pytest.mark.parametrize("status", ["expired", "failed", "cancelled"])
def test_a_batch_that_ended_unanswered_is_sent_again_once(
    api: BatchAPI, day: Path, status: str
) -> None:
    run(BATCH)
    first = api.in_flight()[0]
    api.finish(first, status, line_for=lambda line: None)
    said = run(BATCH)
    assert (
        f"batch {first} {status}: 0 answers taken into the cache, {FOUND} requests pending" in said
    )
    assert f"{FOUND} no answer came back (the batch {status})" in said
    (second,) = api.in_flight()
    assert second != first and api.custom_ids(second) == api.custom_ids(first)

    # While the second waits, nothing is submitted a third time; once it ends, all is done.
    run(BATCH)
    assert len(api.batches) == 2
    api.finish(second)
    run(BATCH)
    assert positions(day) == FOUND and len(api.batches) == 2 and api.live == []


def test_only_the_failed_requests_of_a_partly_failed_batch_are_sent_again(
    api: BatchAPI, day: Path
) -> None:
    run(BATCH)
    first = api.in_flight()[0]
    unlucky = min(api.custom_ids(first))
    api.finish(
        first,
        line_for=lambda line: (
            failed(line, 500, "The server had an error")
            if line["custom_id"] == unlucky
            else answered(line)
        ),
    )
    said = run(BATCH)
    assert f"{FOUND - 1} answers taken into the cache, 1 request pending again" in said
    assert "HTTP 500: The server had an error" in said
    (second,) = api.in_flight()
    assert api.custom_ids(second) == {unlucky}
    assert positions(day) == 0  # the article waits for its last answer

    api.finish(second)
    assert "1 articles extracted" in run(BATCH)
    assert positions(day) == FOUND and api.live == []


def test_a_malformed_or_missing_result_line_sends_that_request_again(
    api: BatchAPI, day: Path
) -> None:
    run(BATCH)
    first = api.in_flight()[0]
    good, malformed, missing = sorted(api.custom_ids(first))

    def line_for(line: dict) -> dict | str | None:
        if line["custom_id"] == malformed:
            return json.dumps(answered(line))[:40]  # cut off mid-line
        return None if line["custom_id"] == missing else answered(line)

    api.finish(first, line_for=line_for)
    said = run(BATCH)
    assert "1 answer taken into the cache, 2 requests pending again" in said
    assert "line 2 of the output file is not JSON" in said
    (second,) = api.in_flight()
    assert api.custom_ids(second) == {malformed, missing}
    assert good in cached(day)


def test_two_batch_passes_at_once_the_second_is_refused(api: BatchAPI, day: Path) -> None:
    with batch_lock(load_settings()):
        said = run(BATCH, code=1)
    assert "another `brief extract --batch`" in said and "let it finish" in said
    assert api.batches == {} and api.files == {}
    run(BATCH)  # the lock went with its holder
    assert len(api.batches) == 1


@pytest.mark.parametrize("provider", ["replay", "local"])
def test_batch_is_refused_for_a_provider_without_batches(
    day: Path, monkeypatch: pytest.MonkeyPatch, provider: str
) -> None:
    monkeypatch.setenv("BRIEF_PROVIDER", provider)
    said = run(BATCH, code=1)
    assert said.count("\n") == 1
    assert f"the {provider} provider answers at once and has no batches" in said


def test_batch_in_config_makes_a_plain_extract_a_batch_pass(api: BatchAPI, day: Path) -> None:
    (day / "config.toml").write_text("batch = true\n", encoding="utf-8")
    assert "submitted" in run(LIVE)
    assert len(api.batches) == 1 and api.live == []


def test_a_server_without_a_batch_api_loses_nothing(api: BatchAPI, day: Path) -> None:
    api.no_batch_api = True
    said = run(BATCH, code=1)
    assert "the server has no Batch API; run without --batch" in said
    api.no_batch_api = False
    run(BATCH)  # nothing was left waiting: all of it goes into the first real batch
    (batch_id,) = api.batches
    assert len(api.custom_ids(batch_id)) == FOUND


def test_a_batch_whose_creation_went_unanswered_is_found_not_created_twice(
    api: BatchAPI, day: Path
) -> None:
    api.drop_create_answer = True
    said = run(BATCH, code=1)
    assert "asks the server, and submits only what it lacks" in said
    api.drop_create_answer = False
    (batch_id,) = api.batches
    assert f"batch {batch_id}: validating" in run(BATCH)
    assert list(api.batches) == [batch_id]
    api.finish(batch_id)
    run(BATCH)
    assert positions(day) == FOUND and list(api.batches) == [batch_id]


def test_brief_run_with_batch_waits_for_its_batch_then_sends_once(
    api: BatchAPI, day: Path, request: pytest.FixtureRequest
) -> None:
    mail: Inbox = request.getfixturevalue("inbox")
    (day / "config.toml").write_text(f'batch = true\n\n[smtp]\nto = ["{DESK}"]\n')
    command = ["run", "--date", DAY.isoformat(), "--delay", "0"]
    said = run(command)  # waiting for a batch is what was asked for: not a failure
    assert "not sent (1 article wait for the Batch API" in said
    assert mail.messages == [] and len(api.batches) == 1 and api.live == []

    api.finish(api.in_flight()[0])
    said = run(command)
    assert f"sent to {DESK}" in said and len(mail.messages) == 1
    assert f"{ENTRIES} positions" in said and api.live == [] and len(api.batches) == 1


def test_a_batch_is_asked_for_only_at_the_server_it_went_to(
    api: BatchAPI, day: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(BATCH)
    (batch_id,) = api.batches
    other = BatchAPI().start()
    try:
        monkeypatch.setenv("OPENAI_BASE_URL", other.url)
        said = run(BATCH, code=1)
        assert f"batch {batch_id} went to {api.url}/, not to {other.url}/" in said
        assert other.batches == {} and other.live == []  # nothing sent again elsewhere
    finally:
        other.stop()
    monkeypatch.setenv("OPENAI_BASE_URL", api.url)
    api.finish(batch_id)
    run(BATCH)
    assert positions(day) == FOUND and list(api.batches) == [batch_id]
