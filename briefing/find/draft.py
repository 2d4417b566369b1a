"""A candidate statement while it is being assembled, before it is numbered and resolved.

This module owns the mutable working record that the direct-speech and reported-speech passes
fill in and the assembly step turns into frozen `Candidate`s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from briefing.find.speakers import Speaker
from briefing.find.tokens import Span, Token, Unit


@dataclass
class Draft:
    kind: Literal["direct", "reported"]
    content: list[Span]
    unit: Unit  # the sentence of the cue (or, without a cue, of the content's start)
    cue: Span | None = None
    source: list[Token] = field(default_factory=list)  # the words naming the source
    speaker: Speaker | None = None
    follows: Draft | None = None  # a quotation continuing another's: same speaker

    @property
    def start(self) -> int:
        return min(s for s, _ in self.content)

    @property
    def end(self) -> int:
        return max(e for _, e in self.content)

    @property
    def source_span(self) -> Span | None:
        if not self.source:
            return None
        return self.source[0].start, self.source[-1].end
