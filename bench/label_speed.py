"""Benchmark: the embedded model's answers per second on recorded label requests, two sets side
by side in one run (issue 20, item 1).

    python bench/label_speed.py                    # the fixtures of HEAD~1 against the working tree's
    python bench/label_speed.py --old REV --new fixtures/llm

Each set is the recorded requests of `fixtures/llm` (the five seeds and the test samples), sent
one at a time, in file order, to one embedded llama.cpp server, the sets alternating in blocks
so that both meet the same machine; the first request of each set also reads the shared
instructions. Prints per set: requests, wall seconds, requests per second, prompt tokens read
(past llama.cpp's prefix cache) and output tokens, with their times as llama.cpp reports them,
and how many answers equal the recorded ones (the model runs at temperature 0). Run it on a
quiet machine: the model shares two cores with anything else that runs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from briefing.llm.local import LocalModel
from briefing.resources import CHECKOUT_DIR


@dataclass
class Tally:
    name: str
    requests: int = 0
    seconds: float = 0.0
    prompt_tokens: int = 0
    prompt_ms: float = 0.0
    output_tokens: int = 0
    output_ms: float = 0.0
    same: int = 0
    rows: list[str] = field(default_factory=list)


def _from_git(rev: str) -> list[dict]:
    listing = subprocess.run(
        ["git", "ls-tree", "--name-only", rev, "fixtures/llm/"],
        cwd=CHECKOUT_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [
        json.loads(
            subprocess.run(
                ["git", "show", f"{rev}:{name}"],
                cwd=CHECKOUT_DIR,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for name in sorted(listing)
    ]


def _from_folder(folder: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def _ask(url: str, fixture: dict, tally: Tally) -> None:
    body = json.dumps(fixture["request"]).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    started = time.monotonic()
    with urllib.request.urlopen(request, timeout=600) as response:
        answer = json.load(response)
    tally.seconds += time.monotonic() - started
    tally.requests += 1
    timings = answer.get("timings", {})
    tally.prompt_tokens += int(timings.get("prompt_n", 0))
    tally.prompt_ms += float(timings.get("prompt_ms", 0.0))
    tally.output_tokens += int(timings.get("predicted_n", 0))
    tally.output_ms += float(timings.get("predicted_ms", 0.0))
    got = answer["choices"][0]["message"]["content"]
    want = fixture["response"]["choices"][0]["message"]["content"]
    tally.same += json.loads(got) == json.loads(want)


def _line(t: Tally) -> str:
    rate = t.requests / t.seconds if t.seconds else 0.0
    return (
        f"{t.name:<10} {t.requests:4d} requests {t.seconds:7.1f} s {rate:6.3f} req/s  "
        f"{t.seconds / max(t.requests, 1):5.2f} s each  prompt {t.prompt_tokens:6d} tok "
        f"{t.prompt_ms / 1000:6.1f} s  output {t.output_tokens:5d} tok {t.output_ms / 1000:6.1f} s"
        f"  same answer {t.same}/{t.requests}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", default="HEAD~1", help="a git revision whose fixtures/llm to send")
    parser.add_argument("--new", type=Path, default=CHECKOUT_DIR / "fixtures" / "llm")
    parser.add_argument("--block", type=int, default=8, help="requests of one set in a row")
    args = parser.parse_args()
    sets = [(Tally(f"old {args.old}"), _from_git(args.old)), (Tally("new"), _from_folder(args.new))]
    model = LocalModel.start()
    url = model.base_url + "/chat/completions"
    try:
        longest = max(len(fixtures) for _, fixtures in sets)
        for start in range(0, longest, args.block):
            for tally, fixtures in sets:
                for fixture in fixtures[start : start + args.block]:
                    _ask(url, fixture, tally)
    finally:
        model.close()
    for tally, _ in sets:
        print(_line(tally))
    old, new = sets[0][0], sets[1][0]
    if old.seconds and new.seconds:
        ratio = (new.requests / new.seconds) / (old.requests / old.seconds)
        print(f"requests per second, new / old: {ratio:.2f}")


if __name__ == "__main__":
    main()
