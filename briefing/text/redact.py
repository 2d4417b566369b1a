"""Credentials taken out of text that came from somewhere else (a server's error body, a
model's refusal) before it is shown, stored or put in a briefing.

A proxy or a misconfigured server may echo the request back, `Authorization: Bearer sk-...`
included; a briefing is emailed, so such text must lose the secret on its way in. The rules are
deliberately broad: a redacted word too many costs nothing, a key in an email costs a rotation.
"""

from __future__ import annotations

import re

REDACTED = "[redacted]"

# Each pattern keeps its first group (the label) and replaces the secret after it.
_PATTERNS = (
    # "Bearer <token>", "Basic <token>" (an Authorization header, echoed)
    re.compile(r"(\b(?:Bearer|Basic|Token)\s+)[A-Za-z0-9._~+/=-]{8,}", re.IGNORECASE),
    # api_key=..., "apiKey": "...", password: ..., secret=..., access_token=...
    re.compile(
        r"""((?:api[_-]?key|apikey|access[_-]?token|auth[_-]?token|token|secret|password|passwd)"""
        r"""["']?\s*[:=]\s*["']?)[^\s"',;&}]{4,}""",
        re.IGNORECASE,
    ),
    # OpenAI-style and other prefixed keys standing alone: sk-..., sk-proj-..., xoxb-..., ghp_...
    re.compile(r"()\b(?:sk|rk|pk|xox[abprs]|ghp|gho|github_pat)[-_][A-Za-z0-9_-]{8,}"),
)


def redact_credentials(text: str, secrets: tuple[str, ...] = ()) -> str:
    """`text` with API keys, bearer tokens and passwords replaced by "[redacted]"; every value
    in `secrets` (for example the configured API key) is replaced wherever it appears."""
    for secret in secrets:
        if secret and len(secret) >= 6:
            text = text.replace(secret, REDACTED)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
    return text
