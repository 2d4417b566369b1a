"""One entry per statement within an article: a reported line and its quotation, or one
statement reported in two neighbouring sentences, are one entry with all their evidence.

The one owner of that rule (across outlets, `briefing.track.statements` owns "the same words
reported twice"; grounding joins only the parts of one sentence). Two positions of one article
with the same voice (the institution a spokesperson speaks for, else the actor) are parts of
one statement when

* they share an evidence sentence ("said X, adding that Y") and a topic; or
* one is reported speech and a quotation that continues it begins in the next sentence: on the
  same topic, however it is attributed ("Peskov said Russia is waiting for Washington." then
  "“As soon as they are ready, our American counterparts will inform us,” he said.", or
  "..., Peskov said."); on another topic the model gave it, when it shares at least two
  content words with the line (by their first five letters: "Ukraine" and "Ukrainians") or,
  neither stating a stance, points back to it ("said Moscow would rather keep contacts on
  Ukraine alongside talks on its relations with Washington." then "“It would be much more
  consistent ... to pursue these tracks in parallel,” Peskov said."). A quotation right after
  one of the statement's own quotations is a point of its own ("“We cannot yet name the exact
  dates,” he said. “The Russian side maintains its determination ...,” he added."), unless it
  states no stance and takes up the statement's reported line (two content words: "stressing
  that discussions must remain confidential to achieve results", a first quotation, then
  "“... This is the only way to achieve results,” he noted."); one found again far away and
  joined to it must begin right after a sentence of the reported line; or
* a quotation backs the reported line two sentences before it: the line gives none of the
  speaker's words, the sentence between holds no part of another voice, and the quotation takes
  up the line's words ("said ... Russia will convey its position. He said, however, ... “We
  will also have the opportunity to convey our position ...,” Peskov said.") or states its
  stance, on the line's topic or after a sentence of the speaker's own ("Peskov indicated that
  the topic is not entirely closed to dialogue. “We will not discuss ... through the media,” he
  said. “... However, this issue can be discussed.”"); or
* one reported line goes on in the next sentence (“The ministry has previously described ...”
  after “Russia's Foreign Ministry has repeatedly stressed ...”): on the same topic or sharing
  two content words, or, neither stating a stance, pointing back or naming no one with a
  content word in common ("The ministry described the advance on Lipky as a tactical gain"
  after a line on taking Lipky the model filed under another topic; "He said the central bank
  would keep rates" after "Peskov said Moscow had no plans for a summit" is a new point); and
  adding no second stated stance unless it names no one ("He also said
  that this would be “dangerous and unacceptable”"): two neighbouring lines that each take a
  side are two views, even the same side ("had heard ... that Ukraine's NATO membership is
  excluded", then "Peskov reiterated ... that Ukrainian accession to NATO poses a threat"); or
* the writer's line right after one of the statement's quotations restates it: two content
  words and the same stated stance ("“We highly appreciate President Trump's political will
  ...,” he stated. The Kremlin emphasized its appreciation for ... the Trump administration");
  a line that only shares words adds a point ("She added that ..."); or
* their words share a run of four content words and a topic (a paraphrase, a few sentences
  away);

and their stances do not disagree: a group holds at most one stated stance ("no stance stated"
joins any), so a statement whose stance changed inside the article is never hidden in another.
A part joins the nearest statement that can take it. Sentences count as next to each other in
the article's prose: a link line or a caption between them ("RELATED: ..." and its headline)
is page furniture (`Reading.furniture`); a heading is not, it opens a section. A statement is filed under the topic of a
part that states its stance, then of one whose words name its topic (`topic_part`).

The model's topic keeps two neighbours apart only where a stance is stated: a stance is a view
on a topic. Tried on the seed gold and the hand-judged sample: letting a continuing quotation on
another topic join whatever its words merged a view into the reported line before it ("the topic is not entirely
closed to dialogue", stated, and "We will not discuss ... through the media"); letting a
quotation join the line two sentences before it on a shared stance alone, whatever the line,
merged "She says Trump's tweets are “lies and conspiracy theories.”" with a later tweet on his
temperament (hence: a line that quotes words has its own quotation).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from briefing.extract.ground import names_no_one
from briefing.models import Position
from briefing.text.names import same_speaker
from briefing.text.segment import quoted_passages
from briefing.track.part_words import points_back, share_run, share_stems

T = TypeVar("T")


@dataclass(frozen=True)
class Reading(Generic[T]):
    """How `statement_groups` reads an item (a position, or a tracking entry holding one)."""

    position: Callable[[T], Position]
    voice: Callable[[T], str]
    topic: Callable[[T], str]
    speaker_words: Callable[[T], str | None] = lambda _: None  # how the article names the speaker
    # The numbers of the item's article's sentences that are page furniture (a link line, a
    # caption: `briefing.find.layout.furniture_sentences`): sentences next to each other are
    # counted in the article's prose, across them.
    furniture: Callable[[T], frozenset[int]] = lambda _: frozenset()


def _continues(reported: Position, quoted: Position, same_topic: bool, stanceless: bool) -> bool:
    """Whether a quotation goes on with the reported line just before it: on its topic, however
    the quotation is attributed; on another, when they share words or, neither stating a
    stance, the quotation points back to the line ("... these tracks in parallel")."""
    if min(quoted.evidence) - 1 not in reported.evidence:
        return False
    if same_topic or (stanceless and points_back(quoted)):
        return True
    return share_stems(reported, quoted)


def _goes_on(
    first: Position, then: Position, then_named_as: str | None, same_topic: bool, stanceless: bool
) -> bool:
    """Whether a reported line goes on with the reported line in the sentence before it: on its
    topic or sharing its words; on another, neither stating a stance, when it points back or
    names no one and shares a content word ("The ministry described the advance on Lipky as a
    tactical gain" after "The Defense Ministry announced that its forces have taken Lipky").
    "He said ..." naming no one is the commonest way to begin a new point."""
    if min(then.evidence) - 1 not in first.evidence:
        return False
    if same_topic or share_stems(first, then):
        return True
    anaphoric = then_named_as is not None and names_no_one(then_named_as)
    return stanceless and (points_back(then) or (anaphoric and share_stems(first, then, 1)))


def link(
    a: Position,
    b: Position,
    b_named_as: str | None = None,
    a_named_as: str | None = None,
    same_topic: bool = True,
    stanceless: bool = False,
) -> str | None:
    """How two positions (same article and voice) are parts of one statement: "sentence"
    (they share one), "continues" (a quotation going on with the reported line before it),
    "goes on" (a reported line going on with the one before it), "paraphrase" (a run of
    content words in common), or None. `*_named_as` is how the article names each one's
    speaker (its source words), None when it does not; `same_topic`, whether the model filed
    them under one topic; `stanceless`, whether neither states a stance (nor the statement
    the first is part of)."""
    if set(a.evidence) & set(b.evidence):
        return "sentence" if same_topic else None
    if a.kind == "reported" and b.kind == "direct" and _continues(a, b, same_topic, stanceless):
        return "continues"
    if b.kind == "reported" and a.kind == "direct" and _continues(b, a, same_topic, stanceless):
        return "continues"
    if a.kind == b.kind == "reported":
        ordered = [(a, a_named_as), (b, b_named_as)]
        ordered.sort(key=lambda pair: min(pair[0].evidence))
        (first, _), (then, named_as) = ordered
        if _goes_on(first, then, named_as, same_topic, stanceless):
            return "goes on"
    return "paraphrase" if same_topic and share_run(a.quotes, b.quotes) else None


def _stated(p: Position) -> str | None:
    return p.stance if p.stance_stated else None


def _joins(group: list[T], item: T, read: Reading[T], voices_at: _VoicesAt) -> bool:
    first, p = read.position(group[0]), read.position(item)
    if first.article_id != p.article_id or read.voice(group[0]) != read.voice(item):
        return False
    parts = [read.position(g) for g in group]
    stances = {s for g in parts if (s := _stated(g))}
    mine = _stated(p)
    if mine is not None and stances and stances != {mine}:
        return False
    named_as = read.speaker_words(item)
    stanceless = mine is None and not stances
    links = {
        link(
            g,
            p,
            named_as,
            read.speaker_words(part),
            read.topic(part) == read.topic(item),
            stanceless,
        )
        for g, part in zip(parts, group, strict=True)
    }
    if p.kind == "direct" and _after_quotation(p, parts):
        links.discard("continues")
    if mine is not None and stances and (named_as is None or not names_no_one(named_as)):
        links.discard("goes on")  # a second view, even on the same side
    if links - {None}:
        return True
    if p.kind == "reported":
        return _restates(parts, p)
    between = voices_at.get((p.article_id, min(p.evidence) - 1), set())
    on_topic = [read.topic(part) == read.topic(item) for part in group]
    return _takes_up(parts, p) or _backs(parts, p, on_topic, between, read.voice(item))


def _restates(group: Sequence[Position], line: Position) -> bool:
    """Whether a reported line right after one of the statement's quotations restates it: its
    words (two content words) and its stated stance ("“We highly appreciate President Trump's
    political will ...,” he stated. The Kremlin emphasized its appreciation for ... the Trump
    administration ..."). A line only sharing words adds a point ("She added that ...")."""
    before = min(line.evidence) - 1
    return line.stance_stated and any(
        g.kind == "direct"
        and before in g.evidence
        and _stated(g) == _stated(line)
        and share_stems(g, line)
        for g in group
    )


def _takes_up(group: Sequence[Position], quoted: Position) -> bool:
    """Whether a quotation right after one of the statement's own quotations takes up its
    reported line (two content words), stating no stance of its own: “As for our contacts,
    they continue ...,” Peskov told reporters. “We believe that the work should continue in a
    non-public format. This is the only way to achieve results,” he noted, after "said Moscow
    continues its dialogue ..., stressing that talks must stay confidential to achieve
    results". One that states a stance is a point of its own (“... reciprocity from Ukraine is
    certainly necessary,” he added)."""
    if quoted.stance_stated or not _after_quotation(quoted, group):
        return False
    return any(g.kind == "reported" and share_stems(g, quoted) for g in group)


def _backs(
    group: Sequence[Position],
    quoted: Position,
    on_topic: Sequence[bool],
    between: set[str],
    voice: str,
) -> bool:
    """Whether a quotation backs the writer's summary two sentences before it: a reported line
    giving none of the speaker's words, then one sentence with no part of another voice
    (`between`: the voices with a part in it), then a quotation taking up the line's words or
    stating its stance ("The spokesman said ... Russia will convey its position. He said,
    however, that a call is not planned. “We will also have the opportunity to convey our
    position ...,” Peskov said."; "Peskov indicated that the topic is not entirely closed to
    dialogue. “We will not discuss ...,” he said. “... However, this issue can be discussed.”").
    The stance alone backs a line on the quotation's topic (`on_topic`: each part's), or one
    the speaker goes on with in the sentence between: across another writer's sentence, a
    stance shared on another topic is another view ("Peskov said the sanctions were illegal.
    The ruble fell. “Any further NATO expansion is unacceptable,” Peskov said."). A line that
    quotes words of its own has its quotation."""
    start = min(quoted.evidence)
    if between - {voice} or any(start - 1 in g.evidence for g in group):
        return False  # next to the statement, the rules for neighbours decide
    spoken_between = voice in between
    return any(
        g.kind == "reported"
        and start - 2 in g.evidence
        and not any(quoted_passages(q) for q in g.quotes)
        and (
            share_stems(g, quoted)
            or (
                quoted.stance_stated
                and _stated(g) == _stated(quoted)
                and (same_topic or spoken_between)
            )
        )
        for g, same_topic in zip(group, on_topic, strict=True)
    )


def _after_quotation(quoted: Position, group: Sequence[Position]) -> bool:
    """Whether a quotation begins right after one of the statement's own quotations."""
    before = min(quoted.evidence) - 1
    return any(g.kind == "direct" and before in g.evidence for g in group)


# The voices with a part in each sentence of an article: (article id, sentence) -> voices.
_VoicesAt = dict[tuple[str, int], set[str]]


def statement_groups(items: Sequence[T], read: Reading[T]) -> list[list[T]]:
    """The items grouped into statements, each group in the items' order, groups in the order
    of their first item."""
    groups: list[list[T]] = []
    in_prose = {id(item): _in_prose(read.position(item), read.furniture(item)) for item in items}
    read = replace(read, position=lambda item: in_prose[id(item)])
    voices_at: _VoicesAt = {}
    for item in items:
        p = read.position(item)
        for sentence in p.evidence:
            voices_at.setdefault((p.article_id, sentence), set()).add(read.voice(item))
    # Only a group of the same article and voice can take an item (`_joins`): the groups are
    # looked up by those, rather than all of a day's tried in turn, the latest begun first
    # (the nearest statement that can take it: "adding that this aligns" joins its sentence).
    by_voice: dict[tuple[str, str], list[list[T]]] = {}
    for item in items:
        same = by_voice.setdefault((read.position(item).article_id, read.voice(item)), [])
        home = next(
            (group for group in reversed(same) if _joins(group, item, read, voices_at)), None
        )
        if home is None:
            groups.append([item])
            same.append(groups[-1])
        else:
            home.append(item)
    return groups


def _in_prose(p: Position, furniture: frozenset[int]) -> Position:
    """The position with its sentences numbered in the article's prose, furniture skipped."""
    if not furniture:
        return p
    return p.model_copy(
        update={"evidence": [i - sum(f < i for f in furniture) for i in p.evidence]}
    )


def merged_position(
    group: Sequence[Position], in_words: Callable[[Position], bool] = lambda _: True
) -> Position:
    """One position standing for a group: the speaker and id of its first quotation (the words
    shown) or else of its first part, under the fullest name its parts give that speaker
    ("Peskov", then a quotation by "Dmitry Peskov": Dmitry Peskov) and a role one of them gives
    (a campaign spokesman's line and the candidate's quotation: not the spokesman's role), the
    stance stated by a part and the topic `topic_part` chooses (`in_words`: whether a part's
    words name its topic), every part's evidence, spans and quotations (in the text's order),
    and the kind "direct" when any part is a quotation."""
    if len(group) == 1:
        return group[0]
    first = group[shown_part(group)]
    said_by = parts_said_by(group, first.speaker)
    stated = next((p for p in group if p.stance_stated), first)
    parts = sorted(
        {(s, q) for p in group for s, q in zip(p.spans, p.quotes, strict=False)},
        key=lambda pair: pair[0],
    )
    return first.model_copy(
        update={
            "speaker": max((p.speaker for p in said_by), key=len),
            "role": next((p.role for p in said_by if p.role), ""),
            "stance": stated.stance,
            "stance_basis": stated.stance_basis,
            "topic": topic_part(group, in_words).topic,
            "kind": "direct" if any(p.kind == "direct" for p in group) else first.kind,
            "evidence": sorted({i for p in group for i in p.evidence}),
            "spans": [s for s, _ in parts],
            "quotes": [q for _, q in parts],
        }
    )


def shown_part(group: Sequence[Position]) -> int:
    """Which part speaks for a group: its first quotation, the words an entry shows (a
    campaign's line, the writer's "Trump has admitted ..." and “...,” Trump said: Trump's),
    else its first part; the first part when both name one person."""
    quoted = next((k for k, p in enumerate(group) if p.kind == "direct"), 0)
    return 0 if same_speaker(group[0].speaker, group[quoted].speaker) else quoted


def parts_said_by(group: Sequence[Position], speaker: str) -> list[Position]:
    """The parts of a group said by `speaker`, under any of their names."""
    return [p for p in group if same_speaker(p.speaker, speaker)]


def topic_part(
    group: Sequence[Position], in_words: Callable[[Position], bool] = lambda _: True
) -> Position:
    """The part whose topic a group is filed under: one whose stance is a finding (a stance is
    on a topic: "supports" of "Ukraine is counting on further sanctions" is no view on NATO,
    the topic of the line before it); among those, or when none states one, one whose words
    name its topic (`in_words`: the topic list's keywords, `briefing.track.entries.
    about_topic`), the model's topic being a guess where its parts were filed under two
    ("the topic is not entirely closed to dialogue", filed under NATO, and “Our approach to the
    deployment of foreign military units ... can be discussed”); then its first quotation (the
    words shown), then its first part. The briefing's entries
    (`briefing.render.entries.BriefEntry.topic`) file by it too."""
    order = {id(p): n for n, p in enumerate(group)}

    def rank(p: Position) -> tuple[bool, bool, bool, int]:
        unstated = not p.stance_stated
        return (unstated, not in_words(p), unstated and p.kind != "direct", order[id(p)])

    return min(group, key=rank)
