"""Who the actors of an article are: the people and institutions it names, and their roles.

This module owns the registry speaker resolution (`briefing.find.resolve`) looks actors up in.
It reads the article for the people and institutions it names (`Registry`): capitalised runs of words, split into a role and a name ("British Prime
Minister Keir Starmer" is a person, "Keir Starmer", with the role "british prime minister"; "Dmitry
Peskov, the Kremlin spokesman," gives Peskov the role "kremlin spokesman"), and institutions by
their head word ("Russia's Foreign Ministry"). A source span is then resolved (in `resolve`):

* a name: "Peskov" -> the fullest name the article gives him ("Dmitry Peskov");
* an institution: "the Kremlin", "Russia's Foreign Ministry";
* a role noun: "the Kremlin spokesman" -> the person the article named with that role, "the
  ministry" -> the ministry named last before it;
* a pronoun: "he" / "she" -> the nearest earlier person speaker or named person, "they" / "it" ->
  the nearest earlier institution (or group) speaker;
* otherwise unresolved ("sources", "officials", "a spokesman" never named): speaker None.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from briefing.find.gender import gender_words
from briefing.find.lexicon import Lexicon, lexicon
from briefing.find.tokens import QUOTE_MARKS, Layout, Token
from briefing.text.names import SUFFIXES

Resolution = Literal["name", "role", "institution", "pronoun", "unresolved"]
Kind = Literal["person", "institution", "group"]

_CONNECTORS = frozenset(
    ["de", "da", "del", "der", "van", "von", "bin", "al", "la", "le", "du", "di", "ibn"]
)
TITLES = frozenset("mr mrs ms mx dr prof sen rep gov gen lt col capt sgt adm rev sir dame".split())
START_WORDS = frozenset(
    (
        "the a an but and in on at after before when while as if for with from by since during "
        "despite amid meanwhile however then also still asked speaking according this that these "
        "those its his her their our my we i it they he she there here what who why how "
        "although though because unless until whereas whether once"
    ).split()
)
# Characters before a bare surname within which the person last named with it is the one meant,
# when two people share it ("Jeh Johnson" just named, "Gary Johnson" named far before).
SHARED_NAME_REACH = 1000
GENERIC = frozenset(
    (
        "sources source officials people analysts experts critics observers residents witnesses "
        "others some many several diplomats lawmakers voters supporters opponents aides"
    ).split()
)


@dataclass(frozen=True)
class Mention:
    """A place where the text names a possible speaker: a person, an institution or a group,
    with the words as written and any role next to a person's name."""

    start: int  # character offsets of the words naming the actor
    end: int
    kind: Kind
    name: str  # as the article writes it, without a leading "the" or a title
    role: str = ""  # lower-cased role words next to a person's name ("kremlin spokesman")
    quoted: bool = False

    @property
    def head(self) -> str:
        words = [w.lower().rstrip(".,") for w in self.name.split()]
        while len(words) > 1 and words[-1] in SUFFIXES:
            words.pop()  # "Joseph R. Biden Jr." is a Biden
        return words[-1].removesuffix("’s").removesuffix("'s") if words else ""


@dataclass(frozen=True)
class Speaker:
    name: str | None
    resolution: Resolution
    kind: Kind | None = None
    at: int = 0  # where the source is, for pronouns that point back to it


def bare_name(text: str) -> str:
    return text.removesuffix("’s").removesuffix("'s").removesuffix("’").strip()


def _runs(tokens: list[Token]) -> list[list[Token]]:
    """Capitalised runs of words ("Kremlin", "Dmitry Peskov", "Donald J. Trump")."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    for i, token in enumerate(tokens):
        joins = token.is_word and (token.capitalised or (current and token.lower in _CONNECTORS))
        initial_stop = (
            token.text == "." and current and len(current[-1].text) == 1 and current[-1].capitalised
        )
        if joins and not (
            current
            and current[-1].lower.endswith(("’s", "'s"))
            and not _institution_ahead(tokens, i)
        ):
            current.append(token)
        elif initial_stop:
            continue
        else:
            if current:
                runs.append(current)
            current = [token] if joins else []
    if current:
        runs.append(current)
    return runs


def _institution_ahead(tokens: list[Token], i: int) -> bool:
    """Whether the capitalised words from `i` end in an institution head ("Russia's [Foreign
    Ministry]"), so the possessive before them stays part of the name."""
    lex = lexicon()
    while i < len(tokens) and tokens[i].is_word and tokens[i].capitalised:
        if tokens[i].bare in lex.institutions:
            return True
        i += 1
    return False


