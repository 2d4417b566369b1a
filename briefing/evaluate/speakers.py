"""Speaker accuracy on named sources (issue 17, measure 2): does the briefed entry for a gold
attribution whose source names someone name that same one?

Definitions, fixed here so that two runs compare on the same terms:

* **Named gold attribution.** A gold attribution counts when its source span names someone:
  `gold_names` finds a proper name in the source text. The text (fragments joined by a space) is
  read as follows.

  - Parenthesised asides are dropped ("Sen. Ted Cruz (R-Tex)"), and the text is cut into parts
    at commas and dashes; the first part that holds a name gives it ("The minister of the
    economy, Mr. Guajardo Villarreal" names Guajardo Villarreal; "Donald Trump, her Republican
    opponent" names Donald Trump).
  - A part stops at its first lower-case preposition or relative word (`CUTS`: "Gov. Earl Ray
    Tomblin of West Virginia" is Tomblin, "lawyers for both Donald and Ivana Trump" names no one),
    except "of" and "for" right after a capitalised institution word ("the Association of Flight
    Attendants"). What is left is split at "and" / "&": each conjunct may give a name ("France
    and Germany" names both).
  - A name word is a capitalised word (first letter upper case) that is none of: a word
    capitalised only because it opens the sentence (the span's first word, when the article
    also writes it in lower case: "Federal and state officials", "Small groups of protesters";
    `common_start`), a function
    word or pronoun ("The", "He", "Many", `FUNCTION_WORDS`), a title ("Sen.", "Mr.", `TITLES`),
    a role noun ("President", "Chief", "Governor", `PERSON_ROLES` and
    `briefing.text.names.ROLE_WORDS`, plural too), a party or nation word ("Democratic",
    "Republicans", "Americans", `AFFILIATIONS`). Consecutive name words make a run.
  - The name of a conjunct is its last run that is not a possessor ("Clinton campaign manager
    Robby Mook" is Robby Mook; "Apple's chief executive, Tim Cook" is Tim Cook), else its last
    possessor ("Clinton's campaign"). It is no name when a person's role noun follows it in the
    conjunct ("The Indiana governor", "Clinton spokesman", "Trump's spokesman": the speaker is
    the governor or spokesman, whom the source does not name), nor when it has no telling word.
    An institution word after it keeps it ("the Clinton campaign" names Clinton).
  - Telling words are the folded words of the name (`briefing.text.names.name_words`) less
    role and institution words ("Tax Foundation" tells "tax"), initials and suffixes ("D.",
    "Jr."). So "Trump", "Hillary Clinton", "the Clinton campaign" (Clinton), "Sen. Tim Kaine"
    (Tim Kaine), "Mrs. Clinton", "the FBI" and "the New York Times" are named sources; "he",
    "The president", "the campaign", "officials", "Many Democrats" are not.

* **Found.** The predictions are the briefed entries (valid positions; in `--finder-only`, every
  candidate, its speaker the finder's resolved speaker). The entry for a named attribution is
  the prediction whose content shares the most characters with the gold content (counting only
  letters and digits, so a shared quotation mark or space is no overlap); none sharing any: not
  found, counted apart and left out of the accuracy.
* **Right.** The entry's speaker shares a telling word with the gold name (with any one, when
  the source names several): "Clinton" names Hillary Clinton, "Clinton campaign" names "the
  Clinton campaign", "Hillary" names Hillary Clinton. Two people who share a surname (Bill and
  Hillary Clinton) are not told apart. A speaker that is empty (the finder left the source
  unresolved), a pronoun or a role noun names no one and is wrong: the statement was found,
  its speaker was not.
* accuracy = right / found (`None` when nothing was found). The wrong ones are listed with the
  document, the gold source text, the gold name, the predicted speaker and the gold content.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from briefing.evaluate.gold import Span
from briefing.evaluate.spans import predicted_spans
from briefing.text.names import NOT_NAMES, ROLE_WORDS, name_words
from briefing.text.segment import find_quotes

if TYPE_CHECKING:
    from briefing.evaluate.scoring import DocumentResult

FUNCTION_WORDS = frozenset(
    (
        "the a an this that these those his her hers its their our my your he she it they we i "
        "you him them us me who whom whose which what there here but and or nor so yet as if "
        "when while after before since during despite amid meanwhile however then also still "
        "according asked speaking many some most several few one two three another other others "
        "each every both all any no former longtime current interim rival retired late fellow "
        "then-candidate mostly even only just zero four five six seven eight nine ten eleven "
        "twelve twenty thirty forty fifty hundred percent monday tuesday wednesday thursday "
        "friday saturday sunday january february march april june july august september "
        "october november december"
    ).split()
)
TITLES = frozenset(
    "mr mrs ms mx dr prof sen sens rep reps del gov gen lt col capt sgt adm rev sir dame hon".split()
)
PERSON_ROLES = frozenset(
    (
        "nominee candidate pollster strategist spokesman spokeswoman spokesperson secretary "
        "president vice justice judge attorney lawyer prosecutor commissioner ceo executive "
        "founder manager host anchor reporter correspondent columnist editor writer author "
        "professor economist researcher scientist historian expert analyst doctor physician "
        "sheriff detective activist businessman businesswoman billionaire voter resident "
        "witness woman man person people source fellow mate wife husband son daughter friend "
        "narrator announcer consultant member members coordinator organizer staffer aide speaker "
        "user journalist proponent critic opponent supporter reader observer family niece "
        "nephew mother father brother sister"
    ).split()
) | (ROLE_WORDS - {"party", "government", "office", "department", "agency", "council"})
INSTITUTIONS = frozenset(
    (
        "campaign foundation institute institution center centre university association union "
        "workers committee commission department ministry agency bureau office council party "
        "group fund bank company corporation network coalition alliance organization court "
        "federation government administration embassy service parliament cabinet army "
        "military police presidency team"
    ).split()
)
AFFILIATIONS = frozenset(
    (
        "democrat democrats democratic republican republicans american americans "
        "african-american african-americans mexican mexicans european europeans russian "
        "russians british french german germans chinese liberal liberals conservative "
        "conservatives independent independents libertarian libertarians"
    ).split()
)
SUFFIXES = frozenset("jr sr ii iii iv".split())
CUTS = frozenset(
    (
        "of for at in from with on who which whose that to about over near since after during "
        "like now than when where whom whose"
    ).split()
)
_ASIDE = re.compile(r"\([^)]*\)")
_PARTS = re.compile(r",|\s--\s?|—|–")
_AND = re.compile(r"\s(?:and|&)\s")
_TOKEN = re.compile(r"\w[\w’'.-]*")
_POSSESSOR = re.compile(r"['’]s?$")
_WORD = re.compile(r"\w")


def _folded(word: str) -> str:
    return " ".join(name_words(word.rstrip(".")))


def _is_role(folded: str) -> bool:
    return folded in PERSON_ROLES or folded.removesuffix("s") in PERSON_ROLES


def _is_institution(folded: str) -> bool:
    return folded in INSTITUTIONS or folded.removesuffix("s") in INSTITUTIONS


def _is_name_word(word: str) -> bool:
    folded = _folded(_POSSESSOR.sub("", word))
    return (
        word[:1].isupper()
        and bool(folded)
        and folded not in FUNCTION_WORDS | TITLES | NOT_NAMES | AFFILIATIONS
        and not _is_role(folded)
    )


def telling_words(name: str) -> frozenset[str]:
    """The words of a name that say who it is (see the module docstring)."""
    return frozenset(
        w
        for w in name_words(name)
        if len(w) > 1
        and w not in NOT_NAMES | SUFFIXES | FUNCTION_WORDS | TITLES
        and not _is_role(w)
        and not _is_institution(w)
    )


def _cut(words: list[str]) -> list[str]:
    """The words before the first preposition or relative word (see `CUTS`)."""
    for i, word in enumerate(words):
        if word in CUTS:
            joins = word in ("of", "for") and i > 0 and _is_institution(_folded(words[i - 1]))
            if not (joins and words[i - 1][:1].isupper()):
                return words[:i]
    return words


def _trimmed(words: list[str], run: tuple[int, int]) -> tuple[int, int]:
    start, end = run
    while end > start and words[end - 1] in ("of", "for", "the"):
        end -= 1
    return start, end


def _conjunct_name(words: list[str]) -> str | None:
    """The name a conjunct gives, or None (see the module docstring)."""
    runs: list[tuple[int, int]] = []  # [start, end) of runs of name words, "of" inside allowed
    for i, word in enumerate(words):
        inside = runs and runs[-1][1] == i
        if _is_name_word(word) or (inside and word in ("of", "for", "the") and i + 1 < len(words)):
            if inside:
                runs[-1] = (runs[-1][0], i + 1)
            else:
                runs.append((i, i + 1))
        if _POSSESSOR.search(word) and runs and runs[-1][1] == i + 1:
            runs.append((i + 1, i + 1))  # a possessor ends its run: an empty one marks it
    runs = [_trimmed(words, r) for r in runs]
    runs = [r for r in runs if r[0] < r[1]]
    owners = {r for r in runs if _POSSESSOR.search(words[r[1] - 1])}
    plain = [r for r in runs if r not in owners]
    chosen = (plain or sorted(owners))[-1:] if runs else []
    if not chosen:
        return None
    start, end = chosen[0]
    after = [_folded(w) for w in words[end:]]
    if any(_is_role(w) and not _is_institution(w) for w in after):
        return None
    name = _POSSESSOR.sub("", " ".join(words[start:end]))
    return name if telling_words(name) else None


def gold_names(source: str, lower_first: bool = False) -> tuple[str, ...]:
    """The proper names a gold source text gives its speaker by, as written; () when it names
    no one. `lower_first`: the first word is a common word capitalised to open a sentence."""
    if lower_first:
        source = source[:1].lower() + source[1:]
    for part in _PARTS.split(_ASIDE.sub(" ", source)):
        names = []
        for conjunct in _AND.split(" ".join(_cut(_TOKEN.findall(part)))):
            name = _conjunct_name(conjunct.split())
            if name is not None:
                names.append(name)
        if names:
            return tuple(names)
    return ()


def common_start(text: str, start: int) -> bool:
    """Whether the word at `start` opens a sentence and the text also writes it in lower case
    ("Federal and state officials" when the article says "federal" elsewhere)."""
    before = text[:start].rstrip(" \t\u00a0\"“‘'")
    word = _TOKEN.match(text, start)
    if word is None or not word.group()[:1].isupper() or (before and before[-1] not in ".!?:\n"):
        return False
    lower = word.group().rstrip(".").lower()
    return re.search(rf"(?<![\w.]){re.escape(lower)}(?!\w)", text) is not None


def names_speaker(speaker: str, names: Sequence[str]) -> bool:
    """Whether a predicted speaker names the person of one of the gold names."""
    said = set(name_words(speaker))
    return any(telling_words(name) & said for name in names)


def _shared(text: str, ours: Sequence[Span], theirs: Sequence[Span]) -> int:
    """Letters and digits the two sets of spans share."""
    total = 0
    for a, b in ours:
        for c, d in theirs:
            if max(a, c) < min(b, d):
                total += len(_WORD.findall(text, max(a, c), min(b, d)))
    return total


def _predictions(result: DocumentResult) -> list[tuple[str, tuple[Span, ...], str]]:
    """Each briefed entry's speaker, content spans and source text."""
    text = result.gold.text
    by_index = {s.index: s for s in result.sentences}
    quotes = [(q.start, q.end) for q in find_quotes(text)]
    out = []
    for position in result.positions:
        if position.valid:
            spans = predicted_spans(text, by_index, position, quotes, result.as_found)
            source = " ".join(text[a:b] for a, b in spans.source)
            out.append((position.speaker or "", spans.content, source))
    return out


