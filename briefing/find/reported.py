"""Reported speech: a cue from the lexicon, its source and the clause it introduces.

This module owns the statements not in quotation marks, one sentence at a time:

* "Peskov said (that) Russia would ..." and "Peskov told reporters on Monday that ...": the
  content runs from after the cue (past its hearer and adverbials) to the end of the clause;
* "Russia would ..., Peskov said." and "..., said Peskov.": the attribution closes the sentence
  and the content is what comes before it;
* "According to the ministry, ..." and "..., according to Peskov": the source follows the cue;
* ", saying ...", ", adding that ...": a participle starts a new statement by the same source.

A statement ends where another attribution starts a clause of its own (after a comma or a
semicolon), so "X said A, adding B" gives two statements. A cue inside another statement's
content ("Peskov said the ministry had warned that ...") is part of that content, not a new one.
"""

from __future__ import annotations

from briefing.find.clauses import possessor, sentence_subject, subject_after, subject_before
from briefing.find.cues import Cue, evidence_source
from briefing.find.draft import Draft
from briefing.find.extent import content_after, trailing_adverbial
from briefing.find.lexicon import grammar, lexicon
from briefing.find.nounphrase import TokenRange, skip_adverbials_back
from briefing.find.nouns import opens_examples
from briefing.find.tokens import QUOTE_MARKS, Token, Unit

_CLAUSE_PUNCT = frozenset(",;—–:(") | QUOTE_MARKS
_ASIDE_MARKS = frozenset(",—–-")
_PAST_QUOTE = 3  # words after a quotation that make it part of a longer reported clause


def _clause_start(tokens: list[Token], cue: Cue) -> int | None:
    """Where the clause of a cue begins when punctuation sets it apart, else None."""
    g = grammar()
    if cue.participle or cue.kind == "according":
        k = cue.first - 1
    else:
        subject = subject_before(tokens, cue.first)
        k = (subject[0] if subject else cue.first) - 1
        if subject is None and cue.kind in ("verb", "phrase"):
            back = skip_adverbials_back(tokens, k, lexicon())
            if back > 0 and tokens[back].lower in g.coordinators and _main_level(tokens, back):
                return back  # "... and called for", "but has said": a verb of its own
    while k >= 0 and tokens[k].lower in g.links:
        k -= 1
    if k >= 0 and tokens[k].text in _CLAUSE_PUNCT:
        return k
    return None


def _main_level(tokens: list[Token], coordinator: int) -> bool:
    """Whether a verb after "and" at `coordinator` is coordinated with the cue before it
    ("criticized the deals and called for tariffs"), not with a verb of that cue's content
    ("said he rated them and talked about them"): the nearest verb back is a cue verb."""
    lex, g = lexicon(), grammar()
    for k in range(coordinator - 1, -1, -1):
        token = tokens[k]
        if token.capitalised or not token.is_word:
            continue
        low = token.lower
        if low in g.auxiliaries:
            return False
        if low in lex.verb_forms and tokens[k - 1].lower not in g.determiners:
            return True  # not "her view"
        if low.endswith("ed"):
            return False
    return False


def _before_attribution(tokens: list[Token], clause: int) -> TokenRange | None:
    """The content before an attribution that closes the sentence: from the start (past an
    opening quotation mark) to the comma before the attribution."""
    j = 0
    while j < clause and not tokens[j].is_word and tokens[j].text not in QUOTE_MARKS:
        j += 1
    k = clause - 1
    while k >= j and not tokens[k].is_word and tokens[k].text not in QUOTE_MARKS:
        k -= 1
    words = [t for t in tokens[j : k + 1] if t.is_word]
    return (j, k) if len(words) >= 2 else None


def _draft(unit: Unit, rng: TokenRange, cue: Cue, source: list[Token]) -> Draft:
    tokens = unit.tokens
    span = (tokens[rng[0]].start, tokens[rng[1]].end)
    cue_span = (tokens[cue.first].start, tokens[cue.last].end)
    return Draft("reported", [span], unit, cue_span, source)


def _interrupts(tokens: list[Token], cue: Cue, forward: TokenRange | None) -> bool:
    """Whether the attribution sits inside its content, between commas."""
    if forward is None:
        return False
    k = forward[0] - 1
    return (
        k > cue.last and tokens[k].text == "," and all(t.is_word for t in tokens[cue.last + 1 : k])
    )


