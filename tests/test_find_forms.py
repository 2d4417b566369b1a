"""The attribution finder on forms of English it missed on news it was not tuned on (issue 18):
what a user checks in the candidates of made-up sentences (offline, no model)."""

from __future__ import annotations

from briefing.find import Candidate, find_attributions


def _said(text: str) -> list[tuple[str | None, str, str | None]]:
    """(cue, content, source) of each candidate, as words of the text."""

    def words(span: tuple[int, int] | None) -> str | None:
        return None if span is None else text[span[0] : span[1]]

    def content(c: Candidate) -> str:
        return " | ".join(text[s:e] for s, e in c.content)

    return [(words(c.cue), content(c), words(c.source)) for c in find_attributions(text)]


def test_past_forms_that_double_their_consonant_or_change_their_stem_are_cues() -> None:
    text = (
        "Senator Ann Lee sought to calm voters on Monday. "
        "Mayor Tom Diaz referred to the deal as a betrayal. "
        "The governor slammed the new budget."
    )
    assert _said(text) == [
        ("sought", "to calm voters on Monday", "Senator Ann Lee"),
        ("referred to", "the deal as a betrayal", "Mayor Tom Diaz"),
        ("slammed", "the new budget", "The governor"),
    ]
