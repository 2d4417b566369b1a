"""Names of speakers: how a name is folded, what one speaker's key is, whether a text names them.

The one owner of these questions, so that merging drafts, matching review decisions, tracking
actors and scoring against gold agree on who is who:

* **folding** (`fold`, `name_words`): Unicode NFKC, diacritics dropped ("José" is "Jose"),
  every apostrophe written ', case folded, the possessive 's dropped ("Peskov’s" is Peskov),
  words split at anything but letters, digits and the apostrophes and hyphens inside a word
  ("O'Brien", "Smith-Jones");
* the **speaker key** (`speaker_key`): who a name designates, however the text writes it. A
  personal name is keyed by its surname, so "Dmitry Peskov", "Peskov" and "Mr. Peskov" are one
  speaker. A name that ends in a word saying what someone is rather than who ("Health Minister",
  "Acme spokesman", "Russia's Defence Ministry") is keyed by the whole phrase: two ministers are
  two speakers, not one "minister";
* **occurrence** (`name_in_text`): whether an article names a speaker as the model wrote it;
* **surname matching** (`same_speaker`, `name_words_as_written`).

Nothing here knows about actors or aliases: tracking maps keys and folded names to actors with
its alias file (`briefing.track.tracking`), passing its spelling variants in.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping

# Bump when `speaker_key` or `fold` would give another answer for some name: stores that keep
# what they computed (the tracking index) rebuild from it.
KEY_VERSION = 2

# Words that are never a name: honorifics before a name, and the small words of a phrase.
HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "sir", "dame"})
FILLERS = frozenset({"the", "of", "and", "for", "in", "on", "to", "a", "an", "s"})
# Generational suffixes: "Martin Luther King Jr." is keyed by "king", not by "jr" (which would
# make every "Jr." one speaker).
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
NOT_NAMES = HONORIFICS | FILLERS

# Words that say what someone is, not who: a name ending in one is a description ("Finance
# Minister"), keyed whole; one followed by a name ("President Putin") is a title before it.
ROLE_WORDS = frozenset(
    {
        # offices and ranks
        "minister", "ministers", "secretary", "president", "premier", "chancellor", "king",
        "queen", "prince", "pope", "governor", "mayor", "senator", "congressman",
        "congresswoman", "lawmaker", "ambassador", "envoy", "diplomat", "negotiator",
        "chairman", "chairwoman", "chair", "director", "chief", "head", "leader", "commander",
        "general", "admiral", "colonel", "officer", "representative", "deputy",
        # speakers for others
        "spokesman", "spokeswoman", "spokesperson", "spokespeople", "adviser", "advisor",
        "aide", "official", "officials", "source", "sources", "analyst", "expert",
        # institutions
        "ministry", "government", "office", "department", "agency", "council", "committee",
        "commission", "administration", "embassy", "service", "party", "parliament", "court",
        "cabinet", "army", "military", "police", "company", "bank", "presidency",
    }
)  # fmt: skip

# "Minister of Health", "Secretary for Defence": the words after the role belong to it.
_ROLE_LINKS = frozenset({"of", "for"})
_APOSTROPHES = ("’", "‘", "ʼ", "`")  # each written "'"
_POSSESSIVE = re.compile(r"'s\b")
_WORD = re.compile(r"\w+(?:['-]\w+)*")
# Words as a text writes them, apostrophes and hyphens inside kept ("O'Brien", "Smith-Jones").
_WRITTEN_WORD = re.compile(r"[\w’'-]+")


def fold(text: str) -> str:
    """Text as names are compared: NFKC, diacritics dropped, one apostrophe, case folded,
    whitespace collapsed. The possessive is kept (see `name_words`)."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    # A whole article is folded once per briefing: the combining marks are dropped by a table
    # of those it has, and each apostrophe replaced in one pass (character by character, and
    # through str.translate, took 1 ms an article).
    if not text.isascii():
        marks = {ord(c): None for c in set(text) if unicodedata.combining(c)}
        if marks:
            text = text.translate(marks)
    text = unicodedata.normalize("NFC", text)
    for apostrophe in _APOSTROPHES:
        text = text.replace(apostrophe, "'")
    text = text.casefold()
    return " ".join(text.split())


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(_POSSESSIVE.sub("", fold(text))))


