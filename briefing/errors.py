"""Errors the user can act on.

    BriefError            a failure the user can fix; str() is one line saying how
    ├── InputError        an input file or record that cannot be read as an article
    ├── ModelError        the model could not be started or reached
    ├── DeliveryError     the briefing could not be emailed (settings, server, recipients)
    └── ReviewError       a review decision that cannot be applied (unknown id, bad value)
        └── CsvImportError  a review CSV file with wrong rows; `problems` lists each one
"""


class BriefError(Exception):
    """A failure the user can fix; str() is a one-line message saying how."""


class InputError(BriefError):
    """An input file or record that cannot be read as an article."""


class ModelError(BriefError):
    """The model could not be started or reached, or its answer could not be used."""

    usage: object | None = None  # what an answer that failed still cost (llm.Usage), if any


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
