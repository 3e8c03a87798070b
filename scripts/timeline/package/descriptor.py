"""Reading and writing datapackage.json, and the resources it declares."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DescriptorError, PackageFileError, TimelineError, UnsafePathError
from .atomic import atomic_write_text
from .paths import find_package, resolve_inside
from .safeio import load_json


def load_descriptor(path: Path) -> dict[str, Any]:
    """datapackage.json as a dict: a regular file inside its folder, capped, parsed with limits."""
    try:
        data = load_json(path.parent, path.name, "descriptor")
    except PackageFileError as error:
        raise DescriptorError(error.detail) from None
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


@dataclass(frozen=True)
class ResourceRef:
    index: int
    name: str
    path: str  # as written in the descriptor
    file: Path  # resolved, inside the package
    tabular: bool


def resource_refs(root: Path, descriptor: dict[str, Any]) -> list[ResourceRef]:
    """Every resource's file, safety-checked before anything is read."""
    refs: list[ResourceRef] = []
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
