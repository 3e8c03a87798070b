"""A validator that cannot be bypassed, hung, crashed or led outside (issue 10, validation half).

Every case mutates a copy of the real package the way an attacker or an unlucky maintainer
would, runs `timeline validate` and asserts the named finding and the exit code; ``attack``
asserts the rest (no internal error, no file changed, no network, nothing from outside
printed, a time bound). Cases are grouped by the issue's classes 1-5.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from attack_helpers import (
    ALIAS_BOMB,
    BIG_INT,
    DEEP,
    EVENTS,
    SECRET,
    TEXT,
    Mutation,
    NetworkRecorder,
    attack,
    both,
    delete,
    descriptor,
    dialect,
    drop_field,
    field,
    fifo,
    header_only,
    other_text,
    outside_dialect_file,
    remote_ref_in_profile,
    replace_bytes,
    resource,
    row,
    shared_text,
    symlink_outside,
    table_schema,
    unix_socket,
    write,
)

# (id, mutation, exit code, expected finding type, file it names or None)
CASES: list[tuple[str, Mutation, int, str, str | None]] = [
    # 1. bypass: the four tables are read in full, as tables, with the project's dialect
    ("events-type-text", resource("events", type="text"), 1, "unsupported-resource-declaration", "datapackage.json"),
    ("events-type-missing", resource("events", type=None), 1, "unsupported-resource-declaration", None),
    ("events-inline-data", resource("events", data=[["event_id"], ["ev-1"]]), 1,
     "unsupported-resource-declaration", None),
    ("events-format-json", resource("events", format="json"), 1, "unsupported-resource-declaration", None),
    ("events-encoding-latin1", resource("events", encoding="latin-1"), 1, "unsupported-resource-declaration", None),
    ("events-no-encoding", resource("events", encoding=None), 1, "unsupported-resource-declaration", None),
    ("events-inline-schema", resource("events", schema={"fields": []}), 1, "unsupported-resource-declaration", None),
    ("events-compression", resource("events", compression="gz"), 1, "unsupported-resource-declaration", None),
    ("events-declared-twice", descriptor(lambda d, u: d["resources"].append(dict(d["resources"][3]))), 1,
     "unsupported-resource-declaration", None),
    ("comment-rows", dialect("events", commentRows=[3, 4]), 1, "unsupported-dialect", "datapackage.json"),
    ("comment-char", dialect("events", commentChar="e"), 1, "unsupported-dialect", None),
    ("header-rows", dialect("actors", headerRows=[1, 2]), 1, "unsupported-dialect", None),
    ("no-header", dialect("places", header=False), 1, "unsupported-dialect", None),
    ("skip-initial-space", dialect("sources", skipInitialSpace=True), 1, "unsupported-dialect", None),
    ("no-dialect", resource("events", dialect=None), 1, "unsupported-dialect", None),
    ("dialect-symlink-outside", outside_dialect_file, 1, "unsafe-path", "data/dialect.json"),
    ("dialect-file-inside", both(write("data/d.json", '{"delimiter": ","}'), resource("events", dialect="data/d.json")),
     1, "unsupported-dialect", None),
    ("fabricated-quote-hidden-by-comment",
     both(row("events", 3, quote="We did it all alone."), dialect("events", commentChar="e")),
     1, "unsupported-dialect", None),
    # 2. hangs: FIFOs and sockets, alias bombs, URLs
    ("fifo-dialect", both(fifo("data/d.json"), resource("events", dialect="data/d.json")), 1,
     "not-a-regular-file", "data/d.json"),
    ("fifo-table-schema", fifo("schemas/events.schema.json"), 1, "not-a-regular-file", "schemas/events.schema.json"),
    ("socket-table-schema", unix_socket("schemas/actors.schema.json"), 1, "not-a-regular-file", None),
    ("fifo-events-csv", fifo(EVENTS), 1, "not-a-regular-file", EVENTS),
    ("fifo-source-text", fifo(TEXT), 1, "not-a-regular-file", TEXT),
    ("fifo-undeclared-source-text", other_text(fifo), 1, "not-a-regular-file", "data/sources.csv"),
    ("fifo-citation", fifo("CITATION.cff"), 1, "not-a-regular-file", "CITATION.cff"),
    ("fifo-zenodo", fifo(".zenodo.json"), 1, "not-a-regular-file", ".zenodo.json"),
    ("fifo-changelog", fifo("CHANGELOG.md"), 1, "not-a-regular-file", "CHANGELOG.md"),
    ("fifo-profile", fifo("schemas/datapackage.profile.json"), 1, "not-a-regular-file", None),
    ("fifo-descriptor", fifo("datapackage.json"), 2, "not a regular file (a FIFO, device or folder?)", None),
    ("alias-bomb-citation", write("CITATION.cff", ALIAS_BOMB), 1, "metadata-invalid", "CITATION.cff"),
    ("recursive-yaml-citation", write("CITATION.cff", "a: &a [*a]\nversion: 1.0.1\n"), 1,
     "metadata-invalid", "CITATION.cff"),
    ("huge-citation", write("CITATION.cff", "title: " + "x" * (5 << 20) + "\n"), 1, "file-too-large", "CITATION.cff"),
    ("remote-package-profile", descriptor(lambda d, u: d.update(profile=u)), 1, "nonstandard-profile", None),
    ("remote-package-schema", descriptor(lambda d, u: d.update({"$schema": u})), 1, "nonstandard-profile", None),
    ("local-package-profile", descriptor(lambda d, u: d.update(profile="schemas/x.json")), 1,
     "nonstandard-profile", None),
    ("remote-resource-profile", resource("events", profile="URL"), 1, "nonstandard-profile", None),
    ("remote-text-resource-profile", resource("source-text-guardian-2023-05-25-b8d63b13", profile="URL"), 1,
     "nonstandard-profile", None),
    ("remote-table-schema-profile", table_schema("events", lambda s: s.update(profile="http://127.0.0.1:9/x")),
     1, "nonstandard-profile", "schemas/events.schema.json"),
    ("remote-resource-path", resource("places", path="URL"), 1, "unsafe-path", None),
    ("remote-schema", resource("places", schema="URL"), 1, "unsafe-path", None),
    ("remote-dialect", resource("places", dialect="URL"), 1, "unsafe-path", None),
    ("remote-ref-in-profile", remote_ref_in_profile, 1, "profile-unreadable", "schemas/datapackage.profile.json"),
    # 3. crashes: nesting, huge integers, encodings, profiles, retyped fields
    ("deep-descriptor", write("datapackage.json", '{"a": ' + DEEP + "}"), 1, "invalid-descriptor", None),
    ("deep-zenodo", write(".zenodo.json", DEEP), 1, "metadata-invalid", ".zenodo.json"),
    ("deep-table-schema", write("schemas/places.schema.json", DEEP), 1, "schema-unreadable", None),
    ("deep-citation", write("CITATION.cff", "a: " + "[" * 5000 + "]" * 5000 + "\n"), 1, "metadata-invalid", None),
    ("big-int-descriptor",
     replace_bytes("datapackage.json", b'"version"', b'"x": ' + BIG_INT.encode() + b', "version"', stamp=False),
     1, "invalid-descriptor", None),
    ("big-int-zenodo", write(".zenodo.json", '{"version": ' + BIG_INT + "}"), 1, "metadata-invalid", ".zenodo.json"),
    ("big-int-citation", write("CITATION.cff", f"version: {BIG_INT}\n"), 1, "metadata-invalid", "CITATION.cff"),
    ("big-int-table-schema", field("events", "quote_start", constraints={"maximum": int(BIG_INT[:4000])}), 1,
     "schema-unreadable", None),
    ("changelog-latin1", write("CHANGELOG.md", "# Changelog\n\n## [Unreleased]\n\ncaf\xe9\n".encode("latin-1")), 1,
     "changelog-unreadable", "CHANGELOG.md"),
    ("profile-missing", delete("schemas/datapackage.profile.json"), 1, "profile-missing", None),
    ("profile-not-json", write("schemas/datapackage.profile.json", "{oops"), 1, "profile-unreadable", None),
    ("profile-not-an-object", write("schemas/table-schema.profile.json", "[1]"), 1, "profile-unreadable", None),
    ("profile-not-a-schema", write("schemas/zenodo.schema.json", '{"type": 5}'), 1, "profile-unreadable", None),
    ("quote-start-as-string", field("events", "quote_start", type="string"), 1, "checked-field-mismatch",
     "schemas/events.schema.json"),
    ("published-as-string", field("sources", "published", type="string"), 1, "checked-field-mismatch", None),
    ("date-with-format", field("events", "date_start", format="%d/%m/%Y"), 1, "checked-field-mismatch", None),
    ("text-chars-as-number", field("sources", "text_chars", type="number"), 1, "checked-field-mismatch", None),
    ("quote-field-removed", drop_field("events", "quote"), 1, "checked-field-mismatch", None),
    ("sources-as-text", resource("sources", type="text"), 1, "unsupported-resource-declaration", None),
    ("sources-without-schema", resource("sources", schema=None, dialect=None, type="text"), 1,
     "unsupported-resource-declaration", None),
    ("schema-field-not-an-object", table_schema("events", lambda s: s["fields"].append(7)), 1,
     "validation-stopped", "datapackage.json"),
    ("categories-without-value", field("events", "event_type", categories=[{"kind": "statement"}]), 1,
     "metadata-invalid", "schemas/events.schema.json"),
    # 4. reads outside: never opened, never printed
    ("citation-symlink-outside", symlink_outside("CITATION.cff"), 1, "unsafe-path", "CITATION.cff"),
    ("changelog-symlink-outside", symlink_outside("CHANGELOG.md"), 1, "unsafe-path", "CHANGELOG.md"),
    ("zenodo-symlink-outside", symlink_outside(".zenodo.json", '{"x": "' + SECRET + '"}'), 1, "unsafe-path", None),
    ("profile-symlink-outside", symlink_outside("schemas/table-schema.profile.json"), 1, "unsafe-path", None),
    ("schema-symlink-outside", symlink_outside("schemas/places.schema.json"), 1, "unsafe-path", None),
    ("source-text-symlink-outside", symlink_outside(TEXT), 1, "unsafe-path", None),
    ("undeclared-text-symlink-outside", other_text(symlink_outside), 1, "unsafe-path", "data/sources.csv"),
    ("descriptor-symlink-outside", symlink_outside("datapackage.json", '{"secret": "' + SECRET + '"}'), 1,
     "invalid-descriptor", None),
    # 5. silently VALID before
    ("table-schema-profile-deleted", delete("schemas/table-schema.profile.json"), 1,
     "profile-missing", "schemas/table-schema.profile.json"),
    ("primary-key-removed", table_schema("events", lambda s: s.pop("primaryKey")), 1, "primary-key-mismatch",
     "schemas/events.schema.json"),
    ("profile-deleted-and-primary-key-removed",
     both(delete("schemas/table-schema.profile.json"), table_schema("actors", lambda s: s.pop("primaryKey"))),
     1, "primary-key-mismatch", "schemas/actors.schema.json"),
    ("events-header-only", header_only("events"), 1, "table-empty", EVENTS),
    ("places-header-only", header_only("places"), 1, "table-empty", "data/places.csv"),
    ("date-not-iso", row("events", 1, date_start="2023-5-23"), 1, "non-canonical-value", EVENTS),
    ("integer-plus", row("events", 0, quote_start="+213"), 1, "non-canonical-value", EVENTS),
    ("integer-space", row("events", 0, quote_start=" 213"), 1, "non-canonical-value", EVENTS),
    ("integer-underscore", row("sources", 0, text_chars="2_245"), 1, "non-canonical-value", "data/sources.csv"),
    ("integer-leading-zero", row("events", 0, quote_start="0213"), 1, "non-canonical-value", EVENTS),
    ("number-plus", row("places", 0, latitude="+50.6"), 1, "non-canonical-value", "data/places.csv"),
    ("required-cell-space", row("events", 2, summary=" "), 1, "whitespace-only-cell", EVENTS),
    ("optional-cell-spaces", row("events", 2, notes="   "), 1, "whitespace-only-cell", EVENTS),
    ("latin1-in-actors", replace_bytes("data/actors.csv", b"Russian Volunteer", b"Russi\xe1n Volunteer"), 1,
     "encoding-error", "data/actors.csv"),
    ("zero-width-space", row("events", 2, summary="Kyiv\u200bwas attacked"), 1, "invisible-character", EVENTS),
    ("nul-character", row("actors", 0, description="Militia\x00"), 1, "invisible-character", "data/actors.csv"),
    ("bidi-override", row("events", 2, notes="\u202eevil"), 1, "invisible-character", EVENTS),
    ("formula-behind-spaces", row("events", 2, notes='   =HYPERLINK("http://x")'), 1, "formula-injection", EVENTS),
    ("formula-behind-nbsp", row("actors", 1, description="\u00a0\u00a0+cmd"), 1, "formula-injection", None),
    ("about-cycle", both(row("events", 1, about_event_id="ev-0003"), row("events", 2, about_event_id="ev-0002")),
     1, "about-event-cycle", EVENTS),
    ("two-sources-one-text", shared_text, 1, "source-text-shared", "data/sources.csv"),
]


@pytest.mark.parametrize(
    "mutate, exit_code, expected, file", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_validate_resists(
    package: Path, network: NetworkRecorder, mutate: Mutation, exit_code: int, expected: str, file: str | None
) -> None:
    mutate(package, network.url)
    code, output = attack(package, network, "validate", "--package", str(package), "--json")
    assert code == exit_code, output
    if exit_code == 2:
        assert output.startswith("Error: ") and output.count("\n") == 1, output
        assert expected in output, output
        return
    findings = json.loads(output)["findings"]
    located = [(f["type"], f["file"]) for f in findings]
    assert any(t == expected and (file is None or f == file) for t, f in located), located
    assert all(f["message"] and f["fix"] for f in findings)


def test_latin1_in_actors_does_not_blame_events(package: Path, network: NetworkRecorder) -> None:
    replace_bytes("data/actors.csv", b"Russian Volunteer", b"Russi\xe1n Volunteer")(package, network.url)
    code, output = attack(package, network, "validate", "--package", str(package), "--json")
    files = {f["file"] for f in json.loads(output)["findings"] if f["type"] == "encoding-error"}
    assert (code, files) == (1, {"data/actors.csv"})


def test_citation_symlink_names_the_file_and_never_reads_it(package: Path, network: NetworkRecorder) -> None:
    symlink_outside("CITATION.cff")(package, network.url)
    code, output = attack(package, network, "validate", "--package", str(package))
    assert code == 1
    outside = package.parent / "outside-CITATION.cff"
    expected = f"CITATION.cff\n  resolves to {outside}, outside the package (a symlink?); not opened [unsafe-path]"
    assert expected in output


def test_the_real_cli_returns_on_a_fifo_and_an_alias_bomb(package: Path, network: NetworkRecorder) -> None:
    """The installed entry point, in its own process, under a hard timeout: no hang in the real thing."""
    fifo("schemas/events.schema.json")(package, network.url)
    write("CITATION.cff", ALIAS_BOMB)(package, network.url)
    descriptor(lambda d, u: d.update(profile=u))(package, network.url)
    command = [sys.executable, "-c", "from timeline.cli import cli; cli()", "validate", "-p", str(package)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[not-a-regular-file]" in result.stdout and "[nonstandard-profile]" in result.stdout
    assert network.connections == []


# The other readers of package files: each unsafe file is one line naming it (exit 2), never a hang or a read outside.
OTHER_READERS = [
    ("stamp-fifo-table", fifo("data/places.csv"), ["stamp"], "data/places.csv: is a FIFO (named pipe)"),
    ("codebook-fifo-schema", fifo("schemas/events.schema.json"), ["codebook", "--check"],
     "schemas/events.schema.json: is a FIFO (named pipe)"),
    ("codebook-schema-outside", symlink_outside("schemas/events.schema.json"), ["codebook", "--check"],
     "schemas/events.schema.json: resolves to "),
    ("codebook-deep-schema", write("schemas/places.schema.json", DEEP), ["codebook", "--check"],
     "schemas/places.schema.json: nested more than 64 levels deep"),
    ("locate-fifo-text", fifo(TEXT), ["locate", "guardian-2023-05-25-b8d63b13", "Kyiv"], f"{TEXT}: is a FIFO"),
    ("locate-text-outside", symlink_outside(TEXT), ["locate", "guardian-2023-05-25-b8d63b13", "Kyiv"],
     f"{TEXT}: resolves to "),
]


@pytest.mark.parametrize("mutate, command, message", [c[1:] for c in OTHER_READERS], ids=[c[0] for c in OTHER_READERS])
def test_other_readers_refuse_unsafe_files(
    package: Path, network: NetworkRecorder, mutate: Mutation, command: list[str], message: str
) -> None:
    mutate(package, network.url)
    code, output = attack(package, network, *command, "--package", str(package))
    assert code == 2
    assert output.startswith(f"Error: {message}") and output.count("\n") == 1, output
