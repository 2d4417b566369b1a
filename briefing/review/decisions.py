"""Analysts' review of extracted positions: decisions, their history, and how they follow the
evidence when an article is extracted again.

A decision (approve, reject, edit) is stored against the position's *anchor*: its article, its
evidence sentence ids and its speaker (normalised), together with the model's values the analyst
saw (`base`) and the analyst's values for the fields they changed (`edits`). Decisions are not
tied to position ids because a new prompt or model gives new positions; reading positions, for
review or for a briefing, puts the standing decision back on each position whose anchor matches:

* same anchor and the model says what it said before (or now says what the analyst wrote): the
  decision applies as it was;
* same anchor but other values: a conflict. An approval or an edit no longer applies (the analyst
  never saw the new values, so the position is pending again); a rejection keeps the position
  out. Either way the position says what changed, until someone decides on it again;
* a decision that matches no current position is listed as a conflict until it is dismissed.

The evidence can only be changed to other sentences of the same article, and quotations are
always copied from the article by the program: nothing here lets a person type a quotation.
Nothing here prints; the CLI and the web page call these functions.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, get_args

from briefing.config import Settings, os_user
from briefing.errors import CsvImportError, ReviewError
from briefing.extract.drafts import evidence_spans
from briefing.models import Article, ArticleResult, Position, Sentence, Stance
from briefing.store.database import Decision, DecisionChange, ReviewRecord, Store
from briefing.text.names import same_speaker, speaker_key
from briefing.text.segment import find_quotes, invented_quotation

STATUSES = ("pending", "approved", "rejected", "edited")
FILTERS = (*STATUSES, "conflict", "invalid")
STANCES: tuple[str, ...] = get_args(Stance)
TEXT_FIELDS = ("speaker", "role", "topic", "summary")
EDITABLE = (*TEXT_FIELDS, "stance", "evidence")
# What a decision was made on: if the model says something else here, the decision is in doubt.
COMPARED = ("speaker", "role", "topic", "stance", "summary", "kind", "evidence")
MAX_TEXT = 400
MAX_EVIDENCE = 6

_EVIDENCE_LIST = re.compile(r"^\s*S?\d+(\s*[,;\s]\s*S?\d+)*\s*$", re.IGNORECASE)


def reviewer_name(flag: str | None, settings: Settings) -> str:
    """Who is deciding: `--reviewer`, else `reviewer` in config.toml, else the OS user."""
    name = flag or settings.reviewer or os_user() or "unknown"  # a bare container has no user
    name = " ".join(name.split())
    if not name or len(name) > 80:
        raise ReviewError("a reviewer name must be 1 to 80 characters: pass --reviewer NAME")
    return name


def model_values(position: Position) -> dict[str, Any]:
    """The values a decision is compared on, as the model gave them."""
    values: dict[str, Any] = {f: getattr(position, f) for f in COMPARED}
    values["evidence"] = sorted(position.evidence)
    return values


# putting decisions on positions -------------------------------------------------------------


@dataclass
class Attached:
    """Positions with the standing decisions put on them.

    `matched[i]` is the decision that `positions[i]` matched (None: never reviewed); `unmatched`
    are the article's decisions that matched none of them.
    """

    positions: list[Position]
    matched: list[Decision | None]
    unmatched: list[Decision]


def _anchor(evidence: Iterable[int], speaker: str) -> tuple[tuple[int, ...], str]:
    return tuple(sorted(evidence)), speaker_key(speaker)


def _decision_anchors(
    d: Decision,
) -> tuple[tuple[tuple[int, ...], str], tuple[tuple[int, ...], str]]:
    """Where a decision was made (the model's evidence and speaker), and where the analyst's
    edits put it (their evidence and speaker), which a new extraction may now agree with.

    The speaker's key is made again from the name the decision was made on, not read from the
    stored `speaker_key`: a decision made before the key's rules changed still matches."""
    edited = _anchor(d.edits.get("evidence", d.evidence), d.edits.get("speaker", d.base["speaker"]))
    return _anchor(d.evidence, d.base["speaker"]), edited


def attach(
    article: Article,
    sentences: Sequence[Sentence],
    positions: Sequence[Position],
    decisions: Sequence[Decision],
) -> Attached:
    """Put the article's decisions on its positions (see the module docstring)."""
    matched: list[Decision | None] = [None] * len(positions)
    live = [d for d in decisions if d.status != "pending"]
    used: set[int] = set()
    anchors = [_anchor(p.evidence, p.speaker) for p in positions]
    # The anchor a decision was made on wins over the one the analyst's edits gave it, so that
    # a decision matches the position it was made on even if another one matches its edits.
    for which in (0, 1):
        for i, key in enumerate(anchors):
            if matched[i] is not None:
                continue
            for d in live:
                if d.id not in used and _decision_anchors(d)[which] == key:
                    matched[i] = d
                    used.add(d.id)
                    break
    reviewed = [
        _apply(article, sentences, p, d) if d is not None else p for p, d in zip(positions, matched)
    ]
    return Attached(reviewed, matched, [d for d in live if d.id not in used])


def differences(position: Position, decision: Decision) -> dict[str, list[Any]]:
    """Fields where the model now says something the analyst neither saw nor wrote:
    field: [what the decision rests on, what the model says now]."""
    now = model_values(position)
    reviewed = {**decision.base, **decision.edits}
    return {
        f: [reviewed.get(f), now[f]]
        for f in COMPARED
        if now[f] != decision.base.get(f)
        and not (f in decision.edits and now[f] == decision.edits[f])
    }


def _apply(
    article: Article, sentences: Sequence[Sentence], position: Position, decision: Decision
) -> Position:
    changed = differences(position, decision)
    if changed:
        what = "; ".join(f"{f} {_short(old)} → {_short(new)}" for f, (old, new) in changed.items())
        conflict = (
            f"{decision.status} by {decision.reviewer} on {decision.decided_at[:10]} before the "
            f"model's answer changed: {what}"
        )
        if decision.status == "rejected":
            # Keeping it out is the safe side: a rejected statement does not come back unseen.
            return position.model_copy(
                update={
                    "review_status": "rejected",
                    "reviewed_by": decision.reviewer,
                    "conflict": conflict,
                }
            )
        return position.model_copy(update={"conflict": conflict})
    update: dict[str, Any] = {}
    edited: dict[str, Any] = {}
    for name, value in decision.edits.items():
        model_value = sorted(position.evidence) if name == "evidence" else getattr(position, name)
        if value != model_value:
            update[name] = value
            edited[name] = model_value
    if "evidence" in update:
        kind, spans, quotes = ground_evidence(article, sentences, update["evidence"])
        update.update(kind=kind, spans=spans, quotes=quotes)
    update.update(
        review_status=decision.status,
        reviewed_by=decision.reviewer,
        edited=edited,
        edited_by=decision.edited_by if edited else None,
    )
    return position.model_copy(update=update)


def _short(value: Any, limit: int = 60) -> str:
    if isinstance(value, list):
        return "S" + ", S".join(map(str, value)) if value else "none"
    text = " ".join(str(value).split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def ground_evidence(
    article: Article, sentences: Sequence[Sentence], evidence: Sequence[int]
) -> tuple[str, list[tuple[int, int]], list[str]]:
    """Copy the words of edited evidence from the article, as extraction does: the quoted words
    when the sentences have any (direct speech), else the sentences (reported speech)."""
    by_index = {s.index: s for s in sentences}
    kind, spans, _ = evidence_spans(by_index, find_quotes(article.text), list(evidence))
    return kind, spans, [article.text[a:b] for a, b in spans]


def review_positions(store: Store, article: Article, positions: Sequence[Position]) -> Attached:
    """The article's positions with their standing decisions put on them."""
    decisions = store.decisions(article.id)
    if not decisions:
        return Attached(list(positions), [None] * len(positions), [])
    return attach(article, store.sentences(article.id), positions, decisions)


@dataclass
class BriefingReview:
    """What review does to a day's briefing."""

    per_article: list[ArticleResult]
    waiting: int = 0  # valid positions left out because require_review is on
    rejected: int = 0


def review_for_briefing(
    store: Store,
    per_article: Sequence[ArticleResult],
    require_review: bool,
) -> BriefingReview:
    """Apply the decisions to a day's positions: edits shown, rejected positions left out, and
    with `require_review` only approved or edited positions kept. Positions that failed
    validation stay (under "Needs review") unless an analyst rejected them."""
    reviewed = BriefingReview(per_article=[])
    for result in per_article:
        kept = []
        for p in review_positions(store, result.article, result.positions).positions:
            if p.review_status == "rejected":
                reviewed.rejected += 1
            elif require_review and p.valid and p.review_status == "pending":
                reviewed.waiting += 1
            else:
                kept.append(p)
        reviewed.per_article.append(ArticleResult(result.article, kept, result.error))
    return reviewed


# listing --------------------------------------------------------------------------------------


@dataclass
class ReviewItem:
    position: Position  # with its decision put on
    article: Article
    model: Position | None = None  # as the model gave it
    decision: Decision | None = None  # the decision it matched


@dataclass
class Unmatched:
    """A decision that no position of the article's latest extraction matches."""

    decision: Decision
    article: Article

    @property
    def label(self) -> str:
        return f"d{self.decision.id}"


@dataclass
class ReviewList:
    items: list[ReviewItem] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)


def list_positions(
    store: Store,
    day: dt.date | None = None,
    status: str | None = None,
    topic: str | None = None,
    actor: str | None = None,
) -> ReviewList:
    """The positions of each article's latest extraction (of `day`, or all), with their review
    state, filtered; conflicts include the decisions that match no position any more."""
    if status is not None and status not in FILTERS:
        raise ReviewError(f"unknown status {status!r}: use one of {', '.join(FILTERS)}")
    articles = store.articles_on(day) if day is not None else store.all_articles()
    found = ReviewList()
    wanted_actor = actor.casefold().strip() if actor else None
    for article in articles:
        latest = store.latest_positions(article.id)
        attached = review_positions(store, article, latest)
        for p, model, decision in zip(attached.positions, latest, attached.matched):
            if status == "conflict" and not p.conflict:
                continue
            if status == "invalid" and p.valid:
                continue
            if status in STATUSES and p.review_status != status:
                continue
            if topic is not None and p.topic != topic:
                continue
            if wanted_actor is not None and not (
                wanted_actor in p.speaker.casefold() or same_speaker(wanted_actor, p.speaker)
            ):
                continue
            found.items.append(ReviewItem(p, article, model, decision))
        if status in (None, "conflict"):
            for d in attached.unmatched:
                if d.dismissed:
                    continue
                speaker = d.edits.get("speaker", d.base["speaker"])
                if topic is not None and d.edits.get("topic", d.base["topic"]) != topic:
                    continue
                if wanted_actor is not None and wanted_actor not in speaker.casefold():
                    continue
                found.unmatched.append(Unmatched(d, article))
    return found


def unmatched_text(u: Unmatched) -> str:
    d = u.decision
    values = {**d.base, **d.edits}
    return (
        f"{d.status} by {d.reviewer} on {d.decided_at[:10]}, but no position of the latest "
        f"extraction has this evidence ({_short(d.evidence)}) and speaker: "
        f"{values['speaker']}: {values['summary']}"
    )


# showing ------------------------------------------------------------------------------------


@dataclass
class ContextSentence:
    index: int
    evidence: bool
    parts: list[tuple[str, bool]]  # (text, inside a quotation the position copies)


@dataclass
class PositionDetail:
    position: Position  # with its decision put on
    model: Position  # as the model gave it
    article: Article
    context: list[ContextSentence]
    history: list[ReviewRecord]
    decision: Decision | None


def context_sentences(
    article: Article,
    sentences: Sequence[Sentence],
    position: Position,
    around: int = 2,
) -> list[ContextSentence]:
    """The evidence with `around` sentences either side (all of the article when `around` is
    negative), each split into plain text and the quoted words the position copies."""
    evidence = set(position.evidence)
    if around < 0:
        shown = list(sentences)
    elif not evidence:
        shown = list(sentences[: 2 * around + 1])
    else:
        keep = {i for e in evidence for i in range(e - around, e + around + 1)}
        shown = [s for s in sentences if s.index in keep]
    spans = sorted(position.spans)
    out = []
    for s in shown:
        parts: list[tuple[str, bool]] = []
        cursor = s.start
        if s.index in evidence:
            for a, b in spans:
                a, b = max(a, s.start), min(b, s.end)
                if a >= b:
                    continue
                if a > cursor:
                    parts.append((article.text[cursor:a], False))
                parts.append((article.text[a:b], True))
                cursor = b
        if cursor < s.end:
            parts.append((article.text[cursor : s.end], False))
        out.append(ContextSentence(s.index, s.index in evidence, parts))
    return out


def history_of(
    records: Sequence[ReviewRecord], position: Position, decision: Decision | None
) -> list[ReviewRecord]:
    keys = {_anchor(position.evidence, position.speaker)}
    if decision is not None:
        keys.update(_decision_anchors(decision))
    return [
        r for r in records if r.position_id == position.id or _anchor(r.evidence, r.speaker) in keys
    ]


def _target(store: Store, position_id: int) -> tuple[Position, Position, Decision | None, Article]:
    """(the position as the model gave it, with its decision put on, that decision, article)."""
    model = store.get_position(position_id)
    if model is None:
        raise ReviewError(f"there is no position {position_id}: see `brief review list`")
    article = store.get_article(model.article_id)
    if article is None:  # the foreign key makes this impossible; say so rather than crash
        raise ReviewError(f"position {position_id} has no article in the store")
    latest = store.latest_positions(article.id)
    # Match against its siblings, so that a decision is matched as the list shows it.
    siblings = latest if any(p.id == position_id for p in latest) else [model]
    attached = review_positions(store, article, siblings)
    i = next(n for n, p in enumerate(siblings) if p.id == position_id)
    return model, attached.positions[i], attached.matched[i], article


def describe(store: Store, position_id: int, around: int = 2) -> PositionDetail:
    model, position, decision, article = _target(store, position_id)
    sentences = store.sentences(article.id)
    return PositionDetail(
        position=position,
        model=model,
        article=article,
        context=context_sentences(article, sentences, position, around),
        history=history_of(store.review_records(article.id), model, decision),
        decision=decision,
    )


# deciding -----------------------------------------------------------------------------------


def _unique(ids: Iterable[int]) -> list[int]:
    seen: dict[int, None] = {}
    for i in ids:
        seen.setdefault(i, None)
    return list(seen)


def _change(
    model: Position,
    position: Position,
    decision: Decision | None,
    *,
    status: str,
    edits: dict[str, Any],
    edited_by: str | None,
    action: str,
    changes: dict[str, list[Any]],
    reviewer: str,
    note: str | None,
) -> DecisionChange:
    if position.review_status != status:
        changes = {"status": [position.review_status, status], **changes}
    own_key = _anchor(model.evidence, model.speaker)
    replaces = None
    if decision is not None and (tuple(decision.evidence), decision.speaker_key) != own_key:
        replaces = decision.id  # matched by its edits: this decision takes its place
    return DecisionChange(
        position_id=model.id,
        article_id=model.article_id,
        evidence=sorted(model.evidence),
        speaker=model.speaker,
        speaker_key=own_key[1],
        status=status,
        base=model_values(model),
        edits=edits,
        edited_by=edited_by,
        action=action,
        changes=changes,
        reviewer=reviewer,
        note=_note(note),
        replaces=replaces,
    )


def _note(note: str | None) -> str | None:
    if note is None:
        return None
    note = " ".join(note.split())
    if len(note) > 2000:
        raise ReviewError("a note can be at most 2000 characters")
    return note or None


def _standing_edits(position: Position, decision: Decision | None) -> dict[str, Any]:
    """The analyst's edits that still apply (none when the decision is in conflict)."""
    if decision is None or position.conflict:
        return {}
    return dict(decision.edits)


def _check_valid(position: Position, what: str) -> None:
    if not position.valid:
        raise ReviewError(
            f"position {position.id} failed validation ({position.reason}), so it stays under "
            f'"Needs review" and cannot be {what}: reject it to dismiss it'
        )


def approve(
    store: Store, ids: Sequence[int], reviewer: str, note: str | None = None
) -> list[Position]:
    """Approve positions as they read now (with their edits); all or none are recorded."""
    return _decide(store, ids, reviewer, note, action="approve")


def reject(
    store: Store, ids: Sequence[int], reviewer: str, note: str | None = None
) -> list[Position]:
    """Reject positions: they are left out of every briefing; all or none are recorded."""
    return _decide(store, ids, reviewer, note, action="reject")


def _decide(
    store: Store, ids: Sequence[int], reviewer: str, note: str | None, action: str
) -> list[Position]:
    """Record one approve or reject decision per position, keeping standing edits."""
    changes = []
    for position_id in _unique(ids):
        model, position, decision, _ = _target(store, position_id)
        if action == "approve":
            _check_valid(position, "approved")  # a failed position can only be rejected
        edits = _standing_edits(position, decision)
        if action == "reject":
            status = "rejected"
        else:
            status = "edited" if edits else "approved"
        changes.append(
            _change(
                model,
                position,
                decision,
                status=status,
                edits=edits,
                edited_by=decision.edited_by if edits and decision else None,
                action=action,
                changes={},
                reviewer=reviewer,
                note=note,
            )
        )
    store.save_decisions(changes)
    return [_target(store, c.position_id)[1] for c in changes if c.position_id is not None]


def clean_values(
    values: dict[str, Any],
    article: Article,
    sentence_ids: set[int],
    evidence: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Check and normalise edited values. Evidence must be sentences of the article, given as
    numbers ("3, 4" or "S3 S4" or a list); texts are one line; a summary may not quote words the
    article does not contain, since a briefing would show them as a quotation."""
    clean: dict[str, Any] = {}
    for name, value in values.items():
        if name not in EDITABLE:
            raise ReviewError(f"{name!r} cannot be edited: edit one of {', '.join(EDITABLE)}")
        if name == "evidence":
            clean[name] = parse_evidence(value, sentence_ids)
            continue
        text = " ".join(str(value).split())
        if not text:
            raise ReviewError(f"{name} cannot be empty")
        if len(text) > MAX_TEXT:
            raise ReviewError(f"{name} is longer than {MAX_TEXT} characters: shorten it")
        if name == "stance" and text not in STANCES:
            raise ReviewError(f"stance {text!r} is not one of {', '.join(STANCES)}")
        if name == "summary":
            quoted = invented_quotation(text, article.text if evidence is None else evidence)
            if quoted is not None:
                raise ReviewError(
                    f"the summary quotes “{quoted}”, which is not in its evidence: quotations "
                    "are copied from the evidence, change the evidence instead"
                )
        clean[name] = text
    return clean


def parse_evidence(value: Any, sentence_ids: set[int]) -> list[int]:
    if isinstance(value, (list, tuple)):
        numbers = [int(v) for v in value]
    else:
        text = str(value)
        if not _EVIDENCE_LIST.match(text):
            raise ReviewError(
                f'evidence {text!r} is not a list of sentence numbers: write e.g. "S3 S4"'
            )
        numbers = [int(n) for n in re.findall(r"\d+", text)]
    numbers = sorted(set(numbers))
    if not numbers:
        raise ReviewError("evidence needs at least one sentence number")
    if len(numbers) > MAX_EVIDENCE:
        raise ReviewError(f"evidence can be at most {MAX_EVIDENCE} sentences")
    missing = [n for n in numbers if n not in sentence_ids]
    if missing:
        last = max(sentence_ids) if sentence_ids else 0
        raise ReviewError(
            "the article has no sentence "
            + ", ".join(f"S{n}" for n in missing)
            + f" (it has S1 to S{last}): evidence can only point at its own sentences"
        )
    return numbers


def _edit_change(
    store: Store,
    position_id: int,
    values: dict[str, Any],
    reviewer: str,
    note: str | None,
    action: str,
    status: str | None = None,
) -> DecisionChange | None:
    """The decision an edit (and, from a CSV row, a status) makes; None when it changes
    nothing."""
    model, position, decision, article = _target(store, position_id)
    sentence_ids = {s.index for s in store.sentences(article.id)}
    by_index = {s.index: s for s in store.sentences(article.id)}
    cited = values.get("evidence")
    numbers = position.evidence if cited is None else parse_evidence(cited, sentence_ids)
    evidence = [article.text[by_index[n].start : by_index[n].end] for n in numbers]
    clean = clean_values(values, article, sentence_ids, evidence + list(position.quotes))
    current = model_values(position)
    changed = {f: [current[f], v] for f, v in clean.items() if current[f] != v}
    edits = _standing_edits(position, decision)
    base = model_values(model)
    for name in clean:
        edits[name] = clean[name]
        if edits[name] == base[name]:
            del edits[name]  # back to what the model said
    if status in (None, "approved", "edited") or (status == "pending" and changed):
        # Editing is deciding: an edited position counts as reviewed.
        status = "edited" if edits else "approved"
    if not changed and status == position.review_status:
        # Also for a position in conflict: an untouched row of an exported file must not settle
        # a conflict nobody looked at.
        return None
    if status in ("approved", "edited"):
        _check_valid(position, "approved or edited")
    edited_by = reviewer if changed else (decision.edited_by if decision and edits else None)
    return _change(
        model,
        position,
        decision,
        status=status,
        edits=edits,
        edited_by=edited_by if edits else None,
        action=action,
        changes=changed,
        reviewer=reviewer,
        note=note,
    )


def edit(
    store: Store,
    ids: Sequence[int],
    values: dict[str, Any],
    reviewer: str,
    note: str | None = None,
) -> list[Position]:
    """Change fields of positions (speaker, role, topic, stance, summary, evidence); the edited
    positions count as reviewed. All or none are recorded."""
    if not values:
        raise ReviewError(
            "say what to change: --speaker, --role, --topic, --stance, --summary or --evidence"
        )
    changes = []
    for position_id in _unique(ids):
        change = _edit_change(store, position_id, values, reviewer, note, "edit")
        if change is None:
            raise ReviewError(f"position {position_id} already reads so: nothing to edit")
        changes.append(change)
    store.save_decisions(changes)
    return [_target(store, c.position_id)[1] for c in changes if c.position_id is not None]


def dismiss(store: Store, labels: Sequence[str], reviewer: str, note: str | None = None) -> int:
    """Dismiss decisions that match no position any more (`d12` in `brief review list`)."""
    changes = []
    for label in dict.fromkeys(labels):
        number = label.strip().lower().removeprefix("d")
        if not number.isdigit():
            raise ReviewError(
                f"{label!r} is not a decision: use the d-number from "
                "`brief review list --status conflict`, e.g. d12"
            )
        found = store.decisions(decision_id=int(number))
        if not found:
            raise ReviewError(
                f"there is no decision {label}: see `brief review list --status conflict`"
            )
        d = found[0]
        article = store.get_article(d.article_id)
        assert article is not None
        attached = review_positions(store, article, store.latest_positions(article.id))
        if all(u.id != d.id for u in attached.unmatched):
            raise ReviewError(
                f"decision d{d.id} still applies to a position: decide on the position instead"
            )
        changes.append(
            DecisionChange(
                position_id=None,
                article_id=d.article_id,
                evidence=d.evidence,
                speaker=d.base["speaker"],
                speaker_key=d.speaker_key,
                status=d.status,
                base=d.base,
                edits=d.edits,
                edited_by=d.edited_by,
                action="dismiss",
                changes={"dismissed": [False, True]},
                reviewer=reviewer,
                note=_note(note),
                dismissed=True,
            )
        )
    store.save_decisions(changes)
    return len(changes)


# CSV ------------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "id",
    "status",
    "speaker",
    "role",
    "topic",
    "stance",
    "summary",
    "evidence",
    "note",
    "kind",
    "quotes",
    "valid",
    "conflict",
    "date",
    "source",
    "article",
)
_CSV_REQUIRED = ("id", "status", "speaker", "role", "topic", "stance", "summary", "evidence")


def format_evidence(evidence: Iterable[int]) -> str:
    return " ".join(f"S{i}" for i in evidence)


def _csv_quotes(position: Position) -> str:
    return "\n".join(position.quotes)


def export_csv(items: Sequence[ReviewItem], out: io.TextIOBase | Any) -> int:
    """Write positions as CSV for a spreadsheet: change status and the editable columns, then
    `brief review import`. kind, quotes and the columns after them are for reading only."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in items:
        p = item.position
        writer.writerow(
            [
                p.id,
                p.review_status,
                p.speaker,
                p.role,
                p.topic,
                p.stance,
                p.summary,
                format_evidence(p.evidence),
                "",
                p.kind,
                _csv_quotes(p),
                "yes" if p.valid else f"no: {p.reason}",
                p.conflict or "",
                item.article.published.isoformat() if item.article.published else "",
                item.article.source or "",
                item.article.id,
            ]
        )
    return len(items)


@dataclass
class ImportReport:
    applied: int
    unchanged: int


def import_csv(store: Store, text: str, reviewer: str) -> ImportReport:
    """Apply a review CSV: every row is checked first and the file is applied in one transaction
    only when all rows are right; otherwise nothing changes and every problem is listed."""
    text = text.removeprefix("\ufeff")  # spreadsheets write a byte order mark
    problems: list[str] = []
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise CsvImportError(f"the file is not valid CSV ({exc})", [str(exc)]) from None
    if not rows:
        raise CsvImportError("the file is empty: export one with `brief review export`", [])
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in _CSV_REQUIRED if c not in header]
    if missing:
        raise CsvImportError(
            f"the header lacks the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}: export a file with `brief review export` and edit that",
            [],
        )
    changes: list[DecisionChange] = []
    unchanged = 0
    seen: dict[int, int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # a blank line a spreadsheet left at the end
        if len(row) != len(header):
            problems.append(f"row {line}: {len(row)} cells, the header has {len(header)}")
            continue
        cells = dict(zip(header, row))
        try:
            position_id = int(cells["id"].strip())
        except ValueError:
            problems.append(f"row {line}: id {cells['id']!r} is not a position number")
            continue
        if position_id in seen:
            problems.append(
                f"row {line}: position {position_id} is also on row {seen[position_id]}"
            )
            continue
        seen[position_id] = line
        status = cells["status"].strip().lower()
        if status not in STATUSES:
            problems.append(
                f"row {line}: status {cells['status']!r} is not one of {', '.join(STATUSES)}"
            )
            continue
        try:
            position = _target(store, position_id)[1]
            if "quotes" in cells and _norm_lines(cells["quotes"]) != _csv_quotes(position):
                raise ReviewError(
                    "the quotes column was changed: quotations are copied from the article, "
                    "change the evidence instead"
                )
            values: dict[str, Any] = {f: cells[f] for f in (*TEXT_FIELDS, "stance", "evidence")}
            change = _edit_change(
                store,
                position_id,
                values,
                reviewer,
                cells.get("note") or None,
                "import",
                status=status,
            )
        except ReviewError as exc:
            problems.append(f"row {line} (position {position_id}): {exc}")
            continue
        if change is None:
            unchanged += 1
        else:
            changes.append(change)
    if problems:
        raise CsvImportError(
            f"{len(problems)} row{'s' if len(problems) > 1 else ''} cannot be imported, so "
            "nothing was: fix them and import the file again",
            problems,
        )
    store.save_decisions(changes)
    return ImportReport(applied=len(changes), unchanged=unchanged)


def _norm_lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
