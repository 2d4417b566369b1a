"""Every exception the package raises, in one module.

The command line turns a `BriefError` into a one-line message and exit code 1, so str() of any of
these says what went wrong and how to fix it. The tree:

    BriefError                  a failure the user can fix; str() is one line saying how
    ├── ConfigError             a setting in config.toml or the environment that cannot be used
    ├── RulesError              a rule file (topics, actors, word lists, ...) that cannot be read
    │                           or does not fit its schema; names the file, table and key
    ├── InputError              an input file or record that cannot be read as an article
    ├── FetchError              a URL that could not be fetched; `permanent`: asking again won't help
    ├── GoldError               a gold corpus for `brief eval` that cannot be read
    │   └── SeedGoldError       a seed-gold file (the team's hand labels) that cannot be read
    ├── ModelError              the model could not be started or reached, or its answer used;
    │   │                       `usage` is what a failed answer still cost (None: nothing spent)
    │   ├── ModelUnavailable    no answer at all: unreachable, HTTP errors (the work stays pending)
    │   │   ├── ReplayMiss      no recording for a request under the replay provider
    │   │   ├── ModelTimeout    the server did not answer in time (after retries)
    │   │   └── BatchPending    the request waits for the Batch API (queued, or in a batch)
    │   ├── ModelRefused        the model refused, or the provider's filter blocked the answer
    │   ├── ModelTruncated      the answer hit the output limit (held for review)
    │   └── ModelInvalidOutput  the answer does not fit the schema (the caller re-asks);
    │                           `content` is the answer as received
    ├── CostRefused             a run whose estimate for a paid model is over max_run_tokens
    ├── DeliveryError           the briefing could not be emailed (settings, server, recipients)
    ├── StoreError              the store's SQLite file cannot be used (locked, damaged,
    │                           read-only, disk full, newer schema); says what to do
    └── ReviewError             a review decision that cannot be applied (unknown id, bad value)
        └── CsvImportError      a review CSV file with wrong rows; `problems` lists each one

Exceptions that never leave the module raising them (a retry signal inside delivery) stay
private there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # errors.py imports nothing at run time, so every module can import it
    from briefing.models import Usage


class BriefError(Exception):
    """A failure the user can fix; str() is a one-line message saying how."""


class ConfigError(BriefError):
    """A setting in `config.toml` or in the environment that cannot be used: an unknown key, a
    value of the wrong type, a secret written in the file."""


class RulesError(BriefError):
    """A rule file (the topic list, the actor lists, the stance, position and furniture rules,
    the finder's cues and words) that cannot be read or does not fit its schema; the message
    names the file, the table and the key (see `briefing.rulefiles`)."""


class InputError(BriefError):
    """An input file or record that cannot be read as an article."""


class FetchError(BriefError):
    """A URL that could not be fetched; str() is one line naming the URL and the reason.
    `permanent` says that asking again later will not help (a 404, robots.txt), unlike a
    time-out. `status` is the HTTP status the server answered the URL with (404, 503, a 301
    without a Location), None when the failure was not the server's answer (no connection, a
    time-out, a refused host, a page that is not an article): what code reads, the reason being
    for people."""

    def __init__(
        self, url: str, reason: str, *, permanent: bool = False, status: int | None = None
    ) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.permanent = permanent
        self.status = status


class GoldError(BriefError):
    """A gold corpus that cannot be read; the message names the file and the fix."""


class SeedGoldError(GoldError):
    """A seed-gold file (the team's hand-labelled positions) that cannot be read."""


class ModelError(BriefError):
    """The model could not be started or reached, or its answer could not be used.

    `usage` is what the failed request still cost (an answer that was refused, cut off or
    invalid was still paid for); None when no answer came back.
    """

    def __init__(self, message: str, *, usage: Usage | None = None) -> None:
        super().__init__(message)
        self.usage = usage


class ModelUnavailable(ModelError):
    """No answer at all: the server is unreachable or answered with an HTTP error."""


class ReplayMiss(ModelUnavailable):
    """The replay provider has no recording for this request."""


class ModelTimeout(ModelUnavailable):
    """The server did not answer in time, after the client's retries."""


class BatchPending(ModelUnavailable):
    """The request is not asked now: it is queued for a Batch API submission, or waits in a
    batch already submitted (asking it live as well would pay for it twice)."""


class ModelRefused(ModelError):
    """The model refused, or the provider's content filter blocked the answer."""


class ModelTruncated(ModelError):
    """The answer was cut off at the output-token limit."""


class ModelInvalidOutput(ModelError):
    """The answer is not valid for the schema; `content` is the answer as received."""

    def __init__(self, message: str, content: str, *, usage: Usage | None = None) -> None:
        super().__init__(message, usage=usage)
        self.content = content


class CostRefused(BriefError):
    """A run against a paid model whose estimate is over `max_run_tokens` (briefing.llm.cost),
    refused before anything is sent; the message says the estimate, the limit and what to do."""


class StoreError(BriefError):
    """The store's SQLite file cannot be used: locked by another process, damaged, not
    writable, the disk full, or migrated by a newer brief. str() says what to do."""


class DeliveryError(BriefError):
    """The briefing could not be emailed: SMTP settings, the mail server, or the recipients."""


class ReviewError(BriefError):
    """A review decision that cannot be applied: an unknown position, a value that is not
    allowed, evidence outside the article."""


class CsvImportError(ReviewError):
    """A review CSV with wrong rows. Nothing of the file was applied; `problems` says, row by
    row, what to fix."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems
