"""An analyst's decisions: approve, reject, edit (checked values, evidence by sentence number) and
dismiss; each one stored with who, when and why, and the model's values kept beside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from briefing.errors import ReviewError
from briefing.models import Article, Position
from briefing.review.decisions import (
    EDITABLE,
    EVIDENCE_LIST,
    MAX_EVIDENCE,
    MAX_TEXT,
    STANCES,
    anchor_of,
    model_values,
    review_positions,
)
from briefing.review.listing import review_target
from briefing.store.database import Decision, DecisionChange, Store
from briefing.text.segment import invented_quotation


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
    own_key = anchor_of(model.evidence, model.speaker)
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
        model, position, decision, _ = review_target(store, position_id)
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
    return [review_target(store, c.position_id)[1] for c in changes if c.position_id is not None]


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
        if not EVIDENCE_LIST.match(text):
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


def edit_change(
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
    model, position, decision, article = review_target(store, position_id)
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
        change = edit_change(store, position_id, values, reviewer, note, "edit")
        if change is None:
            raise ReviewError(f"position {position_id} already reads so: nothing to edit")
        changes.append(change)
    store.save_decisions(changes)
    return [review_target(store, c.position_id)[1] for c in changes if c.position_id is not None]


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
