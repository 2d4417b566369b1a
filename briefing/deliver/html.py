"""The briefing as an HTML email body: the Markdown rendered by markdown-it-py into
`templates/email.html.j2`, styled inline because many mail clients drop `<style>` blocks.

Article text is untrusted, so raw HTML is disabled (it comes out escaped), images are disabled (a
remote image is a tracking pixel) and links are limited to http, https and mailto.

A briefing entry is a bullet that opens with its number ("- 6. *conditional*: ..."), which
CommonMark reads as a one-item numbered list inside the bullet: shown as a bullet and, indented
below it, "6.". Such an item is flattened back into the bullet with its number as text.
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
# A paragraph that introduces a list (a speaker line before their entries) sits close to it.
_LIST_INTRO_STYLE = "margin:0 0 4px;"


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
    for i, token in enumerate(tokens):
        if token.nesting >= 0 and token.tag in _STYLES:
            token.attrSet("style", _STYLES[token.tag])
        if token.children:
            _style(token.children)
        following = tokens[i + 3] if i + 3 < len(tokens) else None
        if token.type == "paragraph_open" and following and following.type.endswith("list_open"):
            token.attrSet("style", _LIST_INTRO_STYLE)


def _numbered_entry_end(tokens: list[Token], i: int) -> int | None:
    """Where the one-item numbered list opening the bullet item at `i` closes, or None when the
    item is not a numbered entry (no numbered list on its first line, or more than one item)."""
    item, inner = tokens[i], tokens[i + 1] if i + 1 < len(tokens) else None
    if item.type != "list_item_open" or item.markup not in ("-", "*", "+") or inner is None:
        return None
    if inner.type != "ordered_list_open" or not item.map or not inner.map:
        return None
    if inner.map[0] != item.map[0]:  # the numbered list opens on the bullet's own line
        return None
    items = 0
    for j in range(i + 2, len(tokens)):
        token = tokens[j]
        if token.level == inner.level + 1 and token.type == "list_item_open":
            items += 1
        if token.level == inner.level and token.type == "ordered_list_close":
            return j if items == 1 else None
    return None


def _flatten_numbered_entries(tokens: list[Token]) -> list[Token]:
    """Each bullet item "- 6. text" as one item reading "6. text", not a bullet holding a list."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        end = _numbered_entry_end(tokens, i)
        if end is None:
            out.append(tokens[i])
            i += 1
            continue
        inner_item = tokens[i + 2]
        number = inner_item.info or str(tokens[i + 1].attrGet("start") or 1)
        body = tokens[i + 3 : end - 1]  # between the inner item's open and close
        first_inline = next((t for t in body if t.type == "inline"), None)
        if first_inline is not None and first_inline.children is not None:
            label = Token("text", "", 0, content=f"{number}{inner_item.markup} ")
            first_inline.children.insert(0, label)
        out.append(tokens[i])
        out.extend(body)
        i = end + 1
    return out


def render_html(markdown: str, title: str) -> str:
    """The briefing as an HTML email body."""
    md = _markdown_renderer()
    tokens = _flatten_numbered_entries(md.parse(markdown))
    _style(tokens)
    body = md.renderer.render(tokens, md.options, {})
    # markdown-it escaped every raw tag and dropped unsafe links above, so its output is the one
    # string trusted as markup; everything else in the template is autoescaped.
    return render_template("email.html.j2", title=title, body=markupsafe.Markup(body))
