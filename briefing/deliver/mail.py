"""Emailing a briefing: the message and the unit of work (who gets it, what is recorded).

A day's briefing is the Markdown file `brief generate` wrote. It goes out as one
multipart/alternative message: the Markdown itself as text/plain (UTF-8), and HTML rendered from
it (`briefing.deliver.html`). `briefing.deliver.smtp` sends it. Each recipient's outcome is
recorded in the store; the same briefing is not sent to the same person twice unless forced.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import email.utils
import hashlib
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

from briefing.config import SmtpSettings
from briefing.deliver.html import render_html
from briefing.deliver.smtp import SmtpOutcome, smtp_send
from briefing.errors import DeliveryError
from briefing.progress import Progress, quiet
from briefing.store.database import Store

# addresses ------------------------------------------------------------------------------------

_NAME_AND_ADDRESS = re.compile(r"^(?P<name>[^<>]*)<(?P<address>[^<>]*)>$")
_LOCAL_PART = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")


def parse_address(text: str, what: str) -> Address:
    """`name@example.org` or `Name <name@example.org>` as an Address; DeliveryError otherwise.

    Deliberately stricter than RFC 5322 (no quoted local parts, no comments, ASCII only): these
    addresses go into headers and the SMTP envelope, and anything unusual there is more likely
    a typo or an injected line break than a real colleague's address."""
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise DeliveryError(f"{what} {text!r} contains a control character: give one address")
    stripped = text.strip()
    match = _NAME_AND_ADDRESS.match(stripped)
    name, spec = (
        (match["name"].strip().strip('"'), match["address"].strip()) if match else ("", stripped)
    )
    local, at, domain = spec.rpartition("@")
    labels = domain.split(".")
    valid = (
        bool(at)
        and 0 < len(local) <= 64
        and len(spec) <= 254
        and _LOCAL_PART.match(local) is not None
        and (len(labels) >= 2 or domain.lower() == "localhost")
        and all(_LABEL.match(label) for label in labels)
    )
    if not valid:
        raise DeliveryError(
            f"{what} {text!r} is not an email address: write it as name@example.org"
        )
    return Address(display_name=name, username=local, domain=domain)


@dataclass(frozen=True)
class Envelope:
    """Who sends and who receives, checked before anything is read, rendered or connected."""

    sender: Address
    to: list[Address]
    bcc: list[Address]

    @property
    def recipients(self) -> list[Address]:
        return self.to + self.bcc


def check_envelope(
    smtp: SmtpSettings, to: Sequence[str], bcc: Sequence[str], *, need_server: bool = True
) -> Envelope:
    """Validate the sender, the recipients and (unless only writing a file) the server setting."""
    if not smtp.sender:
        raise DeliveryError(
            "no sender address: set BRIEF_MAIL_FROM or `from` under [smtp] in config.toml"
        )
    sender = parse_address(smtp.sender, "sender")
    to_addresses = _unique([parse_address(a, "recipient") for a in to])
    seen = {a.addr_spec.lower() for a in to_addresses}
    # Someone in both To and Bcc gets the email once, openly.
    bcc_addresses = [
        a
        for a in _unique([parse_address(a, "Bcc recipient") for a in bcc])
        if a.addr_spec.lower() not in seen
    ]
    if not to_addresses and not bcc_addresses:
        raise DeliveryError(
            "no recipients: pass --to name@example.org or set to = [...] under [smtp] in "
            "config.toml"
        )
    if need_server and not smtp.host:
        raise DeliveryError(
            "no mail server: set BRIEF_SMTP_HOST or `host` under [smtp] in config.toml "
            "(or use --dry-run to write the email to a file)"
        )
    return Envelope(sender, to_addresses, bcc_addresses)


def _unique(addresses: list[Address]) -> list[Address]:
    seen: set[str] = set()
    out = []
    for address in addresses:
        key = address.addr_spec.lower()
        if key not in seen:
            seen.add(key)
            out.append(address)
    return out


# the briefing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BriefingToSend:
    day: dt.date
    markdown: str
    sha256: str
    path: Path
    counts: dict[str, int]
    edited: bool  # the file was changed after `brief generate` wrote it


