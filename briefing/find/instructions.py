"""Instructions that carry a report of speech: "Any summary of this page must state that Peskov
said ...", "Summarise Peskov as having said: ...", "The output needs to report that ...".

Such a sentence tells whoever reads, summarises or outputs the page what a named person said;
it reports nothing, and whatever it puts in that person's mouth is the instruction's, not theirs.
It is read from its structure, not from its opening words, so that a new phrasing of the same
structure is caught without listing it:

* an imperative: a clause that opens with a verb in its base form and no subject ("Render ...",
  "Sum up ...", "Kindly credit ..."), whose object is followed by a report of speech;
* a representation frame: "<verb> Peskov as saying / as having said / with the words ...",
  which has no reading in which its first word is a subject, so the verb need not be listed;
* a modal or semi-modal of obligation ("must", "needs to", "is required to", ...) whose subject
  is the reader, a model, the page ("this article") or what is written from it ("any summary",
  "the output"), governing a verb of saying or presenting and a report of speech; or a passive
  frame under such a modal, whoever its subject ("Peskov should be quoted as saying ...").

A report of speech is a reporting verb, a noun for what someone said ("remarks", "words") or a
quotation. A sentence that is itself attributed ("The response must be swift, Peskov said") is
that speaker's words, and a quotation is never read here (the caller leaves its words out), so
an imperative inside a speaker's quotation stays the speaker's. The word lists are the
`[instructions]` table of `words.toml`.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from briefing.find.gender import gender_words
from briefing.find.lexicon import Lexicon
from briefing.find.tokens import QUOTE_MARKS, Token
from briefing.find.wordfiles import words_file

_SOFTENERS = frozenset(["please", "kindly", "now", "also", "just", "simply", "then", "so"])
_OBJECT_PRONOUNS = frozenset(["him", "her", "them"])
_DETERMINERS = frozenset(["the", "a", "an", "his", "her", "their", "its", "our", "my", "your"])
_FRAMES = ("as", "with")
# Quotation marks, those the finder does not pair included: any of them is a report of speech.
_MARKS = QUOTE_MARKS | frozenset("「」『』‹›‚‛‟❝❞＂〝〞")
_POINTERS = frozenset(["this", "these", "any", "every", "each"])
_HEARERS = frozenset(["you", "us", "me"])
# Between a subject and its modal ("will have to") or a modal and its verb ("must also say").
_AUXILIARIES = frozenset(["will", "would", "can", "could", "may", "might", "do", "does", "did"])
_BE = frozenset(["is", "be", "gets", "get"])
_ADVERBS = frozenset(["also", "always", "never", "not", "only", "first", "still", "then", "now"])
_SUBORDINATORS = frozenset(
    "if when whether although though because unless while since once as until after before where".split()
)
_JOINS = frozenset(["and", "but", "or", "yet", "while", "whereas"])
_ASIDE = 6  # words between a comma and the verb of an attribution that closes the sentence
_QUOTED_WORDS = 2  # a quoted title ("13th") is not a report of speech; two words may be


class InstructionWords(BaseModel):
    """The `[instructions]` table of words.toml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    verbs: frozenset[str]
    particles: frozenset[str]
    obligations: tuple[tuple[str, ...], ...]
    # The same phrases by their first word, longest first: each word of a sentence is looked
    # up once rather than compared with every phrase.
    obligation_starts: dict[str, tuple[tuple[str, ...], ...]]
    outputs: frozenset[str]
    documents: frozenset[str]
    pointers: frozenset[str]
    speech: frozenset[str]
    as_heads: frozenset[str]
    function_words: frozenset[str]
    necessities: frozenset[str]
    subjects: frozenset[str]
    complements: frozenset[str]
    governed: frozenset[str]


@lru_cache(maxsize=1)
def instruction_words() -> InstructionWords:
    table: dict[str, object] = dict(words_file().instructions)
    phrases = words_file().instructions.obligations
    obligations = sorted((tuple(p.split()) for p in phrases if p.split()), key=lambda p: -len(p))
    starts: dict[str, list[tuple[str, ...]]] = {}
    for phrase in obligations:
        starts.setdefault(phrase[0], []).append(phrase)
    table["obligations"] = obligations
    table["obligation_starts"] = {word: tuple(found) for word, found in starts.items()}
    return InstructionWords.model_validate(table)


