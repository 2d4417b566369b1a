"""Gold made from analysts' review: the fully reviewed articles, for `brief eval`.

It lives in evaluate, not in review, because it needs both: the review stage's decisions and
evaluate's gold documents. Evaluate sits above the stages and may import them; review importing
evaluate closed the cycle review -> evaluate -> pipeline -> review.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from briefing.evaluate.gold import GoldDocument
from briefing.evaluate.spans import gold_from_positions
from briefing.models import Article
from briefing.review.listing import ReviewItem, list_positions
from briefing.store.database import Store


@dataclass
class GoldExport:
    documents: list[GoldDocument]  # one per fully reviewed article
    positions: int
    skipped: list[Article]  # articles with positions nobody has decided on yet


def reviewed_gold(store: Store, day: dt.date | None = None) -> GoldExport:
    """The articles whose every position an analyst decided on, as gold for `brief eval`: the
    approved and edited positions (as edited) are the attributions; rejected ones are not. An
    article with an undecided position is skipped, since its gold would be incomplete."""
    by_article: dict[str, list[ReviewItem]] = {}
    articles: dict[str, Article] = {}
    for item in list_positions(store, day).items:
        by_article.setdefault(item.article.id, []).append(item)
        articles[item.article.id] = item.article
    export = GoldExport(documents=[], positions=0, skipped=[])
    for article_id, items in by_article.items():
        article = articles[article_id]
        if any(i.position.review_status == "pending" for i in items):
            export.skipped.append(article)
            continue
        kept = [i.position for i in items if i.position.review_status in ("approved", "edited")]
        export.documents.append(
            gold_from_positions(article.id, article.text, store.sentences(article.id), kept)
        )
        export.positions += len(kept)
    return export
