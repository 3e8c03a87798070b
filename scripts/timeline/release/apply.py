"""Applying a release plan, atomic by construction (the way git itself is), not by rollback.

1. The release commit (its tree made in a temporary index) and its annotated tag are
   written as git objects only: the work tree, the index and every ref stay as they were.
2. The released files are validated in an exported copy of that commit; the archives are
   built from it into a staging folder inside dist/ and verified.
3. One ref transaction moves the branch (compare-and-swap on its old value) and creates
   the tag. Until it commits nothing a user can see has changed: a failure, an interrupt
   or a concurrent release leaves at most unreferenced objects, which `git gc` prunes.
4. Then the work tree, the index and dist/ are brought up to date (finish.py). A journal
   under .git/ names the release until then, so a process killed there is finished by
   the next `timeline release` or `timeline build`.
A lock under .git/ (lock.py) keeps a second release in the same repository out.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ReleaseError, ReleaseRefusedError, TimelineError
from ..package import load_descriptor
from . import steps
from .archive import BuiltArchive
from .dist import dist_folder
from .finish import Recovery, complete_release, finish_interrupted, remove_leftovers, stage_archives
from .git import current_branch, export_tree, git_dir, head, is_clean
from .journal import Journal, read_journal, remove_journal, write_journal
from .lock import ReleaseLock
from .objects import publish, write_release_commit, write_tag
from .plan import ReleasePlan, Validator, plan_release


@dataclass
class ReleaseOutcome:
    """What `timeline release` did: a plan (and what it published), or the interrupted release it finished."""

    plan: ReleasePlan | None
    dry_run: bool = False
    published: list[Path] = field(default_factory=list)
    recovery: Recovery | None = None

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = self.plan.to_dict() if self.plan else {}
        if self.plan and not self.dry_run:
            result["published"] = [str(p) for p in self.published]
        if self.recovery:
            result["recovered"] = self.recovery.to_dict()
        return result


def run_release(
    path: str | Path | None, validate: Validator, *, bump: str | None, date: str | None, dry_run: bool
) -> ReleaseOutcome:
    """`timeline release`: finish an interrupted release if there is one; else plan, and unless DRY_RUN apply."""
    recovery = None if dry_run else finish_interrupted(path)
    if recovery is not None and recovery.action == "finished":
        return ReleaseOutcome(None, recovery=recovery)
    plan = plan_release(path, validate, bump=bump, date=date)
    if dry_run:
        return ReleaseOutcome(plan, dry_run=True)
    return ReleaseOutcome(plan, published=apply_release(plan, validate), recovery=recovery)


def commit_message(plan: ReleasePlan) -> str:
    body = f"Required bump: {plan.required_bump}; chosen: {plan.bump}.\n\n" + "\n".join(plan.diff.reasons)
    return f"Release {plan.new_version}\n\n{body.strip()}\n"


def _check_unchanged(plan: ReleasePlan) -> None:
    """Under the lock: the repository is still what the plan was made from."""
    if head(plan.root) != plan.base or current_branch(plan.root) != plan.branch:
        raise ReleaseRefusedError(
            f"HEAD moved while this release was being planned (from {(plan.base or 'nothing')[:12]} to "
            f"{(head(plan.root) or 'nothing')[:12]}); nothing was changed. Run `timeline release` again"
        )
    clean, status = is_clean(plan.root)
    if not clean:
        raise ReleaseRefusedError("the git work tree changed while this release was being planned:\n" + status.rstrip())
    pending = read_journal(plan.root)
    if pending is not None:
        if pending.published(plan.root):
            raise ReleaseRefusedError(f"release {pending.version} is not finished: run `timeline release` first")
        remove_journal(plan.root)


def _prepare(plan: ReleasePlan, validate: Validator) -> tuple[Journal, BuiltArchive]:
    """Steps 1 and 2: the commit and the tag as objects, validated and archived; no ref, index or file touched."""
    root = plan.root
    commit = write_release_commit(root, git_dir(root), plan.base, plan.files, commit_message(plan))
    steps.checkpoint("commit")
    with tempfile.TemporaryDirectory(prefix="timeline-release-") as temp:
        export_tree(root, commit, Path(temp), ())
        name = load_descriptor(Path(temp) / "datapackage.json").get("name", "")
        tag_object = write_tag(root, commit, plan.tag, f"{name} {plan.new_version}")
        steps.checkpoint("tag")
        problems = validate(Path(temp) / "datapackage.json")
    if problems:
        raise ReleaseError(f"the released files do not validate: {problems[0]}")
    steps.checkpoint("validate")
    manifest = plan.diff_manifest()
    staged = stage_archives(root, dist_folder(root), commit, plan.new_version, plan.date, manifest)
    steps.checkpoint("archive")
    assert plan.branch is not None  # a detached HEAD is a blocker
    journal = Journal(
        plan.new_version, plan.tag, plan.branch, plan.base, commit, tag_object, plan.date, sorted(plan.files), manifest
    )
    return journal, staged


def apply_release(plan: ReleasePlan, validate: Validator) -> list[Path]:
    """Publish PLAN atomically (see the module docstring). Returns the archives written to dist/."""
    if plan.blockers:
        raise ReleaseRefusedError("release refused:\n- " + "\n- ".join(plan.blockers))
    root = plan.root
    with ReleaseLock(git_dir(root, common=True)) as lock, steps.Interrupts() as interrupts:
        plan.notes += [f"took over the lock of a release that had died: {who}" for who in lock.taken_over]
        plan.notes += [f"removed {item}, left by an interrupted process" for item in remove_leftovers(root)]
        journal: Journal | None = None
        try:
            _check_unchanged(plan)
            steps.checkpoint("locked")
            prepared, staged = _prepare(plan, validate)
            journal = prepared  # from here the journal on disk, if any, is this release's
            write_journal(root, journal)
            steps.checkpoint("journal")
            interrupts.defer()  # from here a signal is answered at the commit point below, or after publishing
            publish(
                root,
                journal.branch,
                journal.old,
                journal.commit,
                journal.tag,
                journal.tag_object,
                lambda: _last_chance(interrupts),
            )
        except BaseException as error:
            if journal is not None and journal.published(root):
                raise _unfinished(journal, error) from None  # git committed, then failed: published after all
            remove_leftovers(root)
            if journal is not None:
                remove_journal(root)
            raise _not_published(error) from None
        try:
            published = complete_release(root, journal, staged)
        except BaseException as error:
            raise _unfinished(journal, error) from None
    if interrupts.deferred:
        plan.notes.append("a signal arrived after the release was published; it was finished first")
    return published


def _last_chance(interrupts: steps.Interrupts) -> None:
    """Called with both refs locked, just before the commit point: a pending signal still aborts cleanly."""
    steps.checkpoint("prepared")
    if interrupts.deferred:
        raise KeyboardInterrupt


def _not_published(error: BaseException) -> TimelineError:
    if isinstance(error, ReleaseRefusedError):
        return error
    if isinstance(error, KeyboardInterrupt):
        return ReleaseError(
            "release interrupted before publishing; nothing was changed (branch, tags, work tree, index and dist/ "
            "are as they were)"
        )
    reason = str(error) if isinstance(error, TimelineError) else f"{type(error).__name__}: {error}"
    return ReleaseError(f"release failed before publishing; nothing was changed: {reason}")


def _unfinished(journal: Journal, error: BaseException) -> TimelineError:
    if isinstance(error, ReleaseRefusedError):
        return error
    reason = (
        "interrupted"
        if isinstance(error, KeyboardInterrupt)
        else (str(error) if isinstance(error, TimelineError) else f"{type(error).__name__}: {error}")
    )
    return ReleaseError(
        f"release {journal.version} is published ({journal.short_branch} at {journal.commit[:12]}, tag "
        f"{journal.tag}) but bringing the work tree, the index and dist/ up to date failed: {reason}. "
        "Fix the cause, then run `timeline release` to finish it"
    )
