"""Release archives open as a Data Package in the user's own tools; published releases rebuild byte for byte."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from conftest import DATE, REPO
from helpers import commit_all, git, invoke

NAME = "belgorod-raid-timeline"
FRICTIONLESS = str(Path(sys.executable).parent / "frictionless")
# sha256 of what `timeline build` gave for this repository's published releases, recorded before the
# root layout existed (2026-11-26, `timeline build --version X --out DIR` on main at ba2eae0).
PUBLISHED = {
    "1.0.0": {
        "zip": "3f0f336288b0358c5db34f65bbeef5d6eec4958765547b5ee6f067e2ecb6a456",
        "tar.gz": "6bfa3c73b07b4af7b2df0f4bca3d1168604815352936ca14dee2aa0b2d139c62",
        "json": "a9d329ec66e9a274d2ba0159906751aa98ac199cefb0cabd8a3b452d25b7ef26",
    },
    "1.0.1": {
        "zip": "591c7235caad2a199bb00aa4a2fc5eb33d8df791006f7f27d38ac83ec0e0792b",
        "tar.gz": "261ac9e5f4b5a1f7e50fff2fa965fe13e5f1d4a7a943db7ae2458e3acd3ce2ce",
        "json": "69d4dedb4edecdb8048d37660e989fcbcf11f25231f3c2436f474bb360dee422",
    },
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def frictionless_validate(target: str, cwd: Path) -> dict:
    """`frictionless validate --json TARGET`, exactly as a user types it in CWD."""
    result = subprocess.run([FRICTIONLESS, "validate", "--json", target], cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def declared_resources(descriptor_path: Path) -> list[tuple[str, str, str]]:
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    return [(r["name"], r["path"], r["hash"].removeprefix("sha256:")) for r in descriptor["resources"]]


@pytest.mark.parametrize("archive", ["zip", "tar.gz"])
def test_frictionless_checks_every_resource_of_a_fresh_release_archive(
    released: Path, tmp_path: Path, archive: str
) -> None:
    dist = released / "dist"
    stem = f"{NAME}-1.0.0"
    if archive == "zip":
        # frictionless opens the zip itself: datapackage.json must be at its root.
        report = frictionless_validate(f"{stem}.zip", cwd=dist)
    else:
        # tar.gz: frictionless cannot open it, so the user extracts it into a folder first.
        folder = tmp_path / "extracted"
        folder.mkdir()
        subprocess.run(["tar", "-xzf", str(dist / f"{stem}.tar.gz"), "-C", str(folder)], check=True)
        assert (folder / "datapackage.json").is_file() and (folder / "SHA256SUMS").is_file()
        report = frictionless_validate("datapackage.json", cwd=folder)
    # every declared resource was read and its bytes hashed (the sha256 frictionless computed is the declared one)
    checked = [(task["name"], task["place"], task["stats"]["sha256"]) for task in report["tasks"]]
    assert checked == declared_resources(released / "datapackage.json")
    assert report["valid"] and all(task["valid"] and not task["errors"] for task in report["tasks"])


def test_a_fresh_release_is_root_layout_and_says_so(released: Path) -> None:
    dist = released / "dist"
    manifest = json.loads((dist / f"{NAME}-1.0.0.json").read_text())
    assert manifest["layout"] == "root"
    with zipfile.ZipFile(dist / f"{NAME}-1.0.0.zip") as archive:
        zip_names = archive.namelist()
    with tarfile.open(dist / f"{NAME}-1.0.0.tar.gz") as archive:
        tar_names = archive.getnames()
    expected = sorted(f["path"] for f in manifest["files"]) + ["SHA256SUMS"]
    assert zip_names == tar_names == expected
    assert "datapackage.json" in zip_names and "data/events.csv" in zip_names


def test_sha256sum_checks_an_extracted_release(released: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(released / "dist" / f"{NAME}-1.0.0.zip") as archive:
        archive.extractall(tmp_path / "x")
    result = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path / "x", capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "data/events.csv: OK" in result.stdout.splitlines()


def without_layout(schema_text: str) -> str:
    """The manifest schema as it was before `layout` existed (what 1.0.0 and 1.0.1 were released with)."""
    schema = json.loads(schema_text)
    del schema["properties"]["layout"]
    return json.dumps(schema, indent=2) + "\n"


def test_a_release_made_before_layouts_stays_nested_and_rebuilds_byte_for_byte(git_repo: Path, tmp_path: Path) -> None:
    repo = git_repo
    schema_path = repo / "schemas/release-manifest.schema.json"
    current_schema = schema_path.read_text()
    schema_path.write_text(without_layout(current_schema))
    commit_all(repo, "Manifest schema of the nested era")
    assert invoke("release", "--package", str(repo), "--date", DATE)[0] == 0
    published = {p.name: p.read_bytes() for p in (repo / "dist").iterdir()}
    manifest = json.loads(published[f"{NAME}-1.0.0.json"])
    assert "layout" not in manifest
    with zipfile.ZipFile(repo / "dist" / f"{NAME}-1.0.0.zip") as archive:
        assert {n.split("/", 1)[0] for n in archive.namelist()} == {f"{NAME}-1.0.0"}

    schema_path.write_text(current_schema)  # the tool learns layouts; the next release is root
    commit_all(repo, "Manifest schema with layout")
    assert invoke("release", "--package", str(repo), "--date", "2026-12-01", "--bump", "patch")[0] == 0
    assert json.loads((repo / "dist" / f"{NAME}-1.0.1.json").read_text())["layout"] == "root"

    code, _, err = invoke("build", "--package", str(repo), "--version", "1.0.0", "--out", str(tmp_path / "again"))
    assert code == 0, err
    assert {p.name: p.read_bytes() for p in (tmp_path / "again").iterdir()} == published


def test_this_repositorys_published_releases_rebuild_to_their_recorded_sha256(tmp_path: Path) -> None:
    shallow = git(REPO, "rev-parse", "--is-shallow-repository").strip() == "true"
    if shallow and not os.environ.get("CI"):
        pytest.skip("a shallow clone lacks the 1.0.0 and 1.0.1 release commits; `git fetch --unshallow` first")
    for version, expected in PUBLISHED.items():
        out = tmp_path / version
        code, _, err = invoke("build", "--package", str(REPO), "--version", version, "--out", str(out))
        assert code == 0, err
        built = {p.name.removeprefix(f"{NAME}-{version}."): sha256(p) for p in out.iterdir()}
        assert built == expected, version
