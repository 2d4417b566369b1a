"""Smoke test: one real extraction by the embedded model, grounded by the program.

The only test that runs live inference (about 20 s on 2 cores, 2 GB of memory). It needs the
`local` extra and runs only with BRIEF_SMOKE=1, as `.ci/run` does. It talks to a loopback server
that it starts itself.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.smoke,
    # The suite runs with --disable-socket; this test must reach its own loopback server.
    pytest.mark.enable_socket,
    pytest.mark.skipif(os.environ.get("BRIEF_SMOKE") != "1", reason="set BRIEF_SMOKE=1 to run"),
]

TEXT = """---
published: 2025-12-16
---
Finance Minister Maria Lopez said on Monday that the budget would be balanced next year.
“We will not raise taxes in 2026,” Lopez told reporters in Madrid.
"""


def test_embedded_model_extracts_a_grounded_position(tmp_path: Path) -> None:
    from briefing.config import load_settings
    from briefing.llm.client import open_client
    from briefing.pipeline import Extractor, ingest
    from briefing.store.database import Store

    path = tmp_path / "short.md"
    path.write_text(TEXT, encoding="utf-8")
    settings = load_settings(home=tmp_path / "home", provider="local")
    with Store(settings.store_path) as store:
        ingest(store, [path])
        (article,) = store.articles_on(dt.date(2025, 12, 16))
        started = time.monotonic()
        with open_client(settings, store) as client:
            (outcome,) = Extractor(store, client, settings).extract([article])
        seconds = time.monotonic() - started
        print(f"\nembedded model: {outcome.usage}, {seconds:.1f} s")
        for p in outcome.positions:
            print(f"  {p.valid} {p.speaker!r} {p.kind} {p.evidence} {p.quotes} {p.reason}")
        assert outcome.usage.calls >= 1  # a real call, not the cache
        assert outcome.error is None
        assert outcome.positions, "the model found no position in an obvious statement"
        for position in outcome.positions:
            for (start, end), quote in zip(position.spans, position.quotes, strict=True):
                assert article.text[start:end] == quote  # copied, never written by the model
        speakers = " ".join(p.speaker for p in outcome.positions if p.valid)
        assert "Lopez" in speakers
