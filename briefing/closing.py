"""`Closing`: the context-manager protocol of the classes that hold a resource (a database
connection, HTTP connections, the embedded model's server), so that `with Store(path) as
store:` closes it on the way out, however the block ends. A subclass says what `close` does.
"""

from __future__ import annotations

from typing import Self


class Closing:
    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
