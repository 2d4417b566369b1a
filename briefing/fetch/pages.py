"""A downloaded page to an `Article`: the page's text decoded by its declared charset, then the
ingest stage's HTML reader (trafilatura) for the main text and metadata.

A page must say what it is: bytes are decoded by the charset the server or the page declares,
UTF-8 when neither does, and bytes that are not valid in it are refused rather than guessed at
(a wrong guess would corrupt every quotation copied from it). A declaration can lie and still
decode: every byte is a letter in windows-1251, so French sent in windows-1252 under that label
comes out as "dйclarй". Such a page is refused too, when the declared reading of its non-ASCII
words is garbled and a detector (charset_normalizer) finds a clean reading in another charset.
"""

from __future__ import annotations

import codecs
import datetime as dt
import itertools
import re
from urllib.parse import urlsplit

from briefing.errors import FetchError, InputError
from briefing.fetch.http import Fetched
from briefing.ingest.articles import read_html_article
from briefing.models import Article

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTML_LANG = re.compile(
    r"""<html[^>]*?\slang\s*=\s*["']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?""", re.IGNORECASE
)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_LATIN = ("latin-1", "iso8859-1", "cp1252")
# Labels that browsers read as windows-1252 (WHATWG Encoding Standard): pages labelled latin-1
# are full of its curly quotes and dashes, which Latin-1 would make control characters.
_AS_WINDOWS_1252 = ("iso8859-1", "ascii")
# Charset_normalizer's mess ratio (its share of suspicious characters: letters of two scripts in
# one word, stray symbols) in the declared reading of the page's non-ASCII words, above which
# the declaration is doubted. Honest pages in the 20 charsets tried (Western, Central European,
# Cyrillic, Greek, Turkish, Hebrew, Arabic, Baltic, Thai, Chinese, Japanese, Korean) measure
# 0.06 at most; French in windows-1252 read as windows-1251 0.16, Russian read as Latin 1.7.
MESSY = 0.1
_NON_ASCII_WORD = re.compile(r"\S*[^\x00-\x7f]\S*")
_SAMPLE_WORDS = 2000  # enough to judge; a long page is not measured whole
MIN_ARTICLE_CHARS = 200  # a short wire story has more; a page of menu links has less


def page_text(fetched: Fetched) -> str:
    """The page as text, or a FetchError saying why it cannot be read."""
    content_type = fetched.content_type.split(";")[0].strip().lower()
    if content_type and content_type not in _HTML_TYPES:
        raise FetchError(
            fetched.final_url,
            f"not a web page ({content_type}); give the URL of an article",
            permanent=True,
        )
    declared = _HEADER_CHARSET.search(fetched.content_type)
    sniffed = declared or _META_CHARSET.search(fetched.content[:4096])
    name = sniffed.group(1) if sniffed else "utf-8"
    charset = name.decode("ascii") if isinstance(name, bytes) else name
    try:
        codec = codecs.lookup(charset)
    except LookupError:
        raise FetchError(
            fetched.final_url, f"declares an unknown character set {charset!r}", permanent=True
        ) from None
    if codec.name in _LATIN and _is_utf8(fetched.content):
        # Servers often send a default Latin-1 charset for pages written in UTF-8; multi-byte
        # UTF-8 sequences are very unlikely in real Latin-1 text, so the bytes tell.
        codec = codecs.lookup("utf-8")
    elif codec.name in _AS_WINDOWS_1252:
        codec = codecs.lookup("cp1252")
    try:
        text = fetched.content.decode("utf-8-sig" if codec.name == "utf-8" else codec.name)
    except UnicodeDecodeError as exc:
        bad = fetched.content[exc.start]
        said = "declared" if sniffed else "undeclared, so read as UTF-8"
        raise FetchError(
            fetched.final_url,
            f"not valid {codec.name} text (byte 0x{bad:02x} at offset {exc.start}; charset "
            f"{said}); skipped rather than guessed",
            permanent=True,
        ) from None
    if "\x00" in text:
        raise FetchError(fetched.final_url, "binary content, not a web page", permanent=True)
    if sniffed and not codec.name.startswith("utf"):  # valid UTF-8 text is what it says
        _check_declared(text, codec.name, charset, fetched.final_url)
    return text


