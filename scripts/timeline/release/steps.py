"""The named steps of a release, a seam at each for tests, and what SIGTERM/Ctrl-C do at each.

Before the ref transaction commits, SIGTERM and Ctrl-C interrupt the release and nothing a
user can see has changed. From the transaction on, they are deferred: the release is
published, so the process finishes it (seconds at most) rather than leave it half done.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from types import FrameType, TracebackType

# In order. A release is published (the branch and the tag moved) between "prepared" and "published".
BEFORE_PUBLISHING = ("locked", "commit", "tag", "validate", "archive", "journal", "prepared")
AFTER_PUBLISHING = ("published", "worktree", "dist")
STEPS = BEFORE_PUBLISHING + AFTER_PUBLISHING

PAUSE_AT = "TIMELINE_TEST_PAUSE_AT"  # tests: stop at this step ...
PAUSE_MARKER = "TIMELINE_TEST_PAUSE_MARKER"  # ... after writing the pid to this file, until it is removed ...
PAUSE_SECONDS = "TIMELINE_TEST_PAUSE_SECONDS"  # ... for this long (default 30), or until a deferred signal


class Interrupts:
    """``with Interrupts() as interrupts:`` SIGTERM raises KeyboardInterrupt until ``defer()``; then it is noted."""

    def __init__(self) -> None:
        self.deferred: list[int] = []
        self._deferring = False
        self._previous: dict[int, object] = {}

    def __enter__(self) -> Interrupts:
        _active.append(self)
        if threading.current_thread() is threading.main_thread():
            for number in (signal.SIGTERM, signal.SIGINT):
                self._previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)  # type: ignore[arg-type]
        _active.remove(self)

    def defer(self) -> None:
        self._deferring = True

    def _handle(self, number: int, frame: FrameType | None) -> None:
        if self._deferring:
            self.deferred.append(number)
        else:
            raise KeyboardInterrupt


_active: list[Interrupts] = []


def checkpoint(step: str) -> None:
    """Reached after each step. Tests replace this to inject a failure, or set PAUSE_AT to stop here.

    A pause writes the pid to the PAUSE_MARKER file and lasts until that file is removed,
    PAUSE_SECONDS pass, or (after publishing) a deferred signal arrives.
    """
    if os.environ.get(PAUSE_AT) != step:
        return
    marker = Path(os.environ.get(PAUSE_MARKER, os.devnull))
    if marker != Path(os.devnull):
        marker.write_text(str(os.getpid()), encoding="utf-8")
    deadline = time.monotonic() + float(os.environ.get(PAUSE_SECONDS, "30"))
    while time.monotonic() < deadline and marker.exists() and not any(i.deferred for i in _active):
        time.sleep(0.01)
