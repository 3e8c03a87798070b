"""`timeline verify`: a downloaded file or release archive against its release, offline."""

from __future__ import annotations

import io
import json
import os
import shutil
import tarfile
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import invoke, read_rows, snapshot, write_rows
from timeline.download import verify_download
from timeline.download.changes import changed_rows

NAME = "belgorod-raid-timeline"
FIX_ROW = "download the file again; a local edit shows here row by row"


def download(released: Path, tmp_path: Path, table: str = "events") -> Path:
    """A researcher's copy of one table of release 1.0.0, alone in a folder."""
    folder = tmp_path / "downloads"
    folder.mkdir(exist_ok=True)
    return Path(shutil.copy2(released / "data" / f"{table}.csv", folder / f"{table}.csv"))


def flip_byte(path: Path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert data.count(old) >= 1 and len(old) == len(new)
    path.write_bytes(data.replace(old, new, 1))


def test_a_genuine_events_csv_is_verified(released: Path, tmp_path: Path) -> None:
    file = download(released, tmp_path)
    code, out, err = invoke("verify", str(file), "--version", "1.0.0", "--package", str(released), "--json")
    assert code == 0, out + err
    data = json.loads(out)
    assert data == verify_download(file, "1.0.0", released).to_dict()
    recorded = json.loads((released / "datapackage.json").read_text())["resources"][3]["hash"][7:]
    assert data["checked"] == [
        {
            "path": str(file),
            "resource": "events",
            "sha256": recorded,
            "bytes": file.stat().st_size,
            "recorded_sha256": recorded,
            "matches": True,
        }
    ]
    assert data["rows"] == {"events": 20} and data["findings"] == []
    assert data["notes"] == [
        "foreign keys not checkable without the other tables: source_id -> sources, place_id -> places, "
        "actor1_id -> actors, actor2_id -> actors, attributed_to -> actors"
    ]
    code, out, _ = invoke("verify", str(file), "--version", "1.0.0", "--package", str(released))
    assert code == 0 and out.endswith(f"VERIFIED {file}: release 1.0.0\n")


def test_one_changed_byte_is_rejected_naming_the_row(released: Path, tmp_path: Path) -> None:
    file = download(released, tmp_path)
    flip_byte(file, b"Kapustin", b"Kapustun")
    code, out, _ = invoke("verify", str(file), "--version", "1.0.0", "--package", str(released), "--json")
    assert code == 1
    findings = [(f["type"], f["row"], f["field"]) for f in json.loads(out)["findings"]]
    assert findings == [("hash-mismatch", None, ""), ("row-changed", 2, "summary")]
    row = json.loads(out)["findings"][1]
    assert row["message"].startswith('row 2 (event_id=ev-0001) differs from release 1.0.0: summary: "A militia ')
    assert "Denis Kapustin" in row["message"] and "Denis Kapustun" in row["message"] and row["fix"] == FIX_ROW
    code, out, _ = invoke("verify", str(file), "--version", "1.0.0", "--package", str(released))
    assert out.endswith(f"REJECTED {file}: 2 findings\n")


@pytest.mark.parametrize(
    "field, value, frictionless_type",
    [
        ("event_type", "Parade", "constraint-error"),  # not in the enum
        ("date_start", "24/05/2023", "type-error"),  # not an ISO date
        ("event_id", "ev-0002", "primary-key"),  # duplicate key
        ("event_id", "EV-1", "constraint-error"),  # pattern
    ],
)
def test_a_value_the_schema_forbids_is_named(
    released: Path, tmp_path: Path, field: str, value: str, frictionless_type: str
) -> None:
    folder = tmp_path / "edited"
    shutil.copytree(released / "data", folder / "data")
    header, rows = read_rows(folder, "events")
    rows[0][field] = value
    write_rows(folder, "events", header, rows, stamp=False)
    result = verify_download(folder / "data/events.csv", "1.0.0", released)
    types = [f.type for f in result.findings]
    assert types[:2] == ["hash-mismatch", "row-changed"] and result.findings[1].field == field
    named = next(f for f in result.findings if f.type == frictionless_type)
    assert named.file == str(folder / "data/events.csv") and named.row == (3 if value == "ev-0002" else 2)


def test_without_git_history_the_datapackage_beside_the_file_is_the_record(
    released: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with zipfile.ZipFile(released / "dist" / f"{NAME}-1.0.0.zip") as archive:
        archive.extractall(tmp_path / "extracted")
    monkeypatch.chdir(tmp_path)  # no package and no git here: only the download
    file = tmp_path / "extracted/data/events.csv"
    genuine = verify_download(file)
    assert genuine.valid and genuine.version == "1.0.0"
    assert genuine.record == f"the datapackage.json beside it ({tmp_path / 'extracted/datapackage.json'})"
    assert genuine.notes[0].startswith("no git history of release 1.0.0 here (no datapackage.json in ")
    flip_byte(file, b"Kapustin", b"Kapustun")
    code, out, _ = invoke("verify", str(file), "--json")
    data = json.loads(out)
    assert code == 1 and [f["type"] for f in data["findings"]] == ["hash-mismatch"]
    assert (
        f"{file}: the changed rows cannot be named without the release's own file "
        "(run inside a clone of the repository, or pass --package)"
    ) in data["notes"]


@pytest.mark.parametrize("suffix", ["zip", "tar.gz"])
def test_a_genuine_release_archive_is_verified_with_every_table_and_sha256sums(released: Path, suffix: str) -> None:
    archive = released / "dist" / f"{NAME}-1.0.0.{suffix}"
    code, out, err = invoke("verify", str(archive), "--package", str(released), "--json")
    assert code == 0, out + err
    data = json.loads(out)
    assert data["version"] == "1.0.0" and data["kind"] == "archive"
    assert [c["resource"] for c in data["checked"]] == [
        "sources",
        "actors",
        "places",
        "events",
        "source-text-guardian-2023-05-25-b8d63b13",
    ]
    assert all(c["matches"] for c in data["checked"])
    assert data["rows"] == {"sources": 1, "actors": 17, "places": 6, "events": 20}
    manifest = json.loads((released / "dist" / f"{NAME}-1.0.0.json").read_text())
    assert data["sums_checked"] == len(manifest["files"])


def rewrite_zip(source: Path, target: Path, change: dict[str, bytes | None]) -> None:
    """A copy of SOURCE with members replaced (bytes), removed (None) or added (new names)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename in change:
                data = change.pop(info.filename)
                if data is not None:
                    new.writestr(info, data)
            else:
                new.writestr(info, old.read(info))
        for name, data in change.items():
            new.writestr(name, data or b"")


def test_a_tampered_archive_is_rejected(released: Path, tmp_path: Path) -> None:
    source = released / "dist" / f"{NAME}-1.0.0.zip"
    with zipfile.ZipFile(source) as archive:
        events = archive.read("data/events.csv").replace(b"Kapustin", b"Kapustun", 1)
    tampered = tmp_path / "tampered.zip"
    rewrite_zip(source, tampered, {"data/events.csv": events, "data/places.csv": None})
    result = verify_download(tampered, None, released)
    assert [(f.type, f.file, f.row) for f in result.findings] == [
        ("hash-mismatch", "data/events.csv", None),  # against SHA256SUMS
        ("archive-member-missing", "data/places.csv", None),  # listed in SHA256SUMS
        ("archive-member-missing", "data/places.csv", None),  # declared in datapackage.json
        ("hash-mismatch", "data/events.csv", None),  # against the release's datapackage.json
        ("row-changed", "data/events.csv", 2),
    ]
    assert result.findings[0].message == "sha256 differs from SHA256SUMS line 9"
    assert "foreign keys into tables missing from the archive not checked: events -> places" in result.notes


@pytest.mark.parametrize(
    "member, reason",
    [
        ("../evil.txt", "contains '..'"),
        ("/etc/evil.txt", "is absolute"),
        ("data\\evil.txt", "contains a backslash"),
        ("C:/evil.txt", "is absolute"),
    ],
)
def test_an_archive_with_an_unsafe_member_is_refused_and_nothing_is_extracted(
    released: Path, tmp_path: Path, member: str, reason: str
) -> None:
    bad = tmp_path / "bad" / "bad.zip"
    bad.parent.mkdir()
    rewrite_zip(released / "dist" / f"{NAME}-1.0.0.zip", bad, {member: b"x"})
    before = snapshot(tmp_path)
    code, out, _ = invoke("verify", str(bad), "--package", str(released), "--json")
    assert code == 1
    assert [(f["type"], f["message"]) for f in json.loads(out)["findings"]] == [
        ("archive-unsafe-member", f"member {member!r} {reason}; nothing was extracted")
    ]
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "evil.txt").exists()


def test_a_tar_with_a_symlink_is_refused(released: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(bad, "w:gz") as archive:
        link = tarfile.TarInfo("datapackage.json")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        archive.addfile(link)
        data = b"x"
        info = tarfile.TarInfo("SHA256SUMS")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    result = verify_download(bad, None, released)
    assert [(f.type, f.message) for f in result.findings] == [
        (
            "archive-unsafe-member",
            "member 'datapackage.json' is a link or device, not a plain file; nothing was extracted",
        )
    ]


def test_a_truncated_archive_is_unreadable(released: Path, tmp_path: Path) -> None:
    truncated = tmp_path / f"{NAME}-1.0.0.zip"
    truncated.write_bytes((released / "dist" / truncated.name).read_bytes()[:1000])
    result = verify_download(truncated, None, released)
    assert [f.type for f in result.findings] == ["archive-unreadable"]


def test_a_nested_archive_of_an_old_release_is_verified(released: Path, tmp_path: Path) -> None:
    nested = tmp_path / f"{NAME}-1.0.0.zip"
    with zipfile.ZipFile(released / "dist" / nested.name) as old, zipfile.ZipFile(nested, "w") as new:
        for info in old.infolist():
            new.writestr(f"{NAME}-1.0.0/{info.filename}", old.read(info))
    result = verify_download(nested, "1.0.0", released)
    assert result.valid, result.findings
    assert result.checked[3].path == f"{NAME}-1.0.0/data/events.csv"


def test_an_archive_of_another_version_than_asked_is_rejected(released: Path) -> None:
    from helpers import commit_all

    header, rows = read_rows(released, "events")
    rows[2]["summary"] = "A corrected summary."
    write_rows(released, "events", header, rows)
    commit_all(released, "Correct ev-0003")
    assert invoke("release", "--package", str(released), "--date", "2026-12-01")[0] == 0
    result = verify_download(released / "dist" / f"{NAME}-1.0.0.zip", "1.0.1", released)
    types = [f.type for f in result.findings]
    assert types[0] == "version-mismatch" and "hash-mismatch" in types and "row-changed" in types


def test_a_version_without_git_history_is_a_usage_error(
    released: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = download(released, tmp_path)
    monkeypatch.chdir(file.parent)  # no package, no git
    code, out, err = invoke("verify", "events.csv", "--version", "1.0.0")
    assert (code, out) == (2, "")
    assert err.startswith("Error: release 1.0.0's record is in the package's git history, which is not here (no ")
    assert err.endswith(
        "run inside a clone of the repository or pass --package, or drop --version to check against "
        "the datapackage.json that came with the file\n"
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["missing.csv"],
            "Error: missing.csv: no such file; pass a downloaded resource file (e.g. events.csv) or archive\n",
        ),
        (
            ["stray.csv", "--version", "1.0.0"],
            "Error: stray.csv: no resource of release 1.0.0 matches this file (resources: data/sources.csv, "
            "data/actors.csv, data/places.csv, data/events.csv, data/sources/guardian-2023-05-25-b8d63b13.txt); "
            "keep the file's name, or put it beside its datapackage.json\n",
        ),
        (["events.csv", "--version", "9.9.9"], "Error: no release 9.9.9 in the history of HEAD (releases: 1.0.0)\n"),
        (["events.csv"], "Error: cannot tell which release the file belongs to: pass --version X\n"),
    ],
)
def test_usage_errors_exit_2_with_one_message(
    released: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    download(released, tmp_path)
    (tmp_path / "downloads/stray.csv").write_text("a,b\n1,2\n")
    monkeypatch.chdir(tmp_path / "downloads")
    code, out, err = invoke("verify", *args, "--package", str(released))
    assert (code, out, err) == (2, "", message)


def test_a_file_whose_release_recorded_no_sha256_is_checked_for_content_and_says_so(
    released: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with zipfile.ZipFile(released / "dist" / f"{NAME}-1.0.0.zip") as archive:
        archive.extractall(tmp_path / "x")
    descriptor_path = tmp_path / "x/datapackage.json"
    descriptor = json.loads(descriptor_path.read_text())
    del descriptor["resources"][3]["hash"]
    descriptor_path.write_text(json.dumps(descriptor))
    monkeypatch.chdir(tmp_path)
    result = verify_download(tmp_path / "x/data/events.csv")
    assert result.valid and result.rows == {"events": len(read_rows(tmp_path / "x", "events")[1])}
    assert f"{tmp_path / 'x/data/events.csv'}: release 1.0.0 recorded no sha256 for it; its content was checked" in (
        result.notes
    )


def _zip(path: Path, members: list[tuple[str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return path


def _tar(path: Path, members: list[tuple[str, bytes]]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize(
    "make, message",
    [
        (
            lambda p: _zip(p / "bomb.zip", [("datapackage.json", b"\0" * 5000)]),
            "members add up to 5,000 bytes uncompressed, more than the 4,096 a release may have (a zip bomb?); "
            "nothing was extracted",
        ),
        (
            lambda p: _zip(p / "many.zip", [(f"f{i}", b"") for i in range(1001)]),
            "1,001 members, more than the 1,000 a release may have; nothing was extracted",
        ),
        (
            lambda p: _zip(p / "deep.zip", [("d/" * 17 + "x", b"x")]),
            f"member {'d/' * 17 + 'x'!r} is more than 16 folders deep; nothing was extracted",
        ),
        (
            lambda p: _zip(p / "twice.zip", [("datapackage.json", b"{}"), ("datapackage.json", b"[]")]),
            "member 'datapackage.json' is in the archive twice; nothing was extracted",
        ),
        (
            lambda p: _tar(p / "twice.tar.gz", [("datapackage.json", b"{}"), ("./datapackage.json", b"[]")]),
            "member './datapackage.json' is in the archive twice; nothing was extracted",
        ),
    ],
    ids=["zip-bomb", "many-members", "deep-folders", "duplicate-zip", "duplicate-tar"],
)
@pytest.mark.filterwarnings("ignore:Duplicate name")  # zipfile warns when writing the duplicate: that is the point
def test_an_archive_no_release_could_be_is_refused_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: Callable[[Path], Path], message: str
) -> None:
    monkeypatch.setattr("timeline.download.archive.MAX_TOTAL_BYTES", 4096)
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", None)
    bad = make(tmp_path)
    result = verify_download(bad)
    assert [(f.type, f.message) for f in result.findings] == [("archive-unsafe-member", message)]
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_fifo_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "events.csv"
    os.mkfifo(fifo)
    code, out, err = invoke("verify", str(fifo))
    assert (code, out, err) == (
        2,
        "",
        f"Error: {fifo}: not a regular file; pass a downloaded resource file (e.g. events.csv) or archive\n",
    )


def test_a_schema_the_archive_points_outside_itself_is_never_read(tmp_path: Path) -> None:
    outside = tmp_path / "secret.json"
    outside.write_text('{"fields": [{"name": "a", "type": "integer"}]}')
    descriptor = {
        "name": "x",
        "version": "1.0.0",
        "resources": [{"name": "t", "path": "t.csv", "schema": "../secret.json"}],
    }
    bad = _tar(tmp_path / "bad.tar.gz", [("datapackage.json", json.dumps(descriptor).encode()), ("t.csv", b"a\n1\n")])
    code, out, err = invoke("verify", str(bad))
    assert (code, out) == (2, "")
    assert err == (
        "Error: the archive's own datapackage.json and SHA256SUMS: ../secret.json: contains '..'; "
        "keep resources inside the package folder; not opened\n"
    )


def test_an_oversized_datapackage_json_in_an_archive_is_a_finding(tmp_path: Path) -> None:
    bad = _tar(tmp_path / "big.tar.gz", [("datapackage.json", b" " * (4 * 1024 * 1024) + b"{}")])
    result = verify_download(bad)
    assert [(f.type, f.file, f.message) for f in result.findings] == [
        (
            "archive-unreadable",
            "datapackage.json",
            "4,194,306 bytes, more than the 4,194,304 this kind of file may have; not read",
        )
    ]


def test_changed_rows_reads_a_download_only_as_far_as_its_first_changes() -> None:
    download = io.BytesIO(b"id,v\n1,b\n" + b"".join(b"%d,x\n" % i for i in range(2, 1_000_000)))
    changes = changed_rows(b"id,v\n1,a\n", download, ["id"])
    assert [(c.row, c.key, c.detail) for c in changes] == [
        (2, "id=1", "v: 'a' -> 'b'"),
        (3, "id=2", "row added"),
        (4, "id=3", "row added"),
        (5, "id=4", "row added"),
        (6, "id=5", "row added"),
        (7, "…", "and more rows differ after this one"),
    ]
    assert download.tell() < 1 << 16  # of about 7 MB: a huge download is never read whole


def test_a_changed_cell_is_shown_clipped(released: Path, tmp_path: Path) -> None:
    file = download(released, tmp_path)
    text = file.read_text(encoding="utf-8")
    quote = '"The article does not say where or by whom the statement was made beyond ""Moscow""."'
    assert text.count(quote) == 1
    file.write_text(text.replace(quote, "y" * 5000), encoding="utf-8")
    result = verify_download(file, "1.0.0", released)
    changed = [f.message for f in result.findings if f.type == "row-changed"]
    assert len(changed) == 1 and changed[0].endswith(f" -> {'y' * 200!r}… (5,000 characters)")


def test_without_git_the_note_says_what_verify_can_do_not_what_diff_can(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "x.tar.gz"
    with tarfile.open(archive, "w:gz") as bundle:
        for name in ("datapackage.json", "SHA256SUMS"):
            data = b'{"name": "x", "version": "1.0.0", "resources": []}' if name == "datapackage.json" else b""
            info = tarfile.TarInfo(name)
            info.size = len(data)
            bundle.addfile(info, io.BytesIO(data))
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "datapackage.json").write_text("{}")
    monkeypatch.chdir(tmp_path)
    result = verify_download(archive, None, package)
    assert result.valid
    assert result.notes[0].startswith(f"no git history of release 1.0.0 here ({package} is not in a git repository); ")
