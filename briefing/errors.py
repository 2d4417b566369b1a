"""Errors the user can act on.

    BriefError            a failure the user can fix; str() is one line saying how
    ├── InputError        an input file or record that cannot be read as an article
    ├── ModelError        the model could not be started or reached
    └── DeliveryError     the briefing could not be emailed (settings, server, recipients)
"""


class BriefError(Exception):
    """A failure the user can fix; str() is a one-line message saying how."""


class InputError(BriefError):
    """An input file or record that cannot be read as an article."""


class ModelError(BriefError):
    """The model could not be started or reached."""


class DeliveryError(BriefError):
    """The briefing could not be emailed: SMTP settings, the mail server, or the recipients."""
