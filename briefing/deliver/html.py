"""The briefing as an HTML email body: the Markdown rendered by markdown-it-py into
`templates/email.html.j2`, styled inline because many mail clients drop `<style>` blocks.

Article text is untrusted, so raw HTML is disabled (it comes out escaped), images are disabled (a
remote image is a tracking pixel) and links are limited to http, https and mailto.
"""

from __future__ import annotations

import re

import markupsafe
from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefing.templates import render_template

_SAFE_SCHEMES = {"http", "https", "mailto"}

# Styles put on each element, since Gmail, Outlook and others ignore or strip stylesheets.
_STYLES = {
    "h1": "font-size:22px;line-height:1.3;margin:0 0 12px;color:#111111;",
    "h2": "font-size:18px;line-height:1.3;margin:28px 0 10px;padding-bottom:4px;"
    "border-bottom:1px solid #e2e2e2;color:#111111;",
    "h3": "font-size:16px;line-height:1.3;margin:20px 0 8px;color:#333333;",
    "p": "margin:0 0 12px;",
    "blockquote": "margin:4px 0 14px;padding:2px 0 2px 12px;border-left:3px solid #c8c8c8;"
    "color:#444444;",
    "ul": "margin:0 0 12px;padding-left:24px;",
    "ol": "margin:0 0 12px;padding-left:24px;",
    "li": "margin:0 0 6px;",
    "a": "color:#1a5fb4;text-decoration:underline;word-break:break-all;",
    "code": "font-family:Menlo,Consolas,monospace;font-size:13px;background-color:#f2f2f2;"
    "padding:0 3px;",
    "hr": "border:0;border-top:1px solid #dddddd;margin:24px 0;",
}


def _safe_link(url: str) -> bool:
    """Allow only web and mail links. markdown-it's own check blocks javascript:, vbscript:,
    file: and most data: URLs; an allowlist also covers schemes nobody thought of."""
    cleaned = "".join(c for c in url if ord(c) > 32 and ord(c) != 127).lower()
    scheme = re.match(r"^([a-z][a-z0-9+.-]*):", cleaned)
    return scheme is None or scheme.group(1) in _SAFE_SCHEMES


def _markdown_renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")
    md.validateLink = _safe_link  # type: ignore[method-assign]
    return md


def _style(tokens: list[Token]) -> None:
    for token in tokens:
        if token.nesting >= 0 and token.tag in _STYLES:
            token.attrSet("style", _STYLES[token.tag])
        if token.children:
            _style(token.children)


def render_html(markdown: str, title: str) -> str:
    """The briefing as an HTML email body."""
    md = _markdown_renderer()
    tokens = md.parse(markdown)
    _style(tokens)
    body = md.renderer.render(tokens, md.options, {})
    # markdown-it escaped every raw tag and dropped unsafe links above, so its output is the one
    # string trusted as markup; everything else in the template is autoescaped.
    return render_template("email.html.j2", title=title, body=markupsafe.Markup(body))
