"""The release journal: what a release is about to publish, kept until it is finished.

Written (atomically, under the git directory) just before the ref transaction and removed
once the work tree, the index and dist/ are up to date. A journal left behind means the
process died in between: if the transaction committed, the release is published and the
next `timeline release` or `timeline build` finishes it; if not, it is discarded.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..errors import GitError
from ..package.atomic import atomic_write_text
from .git import git_dir, ref_value

JOURNAL_NAME = "timeline-release.json"


@dataclass(frozen=True)
class Journal:
    version: str
    tag: str
    branch: str  # refs/heads/...
    old: str | None  # the branch before the release (None: the release is its first commit)
    commit: str
    tag_object: str
    date: str
    files: list[str]
    diff_manifest: dict[str, Any]

    @property
    def short_branch(self) -> str:
        return self.branch.removeprefix("refs/heads/")

    def published(self, repo: Path) -> bool:
        """Whether the ref transaction committed (either ref at its new value is enough: git wrote it)."""
        return (
            ref_value(repo, self.branch) == self.commit or ref_value(repo, f"refs/tags/{self.tag}") == self.tag_object
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def journal_path(repo: Path) -> Path:
    return git_dir(repo) / JOURNAL_NAME


def write_journal(repo: Path, journal: Journal) -> None:
    atomic_write_text(journal_path(repo), json.dumps(journal.to_dict(), indent=2) + "\n")


def read_journal(repo: Path) -> Journal | None:
    path = journal_path(repo)
    if not path.is_file():
        return None
    try:
        return Journal(**json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError, UnicodeDecodeError) as error:
        raise GitError(
            f"{path} (the journal of an interrupted release) is unreadable: {error}. "
            "It is written atomically, so something else changed it: read it, then remove it"
        ) from None


def remove_journal(repo: Path) -> None:
    journal_path(repo).unlink(missing_ok=True)
