"""Demands made of a person, read as criticism of that person (issue 17, item 3).

"Trump should release his tax returns", "The sooner he releases his entire returns, the better",
"(called on) Trump to stop attacking Machado and apologize": a speaker who tells someone to
change course finds their conduct wanting. Such a demand counts against the one it is made of:
against a proposition that names them (the target rules of `briefing.extract.target`, as for a
judgement), and where the one told is "he" or "she", against the proposition itself, as any
unnamed target is. What is demanded need not hold a stance word of its own.

Not read: a demand of the speaker's own side or of no one in particular ("we must", "officials
should reach out"): a proposal, not a judgement of a person; a negated one ("should not
apologize" defends); one whose verb foretells rather than demands ("she should win Ohio"); and
one inside a question, which asks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from briefing.extract.target import TargetWords


@dataclass(frozen=True)
class DirectiveWords:
    """The closed-class words of demands ([directives] of stance.toml)."""

    # Words of obligation before the verb demanded ("should", "needs to", "ought to").
    modals: tuple[tuple[str, ...], ...] = ()
    # Adverbs that may stand between such a word and its verb ("should now release").
    adverbs: frozenset[str] = frozenset()
    # Verbs after "should" or "must" that foretell, not demand ("be", "win").
    not_demands: frozenset[str] = frozenset()
    # Words after which a clause's subject begins, besides the clause openers ("think", "said").
    subject_after: frozenset[str] = frozenset()
    # The pronouns of a person told ("he", "she"): an unnamed target.
    persons: frozenset[str] = frozenset()
    # Capitalised at a clause's start, never a person told: the speaker's side, pronouns.
    not_told: frozenset[str] = frozenset()


Demand = tuple[int, int, tuple[str, ...] | None]  # start, end, the name of the one told (None: he)


def demands(
    words: Sequence[str], caps: Sequence[int], said: DirectiveWords, targets: TargetWords
) -> list[Demand]:
    """Every demand made of a person in `words`: where it is, and whom it is made of."""
    found: list[Demand] = []
    for at in range(len(words)):
        for modal in said.modals:
            if tuple(words[at : at + len(modal)]) == modal:
                verb = _verb_after(words, at + len(modal), said)
                if verb is not None and caps[verb] > caps[at]:
                    verb = None  # "should Mrs. Clinton win": an "if", no demand
                start = _subject_start(words, caps, at, said, targets)
                person, name = _told(words, caps, start, at, said)
                if verb is not None and person:
                    found.append((at, verb + 1, name))
                break
    found.extend(_sooner_better(words, caps, said, targets))
    if len(words) > 2:  # the object of "called on", "urged" at the content's start: "X to stop"
        start = 1 if words[0] == "that" else 0
        end = _name_end(words, caps, start, targets)
        if end and end < len(words) and words[end] == "to":
            verb = _verb_after(words, end + 1, said)
            if verb is not None:
                found.append((start, verb + 1, tuple(words[start:end])))
    return found


def _verb_after(words: Sequence[str], at: int, said: DirectiveWords) -> int | None:
    """The position of the verb demanded from `at` on, or None: none, negated or foretelling."""
    while at < len(words) and words[at] in said.adverbs:
        at += 1
    if at >= len(words) or not words[at].isalpha() or words[at] in said.not_demands:
        return None
    if words[at] in ("not", "never", "no"):
        return None
    return at


def _subject_start(
    words: Sequence[str], caps: Sequence[int], at: int, said: DirectiveWords, targets: TargetWords
) -> int:
    """Where the subject of the clause whose verb group begins at `at` begins."""
    start = at
    while start > 0:
        before = words[start - 1]
        if not before[0].isalnum() and before != "'s":
            if before == "." and start > 1 and words[start - 2] in targets.titles:
                start -= 2  # "Mr. Trump"
                continue
            break
        named_and = before == "and" and start > 1 and caps[start - 2] > 0  # "Trump and all ..."
        if before in said.subject_after or (before in targets.clause_openers and not named_and):
            break
        start -= 1
    return start


def _told(
    words: Sequence[str], caps: Sequence[int], start: int, at: int, said: DirectiveWords
) -> tuple[bool, tuple[str, ...] | None]:
    """Whether the subject words[start:at] is someone told, and their name (None: "he")."""
    if at - start == 1 and words[start] in said.persons:
        return True, None
    if start >= at or not caps[start] or words[start] in said.not_told:
        return False, None
    end = start
    while end < at and (caps[end] or words[end] == "."):
        end += 1
    return True, tuple(w for w in words[start:end] if w[0].isalnum())


def _name_end(words: Sequence[str], caps: Sequence[int], start: int, targets: TargetWords) -> int:
    """The end of a capitalised name starting at `start` (0: none there)."""
    if start >= len(words) or not caps[start] or words[start] in targets.not_names:
        return 0
    end = start
    while end < len(words) and caps[end] and words[end][0].isalnum():
        end += 1
    return end


def _sooner_better(
    words: Sequence[str], caps: Sequence[int], said: DirectiveWords, targets: TargetWords
) -> list[Demand]:
    """ "The sooner he releases them, the better": a demand made of the one after "sooner"."""
    found: list[Demand] = []
    for at in range(len(words) - 3):
        if tuple(words[at : at + 2]) != ("the", "sooner"):
            continue
        for end in range(at + 3, len(words) - 1):
            if words[end] in (".", "!", "?", ";"):
                break
            if tuple(words[end : end + 2]) == ("the", "better"):
                subject = at + 2
                if words[subject] in said.persons:
                    found.append((at, end + 2, None))
                elif _name_end(words, caps, subject, targets):
                    name = words[subject : _name_end(words, caps, subject, targets)]
                    found.append((at, end + 2, tuple(name)))
                break
    return found
