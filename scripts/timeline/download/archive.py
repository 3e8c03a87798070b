"""Opening a downloaded release archive safely: every member checked before anything is written.

Members are extracted only into the caller's temporary folder, and only after every
name has been checked: an absolute name, a ``..`` part, a backslash, a drive letter,
or a member that is not a plain file or folder (links, devices) refuses the whole
archive. Files are streamed in 1 MiB chunks.
"""

from __future__ import annotations

import re
import shutil
import tarfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import IO

ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz")
CHUNK = 1 << 20


class ArchiveProblem(Exception):
    """The archive cannot be opened, or holds a member that must not be extracted; nothing was written."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind  # "unreadable" or "unsafe"


def is_archive(path: Path) -> bool:
    return path.name.endswith(ARCHIVE_SUFFIXES)


def unsafe_reason(name: str) -> str | None:
    """Why an archive member name must not be extracted, or None when it is a plain relative path."""
    if "\\" in name:
        return "contains a backslash"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "is absolute"
    if ".." in PurePosixPath(name).parts:
        return "contains '..'"
    if "\0" in name:
        return "contains a NUL byte"
    return None


def _check_names(entries: list[tuple[str, bool]]) -> None:
    """ENTRIES: (member name, is a plain file or folder). Raises on the first unsafe one."""
    for name, plain in entries:
        reason = unsafe_reason(name) or (None if plain else "is a link or device, not a plain file")
        if reason:
            raise ArchiveProblem("unsafe", f"member {name!r} {reason}; nothing was extracted")


def _write(source: IO[bytes], target: Path, name: str) -> None:
    destination = target / PurePosixPath(name)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with open(destination, "wb") as handle:
        shutil.copyfileobj(source, handle, CHUNK)


def extract_archive(archive: Path, target: Path) -> list[str]:
    """Extract ARCHIVE (.zip or .tar.gz) into the empty folder TARGET; the names of the files written."""
    try:
        return _extract_zip(archive, target) if archive.name.endswith(".zip") else _extract_tar(archive, target)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as error:
        raise ArchiveProblem("unreadable", f"not a readable {_kind(archive)} archive: {error}") from None


def _extract_zip(archive: Path, target: Path) -> list[str]:
    written = []
    with zipfile.ZipFile(archive) as bundle:
        members = bundle.infolist()
        # A zip member is a link when its unix mode says so (S_IFLNK); otherwise a file or folder.
        _check_names([(m.filename, (m.external_attr >> 16) & 0o170000 != 0o120000) for m in members])
        for member in members:
            if not member.is_dir():
                with bundle.open(member) as source:
                    _write(source, target, member.filename)
                written.append(member.filename)
    return written


def _extract_tar(archive: Path, target: Path) -> list[str]:
    written = []
    with tarfile.open(archive, mode="r:gz") as bundle:
        members = bundle.getmembers()
        _check_names([(m.name, m.isfile() or m.isdir()) for m in members])
        for member in members:
            source = bundle.extractfile(member) if member.isfile() else None
            if source is not None:
                with source:
                    _write(source, target, member.name)
                written.append(member.name)
    return written


def _kind(archive: Path) -> str:
    return "zip" if archive.name.endswith(".zip") else "tar.gz"


def package_root(target: Path, written: list[str]) -> tuple[Path, str]:
    """Where datapackage.json is in an extracted archive: its root, or one folder down (the nested layout)."""
    if "datapackage.json" in written:
        return target, ""
    tops = {name.split("/", 1)[0] for name in written}
    if len(tops) == 1:
        (top,) = tops
        if f"{top}/datapackage.json" in written:
            return target / top, f"{top}/"
    raise ArchiveProblem("unreadable", "no datapackage.json at the archive's root or in its one top folder")
