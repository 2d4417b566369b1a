"""The cache below the SDK, the fixtures, and the choice of provider."""

from __future__ import annotations

import json
from pathlib import Path

import httpx2
import openai
import pytest

from briefing.config import load_settings
from briefing.errors import BriefError, ReplayMiss
from briefing.extract.label import answer_schema
from briefing.llm import bodies
from briefing.llm.bodies import built_by_sdk
from briefing.llm.client import choose_provider, open_client
from briefing.llm.fixtures import check_fixtures, load_fixture, request_key, write_fixture
from briefing.llm.transport import CachingTransport
from briefing.store.database import CachedCall, Store

from .fakes import Sentences as SummaryDraft

ANSWER = {
    "id": "x",
    "object": "chat.completion",
    "created": 0,
    "model": "m",
    "choices": [
        {
            "index": 0,
            "finish_reason": "stop",
            "message": {"role": "assistant", "content": '{"sentences": []}'},
        }
    ],
    "usage": {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10},
}


def test_request_key_ignores_key_order() -> None:
    assert request_key({"a": 1, "b": [1, 2]}) == request_key({"b": [1, 2], "a": 1})
    assert request_key({"a": 1}) != request_key({"a": 2})


def test_cache_sends_a_request_once(tmp_path: Path) -> None:
    seen = []

    def server(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, json=ANSWER)

    settings = load_settings(home=tmp_path)
    with Store(settings.store_path) as store:
        client = open_client(settings, store, "openai", transport=httpx2.MockTransport(server))
        messages = [{"role": "user", "content": "hello"}]
        first = client.parse(messages, SummaryDraft)
        second = client.parse(messages, SummaryDraft)
        assert len(seen) == 1
        assert (first.cached, second.cached) == (False, True)
        assert first.parsed == second.parsed == SummaryDraft(sentences=[])
        (call,) = list(store.calls())
        assert call.prompt_tokens == 7 and call.request["messages"] == messages
        assert call.request["response_format"]["type"] == "json_schema"


def test_an_answer_from_the_cache_does_not_go_through_the_sdk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 20: the SDK's building and reading of a request cost more than all the rest of a
    # request's work; an answer the cache holds needs neither.
    def server(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, json=ANSWER)

    def no_sdk(*args: object, **kwargs: object) -> object:
        raise AssertionError("the SDK was asked for an answer the cache holds")

    settings = load_settings(home=tmp_path)
    messages = [{"role": "user", "content": "hello"}]
    with Store(settings.store_path) as store:
        client = open_client(settings, store, "openai", transport=httpx2.MockTransport(server))
        first = client.parse(messages, SummaryDraft)
        monkeypatch.setattr(openai.OpenAI, "request", no_sdk)
        again = client.parse(messages, SummaryDraft)
    assert (first.cached, again.cached) == (False, True)
    assert again.parsed == first.parsed and again.key == first.key
    assert (again.prompt_tokens, again.completion_tokens) == (7, 3)


def test_a_request_the_cache_lacks_is_looked_up_once_before_it_is_claimed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The client looks in the cache before the SDK; the cache below the SDK takes its key and
    # looks again only once it holds the request's claim (another run may have asked it
    # meanwhile), not a third time.
    settings = load_settings(home=tmp_path)
    with Store(settings.store_path) as store:
        looked: list[str] = []
        get_call = store.get_call

        def counted(key: str) -> CachedCall | None:
            looked.append(key)
            return get_call(key)

        monkeypatch.setattr(store, "get_call", counted)
        server = httpx2.MockTransport(lambda request: httpx2.Response(200, json=ANSWER))
        client = open_client(settings, store, "openai", transport=server)
        answer = client.parse([{"role": "user", "content": "hello"}], SummaryDraft)
        assert looked == [answer.key, answer.key]
        assert get_call(answer.key) is not None


@pytest.mark.parametrize(
    "messages",
    [
        [{"role": "user", "content": "hello"}],
        [
            {"role": "system", "content": "Réponds en JSON « strict » — \u2028 ✓"},
            {"role": "user", "content": 'He said: "no"\n\tthen left'},
            {"role": "assistant", "content": ""},
        ],
    ],
    ids=["one", "several"],
)
@pytest.mark.parametrize("derived", [True, False], ids=["derived", "sdk-built"])
def test_a_request_body_is_the_one_the_sdk_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, messages: list[dict[str, str]], derived: bool
) -> None:
    # The recorded fixtures are keyed by the bodies the SDK built: a body built without it must
    # hash the same, for every answer schema, also where the SDK cannot derive its response
    # format on its own (another version of it).
    if not derived:
        monkeypatch.setattr(bodies, "response_format", lambda schema: None)
    settings = load_settings(home=tmp_path)
    with Store(settings.store_path) as store:
        client = open_client(
            settings,
            store,
            "openai",
            transport=httpx2.MockTransport(lambda r: httpx2.Response(500)),
        )
        for schema in (
            SummaryDraft,
            answer_schema(("talks", "sanctions"), ("Anna Nowak",), False, False, False),
            answer_schema(("talks",), (), True, True, True),
        ):
            client.request_body([{"role": "user", "content": "warm"}], schema)
            ours = client.request_body(messages, schema)
            sdk = built_by_sdk(
                client.client, client.model, messages, schema, client.max_output_tokens
            )
            assert request_key(ours) == request_key(sdk)
            assert ours["messages"] == messages and ours["response_format"]["type"] == "json_schema"


