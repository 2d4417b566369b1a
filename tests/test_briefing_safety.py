"""Text from outside our templates is data in the briefing and in the HTML email: article
metadata, model and server text, failure reasons. Links only to http(s) addresses, no markup
from anyone else, no credential a server echoed."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import httpx2
import pytest

from briefing.config import load_settings
from briefing.deliver.html import render_html
from briefing.errors import ModelRefused, ModelUnavailable
from briefing.ingest.articles import read_articles
from briefing.llm.client import open_client
from briefing.models import Article, ArticleResult, DraftModel
from briefing.render.briefing import Briefing, BriefingInput, Provenance, render_briefing
from briefing.store.database import Store

DAY = dt.date(2025, 12, 16)


class Answer(DraftModel):
    text: str


PHISH = "http://phish.example/login"


def article(tmp_path: Path, url: str, name: str = "a.md") -> Article:
    path = tmp_path / name
    path.write_text(
        f"---\ntitle: Talks\nurl: {json.dumps(url)}\npublished: 2025-12-16\n---\n"
        "The minister said the talks would resume.\n",
        encoding="utf-8",
    )
    (found,) = read_articles(path)
    return found


def render(results: list[ArticleResult]) -> Briefing:
    return render_briefing(
        BriefingInput(
            day=DAY,
            articles=results,
            provenance=Provenance("openai", "m", "p", 0, 0),
            positions=[p for r in results for p in r.positions if p.valid],
        )
    )


def links(markdown: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', render_html(markdown, "t"))


def test_a_hostile_url_in_front_matter_makes_no_phishing_link(tmp_path: Path) -> None:
    hostile = f"https://a.example/x> [Verify your account]({PHISH}) <https://b"
    briefing = render([ArticleResult(article(tmp_path, hostile), [], None)])
    assert f"]({PHISH})" not in briefing.markdown
    hrefs = links(briefing.markdown)
    assert len(hrefs) == 1 and hrefs[0].startswith("https://a.example/x%3E%20")
    assert not any("phish.example" in h.split("/x")[0] for h in hrefs)


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,<b>x</b>", "a.example"]
)
def test_only_http_addresses_become_links(tmp_path: Path, url: str) -> None:
    briefing = render([ArticleResult(article(tmp_path, url), [], None)])
    assert links(briefing.markdown) == []
    assert "not an http(s) link" in briefing.markdown


def test_a_plain_url_is_unchanged(tmp_path: Path) -> None:
    url = "https://news.example/2025/12/16/talks?id=3&lang=en#top"
    briefing = render([ArticleResult(article(tmp_path, url), [], None)])
    assert f"<{url}>" in briefing.markdown
    assert links(briefing.markdown) == [url.replace("&", "&amp;")]


MARKUP = f"[Verify your account]({PHISH}) **now** <b>bold</b> # heading"


def test_model_and_server_text_is_never_markup(tmp_path: Path) -> None:
    briefing = render(
        [
            ArticleResult(
                article(tmp_path, "https://a.example/"), [], f"the model refused: {MARKUP}"
            )
        ],
    )
    html = render_html(briefing.markdown, "t")
    assert "phish.example" not in "".join(links(briefing.markdown))
    assert "<strong>" not in html and "<b>" not in html and "<h1>now" not in html
    assert "[Verify your account]" in html  # shown as the text it is
    failed = render(
        [ArticleResult(article(tmp_path, "https://a.example/"), [], f"HTTP 500: {MARKUP}")]
    )
    assert "phish.example" not in "".join(links(failed.markdown))
    assert "<strong>" not in render_html(failed.markdown, "t")


def test_credentials_in_a_failure_reason_are_not_briefed(tmp_path: Path) -> None:
    reason = "HTTP 401: bad header Authorization: Bearer sk-proj-Abc123def456ghi789"
    briefing = render([ArticleResult(article(tmp_path, "https://a.example/"), [], reason)])
    assert "Abc123def456ghi789" not in briefing.markdown
    assert "[redacted]" in briefing.markdown.replace("\\[", "[").replace("\\]", "]")


def test_an_origin_with_backticks_stays_one_code_span(tmp_path: Path) -> None:
    found = article(tmp_path, "https://a.example/")
    found = found.model_copy(update={"origin": "feed:x` [y](http://phish.example) `"})
    briefing = render([ArticleResult(found, [], None)])
    assert "phish.example" not in "".join(links(briefing.markdown))


def test_the_client_redacts_what_a_server_echoes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "plainkey-9f8e7d6c5b4a")
    settings = load_settings(provider="openai", model="m")

    def echo(request: httpx2.Request) -> httpx2.Response:
        header = request.headers["authorization"]
        return httpx2.Response(400, json={"error": {"message": f"rejected header {header}"}})

    def refuse(request: httpx2.Request) -> httpx2.Response:
        message = {"role": "assistant", "content": None, "refusal": "no, key sk-live-a1b2c3d4e5f6"}
        choice = {"index": 0, "finish_reason": "stop", "message": message}
        return httpx2.Response(
            200,
            json={
                "id": "x",
                "object": "chat.completion",
                "created": 0,
                "model": "m",
                "choices": [choice],
            },
        )

    with Store(settings.store_path) as store:
        client = open_client(settings, store, transport=httpx2.MockTransport(echo))
        with pytest.raises(ModelUnavailable) as unavailable:
            client.parse([{"role": "user", "content": "hi"}], Answer)
        assert "9f8e7d6c5b4a" not in str(unavailable.value)
        assert "[redacted]" in str(unavailable.value)
        client = open_client(settings, store, transport=httpx2.MockTransport(refuse))
        with pytest.raises(ModelRefused) as refused:
            client.parse([{"role": "user", "content": "hello"}], Answer)
        assert "a1b2c3d4e5f6" not in str(refused.value)
