"""One owner of names (briefing.text.names): the speaker key that drafts, review decisions and
tracking share, folding, whether a text names a speaker; and the regression that two different
ministers or two companies' spokesmen were one tracking actor."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from briefing.config import load_settings
from briefing.extract.roles import role_in_text, speaker_in_text
from briefing.models import ArticleResult, Position
from briefing.pipeline import ingest
from briefing.review.deciding import approve
from briefing.review.decisions import ground_evidence
from briefing.review.listing import list_positions
from briefing.store.database import Store
from briefing.text.names import fold, name_in_text, name_words, same_speaker, speaker_key
from briefing.track import tracking as track

from .reviewing import store_positions

# the key ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["Dmitry Peskov", "Peskov", "Mr. Peskov", "Peskov’s", "Kremlin spokesman Dmitry Peskov",
     "Dmitry Peskov, the Kremlin spokesman", "DMITRY PESKOV"],
)  # fmt: skip
def test_every_way_of_naming_peskov_is_one_key(name: str) -> None:
    assert speaker_key(name) == "peskov"


def test_descriptions_are_keyed_whole_so_two_ministers_stay_two() -> None:
    assert speaker_key("Health Minister") == speaker_key("the Health Minister") == "health minister"
    assert speaker_key("Health Minister") != speaker_key("Finance Minister")
    assert speaker_key("Acme spokesman") != speaker_key("Globex spokesman")
    assert speaker_key("Russia’s Defence Ministry") != speaker_key("Russia’s Foreign Ministry")
    assert speaker_key("Minister of Health") != speaker_key("Minister of Finance")
    # A title before a name is not a description: the name decides.
    assert speaker_key("President Putin") == speaker_key("Vladimir Putin") == "putin"
    assert speaker_key("Jane Doe, the health minister") == speaker_key("Ms Doe") == "doe"


def test_folding_drops_case_diacritics_apostrophes_and_possessives() -> None:
    assert fold("  José   ÁLVAREZ ") == "jose alvarez"
    assert name_words("Russia’s Foreign Ministry") == ("russia", "foreign", "ministry")
    assert name_words("O’Brien's") == ("o'brien",)
    assert speaker_key("José Álvarez") == speaker_key("Jose Alvarez")
    assert speaker_key("Ann Smith-Jones") != speaker_key("Bob Jones")
    assert same_speaker("Mr. O’Brien", "Pat O'Brien")


def test_a_text_names_the_speaker() -> None:
    text = "Kremlin spokesman Dmitry Peskov’s remarks came as José Álvarez spoke to Peskov."
    assert name_in_text("Dmitry Peskov", text) and name_in_text("Mr. Peskov", text)
    assert name_in_text("Jose Alvarez", text)  # diacritics fold on both sides
    assert not name_in_text("Vladimir Peskov", text)  # a made-up first name
    assert not name_in_text("", text)
    assert speaker_in_text("Dmitry Peskov", text)  # extraction asks the same module


def test_a_role_is_checked_beside_the_whole_description() -> None:
    text = "The Health Minister said the plan was sound. Separately, rain fell on the capital."
    assert role_in_text("health minister", "Health Minister", text)
    assert not role_in_text("finance minister", "Health Minister", text)


# tracking: the regression --------------------------------------------------------------------


def test_two_ministers_and_two_spokesmen_are_four_tracking_actors() -> None:
    book = track.load_actors(load_settings())
    ids = {name: book.resolve(name).id for name in
           ["Health Minister", "the Health Minister", "Finance Minister",
            "Acme spokesman", "Acme spokeswoman", "Globex spokesman"]}  # fmt: skip
    assert ids["Health Minister"] == ids["the Health Minister"] == "unlisted:health minister"
    assert ids["Finance Minister"] == "unlisted:finance minister"
    # spokeswoman and spokesman are spelling variants in the shipped alias file
    assert ids["Acme spokesman"] == ids["Acme spokeswoman"] == "unlisted:acme spokesman"
    assert ids["Globex spokesman"] == "unlisted:globex spokesman"
    # What was one actor stays one.
    assert {book.resolve(n).id for n in ["Dmitry Peskov", "Peskov", "Mr. Peskov"]} == {"peskov"}
    assert {book.resolve(n).id for n in ["Jo Bloggs", "Bloggs", "Mr. Bloggs"]} == {
        "unlisted:bloggs"
    }


def _store_said(
    store: Store, folder: Path, day: str, speaker: str, quote: str, stance: str
) -> Position:
    """An article of `day` in which `speaker` says `quote`, with that one position stored."""
    path = folder / f"{day}-{speaker.replace(' ', '_')}.md"
    path.write_text(
        f"---\npublished: {day}\nsource: Wire\n---\n“{quote},” the {speaker} said.\n",
        encoding="utf-8",
    )
    report = ingest(store, [path])
    article = (report.added + report.known)[0]
    sentences = store.sentences(article.id)
    kind, spans, quotes = ground_evidence(article, sentences, [1])
    position = Position(
        article_id=article.id, speaker=speaker, role="", topic="sanctions", stance=stance,  # type: ignore[arg-type]
        summary=f"The {speaker} on sanctions.", kind=kind, evidence=[1], spans=spans, quotes=quotes,  # type: ignore[arg-type]
    )  # fmt: skip
    store.save_extraction(
        article.id, provider="test", model="test", prompt_id="p", schema_hash="s",
        positions=[position], error=None, calls=1, prompt_tokens=1, completion_tokens=1,
    )  # fmt: skip
    (saved,) = store.latest_positions(article.id)
    return saved


@pytest.mark.parametrize(
    ("first", "second"),
    [("Health Minister", "Finance Minister"), ("Acme spokesman", "Globex spokesman")],
)
def test_one_speaker_is_not_shifted_by_what_another_said(
    tmp_path: Path, first: str, second: str
) -> None:
    settings = load_settings()
    with Store(settings.store_path) as store:
        _store_said(
            store, tmp_path, "2025-12-10", first, "The new sanctions are a mistake", "opposes"
        )
        later = _store_said(
            store, tmp_path, "2025-12-16", second, "The new sanctions will work", "supports"
        )
        article = store.get_article(later.article_id)
        assert article is not None
        tracked = track.track_positions(store, settings, [ArticleResult(article, [later])], [later])
        (statement,) = tracked.values()
        assert statement.label == "new" and statement.earlier is None
        # The same speaker on both days is a shift, as before.
        again = _store_said(
            store, tmp_path, "2025-12-17", first, "The new sanctions do work", "supports"
        )
        article = store.get_article(again.article_id)
        assert article is not None
        tracked = track.track_positions(store, settings, [ArticleResult(article, [again])], [again])
        (statement,) = tracked.values()
        assert statement.label == "shifted" and statement.earlier is not None
        assert statement.earlier.first.position.speaker == first


# review decisions ------------------------------------------------------------------------------


def test_a_decision_stored_under_an_older_key_still_matches(tmp_path: Path) -> None:
    ids = store_positions(tmp_path / "articles")
    with _store() as store:
        approve(store, [ids[0]], reviewer="ana")
    # A store written before the key's rules changed holds another key for the same speaker.
    with sqlite3.connect(load_settings().store_path) as db:
        assert db.execute("UPDATE decisions SET speaker_key = 'old-style key'").rowcount == 1
    with _store() as store:
        (item,) = [i for i in list_positions(store).items if i.position.id == ids[0]]
    assert item.position.review_status == "approved" and item.position.conflict is None


def _store() -> Store:
    return Store(load_settings().store_path)


def test_a_generational_suffix_is_not_the_surname() -> None:
    # every "Jr." used to be one speaker, keyed "jr"
    assert speaker_key("Joseph R. Biden Jr.") == speaker_key("Biden") == "biden"
    assert speaker_key("Sammy Davis Jr") == "davis"
    assert speaker_key("Hank Williams Jr., the singer") == "williams"
    assert speaker_key("John Smith III") == "smith"
    assert speaker_key("Joseph R. Biden Jr.") != speaker_key("Hank Williams Jr.")
