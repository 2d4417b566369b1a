"""The cost guard before a run against a remote model: the estimate counts exactly the requests
the run then sends (those the call cache does not answer), a run over `max_run_tokens` is
refused and sends nothing, `--yes` goes ahead, `--dry-run` prints the estimate and sends nothing,
and the embedded model has no guard. Offline: a fake OpenAI-compatible server (tests/fakes.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.config import Settings, load_settings
from briefing.extract.extractor import Extractor
from briefing.llm import client as client_module
from briefing.llm.cost import describe, money
from briefing.llm.fixtures import load_fixture, request_key
from briefing.pipeline import estimate_cost, ingest
from briefing.store.database import Store

from .conftest import SEED_DAY, SEEDS
from .fakes import FakeServer, completion, ok

runner = CliRunner()
SEED_FILES = sorted(SEEDS.glob("0*.md"))  # the five articles, not the README


def valid_answer(request: httpx2.Request, n: int) -> httpx2.Response:
    """A label that fits whatever schema the request asks for (so no request is re-asked)."""
    body = json.loads(request.read())
    schema = body["response_format"]["json_schema"]["schema"]
    answer: dict[str, object] = {}
    for name, field in schema["properties"].items():
        answer[name] = field["enum"][0] if "enum" in field else True
    return ok(completion(json.dumps(answer)))


@pytest.fixture
def seeded(isolated: Path) -> Iterator[tuple[Settings, Store]]:
    settings = load_settings(provider="openai", model="gpt-4o-mini")
    store = Store(settings.store_path)
    ingest(store, SEED_FILES)
    yield settings, store
    store.close()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> FakeServer:
    """The server every command's client talks to (the CLI opens its own clients)."""
    fake = FakeServer(valid_answer)
    real = client_module.open_client

    def opened(settings, store, provider=None, transport=None):  # type: ignore[no-untyped-def]
        return real(settings, store, provider, transport=fake)

    monkeypatch.setattr(client_module, "open_client", opened)
    monkeypatch.setattr("briefing.daily.open_client", opened)
    return fake


def configure(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text, encoding="utf-8")