def score_speakers(results: Sequence[DocumentResult]) -> dict[str, Any]:
    """Speaker accuracy on named gold sources, over all documents (see the module docstring)."""
    named = found = right = 0
    wrong: list[dict[str, Any]] = []
    for result in results:
        doc = result.gold
        predictions = _predictions(result)
        for attribution in doc.attributions:
            source = " ".join(doc.text[a:b] for a, b in attribution.source)
            start = attribution.source[0][0] if attribution.source else 0
            names = gold_names(source, common_start(doc.text, start))
            if not names:
                continue
            named += 1
            overlaps = [(_shared(doc.text, p[1], attribution.content), p) for p in predictions]
            shared, (speaker, _, said_by) = max(
                overlaps, key=lambda o: o[0], default=(0, ("", (), ""))
            )
            if shared == 0:
                continue
            found += 1
            if names_speaker(speaker, names):
                right += 1
                continue
            content = " ".join(doc.text[a:b] for a, b in attribution.content)
            wrong.append(
                {
                    "document": doc.name,
                    "source": source,
                    "names": list(names),
                    "speaker": speaker,
                    "predicted_source": said_by,
                    "content": content[:160],
                }
            )
    return {
        "named": named,
        "found": found,
        "not_found": named - found,
        "right": right,
        "accuracy": round(right / found, 4) if found else None,
        "wrong": wrong,
    }
