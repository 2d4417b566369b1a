"""The stance rules' readings of the candidates a labelling plan holds (`briefing.extract.label`).

A candidate is read against the proposition of the topic it is filed under (`read_stance`), so
a reading waits for the topic; each is read once, when first needed.
"""

from __future__ import annotations

from briefing.extract.items import LabelItem
from briefing.extract.stance import StanceEvidence, StanceLexicon, read_stance


class StanceReadings(dict[tuple[int, str | None], StanceEvidence]):
    """The rules' reading of each candidate's stance on its topic's proposition, read when
    first needed: a plan that is only counted (`briefing.llm.cost`) needs it only where the
    model is asked for stance, and before the topic is known (topic None) that reading is
    without a proposition."""

    def __init__(
        self,
        items: list[LabelItem],
        lexicon: StanceLexicon | None,
        propositions: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self._items = {item.id: item for item in items}
        self._lexicon = lexicon
        self._propositions = propositions or {}

    def of(self, item: int, topic: str | None = None) -> StanceEvidence:
        return self[item, topic]

    def __missing__(self, key: tuple[int, str | None]) -> StanceEvidence:
        item, topic = key
        proposition = self._propositions.get(topic) if topic is not None else None
        value = self[key] = read_stance(self._items[item].content, self._lexicon, proposition)
        return value
