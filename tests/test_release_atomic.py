"""Releases are atomic by construction: faults, kill -9, SIGTERM, a full disk and concurrent releases.

Every case ends in one of two states, never in between: nothing changed (and the tool says
so), or the release is complete (possibly after the next `timeline release` finished it,
as the tool said it would). Subprocesses stop at a named step through the test-only
pause seam of timeline.release.steps (TIMELINE_TEST_PAUSE_AT).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import DATE
from helpers import git, invoke, state
from timeline.release import steps
from timeline.release.lock import LOCK_NAME, ReleaseLock

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


# Fault injection: an exception after each step.


@pytest.mark.parametrize("step", steps.BEFORE_PUBLISHING)
def test_a_fault_before_publishing_changes_nothing(git_repo: Path, monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    before = full_state(git_repo)

    def fail(at: str) -> None:
        if at == step:
            raise OSError(f"injected at {at}")

    monkeypatch.setattr(steps, "checkpoint", fail)
    code, _, err = invoke(*RELEASE, str(git_repo))
    assert (code, err) == (
        2,
        f"Error: release failed before publishing; nothing was changed: OSError: injected at {step}\n",
    )
    assert full_state(git_repo) == before
    assert not (git_repo / "dist").exists() or list((git_repo / "dist").iterdir()) == []


def test_an_interrupt_before_publishing_changes_nothing(git_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = full_state(git_repo)

    def interrupt(at: str) -> None:
        if at == "archive":
            raise KeyboardInterrupt

    monkeypatch.setattr(steps, "checkpoint", interrupt)
    code, _, err = invoke(*RELEASE, str(git_repo))
    assert code == 2
    assert err == (
        "Error: release interrupted before publishing; nothing was changed "
        "(branch, tags, work tree, index and dist/ are as they were)\n"
    )
    assert full_state(git_repo) == before


@pytest.mark.parametrize("step", steps.AFTER_PUBLISHING)
def test_a_fault_after_publishing_says_so_and_the_next_release_finishes_it(
    git_repo: Path, released_template: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    def fail(at: str) -> None:
        if at == step:
            raise OSError(f"injected at {at}")

    monkeypatch.setattr(steps, "checkpoint", fail)
    code, _, err = invoke(*RELEASE, str(git_repo))
    commit = git(git_repo, "rev-parse", "HEAD").strip()
    assert code == 2
    assert err == (
        f"Error: release 1.0.0 is published (main at {commit[:12]}, tag v1.0.0) but bringing the work tree, "
        f"the index and dist/ up to date failed: OSError: injected at {step}. "
        "Fix the cause, then run `timeline release` to finish it\n"
    )
    monkeypatch.undo()
    code, out, _ = invoke(*RELEASE, str(git_repo), "--dry-run")
    assert (
        code == 1 and "- release 1.0.0 was published (main at" in out and "run `timeline release` to finish it" in out
    )
    code, out, err = invoke(*RELEASE, str(git_repo))
    assert code == 0, err
    assert f"finished release 1.0.0, which was interrupted after it was published (main at {commit[:12]}" in out
    assert_complete(git_repo, released_template)


def test_the_released_files_are_validated_in_the_release_commit_itself(
    git_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import timeline.validation

    # Valid in the work tree (the plan), invalid in the exported release commit: refused before publishing.
    def problems(path: Path) -> list[str]:
        return [] if git_repo in path.parents else ["data/events.csv: a broken quote [quote-mismatch]"]

    monkeypatch.setattr(timeline.validation, "problems", problems)
    before = full_state(git_repo)
    code, _, err = invoke(*RELEASE, str(git_repo))
    assert (code, err) == (
        2,
        "Error: release failed before publishing; nothing was changed: the released files do not validate: "
        "data/events.csv: a broken quote [quote-mismatch]\n",
    )
    assert full_state(git_repo) == before


def interrupted_after_publishing(repo: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Release with a fault right after the ref transaction; returns the published commit."""
    with monkeypatch.context() as patch:
        patch.setattr(
            steps, "checkpoint", lambda at: (_ for _ in ()).throw(OSError("x")) if at == "published" else None
        )
        assert invoke(*RELEASE, str(repo))[0] == 2
    return git(repo, "rev-parse", "HEAD").strip()


