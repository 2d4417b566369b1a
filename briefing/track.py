"""Who said what before: actors, topics checked by keywords, statement dates, one statement
across outlets, and the label each position gets against the same actor's earlier position.

Pure functions over stored positions plus a few store reads; nothing here asks a model, prints
or writes to the store. The alias files are data (`briefing/rules/actors.toml`, or `actors_file`
in config.toml, with `BRIEF_HOME/actors.toml` read on top: that is where merges made in review
go).

How a position is tracked:

* its **actor** is found from the speaker as the text names it ("Kremlin spokesperson Dmitry
  Peskov", "Peskov", "the Kremlin spokesman" are one actor), after spelling variants (Kiev/Kyiv)
  are written one way. A spokesperson `speaks_for` an institution: positions are compared by the
  *voice* (the institution when there is one), so the Kremlin's line is one timeline whether
  Peskov or the Kremlin itself is quoted;
* its **topic** is the model's, unless the evidence matches exactly one topic's keywords and the
  model's topic matches none of its own: then it is filed under that topic and says so. A topic
  outside the list (a proposal) is kept as it is;
* its **statement date** is resolved from "on Wednesday", "yesterday", "today", "on Dec. 14" in
  the evidence sentences (or the sentence before) against the publication date, and says how;
  without such words it is the publication date. It is derived, not stored, so it follows an
  analyst's edit of the evidence;
* the **same statement** reported by several outlets (same actor, overlapping quotation, dates
  within three days) is one statement with several sources, the first reporter first;
* its **label**: `new` when the voice has no earlier statement (strictly earlier statement date)
  on the topic, `reiterated` when the latest earlier one has the same stance, `shifted` when the
  stance differs. This compares stance labels only, not meaning: two "neutral" statements that
  say different things are "reiterated", and a model that labels the same words differently on
  two days makes a "shift" that a reader must check against the two quotations shown.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import PROJECT_ROOT, Settings
from .errors import BriefError
from .models import Article, Position, Sentence

DEFAULT_ACTORS = PROJECT_ROOT / "briefing" / "rules" / "actors.toml"
DEFAULT_TOPICS = PROJECT_ROOT / "briefing" / "rules" / "topics.toml"
USER_ACTORS = "actors.toml"  # in BRIEF_HOME: aliases added in review
SAME_STATEMENT_DAYS = 3
LABELS = ("new", "reiterated", "shifted")

# actors ----------------------------------------------------------------------------------------

_TITLES = {"mr", "mrs", "ms", "dr", "the"}


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: str  # person, institution, or unlisted (a speaker no alias file names)
    speaks_for: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def voice(self) -> str:
        """Whose line this actor states: the institution a spokesperson speaks for, else itself."""
        return self.speaks_for or self.id


@dataclass
class ActorBook:
    actors: dict[str, Actor]
    variants: dict[str, str]
    index: dict[str, str] = field(default_factory=dict)  # normalised alias: actor id

    def __post_init__(self) -> None:
        for actor in self.actors.values():
            for name in (actor.id, actor.name, *actor.aliases):
                key = self.normalise(name)
                if key:
                    self.index.setdefault(key, actor.id)

    def normalise(self, name: str) -> str:
        """Casefolded words, spelling variants written one way, titles and "the" dropped."""
        text = unicodedata.normalize("NFKC", name).replace("’", "'").casefold()
        text = re.sub(r"'s\b", "", text)
        words = [self.variants.get(w, w) for w in re.findall(r"\w+", text)]
        return " ".join(w for w in words if w not in _TITLES)

    def resolve(self, speaker: str) -> Actor:
        """The actor a speaker names; an unlisted speaker is an actor of its own (by surname,
        as review matches speakers, so "Jo Bloggs" and "Bloggs" are still one)."""
        key = self.normalise(speaker)
        if key in self.index:
            return self.actors[self.index[key]]
        # The longest alias inside the name wins ("Kremlin spokesperson Dmitry Peskov" holds
        # "kremlin spokesman", "dmitry peskov" and "kremlin"); on a tie the later one, because
        # the name comes after the title.
        padded = f" {key} "
        best: tuple[int, int, str] | None = None
        for alias, actor_id in self.index.items():
            at = padded.rfind(f" {alias} ")
            if at >= 0:
                rank = (len(alias.split()), at, actor_id)
                if best is None or rank[:2] > best[:2]:
                    best = rank
        if best is not None:
            return self.actors[best[2]]
        words = key.split()
        surname = words[-1] if words else speaker.strip().casefold()
        return Actor(id=f"unlisted:{surname}", name=speaker.strip(), kind="unlisted")

    def find(self, query: str) -> Actor | None:
        """An actor by id, name or alias, for `brief timeline --actor`; None when unknown."""
        if query in self.actors:
            return self.actors[query]
        actor = self.resolve(query)
        return None if actor.kind == "unlisted" else actor


def _read_toml(path: Path, what: str) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BriefError(f"cannot read the {what} {path} ({exc}): fix or remove it") from exc


def _actors_from(data: dict[str, Any], path: Path) -> dict[str, Actor]:
    table = data.get("actors", {})
    if not isinstance(table, dict):
        raise BriefError(f"{path}: [actors] must be a table of [actors.ID] tables")
    actors = {}
    for actor_id, spec in table.items():
        if not isinstance(spec, dict):
            raise BriefError(f"{path}: [actors.{actor_id}] must be a table")
        actors[actor_id] = Actor(
            id=actor_id,
            name=str(spec.get("name", actor_id)),
            kind=str(spec.get("kind", "person")),
            speaks_for=str(spec["speaks_for"]) if spec.get("speaks_for") else None,
            aliases=tuple(str(a) for a in spec.get("aliases", [])),
        )
    return actors


def load_actors(settings: Settings) -> ActorBook:
    """The shipped alias file (or `actors_file`), then BRIEF_HOME/actors.toml on top of it."""
    base_path = settings.actors_file or DEFAULT_ACTORS
    base = _read_toml(base_path, "actor list")
    actors = _actors_from(base, base_path)
    variants = {str(k).casefold(): str(v).casefold() for k, v in dict(base.get("variants", {})).items()}
    user_path = settings.home / USER_ACTORS
    if user_path.exists():
        user = _read_toml(user_path, "actor aliases")
        actors.update(_actors_from(user, user_path))
        variants.update({str(k).casefold(): str(v).casefold() for k, v in dict(user.get("variants", {})).items()})
        for alias, actor_id in dict(user.get("aliases", {})).items():
            if actor_id not in actors:
                raise BriefError(
                    f"{user_path}: alias {alias!r} points at unknown actor {actor_id!r};"
                    " fix the line or add [actors.{actor_id}]"
                )
            a = actors[actor_id]
            actors[actor_id] = Actor(a.id, a.name, a.kind, a.speaks_for, (*a.aliases, alias))
    return ActorBook(actors, variants)


def merge_actors(settings: Settings, alias: str, into: str) -> Actor:
    """Make `alias` (a speaker name, or the id of another actor) name the actor `into`, by
    adding it to BRIEF_HOME/actors.toml: a review action, kept as data the user can edit."""
    book = load_actors(settings)
    target = book.find(into)
    if target is None:
        known = ", ".join(sorted(book.actors))
        raise BriefError(f"unknown actor {into!r}: use one of {known}, or add it to the alias file")
    names = [alias]
    if alias in book.actors:  # merging a whole actor: every way it is named goes along
        other = book.actors[alias]
        names = [other.name, *other.aliases]
    if not alias.strip() or book.normalise(alias) == "":
        raise BriefError("an alias must contain a word")
    path = settings.home / USER_ACTORS
    existing = _read_toml(path, "actor aliases") if path.exists() else {}
    aliases = dict(existing.get("aliases", {}))
    for name in names:
        aliases[name] = target.id
    text = path.read_text(encoding="utf-8") if path.exists() else (
        "# Actor aliases added in review (`brief review merge-actors`), read on top of the shipped\n"
        "# list. Edit freely: \"name as the text writes it\" = \"actor id\".\n"
    )
    if "aliases" not in existing:
        text = text.rstrip("\n") + "\n\n[aliases]\n"
        added = names
    else:
        added = [n for n in names if n not in dict(existing["aliases"])]
        # Appending keys works only while [aliases] is the file's last table; otherwise rewrite
        # that table from what was read.
        if re.search(r"^\[(?!aliases\])", text.split("[aliases]", 1)[1], re.MULTILINE):
            raise BriefError(f"{path}: put the [aliases] table last, then merge again")
    for name in added:
        text += f"{_toml_string(name)} = {_toml_string(target.id)}\n"
    settings.home.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return target


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    # Control characters would break the line; TOML reads them back from \uXXXX.
    chars = (c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped)
    return '"' + "".join(chars) + '"'


# topics ----------------------------------------------------------------------------------------


def load_keywords(path: Path | None = None) -> dict[str, list[str]]:
    """The optional [keywords] table of the topic list; an empty dict when there is none."""
    data = _read_toml(path or DEFAULT_TOPICS, "topic list")
    table = data.get("keywords", {})
    if not isinstance(table, dict):
        raise BriefError(f"{path}: [keywords] must map a topic key to a list of words")
    return {str(k): [str(w) for w in v] for k, v in table.items() if isinstance(v, list)}


def _mentions(text: str, words: Iterable[str]) -> bool:
    folded = text.replace("’", "'").casefold()
    return any(re.search(r"(?<!\w)" + re.escape(w.casefold()), folded) for w in words)


def check_topic(topic: str, evidence_text: str, keywords: dict[str, list[str]]) -> tuple[str, str | None]:
    """The topic to file a position under, and a note when it is not the model's.

    Only a clear case is corrected: the evidence names exactly one topic's keywords and none of
    the model's own topic. A proposed topic (not in the list) is never overridden: it is kept
    for review."""
    matched = [t for t, words in keywords.items() if _mentions(evidence_text, words)]
    if topic in matched or len(matched) != 1:
        return topic, None
    return matched[0], f"topic corrected from {topic} by keywords"


# statement dates -------------------------------------------------------------------------------

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WHEN = re.compile(
    r"\b(?P<phrase>(?:[Oo]n\s+)?(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b"
    r"|(?i:yesterday|today)\b"
    r"|(?:[Oo]n\s+)?(?P<month>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?)"
    r"\s+(?P<day>\d{1,2})\b)"
)


@dataclass(frozen=True)
class StatementDate:
    date: dt.date | None
    how: str  # 'resolved from "on Wednesday"', 'publication date' or 'undated'

    @property
    def resolved(self) -> bool:
        return self.how.startswith("resolved")


def resolve_when(phrase: str, published: dt.date) -> dt.date | None:
    """The date a relative phrase names, seen from the publication date; None if not a date."""
    m = _WHEN.fullmatch(phrase.strip())
    if m is None:
        return None
    lowered = phrase.strip().casefold()
    if lowered == "yesterday":
        return published - dt.timedelta(days=1)
    if lowered == "today":
        return published
    if m.group("weekday"):
        # The latest such weekday on or before publication: "on Wednesday" in Wednesday's
        # paper is that day.
        back = (published.weekday() - _WEEKDAYS.index(m.group("weekday"))) % 7
        return published - dt.timedelta(days=back)
    month = _MONTHS.index(m.group("month")[:3].casefold()) + 1
    try:
        date = dt.date(published.year, month, int(m.group("day")))
    except ValueError:
        return None
    if date > published:  # "on Dec. 30" in a January paper is last year's
        try:
            date = date.replace(year=published.year - 1)
        except ValueError:
            return None
    return date


def statement_date(article: Article, sentences: Sequence[Sentence], evidence: Sequence[int]) -> StatementDate:
    """When the words were said: a date phrase in the evidence (or the sentence before it),
    resolved against the publication date; else the publication date."""
    if article.published is None:
        return StatementDate(None, "undated")
    by_index = {s.index: s for s in sentences}
    order = sorted(set(evidence))
    if order:
        order.append(order[0] - 1)
    for index in order:
        sentence = by_index.get(index)
        if sentence is None:
            continue
        for m in _WHEN.finditer(article.text[sentence.start : sentence.end]):
            date = resolve_when(m.group("phrase"), article.published)
            if date is not None:
                return StatementDate(date, f'resolved from "{m.group("phrase")}"')
    return StatementDate(article.published, "publication date")


# statements ------------------------------------------------------------------------------------


@dataclass
class Entry:
    """One stored position as tracking sees it."""

    position: Position
    article: Article
    actor: Actor
    topic: str
    topic_note: str | None
    said: StatementDate

    @property
    def date(self) -> dt.date | None:
        return self.said.date

    @property
    def outlet(self) -> str:
        return self.article.source or self.article.title or self.article.origin or self.article.id


@dataclass
class Statement:
    """One statement: the positions of the outlets that reported it, the first reporter first."""

    entries: list[Entry]
    label: str = "new"
    earlier: Statement | None = None

    @property
    def first(self) -> Entry:
        return self.entries[0]

    @property
    def date(self) -> dt.date | None:
        return self.first.date

    @property
    def actor(self) -> Actor:
        return self.first.actor

    @property
    def topic(self) -> str:
        return self.first.topic

    @property
    def stance(self) -> str:
        return self.first.position.stance

    @property
    def outlets(self) -> list[str]:
        seen: list[str] = []
        for e in self.entries:
            if e.outlet not in seen:
                seen.append(e.outlet)
        return seen


def make_entry(
    position: Position,
    article: Article,
    sentences: Sequence[Sentence],
    book: ActorBook,
    keywords: dict[str, list[str]],
) -> Entry:
    by_index = {s.index: s for s in sentences}
    evidence_text = " ".join(
        article.text[by_index[i].start : by_index[i].end] for i in position.evidence if i in by_index
    )
    topic, note = check_topic(position.topic, evidence_text, keywords)
    return Entry(
        position=position,
        article=article,
        actor=book.resolve(position.speaker),
        topic=topic,
        topic_note=note,
        said=statement_date(article, sentences, position.evidence),
    )


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text).replace("’", "'").casefold())


def quotes_overlap(a: Sequence[str], b: Sequence[str], run: int = 6) -> bool:
    """Whether two positions' quotations share a run of `run` words (or the whole of a shorter
    quotation of at least three words): punctuation, case and quotation marks do not count."""
    for qa in a:
        for qb in b:
            wa, wb = _words(qa), _words(qb)
            n = min(run, len(wa), len(wb))
            if n < 3:
                continue
            grams = {tuple(wa[i : i + n]) for i in range(len(wa) - n + 1)}
            if any(tuple(wb[i : i + n]) in grams for i in range(len(wb) - n + 1)):
                return True
    return False


def _same_statement(a: Entry, b: Entry) -> bool:
    if a.article.id == b.article.id or a.actor.id != b.actor.id:
        return False
    if a.date is None or b.date is None or abs((a.date - b.date).days) > SAME_STATEMENT_DAYS:
        return False
    return quotes_overlap(a.position.quotes, b.position.quotes)


def _entry_order(e: Entry) -> tuple[object, ...]:
    return (
        e.article.published or dt.date.max,
        e.date or dt.date.max,
        e.article.origin,
        e.article.id,
        e.position.id or 0,
    )


def _runs(quotes: Sequence[str], run: int = 6) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
    """A position's quotations as word runs: every run of `run` words (from quotations that
    long), and whole quotations of 3 to `run` - 1 words. Two positions can only share a
    statement (`quotes_overlap`) if one's runs meet the other's, so these index the candidates."""
    long_runs: set[tuple[str, ...]] = set()
    short: set[tuple[str, ...]] = set()
    for quote in quotes:
        words = _words(quote)
        if len(words) >= run:
            long_runs.update(tuple(words[i : i + run]) for i in range(len(words) - run + 1))
        elif len(words) >= 3:
            short.add(tuple(words))
    return long_runs, short


def group_statements(entries: Sequence[Entry]) -> list[Statement]:
    """Positions that are the same statement reported by several outlets become one statement;
    statements in date order.

    Candidates are found through an index of word runs, so the work grows with the number of
    positions that share words, not with the square of the store.
    """
    parent = list(range(len(entries)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_run: dict[tuple[str, ...], list[int]] = {}
    shorts: dict[tuple[str, ...], list[int]] = {}
    words_of: list[list[list[str]]] = []
    for i, entry in enumerate(entries):
        long_runs, short = _runs(entry.position.quotes)
        for key in long_runs | short:
            by_run.setdefault(key, []).append(i)
        for key in short:
            shorts.setdefault(key, []).append(i)
        words_of.append([_words(q) for q in entry.position.quotes])
    candidates: set[tuple[int, int]] = set()
    for members in by_run.values():
        candidates.update(_pairs(entries, members))
    # A short quotation can also sit inside a longer one: look its words up in every shorter
    # run of the longer quotations.
    if shorts:
        lengths = {len(key) for key in shorts}
        for i, quotes in enumerate(words_of):
            for words in quotes:
                for n in lengths:
                    for k in range(len(words) - n + 1):
                        for j in shorts.get(tuple(words[k : k + n]), ()):
                            if j != i:
                                candidates.add((min(i, j), max(i, j)))
    for i, j in sorted(candidates):
        if root(i) != root(j) and _same_statement(entries[i], entries[j]):
            parent[root(j)] = root(i)
    groups: dict[int, list[Entry]] = {}
    for i, e in enumerate(entries):
        groups.setdefault(root(i), []).append(e)
    statements = [Statement(sorted(g, key=_entry_order)) for g in groups.values()]
    statements.sort(key=lambda s: (s.date or dt.date.max, *_entry_order(s.first)))
    return statements


def _pairs(entries: Sequence[Entry], members: list[int]) -> set[tuple[int, int]]:
    """Pairs among positions sharing a word run that could be one statement: same actor, dates
    within SAME_STATEMENT_DAYS. Sorted by actor and date, each is paired only with the ones
    that follow inside the window, so a run shared by many positions stays cheap."""
    if len(members) < 2:
        return set()
    ordered = sorted(
        (m for m in members if entries[m].date is not None),
        key=lambda m: (entries[m].actor.id, entries[m].date),
    )
    pairs: set[tuple[int, int]] = set()
    for a_pos, a in enumerate(ordered):
        ea = entries[a]
        for b in ordered[a_pos + 1 :]:
            eb = entries[b]
            if eb.actor.id != ea.actor.id:
                break
            assert ea.date is not None and eb.date is not None
            if (eb.date - ea.date).days > SAME_STATEMENT_DAYS:
                break
            if eb.article.id != ea.article.id:
                pairs.add((min(a, b), max(a, b)))
                break  # the chain through the next one joins the rest: union is transitive
    return pairs


def label_statements(statements: Sequence[Statement]) -> None:
    """Label each statement against the latest one of the same voice and topic said strictly
    earlier (stance labels compared, see the module docstring).

    Statements are grouped by voice and topic and walked in date order, so labelling a store of
    n statements takes n log n, not n squared."""
    lines: dict[tuple[object, str], list[Statement]] = {}
    for s in statements:
        s.earlier, s.label = None, "new"
        if s.date is not None:
            lines.setdefault((s.actor.voice, s.topic), []).append(s)
    for line in lines.values():
        line.sort(key=lambda o: (o.date, *_entry_order(o.first)))
        # The latest statement said on a strictly earlier day: sorted as `line` is, that is the
        # last one before the current day begins. Statements of one day are not compared.
        latest_before: Statement | None = None
        for index, s in enumerate(line):
            if index and line[index - 1].date != s.date:
                latest_before = line[index - 1]
            if latest_before is not None:
                s.earlier = latest_before
                s.label = "reiterated" if latest_before.stance == s.stance else "shifted"


def usable(position: Position) -> bool:
    """Positions tracking counts: validated and not rejected by an analyst."""
    return position.valid and position.review_status != "rejected"


def stored_entries(
    store: object,
    book: ActorBook,
    keywords: dict[str, list[str]],
    skip_articles: Iterable[str] = (),
) -> list[Entry]:
    """Every usable position of every stored article's latest extraction, reviews applied."""
    from .review import review_positions  # review imports the store; keep this module light
    from .store import Store

    assert isinstance(store, Store)
    skip = set(skip_articles)
    entries = []
    for article in store.all_articles():
        if article.id in skip:
            continue
        positions = store.latest_positions(article.id)
        if not positions:
            continue
        sentences = store.sentences(article.id)
        for p in review_positions(store, article, positions).positions:
            if usable(p):
                entries.append(make_entry(p, article, sentences, book, keywords))
    return entries