def test_failed_answers_are_not_cached(tmp_path: Path) -> None:
    statuses = iter([500, 200])

    def server(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(next(statuses), json=ANSWER)

    settings = load_settings(home=tmp_path)
    with Store(settings.store_path) as store:
        transport = CachingTransport(store, httpx2.MockTransport(server))
        request = httpx2.Request("POST", "http://x/v1/chat/completions", json={"model": "m"})
        assert transport.handle_request(request).status_code == 500
        assert store.count("llm_calls") == 0
        assert transport.handle_request(request).status_code == 200
        assert store.count("llm_calls") == 1


def test_replay_miss_is_loud_and_says_how_to_record(tmp_path: Path) -> None:
    settings = load_settings(home=tmp_path, provider="replay")
    settings.fixtures_dir = tmp_path / "no-fixtures"
    with Store(settings.store_path) as store:
        client = open_client(settings, store)
        with pytest.raises(ReplayMiss, match="python -m briefing.recording record"):
            client.parse([{"role": "user", "content": "hi"}], SummaryDraft)


def test_fixtures_round_trip_and_check(tmp_path: Path) -> None:
    settings = load_settings(home=tmp_path)
    with Store(settings.store_path) as store:
        client = open_client(
            settings,
            store,
            "local",
            transport=httpx2.MockTransport(lambda r: httpx2.Response(200, json=ANSWER)),
        )
        client.parse([{"role": "user", "content": "hi"}], SummaryDraft)
        (call,) = list(store.calls())
    path = write_fixture(tmp_path / "fx", call)
    assert json.loads(path.read_text())["response"] == ANSWER  # plain, readable JSON
    loaded = load_fixture(tmp_path / "fx", call.key)
    assert loaded is not None
    assert (loaded.request, loaded.response, loaded.prompt_tokens) == (
        call.request,
        call.response,
        call.prompt_tokens,
    )
    assert check_fixtures(tmp_path / "fx") == []
    data = json.loads(path.read_text())
    data["request"]["messages"][0]["content"] = "edited by hand"
    path.write_text(json.dumps(data))
    assert "does not match" in check_fixtures(tmp_path / "fx")[0]


def test_recorded_fixtures_are_well_formed() -> None:
    assert check_fixtures(load_settings().fixtures_dir) == []


def test_provider_choice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("BRIEF_PROVIDER")
    assert choose_provider(load_settings(provider="replay"))[0] == "replay"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    assert choose_provider(load_settings())[0] == "openai"
    monkeypatch.delenv("OPENAI_API_KEY")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    assert choose_provider(load_settings())[0] == "openai"
    monkeypatch.delenv("OPENAI_BASE_URL")
    import briefing.llm.local

    monkeypatch.setattr(briefing.llm.local, "weights_installed", lambda: False)
    with pytest.raises(BriefError, match="OPENAI_API_KEY.*pip install"):
        choose_provider(load_settings())
    monkeypatch.setattr(briefing.llm.local, "weights_installed", lambda: True)
    assert choose_provider(load_settings())[0] == "local"


def test_unknown_provider_is_refused() -> None:
    with pytest.raises(BriefError, match="use one of openai, local, replay"):
        load_settings(provider="ollama")


def test_config_file_and_precedence(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolated.mkdir(parents=True, exist_ok=True)
    (isolated / "config.toml").write_text('model = "from-file"\nconcurrency = 3\n')
    monkeypatch.delenv("BRIEF_PROVIDER")
    settings = load_settings()
    assert settings.model == "from-file" and settings.concurrency == 3
    monkeypatch.setenv("BRIEF_MODEL", "from-env")
    assert load_settings().model == "from-env"
    assert load_settings(model="from-flag").model == "from-flag"


def test_secrets_in_the_config_file_are_refused(isolated: Path) -> None:
    isolated.mkdir(parents=True, exist_ok=True)
    (isolated / "config.toml").write_text('api_key = "sk-oops"\n')
    with pytest.raises(BriefError, match="set it in the environment"):
        load_settings()
