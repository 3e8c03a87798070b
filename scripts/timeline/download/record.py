"""What a release recorded: its datapackage.json, Table Schemas and, where git has them, its original files.

The record of release X comes from the release commit in the package's git history
(found offline, see ``timeline.release.history``). Without that history, the best
record there is: the datapackage.json that came with the download (beside or above
the file, or inside the archive); it proves the files match their descriptor, not
that the descriptor is the published one, and the result says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import (
    DescriptorError,
    DownloadError,
    PackageFileError,
    PackageNotFoundError,
    RevisionError,
    TimelineError,
)
from ..package import find_package, load_descriptor
from ..package.paths import DESCRIPTOR
from ..package.safeio import parse_blob, read_bytes
from ..release.git import show_file
from ..release.history import find_release, require_repo


class NoHistoryError(DownloadError):
    """No git repository holding the package here: a release's record cannot be read from history."""


@dataclass(frozen=True)
class Record:
    version: str
    origin: str  # said to the user: where the recorded hashes come from
    descriptor: dict[str, Any]
    read: Callable[[str], bytes | None]  # a recorded file's bytes by package-relative path
    has_originals: bool  # True when READ gives the release's own files (git), so changes can be named

    def schema(self, resource: dict[str, Any]) -> dict[str, Any] | None:
        schema = resource.get("schema")
        if isinstance(schema, dict):
            return schema
        if not isinstance(schema, str):
            return None
        data = self.read(schema)
        if data is None:
            raise DescriptorError(f"{self.origin}: Table Schema {schema} is missing")
        loaded = parse_blob(data, f"{self.origin}: Table Schema {schema}", "json")
        return loaded if isinstance(loaded, dict) else None


def git_record(package: str | Path | None, version: str) -> Record:
    """Release VERSION as its release commit recorded it. Raises TimelineError when there is no such history."""
    try:
        repo = require_repo(find_package(package).parent)
    except (PackageNotFoundError, RevisionError) as error:
        raise NoHistoryError(str(error)) from None
    release = find_release(repo, version)

    def read(relative: str) -> bytes | None:
        return show_file(repo, release.commit, relative)

    data = read(DESCRIPTOR)
    if data is None:
        raise RevisionError(f"release {release.version} ({release.commit[:7]}) has no {DESCRIPTOR}")
    # git blobs are read under the same caps and parse limits as files on disk (safeio)
    descriptor = parse_blob(data, f"{DESCRIPTOR} of release {release.version}", "json")
    if not isinstance(descriptor, dict):
        raise DescriptorError(f"{DESCRIPTOR} of release {release.version} is not a JSON object")
    origin = f"release {release.version} in the git history of {repo} (commit {release.commit[:7]})"
    return Record(release.version, origin, descriptor, read, has_originals=True)


def local_record(descriptor_path: Path, origin: str) -> Record:
    """The datapackage.json that came with the download, as the record (no originals to compare with)."""
    descriptor = load_descriptor(descriptor_path)
    root = descriptor_path.parent

    def read(relative: str) -> bytes | None:
        # RELATIVE comes from the download's own descriptor: read only inside its folder, capped
        try:
            return read_bytes(root, relative, "metadata")
        except PackageFileError as error:
            if error.problem == "missing":
                return None
            raise DescriptorError(f"{origin}: {error}") from None

    return Record(str(descriptor.get("version", "")), origin, descriptor, read, has_originals=False)


def release_record(package: str | Path | None, version: str | None, fallback: Record | None) -> tuple[Record, str]:
    """The record to check against, and a note on where it came from.

    With --version: the git history must have that release (else a TimelineError, exit 2).
    Without: the version of FALLBACK (the download's own descriptor); git's record when the
    history has that release, else FALLBACK itself.
    """
    if version is not None:
        try:
            return git_record(package, version), ""
        except NoHistoryError as error:
            raise DownloadError(
                f"release {version}'s record is in the package's git history, which is not here ({error}); "
                "run inside a clone of the repository or pass --package, or drop --version to check against "
                "the datapackage.json that came with the file"
            ) from None
    if fallback is None:
        raise PackageNotFoundError("cannot tell which release the file belongs to: pass --version X")
    try:
        record = git_record(package, fallback.version)
        if record.descriptor.get("name") != fallback.descriptor.get("name"):
            raise RevisionError(f"the package here is {record.descriptor.get('name')!r}, not the download's")
        return record, ""
    except TimelineError as error:
        note = (
            f"no git history of release {fallback.version or '(no version)'} here ({error}); checked against "
            f"{fallback.origin}: this shows the files match the descriptor that came with them, not that it is "
            "the published one (run inside a clone of the repository, or pass --package, to check that too)"
        )
        return fallback, note


def neighbour_descriptor(file: Path) -> Path | None:
    """The nearest datapackage.json in FILE's folder or above that declares FILE as a resource."""
    target = file.resolve()
    for folder in target.parents:
        candidate = folder / DESCRIPTOR
        if not candidate.is_file():
            continue
        try:
            descriptor = load_descriptor(candidate)
        except DescriptorError:
            continue
        for resource in descriptor.get("resources", []):
            if isinstance(resource, dict) and isinstance(resource.get("path"), str):
                if (folder / resource["path"]).resolve() == target:
                    return candidate
    return None
