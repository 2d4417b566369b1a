"""Reading what a finished batch gives back: its output file (answers) and error file (requests
that failed), one JSON line per request, matched to the requests by `custom_id` (the cache key).

A line that is not JSON, names no request of the batch, or carries no chat completion is
reported, never trusted; a request with no usable line is pending again (it goes into the next
batch), with the reason it came back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from briefing.llm.transport import is_completion
from briefing.store.calls import CachedCall


@dataclass
class Results:
    answers: dict[str, CachedCall] = field(default_factory=dict)  # cache key -> answer
    failed: dict[str, str] = field(default_factory=dict)  # cache key -> why it came back
    problems: list[str] = field(default_factory=list)  # lines that could not be used


def read_results(
    text: str, name: str, waiting: Mapping[str, dict[str, Any]], results: Results
) -> None:
    """Add the lines of one results file (`name` says which, for messages) to `results`."""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"line {number} of the {name} file"
        try:
            record = json.loads(line)
        except ValueError:
            results.problems.append(f"{where} is not JSON")
            continue
        key = record.get("custom_id") if isinstance(record, dict) else None
        if not isinstance(key, str) or key not in waiting:
            results.problems.append(f"{where} names no request of this batch")
            continue
        if key in results.answers or key in results.failed:
            results.problems.append(f"{where} answers a request again (the first kept)")
            continue
        response = record.get("response")
        body = response.get("body") if isinstance(response, dict) else None
        if isinstance(response, dict) and response.get("status_code") == 200:
            if isinstance(body, dict) and is_completion(body):
                results.answers[key] = _answer(key, waiting[key], body)
            else:
                results.failed[key] = "its answer is not a chat completion"
                results.problems.append(f"{where} holds no chat completion")
            continue
        results.failed[key] = _why(record, response, body)


def _answer(key: str, request: dict[str, Any], body: dict[str, Any]) -> CachedCall:
    # A batch says when it ended, not how long each request took: no latency.
    return CachedCall.answered(key, request, body, latency=0.0)


def _why(record: dict[str, Any], response: Any, body: Any) -> str:
    """Why a request came back without an answer, in a few words."""
    error = record.get("error")
    if not isinstance(error, dict) and isinstance(body, dict):
        error = body.get("error")
    message = ""
    if isinstance(error, dict):
        message = str(error.get("message") or error.get("code") or "")
    status = response.get("status_code") if isinstance(response, dict) else None
    prefix = f"HTTP {status}" if status else "failed"
    text = " ".join(f"{prefix}: {message}".split()) if message else prefix
    return text[:160]


def summary(reasons: Mapping[str, str], shown: int = 2) -> str:
    """The reasons requests came back, each said once with its count."""
    counts: dict[str, int] = {}
    for reason in reasons.values():
        counts[reason] = counts.get(reason, 0) + 1
    ordered = sorted(counts.items(), key=lambda item: -item[1])
    parts = [f"{count} {reason}" for reason, count in ordered[:shown]]
    if len(ordered) > shown:
        parts.append("...")
    return "; ".join(parts)