def _split(
    unit: Unit, cue: Cue, source: list[Token], clause: int, forward: TokenRange
) -> tuple[Draft, TokenRange] | None:
    """A statement interrupted by its attribution: both sides are its content."""
    before = _before_attribution(unit.tokens, clause)
    draft = _draft(unit, forward, cue, source)
    if before is not None:
        tokens = unit.tokens
        draft.content.insert(0, (tokens[before[0]].start, tokens[before[1]].end))
    return draft, (before[0] if before else forward[0], forward[1])


def _passive(unit: Unit, cue: Cue, end: int) -> tuple[Draft, TokenRange] | None:
    """ "The plan was endorsed by the union": the subject is what the source said or did."""
    tokens = unit.tokens
    if tokens[cue.last].lower != "by":
        return _passive_without_source(unit, cue, end)
    subject = subject_before(tokens, cue.first)
    found = subject_after(tokens, cue.last + 1, end)
    if found is None or subject is None:
        return None
    return _draft(unit, subject, cue, tokens[found[0] : found[1] + 1]), subject


def _passive_without_source(unit: Unit, cue: Cue, end: int) -> tuple[Draft, TokenRange] | None:
    """ "Peacekeepers have sometimes been blamed for the outbreak": no source; the subject and
    what follows the preposition are the content. Not when denied ("has not been charged with",
    "Neither of them was accused of"): nothing is attributed."""
    tokens, g = unit.tokens, grammar()
    k = cue.first - 1
    while k >= 0 and tokens[k].is_word and (tokens[k].lower in g.auxiliaries or _adverb(tokens[k])):
        k -= 1
    subject = subject_before(tokens, k + 1)
    if subject is None or tokens[subject[0]].lower in g.denials:
        return None
    if any(t.lower in g.denials for t in tokens[subject[1] + 1 : cue.first]):
        return None
    after = content_after(tokens, cue.last, cue.lemma, end)
    if after is None:
        return None
    draft = _draft(unit, after, cue, [])
    draft.content.insert(0, (tokens[subject[0]].start, tokens[subject[1]].end))
    return draft, (subject[0], after[1])


def _adverb(token: Token) -> bool:
    low = token.lower
    return low.endswith("ly") or low == "sometimes" or low in lexicon().adverbial_words


def _noun(unit: Unit, cue: Cue, forward: TokenRange | None) -> tuple[Draft, TokenRange] | None:
    """ "Trump's claim that ...", "his decision to ...": the owner is the source."""
    tokens = unit.tokens
    owner = possessor(tokens, cue.first)
    if owner is None or forward is None:
        return None
    opens = owner[0] == 0 or not tokens[owner[0] - 1].is_word
    if opens and (tokens[forward[0]].lower == "to" or cue.last > cue.first):
        forward = _before_main_verb(tokens, forward)
    return _draft(unit, forward, cue, tokens[owner[0] : owner[1] + 1]), forward


def _before_main_verb(tokens: list[Token], rng: TokenRange) -> TokenRange:
    """The content of a statement noun that is the subject of its sentence ends before the
    sentence's verb: "The board's decision [to close the library] angered parents", "Her
    criticism of [the budget] was sharp"."""
    g = grammar()
    for k in range(rng[0] + (2 if tokens[rng[0]].lower == "to" else 1), rng[1] + 1):
        low = tokens[k].lower
        if low in g.embedding or not tokens[k].is_word:
            break  # a clause of the content's own ("to ensure that costs are ...")
        finite = low in g.auxiliaries or (low.endswith("ed") and tokens[k - 1].lower != "to")
        if finite and tokens[k - 1].lower not in g.auxiliaries:
            return (rng[0], k - 1)
    return rng


def _object_of_cue(tokens: list[Token], cue: Cue) -> bool:
    """Whether the cue ends in its own preposition ("were concerned about", "voted against"), so
    what follows is its object even where it looks like a circumstance ("about this shift")."""
    return cue.last > cue.first and tokens[cue.last].lower in grammar().cue_links


def _refusal(
    unit: Unit, cue: Cue, end: int, previous: list[Token] | None
) -> tuple[Draft, TokenRange] | None:
    """ "Asked about the report, the mayor declined to comment.": what the mayor said is the
    refusal and what follows it in its clause ("declined to comment on the report"), never the
    question before it."""
    tokens = unit.tokens
    k = end - 1
    while k > cue.last and not tokens[k].is_word:
        k -= 1
    rng = (cue.first, k)
    subject = None if cue.participle else subject_before(tokens, cue.first)
    if subject is not None:
        source = tokens[subject[0] : subject[1] + 1]
    else:
        source = previous if previous is not None else sentence_subject(tokens)
    return (_draft(unit, rng, cue, source), rng) if source else None


