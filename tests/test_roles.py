"""Who speaks, as a briefing shows it: speakers the article names, roles it gives beside them."""

from __future__ import annotations

from briefing.extract.roles import checked_role, role_in_text, speaker_in_text
from briefing.models import Position

TEXT = (
    "Kremlin spokesperson Dmitry Peskov said Russia is waiting for the United States.\n"
    "“Our approach is well known. However, this issue can be discussed,” he said.\n"
    "Russia’s Foreign Ministry has stressed that NATO troops are unacceptable.\n"
)


def test_speaker_in_text() -> None:
    assert speaker_in_text("Dmitry Peskov", TEXT)
    assert speaker_in_text("Mr. Peskov", TEXT)
    assert speaker_in_text("Russia's Foreign Ministry", TEXT)
    assert not speaker_in_text("Keir Starmer", TEXT)
    assert not speaker_in_text("", TEXT)


def test_a_made_up_first_name_is_not_the_speaker() -> None:
    text = "Vladimir Putin and Dmitry Peskov met. Foreign Minister Sergey Lavrov spoke to Peskov."
    assert not speaker_in_text("Vladimir Peskov", text)
    assert not speaker_in_text("Sergey Peskov", text)
    assert speaker_in_text("Dmitry Peskov", text)
    assert speaker_in_text("Kremlin spokesman Dmitry Peskov", text)
    assert speaker_in_text("the Foreign Minister", text)


def test_a_role_is_briefed_only_where_the_article_gives_it_beside_the_name() -> None:
    assert role_in_text("Kremlin spokesperson", "Dmitry Peskov", TEXT)
    assert role_in_text("the Kremlin’s spokesperson", "Peskov", TEXT)
    # In the article, but not beside his name: another speaker's title, or a guess.
    assert not role_in_text("Foreign Ministry", "Peskov", TEXT)
    assert not role_in_text("foreign minister", "Dmitry Peskov", TEXT)
    assert not role_in_text("", "Dmitry Peskov", TEXT)
    position = Position(
        article_id="a",
        speaker="Dmitry Peskov",
        role="Russian foreign minister",
        topic="foreign_troops",
        stance="conditional",
        summary="",
        kind="direct",
        evidence=[2],
        spans=[(90, 120)],
        quotes=[TEXT[90:120]],
    )
    assert checked_role(position, TEXT).role == ""  # briefed without it
    edited = position.model_copy(
        update={"edited": {"role": "Russian foreign minister"}, "role": "Kremlin press secretary"}
    )
    assert checked_role(edited, TEXT).role == "Kremlin press secretary"  # an analyst's word
