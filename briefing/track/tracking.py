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
* the **same statement** reported by several outlets (same actor, overlapping quotation, said
  within three days of the first report) is one statement with several sources, the first
  reporter first: `briefing.track.statements` owns that rule and applies it to the store's
  tracking index;
* its **label**: `new` when the voice has no earlier statement (strictly earlier statement date)
  on the topic, `reiterated` when the latest earlier one has the same stance, `shifted` when the
  stance differs. This compares stance labels only, not meaning: two "neutral" statements that
  say different things are "reiterated", and a model that labels the same words differently on
  two days makes a "shift" that a reader must check against the two quotations shown.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.config import Settings
from briefing.errors import BriefError
from briefing.extract.topics import load_keywords
from briefing.models import Article, ArticleResult, Position, Sentence
from briefing.resources import rules_file
from briefing.review.decisions import review_positions
from briefing.store.database import Store, TrackedReport
from briefing.text.names import KEY_VERSION, normalise_name, speaker_key
from briefing.track.statements import SAME_STATEMENT_DAYS, gram_keys, index_reports

DEFAULT_ACTORS = rules_file("actors.toml")
USER_ACTORS = "actors.toml"  # in BRIEF_HOME: aliases added in review
LABELS = ("new", "reiterated", "shifted")

# actors ----------------------------------------------------------------------------------------


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
    _resolved: dict[str, Actor] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for actor in self.actors.values():
            for name in (actor.id, actor.name, *actor.aliases):
                key = self.normalise(name)
                if key:
                    self.index.setdefault(key, actor.id)

    def normalise(self, name: str) -> str:
        """The name as aliases are matched (`names.normalise_name`), with this book's
        spelling variants."""
        return normalise_name(name, self.variants)

    def resolve(self, speaker: str) -> Actor:
        """The actor a speaker names; an unlisted speaker is an actor of its own, by the speaker
        key review uses too: "Jo Bloggs" and "Bloggs" are one actor, "Health Minister" and
        "Finance Minister" are two."""
        if speaker not in self._resolved:
            self._resolved[speaker] = self._resolve(speaker)
        return self._resolved[speaker]

    def _resolve(self, speaker: str) -> Actor:
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
        own = speaker_key(speaker, self.variants)
        return Actor(id=f"unlisted:{own}", name=speaker.strip(), kind="unlisted")

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
    variants = {
        str(k).casefold(): str(v).casefold() for k, v in dict(base.get("variants", {})).items()
    }
    user_path = settings.home / USER_ACTORS
    if user_path.exists():
        user = _read_toml(user_path, "actor aliases")
        actors.update(_actors_from(user, user_path))
        variants.update(
            {
                str(k).casefold(): str(v).casefold()
                for k, v in dict(user.get("variants", {})).items()
            }
        )
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
    text = (
        path.read_text(encoding="utf-8")
        if path.exists()
        else (
            "# Actor aliases added in review (`brief review merge-actors`), read on top of the shipped\n"
            '# list. Edit freely: "name as the text writes it" = "actor id".\n'
        )
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


# topics (their keywords are read by `briefing.extract.topics`) ---------------------------------


def _mentions(text: str, words: Iterable[str]) -> bool:
    return _keyword_pattern(tuple(words)).search(text.replace("’", "'").casefold()) is not None


@functools.lru_cache(maxsize=256)
def _keyword_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a topic's keywords, each matched at the start of a word."""
    alternatives = "|".join(re.escape(w.replace("’", "'").casefold()) for w in words) or "(?!)"
    return re.compile(r"(?<!\w)(?:" + alternatives + ")")


def check_topic(
    topic: str, evidence_text: str, keywords: dict[str, list[str]]
) -> tuple[str, str | None]:
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


def statement_date(
    article: Article, sentences: Sequence[Sentence], evidence: Sequence[int]
) -> StatementDate:
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
    # Every outlet that reported it, first reporter first, when `entries` holds only some of
    # its reports (a statement read from the tracking index); None: the outlets of `entries`.
    outlet_names: list[str] | None = None

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
        if self.outlet_names is not None:
            return list(self.outlet_names)
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
        article.text[by_index[i].start : by_index[i].end]
        for i in position.evidence
        if i in by_index
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


def _entry_order(e: Entry) -> tuple[object, ...]:
    return (
        e.article.published or dt.date.max,
        e.date or dt.date.max,
        e.article.origin,
        e.article.id,
        e.position.id or 0,
    )


def _statement_order(s: Statement) -> tuple[object, ...]:
    """Statements by date (undated last), then by their first report."""
    return (s.date or dt.date.max, *_entry_order(s.first))


def usable(position: Position) -> bool:
    """Positions tracking counts: validated and not rejected by an analyst."""
    return position.valid and position.review_status != "rejected"


def stored_entries(store: Store, book: ActorBook, keywords: dict[str, list[str]]) -> list[Entry]:
    """Every usable position of every stored article's latest extraction, reviews applied: the
    whole history at once (what the tracking index is checked against)."""
    return [
        entry
        for article in store.all_articles()
        for entry in _article_entries(store, article, book, keywords)
    ]


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
    store: Store,
    settings: Settings,
    per_article: Sequence[ArticleResult],
    positions: Sequence[Position],
) -> dict[str, Statement]:
    """The statement each of a day's `positions` belongs to, by the position's `key`, labelled
    against everything stored (every article's latest extraction, reviews applied). Reads the
    tracking index, brought up to date first, so the work does not grow with the store."""
    book = load_actors(settings)
    keywords = load_keywords(settings.topics_file)
    articles = {r.article.id: r.article for r in per_article}
    # An entry reads its evidence sentences and the one before each: only those are loaded.
    wanted: dict[str, set[int]] = {}
    for p in positions:
        wanted.setdefault(p.article_id, set()).update(j for i in p.evidence for j in (i - 1, i))
    sentences = {a: store.sentences(a, sorted(ids)) for a, ids in wanted.items()}
    day = [
        make_entry(p, articles[p.article_id], sentences[p.article_id], book, keywords)
        for p in positions
    ]
    # The day's entries are the usable positions of its articles (the valid ones, reviews
    # applied), unless only reviewed positions are briefed: then the index reads its own.
    known: dict[str, list[Entry]] | None = None
    if not settings.require_review:
        known = {a.id: [] for a in articles.values()}
        for e in day:
            known[e.article.id].append(e)
    refresh_index(store, book, keywords, known)
    statements = track_with_index(store, book, keywords, day)
    return {e.position.key: s for e, s in zip(day, statements, strict=True)}