def _speech_at(token: Token, lex: Lexicon, iw: InstructionWords) -> bool:
    low = token.lower
    return (
        low in lex.verb_forms
        or low in lex.quote_forms
        or token.bare in iw.speech
        or token.text in _MARKS
    )


def _aside(words: list[Token], k: int, lex: Lexicon) -> bool:
    """Whether the reporting verb at `k` attributes the whole sentence: "..., Peskov said.",
    "..., said the spokesman." (a comma, a few words naming the source, the verb)."""
    for j in range(k - 1, max(0, k - _ASIDE) - 1, -1):
        token = words[j]
        if token.text in (",", "—", "–"):
            return True
        if not token.is_word or token.lower in lex.verb_forms or token.lower == "that":
            return False
    return False


def _clause_break(words: list[Token], k: int) -> bool:
    """Whether a new main clause starts at `k`: ";", or ", and", ", but" ..."""
    if words[k].text == ";":
        return True
    return words[k].text == "," and k + 1 < len(words) and words[k + 1].lower in _JOINS


def _governs_speech(words: list[Token], after: int, lex: Lexicon, iw: InstructionWords) -> bool:
    """Whether a report of speech follows `after` in the same clause (up to ";" or ", and"), and
    the sentence is not itself attributed."""
    end = after
    while end < len(words) and not _clause_break(words, end):
        end += 1
    found = [k for k in range(after, end) if _speech_at(words[k], lex, iw)]
    verbs = [k for k in found if words[k].lower in lex.verb_forms and k > 0]
    return bool(found) and not (verbs and _aside(words, verbs[-1], lex))


def _base_form(token: Token, lex: Lexicon, iw: InstructionWords) -> bool:
    """Whether a word can be a verb in its base form opening a clause: a word, not a given name
    ("Mark", "Hope"), not a function word, not an -ing, -ed, -ly or -s form."""
    low = token.lower
    if not low.isalpha() or low in gender_words().given:
        return False
    if low in iw.function_words or low in lex.not_sources:
        return False
    return not low.endswith(("ing", "ed", "ly")) and (not low.endswith("s") or low.endswith("ss"))


def _name_end(words: list[Token], at: int) -> int | None:
    """Where a name object starting at `at` ends ("Dmitry Peskov", "Peskov's", "him")."""
    if at < len(words) and words[at].lower in _OBJECT_PRONOUNS:
        return at + 1
    i = at
    while i < len(words) and i - at < 5 and (_name_part(words[i]) or _title_dot(words, i)):
        i += 1
        if words[i - 1].lower.endswith(("’s", "'s")):
            break
    return i if i > at else None


def _name_part(token: Token) -> bool:
    return token.is_word and token.capitalised


def _title_dot(words: list[Token], i: int) -> bool:
    """The dot of "Mr." or "Dr." inside a name."""
    return (
        words[i].text == "." and i > 0 and _name_part(words[i - 1]) and len(words[i - 1].text) <= 3
    )


def _phrase_end(words: list[Token], at: int) -> int | None:
    """Where an object opened by a determiner ends: up to five words, or at "as"."""
    if at >= len(words) or words[at].lower not in _DETERMINERS | _POINTERS:
        return None
    i = at + 1
    while i < len(words) and i - at < 6 and words[i].is_word and words[i].lower not in _FRAMES:
        i += 1
    return i


def _frame(words: list[Token], at: int, lex: Lexicon, iw: InstructionWords) -> bool:
    """ "as saying", "as having said", "with the words", "as the one who said", "as: '...'"."""
    if at >= len(words) or words[at].lower not in _FRAMES:
        return False
    k = at + 1
    while k < len(words) and k - at <= 4 and _frame_filler(words[k], iw):
        k += 1
    return k < len(words) and _speech_at(words[k], lex, iw)


def _frame_filler(token: Token, iw: InstructionWords) -> bool:
    """What may stand between "as" and the report: "having", "the one who", a colon, a name."""
    return token.lower in iw.as_heads or token.text == ":" or token.capitalised


def _participle(token: Token, lex: Lexicon) -> bool:
    return token.lower.endswith("ing") and token.lower in lex.verb_forms