# Prepositions after which a capitalised name is where something happens, not who acts.
PLACE_PREPOSITIONS = frozenset(["in", "at"])


def _after_place_preposition(tokens: list[Token], first: int) -> bool:
    """Whether the name starting at token `first` is the object of "in" or "at" ("In
    Cleveland, ...", "at the White House")."""
    k = first - 1
    while k >= 0 and tokens[k].lower in ("the", "downtown", "suburban", "rural"):
        k -= 1
    return k >= 0 and tokens[k].lower in PLACE_PREPOSITIONS


def _role_before(tokens: list[Token], first: int, lex: Lexicon) -> str:
    """Role words just before a name: "Kremlin spokesman [Dmitry Peskov]"."""
    words: list[str] = []
    k = first - 1
    while k >= 0 and first - k <= 5 and tokens[k].is_word and not tokens[k].quoted:
        low = tokens[k].bare
        if low in lex.roles or tokens[k].capitalised or (words and low not in START_WORDS):
            words.insert(0, low)
            k -= 1
        else:
            break
    return " ".join(words) if any(w in lex.roles for w in words) else ""


def _role_after(tokens: list[Token], last: int, lex: Lexicon) -> str:
    """An appositive role: "Dmitry Peskov, the Kremlin spokesman," (closed by a comma or the
    end of the sentence)."""
    if last + 2 >= len(tokens) or tokens[last + 1].text != ",":
        return ""
    opener = tokens[last + 2]
    if opener.lower not in ("the", "a", "an") and not opener.lower.endswith(("’s", "'s")):
        return ""
    words: list[str] = []
    for token in tokens[last + 3 : last + 10]:
        if not token.is_word:
            if token.text in (",", ".", ";") and words and words[-1] in lex.roles:
                return " ".join(words)
            return ""
        words.append(token.bare)
    return ""


def _opening(tokens: list[Token], i: int) -> bool:
    """Whether word `i` opens its sentence, a quotation or a bracket (capitalised there
    whatever it is)."""
    k = i - 1
    while k >= 0 and not tokens[k].is_word and tokens[k].text not in ",;:":
        if tokens[k].text in QUOTE_MARKS or tokens[k].text == "(":
            return True
        k -= 1
    return k < 0


def _common_openers(sentences: list[list[Token]], lex: Lexicon) -> set[int]:
    """The starts of capitalised words that are capitalised only because they open a sentence
    or a quotation: "Rather than ...", "Health worries ...", "Say Mexico demanded ...", words
    the article writes in lower case elsewhere and never capitalised inside a sentence. A word
    it also writes capitalised inside a sentence ("Trump said"), one with a capital inside
    ("McLenney", "FBI"), an institution's head word or one never written in lower case
    ("Melanie said", "Hillary Clinton said") stays a possible name."""
    inner: set[str] = set()
    lower: set[str] = set()
    openers: list[tuple[list[Token], int]] = []
    for tokens in sentences:
        for i, token in enumerate(tokens):
            if not token.is_word:
                continue
            if not token.capitalised:
                lower.add(token.bare)
            elif _opening(tokens, i):
                openers.append((tokens, i))
            else:
                inner.add(token.bare)
    found: set[int] = set()
    for tokens, i in openers:
        token = tokens[i]
        inner_capital = any(c.isupper() for c in token.text[1:])
        if token.bare in inner or inner_capital or token.bare in lex.institutions:
            continue  # "Trump", "FBI", "McLenney", "Anti-Trump", "Reuters": names anywhere
        if token.bare in lower:
            found.add(token.start)
        elif _gerund(token.bare):
            found.add(token.start)  # "Injecting Clinton's marital troubles ... is": a verb
    return found


