"""Finding a Data Package, reading its descriptor, and keeping its paths inside it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .atomic import atomic_write_text
from .errors import PackageNotFoundError, TimelineError, UnsafePathError

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
    if not target.is_file():
        raise PackageNotFoundError(f"{target}: no such file; pass a package folder or its {DESCRIPTOR}")
    return target


class DescriptorError(TimelineError):
    """datapackage.json is not a JSON object; the message says where and why."""


def load_descriptor(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise DescriptorError(f"not valid UTF-8 at byte {error.start}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DescriptorError(f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
    if not isinstance(data, dict):
        raise DescriptorError("the top level must be a JSON object")
    return data


def detect_indent(text: str) -> int:
    match = re.search(r"^\{\n( +)\"", text)
    return len(match.group(1)) if match else 2


def dump_descriptor(data: dict[str, Any], indent: int = 2) -> str:
    """The canonical text of a descriptor: key order kept, UTF-8, trailing newline."""
    return json.dumps(data, indent=indent, ensure_ascii=False) + "\n"


def write_descriptor(path: Path, data: dict[str, Any]) -> None:
    indent = detect_indent(path.read_text(encoding="utf-8")) if path.exists() else 2
    atomic_write_text(path, dump_descriptor(data, indent))


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


@dataclass(frozen=True)
class ResourceRef:
    index: int
    name: str
    path: str  # as written in the descriptor
    file: Path  # resolved, inside the package
    tabular: bool


def resource_refs(root: Path, descriptor: dict[str, Any]) -> list[ResourceRef]:
    """Every resource's file, safety-checked before anything is read."""
    refs = []
    resources = descriptor.get("resources")
    if not isinstance(resources, list):
        return refs
    for index, resource in enumerate(resources):
        if not isinstance(resource, dict):
            continue
        path = resource.get("path")
        name = str(resource.get("name", f"#{index}"))
        if not isinstance(path, str):
            raise UnsafePathError(f"resource {name!r}: 'path' must be one relative file path")
        file = resolve_inside(root, path)
        tabular = resource.get("type") == "table" or "schema" in resource
        refs.append(ResourceRef(index, name, path, file, tabular))
    return refs


def declared_bytes(path: str | Path | None) -> int:
    """Sum of the resources' declared sizes (for a progress bar); 0 when the descriptor cannot be read."""
    try:
        descriptor = load_descriptor(find_package(path))
    except TimelineError:
        return 0
    resources = descriptor.get("resources", [])
    return sum(r["bytes"] for r in resources if isinstance(r, dict) and isinstance(r.get("bytes"), int))
