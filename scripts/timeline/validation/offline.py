"""frictionless without a network: every HTTP request it would make fails at once, nothing is sent."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from frictionless import system


class _OfflineSession:
    """frictionless's HTTP session while we validate: every request fails at once, nothing is sent."""

    headers: dict[str, str] = {}

    def request(self, *args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("timeline never uses the network")

    get = post = head = request


@contextmanager
def offline() -> Iterator[None]:
    """Belt and braces: preflight already refuses every URL frictionless could follow."""
    with system.use_context(http_session=_OfflineSession()):
        yield
