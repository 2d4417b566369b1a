"""Recorded model answers as readable files: the cache key of a request, and `fixtures/llm/KEY.json`
read, written and checked. These are the same records the store's cache holds, exported.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from briefing.store.database import CachedCall


def request_key(body: dict[str, Any]) -> str:
    """The cache key of a request: the hash of its canonical JSON."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def fixture_path(fixtures_dir: Path, key: str) -> Path:
    return fixtures_dir / "llm" / f"{key[:16]}.json"


def load_fixture(fixtures_dir: Path, key: str) -> CachedCall | None:
    path = fixture_path(fixtures_dir, key)
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("key") != key:
        return None
    return CachedCall(
        key=key,
        model=data["model"],
        request=data["request"],
        response=data["response"],
        prompt_tokens=data["usage"]["prompt_tokens"],
        completion_tokens=data["usage"]["completion_tokens"],
        latency=data["latency"],
    )


def write_fixture(fixtures_dir: Path, call: CachedCall) -> Path:
    """Export one cached call as a readable JSON file (plain, so it diffs well)."""
    path = fixture_path(fixtures_dir, call.key)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "key": call.key,
        "model": call.model,
        "usage": {"prompt_tokens": call.prompt_tokens, "completion_tokens": call.completion_tokens},
        "latency": round(call.latency, 3),
        "request": call.request,
        "response": call.response,
    }
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n", "utf-8")
    return path


def check_fixtures(fixtures_dir: Path) -> list[str]:
    """Problems with the recorded fixtures: unreadable files, keys that do not match requests."""
    problems = []
    files = sorted((fixtures_dir / "llm").glob("*.json"))
    if not files:
        return [f"no fixtures in {fixtures_dir / 'llm'}"]
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            key = request_key(data["request"])
            if data["key"] != key or path.name != f"{key[:16]}.json":
                problems.append(f"{path.name}: the key does not match the recorded request")
            elif not data["response"].get("choices"):
                problems.append(f"{path.name}: the recorded response has no choices")
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            problems.append(f"{path.name}: unreadable ({exc})")
    return problems
