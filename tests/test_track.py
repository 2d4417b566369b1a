"""Tracking: actors and aliases, topic checks and proposals, statement dates, labels against
earlier positions, and one statement reported by several outlets. Positions come from the
recorded fixtures (the seeds) or are stored without a model, as tests/reviewing.py does."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.config import load_settings
from briefing.llm.client import open_client
from briefing.models import Article, DateStatus, Position
from briefing.pipeline import Extractor, ingest
from briefing.review.decisions import ground_evidence
from briefing.store.database import Store
from briefing.text.segment import split_sentences
from briefing.track import statements
from briefing.track import tracking as track

from . import statement_oracle as oracle
from .conftest import SEED_DAY, SEEDS

runner = CliRunner()


def brief(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@dataclass
class Said:
    """A position to store for an article: the sentence holding `quote` is its evidence."""

    quote: str
    stance: str
    topic: str = "foreign_troops"
    speaker: str = "Dmitry Peskov"


def store_said(path: Path, said: list[Said]) -> str:
    """Ingest `path` and save these positions as its extraction under the replay identity, so
    `brief generate` finds it done (only the day's summary has no recording)."""
    settings = load_settings()
    with Store(settings.store_path) as store:
        report = ingest(store, [path])
        article = (report.added + report.known)[0]
        sentences = store.sentences(article.id)
        extractor = Extractor(store, open_client(settings, store), settings)
        positions = []
        for s in said:
            (evidence,) = [x.index for x in sentences if s.quote in article.text[x.start : x.end]]
            kind, spans, quotes = ground_evidence(article, sentences, [evidence])
            positions.append(
                Position(
                    article_id=article.id,
                    speaker=s.speaker,
                    role="Kremlin spokesman",
                    topic=s.topic,
                    stance=s.stance,
                    summary=f"Peskov on {s.topic}.",
                    kind=kind,  # type: ignore[arg-type]
                    evidence=[evidence],
                    spans=spans,
                    quotes=quotes,
                )
            )
        store.save_extraction(
            article.id,
            provider=extractor.client.provider,
            model=extractor.client.model,
            prompt_id=extractor.prompt_id,
            schema_hash=extractor.schema_hash,
            positions=positions,
            error=None,
            calls=1,
            prompt_tokens=10,
            completion_tokens=5,
        )
        return article.id


def write(folder: Path, name: str, published: str, body: str, source: str = "Wire") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"---\npublished: {published}\nsource: {source}\n---\n{body}", encoding="utf-8")
    return path


# actors ----------------------------------------------------------------------------------------


def test_one_actor_for_every_way_the_text_names_peskov() -> None:
    book = track.load_actors(load_settings())
    names = [
        "Dmitry Peskov",
        "Peskov",
        "the Kremlin spokesman",
        "Kremlin spokesperson Dmitry Peskov",
        "Kremlin Spokesman Dmitry Peskov",
        "Dmitri Peskov",
        "Mr. Peskov",
    ]
    assert {book.resolve(n).id for n in names} == {"peskov"}
    peskov = book.resolve("Peskov")
    assert peskov.speaks_for == "kremlin" and peskov.voice == "kremlin"
    assert book.resolve("the Kremlin").kind == "institution"
    assert book.resolve("Russia’s Foreign Ministry").id == "russia_mfa"
    assert book.normalise("Kiev") == book.normalise("Kyiv")
    # A speaker the file does not list is an actor of its own, by surname.
    assert book.resolve("Jo Bloggs").id == book.resolve("Bloggs").id == "unlisted:bloggs"


def test_merging_actors_in_review_adds_an_alias_the_user_can_edit(isolated: Path) -> None:
    settings = load_settings()
    assert track.load_actors(settings).resolve("Moscow").kind == "unlisted"
    code, _, err = brief("review", "merge-actors", "Moscow", "the Kremlin")
    assert code == 0, err
    alias_file = isolated / "actors.toml"
    assert '"Moscow" = "kremlin"' in alias_file.read_text()
    assert track.load_actors(settings).resolve("Moscow").id == "kremlin"
    assert brief("review", "merge-actors", "Kremlin sources", "kremlin")[0] == 0  # appends
    book = track.load_actors(settings)
    assert book.resolve("Kremlin sources").id == book.resolve("Moscow").id == "kremlin"
    code, _, err = brief("review", "merge-actors", "Moscow", "nobody-known")
    assert code == 1 and "unknown actor" in err


