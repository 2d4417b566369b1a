"""Direct speech: each quotation with its cue and source, split quotations joined.

This module owns the quotations. For each quotation span it looks for the attribution right
after it ('“...,” he said', '“...,” said Peskov') or right before it ('Peskov said: “...”',
'Peskov told reporters that “...”'). A quotation interrupted by its attribution ('“...,” he said,
“...”'), continued in the next sentence of the paragraph without a cue of its own, or running over
paragraphs is one candidate with several spans. A quotation with no attribution is attributed
to the previous speaker only when the paragraph structure says it continues that speaker (it
follows in the same paragraph, or it fills a paragraph that follows a quotation); otherwise it
stays unresolved. Short quoted phrases inside narration with no cue ('a “coalition of the
willing”') are terms, not statements, and are left to the reported-speech pass.
"""

from __future__ import annotations

from briefing.find.clauses import subject_after, subject_before
from briefing.find.cues import Cue
from briefing.find.draft import Draft
from briefing.find.extent import content_after, trailing_adverbial
from briefing.find.lexicon import lexicon
from briefing.find.nounphrase import abbreviation, np_left
from briefing.find.speakers import START_WORDS
from briefing.find.tokens import QUOTE_MARKS, Layout, Span, Token, Unit

Attribution = tuple[Cue, list[Token]]  # the cue and the words naming the source
_MIN_WORDS = 4  # shorter quoted phrases with no cue are terms or scare quotes
_MAX_SUBJECT = 40  # tokens between a quotation and its cue: a name with its descriptions


def _words_in(text: str, span: Span) -> int:
    return len(text[span[0] : span[1]].split())


def _after(unit: Unit, cues: list[Cue], quote: Span) -> Attribution | None:
    """'“...,” he said' / '“...,” said Peskov': the attribution right after the quotation."""
    tokens = unit.tokens
    first = next((i for i, t in enumerate(tokens) if t.start >= quote[1]), None)
    if first is None:
        return None
    while first < len(tokens) and not tokens[first].is_word:
        if tokens[first].text in QUOTE_MARKS and tokens[first].start > quote[1] + 2:
            return None  # another quotation opens before any attribution
        first += 1
    signed = _dash(tokens, first)
    if signed is not None:
        return signed
    inside = [t for t in tokens if t.is_word and quote[0] <= t.start < quote[1]]
    if len(inside) < _MIN_WORDS and _inside_phrase(tokens, quote):
        return None  # 'Bemoaning the “phony system,” Trump accused ...': a term, not his words
    for cue in cues:
        if cue.first < first or cue.first > first + _MAX_SUBJECT:
            continue
        between = tokens[first : cue.first]
        if any(t.quoted or t.text in QUOTE_MARKS for t in between):
            return None
        punctuated = any(
            not t.is_word and not abbreviation(tokens, k)
            for k, t in enumerate(between, start=first)
        )
        if cue.first > first:
            # '“...,” Trump said', and past an aside that is part of the subject: '“...,”
            # Clinton, 68, said', '“...,” Trump, who arrived late, told the crowd'
            subject = subject_before(tokens, cue.first)
            if subject is not None and subject[0] == first:
                return cue, tokens[subject[0] : subject[1] + 1]
            return None
        if punctuated:
            return None  # punctuation other than 'Mr.' between: not its attribution
        if cue.participle:
            return None  # '“...,” adding that ...': a statement of its own, by the same speaker
        inverted = subject_after(tokens, cue.last + 1)
        source = tokens[inverted[0] : inverted[1] + 1] if inverted else []
        return cue, source
    return None


def _inside_phrase(tokens: list[Token], quote: Span) -> bool:
    """Whether a word of the sentence comes right before the quotation's opening mark."""
    before = [t for t in tokens if t.end <= quote[0] and t.text not in QUOTE_MARKS]
    return bool(before) and before[-1].is_word and before[-1].end >= quote[0] - 2


def _dash(tokens: list[Token], at: int) -> Attribution | None:
    """'“...” ― Sonya Herridge': a quotation signed with a dash and a name, ending the line."""
    dash = at - 1
    while dash >= 0 and tokens[dash].text in QUOTE_MARKS | {",", "."}:
        dash -= 1
    if dash < 0 or tokens[dash].text not in ("―", "—", "–", "-") or tokens[dash].quoted:
        return None
    name = tokens[at:]
    if not name or len(name) > 10 or not name[0].capitalised:
        return None
    if any(t.quoted or t.text in QUOTE_MARKS for t in name):
        return None
    words = [t for t in name if t.is_word]
    return Cue(dash, dash, "dash", "dash", tokens[dash].text), words[:4]


