"""Which of the finder's attributions can be an actor's position, before the model is asked.

The finder reports every attribution, as PolNeAR annotators do; a briefing shows what actors
hold. Some attributions are no one's position, and the model, asked, calls nearly every
attributed statement one. So the program sets them aside by their structure
(`briefing/rules/positions.toml`, data, not code) and never sends them:

* the writer's reading of a thing: an evidential verb whose subject is no one ("The statement
  suggests that ...", "Peskov's remarks underscore ...": the head is "remarks", not Peskov);
* a thing that speaks with no actor behind it ("a draft document proposing ...", "amid reports
  that ..."): the model must not guess who;
* a topic, not a view: "discussed the progress of the talks", "commented on reports that ...";
* what was not said: a verb of saying negated ("officials have not said that ...", "he did not
  confirm ..."); a denial ("X denied that ...") and a negated view ("does not support") stay;
* a question put ("asked whether ...", a reported content ending in "?"); a question in quoted
  words stays, since a rhetorical question is how speakers state positions;
* a short noun phrase with no verb ("he mentioned climate change", "outlined his plan"), unless
  the cue takes sides ("the union endorses Clinton": the object is the position).
* the writer's own words: a source "I", "we", "you" or "it's worth" outside quotation marks (an
  opinion column, an open letter); no name of the article may be given them;
* a short content that only points back ("defended the remark", "mocked the complaint"), whatever
  the cue: briefed, it would read "reported: the remark";
* a schedule ("will visit Florida on Friday", "plans to release its analysis next week");
* a news outlet's report ("The New York Times reported that ...") and a finding ("a new poll
  found ...", "the study estimates ..."): facts someone found, not anyone's view.

Then `briefing.extract.narration` sets aside the writer's narration, a relay or a record (a
people as source, an outlet's print, a lyric, "what X says", "offered no proof", ...).

Quotations are set aside only as a people's saying, an outlet's print or a lyric: a short
quoted phrase ("a very positive signal") or a quoted question is the speaker's own words, and
usually their view.

Every rule reads the structure around the cue (the source's head word, the cue's lemma, a
negation before it, the content's first word, its verbs and its length), so it holds in any
English news article.
"""

from __future__ import annotations

import re

from briefing.extract.narration import direct_narration, narration
from briefing.extract.worth_rules import WorthRules, load_rules
from briefing.find import Candidate
from briefing.find.extent import infinitive
from briefing.find.lexicon import grammar, lexicon
from briefing.find.speakers import START_WORDS
from briefing.find.tokens import tokenize

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_POSSESSIVE = re.compile(r"['’]s?$")
# A source's head phrase ends where a complement or an apposition starts.
_COMPLEMENT = frozenset("of from by with in at for on about to that who which".split())


_QUANTIFIERS = frozenset(
    "one some many several most all none each either neither few both two three four five half".split()
)
_AUXILIARY = re.compile(
    r"^(?:do|does|did|is|are|was|were|has|have|had|will|would|can|could)(?:n['’]t)?$|.*n['’]t$"
)


def source_head(source: str) -> str:
    """The head word of a source phrase: the last word before a complement or an apposition,
    and after a possessive ("the Kremlin's remarks on X" -> "remarks"; "Russia's Defense
    Ministry" -> "Ministry"); the possessor itself when nothing follows it."""
    words = _WORD.findall(source.split(",")[0])
    head: list[str] = []
    for word in words:
        low = word.casefold()
        if head and low == "of" and len(head) == 1 and head[0].casefold() in _QUANTIFIERS:
            head = []  # "one of the advisers": the advisers
            continue
        if head and low in _COMPLEMENT:
            break
        head.append(word)
    while len(head) > 1 and _AUXILIARY.match(head[-1].casefold()):
        head.pop()  # "He didn't", "Trump has"
    for i in range(len(head) - 1, -1, -1):
        if _POSSESSIVE.search(head[i]) and i + 1 < len(head):
            head = head[i + 1 :]
            break
    return _POSSESSIVE.sub("", head[-1]) if head else ""


def is_actor_word(word: str, rules: WorthRules) -> bool:
    """Whether a source's head word can name someone: a capitalised word (a name, an
    institution), a role, a group of people, an institution noun or a personal pronoun."""
    if not word:
        return False
    lower = word.casefold()
    if lower in rules.things:
        return False
    if word[0].isupper():
        return True
    # "officers", "witnesses": the plural of a role or a people noun is people too
    return bool(_singulars(lower) & rules.actors)


def _singulars(word: str) -> set[str]:
    """A noun and the singulars it may be the plural of ("countries" -> "country")."""
    if not word.endswith("s"):
        return {word}
    return {word, word[:-1], word[:-2], word[:-3] + "y"}


def is_thing_word(word: str, rules: WorthRules) -> bool:
    """Whether a source's head names a thing that carries words (a statement, a report, a
    letter) or is no noun at all ("amid" in "amid reports that ..."): never an actor."""
    lower = word.casefold()
    return not word or lower in START_WORDS or bool(_singulars(lower) & rules.things)


