"""Take docs/review-page.png: the review page for the seed day, in headless Chromium.

    .venv/bin/python docs/review_screenshot.py [--out docs/review-page.png]

The seeds are ingested into a temporary BRIEF_HOME and extracted from the recorded model answers
(the replay provider, so no model runs), a few decisions are made so that the page shows each
state, and the page is served on 127.0.0.1 and photographed. Needs Debian's `chromium` and the
`playwright` package (the `dev` extra).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DAY = dt.date(2025, 12, 16)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "review-page.png")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="brief-shot-") as home:
        os.environ["BRIEF_HOME"] = home
        os.environ["BRIEF_PROVIDER"] = "replay"
        # Imported after BRIEF_HOME is set, although settings are only read when loaded.
        from playwright.sync_api import sync_playwright

        from briefing.config import load_settings
        from briefing.llm.client import open_client
        from briefing.pipeline import build_briefing, ingest
        from briefing.review.deciding import approve, edit, reject
        from briefing.review.listing import list_positions
        from briefing.review.web import ReviewServer
        from briefing.store.database import Store

        settings = load_settings()
        with Store(settings.store_path) as store:
            ingest(store, [ROOT / "seeds"])
            build_briefing(store, open_client(settings, store), settings, DAY)
            items = [i for i in list_positions(store, DAY).items if i.position.valid]
            if len(items) < 3:
                print(
                    "the seed day has fewer than 3 positions: are the fixtures recorded for "
                    "the current prompt? (`python -m briefing.recording check`)",
                    file=sys.stderr,
                )
                return 1
            ids = [i.position.id for i in items if i.position.id is not None]
            approve(store, ids[:1], "alice")
            reject(store, ids[-1:], "alice", f"repeats position {ids[0]}")
            stance = "conditional" if items[1].position.stance != "conditional" else "neutral"
            edit(store, ids[1:2], {"stance": stance}, "bob", "the quote hedges")
            server = ReviewServer(store, settings, DAY, "alice", port=0)
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            try:
                with sync_playwright() as p:
                    browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
                    page = browser.new_page(viewport={"width": 1100, "height": 1300})
                    page.goto(server.url)
                    page.keyboard.press("j")
                    page.keyboard.press("j")
                    page.evaluate("window.scrollTo(0, 0)")
                    args.out.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(args.out))
                    browser.close()
            finally:
                server.shutdown()
                server.server_close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
