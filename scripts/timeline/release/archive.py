"""Byte-reproducible release archives: the same release always gives the same bytes.

Entries are sorted, timestamps fixed (SOURCE_DATE_EPOCH, else the release date at
00:00 UTC), owners 0/root-less and modes 0644/0755 fixed, gzip headers carry no
name or time. The release manifest beside them lists every file's sha256.

Layouts (the manifest's ``layout``):

- ``root`` (every release built by this tool now): ``datapackage.json``, ``SHA256SUMS``
  and the data at the top of the archive, where frictionless looks for them, so
  ``frictionless validate X.zip`` and ``Package("X.zip")`` see the whole package.
- ``nested`` (1.0.0 and 1.0.1 of this repository): everything under ``<name>-<version>/``.
  Kept so those releases still rebuild byte for byte as published.

Which one a release uses is read from its own commit (see :func:`release_layout`):
a release commit whose ``schemas/release-manifest.schema.json`` has no ``layout``
property was made before layouts existed, so it is ``nested``; otherwise ``root``.

Views (the manifest's ``views``): the timeline site, zipped, and the exports, built
from the release's own files by a builder the command line passes in (this layer
cannot import the site code; see :func:`building_views`). Like the layout, whether a
release has views is read from its commit's manifest schema, so releases made before
views existed (1.0.0, 1.0.1) still rebuild byte for byte without them.
"""

from __future__ import annotations

import datetime
import gzip
import io
import json
import os
import re
import shutil
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from jsonschema import Draft202012Validator

from ..errors import ReleaseError, ReleaseRefusedError
from ..package.hashing import file_sha256

# What a release archive holds, relative to the package root (folders recursively).
ARCHIVE_CONTENT = (
    "datapackage.json",
    "data",
    "schemas",
    "README.md",
    "CHANGELOG.md",
    "CITATION.cff",
    ".zenodo.json",
    "LICENSE",
    "LICENSE-DATA.md",
)
MANIFEST_SCHEMA = "schemas/release-manifest.schema.json"
ROOT_LAYOUT, NESTED_LAYOUT = "root", "nested"
LAYOUTS = (ROOT_LAYOUT, NESTED_LAYOUT)


# (release files, output folder, "<name>-<version>", epoch) -> the files it wrote there
ViewsBuilder = Callable[[Path, Path, str, int], list[Path]]
_VIEWS: ContextVar[ViewsBuilder | None] = ContextVar("timeline_release_views", default=None)


@contextmanager
def building_views(builder: ViewsBuilder | None) -> Iterator[None]:
    """Within this block, releases and rebuilds also build BUILDER's views (the CLI passes the site's)."""
    token = _VIEWS.set(builder)
    try:
        yield
    finally:
        _VIEWS.reset(token)


def release_has_views(tree: Path) -> bool:
    """Whether the release whose files are in TREE publishes views: its manifest schema declares them."""
    return "views" in _manifest_properties(tree)


@dataclass(frozen=True)
class BuiltArchive:
    zip_path: Path
    tar_path: Path
    manifest_path: Path
    manifest: dict[str, Any]
    views: tuple[Path, ...] = ()

    @property
    def outputs(self) -> tuple[Path, ...]:
        """Every file written, the manifest last: what is moved into dist/."""
        return (self.zip_path, self.tar_path, *self.views, self.manifest_path)

    def moved_to(self, folder: Path) -> BuiltArchive:
        return BuiltArchive(
            folder / self.zip_path.name,
            folder / self.tar_path.name,
            folder / self.manifest_path.name,
            self.manifest,
            tuple(folder / p.name for p in self.views),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "zip": str(self.zip_path),
            "tar": str(self.tar_path),
            "manifest": str(self.manifest_path),
            "version": self.manifest.get("version"),
            "archives": self.manifest.get("archives"),
            "views": [str(p) for p in self.views],
        }


