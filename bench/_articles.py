"""Shared by the benchmarks (not a benchmark itself): synthetic news articles and the answers a
model would give about them.

Articles are built from templates to the length of real wire stories (3,000 to 6,000
characters, 10 to 16 paragraphs), with direct quotations (some split by their attribution),
reported speech and background sentences, and front matter. The same seed gives the same
articles; every article is different text, so each is a new article to the store.

`answer_for` plays the model: to a label request (one candidate statement the finder found) it
answers a valid label (a position, on the talks, choosing the first name offered when the
speaker is unresolved); to a summary request, a `SummaryDraft`. It is a simulation for
measuring the program around the model, never a stand-in for model quality.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

SPEAKERS = [
    ("Dmitry Peskov", "Kremlin spokesman"),
    ("Maria Zakharova", "Foreign Ministry spokeswoman"),
    ("Sergei Lavrov", "Russian foreign minister"),
    ("Andrii Sybiha", "Ukrainian foreign minister"),
    ("Kaja Kallas", "EU foreign policy chief"),
    ("Mark Rutte", "NATO secretary general"),
    ("Marco Rubio", "US secretary of state"),
    ("Steve Witkoff", "US special envoy"),
    ("Friedrich Merz", "German chancellor"),
    ("Emmanuel Macron", "French president"),
    ("Keir Starmer", "British prime minister"),
    ("Donald Tusk", "Polish prime minister"),
    ("Yuri Ushakov", "Kremlin foreign policy aide"),
    ("Rustem Umerov", "Ukrainian negotiator"),
    ("Alexander Stubb", "Finnish president"),
    ("Ursula von der Leyen", "European Commission president"),
]
TOPICS = [
    "security guarantees",
    "the ceasefire proposal",
    "sanctions relief",
    "the peace plan",
    "territorial questions",
    "the talks in Geneva",
    "European troops",
    "NATO membership",
    "the prisoner exchange",
    "frozen Russian assets",
]
CITIES = ["Moscow", "Kyiv", "Brussels", "Geneva", "Berlin", "Paris", "London", "Warsaw", "Istanbul"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
QUOTES = [
    "We are ready to continue the dialogue, but not at any price",
    "Nobody should expect a breakthrough in the coming days",
    "The proposals on {topic} need much more work before they can be signed",
    "Our position on {topic} has not changed and will not change",
    "This is a serious step, and we will study it carefully",
    "Any agreement must respect the sovereignty of every state involved",
    "We have heard such promises before and we will judge by deeds",
    "The document on {topic} is still being discussed at expert level",
    "There can be no decisions about Ukraine without Ukraine",
    "We see some progress, but the key questions remain open",
]
CLAIMS = [
    "the talks on {topic} would resume after the holidays",
    "no date had been set for a meeting between the leaders",
    "the discussions on {topic} had been constructive but difficult",
    "his government would not accept any deal imposed from outside",
    "the working groups had met {n} times since the summer",
    "the proposal on {topic} did not address the main concerns",
    "further sanctions were being prepared in case the talks failed",
    "the delegation would return to {city} next week",
]
BACKGROUND = [
    "The talks in {city} began on {weekday} after {n} weeks of preparation.",
    "Officials from both sides met behind closed doors for several hours.",
    "The last round of negotiations ended without a joint statement.",
    "Diplomats said the atmosphere had improved since the previous meeting in {city}.",
    "The proposal was first presented to European governments in {month}.",
    "Markets reacted calmly to the news, with the rouble little changed.",
    "Both delegations are expected to report to their capitals by {weekday}.",
    "Analysts cautioned that similar efforts had stalled {n} times before.",
    "The issue of {topic} has divided European capitals for months.",
    "Several governments have asked for more detail on how any deal would be verified.",
]
MONTHS = ["January", "March", "May", "July", "September", "November"]


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        topic=rng.choice(TOPICS),
        city=rng.choice(CITIES),
        weekday=rng.choice(WEEKDAYS),
        month=rng.choice(MONTHS),
        n=rng.randint(2, 40),
    )


def _statement(rng: random.Random, name: str, role: str, first: bool) -> str:
    who = f"{role} {name}" if first else name.split()[-1]
    quote = _fill(rng.choice(QUOTES), rng)
    claim = _fill(rng.choice(CLAIMS), rng)
    weekday = rng.choice(WEEKDAYS)
    forms = [
        f"“{quote},” {who} said.",
        f"“{quote},” {who} told reporters on {weekday}, “and we will say so at the table.”",
        f"{who} said on {weekday} that {claim}.",
        f"According to {who}, {claim}.",
        f"{claim[:1].upper() + claim[1:]}, {who} said.",
        f"{who} told reporters in {rng.choice(CITIES)}: “{quote}.”",
    ]
    return rng.choice(forms)


def make_article(number: int, day: dt.date, rng: random.Random) -> str:
    """One article as a Markdown file's text, 3,000 to 6,000 characters of body."""
    cast = rng.sample(SPEAKERS, rng.randint(3, 5))
    seen: set[str] = set()
    target = rng.randint(3000, 6000)
    city = rng.choice(CITIES)
    lead = (
        f"{city.upper()}, {day:%b} {day.day} (Wire {number}) - Talks on {rng.choice(TOPICS)} "
        f"continued on {rng.choice(WEEKDAYS)} as officials from {rng.randint(3, 30)} countries met."
    )
    paragraphs = [lead]
    length = len(lead)
    while length < target:
        sentences = []
        for _ in range(rng.randint(2, 4)):
            if rng.random() < 0.55:
                name, role = rng.choice(cast)
                sentences.append(_statement(rng, name, role, first=name not in seen))
                seen.add(name)
            else:
                sentences.append(_fill(rng.choice(BACKGROUND), rng))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    title = f"Talks on {rng.choice(TOPICS)} continue in {city} (story {number})"
    front = f"---\ntitle: {title}\nsource: Wire\npublished: {day.isoformat()}\n---\n"
    return front + "\n\n".join(paragraphs) + "\n"


def write_day(
    folder: Path, day: dt.date, count: int, first_number: int, seed: int = 0
) -> list[Path]:
    """`count` articles for `day` as .md files in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"{seed}-{day.isoformat()}-{first_number}")
    paths = []
    for k in range(count):
        path = folder / f"{first_number + k:06d}.md"
        path.write_text(make_article(first_number + k, day, rng), encoding="utf-8")
        paths.append(path)
    return paths


# the simulated model ----------------------------------------------------------------------------


def answer_for(body: dict[str, Any]) -> dict[str, Any]:
    """A chat completion answering a brief request, as a model would shape it."""
    schema = str((body.get("response_format") or {}).get("json_schema", {}).get("name", ""))
    if "Summary" in schema:
        content: dict[str, Any] = {
            "sentences": [
                {"text": "Officials restated their positions on the talks.", "positions": [1]}
            ]
        }
    else:
        properties = (
            (body.get("response_format") or {})
            .get("json_schema", {})
            .get("schema", {})
            .get("properties", {})
        )
        content = {"pos": True, "topic": "negotiation_format"}
        if "who" in properties:
            content["who"] = properties["who"]["enum"][0]
    text = json.dumps(content, separators=(",", ":"))
    return {
        "id": "chatcmpl-bench",
        "object": "chat.completion",
        "created": 0,
        "model": str(body.get("model", "bench")),
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": text, "refusal": None},
            }
        ],
        "usage": {
            "prompt_tokens": len(json.dumps(body["messages"])) // 4,
            "completion_tokens": len(text) // 4,
            "total_tokens": 0,
        },
    }