MIN_MISSPELT = 6  # a shorter surname one letter off is another name ("Rubin", "Rubio")


def _shorter_form(short: str, full: str) -> bool:
    """Whether `short` is the last words of the longer name `full` ("Guajardo Villarreal" of
    "Ildefonso Guajardo Villarreal")."""
    a, b = short.lower().split(), full.lower().split()
    return len(a) < len(b) and b[-len(a) :] == a


def _one_edit(a: str, b: str) -> bool:
    """Whether two words of the same first letter differ by one letter added, dropped or
    changed ("mcclenney" / "mclenney", "wimes" / "wines")."""
    if a == b or a[:1] != b[:1] or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if long == short + "s":
        return False  # "Americans", "American": a plural, not a misspelling
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _gerund(word: str) -> bool:
    """A sentence-opening "-ing" word that is no given name: "Injecting", "Asking"; not
    "Irving" or "Sterling" (`[gender]` given names), nor a short word ("King", "Ming")."""
    low = word.lower()
    return len(low) > 6 and low.endswith("ing") and low not in gender_words().given


@dataclass
class Registry:
    """The people and institutions an article names, in text order."""

    text: str
    mentions: list[Mention] = field(default_factory=list)
    openers: set[int] = field(default_factory=set)  # starts of capitalised words not names
    sentences: list[tuple[int, str]] = field(default_factory=list)  # (start, first word)

    @classmethod
    def read(cls, layout: Layout) -> Registry:
        registry = cls(layout.text)
        lex = lexicon()
        units = [u for u in layout.units if u.excluded is None]
        # headings and captions name topics; an instruction names no speaker
        registry.openers = _common_openers([u.tokens for u in units], lex)
        firsts = (next((t.lower for t in u.tokens if t.is_word), "") for u in units)
        registry.sentences = [(u.start, word) for u, word in zip(units, firsts, strict=True)]
        for unit in units:
            for run in _runs(unit.tokens):
                registry._add_run(unit.tokens, run, lex)
        return registry

    def _add_run(self, tokens: list[Token], run: list[Token], lex: Lexicon) -> None:
        while run and (run[0].lower in START_WORDS or run[0].start in self.openers):
            run = run[1:]
        if not run or all(t.lower in lex.adverbial_words for t in run):
            return  # "On Wednesday", "Monday": a date, not an actor
        quoted = run[0].quoted
        titles = [i for i, t in enumerate(run) if t.bare in lex.roles or t.bare in TITLES]
        after_title = run[titles[-1] + 1 :] if titles else []
        named_person = bool(after_title) and not any(
            t.bare in lex.institutions for t in after_title
        )
        if not named_person and any(t.bare in lex.institutions for t in run):
            # "Russia's Foreign Ministry"; but "Kremlin Spokesman Dmitry Peskov" is a person.
            name = bare_name(self.text[run[0].start : run[-1].end])
            self.mentions.append(
                Mention(run[0].start, run[-1].end, "institution", name, "", quoted)
            )
            return
        name_tokens = run[titles[-1] + 1 :] if titles else run
        if not name_tokens or any(t.lower.endswith(("’s", "'s")) for t in name_tokens[:-1]):
            return
        first_index = tokens.index(name_tokens[0])
        last_index = tokens.index(name_tokens[-1])
        role = " ".join(t.bare for t in run[: titles[-1] + 1]) if titles else ""
        role = (
            role or _role_before(tokens, first_index, lex) or _role_after(tokens, last_index, lex)
        )
        if len(name_tokens) < 2 and not role:
            return  # one capitalised word: a place, a last name or a sentence start
        if not role and _after_place_preposition(tokens, tokens.index(run[0])):
            return  # "in Des Moines", "at Trump Tower": a place, never a person
        name = bare_name(self.text[name_tokens[0].start : name_tokens[-1].end])
        self.mentions.append(
            Mention(name_tokens[0].start, name_tokens[-1].end, "person", name, role, quoted)
        )

    # lookups --------------------------------------------------------------------------------

    def person(
        self,
        word: str,
        given: frozenset[str] = frozenset(),
        at: int | None = None,
        speakers: tuple[str, ...] = (),
    ) -> Mention | None:
        """The fullest person name containing `word` (last names first), most often named; a
        form the article writes outside quotation marks before one only quoted. `given`: the
        other name words the source writes ("jeh" of "Jeh Johnson"): a name holding one wins;
        when two people share the name word ("Jeh Johnson", "Gary Johnson") and the source does
        not tell them apart, the one who spoke last (`speakers`, in text order: "Former
        President Bill Clinton criticized ... 'It doesn't ...,' Clinton said" in an article that
        also names Hillary Clinton), else the one named last shortly before `at`."""
        word = word.lower()
        found = [m for m in self.mentions if m.kind == "person" and m.head == word]
        if not found:
            found = [
                m for m in self.mentions if m.kind == "person" and word in m.name.lower().split()
            ]
        if not found and len(word) >= MIN_MISSPELT:
            # the article's own misspelling: "McLenney" for the "Tyresha McClenney" it named
            found = [m for m in self.mentions if m.kind == "person" and _one_edit(m.head, word)]
            if len({m.head for m in found}) > 1:
                return None  # near two names: no guess
        if not found:
            return None
        # A form written only inside quotations ("Crooked Hillary Clinton" in Trump's tweet) is
        # someone else's words for the person: the article's own forms come first.
        found = [m for m in found if not m.quoted] or found
        found = [m for m in found if given & set(m.name.lower().split()[:-1])] or found
        # "Guajardo Villarreal" (of "Mr. Guajardo Villarreal") is a shorter form of "Ildefonso
        # Guajardo Villarreal", not a second person: only the fullest forms are people
        fullest = [m for m in found if not any(_shorter_form(m.name, o.name) for o in found)]
        firsts = {m.name.lower().split()[0] for m in fullest if len(m.name.split()) > 1}
        if len(firsts) > 1:
            spoke = [
                f for n in speakers for f in fullest if n == f.name or _shorter_form(n, f.name)
            ]
            if spoke:
                return spoke[-1]
        if len(firsts) > 1 and at is not None:
            # only a person named close before: "Bill Clinton" in the second paragraph does not
            # take every later "Clinton" of an article about Hillary Clinton
            earlier = [
                m
                for m in found
                if m.start < at and at - m.start < SHARED_NAME_REACH and len(m.name.split()) > 1
            ]
            if earlier:
                return max(earlier, key=lambda m: m.start)
        counts: dict[str, int] = {}
        for m in found:
            counts[m.name] = counts.get(m.name, 0) + 1
        best = max(found, key=lambda m: (len(m.name.split()), counts[m.name], -m.start))
        return best

    def with_role(self, head: str, words: set[str], before: int) -> Mention | None:
        """The person last named before `before` with a role whose head is `head` (and that has
        the other role words given, when any): "the Kremlin spokesman" -> Dmitry Peskov."""
        found = [
            m
            for m in self.mentions
            if m.kind == "person"
            and m.role
            and m.role.split()[-1] == head
            and words <= set(m.role.split())
        ]
        earlier = [m for m in found if m.start < before]
        pick = earlier[-1] if earlier else (found[0] if found else None)
        return self.person(pick.head) if pick else None

    def institution(self, head: str, words: set[str], before: int) -> Mention | None:
        """The institution with this head last named before `before` (the fullest form of it)."""
        found = [
            m
            for m in self.mentions
            if m.kind == "institution" and m.head == head and words <= set(m.name.lower().split())
        ]
        earlier = [m for m in found if m.start < before] or found
        if not earlier:
            return None
        last = earlier[-1]
        fuller = [m for m in found if m.name.lower().endswith(last.name.lower())]
        return max(fuller, key=lambda m: len(m.name))

    def nearest(
        self, kinds: set[str], before: int, keep: Callable[[Mention], bool] = lambda m: True
    ) -> Mention | None:
        """The last actor of one of `kinds` named outside quotation marks before `before`, of
        those `keep` accepts."""
        earlier = [
            m
            for m in self.mentions
            if m.kind in kinds and m.end <= before and not m.quoted and keep(m)
        ]
        return earlier[-1] if earlier else None
