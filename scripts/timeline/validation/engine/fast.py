"""The fast engine: frictionless's verdict on a package it would find clean, on columns; else defer.

It reads each table with pyarrow's streaming CSV reader (every column as strings), decides
every cell on columns (:mod:`.columns`), checks primary keys, unique fields and foreign keys on
columns, hashes each file in a background thread, and runs our checks: each row check's column
rule (:mod:`.rules`) marks the rows it could find anything in, and the check itself runs on
those rows only (:class:`.rows.FastRow`), in the order frictionless would. It only ever *confirms* that
frictionless finds nothing: the moment anything would make frictionless speak — a cell not
decided, a duplicate or dangling key, a hash or size that differs, a BOM, a CR, a NUL, a blank
line, a header other than the field names, a ragged row, bytes that are not UTF-8, a
declaration it does not know — it returns ``None`` and the caller runs the reference engine,
so every error message is frictionless's own. See the README's Performance section.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from ...package import arrays
from ...package.fastcsv import exact_options
from ..checks.base import Context, TimelineCheck
from ..declarations import DIALECT
from . import columns
from .reading import check_foreign_key_types, check_metadata, sniffed_skipinitialspace
from .rows import Batch, ResourceView
from .rule import ColumnRule, Defer, first_line
from .rules import rule_for

BUFFER_BYTES = 100_000  # what frictionless buffers of a file (settings.DEFAULT_BUFFER_SIZE); CsvLayout reads it
# pyarrow's reading block, single-threaded: the parser holds ~40 times a block at once, so 1 MiB
# blocks read as fast as 4 MiB ones (0.6 s at 1M events) with 120 MiB less memory. The column
# tests cost a few microseconds a call whatever the length, so blocks are joined into
# batches of GROUP_BYTES before they are tested: a quarter of the calls.
BLOCK_BYTES = 1 << 20
GROUP_BYTES = 1 << 22
HASH_CHUNK = 1 << 20
TABLE_KEYS = {"name", "type", "path", "format", "mediatype", "encoding", "hash", "bytes", "title", "description",
              "licenses", "sources", "dialect", "schema"}
FILE_KEYS = TABLE_KEYS - {"dialect", "schema", "type"}
SCHEMA_KEYS = {"fields", "primaryKey", "foreignKeys", "missingValues", "$schema", "title", "description"}


@dataclass
class FileScan:
    """sha256 and size of a file, and whether its bytes hold nothing the CSV reader could differ on."""

    sha256: str = ""
    bytes: int = 0
    plain: bool = True  # no CR or NUL; a BOM fails the header test, a blank line the column count or blank-row test


@dataclass
class FastResult:
    rows: dict[str, int] = field(default_factory=dict)


def scan_file(path: Path, stop: threading.Event) -> FileScan:
    digest = hashlib.sha256()
    scan = FileScan()
    with open(path, "rb") as handle:
        while not stop.is_set() and (chunk := handle.read(HASH_CHUNK)):
            digest.update(chunk)  # hashlib lets go of the GIL; the byte searches below are memchr
            scan.bytes += len(chunk)
            if chunk.find(b"\r") >= 0 or chunk.find(b"\x00") >= 0:
                scan.plain = False
    scan.sha256 = digest.hexdigest()
    return scan


class Scanner(threading.Thread):
    """Hashes and scans the files in the background while the main thread parses (hashlib frees the GIL)."""

    def __init__(self, paths: list[Path]) -> None:
        super().__init__(daemon=True)
        self.paths = paths
        self.scans: dict[Path, FileScan] = {}
        self.error: OSError | None = None
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            for path in self.paths:
                self.scans[path] = scan_file(path, self.stop)
        except OSError as error:
            self.error = error


def _single(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
        return value[0]
    raise Defer("a composite or malformed key (the fast engine checks keys of one field)")


def _table_plan(resource: dict[str, Any], tables: set[str]) -> dict[str, Any]:
    """The parts of a table's declaration the engine uses; Defer on anything it does not support."""
    table = f"table {resource.get('name')!r}"
    if not set(resource) <= TABLE_KEYS or resource.get("dialect") != DIALECT:
        raise Defer(f"{table}: a resource property or dialect the fast engine does not read")
    schema = resource.get("schema")
    if not isinstance(schema, dict) or not set(schema) <= SCHEMA_KEYS:
        raise Defer(f"{table}: a Table Schema property the fast engine does not read")
    if schema.get("missingValues", [""]) != [""]:
        raise Defer(f"{table}: missingValues other than the empty string")
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        raise Defer(f"{table}: no fields")
    if not all(isinstance(f, dict) and columns.supported(f) for f in fields):
        raise Defer(f"{table}: a field type, format or constraint the fast engine does not decide")
    names = [f.get("name") for f in fields]
    if not all(isinstance(n, str) and n.isidentifier() and n.isascii() for n in names) or len(set(names)) != len(names):
        raise Defer(f"{table}: field names that are not distinct ASCII identifiers")
    keys = []
    for fk in schema.get("foreignKeys", []):
        reference = fk.get("reference", {}) if isinstance(fk, dict) else {}
        target = reference.get("resource", "")
        target = resource["name"] if target == "" else target
        if not isinstance(target, str) or target not in tables or set(fk) != {"fields", "reference"}:
            raise Defer(f"{table}: a foreign key the fast engine does not check")
        keys.append((_single(fk.get("fields")), target, _single(reference.get("fields"))))
    primary = _single(schema["primaryKey"]) if "primaryKey" in schema else None
    if primary is not None and primary not in names:
        raise Defer(f"{table}: a primary key that is not a field")
    from frictionless import FrictionlessException, Schema

    try:  # frictionless checks more than the profiles do, e.g. that an example is a value of its field
        frictionless_schema = Schema.from_descriptor(schema)
    except FrictionlessException as error:
        raise Defer(f"{table}: a Table Schema frictionless refuses ({first_line(error)})") from None
    return {"fields": fields, "names": names, "primary": primary, "foreign": keys, "schema": frictionless_schema}


