"""``ProfileInformation``: the profile half of ``FT.PROFILE``'s reply."""

from __future__ import annotations

from typing import Any

__all__ = ("ProfileInformation",)


class ProfileInformation:
    """The profile data of ``FT.PROFILE``, as the server sent it (RESP2's
    nested lists; a RESP3 reply is turned back into that shape).

    :param info: the profile data.
    """

    def __init__(self, info: Any) -> None:
        self._info = info

    @property
    def info(self) -> Any:
        """The profile data."""
        return self._info