@functools.lru_cache(maxsize=4096)
def name_words(name: str) -> tuple[str, ...]:
    """The folded words of a name, possessive 's dropped: "Russia’s Foreign Ministry" gives
    ("russia", "foreign", "ministry")."""
    return _words(name)


@functools.lru_cache(maxsize=64)
def text_words(text: str) -> tuple[str, ...]:
    """`name_words` of an article, where names are looked for (made once per article: its
    positions are checked one after another)."""
    return _words(text)


def normalise_name(name: str, variants: Mapping[str, str] | None = None) -> str:
    """A name as alias lists are matched: its folded words, spelling variants written one way
    ("kiev" -> "kyiv"), honorifics and "the" dropped."""
    words = [variants.get(w, w) if variants else w for w in name_words(name)]
    return " ".join(w for w in words if w not in HONORIFICS and w != "the")


def speaker_key(name: str, variants: Mapping[str, str] | None = None) -> str:
    """One speaker however the text names them (see the module docstring): the surname of a
    personal name, after any title ("Kremlin spokesman Dmitry Peskov" -> "peskov"); the whole
    phrase of a description ("the Health Minister" -> "health minister"). A name with a role
    beside it ("Jane Doe, the health minister") is keyed by the name."""
    if variants is None:
        return _plain_speaker_key(name)
    return _speaker_key(name, variants)


@functools.lru_cache(maxsize=4096)
def _plain_speaker_key(name: str) -> str:
    """`speaker_key` without spelling variants, made once per name: an article's positions are
    compared pairwise by it."""
    return _speaker_key(name, None)


def _speaker_key(name: str, variants: Mapping[str, str] | None) -> str:
    parts = name.split(",")
    if len(parts) > 1:
        for part in parts:
            key, personal = _key(part, variants)
            if personal:
                return key
    key, _ = _key(name, variants)
    return key


def _key(name: str, variants: Mapping[str, str] | None) -> tuple[str, bool]:
    """The speaker key of a name, and whether it is a personal name's surname."""
    words = normalise_name(name, variants).split()
    while words and words[-1] in FILLERS:
        words.pop()
    while len(words) > 1 and words[-1] in SUFFIXES:
        words.pop()
    if not words:
        return fold(name), False
    last_role = max((i for i, w in enumerate(words) if w in ROLE_WORDS), default=-1)
    if last_role < 0:
        return words[-1], True
    after = words[last_role + 1 :]
    if after and after[0] not in _ROLE_LINKS:
        return after[-1], True  # a title before the name
    return " ".join(w for w in words if w not in FILLERS or w in _ROLE_LINKS), False


def same_speaker(a: str, b: str) -> bool:
    """Whether two names designate one speaker ("Peskov" and "Dmitry Peskov")."""
    return speaker_key(a) == speaker_key(b)


def name_words_as_written(name: str) -> list[str]:
    """The words of a name that can identify the speaker, as the name writes them (case kept,
    for searching a text), possessive dropped, honorifics and small words left out:
    "Mr. Peskov’s" gives ["Peskov"]."""
    words = [w.removesuffix("’s").removesuffix("'s") for w in _WRITTEN_WORD.findall(name)]
    return [w for w in words if w and fold(w) not in NOT_NAMES]


@functools.lru_cache(maxsize=64)
def _folded_article(text: str) -> str:
    """`fold` of an article, made once for all the names checked against it."""
    return fold(text)


def name_in_text(name: str, text: str) -> bool:
    """Whether the text names the speaker as `name` writes them.

    The whole name as written, or its last two words side by side ("Dmitry Peskov" for "Kremlin
    spokesman Dmitry Peskov"), or a one-word name at the start of a word ("Peskov" in
    "Peskov's"). A first name that was made up ("Vladimir Peskov") is not found, even when both
    words occur apart in the text.
    """
    folded = fold(name).removeprefix("the ").strip(" .,")
    if not folded:
        return False
    plain = _folded_article(text)
    if re.search(rf"(?<!\w){re.escape(folded)}(?!\w)", plain):
        return True
    words = [w for w in _WRITTEN_WORD.findall(folded) if w not in NOT_NAMES]
    if len(words) == 1:
        return re.search(rf"(?<!\w){re.escape(words[0])}", plain) is not None
    tail = " ".join(folded.split()[-2:])
    return len(words) > 1 and re.search(rf"(?<!\w){re.escape(tail)}(?!\w)", plain) is not None
