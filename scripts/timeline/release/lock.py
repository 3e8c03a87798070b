"""One release at a time per repository: an exclusive lock file under the git directory.

The lock file is written in full beside its final name, then hard-linked into place:
the link fails if the file exists, so exactly one process creates it (like O_CREAT|O_EXCL,
but never visible half-written). Its creator also holds an flock(2) on it, which the
kernel drops when the process dies however it dies (kill -9 included). So a lock file
whose flock is free was left by a dead process: it is taken over automatically, and
the result says so. A lock whose flock is held names the process holding it.
"""

from __future__ import annotations

import datetime
import fcntl
import json
import os
import socket
import stat
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from ..errors import GitError, ReleaseRefusedError
from ..package.safeio import describe_mode

LOCK_NAME = "timeline-release.lock"


def _describe(info: dict[str, object]) -> str:
    return (
        f"pid {info.get('pid', '?')} on host {info.get('host', '?')}, started {info.get('started', '?')}, "
        f"command `{info.get('command', '?')}`"
    )


def _read(fd: int) -> dict[str, object]:
    os.lseek(fd, 0, os.SEEK_SET)
    try:
        info = json.loads(os.read(fd, 65536).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}
    return info if isinstance(info, dict) else {}


@dataclass
class ReleaseLock:
    """``with ReleaseLock(git_dir):`` holds the repository's release lock; ``taken_over`` names a dead holder."""

    folder: Path
    taken_over: list[str] = field(default_factory=list)
    fd: int | None = None

    @property
    def path(self) -> Path:
        return self.folder / LOCK_NAME

    def __enter__(self) -> ReleaseLock:
        try:
            for _ in range(5):
                if self._try_create():
                    return self
                self._take_over_if_stale()
        except OSError as error:
            raise GitError(f"could not take the release lock {self.path}: {error}; nothing was changed") from None
        raise GitError(f"could not take the release lock {self.path}; nothing was changed, try again")

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.release()

    def release(self) -> None:
        if self.fd is not None:
            self.path.unlink(missing_ok=True)  # unlink before unlocking: a waiter then sees a new inode or none
            os.close(self.fd)
            self.fd = None

    def _try_create(self) -> bool:
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "command": " ".join(["timeline", *sys.argv[1:]]),
        }
        fd, temp = tempfile.mkstemp(prefix=f"{LOCK_NAME}.", dir=self.folder)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a fresh file: never contended
            os.write(fd, (json.dumps(info) + "\n").encode("utf-8"))
            os.fsync(fd)
            os.link(temp, self.path)
        except FileExistsError:
            os.close(fd)
            return False
        except BaseException:
            os.close(fd)
            raise
        finally:
            os.unlink(temp)
        self.fd = fd
        return True

    def _take_over_if_stale(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO would block until a writer came
        except FileNotFoundError:
            return
        try:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):
                raise GitError(
                    f"the release lock {self.path} is {describe_mode(mode)}, not a file a release makes; nothing was "
                    "changed. Remove it, then run the command again"
                )
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                info = _read(fd)
                raise ReleaseRefusedError(
                    f"another release is running in this repository ({_describe(info)}); nothing was changed. "
                    f"Wait for it to finish, then run the command again (lock: {self.path})"
                ) from None
            try:
                current = os.stat(self.path)
            except FileNotFoundError:
                return
            mine = os.fstat(fd)
            if (current.st_dev, current.st_ino) == (mine.st_dev, mine.st_ino):
                # Nobody holds it and it is still the lock file: its creator is gone.
                self.taken_over.append(_describe(_read(fd)))
                self.path.unlink()
        finally:
            os.close(fd)