def remote(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """The seeds stored in `home`, and the commands pointed at a remote (openai) model."""
    monkeypatch.setenv("BRIEF_PROVIDER", "openai")
    monkeypatch.setenv("BRIEF_MODEL", "gpt-4o-mini")
    with Store(load_settings().store_path) as store:
        ingest(store, SEED_FILES)


# the estimate ---------------------------------------------------------------------------------


def test_the_estimate_counts_exactly_the_requests_the_run_sends(seeded) -> None:
    settings, store = seeded
    server = FakeServer(valid_answer)
    client = client_module.open_client(settings, store, "openai", transport=server)
    articles = store.all_articles()
    # Extract two articles first: their answers are in the cache, so only the rest is paid for.
    Extractor(store, client, settings).extract(articles[:2])
    asked_before = len(server.requests)
    assert asked_before > 0

    extractor = Extractor(store, client, settings)
    estimate = estimate_cost(extractor, articles)
    assert len(server.requests) == asked_before  # counting sends nothing
    extractor.extract(articles)
    sent = server.requests[asked_before:]
    assert estimate.requests == len(sent) > 0
    assert sorted(estimate.keys) == sorted(request_key(body) for body in sent)
    assert estimate.prompt_tokens > 0 and estimate.output_tokens > 0
    # Everything is cached now: nothing left to pay.
    again = estimate_cost(Extractor(store, client, settings), articles)
    assert again.requests == again.tokens == 0


def test_requests_the_rules_decide_are_not_counted(seeded) -> None:
    settings, store = seeded
    server = FakeServer(valid_answer)
    client = client_module.open_client(settings, store, "openai", transport=server)
    extractor = Extractor(store, client, settings)
    articles = store.all_articles()
    estimate = estimate_cost(extractor, articles)
    candidates = sum(len(extractor._start(a).items) for a in articles)
    # Some candidates are labelled by the rules alone: fewer requests than candidates.
    assert 0 < estimate.requests < candidates


def test_prompt_tokens_are_near_what_a_real_server_counted(isolated: Path) -> None:
    # The recorded seed answers (fixtures/) hold the prompt tokens llama.cpp counted with the
    # embedded model's own tokenizer, which reads no schema into the prompt.
    settings = load_settings(provider="replay")
    with Store(settings.store_path) as store:
        ingest(store, SEED_FILES)
        client = client_module.open_client(settings, store)
        estimate = estimate_cost(Extractor(store, client, settings), store.all_articles())
    recorded = [load_fixture(settings.fixtures_dir, key) for key in estimate.keys]
    assert estimate.requests > 0 and all(recorded)  # the very requests that were recorded
    counted = sum(call.prompt_tokens for call in recorded if call)
    assert 0.9 < estimate.prompt_tokens / counted < 1.3


def test_the_price_is_shown_where_set(seeded) -> None:
    settings, store = seeded
    settings.price_per_million_tokens = {"input": 0.15, "output": 0.60}  # type: ignore[assignment]
    client = client_module.open_client(
        settings, store, "openai", transport=FakeServer(valid_answer)
    )
    estimate = estimate_cost(Extractor(store, client, settings), store.all_articles())
    expected = (estimate.prompt_tokens * 0.15 + estimate.output_tokens * 0.60) / 1e6
    assert estimate.price == pytest.approx(expected)
    assert f"about {money(expected)} at price_per_million_tokens" in describe(estimate)
    assert money(0.0042) == "0.0042" and money(12345.678) == "12,345.68"
    settings.price_per_million_tokens = None
    unpriced = estimate_cost(Extractor(store, client, settings), store.all_articles())
    assert unpriced.price is None and "price" not in describe(unpriced)


# the guard on the command line ------------------------------------------------------------------


def test_a_run_over_max_run_tokens_is_refused_and_sends_nothing(
    server: FakeServer, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(isolated, "max_run_tokens = 1000\n")
    remote(monkeypatch, isolated)
    result = runner.invoke(app, ["extract", "--all"])
    assert result.exit_code == 1
    error = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(error) == 1
    assert "over max_run_tokens = 1,000" in error[0] and "add --yes" in error[0]
    assert "tokens" in error[0] and "requests" in error[0]
    assert server.requests == []
    generated = runner.invoke(app, ["generate", "--date", SEED_DAY])
    assert generated.exit_code == 1 and "over max_run_tokens" in generated.stderr
    assert server.requests == []
    assert not (isolated / "briefings").exists()


def test_yes_goes_ahead(
    server: FakeServer, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(isolated, "max_run_tokens = 1000\n")
    remote(monkeypatch, isolated)
    dry = runner.invoke(app, ["extract", "--all", "--dry-run"])
    planned = int(dry.stdout.split("cost estimate: ")[1].split()[0].replace(",", ""))
    result = runner.invoke(app, ["extract", "--all", "--yes"])
    assert result.exit_code == 0, result.stderr
    assert "cost estimate:" in result.stderr
    assert len(server.requests) == planned > 0
    assert "5 articles extracted" in result.stderr


def test_dry_run_prints_the_estimate_and_sends_nothing(
    server: FakeServer, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(isolated, "max_run_tokens = 1000\nprice_per_million_tokens = 0.15\n")
    remote(monkeypatch, isolated)
    for command in (["extract", "--all"], ["generate", "--date", SEED_DAY], ["run"]):
        result = runner.invoke(app, [*command, "--dry-run"])
        assert result.exit_code == 0, result.stderr
        assert "cost estimate: " in result.stdout and "requests to gpt-4o-mini" in result.stdout
        assert "at price_per_million_tokens" in result.stdout
        assert "without --yes the run would be refused" in result.stdout
        assert "nothing was sent" in result.stdout
    assert server.requests == []
    assert not (isolated / "briefings").exists()


def test_max_run_tokens_zero_refuses_any_paid_request_but_not_a_cached_run(
    server: FakeServer, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(isolated, "max_run_tokens = 0\n")
    remote(monkeypatch, isolated)
    refused = runner.invoke(app, ["extract", "--all"])
    assert refused.exit_code == 1
    assert "max_run_tokens = 0 allows no paid request" in refused.stderr
    assert server.requests == []
    assert runner.invoke(app, ["extract", "--all", "--yes"]).exit_code == 0
    sent = len(server.requests)
    # Everything is answered from the cache now: the briefing costs nothing and goes ahead.
    generated = runner.invoke(app, ["generate", "--date", SEED_DAY])
    assert generated.exit_code == 0, generated.stderr
    assert len(server.requests) == sent


def test_brief_run_over_the_limit_is_refused_before_asking(
    server: FakeServer, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(
        isolated,
        'max_run_tokens = 1000\n[smtp]\nhost = "127.0.0.1"\nsecurity = "none"\n'
        'from = "brief@example.org"\nto = ["desk@example.org"]\n',
    )
    remote(monkeypatch, isolated)
    result = runner.invoke(app, ["run", "--date", SEED_DAY])
    assert result.exit_code == 1
    assert "over max_run_tokens = 1,000: add --yes" in result.stderr
    assert "not sent (the run was refused before asking the model)" in result.stderr
    assert server.requests == []


def test_the_local_model_has_no_guard(
    server: FakeServer, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(isolated, "max_run_tokens = 0\n")
    remote(monkeypatch, isolated)
    monkeypatch.setenv("BRIEF_PROVIDER", "local")
    result = runner.invoke(app, ["extract", "--all"])
    assert result.exit_code == 0, result.stderr
    assert "cost estimate" not in result.stderr and "max_run_tokens" not in result.stderr
    assert len(server.requests) > 0
    dry = runner.invoke(app, ["extract", "--all", "--dry-run"])
    assert "not paid for" in dry.stdout


# the settings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("max_run_tokens = -1", "max_run_tokens = -1 must be at least 0"),
        ('max_run_tokens = "lots"', "is not a whole number"),
        ("price_per_million_tokens = -0.1", "is not a price: give a number per million tokens"),
        ("price_per_million_tokens = { input = 0.15 }", "or a table { input = 0.15, output ="),
    ],
)
def test_bad_cost_settings_say_what_to_write(isolated: Path, line: str, message: str) -> None:
    configure(isolated, line + "\n")
    result = runner.invoke(app, ["extract", "--all"])
    assert result.exit_code == 1
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_price_tables_and_numbers(isolated: Path) -> None:
    configure(isolated, "price_per_million_tokens = { input = 0.15, output = 0.6 }\n")
    prices = load_settings().price_per_million_tokens
    assert prices is not None and (prices.input, prices.output) == (0.15, 0.6)
    configure(isolated, "price_per_million_tokens = 2\n")
    prices = load_settings().price_per_million_tokens
    assert prices is not None and prices.input == prices.output == 2.0


def test_doctor_shows_the_cost_settings(isolated: Path) -> None:
    configure(isolated, "max_run_tokens = 5000\nprice_per_million_tokens = 0.15\n")
    report = json.loads(runner.invoke(app, ["doctor", "--json", "--no-full-hash"]).stdout)
    assert report["max_run_tokens"] == 5000
    assert report["price_per_million_tokens"] == "input 0.15, output 0.15"


def test_tokens_are_counted_in_the_models_encoding() -> None:
    from briefing.text.tokens import encoding_for_model

    assert encoding_for_model("gpt-4o-mini") == "o200k_base"
    assert encoding_for_model("gpt-4") == "cl100k_base"
    assert encoding_for_model("my-llama-on-vllm") == "o200k_base"  # unknown: an estimate
