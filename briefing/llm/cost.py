"""Know the cost before paying it: the requests a run will send to a remote model, counted and
priced before any is sent, and the limit (`max_run_tokens`) a run may not pass unasked.

The caller builds the run's requests without sending them (`Extractor.planned`). Each is keyed
here as the call cache keys it, so that a request the cache already answers costs nothing and
one asked twice in a run is counted once; the rest are counted with tiktoken
(`briefing.text.tokens`, offline). The body of a request is the client's own
(`ModelClient.request_body`, built as the SDK builds it: `briefing.llm.bodies`).

The counts are estimates. Prompt tokens: each message's text in the model's encoding
(o200k_base for the GPT-4o family and for models tiktoken does not know, cl100k_base for GPT-4
and GPT-3.5), OpenAI's few tokens of framing per message, and the answer schema, which OpenAI
reads as part of the prompt. Output tokens: the longest answer the schema allows (every choice
at its longest), an upper bound for an answer that fits the schema. A server with another
tokenizer (a Llama on vLLM) counts differently by some per cent; re-asks after an invalid
answer are not known beforehand and not counted.

Only the `openai` provider is paid for: the embedded model and replay cost nothing and are not
guarded.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pydantic

from briefing.config import Prices
from briefing.llm.client import ModelClient
from briefing.llm.fixtures import request_key
from briefing.store.database import Store
from briefing.text.tokens import count_tokens, encoding_for_model
from briefing.text.words import counted

PAID_PROVIDERS = ("openai",)
# OpenAI's framing: a few tokens around each message, and a few before the answer.
_PER_MESSAGE = 3
_PER_REQUEST = 3
# A free-text field of the answer (the summary) at its longest, as words of about 5 characters.
_WORD = "word "

Messages = list[dict[str, str]]


def is_paid(client: ModelClient) -> bool:
    """Whether requests through this client are paid for (a remote model)."""
    return client.provider in PAID_PROVIDERS


@dataclass
class Estimate:
    """What a run will send: requests not in the cache, with their tokens and price."""

    model: str
    requests: int = 0  # to send: not answered from the cache
    cached: int = 0  # answered from the cache: free
    prompt_tokens: int = 0
    output_tokens: int = 0
    price: float | None = None  # None: no `price_per_million_tokens`
    keys: list[str] = field(default_factory=list, repr=False)  # of the requests to send

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.output_tokens


class CostCounter:
    """Adds up the requests of a run, as `client` would send them through the cache in `store`."""

    def __init__(self, client: ModelClient, store: Store, prices: Prices | None = None) -> None:
        self.client = client
        self.store = store
        self.prices = prices
        self.encoding = encoding_for_model(client.model)
        self.estimate = Estimate(model=client.model)
        self._seen: set[str] = set()
        self._schema_tokens: dict[type[pydantic.BaseModel], tuple[int, int]] = {}
        self._text_tokens: dict[str, int] = {}  # the instructions repeat on every request

    def add(self, messages: Messages, schema: type[pydantic.BaseModel]) -> None:
        """Count one request: free when the cache answers it or it was counted already."""
        body = self.client.request_body(messages, schema)
        key = request_key(body)
        if key in self._seen:
            return
        self._seen.add(key)
        if self.store.get_call(key) is not None:
            self.estimate.cached += 1
            return
        if schema not in self._schema_tokens:
            self._schema_tokens[schema] = _schema_tokens(body, self.encoding)
        read, written = self._schema_tokens[schema]
        prompt = _PER_REQUEST + read
        for message in messages:
            prompt += _PER_MESSAGE + self._tokens(message.get("content") or "")
        self.estimate.requests += 1
        self.estimate.keys.append(key)
        self.estimate.prompt_tokens += prompt
        self.estimate.output_tokens += written
        if self.prices is not None:
            self.estimate.price = (
                self.estimate.prompt_tokens * self.prices.input
                + self.estimate.output_tokens * self.prices.output
            ) / 1e6

    def _tokens(self, text: str) -> int:
        if text not in self._text_tokens:
            if len(self._text_tokens) > 1024:  # keep only what repeats (the instructions)
                return count_tokens(text, self.encoding)
            self._text_tokens[text] = count_tokens(text, self.encoding)
        return self._text_tokens[text]


def _schema_tokens(body: dict[str, Any], encoding: str) -> tuple[int, int]:
    """Tokens of the answer schema (read with the prompt) and of the longest answer it allows."""
    response_format = body.get("response_format") or {}
    schema = (response_format.get("json_schema") or {}).get("schema") or {}
    read = count_tokens(json.dumps(schema), encoding) if schema else 0
    longest = _longest(schema, schema.get("$defs", {}))
    return read, count_tokens(json.dumps(longest, ensure_ascii=False), encoding)


def _longest(node: dict[str, Any], defs: dict[str, Any]) -> object:
    """The longest value a JSON schema allows, field by field (a list: one item)."""
    if "$ref" in node:
        node = defs.get(str(node["$ref"]).rsplit("/", 1)[-1], {})
    if "enum" in node:
        return max(node["enum"], key=lambda value: len(json.dumps(value)))
    options = node.get("anyOf")
    if options:
        return max((_longest(o, defs) for o in options), key=lambda v: len(json.dumps(v)))
    kind = node.get("type")
    if kind == "object":
        return {k: _longest(v, defs) for k, v in node.get("properties", {}).items()}
    if kind == "array":
        return [_longest(node.get("items", {}), defs)]
    if kind == "string":
        return (_WORD * (int(node.get("maxLength", 20)) // len(_WORD))).strip()
    return {"boolean": False, "integer": 0, "number": 0}.get(str(kind))


def estimate_requests(
    client: ModelClient,
    store: Store,
    requests: Iterable[tuple[Messages, type[pydantic.BaseModel]]],
    prices: Prices | None = None,
) -> Estimate:
    """The estimate for these requests (messages and answer schema each)."""
    counter = CostCounter(client, store, prices)
    for messages, schema in requests:
        counter.add(messages, schema)
    return counter.estimate


def describe(estimate: Estimate) -> str:
    """One line: "cost estimate: 7,512 requests to gpt-4o-mini (38 answered from the cache),
    about 4,712,000 prompt + 120,000 output tokens, about 0.78 at price_per_million_tokens"."""
    cached = f" ({estimate.cached:,} answered from the cache)" if estimate.cached else ""
    price = ""
    if estimate.price is not None:
        price = f", about {money(estimate.price)} at price_per_million_tokens"
    return (
        f"cost estimate: {counted(estimate.requests, 'request')} to {estimate.model}{cached},"
        f" about {estimate.prompt_tokens:,} prompt + {estimate.output_tokens:,} output tokens"
        f"{price}"
    )


def money(amount: float) -> str:
    """A price as a person reads it: cents for most runs, more digits for a very small one."""
    if amount >= 0.01 or amount == 0:
        return f"{amount:,.2f}"
    return f"{amount:.2g}"


def refusal(estimate: Estimate, limit: int | None) -> str | None:
    """Why the run may not go ahead unasked (`max_run_tokens`), or None."""
    if limit is None or estimate.tokens <= limit or estimate.requests == 0:
        return None
    sending = (
        f"this run would send {counted(estimate.requests, 'request')} to {estimate.model},"
        f" about {estimate.tokens:,} tokens"
        + (f" (about {money(estimate.price)})" if estimate.price is not None else "")
    )
    if limit == 0:
        return (
            f"{sending}, and max_run_tokens = 0 allows no paid request: add --yes to send them,"
            " or raise max_run_tokens in config.toml"
        )
    return (
        f"{sending}, over max_run_tokens = {limit:,}: add --yes to send them anyway, raise"
        " max_run_tokens in config.toml, or extract fewer articles at a time"
    )
