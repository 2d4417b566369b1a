"""The store: one SQLite file, the only part of brief that touches SQLite (see `database`)."""

from briefing.store.database import Store

__all__ = ["Store"]
