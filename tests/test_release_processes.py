"""Real processes: two releases at once, kill -9 and SIGTERM at every step, a lock left by the dead.

Processes stop at a named step through the test-only pause seam of timeline.release.steps
(TIMELINE_TEST_PAUSE_AT), then are killed, signalled or raced.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import git, invoke
from release_helpers import (
    RELEASE,
    assert_complete,
    full_state,
    interrupted_after_publishing,
    no_validation,
    spawn,
    wait_for,
)
from timeline.release import steps
from timeline.release.apply import apply_release
from timeline.release.lock import LOCK_NAME, ReleaseLock

__all__ = ["no_validation"]  # an autouse fixture: validation is not what these tests are about


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
        for _ in range(500):  # the ref transaction's own git process exits on EOF, removing its ref locks
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


def test_a_loser_planned_before_the_winner_never_touches_the_winners_release(
    git_repo: Path, released_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import timeline.validation
    from timeline.errors import ReleaseRefusedError
    from timeline.release.plan import plan_release

    loser = plan_release(git_repo, timeline.validation.problems, date="2026-11-25")
    interrupted_after_publishing(git_repo, monkeypatch)  # the winner: published, then died before finishing
    journal = git_repo / ".git" / "timeline-release.json"
    assert journal.is_file()
    with pytest.raises(ReleaseRefusedError, match=r"^HEAD moved while this release was being planned"):
        apply_release(loser, timeline.validation.problems)
    assert journal.is_file()  # the winner's journal survives the loser
    code, out, err = invoke(*RELEASE, str(git_repo))
    assert code == 0 and "finished release 1.0.0" in out, err
    assert_complete(git_repo, released_template, rebuild=False)