def test_actors_file_in_config_replaces_the_shipped_list(isolated: Path, tmp_path: Path) -> None:
    custom = tmp_path / "mine.toml"
    custom.write_text(
        '[actors.desk]\nname = "The Desk"\nkind = "institution"\naliases = ["Desk"]\n'
    )
    isolated.mkdir(parents=True, exist_ok=True)
    (isolated / "config.toml").write_text(f'actors_file = "{custom}"\n')
    book = track.load_actors(load_settings())
    assert book.resolve("the desk").id == "desk" and book.resolve("Peskov").kind == "unlisted"


# topics ----------------------------------------------------------------------------------------


def test_topic_is_corrected_only_when_the_keywords_are_clear() -> None:
    keywords = track.load_keywords()
    sanctions = "Peskov said new sanctions harm bilateral relations."
    assert track.check_topic("foreign_troops", sanctions, keywords) == (
        "sanctions",
        "topic corrected from foreign_troops by keywords",
    )
    # The model's topic is named in the evidence: kept.
    assert track.check_topic("sanctions", sanctions, keywords) == ("sanctions", None)
    # Two topics named: not clear, kept.
    both = "Sanctions and foreign troops were discussed."
    assert track.check_topic("territory", both, keywords) == ("territory", None)
    # A proposed topic outside the list is kept for review whatever the evidence says.
    assert track.check_topic("grain_deal", "The grain deal was signed.", keywords) == (
        "grain_deal",
        None,
    )


def test_a_proposed_topic_is_kept_and_shown_for_review(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "grain.md",
        "2025-12-16",
        "Kremlin spokesman Dmitry Peskov spoke on Tuesday.\n"
        "“The grain corridor must reopen soon,” Peskov said.\n",
    )
    store_said(path, [Said("grain corridor", "supports", topic="grain_corridor")])
    code, out, err = brief("generate", "--date", SEED_DAY)
    assert code == 0, err
    assert "### Grain corridor (proposed topic)" in out
    # Not escaped within a word: a key the reader can copy from the plain-text email.
    assert "Proposed topics, not in the topic list: grain_corridor." in out
    code, out, _ = brief("timeline", "--actor", "peskov", "--json")
    assert json.loads(out)["positions"][0]["topic"] == "grain_corridor"


# statement dates -------------------------------------------------------------------------------

WED = dt.date(2025, 8, 27)  # a Wednesday


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("on Wednesday", WED),
        ("On Wednesday", WED),
        ("on Tuesday", dt.date(2025, 8, 26)),
        ("on Thursday", dt.date(2025, 8, 21)),
        ("yesterday", dt.date(2025, 8, 26)),
        ("today", WED),
        ("on Aug. 14", dt.date(2025, 8, 14)),
        ("on Dec. 14", dt.date(2024, 12, 14)),  # after publication: last year's
    ],
)
def test_relative_dates_resolve_against_the_publication_date(
    phrase: str, expected: dt.date
) -> None:
    assert track.resolve_when(phrase, WED) == expected


def test_statement_date_comes_from_the_evidence_or_the_sentence_before() -> None:
    text = (
        "Officials met in Moscow yesterday. "
        "“We are ready,” Peskov said. "
        "He spoke again on Monday. "
        "“Nothing changed,” he added.\n"
    )
    article = Article(id="a", text=text, published=WED, date_status=DateStatus.GIVEN)
    sentences = split_sentences(text)
    assert track.statement_date(article, sentences, [2]) == track.StatementDate(
        dt.date(2025, 8, 26), 'resolved from "yesterday"'
    )
    said = track.statement_date(article, sentences, [4])
    assert said.date == dt.date(2025, 8, 25) and said.resolved
    plain = Article(id="b", text="“We are ready,” Peskov said.\n", published=WED)
    assert track.statement_date(plain, split_sentences(plain.text), [1]) == track.StatementDate(
        WED, "publication date"
    )
    undated = Article(id="c", text=plain.text)
    assert track.statement_date(undated, split_sentences(undated.text), [1]).how == "undated"


# labels ----------------------------------------------------------------------------------------


def _entry(
    day: str,
    stance: str,
    quote: str,
    topic: str = "foreign_troops",
    speaker: str = "Peskov",
    source: str = "Wire",
) -> track.Entry:
    text = f"“{quote},” {speaker} said.\n"
    article = Article(
        id=f"{day}-{source}-{quote[:8]}",
        text=text,
        source=source,
        published=dt.date.fromisoformat(day),
        date_status=DateStatus.GIVEN,
    )
    position = Position(
        article_id=article.id,
        speaker=speaker,
        role="",
        topic=topic,
        stance=stance,
        summary="",
        kind="direct",
        evidence=[1],
        spans=[(1, 1 + len(quote))],
        quotes=[quote],
    )
    return track.make_entry(
        position, article, split_sentences(text), track.load_actors(load_settings()), {}
    )


