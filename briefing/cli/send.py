"""`brief send`: emailing a generated briefing, and the report of who got it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from briefing.cli.common import State, date_option, fail, state_of, user_errors

if TYPE_CHECKING:
    from briefing.deliver.mail import DeliveryReport, Envelope

ToOption = Annotated[
    list[str] | None,
    typer.Option(
        "--to",
        help="Recipient; repeat for several (default: `to` in the smtp table of config.toml).",
    ),
]
BccOption = Annotated[
    list[str] | None,
    typer.Option(
        "--bcc",
        help="Hidden recipient, in no header; repeat for several "
        "(default: `bcc` in the smtp table of config.toml).",
    ),
]
UpdateOption = Annotated[
    bool,
    typer.Option(
        "--update",
        help="Send a briefing that changed since it was sent to those who got the earlier version.",
    ),
]
EmlOption = Annotated[
    Path | None,
    typer.Option(
        help="Write the email here (default with --dry-run: BRIEF_HOME/briefings/DAY.eml)."
    ),
]


def send_command(
    ctx: typer.Context,
    date: Annotated[dt.date, date_option("--date", "The day whose briefing to email.")],
    to: ToOption = None,
    bcc: BccOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Send even to recipients who already got this briefing.")
    ] = False,
    update: UpdateOption = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Write the .eml that would be sent and send nothing."),
    ] = False,
    eml: EmlOption = None,
) -> None:
    """Email the day's briefing (generated with `brief generate`): Markdown and HTML, over SMTP.

    Server and sender: BRIEF_SMTP_HOST, _PORT, _SECURITY, _USER, BRIEF_MAIL_FROM, or config.toml.

    The password comes from BRIEF_SMTP_PASSWORD only.
    """
    from briefing.config import load_smtp_settings
    from briefing.deliver.mail import deliver_briefing

    state = state_of(ctx)
    with user_errors():
        envelope = envelope_for(state, to, bcc, need_server=not dry_run)
        smtp = load_smtp_settings(state.settings)
    if dry_run and eml is None:
        eml = state.settings.home / "briefings" / f"{date.isoformat()}.eml"
    with user_errors(), state.open_store() as store:
        report = deliver_briefing(
            store,
            smtp,
            date,
            envelope,
            force=force,
            update=update,
            dry_run=dry_run,
            eml_path=eml,
            progress=state.progress,
        )
    _say_delivered(report)


def envelope_for(
    state: State, to: list[str] | None, bcc: list[str] | None, *, need_server: bool
) -> Envelope:
    """The recipients, checked against the mail settings before anything is done."""
    from briefing.config import load_smtp_settings
    from briefing.deliver.mail import check_envelope

    smtp = load_smtp_settings(state.settings)
    # A flag replaces the file's list rather than adding to it, as flags do everywhere.
    return check_envelope(smtp, to or smtp.to, bcc or smtp.bcc, need_server=need_server)


def send_briefing(state: State, day: dt.date, envelope: Envelope) -> None:
    """Send the day's briefing as `brief generate --send` does, then say who got it."""
    from briefing.config import load_smtp_settings
    from briefing.deliver.mail import deliver_briefing

    smtp = load_smtp_settings(state.settings)
    with user_errors(), state.open_store() as store:
        report = deliver_briefing(store, smtp, day, envelope, progress=state.progress)
    _say_delivered(report)


def _say_delivered(report: DeliveryReport) -> None:
    for recipient, why in report.skipped.items():
        typer.echo(f"skipped {recipient}: {why}", err=True)
    if report.dry_run:
        typer.echo(str(report.eml_path))
        typer.echo(
            f'wrote {report.eml_path}: "{report.subject}" for {_who(report)}; '
            "nothing sent (dry run)",
            err=True,
        )
        return
    if report.sent_to:
        typer.echo(f'sent "{report.subject}" to {_who(report)} ({report.reply})', err=True)
    if report.eml_path is not None:
        typer.echo(f"wrote a copy to {report.eml_path}", err=True)
    if report.refused:
        refused = "; ".join(f"{r} ({reply})" for r, reply in report.refused.items())
        raise fail(f"the server refused {refused}: check the address; the others got it")


def _who(report: DeliveryReport) -> str:
    shown = [r for r in report.sent_to if r not in report.bcc]
    hidden = [r for r in report.sent_to if r in report.bcc]
    return ", ".join(shown + ([f"bcc: {', '.join(hidden)}"] if hidden else []))
