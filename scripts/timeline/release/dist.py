"""dist/: archives appear there only by a rename from a verified staging folder inside it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ..errors import ReleaseError, ReleaseRefusedError
from ..package.hashing import file_sha256
from .archive import BuiltArchive

STAGING_PREFIXES = (".release-", ".rebuild-")


def dist_folder(root: Path) -> Path:
    """ROOT/dist, refused when it is a symlink, not a folder, or resolves outside the package."""
    dist = root / "dist"
    if dist.is_symlink():
        raise ReleaseRefusedError(
            f"{dist} is a symlink (to {os.readlink(dist)}): archives are written only inside the package. "
            "Remove it (`git rm dist` if it is committed) and try again; nothing was written"
        )
    if dist.exists() and not dist.is_dir():
        raise ReleaseRefusedError(f"{dist} is not a folder: remove it and try again; nothing was written")
    if dist.resolve().parent != root.resolve():
        raise ReleaseRefusedError(f"{dist} resolves to {dist.resolve()}, outside the package; nothing was written")
    return dist


def staging_folder(dist: Path, prefix: str) -> Path:
    dist.mkdir(exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=dist))


def remove_staging_folders(dist: Path) -> list[str]:
    """Staging folders left by killed processes (call only under the release lock). Returns their names."""
    if not dist.is_dir() or dist.is_symlink():
        return []
    removed = []
    for entry in sorted(dist.iterdir()):
        if entry.name.startswith(STAGING_PREFIXES) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
            removed.append(f"dist/{entry.name}")
    return removed


def _sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _zip_members(path: Path) -> Iterator[tuple[str, str]]:
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            with archive.open(info) as member:
                yield info.filename, _sha256(member)


def _tar_members(path: Path) -> Iterator[tuple[str, str]]:
    with tarfile.open(path, "r:gz") as archive:
        for info in archive:
            source = archive.extractfile(info) if info.isfile() else None
            if source is None:
                raise ReleaseError(f"{path.name}: {info.name} is not a regular file")
            yield info.name, _sha256(source)


def verify_archives(built: BuiltArchive) -> None:
    """Re-read the staged archives: their sha256 and size as the manifest says, and exactly its files inside."""
    manifest = json.loads(built.manifest_path.read_text(encoding="utf-8"))
    for entry in [*manifest["archives"], *manifest.get("views", [])]:
        sha, size = file_sha256(built.manifest_path.parent / entry["file"])
        if (sha, size) != (entry["sha256"], entry["bytes"]):
            raise ReleaseError(f"{entry['file']} does not match its manifest entry (sha256 {sha}, {size} bytes)")
    expected = {f["path"]: f["sha256"] for f in manifest["files"]}
    sums = "".join(f"{expected[p]}  {p}\n" for p in sorted(expected)).encode("utf-8")
    expected["SHA256SUMS"] = hashlib.sha256(sums).hexdigest()
    prefixes = ("", f"{manifest['name']}-{manifest['version']}/")
    for path, members in ((built.zip_path, _zip_members), (built.tar_path, _tar_members)):
        found = list(members(path))
        names = [name for name, _ in found]
        if not any(sorted(names) == sorted(prefix + p for p in expected) for prefix in prefixes):
            raise ReleaseError(f"{path.name} does not hold exactly the manifest's files: {names[:5]}...")
        for name, sha in found:
            relative = name.split("/", 1)[1] if name not in expected and "/" in name else name
            if expected[relative] != sha:
                raise ReleaseError(f"{path.name}: {name} does not match its sha256 in the manifest")


def publish_archives(built: BuiltArchive, dist: Path) -> list[Path]:
    """Move the verified archives and their manifest from the staging folder into DIST (renames)."""
    published = []
    for source in built.outputs:
        target = dist / source.name
        os.replace(source, target)
        published.append(target)
    return published
