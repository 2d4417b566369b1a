"""Sending one message over SMTP: the only module that opens SMTP.

Sending retries only while the server cannot be reached (a few attempts, short backoff), never
after it has seen the message, so a retry cannot deliver twice. The SMTP password is used for the
login and nowhere else: it is never logged, printed, stored or written into an error.
"""

from __future__ import annotations

import ipaddress
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from briefing.config import SmtpSettings
from briefing.errors import DeliveryError
from briefing.progress import Progress, quiet

# Waits between connection attempts: three attempts in all, about four seconds at most.
RETRY_DELAYS: tuple[float, ...] = (1.0, 3.0)


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
    progress: Progress = quiet,
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
        _secure_and_login(conn, smtp, where, progress)
        return conn
    except DeliveryError:
        _close(conn)
        raise
    except OSError as exc:  # smtplib's, ssl's and socket's errors are all OSErrors
        _close(conn)
        problem = _connection_problem(exc, smtp, where)
        # Only an unreachable server is retried; the cause of a user's problem is not news.
        raise problem from (exc if isinstance(problem, _Unreachable) else None)


def _secure_and_login(
    conn: smtplib.SMTP, smtp: SmtpSettings, where: str, progress: Progress
) -> None:
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


# What a retry will not fix, by exception type, each naming the setting to check. The most
# specific type of an error that is listed decides (a certificate error is an SSL error too).
_PROBLEMS: dict[type[OSError], str] = {
    ssl.SSLCertVerificationError: "the TLS certificate of {where} is not trusted ({verify}): "
    "check BRIEF_SMTP_HOST, or set BRIEF_SMTP_CA_FILE to the CA that signed it",
    ssl.SSLError: "TLS with {where} failed ({reason}): check BRIEF_SMTP_SECURITY (tls for port "
    "465, starttls for 587, none for a local relay) and BRIEF_SMTP_PORT",
    smtplib.SMTPAuthenticationError: "{where} refused the login of {user} ({code} {reply}): "
    "check BRIEF_SMTP_USER and BRIEF_SMTP_PASSWORD",
    smtplib.SMTPNotSupportedError: "{where} offers no login on this connection: use "
    "BRIEF_SMTP_SECURITY=starttls or tls, or unset BRIEF_SMTP_USER for a relay that needs no login",
    socket.gaierror: "cannot find the mail server {host} ({strerror}): check BRIEF_SMTP_HOST",
    smtplib.SMTPResponseException: "{where} answered {code} {reply}: nothing was sent",
}


def _connection_problem(exc: OSError, smtp: SmtpSettings, where: str) -> Exception:
    """What went wrong while connecting, as the user can act on it: a DeliveryError naming the
    setting to check, or _Unreachable when the server may come back (refused, reset, timed out,
    no route, disconnected)."""
    if isinstance(exc, (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected)):
        return _Unreachable(_reason(exc))
    template = next((_PROBLEMS[t] for t in type(exc).__mro__ if t in _PROBLEMS), None)
    if template is None:
        return _Unreachable(_reason(exc))
    return DeliveryError(
        template.format(
            where=where,
            host=smtp.host,
            user=smtp.user,
            verify=getattr(exc, "verify_message", ""),
            reason=getattr(exc, "reason", None) or exc,
            code=getattr(exc, "smtp_code", ""),
            reply=_text(getattr(exc, "smtp_error", "")),
            strerror=exc.strerror,
        )
    )


def _login(conn: smtplib.SMTP, smtp: SmtpSettings, progress: Progress = quiet) -> None:
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
