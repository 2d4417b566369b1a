"""Take docs/email.png: the HTML email of the seed day, in headless Chromium.

    .venv/bin/python docs/email_screenshot.py [--out docs/email.png]

The seeds are ingested into a temporary BRIEF_HOME, the day's briefing is generated from the
recorded model answers (the replay provider, so no model runs) and `brief send --dry-run` writes
the exact message; its HTML part is loaded from a file, with every other request refused, and
photographed whole. Needs Debian's `chromium` and the `playwright` package (the `dev` extra).
"""

from __future__ import annotations

import argparse
import email
import email.policy
import os
import subprocess
import sys
import tempfile
from email.message import EmailMessage
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DAY = "2025-12-16"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def brief(*args: str) -> None:
    """Run the CLI of this interpreter's environment in the checkout, as a user would (so the
    briefing names its source as `seeds/...`, not by this machine's path)."""
    command = [sys.executable, "-c", "from briefing.cli import app; app()", *args]
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def email_html(home: Path) -> str:
    os.environ.update(
        BRIEF_HOME=str(home),
        BRIEF_PROVIDER="replay",
        BRIEF_MAIL_FROM="Briefing desk <desk@example.org>",
    )
    brief("ingest", "seeds")
    brief("generate", "--date", DAY, "--no-stdout")
    eml = home / "briefing.eml"
    brief("send", "--date", DAY, "--to", "a@example.org", "--dry-run", "--eml", str(eml))
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    part = message.get_body(("html",))
    assert isinstance(part, EmailMessage)
    html = part.get_content()
    assert isinstance(html, str)
    return html


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "email.png")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="brief-shot-") as tmp:
        page_file = Path(tmp) / "email.html"
        page_file.write_text(email_html(Path(tmp) / "home"), encoding="utf-8")

        def only_the_file(route: Any) -> None:
            if route.request.url == page_file.as_uri():
                route.continue_()
            else:
                route.abort()

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 760, "height": 1000})
            page.route("**/*", only_the_file)
            page.goto(page_file.as_uri())
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out), full_page=True)
            browser.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
