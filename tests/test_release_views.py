"""A release publishes its views (the site, zipped, and the exports) beside its archives; `timeline build` too."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from conftest import DATE, _unreleased_repo
from helpers import invoke

STEM = "belgorod-raid-timeline-1.0.0"
PUBLISHED = [f"{STEM}-exports.zip", f"{STEM}-site.zip", f"{STEM}.json", f"{STEM}.tar.gz", f"{STEM}.zip"]


def test_release_adds_site_and_exports_to_dist_and_manifest_and_build_remakes_them(
    tmp_path: Path, git_home: Path
) -> None:
    repo = _unreleased_repo(tmp_path / "repo", views=True)
    code, out, err = invoke("release", "--package", str(repo), "--date", DATE)
    assert code == 0, out + err
    dist = repo / "dist"
    assert sorted(p.name for p in dist.iterdir()) == PUBLISHED
    manifest = json.loads((dist / f"{STEM}.json").read_text(encoding="utf-8"))
    assert [v["file"] for v in manifest["views"]] == [f"{STEM}-site.zip", f"{STEM}-exports.zip"]
    with zipfile.ZipFile(dist / f"{STEM}-site.zip") as site:
        index = site.read("index.html").decode("utf-8")
        assert '<meta name="dataset-version" content="1.0.0">' in index
        assert "(Version 1.0.0) [Data set]" in index  # the citation of the release's own CITATION.cff
        assert "exports/belgorod-raid-timeline.db" in site.namelist()
    with zipfile.ZipFile(dist / f"{STEM}-exports.zip") as exports:
        assert sorted(exports.namelist()) == [
            "belgorod-raid-timeline.db",
            "belgorod-raid-timeline.geojson",
            "belgorod-raid-timeline.metadata.json",
            "belgorod-raid-timeline.timelinejs.json",
        ]
    published = {name: (dist / name).read_bytes() for name in PUBLISHED}
    code, out, err = invoke("build", "--package", str(repo), "--version", "1.0.0", "--out", str(tmp_path / "again"))
    assert code == 0, out + err
    assert {name: (tmp_path / "again" / name).read_bytes() for name in PUBLISHED} == published