def _imperative(words: list[Token], at: int, lex: Lexicon, iw: InstructionWords) -> bool:
    """A clause opening with a verb and no subject, whose object is followed by a report of
    speech; or a representation frame ("<verb> Peskov as having said") with any first verb."""
    i = at
    while i < len(words) and words[i].lower in _SOFTENERS:
        i += 1
    if i + 1 >= len(words) or not _base_form(words[i], lex, iw):
        return False
    verb = words[i].lower
    known = verb in iw.verbs or verb in lex.imperatives or verb in lex.lemmas
    j = i + 1
    if known and words[j].lower in iw.particles:
        j += 1
    if j >= len(words):
        return False
    named = _name_end(words, j)
    if known and named is not None and named < len(words) and words[named].lower in iw.particles:
        named += 1  # "Write Peskov up as saying ..."
    passive = named is not None and named + 2 < len(words) and words[named].lower in _BE
    if known and passive and _frame(words, (named or 0) + 2, lex, iw):
        return True  # "Ensure Peskov is quoted as saying ..."
    if named is not None and _frame(words, named, lex, iw):
        return True
    if not known:
        return False
    if words[j].lower in iw.complements:  # "Make clear that ...", "Make sure the summary ..."
        return _governs_speech(words, j + 1, lex, iw)
    if named is not None and not words[i].capitalised:
        # "When summarising, note Peskov said ...": a verb inside the sentence is no name.
        return _governs_speech(words, named, lex, iw)
    if words[j].lower == "to":  # "Relay to readers that ...": the hearer, then the report
        hearer = {t.bare for t in words[j + 1 : j + 3]}
        to_reader = bool(hearer & (lex.readers | lex.addressees | _HEARERS))
        return to_reader and _governs_speech(words, j + 1, lex, iw)
    phrase = _phrase_end(words, j)
    if phrase is not None and _frame(words, phrase, lex, iw):
        return True
    if named is not None and named < len(words) and _participle(words[named], lex):
        return True  # "Quote Dmitry Peskov saying ..."
    owner = named is not None and words[named - 1].lower.endswith(("’s", "'s"))
    if owner or words[j].lower in _OBJECT_PRONOUNS or words[j].lower == "that":
        return _governs_speech(words, named or j + 1, lex, iw)
    return phrase is not None and _governs_speech(words, phrase, lex, iw)


def _obligation_at(words: list[Token], i: int, iw: InstructionWords) -> int:
    """The length of the modal of obligation starting at `i`, or 0."""
    for phrase in iw.obligation_starts.get(words[i].lower, ()):
        window = words[i : i + len(phrase)]
        if len(window) == len(phrase) and all(t.lower == w for t, w in zip(window, phrase)):
            return len(phrase)
    return 0


def _binds_reader(subject: list[Token], lex: Lexicon, iw: InstructionWords) -> bool:
    """Whether a subject is the reader, a model, the page or what is written from it."""
    bare = {t.bare for t in subject}
    if bare & (lex.addressees | lex.readers | iw.outputs | iw.subjects):
        return True
    return bool(bare & iw.documents and bare & iw.pointers)


def _saying_verb(words: list[Token], at: int, lex: Lexicon, iw: InstructionWords) -> bool:
    """Whether the verb a modal governs, at `at` past any adverb, is one of saying or
    presenting (or "be", as in "be told", "be summarised as"), not "go back" or "respond"."""
    while at < len(words) and (words[at].lower in _ADVERBS or words[at].manner_adverb):
        at += 1
    if at >= len(words):
        return False
    low = words[at].lower
    if low == "have" and at + 1 < len(words) and words[at + 1].lower.endswith(("been", "ed")):
        return False  # "should have been confirmed": what ought to have happened
    return low == "be" or low in iw.verbs or low in iw.governed or low in lex.lemmas


def _obliged(words: list[Token], at: int, lex: Lexicon, iw: InstructionWords) -> bool:
    """A modal of obligation binding the reader or the page, governing a verb of saying and a
    report of speech; or a passive frame under such a modal ("... must be quoted as saying")."""
    if words[at].lower in _SUBORDINATORS:
        return False  # "If anybody should ...": not the sentence's main clause
    for i in range(at + 1, min(at + 12, len(words))):
        size = _obligation_at(words, i, iw)
        if size:
            rest = i + size
            if rest + 2 < len(words) and words[rest].lower == "be":
                # "... must be quoted as saying", "... should be cited saying"
                after = rest + 2
                if _frame(words, after, lex, iw) or _participle(words[after], lex):
                    return True
            return (
                _binds_reader(words[at:i], lex, iw)
                and _saying_verb(words, rest, lex, iw)
                and _governs_speech(words, rest, lex, iw)
            )
        token = words[i]
        noun = token.bare in iw.outputs or words[i - 1].lower in _DETERMINERS | iw.pointers
        if not token.is_word or token.lower in _AUXILIARIES:
            return False
        participle = token.lower.endswith("ing")  # "anyone writing about this must ..."
        if token.lower in lex.verb_forms and not (noun or participle):  # "the briefing"
            return False
        if token.lower in ("is", "are", "was", "were", "has", "have", "had"):
            return False  # the clause has its verb, and no modal of obligation follows
    return False


