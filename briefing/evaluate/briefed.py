"""The entries a briefing shows for one article's positions, as `brief eval` scores them: the
parts of one statement merged by `briefing.track.merge` (the one owner of that rule), each
filed under a topic as the briefing files it.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefing.find.layout import furniture_sentences
from briefing.models import Position
from briefing.text.segment import split_sentences
from briefing.track.actors import ActorBook
from briefing.track.entries import about_topic, sentences_text
from briefing.track.merge import Reading, merged_position, statement_groups


def briefed_entries(
    positions: Sequence[Position],
    book: ActorBook,
    text: str,
    keywords: dict[str, list[str]] | None = None,
) -> list[Position]:
    """The valid positions, parts of one statement merged, then those held for review as they
    are. A merged statement is filed under the topic of a part whose words name it by the
    topic list's `keywords` where its parts were filed under several (`merge.topic_part`), as
    the briefing's tracking reads them (`briefing.track.entries.about_topic`)."""
    read: Reading[Position] = Reading(
        position=lambda p: p,
        voice=lambda p: book.resolve_in(p.speaker, text).voice,
        topic=lambda p: p.topic,
        speaker_words=lambda p: text[p.source[0] : p.source[1]] if p.source else None,
        furniture=lambda p: furniture_sentences(text),
    )
    groups = statement_groups([p for p in positions if p.valid], read)
    sentences = split_sentences(text)

    def in_words(p: Position) -> bool:
        evidence = sentences_text(text, sentences, p.evidence)
        return about_topic(p.topic, p.quotes, evidence, keywords or {})

    return [merged_position(g, in_words) for g in groups] + [p for p in positions if not p.valid]
