"""The learned pass attached to the finder from outside, for these experiments only.

The finder (`briefing.find`) is not changed: `find_with(text, model)` runs `find_attributions`
with its internal `_drafts` wrapped so that, after every rule pass, the statements of the learned
cues (`learned.learned_drafts`) are added. The wrapper finds the sentences' cues and the cues the
quotations took once more (the finder does not hand them out), which costs some time that a
pass inside the finder would not.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from learned import learned_drafts
from proposer import CueModel

from briefing.find import Candidate, attributions
from briefing.find.cues import Cue, find_cues
from briefing.find.draft import Draft
from briefing.find.quotes import direct_drafts
from briefing.find.tokens import Layout

_RULES = attributions._drafts  # the finder's own drafts, taken before any wrapping


def drafts_of(layout: Layout, model: CueModel) -> tuple[list[Draft], list[tuple[Draft, list[str]]]]:
    """The rules' statements with the learned ones added, in text order; and the learned ones
    with their statement features."""
    rules = _RULES(layout)
    cues: dict[int, list[Cue]] = {
        u.index: find_cues(u.tokens) for u in layout.units if u.excluded is None
    }
    speaking = {k: [c for c in found if c.kind != "refusal"] for k, found in cues.items()}
    _, used = direct_drafts(layout, speaking)
    added = learned_drafts(layout, cues, used, rules, model)
    every = rules + [draft for draft, _ in added]
    return sorted(every, key=lambda d: (d.start, d.end)), added


@contextmanager
def learned_pass(model: CueModel | None) -> Iterator[None]:
    """While inside, `find_attributions` adds the statements of `model`'s cues (None: rules)."""
    if model is None:
        yield
        return
    attributions._drafts = lambda layout: drafts_of(layout, model)[0]
    try:
        yield
    finally:
        attributions._drafts = _RULES


def find_with(text: str, model: CueModel | None) -> list[Candidate]:
    with learned_pass(model):
        return attributions.find_attributions(text)
