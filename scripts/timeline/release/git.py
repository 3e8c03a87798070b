"""Thin wrappers over the git command line. Library code: raises GitError, never prints."""

from __future__ import annotations

import functools
import shutil
import subprocess
import tarfile
from collections.abc import Mapping
from pathlib import Path

from ..errors import GitError


def git(
    repo: Path,
    *args: str,
    input_bytes: bytes | None = None,
    check: bool = True,
    env: Mapping[str, str] | None = None,
) -> str:
    if shutil.which("git") is None:
        raise GitError("git is not installed; releases and revision diffs need it")
    result = subprocess.run(["git", *args], cwd=repo, input=input_bytes, capture_output=True, env=env)
    if check and result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip() or f"exit {result.returncode}"
        raise GitError(f"git {' '.join(args)}: {message}")
    return result.stdout.decode("utf-8", "replace")


def git_bytes(repo: Path, *args: str) -> bytes:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True)
    if result.returncode != 0:
        raise GitError(f"git {' '.join(args)}: {result.stderr.decode('utf-8', 'replace').strip()}")
    return result.stdout


def repo_root(path: Path) -> Path | None:
    """The top of the git work tree containing PATH, or None outside git."""
    if shutil.which("git") is None:
        return None
    result = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=path, capture_output=True)
    if result.returncode != 0:
        return None
    return Path(result.stdout.decode().strip())


def is_clean(repo: Path) -> tuple[bool, str]:
    status = git(repo, "status", "--porcelain", "--untracked-files=normal")
    return (status.strip() == "", status)


@functools.lru_cache(maxsize=64)
def git_dir(repo: Path, common: bool = False) -> Path:
    """The repository's git directory (this work tree's, or with COMMON the one shared by all work trees)."""
    flag = "--git-common-dir" if common else "--git-dir"
    return (repo / git(repo, "rev-parse", flag).strip()).resolve()


def is_shallow(repo: Path) -> bool:
    return git(repo, "rev-parse", "--is-shallow-repository").strip() == "true"


def current_branch(repo: Path) -> str | None:
    """The full ref HEAD points to (refs/heads/main), or None when HEAD is detached."""
    return git(repo, "symbolic-ref", "-q", "HEAD", check=False).strip() or None


def ref_value(repo: Path, ref: str) -> str | None:
    return git(repo, "rev-parse", "--verify", "-q", ref, check=False).strip() or None


def head(repo: Path) -> str | None:
    result = subprocess.run(["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=repo, capture_output=True)
    return result.stdout.decode().strip() or None


def tag_exists(repo: Path, tag: str) -> bool:
    result = subprocess.run(["git", "rev-parse", "--verify", "-q", f"refs/tags/{tag}"], cwd=repo, capture_output=True)
    return result.returncode == 0


def show_file(repo: Path, commit: str, path: str) -> bytes | None:
    result = subprocess.run(["git", "show", f"{commit}:{path}"], cwd=repo, capture_output=True)
    return result.stdout if result.returncode == 0 else None


def export_tree(repo: Path, commit: str, target: Path, prefixes: tuple[str, ...]) -> None:
    """Write the files of COMMIT under PREFIXES into TARGET (regular files only), streaming."""
    process = subprocess.Popen(
        ["git", "archive", "--format=tar", commit, "--", *prefixes],
        cwd=repo,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    try:
        with tarfile.open(fileobj=process.stdout, mode="r|") as archive:
            for member in archive:
                name = member.name
                if not member.isfile() or ".." in Path(name).parts or name.startswith("/"):
                    continue
                destination = target / name
                destination.parent.mkdir(parents=True, exist_ok=True)
                source = archive.extractfile(member)
                assert source is not None
                with open(destination, "wb") as handle:
                    shutil.copyfileobj(source, handle, 1 << 20)
    except tarfile.TarError as error:
        process.kill()
        raise GitError(f"git archive {commit}: {error}") from None
    finally:
        stderr = process.stderr.read() if process.stderr else b""
        code = process.wait()
    if code != 0:
        raise GitError(f"git archive {commit}: {stderr.decode('utf-8', 'replace').strip()}")