def _hash_ok(resource: dict[str, Any], scan: FileScan) -> bool:
    declared = resource.get("hash")
    if declared is not None and declared != f"sha256:{scan.sha256}":
        return False
    size = resource.get("bytes")
    return size is None or size == scan.bytes


def _reader(handle: Any, names: list[str]) -> Any:
    return pa_csv.open_csv(
        handle,
        read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1, block_size=BLOCK_BYTES, use_threads=False),
        **exact_options({name: pa.string() for name in names}),
    )


class FastEngine:
    """One run over a package's resources, in frictionless's order; ``run`` returns None to defer."""

    def __init__(self, root: Path, descriptor: dict[str, Any], context: Context, checks: list[TimelineCheck]) -> None:
        self.root = root
        self.descriptor = descriptor  # as the reference hands it to frictionless: schemas inline, sources first
        self.resources: list[Any] = descriptor.get("resources", [])
        self.context = context
        self.checks = checks
        self.key_columns: dict[tuple[str, str], list[pa.Array]] = {}
        # foreign key cells whose target table was not read yet (the self-referencing key): checked at the end
        self.pending: dict[tuple[str, str, str], list[pa.Array]] = {}
        self.done: set[str] = set()
        self.targets: dict[tuple[str, str], pa.Array] = {}
        self.plans: dict[str, dict[str, Any]] = {}  # table -> what _table_plan read of its declaration
        self.scanner: Scanner | None = None
        self.deferred = ""  # why the reference engine must decide, when run() returns None

    def run(self) -> FastResult | None:
        """The result, or None with ``self.deferred`` saying why the reference engine must decide."""
        try:
            return self._run()
        except Defer as reason:
            self.deferred = str(reason)
        except (pa.ArrowException, OSError, UnicodeError) as error:
            self.deferred = f"a table pyarrow does not read as frictionless would ({first_line(error)})"
        except Exception as error:  # noqa: BLE001 - never a traceback: the reference decides, and reports what it finds
            self.deferred = f"the fast engine stopped ({type(error).__name__}: {first_line(error)})"
        finally:
            if self.scanner is not None:
                self.scanner.stop.set()  # a deferred run leaves the reference engine both cores
        return None

    def _run(self) -> FastResult:
        if not all(isinstance(r, dict) and isinstance(r.get("name"), str) for r in self.resources):
            raise Defer("a resource without a name")
        check_metadata(self.descriptor, self.root)
        tables = {r["name"] for r in self.resources if r.get("type") == "table"}
        plans = self.plans = {r["name"]: _table_plan(r, tables) for r in self.resources if r["name"] in tables}
        check_foreign_key_types(self.resources, {name: plan["foreign"] for name, plan in plans.items()})
        for resource in self.resources:
            if resource["name"] not in tables and (not set(resource) <= FILE_KEYS or resource.get("format") != "txt"):
                raise Defer("a file resource frictionless might read as a table")
        paths = [self.root / str(r.get("path")) for r in self.resources]
        scanner = self.scanner = Scanner(paths)
        scanner.start()
        result = FastResult()
        for resource, path in zip(self.resources, paths, strict=True):
            name = resource["name"]
            if name in tables:
                result.rows[name] = self._table(resource, path, plans[name])
            else:
                self._file(resource, path)
        self._keys(plans)
        scanner.join()
        if scanner.error is not None:
            raise Defer("a file could not be read to hash it")
        for resource, path in zip(self.resources, paths, strict=True):
            scan = scanner.scans[path]
            if not _hash_ok(resource, scan) or (resource["name"] in tables and not scan.plain):
                raise Defer(f"{resource.get('path')}: a hash or size other than declared, or a CR or NUL byte")
        return result

    def _connect(self, view: ResourceView) -> list[TimelineCheck]:
        for check in self.checks:
            check.connect(view)
        connected = [check for check in self.checks if check.active]
        for check in connected:
            check.start()
        return connected

    def _file(self, resource: dict[str, Any], path: Path) -> None:
        view = ResourceView(name=resource["name"], path=str(resource.get("path")), schema=None, labels=[], buffer=b"")
        view.type = "text"
        view.stats.bytes = path.stat().st_size
        for check in self._connect(view):
            check.end()

    def _table(self, resource: dict[str, Any], path: Path, plan: dict[str, Any]) -> int:
        names: list[str] = plan["names"]
        fields: list[dict[str, Any]] = plan["fields"]
        schema = plan["schema"]
        with pa.OSFile(str(path), "rb") as handle:
            buffer = handle.read(BUFFER_BYTES)
            if not buffer.startswith((",".join(names) + "\n").encode()):
                raise Defer(f"{resource['path']}: a header other than the field names, comma-separated, LF")
            if sniffed_skipinitialspace(path):
                raise Defer(f"{resource['path']}: frictionless's CSV sniffer reads it with skipInitialSpace "
                            "(every quoted cell of the first 100 lines follows a comma and a space)")
            view = ResourceView(name=resource["name"], path=str(resource["path"]), schema=schema, labels=names,
                                buffer=buffer)
            connected = self._connect(view)
            handlers = [c for c in connected if type(c).row is not TimelineCheck.row]
            readers = {f["name"]: schema.get_field(f["name"]).create_cell_reader() for f in fields
                       if f.get("format") == "uri"}
            # Keys checked once the whole table is read: unique fields, and the targets of foreign keys.
            wanted = {plan["primary"]} | {f["name"] for f in fields if f.get("constraints", {}).get("unique")}
            wanted |= {target_field for other in self.plans.values() for _, target, target_field in other["foreign"]
                       if target == view.name}
            wanted.discard(None)
            handle.seek(0)
            rules = [(check, rule_for(check)) for check in handlers]
            numbers = frozenset(f["name"] for f in fields if f.get("type") == "number")
            # A row of empty cells is a blank row to frictionless; a required field or key already refuses it.
            blank_possible = plan["primary"] is None and not any(f.get("constraints", {}).get("required")
                                                                 for f in fields)
            row_number = 1
            for raw in _grouped(_reader(handle, names), GROUP_BYTES):
                view.stats.bytes = handle.tell()
                count = len(raw[0])
                if blank_possible and count and arrays.any_empty_row(raw):
                    raise Defer(f"{resource['path']}: a row of empty cells")
                typed: dict[str, pa.Array] = {}
                for spec, cells in zip(fields, raw, strict=True):
                    decided = columns.decide(spec, cells, readers.get(spec["name"]))
                    if decided is None:
                        raise Defer(f"{resource['path']}: a {spec['name']} cell the fast engine does not decide")
                    typed[spec["name"]] = decided
                for key in wanted:
                    self.key_columns.setdefault((view.name, key), []).append(raw[names.index(key)])
                self._foreign_cells(view.name, plan["foreign"], names, raw)
                _run_rows(Batch(names, raw, typed, numbers, row_number + 1), rules)
                row_number += count
            view.stats.bytes = handle.tell()
        self.done.add(view.name)
        if row_number == 1:
            raise Defer(f"{resource['path']}: a table without rows")
        for _, rule in rules:
            rule.finish()
        for check in connected:
            check.end()
        return row_number - 1

    def _foreign_cells(self, table: str, foreign: list[tuple[str, str, str]], names: list[str], raw: list[Any]) -> None:
        """Check a batch's foreign key cells now if their target table is read; else keep the non-empty ones."""
        for source_field, target, target_field in foreign:
            cells = raw[names.index(source_field)]
            present = pc.filter(cells, pc.invert(arrays.empty(cells)))
            if target in self.done:
                if not columns.all_true(pc.is_in(present, value_set=self._target(target, target_field))):
                    raise Defer(f"{table}.{source_field}: a foreign key without its row in {target}")
            else:
                self.pending.setdefault((f"{table}.{source_field}", target, target_field), []).append(present)

    def _target(self, table: str, name: str) -> pa.Array:
        if (table, name) not in self.targets:
            self.targets[table, name] = pc.unique(self._column(table, name))
        return self.targets[table, name]

    def _column(self, table: str, name: str) -> pa.ChunkedArray:
        return pa.chunked_array(self.key_columns.get((table, name), []), type=pa.string())

    def _keys(self, plans: dict[str, dict[str, Any]]) -> None:
        for table, plan in plans.items():
            unique = [plan["primary"]] if plan["primary"] else []
            unique += [f["name"] for f in plan["fields"] if f.get("constraints", {}).get("unique")]
            for name in unique:
                column = self._column(table, name)
                if pc.any(arrays.empty(column)).as_py():
                    raise Defer(f"{table}.{name}: an empty key")
                distinct = self._target(table, name)  # one hash of the column: the key check and the key's targets
                if len(distinct) != len(column):
                    raise Defer(f"{table}.{name}: a key repeated")
        for (source, target, target_field), chunks in self.pending.items():
            present = pa.chunked_array(chunks, type=pa.string())
            if not columns.all_true(pc.is_in(present, value_set=self._target(target, target_field))):
                raise Defer(f"{source}: a foreign key without its row in {target}")