def test_labels_new_reiterated_shifted_against_the_latest_earlier_position() -> None:
    entries = [
        _entry("2025-08-27", "opposes", "We view European troops in Ukraine negatively"),
        _entry("2025-09-24", "opposes", "Foreign troops would be a target for our forces"),
        _entry(
            "2025-12-16", "conditional", "However this issue of foreign troops can be discussed"
        ),
        _entry("2025-12-16", "opposes", "Sanctions harm our relations", topic="sanctions"),
        # The Kremlin itself speaks with Peskov's voice: the same line.
        _entry(
            "2025-12-20",
            "conditional",
            "The question of contingents is open to talks",
            speaker="the Kremlin",
        ),
    ]
    statements = oracle.group_statements(entries)
    oracle.label_statements(statements)
    got = [
        (
            s.date.isoformat() if s.date else "",
            s.topic,
            s.label,
            s.earlier.date.isoformat() if s.earlier and s.earlier.date else None,
        )
        for s in statements
    ]
    assert got == [
        ("2025-08-27", "foreign_troops", "new", None),
        ("2025-09-24", "foreign_troops", "reiterated", "2025-08-27"),
        ("2025-12-16", "foreign_troops", "shifted", "2025-09-24"),
        ("2025-12-16", "sanctions", "new", None),
        ("2025-12-20", "foreign_troops", "reiterated", "2025-12-16"),
    ]


def test_the_briefing_opens_with_the_shift_showing_both_statements(tmp_path: Path) -> None:
    august = write(
        tmp_path,
        "aug.md",
        "2025-08-27",
        "Kremlin spokesman Dmitry Peskov on Wednesday spoke to reporters.\n"
        "He said Moscow views the prospect of European troops in Ukraine negatively.\n",
        source="Agency A",
    )
    december = write(
        tmp_path,
        "dec.md",
        SEED_DAY,
        "Kremlin spokesperson Dmitry Peskov spoke to reporters.\n"
        "“Our approach to foreign military units in Ukraine is well known. "
        "However, this issue can be discussed,” Peskov said.\n",
        source="Agency B",
    )
    store_said(august, [Said("views the prospect", "opposes")])
    store_said(december, [Said("this issue can be discussed", "conditional")])
    code, out, err = brief("generate", "--date", SEED_DAY)
    assert code == 0, err
    assert out.index("## What changed") < out.index("## Positions by topic")
    changed = out.split("## What changed\n")[1].split("\n## ")[0]
    assert changed.lstrip().startswith("- **Shifted: Dmitry Peskov** on Foreign troops in Ukraine")
    assert "from opposes to conditional" in changed
    # the statement now is its entry, numbered in the shift line; the earlier one is quoted
    assert "from opposes to conditional (now: 1, 2025-12-16)" in changed
    assert "1. *conditional*: “Our approach" in out
    assert '2025-08-27 (resolved from "on Wednesday"), Agency A: reported: ' in changed
    assert "views the prospect" in changed
    assert "**shifted** (before: opposes, 2025-08-27)" in out
    # The lead opens with it, built from the entry's fields.
    lead = out.split("## The day in brief\n")[1].split("\n## ")[0]
    assert lead.lstrip().startswith("- **Dmitry Peskov** shifted: now ")
    assert "\n1 article, 1 position.\n" in out  # deliver still finds the counts


def test_no_shift_between_statements_whose_topic_only_the_model_gave(tmp_path: Path) -> None:
    """ "Some things were accepted" (3 Dec) and "the topic is not closed to dialogue" (16 Dec)
    filed by the model under NATO membership, with no word of NATO in either: not a shift
    from one stance to another on NATO, only the same voice again."""
    earlier = write(
        tmp_path,
        "early.md",
        "2025-12-03",
        "Kremlin spokesman Dmitry Peskov spoke to reporters.\n"
        "“Some things were accepted, and some things were marked as unacceptable,” he said.\n",
    )
    later = write(
        tmp_path,
        "late.md",
        SEED_DAY,
        "Kremlin spokesperson Dmitry Peskov spoke to reporters.\n"
        "Peskov indicated that the topic is not entirely closed to dialogue.\n",
    )
    store_said(earlier, [Said("Some things were accepted", "opposes", "nato_membership")])
    store_said(later, [Said("not entirely closed", "conditional", "nato_membership")])
    code, out, err = brief("generate", "--date", SEED_DAY)
    assert code == 0, err
    assert "**Shifted" not in out and "**shifted" not in out and "shifted:" not in out
    assert "**reiterated**" not in out


