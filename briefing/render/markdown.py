"""Text from outside our templates, made safe to put into Markdown: article text and metadata,
model and server text (credentials redacted), link targets (http(s) only, percent-encoded) and
code spans that their own backticks cannot end.
"""

from __future__ import annotations

import re
import urllib.parse

from briefing.text.redact import redact_credentials


def md_inline(text: str) -> str:
    """Keep article text from turning into Markdown structure (headings, links, emphasis,
    entities such as `&#91;` that would show as a character the text does not contain)."""
    out = []
    for i, char in enumerate(text):
        if (
            char == "_"
            and 0 < i < len(text) - 1
            and text[i - 1].isalnum()
            and text[i + 1].isalnum()
        ):
            out.append(char)  # within a word (max_output_tokens) it cannot start emphasis
        elif char in "\\`*_[]<>#|&":
            out.append("\\" + char)
        else:
            out.append(char)
    # Only line breaks become spaces: other whitespace (a no-break space) is part of the quote.
    return "".join(out).replace("\r", " ").replace("\n", " ")


def outside_text(text: str) -> str:
    """Text that came from a model or a server (a failure reason, a refusal, an error body):
    data, never markup, and never a credential it happened to echo."""
    return md_inline(redact_credentials(text))


# What may stay as it is in an address's path, query and fragment: RFC 3986's unreserved and
# reserved characters (brackets aside, which belong to the host) and escapes. Everything else (a
# space, "<", ">", a quote, a bracket) is percent-encoded, so that the address cannot end the
# link and start Markdown of its own.
URL_SAFE = ":/?#@!$&'()*+,;=%~-._"
HOST = re.compile(r"[A-Za-z0-9.\-_~%!$&'()*+,;=:@\[\]]+")


def link_target(url: str | None) -> str | None:
    """An article's address as a link target: http(s) only, percent-encoded; None otherwise."""
    if not url:
        return None
    try:
        parts = urllib.parse.urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not HOST.fullmatch(parts.netloc):
        return None
    path, query, fragment = (
        urllib.parse.quote(part, safe=URL_SAFE)
        for part in (parts.path, parts.query, parts.fragment)
    )
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, query, fragment))


def code_span(text: str) -> str:
    """`text` as a Markdown code span, fenced with more backticks than it contains in a row."""
    text = text.replace("\r", " ").replace("\n", " ")
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    if longest == 0:
        return f"`{text}`"
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"
