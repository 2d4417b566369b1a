"""A misbehaving model server: odd answers, bad answers, hung servers and two runs at once.

Each test drives the real SDK through a simulated server below the cache (as test_pipeline.py
does) and checks what a user sees: the run goes on, the briefing says what failed, nothing is
paid for twice.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx2
import pytest

from briefing.config import load_settings
from briefing.errors import ModelInvalidOutput, ModelTruncated
from briefing.llm.client import open_client
from briefing.models import DraftModel
from briefing.pipeline import Extractor, build_briefing, ingest
from briefing.store.database import Store

from .fakes import ARTICLE, DAY, ENTRIES, FOUND, GOOD, completion, ok


class Draft(DraftModel):
    """A schema for the client-level tests."""

    speaker: str
    evidence: list[int]


# item 7: any HTTP 200 that is not a chat completion is a model error for that chunk -----------


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body>Gateway says hello</body></html>",
        b'{"choices": []}',
        b'{"choices": [{}]}',
        b"[]",
        b"",
    ],
    ids=["html", "no-choices", "empty-choice", "a-list", "empty"],
)
def test_an_odd_http_200_fails_the_chunk_and_the_run_goes_on(setup, tmp_path, body) -> None:
    settings, store, client = setup
    other = tmp_path / "other.md"
    other.write_text(ARTICLE.replace("Grain corridor", "Other").replace("next month", "in May"))
    ingest(store, [other])

    def handler(request: httpx2.Request, n: int) -> httpx2.Response:
        if "in May" in json.loads(request.content)["messages"][1]["content"]:
            return httpx2.Response(200, content=body, headers={"content-type": "application/json"})
        return ok(completion(json.dumps(GOOD)))

    model, _ = client(handler)
    briefing = build_briefing(store, model, settings, DAY)
    assert briefing.articles == 2 and briefing.positions == ENTRIES
    assert "not a chat completion" in briefing.markdown
    # The good article was saved; the other stays pending and is asked again next run.
    model, _ = client(lambda r, n: ok(completion(json.dumps(GOOD))))
    again = build_briefing(store, model, settings, DAY)
    assert again.positions == 2 * ENTRIES, again.markdown


# item 9: a bad answer is not final; messages a user can act on -----------------------------


def test_retry_failed_asks_again_for_answers_that_were_unusable(setup) -> None:
    settings, store, client = setup
    model, server = client(lambda r, n: ok(completion("I think Kowalski is right!")))
    first = build_briefing(store, model, settings, DAY)
    assert first.positions == 0 and "not valid for the schema" in first.markdown
    asked = len(server.requests)

    # The model is fixed. A plain rerun replays the cached garbage and asks nothing ...
    model, server = client(lambda r, n: ok(completion(json.dumps(GOOD))))
    (outcome,) = Extractor(store, model, settings).extract(store.articles_on(DAY))
    assert outcome.error and not server.requests
    # ... while retrying the failures asks the model again and keeps the new answers.
    model.retry_failed = True
    (outcome,) = Extractor(store, model, settings).extract(store.articles_on(DAY))
    assert outcome.error is None and len(outcome.positions) == FOUND
    assert 1 <= len(server.requests) <= asked
    model.retry_failed = False
    assert build_briefing(store, model, settings, DAY).positions == ENTRIES


def test_good_cached_answers_are_not_asked_again_on_retry(setup) -> None:
    settings, store, client = setup
    model, server = client(lambda r, n: ok(completion(json.dumps(GOOD))))
    Extractor(store, model, settings).extract(store.articles_on(DAY))
    store.forget_extractions()
    model.retry_failed = True
    Extractor(store, model, settings).extract(store.articles_on(DAY))
    assert len(server.requests) == FOUND


def test_a_schema_failure_reads_as_one_short_line(setup) -> None:
    _, _, client = setup
    wrong = json.dumps({"speaker": "Anna Kowalski", "evidence": "two"})
    model, _ = client(lambda r, n: ok(completion(wrong)))
    with pytest.raises(ModelInvalidOutput) as caught:
        model.parse([{"role": "user", "content": "hi"}], Draft)
    message = str(caught.value)
    assert (
        message == "the answer is not valid for the schema: evidence: Input should be a valid array"
    )
    assert "\n" not in message and len(message) < 200
    assert "errors.pydantic.dev" not in message and "input_value" not in message


def test_a_cut_off_answer_names_the_setting_that_raises_the_limit(setup) -> None:
    _, _, client = setup
    model, _ = client(lambda r, n: ok(completion('{"speaker": "Anna', finish="length")))
    with pytest.raises(ModelTruncated, match="max_output_tokens"):
        model.parse([{"role": "user", "content": "hi"}], Draft)


def test_extract_offers_retry_failed() -> None:
    from typer.testing import CliRunner

    from briefing.cli import app

    result = CliRunner().invoke(app, ["extract", "--help"])
    assert result.exit_code == 0 and "--retry-failed" in result.output


# item 12: a hung server costs `request_deadline` per request, not `timeout` times each retry --


def test_a_hung_server_gives_up_at_the_request_deadline(setup) -> None:
    settings, store, _ = setup
    settings.timeout = 0.4  # each attempt
    settings.request_deadline = 1.0  # the whole request, retries included
    attempts: list[float] = []

    class HungServer(httpx2.BaseTransport):
        """Accepts the connection, then says nothing until the client stops waiting."""

        def handle_request(self, request: httpx2.Request) -> httpx2.Response:
            wait = request.extensions["timeout"]["read"]
            attempts.append(wait)
            time.sleep(min(wait, 5.0))
            raise httpx2.ReadTimeout("no answer", request=request)

    model = open_client(settings, store, provider="openai", transport=HungServer())
    started = time.monotonic()
    briefing = build_briefing(store, model, settings, DAY)
    took = time.monotonic() - started
    assert took < 3.0, f"{len(attempts)} attempts took {took:.1f}s"
    assert "request_deadline" in briefing.markdown
    assert store.count("extractions") == 0  # still pending: the next run asks again


# item 4: the lead is built from the labelled statements, never asked of the model -----------


def test_the_lead_is_built_without_asking_the_model_for_prose(setup) -> None:
    settings, store, client = setup
    schemas: list[str] = []

    def handler(request: httpx2.Request, n: int) -> httpx2.Response:
        schemas.append(json.loads(request.content)["response_format"]["json_schema"]["name"])
        return ok(completion(json.dumps(GOOD)))

    model, _ = client(handler)
    briefing = build_briefing(store, model, settings, DAY)
    assert briefing.positions == ENTRIES
    assert "SummaryDraft" not in schemas and len(schemas) == FOUND
    lead = briefing.markdown.split("## The day in brief\n")[1].split("\n## ")[0]
    assert "**Anna Kowalski**" in lead and "**Piotr Nowak**" in lead


# item 11: two runs at once on one BRIEF_HOME pay for a model call once -----------------------

ONE_RUN = """
import json, sys, time
from pathlib import Path
import httpx2
from briefing.config import load_settings
from briefing.llm.client import open_client
from briefing.models import DraftModel
from briefing.store.database import Store