# one statement, several outlets ------------------------------------------------------------------


def rewritten_copy(text: str) -> str:
    """The seed article as another outlet would run it: its own headline and furniture, the
    quotes kept, paragraphs in another order."""
    lines = [line for line in text.splitlines() if line.strip()]
    body = lines[6:12] + lines[:6] + lines[12:]
    return (
        "Moscow awaits word from Washington on Berlin talks\n\n"
        + "\n\n".join(body)
        + "\n\nShare this article\n"
    )


def test_the_same_statement_from_two_outlets_is_one_position(tmp_path: Path) -> None:
    seed = (SEEDS / "000_2dcf224ea3a6d1b0.md").read_text(encoding="utf-8")
    body = seed.split("---\n", 2)[2]
    first = write(tmp_path, "wire.md", "2025-12-15", body, source="Wire One")
    second = write(tmp_path, "other.md", SEED_DAY, rewritten_copy(body), source="Other Daily")
    quote = "As soon as they are ready"
    store_said(first, [Said(quote, "neutral", topic="us_mediation")])
    store_said(
        second,
        [
            Said(quote, "neutral", topic="us_mediation", speaker="Peskov"),
            Said("this issue can be discussed", "conditional"),
        ],
    )
    code, out, err = brief("generate", "--date", SEED_DAY)
    assert code == 0, err
    assert "reported by 2 outlets, first by Wire One;" in out or out.count(
        "reported by 2 outlets, first by Wire One"
    )
    code, out, _ = brief("timeline", "--actor", "Peskov", "--topic", "us_mediation", "--json")
    (statement,) = json.loads(out)["positions"]
    assert [s["outlet"] for s in statement["sources"]] == ["Wire One", "Other Daily"]
    assert statement["date"] == "2025-12-15"


def test_different_words_or_dates_far_apart_stay_apart() -> None:
    a = _entry("2025-12-01", "neutral", "We will wait for the results of their work", source="A")
    b = _entry("2025-12-02", "neutral", "We will wait for the results of their work", source="B")
    c = _entry("2025-12-20", "neutral", "We will wait for the results of their work", source="C")
    d = _entry("2025-12-02", "neutral", "Sanctions harm our bilateral relations badly", source="D")
    groups = oracle.group_statements([a, b, c, d])
    assert sorted(len(g.entries) for g in groups) == [1, 1, 2]
    assert statements.quotes_overlap(
        ["“We will, wait for the results”"], ["we will wait for the results."]
    )


# the seeds, from the recorded answers -------------------------------------------------------------


@pytest.fixture
def seeds_extracted() -> None:
    assert brief("ingest", str(SEEDS))[0] == 0
    assert brief("extract", "--all")[0] == 0


def test_timeline_lists_an_actor_in_statement_date_order(seeds_extracted: None) -> None:
    code, out, err = brief("timeline", "--actor", "the Kremlin spokesman", "--json")
    assert code == 0, err
    rows = json.loads(out)["positions"]
    dates = [r["date"] for r in rows]
    # Peskov's earliest statement is in the 21 April article. (The "April 17" meeting there is
    # narration of what US officials presented: no statement of his, so no date of his.)
    assert dates == sorted(dates) and dates[0] == "2025-04-21" and dates[-1] == SEED_DAY
    assert {r["actor"] for r in rows} == {"peskov"}
    wednesday = [r for r in rows if r["date_how"] == 'resolved from "on Wednesday"']
    assert wednesday and wednesday[0]["date"] == "2025-08-27"
    assert all(r["sources"] and r["quotes"] for r in rows)
    # Roles as the articles give them beside his name, read by the finder, never a guess.
    assert any(r["role"] == "Kremlin spokesman" for r in rows)
    assert all(
        r["role"]
        in ("", "Kremlin spokesman", "Kremlin spokesperson", "spokesman", "Kremlin Spokesman")
        for r in rows
    ), {r["role"] for r in rows}
    code, md, _ = brief(
        "timeline", "--actor", "peskov", "--topic", "nato_membership", "--since", "2025-08-01"
    )
    assert code == 0 and md.startswith("# Timeline: Dmitry Peskov")
    assert "## 2025-04-21" not in md and "## 2025-12-03: nato_membership" in md
    code, _, err = brief("timeline", "--actor", "Nobody Atall")
    assert code == 1 and "no actor" in err