def _first_word(text: str, span: tuple[int, int] | None) -> str:
    if span is None:
        return ""
    found = _WORD.search(text[span[0] : span[1]])
    return found.group(0).casefold() if found else ""


def _infinitive(text: str, span: tuple[int, int]) -> bool:
    """Whether the content is an infinitive ("to lift the regulations": what was promised),
    not a prepositional phrase ("to questions about ...": what was answered)."""
    tokens = tokenize(text, span[0], span[1], [])
    return bool(tokens) and infinitive(tokens, 0, len(tokens))


def _cue_lemmas(text: str, cue: tuple[int, int] | None, rules: WorthRules) -> set[str]:
    """The cue's words as lemmas, and its phrases from the first word ("called for" -> "call",
    "call for")."""
    if cue is None:
        return set()
    words = [w.casefold() for w in _WORD.findall(text[cue[0] : cue[1]])]
    if not words:
        return set()
    first = rules.lemmas.get(words[0], words[0])
    phrases = {" ".join([first, *words[1:k]]) for k in range(1, len(words) + 1)}
    return phrases | {rules.lemmas.get(w, w) for w in words}


_RELATIVE = frozenset(["who", "which", "that", "whom", "whose"])
_CLAUSE_STOP = re.compile(r"[.;:!?,()\n“”\"—–]")


def _negated(text: str, candidate: Candidate, rules: WorthRules) -> bool:
    """Whether a negation stands between the cue and the start of its clause or its source
    ("officials have not said", "he didn't say", "no one has claimed"); not one in a relative
    clause before ("defended not paying an architect who said ...")."""
    assert candidate.cue is not None
    cue = candidate.cue[0]
    source = candidate.source
    start = max(0, cue - 80)
    if source is not None and start < source[0] < cue:
        start = source[0]
    before = text[start:cue]
    stops = list(_CLAUSE_STOP.finditer(before))
    before = before[stops[-1].end() :] if stops else before
    words = [w.casefold() for w in _WORD.findall(before)]
    for k in range(len(words) - 1, -1, -1):
        if words[k] in _RELATIVE:
            words = words[k + 1 :]
            break
    return any(w in rules.negations or w.endswith(("n't", "n’t")) for w in words)


def _a_question(text: str, candidate: Candidate, cue: set[str], rules: WorthRules) -> bool:
    """Whether the content is a question: put by a verb of asking ("asked whether ..."), or
    ending in a question mark."""
    first = _first_word(text, candidate.content[0])
    if cue & rules.questions and first in rules.openers:
        return True
    if any(mark in text[s:e] for s, e in candidate.content for mark in '"“”'):
        return False  # a question in quoted words is the speaker's own, often rhetorical
    end = candidate.content[-1][1]
    after = text[end : end + 4].lstrip(" \"'”’)")
    return text[candidate.content[-1][0] : end].rstrip(" \"'”’").endswith("?") or after[:1] == "?"


def _verbless(text: str, candidate: Candidate, rules: WorthRules, limit: int = 0) -> bool:
    """Whether a reported content is a short noun phrase: no verb the finder knows, no
    auxiliary, clause opener, subject pronoun, infinitive or quoted words ("his cybersecurity
    plan", "climate change", "the matter"), in at most `limit` words (`max_words` unless
    given)."""
    content = " ".join(text[s:e] for s, e in candidate.content)
    words = _WORD.findall(content)
    unquoted = re.sub(r"(?<=\w)[’'](?=\w)", "", content)  # "the governor’s": no quotation
    if len(words) > (limit or rules.max_words) or any(mark in unquoted for mark in '"“”‘’'):
        return False
    lex = lexicon()
    for i, word in enumerate(words):
        low = word.casefold()
        if (
            low in grammar().auxiliaries
            or low in rules.clause_words
            or low.endswith(("n't", "n’t"))
        ):
            return False
        if word[0].isupper():
            continue
        if len(low) > 4 and low.endswith(("ed", "ing")):
            return False  # a participle, or an adjective or noun that looks like one: kept
        if low == "to" and i + 1 < len(words) and not words[i + 1][0].isupper():
            return False  # "plans to visit": an infinitive
        # "his cybersecurity plan": a verb form that is also a noun, after a lower-case word
        # ("Bill Clinton’s comments": after a possessive too)
        noun = (
            low in lex.also_nouns
            and i > 0
            and (words[i - 1].islower() or bool(_POSSESSIVE.search(words[i - 1])))
        )
        if (low in lex.verb_forms or low in lex.quote_forms) and not noun:
            return False
    return True


