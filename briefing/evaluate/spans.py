"""Where a position's speaker and words are in the text (`predicted_spans`): the spans a
position is scored by, and gold made from reviewed positions with those same spans.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from briefing.evaluate.gold import Attribution, GoldDocument, Span
from briefing.models import Position, Sentence
from briefing.text.names import name_words_as_written
from briefing.text.segment import find_quotes


@dataclass(frozen=True)
class PredictedSpans:
    content: tuple[Span, ...]
    source: tuple[Span, ...]


WORD = re.compile(r"\w+")
_NAME_WORD = re.compile(r"[\w’'-]+")
_PRONOUN = re.compile(r"\b(?:he|she|they)\b", re.IGNORECASE)
# Reporting verbs and phrases: what joins a speaker to their words in news English.
_CUES = (
    "said|says|say|told|tells|tell|added|adds|stated|states|argued|argues|claimed|claims|warned|"
    "warns|noted|notes|insisted|insists|explained|explains|wrote|writes|asked|asks|announced|"
    "announces|declared|declares|suggested|suggests|believes|believed|thinks|thought|stressed|"
    "stresses|emphasi[sz]ed|emphasi[sz]es|acknowledged|acknowledges|admitted|admits|denied|denies|"
    "confirmed|confirms|reported|reports|predicted|predicts|urged|urges|vowed|vows|promised|"
    "promises|pledged|pledges|accused|accuses|charged|complained|complains|conceded|concedes|"
    "revealed|reveals|indicated|indicates|estimated|estimates|concluded|concludes|agreed|agrees|"
    "maintained|maintains|contended|contends|replied|responded|countered|tweeted|posted|recalled|"
    "recalls|continued|pointed out|points out|has learned|according to"
)
# "Peskov, the Kremlin spokesman, has said ..." and "Peskov: ..." after the source. A "that"
# after the verb stays with the content, as in PolNeAr ("said [that the talks would resume]").
_CUE_AFTER = re.compile(
    rf"\s*:|(?:\s*,[^,.;!?]{{1,80}},)?\s+(?:\w+\s+){{0,2}}?(?:{_CUES})\b\s*[,:]?",
    re.IGNORECASE,
)
# "..., said Peskov.", "..., said the Kremlin spokesman Dmitry Peskov." and "According to the
# ministry, ..." before the source:
_CUE_BEFORE = re.compile(rf"\b(?:{_CUES})(?:\s+[\w’'-]+){{0,3}}?\s+$", re.IGNORECASE)
_EDGE = " \t\n\u00a0,;:—–-"


def strip_span(text: str, start: int, end: int, edge: str = _EDGE) -> Span:
    while start < end and text[start] in edge:
        start += 1
    while end > start and text[end - 1] in edge:
        end -= 1
    return start, end


def _overlaps(span: Span, others: Iterable[Span]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in others)


def _speaker_patterns(speaker: str, role: str) -> list[tuple[re.Pattern[str], bool]]:
    """Ways the text may name the speaker, best first; the flag says: expand to the full name."""
    patterns: list[tuple[re.Pattern[str], bool]] = []
    if speaker.strip():
        patterns.append(
            (re.compile(rf"(?<!\w){re.escape(speaker.strip())}(?!\w)", re.IGNORECASE), False)
        )
    words = [w for w in name_words_as_written(speaker) if len(w) > 2]
    for word in reversed(words):  # the last name first: "Peskov" names Dmitry Peskov
        flags = 0 if word[:1].isupper() else re.IGNORECASE
        patterns.append((re.compile(rf"\b{re.escape(word)}\b", flags), True))
    if len(role.strip()) > 3:
        patterns.append(
            (re.compile(rf"(?<!\w){re.escape(role.strip())}(?!\w)", re.IGNORECASE), False)
        )
    return patterns


def _expand_name(text: str, span: Span, speaker: str, lo: int, hi: int) -> Span:
    """Widen a last-name hit over the neighbouring words of the speaker's name and initials, so
    "Trump" in "Donald J. Trump" gives the whole name the text uses."""
    own = {w.casefold() for w in _NAME_WORD.findall(speaker)}
    tokens = [m.span() for m in WORD.finditer(text, lo, hi)]
    starts = [s for s, _ in tokens]
    i = j = bisect.bisect_left(starts, span[0])
    if i >= len(tokens):
        return span

    def joins(word: str, gap: str) -> bool:
        initial = len(word) == 1 and word.isupper()
        return (word.casefold() in own or initial) and gap.strip(" .\u00a0") == ""

    while i > 0 and joins(
        text[tokens[i - 1][0] : tokens[i - 1][1]], text[tokens[i - 1][1] : tokens[i][0]]
    ):
        i -= 1
    while j + 1 < len(tokens) and joins(
        text[tokens[j + 1][0] : tokens[j + 1][1]], text[tokens[j][1] : tokens[j + 1][0]]
    ):
        j += 1
    return tokens[i][0], max(span[1], tokens[j][1])


def locate_source(
    text: str,
    by_index: dict[int, Sentence],
    position: Position,
    avoid: Sequence[Span] = (),
    near: Sequence[Span] = (),
) -> Span | None:
    """Where the text names the speaker of a position: its source span.

    Looked for in the evidence sentences, then in the three sentences before them (a quotation
    often runs on after "Peskov said:"), never inside `avoid` (the quotations: a name quoted is
    rarely the one speaking). In each, in order: the speaker as the model wrote it, a word of the
    name (last first, widened to the full name the text uses), the role, then (in the evidence
    only) "he", "she" or "they". Among several hits in one sentence, the one nearest `near`
    (the quoted words, for direct speech), else the first.
    """
    evidence = [by_index[i] for i in sorted(set(position.evidence)) if i in by_index]
    if not evidence:
        return None
    first = evidence[0].index
    before = [by_index[i] for i in range(first - 1, first - 4, -1) if i in by_index]
    patterns = _speaker_patterns(position.speaker, position.role)
    searches = [(p, expand, evidence) for p, expand in patterns]
    searches.append((_PRONOUN, False, evidence))
    searches += [(p, expand, before) for p, expand in patterns]
    for pattern, expand, window in searches:
        for sentence in window:
            hits = [
                m.span()
                for m in pattern.finditer(text, sentence.start, sentence.end)
                if not _overlaps(m.span(), avoid)
            ]
            if not hits:
                continue
            if near:
                hit = min(
                    hits,
                    key=lambda h: min(
                        abs(h[0] - b) if h[0] >= b else abs(a - h[1]) for a, b in near
                    ),
                )
            else:
                hit = hits[0]
            return (
                _expand_name(text, hit, position.speaker, sentence.start, sentence.end)
                if expand
                else hit
            )
    return None


def reported_content(text: str, sentence: Sentence, source: Span | None) -> Span:
    """A reported-speech sentence without its attribution ("Peskov said that", ", he added").

    The attribution is the source plus a reporting verb next to it; the content is the longer
    side of the sentence around it. Without a source in the sentence or a verb next to it, the
    whole sentence (trimmed of its final stop) is the content.
    """
    s_start, s_end = sentence.start, sentence.end
    whole = strip_span(text, s_start, s_end, _EDGE + ".")
    if source is None or not (s_start <= source[0] and source[1] <= s_end):
        return whole
    attribution: Span | None = None
    after = _CUE_AFTER.match(text, source[1], s_end)
    if after is not None:
        attribution = (source[0], after.end())
    else:
        before = _CUE_BEFORE.search(text, s_start, source[0])
        if before is not None:
            attribution = (before.start(), source[1])
    if attribution is None:
        return whole
    left = strip_span(text, s_start, attribution[0], _EDGE + ".")
    right = strip_span(text, attribution[1], s_end, _EDGE + ".")
    words = [len(WORD.findall(text[a:b])) for a, b in (left, right)]
    if not any(words):
        return whole
    return left if words[0] > words[1] else right


def predicted_spans(
    text: str,
    by_index: dict[int, Sentence],
    position: Position,
    quotes: Sequence[Span] | None = None,
    as_found: bool = False,
) -> PredictedSpans:
    """The content and source spans a position claims, for scoring.

    Direct speech: the quoted words brief copied (`Position.spans`). Reported speech: each
    evidence sentence, the one naming the speaker without its attribution. Source: see
    `locate_source`; none when the speaker cannot be found near the evidence. `quotes` are the
    article's quotation spans (found here when not given).

    A position whose source the finder found, and with `as_found` every position (the finder
    scored alone), claims the finder's own spans: its content spans and its source, or no source
    when the finder found none ("was accused of ...": PolNeAR annotates such attributions with
    no source), never a whole sentence and a source guessed from a pronoun.
    """
    evidence = [by_index[i] for i in sorted(set(position.evidence)) if i in by_index]
    if position.source is not None or as_found:
        found = () if position.source is None else (position.source,)
        return PredictedSpans(content=tuple(sorted(position.spans)), source=found)
    if position.kind == "direct" and position.spans:
        content = tuple(sorted(position.spans))
        source = locate_source(text, by_index, position, avoid=content, near=content)
        return PredictedSpans(content=content, source=(source,) if source else ())
    if quotes is None:
        quotes = [(q.start, q.end) for q in find_quotes(text)]
    source = locate_source(text, by_index, position, avoid=quotes)
    pieces = [reported_content(text, s, source) for s in evidence]
    return PredictedSpans(
        content=tuple(p for p in pieces if p[0] < p[1]), source=(source,) if source else ()
    )


def gold_from_positions(
    name: str, text: str, sentences: Sequence[Sentence], positions: Iterable[Position]
) -> GoldDocument:
    """Reviewed positions (the ones an analyst approved or corrected) as a gold document.

    The spans are the ones `predicted_spans` gives, so re-scoring the same positions is perfect
    and a new prompt or model is scored against what the analyst accepted.
    """
    by_index = {s.index: s for s in sentences}
    quotes = [(q.start, q.end) for q in find_quotes(text)]
    attributions = []
    for position in positions:
        predicted = predicted_spans(text, by_index, position, quotes)
        if predicted.content:
            attributions.append(Attribution(content=predicted.content, source=predicted.source))
    return GoldDocument(name=name, text=text, attributions=tuple(attributions))