def entry_of(statement: Statement, position: Position) -> Entry:
    """The statement's entry for this position (a statement may hold several)."""
    for e in statement.entries:
        if e.position.key == position.key:
            return e
    raise KeyError(position.id)


# the tracking index ----------------------------------------------------------------------------
#
# A day's briefing needs, for each of its positions, the statement it belongs to (other outlets'
# reports of the same words, the first reporter first) and the latest earlier statement of the
# same voice on the same topic. Reading every stored position for that (`stored_entries`) costs
# time and memory in proportion to the store. The index in the store's `tracked` tables keeps
# one row per usable position with its actor, voice, topic, statement date and statement, and
# each statement's word runs; a briefing then reads a few rows.
#
# Reports are indexed one publication date at a time, in `_entry_order` within it, each joining
# the statement `statements.add_report` puts it in; a statement's id is its first report. An
# article whose extraction or reviews changed since it was indexed is indexed again; when the
# alias or keyword rules change, everything is. One approximation: a statement keeps the word
# runs of a report that was re-extracted away (it only makes a candidate to check, never a
# match), and reports indexed out of date order can join a statement that a later first report
# would have split.


def _rules_version(book: ActorBook, keywords: dict[str, list[str]]) -> str:
    """A fingerprint of everything besides the store that decides a tracking row."""
    data = {
        "actors": sorted(
            [a.id, a.name, a.kind, a.speaks_for, list(a.aliases)] for a in book.actors.values()
        ),
        "variants": sorted(book.variants.items()),
        "keywords": sorted((k, sorted(v)) for k, v in keywords.items()),
        "same_statement_days": SAME_STATEMENT_DAYS,
        "names": KEY_VERSION,  # the unlisted actors' ids
    }
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _ord(entry: Entry) -> str:
    """`_entry_order` as one sortable string."""
    published = entry.article.published.isoformat() if entry.article.published else "9999-12-31"
    said = entry.date.isoformat() if entry.date else "9999-12-31"
    return f"{published}\x1f{said}\x1f{entry.article.origin}\x1f{entry.article.id}\x1f{entry.position.id or 0:012d}"