def _lead(tokens: list[Token], cue: Cue) -> str:
    """The word before a cue: past adverbs and auxiliaries for a finite verb ("and promptly
    voted against", "but has said"), right before it for a participle ("while stressing")."""
    k = cue.first - 1
    while k > 0 and tokens[k].text in QUOTE_MARKS:
        k -= 1  # '“...,” adding that': the comma inside the quotation
    lead = tokens[k].lower if k >= 0 else ""
    if not cue.participle and lead not in grammar().coordinators:
        back = skip_adverbials_back(tokens, cue.first - 1, lexicon())
        lead = tokens[back].lower if back >= 0 else ""
    return lead


def _according(unit: Unit, cue: Cue, end: int) -> tuple[Draft, TokenRange] | None:
    """ "According to the ministry, ...", "..., according to Peskov", "In a new poll, ...": the
    source follows the cue; the content is the clause before it, or else the one after."""
    tokens = unit.tokens
    if cue.form == "in":
        found = evidence_source(tokens, cue.first)
    else:
        found = subject_after(tokens, cue.last + 1, end)
    source = tokens[found[0] : found[1] + 1] if found else []
    after = found[1] if found else cue.last
    clause = _clause_start(tokens, cue)
    if clause is not None:
        rng = _before_attribution(tokens, clause)
        rest = _resumed(tokens, after, end) if rng and _fragment(tokens, rng) else None
        if rng and rest:  # "His criticism, according to the interview, was the choice of ..."
            draft = _draft(unit, rest, cue, source)
            draft.content.insert(0, (tokens[rng[0]].start, tokens[rng[1]].end))
            return draft, (rng[0], rest[1])
    else:
        rng = content_after(tokens, after, "according", end)
    return (_draft(unit, rng, cue, source), rng) if rng else None


def _fragment(tokens: list[Token], rng: TokenRange) -> bool:
    """Whether the words before ", according to X," are a short piece of a clause ("His
    criticism", "For Trump", "But the next day") with no verb of their own, so the clause goes on
    after the source."""
    words = [t for t in tokens[rng[0] : rng[1] + 1] if t.is_word]
    verbs = grammar().auxiliaries | lexicon().verb_forms.keys()
    return len(words) <= 8 and not any(t.lower in verbs or t.lower.endswith("ed") for t in words)


def _resumed(tokens: list[Token], source_end: int, end: int) -> TokenRange | None:
    """The clause that goes on after ", according to X, " inside a sentence ("For Trump,
    according to Bennett, the speech is a test"): what follows the comma after the source, unless
    it opens a clause of its own (a relative pronoun, a conjunction, a participle)."""
    k = source_end + 1
    if k >= end or tokens[k].text != ",":
        return None
    rest = content_after(tokens, k, "according", end)
    if rest is None:
        return None
    first, g = tokens[rest[0]], grammar()
    opens = first.lower in g.relatives | g.coordinators | g.clause_words or first.lower == "who"
    return None if opens or first.lower.endswith("ing") else rest


def _one(
    unit: Unit, cue: Cue, end: int, previous: list[Token] | None
) -> tuple[Draft, TokenRange] | None:
    """The statement a cue introduces in its sentence, content up to token `end` (exclusive)."""
    tokens = unit.tokens
    if cue.kind == "according":
        return _according(unit, cue, end)
    if cue.kind == "passive":
        return _passive(unit, cue, end)
    if cue.kind == "refusal":
        return _refusal(unit, cue, end, previous)
    forward = content_after(tokens, cue.last, cue.lemma, end)
    if forward is not None and opens_examples(tokens, forward[0]):
        return None  # "advocates such as the Dallas Morning News": a noun, not a verb of saying
    lead, g = _lead(tokens, cue), grammar()
    if lead in g.coordinators and not cue.participle:
        # "Democrats described it as ominous, and said ...": the subject of the first verb.
        source = previous if previous is not None else sentence_subject(tokens)
        return (_draft(unit, forward, cue, source), forward) if forward and source else None
    if cue.kind == "noun":
        return _noun(unit, cue, forward)
    if cue.participle and (lead in g.participle_leads or tokens[cue.first].capitalised):
        source = previous if previous is not None else sentence_subject(tokens)
        return (_draft(unit, forward, cue, source), forward) if forward else None
    subject = subject_before(tokens, cue.first)
    clause = _clause_start(tokens, cue)
    if subject is not None and forward and _object_of_cue(tokens, cue):
        return _draft(unit, forward, cue, tokens[subject[0] : subject[1] + 1]), forward
    if subject is not None:
        source = tokens[subject[0] : subject[1] + 1]
        if clause is not None and trailing_adverbial(tokens, forward):
            rng = _before_attribution(tokens, clause)  # "..., Peskov said."
        elif clause is not None and forward and _interrupts(tokens, cue, forward):
            return _split(unit, cue, source, clause, forward)  # "The museum, he said, would ..."
        elif trailing_adverbial(tokens, forward):
            return None  # "Peskov spoke in Moscow": a circumstance, no content
        else:
            rng = forward
        return (_draft(unit, rng, cue, source), rng) if rng else None
    if (
        (clause is not None or cue.first == 0)
        and cue.lemma not in lexicon().stance
        and not _bracketed_imperative(tokens, cue)
    ):
        inverted = subject_after(tokens, cue.last + 1, end)
        closes = inverted is not None and (
            inverted[1] + 1 >= len(tokens)
            or not tokens[inverted[1] + 1].is_word
            or tokens[inverted[1] + 1].lower in lexicon().adverbial_starts
        )
        if inverted is not None and clause is not None and closes:
            source = tokens[inverted[0] : inverted[1] + 1]
            rng = _before_attribution(tokens, clause)  # "..., said Peskov."
            return (_draft(unit, rng, cue, source), rng) if rng else None
    return None