def _before(unit: Unit, cues: list[Cue], quote: Span) -> Attribution | None:
    """'Peskov said: “...”' / 'He told reporters that “...”': the cue right before it."""
    tokens = unit.tokens
    opening = max((i for i, t in enumerate(tokens) if t.end <= quote[0]), default=None)
    if opening is None:
        return None
    after = [t for t in tokens if t.start >= quote[1] and t.text not in QUOTE_MARKS]
    inside = [t for t in tokens if t.is_word and quote[0] <= t.start < quote[1]]
    if after and after[0].is_word and len(inside) < _MIN_WORDS:
        return None  # 'said "budget reforms" would help': a term inside his clause
    for cue in reversed(cues):
        if cue.last >= opening:
            continue
        rest = content_after(tokens, cue.last, cue.lemma, opening + 1)
        between = tokens[rest[0] : rest[1] + 1] if rest else []
        if any(t.is_word and t.lower != "that" for t in between):
            return None  # words of someone's clause lie between: the quotation is inside it
        if cue.kind == "according":
            found = subject_after(tokens, cue.last + 1, opening)
        else:
            found = subject_before(tokens, cue.first)
        if found is None and cue.participle:
            found = _participle_subject(tokens, cues, cue)
        return cue, tokens[found[0] : found[1] + 1] if found else []
    return None


def _participle_subject(tokens: list[Token], cues: list[Cue], cue: Cue) -> tuple[int, int] | None:
    """'Clinton told the audience that ..., saying that “...”': a participle after a comma
    shares the subject of the sentence's first cue that has one (a nearer cue may lie inside
    the content: "that she believes we must")."""
    if cue.first == 0 or tokens[cue.first - 1].text not in (",", ";", "—", "–"):
        return None
    for earlier in [c for c in cues if c.last < cue.first]:
        if earlier.kind in ("according", "passive", "noun") or earlier.participle:
            continue
        found = subject_before(tokens, earlier.first)
        if found is not None:
            return found
    return None


def _next_unit_attribution(
    layout: Layout, unit: Unit, cues: dict[int, list[Cue]]
) -> tuple[Unit, Attribution] | None:
    """'“... known.” Peskov said.': a short next sentence of the paragraph that is only an
    attribution."""
    following = [u for u in layout.units if u.index == unit.index + 1]
    if not following or following[0].paragraph != unit.paragraph or following[0].excluded:
        return None
    nxt = following[0]
    words = [t for t in nxt.tokens if t.is_word]
    if len(words) > 8 or any(t.quoted for t in nxt.tokens):
        return None
    found = _after(nxt, cues.get(nxt.index, []), (nxt.start, nxt.start))
    if found is None:
        return None
    cue = found[0]
    rest = content_after(nxt.tokens, cue.last, cue.lemma, len(nxt.tokens))
    if rest is not None and not trailing_adverbial(nxt.tokens, rest):
        return None  # the next sentence says something of its own
    return nxt, found


def _attribution(
    layout: Layout, units: list[Unit], cues: dict[int, list[Cue]], quote: Span
) -> tuple[Unit, Attribution] | None:
    """The attribution of a quotation: after it, in the next short sentence, or before it."""
    first, last = units[0], units[-1]
    after = _after(last, cues.get(last.index, []), quote)
    if after is not None:
        return last, after
    if quote[1] >= last.end - 2:
        following = _next_unit_attribution(layout, last, cues)
        if following is not None:
            return following
    before = _before(first, cues.get(first.index, []), quote)
    if before is None:
        before = _name_colon(first, cues.get(first.index, []), quote)
    if before is not None:
        return first, before
    return _colon_before(layout, first, cues, quote)


def _name_colon(unit: Unit, cues: list[Cue], quote: Span) -> Attribution | None:
    """'- Mark Blumenthal and Jon Cohen: “...”', 'doesn’t surprise pollster Daron Shaw: “...”': a
    name right before the colon that opens the quotation, with no cue before it in the sentence
    (after one, the name is its hearer or object: 'told Fox News: “...”')."""
    tokens = unit.tokens
    colon = max((i for i, t in enumerate(tokens) if t.end <= quote[0]), default=0)
    while colon > 0 and tokens[colon].text in QUOTE_MARKS:
        colon -= 1
    if colon < 1 or tokens[colon].text != ":" or any(c.last < colon for c in cues):
        return None
    last = tokens[colon - 1]
    name = np_left(tokens, colon - 1, lexicon())
    if name is None or not last.capitalised or last.quoted or last.text[0].isdigit():
        return None
    return Cue(colon, colon, "colon", "dash", ":"), tokens[name[0] : name[1] + 1]


