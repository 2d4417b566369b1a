"""The HTML email of the seed day in a real headless Chromium driven by Playwright: the exact
message `brief send --dry-run` writes, its text/html part loaded from a file with every other
request refused, photographed, and its structure read from the DOM.

Needs Debian's `chromium` and the `playwright` package (the `dev` extra; never `playwright
install`): skipped, saying why, when either is missing. `.ci/run` installs chromium.
"""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from briefing.cli import app

from .browser import CHROMIUM, CHROMIUM_ARGS
from .conftest import SEED_DAY, SEEDS

runner = CliRunner()
STANCES = {"supports", "opposes", "conditional", "neutral", "no stance stated"}

# Read in the page: the headings in order, the lead, and each entry under "Positions by topic"
# with the element before its list (the speaker line).
READ_EMAIL = """() => {
  const body = document.querySelector('h1').parentElement;
  const headings = [...body.querySelectorAll('h1, h2, h3')].map(h => [h.tagName, h.textContent]);
  const lead = [...body.querySelectorAll('h2')].find(h => h.textContent === 'The day in brief');
  const leadList = lead ? lead.nextElementSibling : null;
  const entries = [];
  let el = [...body.querySelectorAll('h2')].find(h => h.textContent === 'Positions by topic');
  for (el = el && el.nextElementSibling; el && el.tagName !== 'H2'; el = el.nextElementSibling) {
    if (el.tagName !== 'UL') continue;
    const before = el.previousElementSibling;
    for (const li of el.children) {
      const em = li.querySelector(':scope > em');
      entries.push({
        text: li.textContent,
        stance: em ? em.textContent : null,
        italic: em ? getComputedStyle(em).fontStyle : null,
        nested: li.querySelectorAll('ul, ol').length,
        speakerLine: before && before.tagName === 'P' && before.firstElementChild
          && before.firstElementChild.tagName === 'STRONG' ? before.textContent : null,
      });
    }
  }
  return {
    headings,
    leadTag: leadList ? leadList.tagName : null,
    lead: leadList ? [...leadList.children].map(li => li.textContent) : [],
    entries,
    scripts: document.querySelectorAll('script').length,
    links: [...document.querySelectorAll('[href], [src]')].map(
      e => e.getAttribute('href') || e.getAttribute('src')),
    unstyled: [...body.querySelectorAll('h1, h2, h3, p, ul, ol, li')]
      .filter(e => !e.getAttribute('style')).map(e => e.tagName),
  };
}"""


def _playwright() -> Any:
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian's chromium (apt-get install -y chromium; .ci/run does it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("needs playwright (pip install -e '.[dev]')")
    return sync_playwright


def brief(*args: str) -> str:
    result = runner.invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, result.stderr
    return result.stdout


def seed_day_email(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The text/html part of the seed day's email, exactly as `brief send` would send it."""
    monkeypatch.setenv("BRIEF_MAIL_FROM", "Briefing desk <desk@example.org>")
    brief("ingest", str(SEEDS))
    brief("generate", "--date", SEED_DAY, "--no-stdout")
    eml = tmp_path / "briefing.eml"
    brief("send", "--date", SEED_DAY, "--to", "a@example.org", "--dry-run", "--eml", str(eml))
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    part = message.get_body(("html",))
    assert part is not None and isinstance(part, EmailMessage)
    html = part.get_content()
    assert isinstance(html, str)
    return html


@pytest.mark.browser
def test_email_html_in_headless_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sync_playwright = _playwright()
    page_file = tmp_path / "email.html"
    page_file.write_text(seed_day_email(tmp_path, monkeypatch), encoding="utf-8")
    shot = tmp_path / "email.png"
    requested: list[str] = []

    def refuse_all_but_the_file(route: Any) -> None:
        url = route.request.url
        requested.append(url)
        if url == page_file.as_uri():
            route.continue_()
        else:
            route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 800, "height": 1000})
            page.route("**/*", refuse_all_but_the_file)
            page.goto(page_file.as_uri())
            page.screenshot(path=str(shot), full_page=True)
            seen: dict[str, Any] = page.evaluate(READ_EMAIL)
        finally:
            browser.close()

    assert requested == [page_file.as_uri()]  # nothing but the email itself was loaded
    png = shot.read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 50_000, len(png)

    headings = seen["headings"]
    assert headings[0] == ["H1", f"Briefing for {SEED_DAY}"]
    assert headings[1] == ["H2", "The day in brief"]
    sections = [text for tag, text in headings if tag == "H2"]
    assert sections == [
        "The day in brief",
        "What changed",
        "Positions by topic",
        "Sources",
        "Needs review",
    ]
    assert any(tag == "H3" for tag, _ in headings)  # topic headings

    assert seen["leadTag"] == "UL"
    lead = seen["lead"]
    assert 1 <= len(lead) <= 5, lead
    assert lead[0].startswith("Dmitry Peskov") and "shifted" in lead[0], lead[0]

    entries = seen["entries"]
    assert entries, "no entry under Positions by topic"
    for entry in entries:
        text = entry["text"]
        assert entry["stance"] in STANCES, text
        assert entry["italic"] == "italic", text
        assert text.startswith(f"{text.split('.')[0]}. {entry['stance']}:"), text
        assert text.split(".")[0].isdigit(), text  # the entry's number, as text
        assert entry["nested"] == 0, text  # not a bullet holding a numbered list
        assert "“" in text or "reported:" in text, text
        assert entry["speakerLine"], text
    assert any(
        "shifted" in e["text"] and e["speakerLine"].startswith("Dmitry Peskov") for e in entries
    )

    assert seen["scripts"] == 0
    assert all(link.startswith(("http://", "https://")) for link in seen["links"]), seen["links"]
    assert seen["unstyled"] == []  # inline styles on every block, for mail clients
