"""``timeline stamp``: recompute each resource's ``hash`` and ``bytes`` after a data edit."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import DescriptorError, PackageFileError, TimelineError
from .package import find_package, load_descriptor, resource_refs, write_descriptor
from .package.hashing import file_sha256
from .package.safeio import regular_file


@dataclass(frozen=True)
class StampChange:
    resource: str
    path: str
    old_hash: str | None
    new_hash: str
    old_bytes: int | None
    new_bytes: int


@dataclass
class StampResult:
    package: str
    changes: list[StampChange] = field(default_factory=list)
    resources: int = 0
    written: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "package": self.package,
            "resources": self.resources,
            "written": self.written,
            "changes": [asdict(change) for change in self.changes],
        }


def plan_stamp(descriptor_path: Path) -> tuple[dict[str, Any], StampResult]:
    """The updated descriptor and what changed, without writing anything."""
    root = descriptor_path.parent
    try:
        descriptor = load_descriptor(descriptor_path)
    except DescriptorError as error:
        raise TimelineError(f"{descriptor_path}: {error}; fix it before stamping") from None
    result = StampResult(package=str(descriptor_path))
    refs = resource_refs(root, descriptor)  # raises UnsafePathError before any read
    for ref in refs:
        try:
            regular_file(root, ref.path)  # never hash a FIFO (it would block) or a device
        except PackageFileError as error:
            if error.problem == "missing":
                message = f"{ref.path}: resource {ref.name!r} has no file; restore it or fix its path"
                raise TimelineError(message) from None
            raise
    for ref in refs:
        resource = descriptor["resources"][ref.index]
        sha256, size = file_sha256(ref.file)
        new_hash = f"sha256:{sha256}"
        result.resources += 1
        if resource.get("hash") != new_hash or resource.get("bytes") != size:
            result.changes.append(
                StampChange(ref.name, ref.path, resource.get("hash"), new_hash, resource.get("bytes"), size)
            )
            resource["hash"] = new_hash
            resource["bytes"] = size
    return descriptor, result


def stamp_package(path: str | Path | None = None, *, dry_run: bool = False) -> StampResult:
    """Rewrite datapackage.json atomically when a hash or size is stale; otherwise touch nothing."""
    descriptor_path = find_package(path)
    descriptor, result = plan_stamp(descriptor_path)
    if result.changes and not dry_run:
        write_descriptor(descriptor_path, descriptor)
        result.written = True
    return result


def render_stamp(result: StampResult) -> str:
    if not result.changes:
        return f"{result.package}: all {result.resources} hashes and sizes are current; nothing written\n"
    lines = []
    for change in result.changes:
        lines.append(
            f"{change.path}: {change.old_hash or '(none)'} -> {change.new_hash}; "
            f"bytes {change.old_bytes} -> {change.new_bytes}"
        )
    verb = "updated" if result.written else "would update"
    lines.append(f"{result.package}: {verb} {len(result.changes)} of {result.resources} resources")
    return "\n".join(lines) + "\n"
