"""The view commands, `timeline site` and `timeline export`: registered on the `timeline` group by cli.py.

Same conventions as cli.py: options, one library call, render; --package/-p and --json
from cli_support; library modules imported inside each command.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli_support import emit, json_option, package_option
from .errors import EXIT_INVALID


@click.command()
@click.option(
    "--out", type=click.Path(file_okay=False), help="Output folder (default: dist/site; docs/ with --chart-only)."
)
@click.option("--version", "version", help="Release to show, read from git (default: the working tree).")
@click.option("--chart-only", is_flag=True, help="Write only the chart picture, timeline.svg and .png (the README's).")
@click.option("--check", is_flag=True, help="With --chart-only: write nothing; exit 1 if timeline.svg is stale.")
@package_option
@json_option
def site(
    out: str | None, version: str | None, chart_only: bool, check: bool, package: str | None, as_json: bool
) -> None:
    """Build the static timeline site (works offline, from file://), or only the chart picture.

    The package must validate. --chart-only --check compares the SVG text only.

    \b
    Example: timeline site && xdg-open dist/site/index.html
    """
    from .release.views import view_source
    from .site.build import build_chart, build_site, render_chart, render_site
    from .validation import problems

    if check and not chart_only:
        raise click.UsageError("--check goes with --chart-only")
    with view_source(package, version, problems) as view:
        if chart_only:
            result = build_chart(view, Path(out) if out else _package_root(package) / "docs", check)
            emit(result, as_json, render_chart)
            sys.exit(EXIT_INVALID if check and not result.svg_current else 0)
        emit(build_site(view, Path(out) if out else _package_root(package) / "dist" / "site"), as_json, render_site)


@click.command()
@click.argument("fmt", metavar="FORMAT", type=click.Choice(["sqlite", "geojson", "timelinejs"]))
@click.option("--out", type=click.Path(dir_okay=False), help="Output file (default: dist/exports-VERSION/NAME.EXT).")
@click.option("--version", "version", help="Release to export, read from git (default: the working tree).")
@package_option
@json_option
def export(fmt: str, out: str | None, version: str | None, package: str | None, as_json: bool) -> None:
    """Export the package as SQLite (for Datasette), GeoJSON or TimelineJS JSON.

    The package must validate. Same release, same bytes; every file carries
    the version and licence. sqlite also writes NAME.metadata.json for Datasette.

    \b
    Example: timeline export sqlite && datasette dist/exports-*/belgorod-raid-timeline.db
    """
    from .export import default_path, render_export, write_export
    from .release.views import view_source
    from .validation import problems

    with view_source(package, version, problems) as view:
        folder = _package_root(package) / "dist" / f"exports-{view.tables.version}"
        target = Path(out) if out else default_path(view.tables, fmt, folder)
        emit(write_export(view.tables, fmt, target, view.label), as_json, render_export)


def _package_root(package: str | None) -> Path:
    from .package import find_package

    return find_package(package).parent


def release_views(tree: Path, out_dir: Path, stem: str, epoch: int) -> list[Path]:
    """The site's views builder, for `timeline release` and `timeline build`, imported only when a
    release has views: Altair and vl-convert take a second to import, which other releases need not pay."""
    from .site.build import release_views as build_views

    return build_views(tree, out_dir, stem, epoch)
