"""A release as git objects, published by one ref transaction (git plumbing, as git itself works).

``write_release_commit`` and ``write_tag`` only add objects to the object store: no ref,
no index, no work-tree file changes, so until ``publish`` commits its transaction nobody
can see the release, and an unused commit is garbage that ``git gc`` prunes.
``publish`` moves the branch (compare-and-swap on its old value) and creates the tag in
one ``git update-ref --stdin`` transaction: both or neither.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

from ..errors import GitError, ReleaseRefusedError
from .git import git, ref_value

TEMP_INDEX_PREFIX = "timeline-release-index."


def write_release_commit(repo: Path, git_folder: Path, base: str | None, files: dict[str, str], message: str) -> str:
    """A commit whose tree is BASE's with FILES replaced, parent BASE; made in a temporary index."""
    index = git_folder / f"{TEMP_INDEX_PREFIX}{os.getpid()}"
    env = {**os.environ, "GIT_INDEX_FILE": str(index)}
    try:
        git(repo, *(["read-tree", base] if base else ["read-tree", "--empty"]), env=env)
        modes = _modes(repo, base, list(files)) if base else {}
        entries = []
        for path, text in files.items():
            blob = git(repo, "hash-object", "-w", "--stdin", f"--path={path}", input_bytes=text.encode("utf-8"))
            entries.append(f"{modes.get(path, '100644')} {blob.strip()}\t{path}\n")
        git(repo, "update-index", "--index-info", input_bytes="".join(entries).encode("utf-8"), env=env)
        tree = git(repo, "write-tree", env=env).strip()
    finally:
        index.unlink(missing_ok=True)
        index.with_name(index.name + ".lock").unlink(missing_ok=True)
    parents = ["-p", base] if base else []
    return git(repo, "commit-tree", tree, *parents, "-F", "-", input_bytes=message.encode("utf-8")).strip()


def _modes(repo: Path, commit: str, paths: list[str]) -> dict[str, str]:
    listing = git(repo, "ls-tree", "-z", commit, "--", *paths)
    modes = {}
    for entry in filter(None, listing.split("\0")):
        meta, path = entry.split("\t", 1)
        modes[path] = meta.split()[0]
    return modes


def write_tag(repo: Path, commit: str, tag: str, message: str) -> str:
    """An annotated tag object for COMMIT (what `git tag -a` writes), without creating the ref."""
    tagger = git(repo, "var", "GIT_COMMITTER_IDENT").strip()
    data = f"object {commit}\ntype commit\ntag {tag}\ntagger {tagger}\n\n{message}\n"
    return git(repo, "mktag", input_bytes=data.encode("utf-8")).strip()


def publish(
    repo: Path,
    branch: str,
    old: str | None,
    new: str,
    tag: str,
    tag_object: str,
    before_commit: Callable[[], None],
) -> None:
    """Move BRANCH from OLD to NEW and create refs/tags/TAG in one transaction; raise if refused.

    BEFORE_COMMIT runs once both refs are locked and checked: if it raises, the
    transaction is aborted and nothing changed. git runs in its own process group, so a
    Ctrl-C at the terminal cannot kill it halfway through the commit.
    """
    update = f"update {branch} {new} {old}" if old else f"create {branch} {new}"
    process = subprocess.Popen(
        ["git", "update-ref", "--stdin", "-m", f"timeline release {tag}"],
        cwd=repo,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        process_group=0,
    )
    assert process.stdin is not None and process.stdout is not None and process.stderr is not None
    committed = False
    try:
        process.stdin.write(f"start\n{update}\ncreate refs/tags/{tag} {tag_object}\nprepare\n".encode())
        process.stdin.flush()
        replies = [process.stdout.readline(), process.stdout.readline()]
        if replies != [b"start: ok\n", b"prepare: ok\n"]:
            process.stdin.close()
            process.wait()
            _refused(repo, branch, old, tag, process.stderr.read().decode("utf-8", "replace").strip())
        before_commit()
        process.stdin.write(b"commit\n")
        process.stdin.close()
        committed = process.stdout.readline() == b"commit: ok\n"
    finally:
        if not process.stdin.closed:
            process.stdin.close()  # EOF before `commit`: git aborts the transaction
        code = process.wait()
        stderr = process.stderr.read().decode("utf-8", "replace").strip()
    if not committed or code != 0:
        raise GitError(f"git update-ref: {stderr or f'exit {code}'}")


def _refused(repo: Path, branch: str, old: str | None, tag: str, stderr: str) -> None:
    now = ref_value(repo, branch)
    short = branch.removeprefix("refs/heads/")
    if now != old:
        raise ReleaseRefusedError(
            f"{short} moved to {(now or 'nothing')[:12]} while this release was being made from "
            f"{(old or 'nothing')[:12]} (another release or commit); nothing was changed. "
            "Run `timeline release` again"
        )
    if ref_value(repo, f"refs/tags/{tag}"):
        raise ReleaseRefusedError(
            f"tag {tag} was created while this release was being made; nothing was changed. "
            "Run `timeline release` again"
        )
    raise GitError(f"git update-ref: {stderr}")