_COUNTS_LINE = re.compile(
    r"^(?P<articles>\d+) articles?, (?P<positions>\d+) positions?"
    r"(?:, (?P<needs_review>\d+) items? to review)?\.$",
    re.MULTILINE,
)


def load_briefing(store: Store, day: dt.date) -> BriefingToSend:
    """The briefing most recently generated for `day`, as its file reads now."""
    stored = store.latest_briefing(day)
    if stored is None or not stored.path:
        raise DeliveryError(f"no briefing for {day} yet: run `brief generate --date {day}` first")
    path = Path(stored.path)
    try:
        markdown = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DeliveryError(
            f"the briefing for {day} was written to {path}, which is gone: run "
            f"`brief generate --date {day}` again"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DeliveryError(
            f"cannot read the briefing {path} ({exc}): run `brief generate --date {day}` again"
        ) from exc
    sha256 = hashlib.sha256(markdown.encode("utf-8")).hexdigest()
    edited = sha256 != stored.sha256
    # An analyst may have edited the file on purpose: send it as it is, but then the stored
    # counts may be stale, so count from the text.
    counts = stored.counts if stored.counts is not None and not edited else _parse_counts(markdown)
    return BriefingToSend(day, markdown, sha256, path, counts, edited)


def _parse_counts(markdown: str) -> dict[str, int]:
    match = _COUNTS_LINE.search(markdown)
    if not match:
        return {}
    return {k: int(v) for k, v in match.groupdict(default="0").items()}


_SUBJECT_PARTS = (
    # (count key, singular, plural); keys a briefing does not count are left out.
    ("new", "{} new", "{} new"),
    ("shifted", "{} shifted", "{} shifted"),
    ("positions", "{} position", "{} positions"),
    ("articles", "{} article", "{} articles"),
    ("needs_review", "{} to review", "{} to review"),
)


def subject_for(day: dt.date, counts: dict[str, int]) -> str:
    """`Briefing for 2025-12-16: 7 positions, 5 articles, 2 to review`."""
    if counts.get("articles") == 0:
        return f"Briefing for {day}: no articles"
    parts = []
    for key, one, many in _SUBJECT_PARTS:
        n = counts.get(key)
        if n is None or (n == 0 and key in ("new", "shifted", "needs_review")):
            continue
        parts.append((one if n == 1 else many).format(n))
    return f"Briefing for {day}" + (": " + ", ".join(parts) if parts else "")


# the message ----------------------------------------------------------------------------------


def build_message(
    briefing: BriefingToSend, envelope: Envelope, now: dt.datetime | None = None
) -> EmailMessage:
    """The email: Markdown as text/plain and rendered HTML, as multipart/alternative. Bcc
    recipients are in the envelope only, never in a header."""
    now = now or dt.datetime.now(dt.UTC)
    subject = subject_for(briefing.day, briefing.counts)
    # The SMTP policy writes CRLF line ends: the bytes written by --dry-run are the bytes sent.
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["Subject"] = subject
    msg["From"] = envelope.sender
    msg["To"] = envelope.to if envelope.to else "undisclosed-recipients:;"
    msg["Date"] = email.utils.format_datetime(now)
    # An explicit domain: without one, make_msgid asks DNS for this machine's name.
    msg["Message-ID"] = email.utils.make_msgid(idstring="brief", domain=envelope.sender.domain)
    msg["X-Brief-Briefing"] = f"{briefing.day} sha256={briefing.sha256}"
    msg.set_content(briefing.markdown, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(
        render_html(briefing.markdown, subject),
        subtype="html",
        charset="utf-8",
        cte="quoted-printable",
    )
    return msg


# the unit of work -----------------------------------------------------------------------------


@dataclass
class DeliveryReport:
    day: dt.date
    sha256: str
    subject: str
    message_id: str
    dry_run: bool
    edited: bool
    sent_to: list[str] = field(default_factory=list)  # or, in a dry run, would be sent to
    bcc: list[str] = field(default_factory=list)  # which of those are hidden recipients
    refused: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # recipient -> why
    reply: str = ""
    eml_path: Path | None = None


def deliver_briefing(
    store: Store,
    smtp: SmtpSettings,
    day: dt.date,
    envelope: Envelope,
    *,
    force: bool = False,
    update: bool = False,
    dry_run: bool = False,
    eml_path: Path | None = None,
    progress: Progress = quiet,
    now: dt.datetime | None = None,
    sleep: Callable[[float], None] = time.sleep,
    delays: Sequence[float] | None = None,
) -> DeliveryReport:
    """Email the latest briefing for `day` and record who got it.

    A recipient who already got this exact briefing is skipped unless `force`; one who got an
    earlier version of the day's briefing is skipped unless `update` (or `force`), so that a
    regenerated briefing does not land in colleagues' inboxes again without someone asking.
    With `dry_run` the message is written to `eml_path` and nothing is sent or recorded."""
    briefing = load_briefing(store, day)
    if briefing.edited:
        progress(
            f"note: {briefing.path} changed since `brief generate` wrote it; sending it as "
            "it is now"
        )
    to, bcc, skipped = _plan(store, briefing, envelope, force=force, update=update)
    planned = Envelope(envelope.sender, to, bcc)
    msg = build_message(briefing, planned, now)
    data = msg.as_bytes()
    report = DeliveryReport(
        day=day,
        sha256=briefing.sha256,
        subject=str(msg["Subject"]),
        message_id=str(msg["Message-ID"]),
        dry_run=dry_run,
        edited=briefing.edited,
        skipped=skipped,
        bcc=[a.addr_spec for a in planned.bcc],
    )
    if eml_path is not None:
        _write_eml(eml_path, data)
        report.eml_path = eml_path
    recipients = [a.addr_spec for a in planned.recipients]
    if dry_run:
        report.sent_to = recipients
        return report
    outcome = smtp_send(
        smtp,
        planned.sender.addr_spec,
        recipients,
        data,
        progress=progress,
        sleep=sleep,
        delays=delays,
    )
    _record(store, report, outcome)
    return report


def _write_eml(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise DeliveryError(
            f"cannot write {path} ({exc.strerror}): choose another --eml path"
        ) from None


def _record(store: Store, report: DeliveryReport, outcome: SmtpOutcome) -> None:
    """Who got the message and who refused it, in the store and in the report."""
    store.record_sending(
        report.day,
        report.sha256,
        report.message_id,
        [(r, "sent", outcome.reply) for r in outcome.accepted]
        + [(r, "refused", reply) for r, reply in outcome.refused.items()],
    )
    report.sent_to = outcome.accepted
    report.refused = outcome.refused
    report.reply = outcome.reply


def _plan(
    store: Store, briefing: BriefingToSend, envelope: Envelope, *, force: bool, update: bool
) -> tuple[list[Address], list[Address], dict[str, str]]:
    """Split the recipients into those to send to now and those skipped, with the reason."""
    last_sent = {}
    for sending in store.sendings(briefing.day):
        if sending.status == "sent":
            last_sent[sending.recipient.lower()] = sending  # oldest first: the last one wins
    skipped: dict[str, str] = {}
    same: list[str] = []
    earlier: list[str] = []

    def keep(address: Address) -> bool:
        before = last_sent.get(address.addr_spec.lower())
        if before is None or force:
            return True
        if before.briefing_sha256 == briefing.sha256:
            skipped[address.addr_spec] = f"already got this briefing ({before.sent_at})"
            same.append(address.addr_spec)
            return False
        if update:
            return True
        skipped[address.addr_spec] = f"got an earlier version ({before.sent_at})"
        earlier.append(address.addr_spec)
        return False

    to = [a for a in envelope.to if keep(a)]
    bcc = [a for a in envelope.bcc if keep(a)]
    if not to and not bcc:
        reasons = []
        if same:
            reasons.append(
                f"{', '.join(same)} already got this briefing for {briefing.day}: add --force "
                "to send it again"
            )
        if earlier:
            reasons.append(
                f"{', '.join(earlier)} got an earlier version of the briefing for "
                f"{briefing.day}: add --update to send them this one"
            )
        raise DeliveryError("nothing sent: " + "; ".join(reasons))
    return to, bcc, skipped
