"""The attribution finder: every statement an article attributes, with exact spans (no model).

`find_attributions(text)` returns numbered `Candidate`s: quotations (split ones joined) and
reported statements, each with its cue, its source and the resolved speaker. See
`briefing.find.attributions` for how the passes fit together; the word lists are data in
`cues.toml` (the cue lexicon) and `words.toml` (roles, institutions, pronouns, page furniture,
and the closed-class words the rules read structure from, each class listed once).
"""

from briefing.find.attributions import Candidate, find_attributions, suspected_instructions

__all__ = ["Candidate", "find_attributions", "suspected_instructions"]
