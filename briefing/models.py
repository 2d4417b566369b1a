"""The data that flows through the pipeline, as pydantic models.

Two families live here and must not be confused:

* what the program builds from the source text (`Article`, `Sentence`, `QuoteSpan`,
  `Position`): offsets and ids are the program's, text is copied from the source;
* what the model is allowed to say (`DraftModel` subclasses, built per request): small,
  strict schemas sent as structured output. The model never returns quotation text.

`ArticleResult` is one article's positions as a day's briefing carries them through review,
tracking and rendering. `Usage` counts what model requests cost, for a run's footer and for
errors that still cost.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class DateStatus(str, Enum):
    """Where an article's publication date came from."""

    METADATA = "metadata"  # front matter, JSON field or HTML metadata
    GIVEN = "given"  # --published on the command line
    APPROXIMATE = "approximate"  # metadata that says itself it is approximate
    INFERRED = "inferred"  # guessed from dates in the text; shown as such
    UNDATED = "undated"


class Article(BaseModel):
    """A normalised article. `id` is the hash of `text`, so the same text is one article."""

    model_config = ConfigDict(frozen=True)

    id: str
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None
    published: dt.date | None = None
    date_status: DateStatus = DateStatus.UNDATED
    origin: str = ""  # file path (and record number for .jsonl) it was read from
    removed: list[str] = Field(default_factory=list)  # page furniture removed, for the record


class Sentence(BaseModel):
    model_config = ConfigDict(frozen=True)

    index: int  # global to the article, 1-based: the model sees it as [S{index}]
    start: int  # character offsets into Article.text, end exclusive
    end: int


class QuoteSpan(BaseModel):
    """A quotation found deterministically: the words between the marks, offsets exclusive of them."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int


Stance = Literal["supports", "opposes", "conditional", "neutral", "unclear"]
SpeechKind = Literal["direct", "reported"]
ReviewStatus = Literal["pending", "approved", "rejected", "edited"]


class DraftModel(BaseModel):
    """Base of the schemas sent to the model: strict, and with its JSON schema built once.

    The SDK asks for the schema on every request; pydantic would rebuild it each time, which
    cost more than everything else the program does per request. The schema of a class never
    changes while the program runs, so it is built once per set of arguments, and each caller
    gets its own copy (the SDK edits the schema it is given).
    """

    model_config = ConfigDict(extra="forbid")

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        key = (cls, args, tuple(sorted(kwargs.items())))
        if key not in _SCHEMAS:
            _SCHEMAS[key] = super().model_json_schema(*args, **kwargs)
        return copy.deepcopy(_SCHEMAS[key])


_SCHEMAS: dict[tuple[Any, ...], dict[str, Any]] = {}


class Position(BaseModel):
    """A grounded position, as stored.

    `spans` are character offsets into the article text; `quotes` are exactly those slices. Direct
    speech split by attribution ("...," he said. "...") gives several spans.
    """

    id: int | None = None
    article_id: str
    speaker: str
    role: str
    topic: str
    stance: str
    summary: str
    kind: SpeechKind
    evidence: list[int]
    spans: list[tuple[int, int]]
    quotes: list[str]
    # Where the article names who speaks (the finder's source span), when it does.
    source: tuple[int, int] | None = None
    # What the stance rests on: "words" of the statement (the stance lexicon), the "model", or
    # "none" (no stance words: the stance is a default, not a finding); "" before it was kept.
    stance_basis: Literal["words", "model", "none", ""] = ""

    @property
    def stance_stated(self) -> bool:
        """Whether the stance is a finding a briefing may compare: not a default."""
        return self.stance_basis != "none" and self.stance != "unclear"

    @property
    def stance_shown(self) -> str:
        return self.stance if self.stance_basis != "none" else "no stance stated"

    valid: bool = True
    reason: str | None = None  # why it needs review; None when valid
    provider: str = ""
    model: str = ""
    prompt_id: str = ""
    schema_hash: str = ""
    # An analyst's review (briefing.review.decisions), put on when positions are read for review or for a
    # briefing; the positions table keeps what the model said.
    review_status: ReviewStatus = "pending"
    reviewed_by: str | None = None
    edited: dict[str, Any] = Field(default_factory=dict)  # field: the model's value it replaced
    edited_by: str | None = None
    conflict: str | None = None  # a decision that no longer fits after re-extraction

    @property
    def key(self) -> str:
        """Which position this is, stable across copies (a review's edits, a checked role): its
        stored id, or for one not stored (yet) its article and evidence."""
        if self.id is not None:
            return f"{self.article_id}#{self.id}"
        evidence = ",".join(map(str, self.evidence))
        return f"{self.article_id}@S{evidence}:{self.spans}:{self.speaker}"


@dataclass
class ArticleResult:
    """One article's extraction as a day's briefing uses it: the article, its positions, and
    why they are incomplete (a statement not labelled, not extracted yet), None when they are not."""

    article: Article
    positions: list[Position]
    error: str | None = None
    # Sentences (Sentence.index) set aside as suspected instructions: addressed to whoever reads
    # or summarises the page and telling what someone said (briefing.find.suspected_instructions).
    suspects: tuple[int, ...] = ()
    # Why the article was held for review without asking the model (too many candidates).
    held: str | None = None


@dataclass
class Usage:
    """What model requests cost: `calls` reached a model, `cached` were served from the cache.
    Threads of one run add to the same counts, hence the lock."""

    calls: int = 0
    cached: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, other: Usage) -> None:
        with self._lock:
            self.calls += other.calls
            self.cached += other.cached
            self.prompt_tokens += other.prompt_tokens
            self.completion_tokens += other.completion_tokens
            self.seconds += other.seconds