def timeline(
    statements: Sequence[Statement],
    actor: Actor,
    topic: str | None = None,
    since: dt.date | None = None,
) -> list[Statement]:
    """The actor's statements in date order; an institution's include its spokespeople's."""
    wanted = []
    for s in statements:
        mine = s.actor.id == actor.id or (actor.kind == "institution" and s.actor.voice == actor.id)
        if not mine or (topic is not None and s.topic != topic):
            continue
        if since is not None and (s.date is None or s.date < since):
            continue
        wanted.append(s)
    return wanted


def track_positions(
    store: object,
    settings: Settings,
    per_article: Sequence[tuple[Article, Sequence[Position], str | None]],
    positions: Sequence[Position],
) -> list[Statement]:
    """The statement each of a day's `positions` belongs to, labelled against everything stored
    (other days' latest extractions, reviews applied); aligned with `positions`."""
    from .store import Store

    assert isinstance(store, Store)
    book = load_actors(settings)
    keywords = load_keywords(settings.topics_file)
    articles = {a.id: a for a, _, _ in per_article}
    history = stored_entries(store, book, keywords, skip_articles=articles)
    sentences: dict[str, list[Sentence]] = {}
    day = []
    for p in positions:
        if p.article_id not in sentences:
            sentences[p.article_id] = store.sentences(p.article_id)
        day.append(make_entry(p, articles[p.article_id], sentences[p.article_id], book, keywords))
    statements = group_statements(history + day)
    label_statements(statements)
    owner = {id(e): s for s in statements for e in s.entries}
    return [owner[id(e)] for e in day]


def entry_of(statement: Statement, position: Position) -> Entry:
    """The statement's entry for this very position (a statement may hold several)."""
    for e in statement.entries:
        if e.position is position:
            return e
    raise KeyError(position.id)