def test_finishing_never_overwrites_a_file_edited_since_and_says_how(
    git_repo: Path, released_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commit = interrupted_after_publishing(git_repo, monkeypatch)
    (git_repo / "CHANGELOG.md").write_text("my notes\n")
    code, _, err = invoke(*RELEASE, str(git_repo))
    assert (code, err) == (
        1,
        f"Error: release 1.0.0 is published (main at {commit[:12]}, tag v1.0.0) but CHANGELOG.md changed since "
        "it was interrupted, so it was not finished. Keep a copy of your changes, run "
        "`git checkout v1.0.0 -- CHANGELOG.md`, then `timeline release` to finish it\n",
    )
    assert (git_repo / "CHANGELOG.md").read_text() == "my notes\n"
    git(git_repo, "checkout", "v1.0.0", "--", "CHANGELOG.md")
    code, _, err = invoke(*RELEASE, str(git_repo))
    assert code == 0, err
    assert_complete(git_repo, released_template)


def test_build_finishes_an_interrupted_release_first(
    git_repo: Path, released_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    interrupted_after_publishing(git_repo, monkeypatch)
    code, out, err = invoke("build", "--package", str(git_repo))
    assert code == 0, err
    assert "\nfinished release 1.0.0, which was interrupted after it was published (main at " in err
    assert out.count("wrote ") == 3
    assert_complete(git_repo, released_template)


@pytest.mark.parametrize("missing", ["tag", "branch"])
def test_a_ref_transaction_that_git_committed_only_halfway_is_completed(
    git_repo: Path, released_template: Path, monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    # With loose refs git renames its lock files one by one: a crash in between leaves one ref moved.
    old = git(git_repo, "rev-parse", "HEAD").strip()
    interrupted_after_publishing(git_repo, monkeypatch)
    if missing == "tag":
        git(git_repo, "update-ref", "-d", "refs/tags/v1.0.0")
    else:
        git(git_repo, "update-ref", "refs/heads/main", old)
    code, out, err = invoke(*RELEASE, str(git_repo))
    assert code == 0, err
    assert "finished release 1.0.0, which was interrupted after it was published" in out
    assert_complete(git_repo, released_template, rebuild=False)


def test_a_write_error_in_git_changes_nothing(git_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import timeline.release.objects as objects

    before = full_state(git_repo)
    real = objects.git

    def failing_git(root: Path, *args: str, **kwargs: object) -> str:
        if args[0] == "mktag":
            raise objects.GitError("git mktag: error: unable to write tag file")
        return real(root, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(objects, "git", failing_git)
    code, _, err = invoke(*RELEASE, str(git_repo))
    assert (code, err) == (
        2,
        "Error: release failed before publishing; nothing was changed: git mktag: error: unable to write tag file\n",
    )
    assert full_state(git_repo) == before


# Concurrent releases: the lock, and the compare-and-swap behind it.


def test_a_second_release_while_one_runs_is_refused_naming_it(git_repo: Path, released_template: Path) -> None:
    first, marker = spawn(git_repo, pause_at="archive", fork=False)  # the real command line, once
    wait_for(marker, first)
    before = full_state(git_repo)
    code, _, err = invoke(*RELEASE, str(git_repo))
    assert code == 1
    assert err.startswith(f"Error: another release is running in this repository (pid {first.pid} on host ")
    assert "command `timeline release --date 2026-11-25 --package" in err and "nothing was changed" in err
    assert full_state(git_repo) == before
    marker.unlink()  # let the first one go on
    _, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    assert_complete(git_repo, released_template)


@pytest.mark.parametrize("trial", range(2))
def test_two_releases_racing_make_exactly_one(git_repo: Path, released_template: Path, trial: int) -> None:
    # Each holds the lock a little while once it has it, so the two always overlap.
    racers = [spawn(git_repo, pause_at="locked", seconds=1.0)[0] for _ in range(2)]
    results = [(p.wait(timeout=60), p.communicate()[1]) for p in racers]
    assert sorted(code for code, _ in results) == [0, 1], results
    loser = next(err for code, err in results if code == 1)
    assert (
        loser.startswith(
            ("Error: another release is running in this repository", "Error: release refused:\n- the git work tree")
        )
        or "moved" in loser
    ), loser
    assert_complete(git_repo, released_template)


def test_a_commit_landing_during_a_release_wins_the_compare_and_swap(
    git_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def someone_commits(at: str) -> None:
        if at == "journal":  # a plain `git commit` does not take our lock; the ref transaction still sees it
            git(git_repo, "commit", "-q", "--allow-empty", "-m", "Someone else's commit")

    monkeypatch.setattr(steps, "checkpoint", someone_commits)
    before = git(git_repo, "rev-parse", "HEAD").strip()
    code, _, err = invoke(*RELEASE, str(git_repo))
    now = git(git_repo, "rev-parse", "HEAD").strip()
    assert (code, err) == (
        1,
        f"Error: main moved to {now[:12]} while this release was being made from {before[:12]} "
        "(another release or commit); nothing was changed. Run `timeline release` again\n",
    )
    assert git(git_repo, "log", "--format=%s").splitlines() == [
        "Someone else's commit",
        "Package before its first release",
    ]
    assert git(git_repo, "tag") == "" and git(git_repo, "status", "--porcelain") == ""
    assert full_state(git_repo)["git_leftovers"] == []


def test_a_lock_left_by_a_dead_process_is_taken_over(git_repo: Path, released_template: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (git_repo / ".git" / LOCK_NAME).write_text(
        f'{{"pid": {dead.stdout.strip()}, "host": "h", "started": "s", "command": "timeline release"}}\n'
    )
    code, out, err = invoke(*RELEASE, str(git_repo))
    assert code == 0, err
    assert (
        f"note: took over the lock of a release that had died: pid {dead.stdout.strip()} on host h, started s, "
        "command `timeline release`" in out
    )
    assert_complete(git_repo, released_template)


def test_a_held_lock_also_stops_build(released: Path) -> None:
    with ReleaseLock(released / ".git"):
        code, _, err = invoke("build", "--package", str(released))
    assert code == 1 and err.startswith(f"Error: another release is running in this repository (pid {os.getpid()}")


# kill -9 and SIGTERM of a real process, at every step.


def test_kill_9_at_any_step_is_recognised_and_finished(git_repo: Path, released_template: Path, tmp_path: Path) -> None:
    repos = {step: Path(shutil.copytree(git_repo, tmp_path / step, symlinks=True)) for step in steps.STEPS}
    running = {step: spawn(repo, pause_at=step) for step, repo in repos.items()}
    for process, marker in running.values():
        wait_for(marker, process)
        process.kill()
        process.wait()
    for step, repo in repos.items():
        published = step in steps.AFTER_PUBLISHING
        code, out, _ = invoke(*RELEASE, str(repo), "--dry-run")
        assert code == (1 if published else 0), (step, out)
        assert ("run `timeline release` to finish it" in out) == published, (step, out)
        unpublished_journal = step in ("journal", "prepared")
        assert ("was interrupted before it was published (nothing changed)" in out) == unpublished_journal, out
        for _ in range(100):  # the ref transaction's own git process exits on EOF, removing its ref locks
            if not list((repo / ".git/refs").rglob("*.lock")):
                break
            time.sleep(0.02)
        code, out, err = invoke(*RELEASE, str(repo))
        assert code == 0, (step, err)
        assert "note: took over the lock of a release that had died: pid" in out, (step, out)
        assert ("finished release 1.0.0, which was interrupted after it was published" in out) == published, step
        assert_complete(repo, released_template, rebuild=published)


@pytest.mark.parametrize(
    "step, outcome",
    [("tag", "nothing"), ("prepared", "nothing"), ("published", "complete")],
)
def test_sigterm_rolls_nothing_back_it_never_published_or_finishes(
    git_repo: Path, released_template: Path, step: str, outcome: str
) -> None:
    before = full_state(git_repo)
    process, marker = spawn(git_repo, pause_at=step)
    wait_for(marker, process)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    if outcome == "nothing":
        assert process.returncode == 2
        assert err == (
            "Error: release interrupted before publishing; nothing was changed "
            "(branch, tags, work tree, index and dist/ are as they were)\n"
        )
        assert full_state(git_repo) == before
    else:
        assert process.returncode == 0, err
        assert "note: a signal arrived after the release was published; it was finished first" in out
        assert_complete(git_repo, released_template)


# A full disk.


def fill(folder: Path) -> Path:
    """Write zeros into FOLDER/filler until its file system is full."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 65536)
    except OSError:
        pass
    finally:
        os.close(fd)
    return folder / "filler"


@pytest.fixture
def small_disk(git_repo: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of git_repo on its own tmpfs with 1 MiB to spare (root only: CI runs as root)."""
    if os.geteuid() != 0:
        reason = "mounting a small tmpfs needs root (CI runs as root)"
        print(f"SKIPPED: {reason}")
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    mount = tmp_path / "small"
    mount.mkdir()
    size = sum(p.stat().st_size for p in git_repo.rglob("*") if p.is_file()) + (1 << 20)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], check=True)
    try:
        yield Path(shutil.copytree(git_repo, mount / "repo", symlinks=True))
    finally:
        subprocess.run(["umount", str(mount)], check=True)


@pytest.mark.parametrize("full_from", ["start", "tag", "archive", "journal"])
def test_a_disk_full_before_publishing_changes_nothing_and_says_so(
    small_disk: Path, monkeypatch: pytest.MonkeyPatch, full_from: str
) -> None:
    repo = small_disk
    before = full_state(repo)
    if full_from == "start":
        fill(repo.parent)
    else:
        monkeypatch.setattr(steps, "checkpoint", lambda at: fill(repo.parent) if at == full_from else None)
    code, _, err = invoke(*RELEASE, str(repo))
    assert code == 2, err
    assert err.startswith(
        ("Error: release failed before publishing; nothing was changed: ", "Error: could not take the release lock ")
    ), err
    # git's own words for ENOSPC vary by where it hit (loose object, index lock, ref lock)
    assert any(words in err for words in ("No space left on device", "Out of diskspace", "couldn't write")), err
    assert err.count("\n") == 1, err
    assert full_state(repo) == before


def test_a_disk_full_after_publishing_says_so_and_the_next_release_finishes(
    small_disk: Path, released_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = small_disk
    filler: list[Path] = []
    monkeypatch.setattr(steps, "checkpoint", lambda at: filler.append(fill(repo.parent)) if at == "published" else None)
    code, _, err = invoke(*RELEASE, str(repo))
    commit = git(repo, "rev-parse", "HEAD").strip()
    assert code == 2
    assert err.startswith(
        f"Error: release 1.0.0 is published (main at {commit[:12]}, tag v1.0.0) but bringing the work tree, "
        "the index and dist/ up to date failed: OSError: [Errno 28] No space left on device"
    ), err
    assert err.endswith(". Fix the cause, then run `timeline release` to finish it\n")
    monkeypatch.undo()
    filler[0].unlink()
    code, out, err = invoke(*RELEASE, str(repo))
    assert code == 0, err
    assert "finished release 1.0.0, which was interrupted after it was published" in out
    assert_complete(repo, released_template)


# Refusals: detached HEAD, shallow history, a dist symlink, unportable file names.


def refused(repo: Path, *args: str) -> str:
    before = full_state(repo)
    code, out, err = invoke(*args, "--package", str(repo))
    assert code == 1, out + err
    assert full_state(repo) == before
    return err


def test_a_detached_head_is_refused(git_repo: Path) -> None:
    git(git_repo, "checkout", "-q", "--detach")
    err = refused(git_repo, "release", "--date", DATE)
    assert err == (
        "Error: release refused:\n"
        "- HEAD is detached (on no branch): check out the branch to release on (`git switch main`)\n"
    )


def test_shallow_history_is_refused_by_release_and_build(released: Path, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{released}", str(clone))
    err = refused(clone, "release", "--date", DATE)
    assert err == (
        "Error: release refused:\n"
        "- this clone has shallow history, so earlier releases cannot be read: run `git fetch --unshallow`\n"
    )
    err = refused(clone, "build")
    assert err == (
        "Error: this clone has shallow history: the previous release, which the archives' manifest describes, "
        "is not in it, so the bytes would differ. Run `git fetch --unshallow` and build again\n"
    )


def test_a_committed_dist_symlink_is_refused(git_repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (git_repo / "dist").symlink_to(outside)
    git(git_repo, "add", "-f", "dist")
    git(git_repo, "commit", "-q", "-m", "dist as a symlink")
    err = refused(git_repo, "release", "--date", DATE)
    assert err == (
        f"Error: release refused:\n- {git_repo / 'dist'} is a symlink (to {outside}): archives are written only "
        "inside the package. Remove it (`git rm dist` if it is committed) and try again\n"
    )
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize(
    "name, reason",
    [
        ("schemas/..\\..\\evil.json", "contains a backslash, a folder separator for Windows extractors"),
        ("data/notes\nabc  datapackage.json", "contains a control character (a newline would forge a SHA256SUMS line)"),
        ("data/bell\x07.txt", "contains a control character"),
    ],
)
def test_unportable_file_names_are_refused_by_release_and_build(released: Path, name: str, reason: str) -> None:
    (released / name).write_text("x\n")
    git(released, "add", "-A")
    git(released, "commit", "-q", "--amend", "--no-edit")  # as if an older tool had released it
    err = refused(released, "release", "--date", "2026-12-01")
    assert f"- file name {name!r} {reason}" in err
    rebuilt = released.parent / "rebuilt"
    err = refused(released, "build", "--out", str(rebuilt))
    assert err.startswith(f"Error: file name {name!r} {reason}")
    assert err.endswith("; rename it (`git mv`), commit, and try again. Nothing was written\n")
    assert not rebuilt.exists() or list(rebuilt.iterdir()) == []
