"""The cost guard of the commands that extract (`brief extract`, `brief generate`, `brief run`).

Before a run against a paid (remote) model, the estimate of what it will send and cost
(`briefing.llm.cost`) goes to stderr, and a run over `max_run_tokens` is refused unless `--yes`
is given. `--dry-run` prints the estimate alone, on stdout, and sends nothing. The embedded model
and replay cost nothing: no estimate, no guard.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from briefing.errors import CostRefused

if TYPE_CHECKING:
    from briefing.extract.extractor import Extractor
    from briefing.models import Article

YesOption = Annotated[
    bool,
    typer.Option(
        "--yes",
        help="Send the requests to a remote model even when the estimate is over max_run_tokens.",
    ),
]
DryRunOption = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        help="Print what the run would send to a remote model (requests, tokens, price) and"
        " send nothing.",
    ),
]


def guard(
    extractor: Extractor, articles: Sequence[Article], *, yes: bool = False, dry_run: bool = False
) -> bool:
    """Whether the run goes ahead: False for a dry run (the estimate printed), CostRefused for
    one over `max_run_tokens` without `yes`, True otherwise (the estimate said on stderr)."""
    from briefing.llm.cost import describe, is_paid, refusal
    from briefing.pipeline import estimate_cost

    client = extractor.client
    if not is_paid(client):
        if dry_run:
            typer.echo(f"dry run: the {client.provider} model is not paid for; nothing was sent")
        return not dry_run
    estimate = estimate_cost(extractor, articles)
    reason = refusal(estimate, extractor.settings.max_run_tokens)
    if dry_run:
        typer.echo(describe(estimate))
        if reason is not None:
            limit = extractor.settings.max_run_tokens
            typer.echo(f"without --yes the run would be refused (max_run_tokens = {limit:,})")
        typer.echo("dry run: nothing was sent")
        return False
    if estimate.requests:
        typer.echo(describe(estimate), err=True)
    if reason is not None and not yes:
        raise CostRefused(reason)
    return True
