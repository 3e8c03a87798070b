"""Opening a downloaded release archive safely: every member checked before anything is written.

Members are extracted only into the caller's temporary folder, and only after every
name has been checked: an absolute name, a ``..`` part, a backslash, a drive letter,
or a member that is not a plain file or folder (links, devices) refuses the whole
archive; so do a name given twice (which copy would be checked?), and more members, deeper
folders or more bytes than any release could have (a zip bomb), judged from the headers
before anything is written (zipfile and tarfile never read a member past its header's size).
Files are streamed in 1 MiB chunks.
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
# Far above any release (about 15 files, 5 folders deep, under 2 MB), far below harm.
MAX_MEMBERS = 1_000
MAX_DEPTH = 16
MAX_TOTAL_BYTES = 512 << 20


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


def _check_members(entries: list[tuple[str, bool, int]]) -> None:
    """ENTRIES: (member name, is a plain file or folder, declared size). Raises on the first unsafe one."""
    if len(entries) > MAX_MEMBERS:
        raise ArchiveProblem(
            "unsafe",
            f"{len(entries):,} members, more than the {MAX_MEMBERS:,} a release may have; nothing was extracted",
        )
    total = sum(size for _, _, size in entries)
    if total > MAX_TOTAL_BYTES:
        raise ArchiveProblem(
            "unsafe",
            f"members add up to {total:,} bytes uncompressed, more than the {MAX_TOTAL_BYTES:,} a release may have "
            "(a zip bomb?); nothing was extracted",
        )
    seen: set[str] = set()
    for name, plain, _ in entries:
        reason = unsafe_reason(name) or (None if plain else "is a link or device, not a plain file")
        if reason is None and len(PurePosixPath(name).parts) > MAX_DEPTH:
            reason = f"is more than {MAX_DEPTH} folders deep"
        same = str(PurePosixPath(name))  # "./a", "a/" and "a" are one path once written
        if reason is None and same in seen:
            reason = "is in the archive twice"
        if reason:
            raise ArchiveProblem("unsafe", f"member {name!r} {reason}; nothing was extracted")
        seen.add(same)


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
        _check_members([(m.filename, (m.external_attr >> 16) & 0o170000 != 0o120000, m.file_size) for m in members])
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
        _check_members([(m.name, m.isfile() or m.isdir(), m.size) for m in members])
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
