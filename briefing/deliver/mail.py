"""Emailing a briefing: the only module that opens SMTP.

A day's briefing is the Markdown file `brief generate` wrote. It goes out as one
multipart/alternative message: the Markdown itself as text/plain (UTF-8), and HTML rendered from
it with markdown-it-py into `templates/email.html.j2`, styled inline because many mail clients
drop `<style>` blocks. Article text is untrusted, so the HTML is rendered with raw HTML disabled
(it comes out escaped), images disabled (a remote image is a tracking pixel) and links limited to
http, https and mailto.

Sending retries only while the server cannot be reached (a few attempts, short backoff), never
after it has seen the message, so a retry cannot deliver twice. Each recipient's outcome is
recorded in the store; the same briefing is not sent to the same person twice unless forced.
The SMTP password is used for the login and nowhere else: it is never logged, printed, stored or
written into an error.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import email.utils
import hashlib
import ipaddress
import re
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

import markupsafe
from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefing.config import SmtpSettings
from briefing.errors import DeliveryError
from briefing.store.database import Store
from briefing.templates import render_template

Progress = Callable[[str], None]

# Waits between connection attempts: three attempts in all, about four seconds at most.
RETRY_DELAYS: tuple[float, ...] = (1.0, 3.0)

_SAFE_SCHEMES = {"http", "https", "mailto"}

# Styles put on each element, since Gmail, Outlook and others ignore or strip stylesheets.
_STYLES = {
    "h1": "font-size:22px;line-height:1.3;margin:0 0 12px;color:#111111;",
    "h2": "font-size:18px;line-height:1.3;margin:28px 0 10px;padding-bottom:4px;"
    "border-bottom:1px solid #e2e2e2;color:#111111;",
    "h3": "font-size:16px;line-height:1.3;margin:20px 0 8px;color:#333333;",
    "p": "margin:0 0 12px;",
    "blockquote": "margin:4px 0 14px;padding:2px 0 2px 12px;border-left:3px solid #c8c8c8;"
    "color:#444444;",
    "ul": "margin:0 0 12px;padding-left:24px;",
    "ol": "margin:0 0 12px;padding-left:24px;",
    "li": "margin:0 0 6px;",
    "a": "color:#1a5fb4;text-decoration:underline;word-break:break-all;",
    "code": "font-family:Menlo,Consolas,monospace;font-size:13px;background-color:#f2f2f2;"
    "padding:0 3px;",
    "hr": "border:0;border-top:1px solid #dddddd;margin:24px 0;",
}


def _quiet(_: str) -> None:
    pass


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


# HTML -----------------------------------------------------------------------------------------


def _safe_link(url: str) -> bool:
    """Allow only web and mail links. markdown-it's own check blocks javascript:, vbscript:,
    file: and most data: URLs; an allowlist also covers schemes nobody thought of."""
    cleaned = "".join(c for c in url if ord(c) > 32 and ord(c) != 127).lower()
    scheme = re.match(r"^([a-z][a-z0-9+.-]*):", cleaned)
    return scheme is None or scheme.group(1) in _SAFE_SCHEMES


def _markdown_renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")
    md.validateLink = _safe_link  # type: ignore[method-assign]
    return md


def _style(tokens: list[Token]) -> None:
    for token in tokens:
        if token.nesting >= 0 and token.tag in _STYLES:
            token.attrSet("style", _STYLES[token.tag])
        if token.children:
            _style(token.children)


def render_html(markdown: str, title: str) -> str:
    """The briefing as an HTML email body."""
    md = _markdown_renderer()
    tokens = md.parse(markdown)
    _style(tokens)
    body = md.renderer.render(tokens, md.options, {})
    # markdown-it escaped every raw tag and dropped unsafe links above, so its output is the one
    # string trusted as markup; everything else in the template is autoescaped.
    return render_template("email.html.j2", title=title, body=markupsafe.Markup(body))


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


# SMTP -----------------------------------------------------------------------------------------


@dataclass
class SmtpOutcome:
    accepted: list[str]
    refused: dict[str, str]  # recipient -> the server's reply to RCPT TO
    reply: str  # the server's reply to the message, e.g. "250 OK queued as 1A2B"


def smtp_send(
    smtp: SmtpSettings,
    sender: str,
    recipients: Sequence[str],
    data: bytes,
    *,
    progress: Progress = _quiet,
    sleep: Callable[[float], None] = time.sleep,
    delays: Sequence[float] | None = None,
) -> SmtpOutcome:
    """Send `data` to `recipients` in one SMTP transaction. Some recipients refused is an
    outcome (the others get it); no recipient accepted, or any other failure, is an error."""
    conn = _open_with_retries(smtp, progress, sleep, RETRY_DELAYS if delays is None else delays)
    where = _where(smtp)
    try:
        code, text = conn.mail(sender)
        if code != 250:
            raise DeliveryError(
                f"{where} refused the sender {sender} ({code} {_text(text)}): check BRIEF_MAIL_FROM"
            )
        accepted: list[str] = []
        refused: dict[str, str] = {}
        for recipient in recipients:
            code, text = conn.rcpt(recipient)
            if code in (250, 251):
                accepted.append(recipient)
            else:
                refused[recipient] = f"{code} {_text(text)}"
        if not accepted:
            conn.rset()
            raise DeliveryError(
                f"{where} refused every recipient ({_refusals(refused)}): check the addresses"
            )
        progress(f"sending the message to {len(accepted)} recipient(s)")
        code, text = conn.data(data)
        if code != 250:
            raise DeliveryError(
                f"{where} did not accept the message ({code} {_text(text)}): nothing was sent"
            )
        return SmtpOutcome(accepted, refused, f"{code} {_text(text)}")
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(
            f"{where} did not accept the message ({exc.smtp_code} {_text(exc.smtp_error)}): "
            "nothing was sent"
        ) from None
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise DeliveryError(
            f"{where} dropped the connection while sending ({_reason(exc)}): the message may not "
            "have arrived and nothing was recorded as sent; try again"
        ) from None
    finally:
        _close(conn)


def _open_with_retries(
    smtp: SmtpSettings, progress: Progress, sleep: Callable[[float], None], delays: Sequence[float]
) -> smtplib.SMTP:
    attempts = len(delays) + 1
    where = _where(smtp)
    for attempt in range(1, attempts + 1):
        try:
            return _open(smtp, progress)
        except _Unreachable as exc:
            if attempt == attempts:
                hint = ""
                if isinstance(exc.__cause__, TimeoutError) and smtp.security != "tls":
                    hint = " (a TLS-only port such as 465 needs BRIEF_SMTP_SECURITY=tls)"
                raise DeliveryError(
                    f"cannot reach the mail server {where} after {attempts} attempts "
                    f"({exc}){hint}: check BRIEF_SMTP_HOST and BRIEF_SMTP_PORT and that the "
                    "server is up; nothing was sent"
                ) from None
            delay = delays[attempt - 1]
            progress(
                f"cannot reach {where} ({exc}); trying again in {delay:g}s "
                f"(attempt {attempt} of {attempts})"
            )
            sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


class _Unreachable(Exception):
    """The server could not be reached or hung up before the transaction: worth retrying."""


def _open(smtp: SmtpSettings, progress: Progress) -> smtplib.SMTP:
    """Connect, secure and log in; DeliveryError for what a retry will not fix."""
    if not smtp.host:
        raise DeliveryError(
            "no mail server: set BRIEF_SMTP_HOST or `host` under [smtp] in config.toml"
        )
    where = _where(smtp)
    progress(f"connecting to {where} ({smtp.security})")
    conn: smtplib.SMTP | None = None
    try:
        if smtp.security == "tls":
            conn = smtplib.SMTP_SSL(
                smtp.host, smtp.effective_port, timeout=smtp.timeout, context=_tls_context(smtp)
            )
        else:
            conn = smtplib.SMTP(smtp.host, smtp.effective_port, timeout=smtp.timeout)
        conn.ehlo()
        if smtp.security == "starttls":
            if not conn.has_extn("starttls"):
                raise DeliveryError(
                    f"{where} does not offer STARTTLS: set BRIEF_SMTP_SECURITY=tls for a TLS "
                    "port (usually 465), or none for a local relay"
                )
            conn.starttls(context=_tls_context(smtp))
            conn.ehlo()
        if smtp.user:
            _login(conn, smtp, progress)
        return conn
    except DeliveryError:
        _close(conn)
        raise
    except ssl.SSLCertVerificationError as exc:
        _close(conn)
        raise DeliveryError(
            f"the TLS certificate of {where} is not trusted ({exc.verify_message}): check "
            "BRIEF_SMTP_HOST, or set BRIEF_SMTP_CA_FILE to the CA that signed it"
        ) from None
    except ssl.SSLError as exc:
        _close(conn)
        raise DeliveryError(
            f"TLS with {where} failed ({exc.reason or exc}): check BRIEF_SMTP_SECURITY "
            "(tls for port 465, starttls for 587, none for a local relay) and BRIEF_SMTP_PORT"
        ) from None
    except smtplib.SMTPAuthenticationError as exc:
        _close(conn)
        raise DeliveryError(
            f"{where} refused the login of {smtp.user} ({exc.smtp_code} {_text(exc.smtp_error)}): "
            "check BRIEF_SMTP_USER and BRIEF_SMTP_PASSWORD"
        ) from None
    except smtplib.SMTPNotSupportedError:
        _close(conn)
        raise DeliveryError(
            f"{where} offers no login on this connection: use BRIEF_SMTP_SECURITY=starttls or "
            "tls, or unset BRIEF_SMTP_USER for a relay that needs no login"
        ) from None
    except socket.gaierror as exc:
        _close(conn)
        raise DeliveryError(
            f"cannot find the mail server {smtp.host} ({exc.strerror}): check BRIEF_SMTP_HOST"
        ) from None
    except (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected) as exc:
        _close(conn)
        raise _Unreachable(_reason(exc)) from exc
    except smtplib.SMTPResponseException as exc:
        _close(conn)
        raise DeliveryError(
            f"{where} answered {exc.smtp_code} {_text(exc.smtp_error)}: nothing was sent"
        ) from None
    except OSError as exc:  # refused, reset, timed out, no route: the server may come back
        _close(conn)
        raise _Unreachable(_reason(exc)) from exc


def _login(conn: smtplib.SMTP, smtp: SmtpSettings, progress: Progress = _quiet) -> None:
    if smtp.password is None:
        raise DeliveryError(
            "BRIEF_SMTP_USER is set but BRIEF_SMTP_PASSWORD is not: set the password in the "
            "environment (never in config.toml)"
        )
    if smtp.security == "none" and not _is_loopback(smtp.host or ""):
        # Without TLS the password would cross the network readable by anyone on the path.
        raise DeliveryError(
            f"refusing to send the password unencrypted to {smtp.host}: use "
            "BRIEF_SMTP_SECURITY=starttls or tls (none is for a relay on this machine)"
        )
    progress(f"logging in as {smtp.user}")
    conn.login(smtp.user or "", smtp.password)


def _tls_context(smtp: SmtpSettings) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if smtp.ca_file is not None:
        try:
            context.load_verify_locations(cafile=str(smtp.ca_file))
        except (OSError, ssl.SSLError) as exc:
            raise DeliveryError(
                f"cannot use the CA file {smtp.ca_file} ({exc}): fix BRIEF_SMTP_CA_FILE"
            ) from None
    return context


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _close(conn: smtplib.SMTP | None) -> None:
    if conn is None:
        return
    try:
        conn.quit()
    except (smtplib.SMTPException, OSError):
        conn.close()


def _where(smtp: SmtpSettings) -> str:
    return f"{smtp.host}:{smtp.effective_port}"


def _text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return " ".join(text.split())


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _refusals(refused: dict[str, str]) -> str:
    return "; ".join(f"{r}: {reply}" for r, reply in refused.items())


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
    progress: Progress = _quiet,
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
        try:
            eml_path.parent.mkdir(parents=True, exist_ok=True)
            eml_path.write_bytes(data)
        except OSError as exc:
            raise DeliveryError(
                f"cannot write {eml_path} ({exc.strerror}): choose another --eml path"
            ) from None
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
    store.record_sending(
        day,
        briefing.sha256,
        report.message_id,
        [(r, "sent", outcome.reply) for r in outcome.accepted]
        + [(r, "refused", reply) for r, reply in outcome.refused.items()],
    )
    report.sent_to = outcome.accepted
    report.refused = outcome.refused
    report.reply = outcome.reply
    return report


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
