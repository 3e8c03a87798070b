"""Finding a package and keeping every path inside it."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from ..errors import PackageNotFoundError, UnsafePathError

DESCRIPTOR = "datapackage.json"


def find_package(path: str | Path | None = None) -> Path:
    """Return the datapackage.json for PATH (a file or a directory).

    With no PATH, look in the current directory and then its parents, as git does.
    """
    if path is None:
        here = Path.cwd()
        for folder in (here, *here.parents):
            candidate = folder / DESCRIPTOR
            if candidate.is_file():
                return candidate
        raise PackageNotFoundError(
            f"no {DESCRIPTOR} in {here} or any parent folder; run the command inside the package or pass its path"
        )
    target = Path(path)
    if target.is_dir():
        target = target / DESCRIPTOR
    if target.exists() and not target.is_file():
        raise PackageNotFoundError(f"{target}: not a regular file (a FIFO, device or folder?); not opened")
    if not target.is_file():
        raise PackageNotFoundError(f"{target}: no such file; pass a package folder or its {DESCRIPTOR}")
    return target


def resolve_inside(root: Path, relative: str) -> Path:
    """Resolve a package-relative path, refusing anything that leaves the package.

    Refused: absolute paths, any ``..`` segment, URLs, and paths whose real
    location (after following symlinks) is outside ``root``.
    """
    if not isinstance(relative, str) or not relative:
        raise UnsafePathError(f"path {relative!r} is not a non-empty string")
    if "://" in relative:
        raise UnsafePathError(f"path {relative!r} is a URL; resources must be files inside the package")
    pure = PurePosixPath(relative.replace("\\", "/"))
    if pure.is_absolute() or re.match(r"^[A-Za-z]:", relative):
        raise UnsafePathError(f"path {relative!r} is absolute; use a path relative to {DESCRIPTOR}")
    if ".." in pure.parts:
        raise UnsafePathError(f"path {relative!r} contains '..'; keep resources inside the package folder")
    real_root = root.resolve()
    real = (root / pure).resolve()
    if real != real_root and real_root not in real.parents:
        raise UnsafePathError(f"path {relative!r} resolves to {real}, outside the package (a symlink?)")
    return root / pure