def _article_entries(
    store: Store, article: Article, book: ActorBook, keywords: dict[str, list[str]]
) -> list[Entry]:
    """The usable positions of the article's latest extraction, reviews applied, as entries."""
    positions = store.latest_positions(article.id)
    if not positions:
        return []
    sentences = store.sentences(article.id)
    return [
        make_entry(p, article, sentences, book, keywords)
        for p in review_positions(store, article, positions).positions
        if usable(p)
    ]


def _report(entry: Entry) -> TrackedReport:
    return TrackedReport(
        position_id=entry.position.id or 0,
        article_id=entry.article.id,
        actor=entry.actor.id,
        voice=entry.actor.voice,
        topic=entry.topic,
        stance=entry.position.stance,
        said=entry.date,
        order=_ord(entry),
        outlet=entry.outlet,
        quotes=list(entry.position.quotes),
        grams=gram_keys(entry.position.quotes),
    )


def refresh_index(
    store: Store,
    book: ActorBook,
    keywords: dict[str, list[str]],
    known: dict[str, list[Entry]] | None = None,
) -> int:
    """Bring the tracking index up to date; returns how many articles were (re)indexed.

    `known`: the entries of some articles' usable positions, already made (a day's briefing
    has them), so that they are not read and made again."""
    known = known or {}
    if known:
        # Only entries made from each article's latest extraction stand for it (a briefing may
        # read another model's or prompt's extraction than the latest).
        latest = store.latest_position_ids(list(known))
        known = {
            a: entries
            for a, entries in known.items()
            if {e.position.id for e in entries} <= latest[a] and (entries or not latest[a])
        }
    version = _rules_version(book, keywords)
    sources = store.tracking_sources()
    if any(stamp is not None and not stamp.startswith(version + ":") for _, _, stamp in sources):
        store.clear_tracking()  # the rules changed: every row may differ
        sources = [(a, now, None) for a, now, _ in sources]
    stale = {a: f"{version}:{now}" for a, now, stamp in sources if stamp != f"{version}:{now}"}
    # Articles in publication order, one publication date at a time, and within it the reports
    # in `_entry_order`: indexing in that order gives the statements grouping the whole history would.
    by_day: dict[str | None, list[Article]] = {}
    for article_id in stale:
        article = store.get_article(article_id)
        if article is not None:
            key = article.published.isoformat() if article.published else None
            by_day.setdefault(key, []).append(article)
    for _, articles in sorted(by_day.items(), key=lambda kv: kv[0] or "9999-12-31"):
        entries = [
            e
            for a in articles
            for e in (known[a.id] if a.id in known else _article_entries(store, a, book, keywords))
        ]
        entries.sort(key=_entry_order)
        index_reports(
            store,
            {a.id: stale[a.id] for a in articles},
            [_report(e) for e in entries if e.position.id is not None],
        )
    return len(stale)