def release_epoch(date: str) -> int:
    """SOURCE_DATE_EPOCH when set (reproducible-builds.org), else the release date at 00:00 UTC."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    day = datetime.date.fromisoformat(date)
    return int(datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC).timestamp())


def package_files(root: Path) -> list[str]:
    files = []
    for entry in ARCHIVE_CONTENT:
        path = root / entry
        if path.is_file():
            files.append(entry)
        elif path.is_dir():
            files.extend(p.relative_to(root).as_posix() for p in path.rglob("*") if p.is_file())
    return sorted(set(files))


def release_layout(tree: Path) -> str:
    """The layout of the release whose files are in TREE, from the manifest schema it shipped with.

    The nested layout predates the manifest's ``layout`` property: a schema without it
    means the release was built nested (1.0.0, 1.0.1 here). With it, or with no schema, root.
    """
    if not (tree / MANIFEST_SCHEMA).is_file():
        return ROOT_LAYOUT
    return ROOT_LAYOUT if "layout" in _manifest_properties(tree) else NESTED_LAYOUT


def _manifest_properties(tree: Path) -> dict[str, Any]:
    """The top-level properties of the manifest schema in TREE ({} when it has none)."""
    schema_path = tree / MANIFEST_SCHEMA
    if not schema_path.is_file():
        return {}
    try:
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReleaseError(f"{MANIFEST_SCHEMA} at the release commit is not valid JSON: {error}") from None
    properties = schema.get("properties") if isinstance(schema, dict) else None
    return properties if isinstance(properties, dict) else {}


def unportable(name: str) -> str | None:
    """Why NAME cannot be an archive member on every system (None: it can)."""
    if "\\" in name:
        return "contains a backslash, a folder separator for Windows extractors (a `..\\` path escapes)"
    if any(ord(char) < 32 or ord(char) == 127 for char in name):
        return "contains a control character (a newline would forge a SHA256SUMS line)"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "is absolute"
    if {"", ".", ".."} & set(name.split("/")):
        return "has an empty, `.` or `..` component"
    return None


def require_portable(names: list[str]) -> None:
    """Refuse (exit 1) the first name that is not portable, naming it."""
    for name in names:
        reason = unportable(name)
        if reason:
            raise ReleaseRefusedError(
                f"file name {name!r} {reason}; rename it (`git mv`), commit, and try again. Nothing was written"
            )


def zip_stamp(epoch: int) -> tuple[int, int, int, int, int, int]:
    moment = datetime.datetime.fromtimestamp(max(epoch, 315532800), datetime.UTC)  # zip cannot go before 1980
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def zip_member(name: str, stamp: tuple[int, int, int, int, int, int], size: int) -> zipfile.ZipInfo:
    """A zip entry with nothing from the machine in it: fixed time, unix mode 0644, deflated."""
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # unix, so the mode below is honoured
    info.external_attr = 0o100644 << 16
    info.file_size = size
    return info


def zip_folder(folder: Path, zip_path: Path, epoch: int) -> Path:
    """Every file under FOLDER, sorted, into ZIP_PATH with zip_member's fixed metadata."""
    stamp = zip_stamp(epoch)
    with zipfile.ZipFile(zip_path, "w", allowZip64=True) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zip_member(path.relative_to(folder).as_posix(), stamp, path.stat().st_size)
            with open(path, "rb") as source, archive.open(info, "w", force_zip64=True) as target:
                shutil.copyfileobj(source, target, 1 << 20)
    return zip_path


def _output_entry(path: Path) -> dict[str, Any]:
    return {"file": path.name, "sha256": file_sha256(path)[0], "bytes": path.stat().st_size}


def _entry_source(root: Path, path: str, sums: bytes) -> BinaryIO:
    return io.BytesIO(sums) if path == "SHA256SUMS" else open(root / path, "rb")


def build_archives(
    root: Path,
    out_dir: Path,
    name: str,
    version: str,
    date: str,
    diff_summary: dict[str, Any],
    layout: str = ROOT_LAYOUT,
) -> BuiltArchive:
    """Write <name>-<version>.zip, .tar.gz and .json into OUT_DIR (which the caller makes atomic).

    Files are streamed in 1 MiB chunks: memory does not grow with the package.
    """
    if layout not in LAYOUTS:
        raise ReleaseError(f"unknown archive layout {layout!r}; expected one of {', '.join(LAYOUTS)}")
    epoch = release_epoch(date)
    stem = f"{name}-{version}"
    prefix = f"{stem}/" if layout == NESTED_LAYOUT else ""
    files = package_files(root)
    require_portable(files)
    digests = {path: file_sha256(root / path) for path in files}
    sums = "".join(f"{digests[p][0]}  {p}\n" for p in files).encode()
    entries = [*files, "SHA256SUMS"]
    sizes = {**{p: digests[p][1] for p in files}, "SHA256SUMS": len(sums)}

    zip_path = out_dir / f"{stem}.zip"
    stamp = zip_stamp(epoch)
    with zipfile.ZipFile(zip_path, "w", allowZip64=True) as archive:
        for path in entries:
            info = zip_member(f"{prefix}{path}", stamp, sizes[path])
            with _entry_source(root, path, sums) as source, archive.open(info, "w", force_zip64=True) as target:
                shutil.copyfileobj(source, target, 1 << 20)

    tar_path = out_dir / f"{stem}.tar.gz"
    with (
        open(tar_path, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=epoch, compresslevel=6) as compressed,
    ):
        with tarfile.open(fileobj=compressed, mode="w", format=tarfile.PAX_FORMAT) as archive:
            for path in entries:
                member = tarfile.TarInfo(f"{prefix}{path}")
                member.size, member.mtime, member.mode = sizes[path], epoch, 0o644
                member.uid = member.gid = 0
                member.uname = member.gname = ""
                with _entry_source(root, path, sums) as source:
                    archive.addfile(member, source)

    builder = _VIEWS.get()
    views = builder(root, out_dir, stem, epoch) if builder is not None and release_has_views(root) else []
    manifest: dict[str, Any] = {
        "name": name,
        "version": version,
        "date": date,
        "source_date_epoch": epoch,
        # Nested releases were published without this key; leaving it out keeps their manifest's bytes too.
        **({"layout": layout} if layout != NESTED_LAYOUT else {}),
        "files": [{"path": p, "sha256": digests[p][0], "bytes": digests[p][1]} for p in files],
        "archives": [_output_entry(p) for p in (zip_path, tar_path)],
        **({"views": [_output_entry(p) for p in views]} if views else {}),
        "diff": diff_summary,
    }
    schema_path = root / MANIFEST_SCHEMA
    if schema_path.is_file():
        validator = Draft202012Validator(json.loads(schema_path.read_text(encoding="utf-8")))
        problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(manifest)]
        if problems:
            raise ReleaseError(f"release manifest does not meet {MANIFEST_SCHEMA}: {problems[0]}")
    manifest_path = out_dir / f"{stem}.json"
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return BuiltArchive(zip_path, tar_path, manifest_path, manifest, tuple(views))