def not_a_position(text: str, candidate: Candidate, rules: WorthRules | None = None) -> str | None:
    """Why a candidate cannot be an actor's position, or None when it can."""
    rules = rules or load_rules()
    lemmas = _cue_lemmas(text, candidate.cue, rules)
    aside = direct_narration(text, candidate, rules, lemmas)
    if aside is not None or candidate.kind != "reported":
        return aside  # a quotation is someone's words; who says them is the finder's business
    if _the_writer(text, candidate, rules):
        return "the writer's own words ('I', 'we' outside quotation marks), no actor's"
    cue = _first_word(text, candidate.cue)
    content = _first_word(text, candidate.content[0] if candidate.content else None)
    if content in rules.prepositions and not _infinitive(text, candidate.content[0]):
        return "names what was talked about, not what was said"
    if cue in rules.topic_only:
        return "reports a subject of talks, not a view"
    reason = _no_actor(text, candidate, cue, rules)
    if reason is not None:
        return reason
    if lemmas & rules.outlet_cues and _an_outlet(text, candidate, rules):
        return "a news outlet's report of facts, not a view"
    if candidate.cue is not None and lemmas & rules.negated and _negated(text, candidate, rules):
        return "reports what was not said: the cue is negated"
    if _a_question(text, candidate, lemmas, rules):
        return "a question put, not a position"
    said = " ".join(text[s:e] for s, e in candidate.content)
    words = _WORD.findall(said)
    if len(words) == 1 and words[0].casefold() in rules.particles:
        return "the verb's particle ('backed out'), not a statement"
    # "weren't concerned about this shift": a feeling about a thing is a view of it
    taking_sides = lemmas & rules.side_verbs or lemmas & lexicon().adjectives
    # "warned of an economic war": a content opening with a preposition is left to the rule above
    exempt = candidate.cue is None or content == "of" or taking_sides
    if not exempt and _verbless(text, candidate, rules):
        return "a noun phrase, not a statement: names what was said about"
    if _refers_back(said, words, rules):
        return "refers back to what was said ('defended the remark'), says nothing itself"
    if _a_schedule(said, rules):
        return "a schedule ('will visit ... on Friday'), not a view"
    verbless = not taking_sides and _verbless(text, candidate, rules, limit=40)
    return narration(text, candidate, rules, lemmas, verbless)


def _quoted_at(text: str, at: int) -> bool:
    """Whether a position lies inside quotation marks opened earlier in its paragraph."""
    start = text.rfind("\n", 0, at) + 1
    before = text[start:at]
    # parity, not balance: some outlets open a quotation with a closing mark (”I am ...)
    curly = before.count("“") + before.count("”")
    return curly % 2 == 1 or before.count('"') % 2 == 1 or before.count("''") % 2 == 1


def _the_writer(text: str, candidate: Candidate, rules: WorthRules) -> bool:
    """Whether a reported statement's source is the writer: "I", "we", "you" (the reader or
    the addressee of an open letter) or "it's worth", outside quotation marks."""
    if candidate.source is None:
        return False
    source = " ".join(text[candidate.source[0] : candidate.source[1]].split()).casefold()
    return source in rules.writer and not _quoted_at(text, candidate.source[0])


def _an_outlet(text: str, candidate: Candidate, rules: WorthRules) -> bool:
    """Whether the source is a news organisation: it names one, or its head is a word for one
    ("the newspaper", "a new report by Politico")."""
    if candidate.source is None:
        return False
    source = text[candidate.source[0] : candidate.source[1]]
    found = rules.outlet_names.search(source)
    if found is not None and found.group(0)[0].isupper():
        return True  # "Times" or "Post" alone must be written as a name, not "times" or "post"
    return source_head(source).casefold() in rules.outlet_nouns


def _refers_back(said: str, words: list[str], rules: WorthRules) -> bool:
    """Whether a short content (`said`, its `words`) only points back to something said: "the
    remark", "his comments", "it"; not one that names someone ("the Clinton plan") or quotes
    words."""
    if (
        not words
        or len(words) > rules.anaphoric_words
        or words[0].casefold() not in rules.anaphoric
    ):
        return False
    if any(mark in said for mark in '"“”‘’'):
        return False
    return not any(w[0].isupper() for w in words[1:])


def _a_schedule(said: str, rules: WorthRules) -> bool:
    """Whether the content is an appointment: a verb of a public act right after "will" or
    "to", and a word of time ("will visit Florida on Friday", "to release it next week")."""
    if any(mark in said for mark in '"“”'):
        return False
    words = [w.casefold() for w in re.findall(r"[\w'’]+", said)]
    if len(words) > rules.schedule_words:
        return False
    acts = any(
        w in rules.schedule_verbs and i > 0 and words[i - 1] in rules.schedule_markers
        for i, w in enumerate(words)
    )
    if not acts:
        return False
    joined = " " + " ".join(words) + " "
    return any(f" {t} " in joined for t in rules.schedule_times)


def _no_actor(text: str, candidate: Candidate, cue: str, rules: WorthRules) -> str | None:
    """Why a statement has no actor behind it: the writer's reading, a thing speaking."""
    if candidate.resolution == "pronoun" or candidate.source is None:
        return None
    head = source_head(text[candidate.source[0] : candidate.source[1]])
    if is_actor_word(head, rules):
        return None
    if cue in rules.evidential:
        return "the writer's reading of what a thing shows, not anyone's statement"
    if candidate.resolution == "unresolved" and is_thing_word(head, rules):
        return "a thing speaks, with no actor the article names behind it"
    return None