class _Loader:
    """Entries for index rows, read from the store once per article."""

    def __init__(
        self, store: Store, book: ActorBook, keywords: dict[str, list[str]], known: Sequence[Entry]
    ) -> None:
        self.store, self.book, self.keywords = store, book, keywords
        self.by_position: dict[int, Entry] = {
            e.position.id: e for e in known if e.position.id is not None
        }
        self.loaded: set[str] = set()

    def entry(self, position_id: int, article_id: str) -> Entry | None:
        if position_id not in self.by_position and article_id not in self.loaded:
            self.loaded.add(article_id)
            article = self.store.get_article(article_id)
            if article is not None:
                for e in _article_entries(self.store, article, self.book, self.keywords):
                    if e.position.id is not None:
                        self.by_position.setdefault(e.position.id, e)
        return self.by_position.get(position_id)


def _statement_from_index(
    store: Store, root: int, members: Sequence[Entry], loader: _Loader
) -> Statement | None:
    """The statement with this id: its first report as an entry, the given reports, and the
    names of all the outlets that reported it."""
    rows = store.statement_reports(root)
    if not rows:
        return None
    first = loader.entry(rows[0][0], rows[0][1])
    if first is None:
        return None
    entries = [first, *(m for m in members if m is not first)]
    outlets: list[str] = []
    for _, _, outlet in rows:
        if outlet not in outlets:
            outlets.append(outlet)
    return Statement(entries, outlet_names=outlets)


def track_with_index(
    store: Store, book: ActorBook, keywords: dict[str, list[str]], day: Sequence[Entry]
) -> list[Statement]:
    """The statement of each of the day's entries, labelled, read from the tracking index;
    aligned with `day`. The day's articles must be indexed (`refresh_index`)."""
    loader = _Loader(store, book, keywords, day)
    root_of = store.statements_of([e.position.id for e in day if e.position.id is not None])
    roots = [root_of.get(e.position.id) if e.position.id is not None else None for e in day]
    members: dict[int, list[Entry]] = {}
    for e, root in zip(day, roots):
        if root is not None:
            members.setdefault(root, []).append(e)
    statements: dict[int, Statement] = {}
    result: list[Statement] = []
    for e, root in zip(day, roots):
        statement = statements.get(root) if root is not None else None
        if statement is None and root is not None:
            statement = _statement_from_index(store, root, members[root], loader)
            if statement is not None:
                statements[root] = statement
                _label_from_index(store, statement, loader)
        if statement is None:  # not in the index (an unsaved position): a statement of its own
            statement = Statement([e])
            _label_from_index(store, statement, loader)
        result.append(statement)
    return result


def _label_from_index(store: Store, statement: Statement, loader: _Loader) -> None:
    """The label of one statement: against the latest statement of the same voice and
    topic whose first report was said on a strictly earlier day."""
    statement.label, statement.earlier = "new", None
    if statement.date is None:
        return
    root = store.latest_statement_before(statement.actor.voice, statement.topic, statement.date)
    if root is None:
        return
    earlier = _statement_from_index(store, root, [], loader)
    if earlier is None:
        return
    statement.earlier = earlier
    statement.label = "reiterated" if earlier.stance == statement.stance else "shifted"


def actor_statements(
    store: Store, book: ActorBook, keywords: dict[str, list[str]], actor: Actor
) -> list[Statement]:
    """The actor's statements (an institution's include its spokespeople's), labelled, in date
    order, from the tracking index: only the actor's own positions are read."""
    refresh_index(store, book, keywords)
    loader = _Loader(store, book, keywords, [])
    groups: dict[int, list[Entry]] = {}
    for position_id, article_id, root in store.reports_of(actor.id):
        entry = loader.entry(position_id, article_id)
        if entry is not None:
            groups.setdefault(root, []).append(entry)
    statements = []
    for entries in groups.values():  # a statement is one actor's: all its reports are here
        entries.sort(key=_entry_order)
        statement = Statement(entries)
        _label_from_index(store, statement, loader)
        statements.append(statement)
    statements.sort(key=_statement_order)
    return statements
