"""The release journal: what a release is about to publish, kept until it is finished.

Written (atomically, under the git directory) just before the ref transaction and removed
once the work tree, the index and dist/ are up to date. A journal left behind means the
process died in between: if the transaction committed, the release is published and the
next `timeline release` or `timeline build` finishes it; if not, it is discarded.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
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


OBJECT_ID = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")  # sha1 or sha256 repositories
MAX_JOURNAL_BYTES = 1 << 20


def _shape_problem(journal: Journal) -> str | None:
    """What makes JOURNAL one no release wrote; its paths and ids go to git and to files in the work tree."""
    texts = (journal.version, journal.tag, journal.branch, journal.commit, journal.tag_object, journal.date)
    if not all(isinstance(t, str) for t in texts) or not isinstance(journal.diff_manifest, dict):
        return "a field has the wrong type"
    if not (isinstance(journal.files, list) and all(isinstance(f, str) and f for f in journal.files)):
        return "files is not a list of paths"
    ids = [journal.commit, journal.tag_object] + ([] if journal.old is None else [journal.old])
    if not all(isinstance(i, str) and OBJECT_ID.match(i) for i in ids):
        return "commit, tag_object or old is not a git object id"
    if not journal.branch.startswith("refs/heads/") or journal.tag != f"v{journal.version}":
        return f"branch {journal.branch!r} or tag {journal.tag!r} is not one a release makes"
    for name in journal.files:
        parts = PurePosixPath(name).parts
        if name.startswith("/") or "\\" in name or ".." in parts or ".git" in parts:
            return f"file {name!r} is not a path inside the package"
    return None


def read_journal(repo: Path) -> Journal | None:
    path = journal_path(repo)
    if not path.is_file():
        return None
    try:
        if path.stat().st_size > MAX_JOURNAL_BYTES:
            raise ValueError(f"{path.stat().st_size:,} bytes, more than a journal ever has")
        journal = Journal(**json.loads(path.read_text(encoding="utf-8")))
        problem = _shape_problem(journal)
        if problem:
            raise ValueError(problem)
        return journal
    except (ValueError, TypeError, UnicodeDecodeError, RecursionError) as error:
        raise GitError(
            f"{path} (the journal of an interrupted release) is unreadable: {error}. "
            "It is written atomically, so something else changed it: read it, then remove it"
        ) from None


def remove_journal(repo: Path) -> None:
    journal_path(repo).unlink(missing_ok=True)
