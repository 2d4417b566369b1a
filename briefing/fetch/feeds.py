"""Reading feeds: RSS 2.0 (and 0.9x, 1.0) and Atom through feedparser, JSON Feed by its spec.

A feed becomes a `Feed`: its own title and language, and the items that link to a page, each with
what the feed says about it (title, date, the text used for the keyword filter). Nothing here
downloads anything.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from briefing.errors import FetchError

_TAG_RE = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class FeedItem:
    url: str
    title: str | None = None
    published: dt.date | None = None
    text: str = ""  # title, summary and content as plain text: what keywords are looked for in


@dataclass(frozen=True)
class Feed:
    title: str | None
    language: str | None
    items: tuple[FeedItem, ...]
    kind: str  # "rss", "atom" or "json", for reports


def parse_feed(content: bytes, content_type: str, url: str) -> Feed:
    """The feed in `content` (downloaded from `url`, relative links resolved against it); a
    FetchError naming `url` when it is not a feed."""
    head = content[:200].lstrip()
    if "json" in content_type.lower() or head.startswith(b"{"):
        return _parse_json_feed(content, url)
    return _parse_xml_feed(content, content_type, url)


def _parse_xml_feed(content: bytes, content_type: str, url: str) -> Feed:
    import feedparser  # imported here: only fetching needs it

    parsed = feedparser.parse(
        content,
        response_headers={
            "content-type": content_type or "application/xml",
            "content-location": url,
        },
        sanitize_html=False,  # its text is only searched for keywords, never shown
    )
    if not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        why = f" ({_one_line(problem)})" if problem else ""
        raise FetchError(url, f"not an RSS, Atom or JSON feed{why}")
    feed = parsed.get("feed", {})
    items = []
    for entry in parsed.get("entries", []):
        link = entry.get("link")
        if not link:
            continue  # nothing to download
        parts = [entry.get("title", ""), entry.get("summary", "")]
        parts.extend(c.get("value", "") for c in entry.get("content", []))
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        items.append(
            FeedItem(
                url=urljoin(url, link),
                title=_clean(entry.get("title")),
                published=dt.date(when.tm_year, when.tm_mon, when.tm_mday) if when else None,
                text=_plain(parts),
            )
        )
    kind = "atom" if str(parsed["version"]).startswith("atom") else "rss"
    return Feed(_clean(feed.get("title")), _clean(feed.get("language")), tuple(items), kind)


def _parse_json_feed(content: bytes, url: str) -> Feed:
    """JSON Feed 1.0 and 1.1 (jsonfeed.org): `items` with `url` (or `external_url`)."""
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FetchError(url, f"not a JSON feed ({_one_line(exc)})") from None
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(
        "https://jsonfeed.org/version/"
    ):
        raise FetchError(url, "JSON without a jsonfeed.org `version`: not a JSON Feed")
    raw_items = data.get("items")
    if not isinstance(raw_items, list):
        raise FetchError(url, "JSON Feed without an `items` list")
    items = []
    for entry in raw_items:
        if not isinstance(entry, dict):
            continue
        link = _text_field(entry, "url") or _text_field(entry, "external_url")
        if not link:
            continue
        title = _text_field(entry, "title")
        parts = [title or "", _text_field(entry, "summary") or ""]
        parts += [
            _text_field(entry, "content_text") or "",
            _text_field(entry, "content_html") or "",
        ]
        when = _text_field(entry, "date_published") or _text_field(entry, "date_modified")
        items.append(FeedItem(urljoin(url, link), _clean(title), _iso_date(when), _plain(parts)))
    return Feed(
        _clean(_text_field(data, "title")),
        _clean(_text_field(data, "language")),
        tuple(items),
        "json",
    )


def _text_field(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    return value if isinstance(value, str) else None


def _iso_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.strip()).date()
    except ValueError:
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return unicodedata.normalize("NFC", " ".join(html.unescape(value).split())) or None


def _plain(parts: Iterable[str]) -> str:
    """Feed fields as one plain text: tags dropped, entities decoded, NFC."""
    text = " ".join(_TAG_RE.sub(" ", p) for p in parts if p)
    return unicodedata.normalize("NFC", " ".join(html.unescape(text).split()))


def _one_line(exc: object) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


class KeywordFilter:
    """Keeps items that mention one of the keywords (whole words, any case); no keywords, all."""

    def __init__(self, keywords: Sequence[str]) -> None:
        words = [unicodedata.normalize("NFC", k.strip()) for k in keywords if k.strip()]
        self.keywords = tuple(words)
        self._pattern = (
            re.compile(
                r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE
            )
            if words
            else None
        )

    def keeps(self, text: str) -> bool:
        return self._pattern is None or self._pattern.search(text) is not None
