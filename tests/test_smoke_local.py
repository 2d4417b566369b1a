"""Smoke test: the real embedded model answers a chat completion through the openai SDK.

Slow (about 15 s, 2 GB of memory) and needs the weights installed, so it only runs with
BRIEF_SMOKE=1. It talks to a loopback server only.
"""

from __future__ import annotations

import os
import time

import pytest

pytestmark = [
    pytest.mark.smoke,
    # The suite runs with --disable-socket; this test must reach its own loopback server.
    pytest.mark.enable_socket,
    pytest.mark.skipif(os.environ.get("BRIEF_SMOKE") != "1", reason="set BRIEF_SMOKE=1 to run"),
]


def test_local_model_answers_a_chat_completion() -> None:
    import openai

    from briefing.local import shared_local_model

    started = time.monotonic()
    model = shared_local_model()
    assert model is shared_local_model()  # started once, then reused
    assert model.base_url.startswith("http://127.0.0.1:")
    loaded = time.monotonic()

    client = openai.OpenAI(base_url=model.base_url, api_key="local", max_retries=0, timeout=120)
    response = client.chat.completions.create(
        model=model.model_name,
        messages=[{"role": "user", "content": "Say hello in one word."}],
        max_tokens=8,
        temperature=0,
    )
    answer = response.choices[0].message.content
    print(
        f"\nload {loaded - started:.1f} s, answer {time.monotonic() - loaded:.1f} s: {answer!r}"
    )
    assert answer and answer.strip()