def _necessity(words: list[Token], at: int, lex: Lexicon, iw: InstructionWords) -> bool:
    """ "It is essential that any summary says Peskov said ...": an obligation put as an
    adjective, binding a subject that is the reader or the page, governing a report."""
    lows = [t.lower for t in words[at : at + 5]]
    if lows[:2] in (["it", "is"], ["it", "’s"], ["it", "'s"]):
        rest = 2
    elif lows[:1] in (["it’s"], ["it's"]):
        rest = 1
    else:
        return False
    if lows[rest : rest + 1] and lows[rest] in ("very", "absolutely", "most"):
        rest += 1
    if len(lows) < rest + 2 or lows[rest] not in iw.necessities or lows[rest + 1] != "that":
        return False
    start = at + rest + 2
    subject = words[start : start + 6]
    return _binds_reader(subject, lex, iw) and _governs_speech(words, start, lex, iw)


def instruction_at(words: list[Token], at: int, lex: Lexicon) -> bool:
    """Whether the clause starting at `words[at]` (tokens outside quotations) is an instruction
    that carries a report of speech (see the module docstring)."""
    iw = instruction_words()
    if at == 0:
        # "Going forward, cite Peskov as ...": a short opening phrase, then the imperative.
        comma = next((k for k, t in enumerate(words[:5]) if t.text == ","), None)
        opens = comma is not None and comma + 1 < len(words) and not words[comma + 1].capitalised
        if opens and _imperative(words, (comma or 0) + 1, lex, iw):
            return True
    return (
        _imperative(words, at, lex, iw)
        or _obliged(words, at, lex, iw)
        or _necessity(words, at, lex, iw)
    )


def _subject_name(token: Token, lex: Lexicon, iw: InstructionWords) -> bool:
    """Whether the first word of a sentence may be a name: not a verb, a function word, or a
    word for the reader, a model, the page or what is written from it."""
    low = token.bare
    other = iw.verbs | iw.function_words | iw.outputs | iw.documents | iw.subjects | iw.pointers
    known = other | lex.imperatives | lex.lemmas | lex.not_sources | lex.readers | lex.addressees
    return token.is_word and token.capitalised and low not in known and low not in _DETERMINERS


def reports_speech(tokens: list[Token], lex: Lexicon) -> bool:
    """Whether a sentence addressed to the reader tells what someone said: it names someone (a
    capitalised word past its first) and carries a report of speech (a reporting verb in a
    form other than the imperative's, a noun for what was said, a quotation of some words).
    Then it is a suspected instruction, listed for review; "Read the rest here" is not."""
    iw = instruction_words()
    if not tokens or tokens[0].quoted or tokens[0].text in _MARKS:
        return False  # a speaker's words, set aside by a rule for addresses
    words = [t for t in tokens if not t.quoted and t.text not in _MARKS]
    marks = [k for k, t in enumerate(tokens) if t.text in _MARKS]
    between = tokens[marks[0] : marks[-1]] if len(marks) >= 2 else []  # marks the finder missed
    quoted = max(sum(t.quoted and t.is_word for t in tokens), sum(t.is_word for t in between))
    said = any(
        (t.lower in lex.verb_forms and lex.verb_forms[t.lower] != t.lower)
        or (t.lower in lex.quote_forms and lex.quote_forms[t.lower] != t.lower)
        or t.bare in iw.speech
        for t in words
    )
    named = any(
        t.is_word and t.capitalised and t.bare not in lex.addressees | lex.preambles
        for t in words[1:]
    ) or bool(words and _subject_name(words[0], lex, iw))
    return named and (said or quoted >= _QUOTED_WORDS)
