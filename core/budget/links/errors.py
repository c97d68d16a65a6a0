"""Why a data link failed, in words a clerk can act on.

Every failure of a pull or an exchange package is a :class:`LinkError` carrying a Chinese message that says
what went wrong and what to do. Nothing has been changed in the database when one is raised.
"""

from __future__ import annotations


class LinkError(Exception):
    """A data-link failure; ``str(error)`` is the clerk's message, ``reason`` a stable key for logs and tests."""

    def __init__(self, message: str, reason: str = "error") -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason

    def __str__(self) -> str:
        return self.message


class LinkCancelled(LinkError):
    """The user stopped the pull or the package import; nothing was written."""

    def __init__(self, message: str = "已取消，没有写入任何数据。") -> None:
        super().__init__(message, "cancelled")
