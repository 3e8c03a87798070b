"""Applying a release plan: write, validate, commit, tag, archive, publish; on any failure undo everything.

If any step fails or the process is interrupted (Ctrl-C, SIGTERM), every file, the
commit and the tag are put back as they were.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path
from typing import Any

from ..errors import ReleaseError, ReleaseRefusedError
from ..package.atomic import atomic_write_text
from .build import build_release_archives
from .git import git, head
from .plan import ReleasePlan, Validator


def _checkpoint(step: str) -> None:
    """A seam for tests: they replace this to inject a failure after a named step."""


class _Rollback:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.originals: dict[str, bytes | None] = {}
        self.head: str | None = head(root)
        self.tag: str | None = None
        self.published: list[Path] = []
        self.temp_dirs: list[Path] = []

    def remember(self, relative: str) -> None:
        path = self.root / relative
        self.originals[relative] = path.read_bytes() if path.exists() else None

    def undo(self) -> None:
        for path in self.published:
            path.unlink(missing_ok=True)
        if self.tag:
            git(self.root, "tag", "-d", self.tag, check=False)
        if self.head and head(self.root) != self.head:
            git(self.root, "reset", "-q", "--mixed", self.head, check=False)
        else:
            git(self.root, "reset", "-q", check=False)
        for relative, data in self.originals.items():
            path = self.root / relative
            if data is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(data)
        for folder in self.temp_dirs:
            shutil.rmtree(folder, ignore_errors=True)


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def apply_release(plan: ReleasePlan, validate: Validator) -> list[Path]:
    """Write, validate, archive, commit, tag, publish; on any failure undo everything. Returns dist files."""
    if plan.blockers:
        raise ReleaseRefusedError("release refused:\n- " + "\n- ".join(plan.blockers))
    root = plan.root
    rollback = _Rollback(root)
    previous_handler = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        for relative in plan.files:
            rollback.remember(relative)
        for relative, text in plan.files.items():
            atomic_write_text(root / relative, text)
        _checkpoint("write")
        problems = validate(root / "datapackage.json")
        if problems:
            raise ReleaseError(f"the released files do not validate: {problems[0]}")
        _checkpoint("validate")
        git(root, "add", "--", *plan.files)
        git(
            root,
            "commit",
            "-q",
            "-m",
            f"Release {plan.new_version}\n\nRequired bump: {plan.required_bump}; "
            f"chosen: {plan.bump}.\n\n" + "\n".join(plan.diff.reasons),
        )
        _checkpoint("commit")
        dist = root / "dist"
        dist.mkdir(exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".release-", dir=dist))
        rollback.temp_dirs.append(staging)
        built = build_release_archives(
            root, head(root) or "HEAD", staging, plan.new_version, plan.date, plan.diff_manifest()
        )
        _checkpoint("archive")
        name = built.manifest["name"]
        git(root, "tag", "-a", plan.tag, "-m", f"{name} {plan.new_version}")
        rollback.tag = plan.tag
        _checkpoint("tag")
        for source in (built.zip_path, built.tar_path, built.manifest_path):
            target = dist / source.name
            if target.exists():
                raise ReleaseError(f"{target} already exists; remove it and release again")
            os.replace(source, target)
            rollback.published.append(target)
        _checkpoint("publish")
    except BaseException as error:
        rollback.undo()
        signal.signal(signal.SIGTERM, previous_handler)
        if isinstance(error, KeyboardInterrupt):
            raise ReleaseError("release interrupted; every file, the commit and the tag were rolled back") from None
        if isinstance(error, ReleaseError):
            raise
        raise ReleaseError(f"release failed and was rolled back: {type(error).__name__}: {error}") from None
    shutil.rmtree(staging, ignore_errors=True)
    signal.signal(signal.SIGTERM, previous_handler)
    return rollback.published


