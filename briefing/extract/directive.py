"""Demands made of a person, read as criticism of that person (issue 17, item 3).

"Trump should release his tax returns", "The sooner he releases his entire returns, the better",
"(called on) Trump to stop attacking Machado and apologize": a speaker who tells someone to
change course finds their conduct wanting. Such a demand counts against the one it is made of:
against a proposition that names them (the target rules of `briefing.extract.target`, as for a
judgement), and where the one told is "he" or "she", against the proposition itself, as any
unnamed target is. What is demanded need not hold a stance word of its own.

The one told is a person: "he" or "she", or a name with a given name or a title ("Mr. Trump",
"Hillary"), or one word of a person's name in the proposition ("Trump" where it names "Donald
Trump"); a demand made of a country or a body ("Ukraine must ...", "Congress should ...") is a
proposal. The one told is the subject right before "should", "must", "needs to" or "has to", or
a name that opens the content before "to" (the object of "called on", "urged"); what is demanded
is a verb that corrects a course ("release", "apologize", "stop attacking"). Any other verb is
advice or a need, not a judgement of the one told: "he should meet Putin", "she should sign the
plan", "needs to win Ohio", "should win Ohio" (a forecast). Not read either: a demand of the
speaker's own side or of no one in particular ("we must", "officials should reach out"): a
proposal; a negated one ("should not apologize" defends); one inside a question, which asks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from briefing.extract.target import (
    SENTENCE_ENDS,
    Proposition,
    TargetWords,
    cased_words,
    name_run,
)
from briefing.find.gender import gender_words


@dataclass(frozen=True)
class DirectiveWords:
    """The closed-class words of demands ([directives] of stance.toml)."""

    # Words of obligation or need before the verb demanded ("should", "must", "has to").
    modals: tuple[tuple[str, ...], ...] = ()
    # Verbs that correct a course ("stop", "apologize", "release", "step down"): only these
    # make a demand.
    corrections: tuple[tuple[str, ...], ...] = ()
    # Corrections that correct one's own course only before a verb in -ing or at a clause's
    # end ("stop attacking", "must stop."): before an object they act on others ("stop Putin").
    before_ing: frozenset[str] = frozenset()
    # Adverbs that may stand between such a word and its verb ("should now release").
    adverbs: frozenset[str] = frozenset()
    # Before a subject, words that make a question of it ("how", "whether").
    asked: frozenset[str] = frozenset()
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
    for at in range(1, len(words)):
        for modal in said.modals:
            if tuple(words[at : at + len(modal)]) != modal:
                continue
            end = _demanded(words, caps, at, at + len(modal), said)
            told = _told(words, caps, at, said, targets)
            if end is not None and told is not None:
                found.append((at, end, told[0]))
            break
    found.extend(_sooner_better(words, caps, said, targets))
    # the object of "called on", "urged" at the content's start: "Trump to stop ..."
    start = 1 if words[:1] == ["that"] else 0
    end = _name_end(words, caps, start, said, targets)
    if end and end < len(words) and words[end] == "to":
        verb = _demanded(words, caps, end, end + 1, said)
        if verb is not None:
            found.append((start, verb, _alnum(words[start:end])))
    return found


def _demanded(
    words: Sequence[str], caps: Sequence[int], modal: int, at: int, said: DirectiveWords
) -> int | None:
    """The end of the correction demanded from `at` on, or None: no verb, or one that corrects
    no course ("should meet", "has to win", "should not apologize"). A capitalised verb after a
    word in lower case is no verb ("should Mrs. Clinton win": an "if")."""
    while at < len(words) and words[at] in said.adverbs:
        at += 1
    if at >= len(words) or not words[at].isalpha() or caps[at] > caps[modal]:
        return None
    for correction in said.corrections:
        end = at + len(correction)
        if tuple(words[at:end]) != correction:
            continue
        if correction[-1] in said.before_ing and end < len(words):
            after = words[end]
            return end if not after[0].isalnum() or after.endswith("ing") else None
        return end
    return None


def _told(
    words: Sequence[str], caps: Sequence[int], at: int, said: DirectiveWords, targets: TargetWords
) -> tuple[tuple[str, ...] | None] | None:
    """Whom a demand whose modal is at `at` is made of, as (name,), (None,) for "he" or "she",
    or None where its subject is no person: a name right before the modal ("Mr. Trump
    should"), or before "and" a few words before it ("Trump and all candidates should"). A
    subject after "how", "whether" is asked about, not told."""
    if words[at - 1] in said.persons:
        asked = at > 1 and words[at - 2] in said.asked
        return None if asked else (None,)
    found = _name_before(words, caps, at, said, targets)
    for joint in range(at - 2, max(0, at - 5), -1):
        if found is not None or not words[joint][0].isalnum():
            break
        if words[joint] in ("and", "or"):
            found = _name_before(words, caps, joint, said, targets)
    if found is None or (found[0] > 0 and words[found[0] - 1] in said.asked):
        return None  # no person, or an indirect question: "how he should deal with"
    return (found[1],)


def _name_before(
    words: Sequence[str], caps: Sequence[int], end: int, said: DirectiveWords, targets: TargetWords
) -> tuple[int, tuple[str, ...]] | None:
    """The capitalised name that ends right before `end` ("Mr. Trump"), and where it starts."""
    start = end
    while start > 0 and (
        (caps[start - 1] and words[start - 1][0].isalnum())
        or (words[start - 1] == "." and start > 1 and words[start - 2] in targets.titles)
    ):
        start -= 1
    if start == end or words[end - 1].endswith(("'s", "'")):
        return None  # no name, or a possessive: "Trump's attempts ... should give voters pause"
    if words[start].split("'")[0] in said.not_told:
        return None
    return start, _alnum(words[start:end])


def _name_end(
    words: Sequence[str],
    caps: Sequence[int],
    start: int,
    said: DirectiveWords,
    targets: TargetWords,
) -> int:
    """The end of a capitalised name starting at `start` ("Mr. Trump"; 0: none there)."""
    if start >= len(words) or not caps[start] or words[start].split("'")[0] in said.not_told:
        return 0
    end = name_run(words, caps, start, targets)
    while words[end - 1] == ".":
        end -= 1
    return end


def _alnum(words: Sequence[str]) -> tuple[str, ...]:
    return tuple(w for w in words if w[0].isalnum())


def _sooner_better(
    words: Sequence[str], caps: Sequence[int], said: DirectiveWords, targets: TargetWords
) -> list[Demand]:
    """ "The sooner he releases them, the better": a demand made of the one after "sooner"."""
    found: list[Demand] = []
    for at in range(len(words) - 3):
        if tuple(words[at : at + 2]) != ("the", "sooner"):
            continue
        subject = at + 2
        name_end = _name_end(words, caps, subject, said, targets)
        for end in range(max(at + 3, name_end), len(words) - 1):
            if words[end] in SENTENCE_ENDS:
                break
            if tuple(words[end : end + 2]) == ("the", "better"):
                if words[subject] in said.persons:
                    found.append((at, end + 2, None))
                elif name_end:
                    found.append((at, end + 2, _alnum(words[subject:name_end])))
                break
    return found


def person_words(text: str, targets: TargetWords) -> frozenset[str]:
    """The words of the names of persons in a proposition: runs of capitalised words that hold
    a given name ("Donald Trump") or a title ("Mr. Trump"), lower case, bare, without the
    title."""
    words, caps = cased_words(text)
    given = gender_words().given
    out: set[str] = set()
    at = 0
    while at < len(words):
        end = name_run(words, caps, at, targets)
        run = [w.removesuffix("'s") for w in _alnum(words[at:end])]
        if any(w in given or w in targets.titles for w in run):
            out.update(w for w in run if w not in targets.titles)
        at = max(end, at + 1)
    return frozenset(out)


def is_person(
    name: tuple[str, ...] | None, about: Proposition | None, targets: TargetWords
) -> bool:
    """Whether the one a demand is made of is a person: "he" or "she" (None), a name with a
    given name or a title, or one with a word of a person's name in the proposition."""
    if name is None:
        return True
    given = gender_words().given
    persons = about.persons if about is not None else frozenset()
    return any(w in given or w in targets.titles or w in persons for w in name)