def test_seed_briefing_shows_the_foreign_troops_shift_against_late_august(
    seeds_extracted: None,
) -> None:
    code, out, err = brief("generate", "--date", SEED_DAY)
    assert code == 0, err
    changed = out.split("## What changed\n")[1].split("\n## ")[0]
    shift = [line for line in changed.split("\n- ") if "Shifted" in line and "troops" in line]
    assert shift, changed
    assert "2025-08-27" in shift[0] and "2025-12-16" in shift[0]
    assert "views the prospect" in shift[0]  # the earlier words
    # the words now are those of the entry the shift line numbers
    number = re.search(r"\(now: (\d+), 2025-12-16\)", shift[0])
    assert number is not None, shift[0]
    entry = re.search(rf"^- {number.group(1)}\. \*conditional\*: (.*)$", out, re.MULTILINE)
    assert entry is not None and "can be discussed" in entry.group(1)


# the tracking index ----------------------------------------------------------------------------

# Wire stories over ten days: the same quotations picked up by other outlets a day or two later,
# the line shifting and coming back, another speaker with the same words, and one item far
# outside the same-statement window.
_STORIES = [
    (
        "2025-12-01",
        "Wire A",
        "Peskov",
        "We will not accept foreign troops in Ukraine at all",
        "opposes",
    ),
    (
        "2025-12-02",
        "Daily B",
        "Peskov",
        "We will not accept foreign troops in Ukraine at all",
        "opposes",
    ),
    (
        "2025-12-03",
        "Post C",
        "Peskov",
        "Troops from Europe could be part of a settlement",
        "conditional",
    ),
    (
        "2025-12-04",
        "Wire A",
        "Peskov",
        "Troops from Europe could be part of a settlement",
        "neutral",
    ),
    (
        "2025-12-04",
        "Herald D",
        "Zakharova",
        "We will not accept foreign troops in Ukraine at all",
        "opposes",
    ),
    (
        "2025-12-06",
        "Daily B",
        "Peskov",
        "Any foreign troops in Ukraine would be a target",
        "opposes",
    ),
    ("2025-12-07", "Post C", "Peskov", "foreign troops in Ukraine would be a", "opposes"),
    (
        "2025-12-10",
        "Wire A",
        "Peskov",
        "We will not accept foreign troops in Ukraine at all",
        "opposes",
    ),
]


def _store_stories(tmp_path: Path) -> list[str]:
    ids = []
    for n, (day, outlet, speaker, quote, stance) in enumerate(_STORIES):
        path = write(
            tmp_path / "stories",
            f"{n:02}.md",
            day,
            f"{outlet} reports on the talks of {day}.\n“{quote},” {speaker} told reporters.\n",
            source=outlet,
        )
        ids.append(store_said(path, [Said(quote, stance, speaker=speaker)]))
    return ids


def _seen(statements: list[track.Statement]) -> list[tuple[object, ...]]:
    return [
        (
            s.first.position.id,
            s.label,
            s.stance,
            tuple(s.outlets),
            s.earlier.first.position.id if s.earlier else None,
        )
        for s in statements
    ]


def test_the_index_tracks_each_day_as_the_whole_history_does(tmp_path: Path) -> None:
    _store_stories(tmp_path)
    settings = load_settings()
    book, keywords = track.load_actors(settings), track.load_keywords(None)
    with Store(settings.store_path) as store:
        everything = oracle.group_statements(track.stored_entries(store, book, keywords))
        oracle.label_statements(everything)
        owner = {e.position.id: s for s in everything for e in s.entries}
        assert track.refresh_index(store, book, keywords) == len(_STORIES)
        labels: set[str] = set()
        for day in sorted({d for d, *_ in _STORIES}):
            entries = [
                e
                for e in track.stored_entries(store, book, keywords)
                if e.article.published == dt.date.fromisoformat(day)
            ]
            by_index = track.track_with_index(store, book, keywords, entries)
            assert _seen(by_index) == _seen([owner[e.position.id] for e in entries]), day
            labels.update(s.label for s in by_index)
        assert labels == {"new", "reiterated", "shifted"}
        # Two outlets, one statement; the 12-10 repetition is too late to join it.
        first = owner[min(i for i in owner if i is not None)]
        assert first.outlets == ["Wire A", "Daily B"] and first.label == "new"
        # `brief timeline` reads one actor's statements from the index: the same ones.
        peskov = book.find("peskov")
        assert peskov is not None
        mine = [s for s in everything if s.actor.id == "peskov"]
        assert _seen(track.actor_statements(store, book, keywords, peskov)) == _seen(mine)
        assert len(mine) == 4