def _grouped(batches: Any, size: int) -> Any:
    """The columns of consecutive record batches joined until they hold SIZE bytes (the last group: what is left)."""
    group: list[pa.RecordBatch] = []
    held = 0
    for batch in batches:
        group.append(batch)
        held += batch.nbytes
        if held >= size:
            yield _joined(group)
            group, held = [], 0
    if group:
        yield _joined(group)


def _joined(group: list[pa.RecordBatch]) -> list[pa.Array]:
    if len(group) == 1:
        return list(group[0].columns)
    return [pa.concat_arrays([batch.column(i) for batch in group]) for i in range(group[0].num_columns)]


def _run_rows(batch: Batch, rules: list[tuple[TimelineCheck, ColumnRule]]) -> None:
    """Each check's ``row`` on the rows its rule marks, row by row and check by check as in the reference pass."""
    calls: list[tuple[TimelineCheck, pa.Array | None]] = []
    masks: list[pa.Array] = []
    every_row = False
    for check, rule in rules:
        mask = rule.rows(batch)  # every rule sees every batch: some gather columns for their finish()
        if mask is None:
            every_row = True
        elif pc.any(mask).as_py():
            masks.append(mask)
        else:
            continue
        calls.append((check, mask))
    if not calls:
        return
    if every_row:
        indices = list(range(batch.count))
    else:
        union = masks[0]
        for mask in masks[1:]:
            union = pc.or_(union, mask)
        indices = pc.indices_nonzero(union).to_pylist()
    positions = arrays.int64s(indices)
    per_check = [(check.row, None if mask is None else pc.take(mask, positions).to_pylist()) for check, mask in calls]
    for at, row in enumerate(batch.rows(indices)):
        for handler, flags in per_check:
            if flags is None or flags[at]:
                handler(row)