def _colon_before(
    layout: Layout, first: Unit, cues: dict[int, list[Cue]], quote: Span
) -> tuple[Unit, Attribution] | None:
    """'He said:' closing a paragraph, the quotation opening the next one."""
    previous = [u for u in layout.units if u.index == first.index - 1]
    if not previous or previous[0].paragraph == first.paragraph or previous[0].excluded:
        return None
    unit = previous[0]
    if not unit.tokens or unit.tokens[-1].text != ":" or quote[0] > first.start + 1:
        return None
    before = _before(unit, cues.get(unit.index, []), (unit.end, unit.end))
    return (unit, before) if before is not None else None


_OPENERS = frozenset(["later", "earlier", "now", "still", "yet", "so"])


def _names(unit: Unit, previous: Draft) -> bool:
    """Whether a sentence opens with a name other than the previous speaker's ("Then Donald
    Trump spoke."; not "He paused.", "They also lie in a dead zone.")."""
    words = [t for t in unit.tokens if t.is_word]
    k = 0
    while k < len(words) and (words[k].lower in START_WORDS or words[k].lower in _OPENERS):
        k += 1
    if k >= len(words) or not words[k].capitalised or words[k].text == "I":
        return False
    own = {t.bare for t in previous.source}
    return bool(own) and words[k].bare not in own  # a sourceless quotation may be its own


def _continues(layout: Layout, previous: Draft | None, quote: Span) -> bool:
    """Whether an unattributed quotation continues the previous direct statement: the same
    paragraph with nothing but that statement's attribution between, or the next paragraph when
    the quotation runs over (it reopens without closing) or fills its paragraph."""
    if previous is None or previous.kind != "direct":
        return False
    text = layout.text
    gap = text[previous.end : quote[0]]
    if "\n" not in gap:
        # Not past a sentence of its own that names someone else: '“...,” Bush said. Then
        # Donald Trump spoke. “...”' (but '“...,” Obama said. He paused. “...”' goes on).
        return not any(
            previous.end <= u.start
            and u.end <= quote[0]
            and u is not previous.unit
            and _names(u, previous)
            for u in layout.units_over(previous.end, quote[0])
        )
    if gap.count("\n") > 2:
        return False
    line_start = text.rfind("\n", 0, quote[0]) + 1
    line_end = text.find("\n", quote[1])
    line_end = len(text) if line_end < 0 else line_end
    fills = not text[line_start : quote[0]].strip(' “"«„') and not text[quote[1] : line_end].strip(
        ' ”"»“.,!?'
    )
    return fills


def direct_drafts(layout: Layout, cues: dict[int, list[Cue]]) -> tuple[list[Draft], set[Span]]:
    """The quotations as drafts, and the cue spans they use (so no other pass reuses them)."""
    drafts: list[Draft] = []
    used: set[Span] = set()
    previous: Draft | None = None
    for quote in layout.quotes:
        units = layout.units_over(*quote)
        if not units or any(u.excluded for u in units):
            continue
        first = units[0]
        found = _attribution(layout, units, cues, quote)
        if found is not None:
            unit, (cue, source) = found
            span = (unit.tokens[cue.first].start, unit.tokens[cue.last].end)
            if span in used and previous is not None and previous.cue == span:
                previous.content.append(quote)  # '“...,” he said, “...”': one quotation
                continue
            used.add(span)
            previous = Draft("direct", [quote], unit, span, source)
            drafts.append(previous)
        elif _continues(layout, previous, quote):
            assert previous is not None
            if previous.unit.paragraph == first.paragraph or "\n" not in layout.text[
                previous.end : quote[0]
            ].strip(' ”"»“.,!?'):
                previous.content.append(quote)
            else:
                previous = Draft("direct", [quote], first, follows=previous)
                drafts.append(previous)
        elif _words_in(layout.text, quote) >= _MIN_WORDS and _opens_sentence(layout, quote):
            previous = Draft("direct", [quote], first)
            drafts.append(previous)
    return drafts, used


def _opens_sentence(layout: Layout, quote: Span) -> bool:
    """Whether a quotation is a statement of its own (it starts its sentence), not a phrase."""
    before = layout.text[max(0, quote[0] - 3) : quote[0]]
    unit = layout.unit_at(quote[0])
    return unit is not None and (quote[0] - unit.start <= 2 or before.strip()[-1:] in (":",))
