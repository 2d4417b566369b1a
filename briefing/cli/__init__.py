"""The `brief` command line: one module per command group, each command a few lines over the
library. Commands parse their arguments, call the library and print what it returns; only the
CLI prints or exits.

    common     global options, state, the date parser, errors to exit codes (0, 1, 2)
    fetch      fetch, run
    articles   ingest, articles
    extract    extract, generate
    send       send
    review     review list | show | approve | reject | edit | dismiss | export | export-gold |
               import | serve | merge-actors
    timeline   timeline
    doctor     doctor, backup
    eval       eval

Recording the model fixtures is a developer's tool: `python -m briefing.recording`.
"""

from __future__ import annotations

import typer

from briefing.cli import review
from briefing.cli.articles import articles_command, ingest_command
from briefing.cli.common import global_options
from briefing.cli.doctor import backup_command, doctor_command
from briefing.cli.eval import eval_command
from briefing.cli.extract import extract_command, generate_command
from briefing.cli.fetch import fetch_command, run_command
from briefing.cli.send import send_command
from briefing.cli.timeline import timeline_command

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Turn news articles into a daily briefing of who said what, with verbatim quotes.",
)
app.callback()(global_options)
app.command("ingest")(ingest_command)
app.command("articles")(articles_command)
app.command("extract")(extract_command)
app.command("generate")(generate_command)
app.command("send")(send_command)
app.add_typer(review.app, name="review")
app.command("timeline")(timeline_command)
app.command("doctor")(doctor_command)
app.command("backup")(backup_command)
app.command("eval")(eval_command)
app.command("fetch")(fetch_command)
app.command("run")(run_command)

__all__ = ["app"]
