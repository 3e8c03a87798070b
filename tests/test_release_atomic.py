"""Releases are atomic by construction: a fault at every step, a full disk, and the refusals.

Every case ends in one of two states, never in between: nothing changed (and the tool says
so), or the release is published and the next `timeline release` finishes it, as the tool
says. Real processes (kill -9, SIGTERM, races) are in test_release_processes.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import DATE
from helpers import git, invoke
from release_helpers import RELEASE, assert_complete, full_state, interrupted_after_publishing, no_validation
from timeline.release import steps

__all__ = ["no_validation"]  # an autouse fixture: validation is not what these tests are about


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
