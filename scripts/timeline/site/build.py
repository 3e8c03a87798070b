"""`timeline site`: the static site of one release (or the working tree), and the README picture.

The site is one folder: index.html (CSS and script inline, the chart as inline SVG),
the package's files and the three exports to download, the chart as timeline.svg and
its Vega-Lite spec. Nothing in it refers to the network, so it works from file://.
It is built in a temporary folder beside --out and moved into place, so a failure
leaves the old site (or nothing) behind, never half a site. Same release, same bytes.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..citation import citation_from, render_citation
from ..errors import OutputError
from ..export import FORMATS, default_path, write_export
from ..package.atomic import atomic_write_bytes, atomic_write_text
from ..package.hashing import file_sha256
from ..package.tables import read_tables
from ..release.archive import zip_folder
from ..release.views import ViewSource
from .chart import chart_summary, render_png, render_svg, timeline_spec
from .page import GENERATOR, Download, PageInput, render_page

PACKAGE_CONTENT = ("datapackage.json", "data", "schemas")
CHART_FILES = ("timeline.svg", "timeline.png")
DATASETTE_NOTE = "Datasette metadata: title, licence, source, every column's description"
EXPORT_NOTES = {
    "sqlite": "SQLite database (datasette belgorod-raid-timeline.db --metadata belgorod-raid-timeline.metadata.json)",
    "geojson": "GeoJSON (RFC 7946) of places and their events",
    "timelinejs": "Knight Lab TimelineJS 3 JSON",
}


@dataclass(frozen=True)
class SiteResult:
    out: str
    source: str
    version: str
    files: int
    bytes: int
    downloads: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ChartResult:
    folder: str
    source: str
    svg_current: bool  # docs/timeline.svg already held exactly this chart
    written: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _copy_package(root: Path, staging: Path) -> list[Path]:
    copied = []
    for entry in PACKAGE_CONTENT:
        source = root / entry
        files = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
        for path in files:
            target = staging / "package" / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            copied.append(target)
    return copied


def _download(staging: Path, path: Path, what: str) -> Download:
    sha256, size = file_sha256(path)
    return Download(path.relative_to(staging).as_posix(), what, sha256, size)


def _stage(view: ViewSource, staging: Path) -> list[Download]:
    tables = view.tables
    downloads = [_download(staging, p, "package file") for p in _copy_package(tables.root, staging)]
    for fmt in FORMATS:
        result = write_export(tables, fmt, default_path(tables, fmt, staging / "exports"), view.label)
        for exported in result.files:
            what = DATASETTE_NOTE if exported.path.endswith(".metadata.json") else EXPORT_NOTES[fmt]
            downloads.append(_download(staging, Path(exported.path), what))
    spec = timeline_spec(tables)
    svg = render_svg(spec)
    atomic_write_text(staging / "timeline.svg", svg)
    atomic_write_text(staging / "timeline.vl.json", json.dumps(spec, indent=2, ensure_ascii=False) + "\n")
    downloads += [
        _download(staging, staging / "timeline.svg", "the chart (SVG)"),
        _download(staging, staging / "timeline.vl.json", "the chart's Vega-Lite spec"),
    ]
    page = PageInput(
        tables,
        svg,
        chart_summary(tables),
        render_citation(view.citation, "text"),
        render_citation(view.citation, "bibtex"),
        downloads,
    )
    atomic_write_text(staging / "index.html", render_page(page))
    return downloads


def _is_our_site(folder: Path) -> bool:
    index = folder / "index.html"
    return index.is_file() and f'<meta name="generator" content="{GENERATOR}">' in index.read_text(
        encoding="utf-8", errors="replace"
    )


def build_site(view: ViewSource, out: Path) -> SiteResult:
    """Write the site of VIEW into OUT, replacing a site built there before (and nothing else)."""
    if out.exists() and not (out.is_dir() and (not any(out.iterdir()) or _is_our_site(out))):
        raise OutputError(f"{out} exists and is not a site made by `timeline site`; choose another --out")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        downloads = _stage(view, staging)
        for folder in sorted({p for p in staging.rglob("*") if p.is_dir()} | {staging}):
            os.chmod(folder, 0o755)  # mkdtemp's 0700 would hide the site from a web server
        if out.exists():
            shutil.rmtree(out)
        os.replace(staging, out)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    files = sorted(p for p in out.rglob("*") if p.is_file())
    return SiteResult(
        str(out),
        view.label,
        view.tables.version,
        len(files),
        sum(p.stat().st_size for p in files),
        [asdict(d) for d in downloads],
    )


def build_chart(view: ViewSource, folder: Path, check: bool) -> ChartResult:
    """The README picture: FOLDER/timeline.svg and .png from the site's spec.

    --check compares the SVG text only: PNG rasterisation differs across machines
    (font hinting, anti-aliasing), the SVG's text does not for the same fonts.
    """
    spec = timeline_spec(view.tables)
    svg = render_svg(spec)
    svg_path = folder / CHART_FILES[0]
    current = svg_path.is_file() and svg_path.read_text(encoding="utf-8") == svg
    written: list[str] = []
    if not check:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_text(svg_path, svg)
        atomic_write_bytes(folder / CHART_FILES[1], render_png(spec))
        written = [str(folder / name) for name in CHART_FILES]
    return ChartResult(str(folder), view.label, current, written)


def render_site(result: SiteResult) -> str:
    return (
        f"site of {result.source} (version {result.version}): {result.files} files, {result.bytes} bytes\n"
        f"open {Path(result.out) / 'index.html'}\n"
    )


def render_chart(result: ChartResult) -> str:
    if result.written:
        return "".join(f"wrote {p}\n" for p in result.written)
    if result.svg_current:
        return f"{Path(result.folder) / CHART_FILES[0]} is current ({result.source})\n"
    return f"{Path(result.folder) / CHART_FILES[0]} is stale: run `timeline site --chart-only`\n"


def release_views(tree: Path, out_dir: Path, stem: str, epoch: int) -> list[Path]:
    """The views of the release whose files are in TREE: STEM-site.zip and STEM-exports.zip in OUT_DIR.

    What `timeline release` and `timeline build` publish beside the archives (release.archive
    calls it inside `building_views`). Built from TREE alone, zipped with the archives'
    fixed metadata and EPOCH, so a rebuild gives the same bytes.
    """
    tables = read_tables(tree)
    cff = tree / "CITATION.cff"
    citation = citation_from(
        tables.descriptor, cff.read_text(encoding="utf-8") if cff.is_file() else "", tables.version, ""
    )
    with tempfile.TemporaryDirectory(prefix=".views-", dir=out_dir) as temp:
        site = Path(temp) / "site"
        build_site(ViewSource(tables.version, tables, citation), site)
        return [
            zip_folder(site, out_dir / f"{stem}-site.zip", epoch),
            zip_folder(site / "exports", out_dir / f"{stem}-exports.zip", epoch),
        ]
