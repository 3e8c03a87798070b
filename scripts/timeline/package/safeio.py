"""The one way the tool opens a package file: inside the package, a regular file, capped, parsed with limits.

Every reader (validation, codebook, stamp, diff, release history, citation) goes through here, so a
hostile or broken package cannot lead the tool outside itself, hang it or crash it:

* the path must stay inside the package after symlinks are resolved (``resolve_inside``);
* the file must be a regular file, checked with ``stat`` *before* it is opened: a FIFO, device,
  socket or directory is refused without being opened (opening a FIFO for reading blocks forever);
  it is then opened with ``O_NONBLOCK | O_NOFOLLOW`` and checked again on the open descriptor,
  so a file swapped in between cannot slip through;
* at most a per-kind number of bytes is read (:data:`LIMITS`);
* text must be UTF-8; JSON and YAML are parsed with limits on nesting depth, integer digits and
  (YAML) aliases, so neither an alias bomb, 100,000 nested arrays nor a 5,000-digit number
  gets further than a clear :class:`~timeline.errors.PackageFileError`.

Nothing here touches the network.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from ..errors import PackageFileError, UnsafePathError
from .paths import resolve_inside

MiB = 1 << 20
# Largest file read whole, per kind. Tables are not here: frictionless and the diff stream them.
LIMITS = {
    "descriptor": 4 * MiB,  # datapackage.json
    "metadata": 4 * MiB,  # Table Schemas, dialects, profiles, CITATION.cff, .zenodo.json
    "changelog": 4 * MiB,  # CHANGELOG.md, README.md
    "text": 64 * MiB,  # archived source texts
}
MAX_DEPTH = 64  # nesting of JSON/YAML containers; our files nest at most 9 deep
MAX_INT_DIGITS = 30  # longer integers are refused (Python's own limit, 4,300, raises deep inside)
MAX_YAML_ALIASES = 8  # CITATION.cff needs none; a few cannot blow up, thousands can (alias bombs)

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def describe_mode(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def regular_file(root: Path, relative: str) -> Path:
    """RELATIVE resolved inside ROOT, after checking (without opening it) that it is a regular file."""
    try:
        path = resolve_inside(root, relative)
    except UnsafePathError as error:  # "path 'x' resolves to ..., outside the package": the file is named once
        detail = str(error).removeprefix(f"path {relative!r} ")
        raise PackageFileError(str(relative), "outside", f"{detail}; not opened") from None
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise PackageFileError(relative, "missing", "no such file") from None
    except OSError as error:
        raise PackageFileError(relative, "missing", f"cannot be read ({error.strerror})") from None
    if not stat.S_ISREG(mode):
        raise PackageFileError(relative, "not-regular", f"is {describe_mode(mode)}, not a regular file; not opened")
    return path


def read_bytes(root: Path, relative: str, kind: str) -> bytes:
    """The bytes of a regular file inside ROOT, at most ``LIMITS[kind]`` of them."""
    limit = LIMITS[kind]
    path = regular_file(root, relative)
    try:
        fd = os.open(os.path.realpath(path), _OPEN_FLAGS)
    except OSError as error:
        raise PackageFileError(relative, "missing", f"cannot be opened ({error.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):  # swapped after the check above
            raise PackageFileError(relative, "not-regular", f"is {describe_mode(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise PackageFileError(relative, "too-large", _too_large(info.st_size, limit))
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise PackageFileError(relative, "too-large", _too_large(len(data), limit))
    return data


def _too_large(size: int, limit: int) -> str:
    return f"{size:,} bytes, more than the {limit:,} this kind of file may have; not read"


def decode_utf8(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise PackageFileError(
            name, "not-utf8", f"not valid UTF-8: byte 0x{data[error.start]:02x} at line {line}, byte {column}"
        ) from None


def read_text(root: Path, relative: str, kind: str) -> str:
    return decode_utf8(read_bytes(root, relative, kind), relative)


class _LimitExceeded(ValueError):
    pass


def _bounded_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise _LimitExceeded(f"an integer of {digits:,} digits (at most {MAX_INT_DIGITS})")
    return int(text)


def _no_constant(name: str) -> Any:
    raise _LimitExceeded(f"{name} is not a JSON number")


def _limit_message(error: ValueError) -> str:
    message = str(error).splitlines()[0]
    if "integer string conversion" in message:  # Python's own guard against quadratic int parsing
        return "an integer of more than 4,300 digits"
    return message


def check_depth(data: Any, name: str) -> None:
    """Refuse containers nested deeper than MAX_DEPTH (iteratively: deep data cannot crash this)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > MAX_DEPTH:
            raise PackageFileError(name, "limit", f"nested more than {MAX_DEPTH} levels deep")
        stack.extend((child, depth + 1) for child in children)


def parse_json(text: str, name: str) -> Any:
    """JSON with limits: depth, integer digits; no NaN/Infinity. Errors name NAME and the place."""
    try:
        data = json.loads(text, parse_int=_bounded_int, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise PackageFileError(
            name, "syntax", f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except RecursionError:
        raise PackageFileError(name, "limit", f"nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as error:  # ours, or Python's own integer-digits limit
        raise PackageFileError(name, "limit", _limit_message(error)) from None
    check_depth(data, name)
    return data


def parse_yaml(text: str, name: str) -> Any:
    """YAML with the safe loader and limits: aliases, depth, integer digits."""
    import yaml

    class LimitedLoader(yaml.SafeLoader):
        aliases = 0
        depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                self.aliases += 1
                if self.aliases > MAX_YAML_ALIASES:
                    raise _LimitExceeded(f"more than {MAX_YAML_ALIASES} YAML aliases (an alias bomb?)")
                return super().compose_node(parent, index)
            self.depth += 1
            try:
                if self.depth > MAX_DEPTH:
                    raise _LimitExceeded(f"nested more than {MAX_DEPTH} levels deep")
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    try:
        data = yaml.load(text, Loader=LimitedLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        raise PackageFileError(name, "syntax", f"invalid YAML: {str(error).splitlines()[0]}") from None
    except RecursionError:
        raise PackageFileError(name, "limit", f"nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as error:
        raise PackageFileError(name, "limit", _limit_message(error)) from None
    check_depth(data, name)  # also refuses a recursive structure (an anchor inside itself)
    _check_yaml_ints(data, name)
    return data


def _check_yaml_ints(data: Any, name: str) -> None:
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 100:
            raise PackageFileError(name, "limit", f"an integer of more than {MAX_INT_DIGITS} digits")


def load_json(root: Path, relative: str, kind: str = "metadata") -> Any:
    return parse_json(read_text(root, relative, kind), relative)


def load_yaml(root: Path, relative: str, kind: str = "metadata") -> Any:
    return parse_yaml(read_text(root, relative, kind), relative)


def parse_blob(data: bytes, name: str, syntax: str, kind: str = "metadata") -> Any:
    """A JSON or YAML file held in memory (a git blob), under the same cap and limits as on disk."""
    if len(data) > LIMITS[kind]:
        raise PackageFileError(name, "too-large", _too_large(len(data), LIMITS[kind]))
    text = decode_utf8(data, name)
    return parse_yaml(text, name) if syntax == "yaml" else parse_json(text, name)