class SummaryDraft(DraftModel):
    sentences: list[str]

asked = Path(sys.argv[1])
answer = {"id": "x", "object": "chat.completion", "created": 0, "model": "m",
          "choices": [{"index": 0, "finish_reason": "stop",
                       "message": {"role": "assistant", "content": '{"sentences": []}'}}],
          "usage": {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10}}

def server(request):
    with asked.open("a") as f:
        f.write("asked\\n")
    time.sleep(2.0)  # a slow model: the other run arrives while this one waits
    return httpx2.Response(200, json=answer)

settings = load_settings(provider="openai", model="m")
with Store(settings.store_path) as store:
    client = open_client(settings, store, transport=httpx2.MockTransport(server))
    got = client.parse([{"role": "user", "content": "the same chunk"}], SummaryDraft)
    print("cached" if got.cached else "asked")
"""


def test_two_runs_at_once_ask_the_model_once(tmp_path: Path, isolated: Path) -> None:
    import os
    import subprocess
    import sys

    asked = tmp_path / "asked.txt"
    env = dict(os.environ, BRIEF_HOME=str(isolated))
    Store(load_settings().store_path).close()  # migrated once, before the runs race
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", ONE_RUN, str(asked)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    assert asked.read_text().count("asked") == 1
    assert sorted(out.strip() for out, _ in outputs) == ["asked", "cached"]
    assert not list((isolated / "claims").glob("*"))  # no claim left behind