def _check_declared(text: str, codec: str, label: str, url: str) -> None:
    """Refuse a page whose declared charset (`label`, Python's `codec`) garbles its non-ASCII
    words while another charset reads them cleanly. A page with no non-ASCII text, or whose
    declared reading is clean, or that no charset reads better, is left alone."""
    words = " ".join(
        m.group() for m in itertools.islice(_NON_ASCII_WORD.finditer(text), _SAMPLE_WORDS)
    )
    if not words:
        return
    from charset_normalizer import from_bytes  # imported here: most pages are UTF-8
    from charset_normalizer.md import mess_ratio

    mess = mess_ratio(words, maximum_threshold=1.0)
    if mess < MESSY:
        return
    readings = from_bytes(words.encode(codec), preemptive_behaviour=False)
    clean = [r for r in readings if r.chaos <= mess / 4]  # a reading far cleaner than declared
    if not clean:
        return
    best = min(r.chaos for r in clean)
    names = " or ".join([r.encoding for r in clean if r.chaos == best][:3])
    raise FetchError(
        url,
        f"declares the charset {label} but its text reads as {names} (as {label} it would be"
        " garbled); not stored: ask the site to fix its charset, or save the page as UTF-8"
        " and `brief ingest` it",
        permanent=True,
    )


def _is_utf8(data: bytes) -> bool:
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def page_article(
    fetched: Fetched,
    *,
    outlet: str | None = None,
    feed_title: str | None = None,
    published: dt.date | None = None,
    title: str | None = None,
    language: str | None = None,
) -> Article:
    """The article on a fetched page, its metadata completed from the feed item.

    Source: the configured `outlet`, else the feed's title, else the page's site name, else its
    host. URL: the canonical URL the page declares, else the address it was fetched from.
    Date, title and language: the page's own, else the feed's.
    """
    text = page_text(fetched)
    lang = _HTML_LANG.search(text[:4096])
    defaults = {
        "url": fetched.final_url,
        "title": title,
        "published": published,
        "language": lang.group(1).lower() if lang else language,
        "source": urlsplit(fetched.final_url).hostname,
    }
    try:
        article = read_html_article(text, fetched.final_url, defaults)
    except InputError:
        raise FetchError(
            fetched.final_url,
            "no article text found on the page (not an article?)",
            permanent=True,
        ) from None
    if len(article.text) < MIN_ARTICLE_CHARS:
        # trafilatura falls back to whatever text a page has (menu links, a video caption);
        # that is not an article to brief from.
        raise FetchError(
            fetched.final_url,
            f"no article text found on the page (only {len(article.text)} characters of text;"
            " a video or index page?)",
            permanent=True,
        )
    if article.url and not same_site(article.url, fetched.final_url):
        # A page may claim any address as canonical ("https://www.reuters.com/..."): only one
        # on the same registrable domain is believed; the claim would otherwise store the page
        # as Reuters' and stop the real page from ever being fetched. Nor is its site name.
        host = urlsplit(fetched.final_url).hostname
        article = article.model_copy(update={"url": fetched.final_url, "source": host})
    if outlet or feed_title:
        article = article.model_copy(update={"source": outlet or feed_title})
    return article


def same_site(url: str, other: str) -> bool:
    """Whether two addresses are on one registrable domain ("news.bbc.co.uk" and
    "www.bbc.co.uk"; not "reuters.com.evil.example"); an address without one (an IP) only
    matches its own host."""
    from courlan import extract_domain  # installed with trafilatura: knows public suffixes

    first, second = extract_domain(url), extract_domain(other)
    if first and second:
        return bool(first == second)
    return urlsplit(url).hostname == urlsplit(other).hostname
