"""What the release atomicity tests share: the state a release may touch, the complete 1.0.0
release to compare with, and `timeline release` in another process, stopped at a named step."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import DATE
from helpers import git, invoke, state
from timeline.release import steps
from timeline.release.lock import LOCK_NAME

RELEASE = ("release", "--date", DATE, "--package")
# `timeline` in a subprocess. Validation is not what these tests are about (test_release.py
# runs it for real), so it is replaced by a stub that finds nothing: half the time per run.
TIMELINE = [
    sys.executable,
    "-c",
    "import sys, types; sys.modules['timeline.validation'] = types.SimpleNamespace(problems=lambda path: []); "
    "from timeline.cli import main; main()",
]


@pytest.fixture(autouse=True)
def no_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same stub in this process."""
    import timeline.validation

    monkeypatch.setattr(timeline.validation, "problems", lambda path: [])


def full_state(repo: Path) -> dict[str, object]:
    """state() plus every ref and what a release may leave under .git/ or dist/."""
    result = state(repo)
    result["refs"] = git(repo, "for-each-ref", "--format=%(refname) %(objectname)")
    result["git_leftovers"] = sorted(
        p.name for p in (repo / ".git").iterdir() if p.name.startswith(("timeline-", LOCK_NAME))
    )
    return result


def assert_complete(repo: Path, released_template: Path, rebuild: bool = True) -> None:
    """The 1.0.0 release, exactly as an uninterrupted `timeline release` makes it."""
    expected = {k: v for k, v in state(released_template)["files"].items()}  # type: ignore[union-attr]
    after = full_state(repo)
    assert after["files"] == expected
    assert after["status"] == "" and after["git_leftovers"] == []
    assert git(repo, "tag").split() == ["v1.0.0"]
    assert git(repo, "rev-parse", "v1.0.0^{commit}") == git(repo, "rev-parse", "HEAD")
    assert git(repo, "log", "--format=%s", "-2").splitlines() == ["Release 1.0.0", "Package before its first release"]
    assert git(repo, "cat-file", "-t", "v1.0.0").strip() == "tag"
    if not rebuild:  # dist/ equals the uninterrupted release's, which test_release.py rebuilds byte for byte
        return
    rebuilt = repo.parent / "rebuilt"
    code, _, err = invoke("build", "--package", str(repo), "--out", str(rebuilt))
    assert code == 0, err
    assert {p.name: p.read_bytes() for p in rebuilt.iterdir()} == {
        p.name: p.read_bytes() for p in (repo / "dist").iterdir()
    }


class Forked:
    """`timeline release` in a forked child of this process: a real process (its own pid, locks and
    signals) that starts in milliseconds because every module is already imported. The subset of
    Popen that these tests use."""

    def __init__(self, args: list[str], env: dict[str, str], folder: Path) -> None:
        self.out, self.err = folder / "child.out", folder / "child.err"
        self.returncode: int | None = None
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns into pytest
            code = 70
            try:
                os.environ.update(env)
                sys.stdout = open(self.out, "w", encoding="utf-8")  # noqa: SIM115
                sys.stderr = open(self.err, "w", encoding="utf-8")  # noqa: SIM115
                sys.argv = ["timeline", *args]
                try:
                    from timeline.cli import cli

                    cli.main(args, prog_name="timeline")
                except SystemExit as exit_:
                    code = exit_.code if isinstance(exit_.code, int) else 1
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float = 60) -> int:
        deadline = time.monotonic() + timeout
        while self.poll() is None:
            assert time.monotonic() < deadline, f"pid {self.pid} still running"
            time.sleep(0.01)
        assert self.returncode is not None
        return self.returncode

    def communicate(self, timeout: float = 60) -> tuple[str, str]:
        self.wait(timeout)
        return self.out.read_text(encoding="utf-8"), self.err.read_text(encoding="utf-8")

    def send_signal(self, number: int) -> None:
        os.kill(self.pid, number)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def spawn(
    repo: Path, pause_at: str | None = None, seconds: float = 60, fork: bool = True
) -> tuple[Forked | subprocess.Popen[str], Path]:
    """`timeline release` on REPO in another process, stopping at PAUSE_AT (see steps.checkpoint)."""
    folder = Path(tempfile.mkdtemp(dir=repo.parent))
    marker = folder / "paused"
    env = {steps.PAUSE_MARKER: str(marker), steps.PAUSE_SECONDS: str(seconds)}
    if pause_at:
        env[steps.PAUSE_AT] = pause_at
    if fork:
        return Forked([*RELEASE, str(repo)], env, folder), marker
    process = subprocess.Popen(
        [*TIMELINE, *RELEASE, str(repo)],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return process, marker


def wait_for(marker: Path, process: Forked | subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"never reached {marker.name}"
        time.sleep(0.02)


def interrupted_after_publishing(repo: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Release with a fault right after the ref transaction; returns the published commit."""
    with monkeypatch.context() as patch:
        patch.setattr(
            steps, "checkpoint", lambda at: (_ for _ in ()).throw(OSError("x")) if at == "published" else None
        )
        assert invoke(*RELEASE, str(repo))[0] == 2
    return git(repo, "rev-parse", "HEAD").strip()