def test_the_index_follows_new_extractions_reviews_and_alias_changes(tmp_path: Path) -> None:
    ids = _store_stories(tmp_path)
    settings = load_settings()
    book, keywords = track.load_actors(settings), track.load_keywords(None)
    with Store(settings.store_path) as store:
        assert track.refresh_index(store, book, keywords) == len(_STORIES)
        assert track.refresh_index(store, book, keywords) == 0  # nothing changed: nothing read
    # An analyst rejects the 12-06 position: the 12-07 report is a statement of its own now, and
    # compares with the statement first reported on 12-03 (and again on 12-04).
    code, out, err = brief("review", "list", "--json")
    assert code == 0, err
    rows = [r for r in json.loads(out)["positions"] if r["article_id"] == ids[5]]
    assert brief("review", "reject", str(rows[0]["id"]))[0] == 0
    with Store(settings.store_path) as store:
        assert track.refresh_index(store, book, keywords) == 1
        entries = [e for e in track.stored_entries(store, book, keywords) if e.article.id == ids[6]]
        (statement,) = track.track_with_index(store, book, keywords, entries)
        assert statement.label == "shifted" and statement.earlier is not None
        assert statement.earlier.first.date == dt.date(2025, 12, 3)
        assert statement.earlier.outlets == ["Post C", "Wire A"] and statement.outlets == ["Post C"]
    # Merging Zakharova into Peskov (a review action) changes the rules: everything is redone.
    assert brief("review", "merge-actors", "Zakharova", "peskov")[0] == 0
    book = track.load_actors(settings)
    with Store(settings.store_path) as store:
        assert track.refresh_index(store, book, keywords) == len(_STORIES)


def test_the_index_holds_each_articles_latest_extraction(tmp_path: Path) -> None:
    from .reviewing import BLOGGS_PLAN, DAY, PESKOV_TALKS, store_positions

    briefed = store_positions(tmp_path / "articles", [PESKOV_TALKS])
    # A later extraction by another prompt: the one tracking must stand on, although the
    # briefing (made with the current prompt) still shows the first.
    latest = store_positions(tmp_path / "articles", [BLOGGS_PLAN], prompt_id="otherprompt")
    code, out, err = brief("generate", "--date", DAY)
    assert code == 0, err
    assert "Dmitry Peskov" in out
    with Store(load_settings().store_path) as store:
        assert set(store.statements_of(latest)) == set(latest)
        assert store.statements_of(briefed) == {}


def test_extractions_forgotten_take_the_tracking_index_with_them(isolated: Path) -> None:
    """Re-extracting from the cache (what fixture recording does) must not trip over index
    rows of positions that are gone: position ids are reused."""
    from briefing.pipeline import build_briefing

    settings = load_settings()
    with Store(settings.store_path) as store, open_client(settings, store) as client:
        ingest(store, [SEEDS])
        day = dt.date.fromisoformat(SEED_DAY)
        first = build_briefing(store, client, settings, day)
        store.forget_extractions()
        assert store.count("positions") == 0
        again = build_briefing(store, client, settings, day)
    assert again.markdown == first.markdown


def test_a_first_day_lists_no_voices_as_heard_for_the_first_time(tmp_path: Path) -> None:
    names = ["Ana Ruiz", "Ben Ode", "Cleo Marr", "Dan Voss", "Eva Lind", "Finn Holt"]
    body = "".join(f"{name} said talks would resume in week {i}.\n" for i, name in enumerate(names))
    first = write(tmp_path, "first.md", "2025-08-27", body)
    said = [Said(f"week {i}", "neutral", speaker=name) for i, name in enumerate(names)]
    store_said(first, said)
    code, out, err = brief("generate", "--date", "2025-08-27")
    assert code == 0, err
    lead = out.split("## The day in brief\n")[1].split("\n## ")[0]
    assert lead.count("\n- ") + lead.startswith("- ") >= 4  # the lead still leads
    assert "First heard from" not in out  # every voice is new on the first day briefed
