"""Guards and mutations for the attack tests (tests/test_attacks*.py).

``attack`` runs the CLI in-process and asserts what every attack must leave true: no
"internal error" or traceback, no file changed, no network connection (``NetworkRecorder``,
a local listening socket that records any; the cases' URLs point at it), nothing from outside
the package printed, and an answer within a time bound (an alarm fails the test instead of
hanging the suite).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from helpers import edit_row, read_rows, snapshot, write_rows
from timeline.cli import cli
from timeline.stamp import stamp_package

SECONDS = 20  # far above any honest run (a fraction of a second); a hang trips it
SECRET = "TOP-SECRET-CONTENT-OUTSIDE-THE-PACKAGE"
EVENTS = "data/events.csv"
TEXT = "data/sources/guardian-2023-05-25-b8d63b13.txt"
Mutation = Callable[[Path, str], None]


class NetworkRecorder:
    """A local TCP server that accepts and records every connection, and never answers."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}/profile.json"
        self.connections: list[str] = []
        self.running = True
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while self.running:
            try:
                connection, address = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections.append(f"{address}")
            connection.close()

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.server.close()


class Hung(BaseException):
    """Raised by the alarm: a BaseException, so no `except Exception` in the tool can swallow it."""


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def on_alarm(signum: int, frame: Any) -> None:
        raise Hung(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _files(folder: Path) -> dict[str, str]:
    """Every file's digest, but git's own bookkeeping (git status may refresh .git/index)."""
    return {k: v for k, v in snapshot(folder).items() if "/.git/" not in f"/{k}"}


def attack(package: Path, network: NetworkRecorder, *args: str) -> tuple[int, str]:
    """Run the CLI in-process under every guard; return (exit code, stdout + stderr)."""
    before = _files(package.parent)
    connections = len(network.connections)
    started = time.monotonic()
    with time_limit(SECONDS):
        result = CliRunner().invoke(cli, list(args))
    assert time.monotonic() - started < SECONDS
    output = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "internal error" not in output and "Traceback" not in output, output
    assert network.connections[connections:] == [], "the tool connected to the network"
    assert _files(package.parent) == before, "a file was written"
    assert SECRET not in output, "content from outside the package was printed"
    return result.exit_code, output


# --- mutations ---------------------------------------------------------------------------------------------


def descriptor(edit: Callable[[dict, str], None]) -> Mutation:
    def mutate(pkg: Path, url: str) -> None:
        path = pkg / "datapackage.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        edit(data, url)
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")

    return mutate


def resource(name: str, **changes: Any) -> Mutation:
    """Change (None: delete) keys of one resource; a value "URL" becomes the recorder's URL."""

    def edit(data: dict, url: str) -> None:
        entry = next(r for r in data["resources"] if r["name"] == name)
        for key, value in changes.items():
            if value is None:
                entry.pop(key, None)
            else:
                entry[key] = url if value == "URL" else value

    return descriptor(edit)


def dialect(name: str, **changes: Any) -> Mutation:
    def edit(data: dict, url: str) -> None:
        next(r for r in data["resources"] if r["name"] == name)["dialect"].update(changes)

    return descriptor(edit)


def delete(relative: str) -> Mutation:
    return lambda pkg, url: (pkg / relative).unlink()


def other_text(mutation: Callable[[str], Mutation]) -> Mutation:
    """MUTATION applied to data/sources/other.txt, which the sources table then names as its text."""
    other = "data/sources/other.txt"
    return both(mutation(other), row("sources", 0, text_path=other))


def table_schema(table: str, edit: Callable[[dict], None]) -> Mutation:
    def mutate(pkg: Path, url: str) -> None:
        path = pkg / f"schemas/{table}.schema.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        edit(data)
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")

    return mutate


def field(table: str, name: str, **changes: Any) -> Mutation:
    return table_schema(table, lambda s: next(f for f in s["fields"] if f["name"] == name).update(changes))


def drop_field(table: str, name: str) -> Mutation:
    return table_schema(table, lambda s: s.update(fields=[f for f in s["fields"] if f["name"] != name]))


def fifo(relative: str) -> Mutation:
    def mutate(pkg: Path, url: str) -> None:
        (pkg / relative).unlink(missing_ok=True)
        os.mkfifo(pkg / relative)

    return mutate


def unix_socket(relative: str) -> Mutation:
    def mutate(pkg: Path, url: str) -> None:
        (pkg / relative).unlink(missing_ok=True)
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(pkg / relative))
        server.close()  # the socket file stays

    return mutate


def symlink_outside(relative: str, content: str = SECRET) -> Mutation:
    def mutate(pkg: Path, url: str) -> None:
        outside = pkg.parent / f"outside-{Path(relative).name}"
        outside.write_text(content, encoding="utf-8")
        (pkg / relative).unlink(missing_ok=True)
        os.symlink(outside, pkg / relative)

    return mutate


def write(relative: str, data: bytes | str) -> Mutation:
    def mutate(pkg: Path, url: str) -> None:
        payload = data.encode("utf-8") if isinstance(data, str) else data
        (pkg / relative).write_bytes(payload.replace(b"URL", url.encode()))

    return mutate


def replace_bytes(relative: str, old: bytes, new: bytes, *, stamp: bool = True) -> Mutation:
    def mutate(pkg: Path, url: str) -> None:
        path = pkg / relative
        data = path.read_bytes()
        assert old in data, old
        path.write_bytes(data.replace(old, new, 1))
        if stamp:
            stamp_package(pkg)

    return mutate


def row(table: str, index: int, **changes: str) -> Mutation:
    return lambda pkg, url: edit_row(pkg, table, index, **changes)


def both(*mutations: Mutation) -> Mutation:
    def mutate(pkg: Path, url: str) -> None:
        for mutation in mutations:
            mutation(pkg, url)

    return mutate


def header_only(table: str) -> Mutation:
    def mutate(pkg: Path, url: str) -> None:
        header, _ = read_rows(pkg, table)
        write_rows(pkg, table, header, [])

    return mutate


def shared_text(pkg: Path, url: str) -> None:
    header, rows = read_rows(pkg, "sources")
    write_rows(pkg, "sources", header, [*rows, dict(rows[0], source_id="guardian-copy")])


def outside_dialect_file(pkg: Path, url: str) -> None:
    (pkg.parent / "dialect.json").write_text(json.dumps({"commentChar": "e", "secret": SECRET}), encoding="utf-8")
    os.symlink(pkg.parent / "dialect.json", pkg / "data/dialect.json")
    resource("events", dialect="data/dialect.json")(pkg, url)


def remote_ref_in_profile(pkg: Path, url: str) -> None:
    path = pkg / "schemas/datapackage.profile.json"
    profile = json.loads(path.read_text(encoding="utf-8"))
    profile["allOf"] = [{"$ref": url}]
    path.write_text(json.dumps(profile), encoding="utf-8")


DEEP = "[" * 100_000 + "]" * 100_000
BIG_INT = "1" + "0" * 5000
ALIAS_BOMB = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    + ["title: *i", "version: 1.0.1"]
)