def _bracketed_imperative(tokens: list[Token], cue: Cue) -> bool:
    """ "(think Brexit, for example)", "(see Smith, 2010)": a verb's bare form opening a
    bracket tells the reader what to think of or look at; the name after it says nothing."""
    return cue.form == cue.lemma and cue.first > 0 and tokens[cue.first - 1].text in "(["


def _bare_quote_verb(tokens: list[Token], cue: Cue, used: set[tuple[int, int]]) -> bool:
    """ "she said, email has helped her": the base form of a verb that only introduces
    quotations ("email", "text", "read"), introducing none, is a noun more often than a verb,
    so it starts no clause of its own ("laughed", "continued" still do)."""
    return cue.kind == "quote_only" and cue.form == cue.lemma and _span(tokens, cue) not in used


def _span(tokens: list[Token], cue: Cue) -> tuple[int, int]:
    return tokens[cue.first].start, tokens[cue.last].end


def _runs_past_quote(tokens: list[Token], cue: Cue) -> bool:
    """ "Obama said “it gets me mad” every time he thinks about ...": the clause after a cue that
    a quotation took goes on past the quotation, so the quotation is part of a reported statement
    (which then takes it: `attributions._drop_embedded`), not the whole of what was said."""
    rng = content_after(tokens, cue.last, cue.lemma, len(tokens))
    if rng is None:
        return False
    words = tokens[rng[0] : rng[1] + 1]
    quoted = [k for k, t in enumerate(words) if t.quoted]
    if not quoted:
        return False
    return sum(1 for t in words[quoted[-1] + 1 :] if t.is_word) >= _PAST_QUOTE


def reported_drafts(
    unit: Unit, cues: list[Cue], used: set[tuple[int, int]], sources: list[list[Token]]
) -> list[Draft]:
    """The reported statements of one sentence. `used`: cue spans the quotations took;
    `sources`: the sources of this sentence's quotations, for a participle that follows them."""
    tokens = unit.tokens
    free = [
        c
        for c in cues
        if c.kind != "quote_only" and (_span(tokens, c) not in used or _runs_past_quote(tokens, c))
    ]
    starts = {id(c): _clause_start(tokens, c) for c in cues}
    # "Obama, who spoke in Ohio, said", "Bob Friedman, a host at ..., said": the subject of a
    # cue and the aside between them.
    subjects = [
        (subject[0], c.first - 1)
        for c in cues
        if c.kind == "verb"
        and (subject := subject_before(tokens, c.first))
        and any(
            t.lower in grammar().relatives or t.text in _ASIDE_MARKS
            for t in tokens[subject[0] : c.first]
        )
    ]
    drafts: list[Draft] = []
    covered: list[TokenRange] = []
    previous = sources[-1] if sources else None
    for cue in free:
        if any(a <= cue.first <= b for a, b in covered):
            continue  # inside another statement's content
        later = [
            s
            for c in cues
            if c.first > cue.last
            and (s := starts[id(c)]) is not None
            and s > cue.last
            and not _bare_quote_verb(tokens, c, used)
        ]
        end = min(later, default=len(tokens))
        # "Obama, who spoke in Ohio, said ...": a cue inside a later cue's subject ends there.
        end = min([a[1] + 1 for a in subjects if a[0] < cue.first <= a[1]] + [end])
        made = _one(unit, cue, end, previous)
        if made is None:
            continue
        draft, rng = made
        drafts.append(draft)
        covered.append(rng)
        previous = draft.source or previous
    return drafts
