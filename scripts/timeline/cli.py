"""The ``timeline`` command line: parse options, call one library function, render its result.

Exit codes: 0 success / valid, 1 invalid data (a stale file under --check, a refused
release), 2 usage or tool error. Results go to stdout, diagnostics to stderr. Library
modules are imported inside each command: `timeline stamp` should not pay for
importing frictionless, and `--help` should be instant.
"""

from __future__ import annotations

import sys

import click

from . import __version__
from .cli_support import ProgressBar, TimelineGroup, emit, json_option, package_option
from .cli_views import export, release_views, site
from .errors import EXIT_INVALID

CITATION_FORMATS = ("text", "bibtex", "ris", "csl-json", "cff")
PROGRESS_MIN_BYTES = 5_000_000  # smaller packages validate before a bar would be worth drawing


@click.group(cls=TimelineGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="timeline")
def cli() -> None:
    """Validate, stamp, diff, release and cite the belgorod-raid-timeline Data Package.

    \b
    Exit codes: 0 valid/success, 1 invalid data, 2 usage or tool error.
    Example: timeline validate
    """


@cli.command()
@package_option
@json_option
@click.option(
    "--engine",
    type=click.Choice(["auto", "fast", "reference"]),
    default="auto",
    show_default=True,
    help="fast: columnar, same verdict as frictionless (defers to it on anything unusual); "
    "reference: frictionless's own row pass; auto: fast for tables of 1 MB or more.",
)
def validate(package: str | None, as_json: bool, engine: str) -> None:
    """Check the package: frictionless, JSON Schema, row rules, provenance, safety.

    Exit 0 valid, 1 invalid, 2 usage or tool error.

    \b
    Example: timeline validate --json > report.json
    Example: timeline validate --engine reference
    """
    from .package.descriptor import declared_bytes
    from .validation import validate_package
    from .validation.render import render_report

    total = declared_bytes(package)
    if not as_json and total >= PROGRESS_MIN_BYTES and sys.stderr.isatty():
        with click.progressbar(length=total, label="validating", file=sys.stderr) as bar:
            report = validate_package(package, progress=ProgressBar(bar), engine=engine)
    else:
        report = validate_package(package, engine=engine)
    emit(report, as_json, render_report)
    sys.exit(0 if report.valid else EXIT_INVALID)


@cli.command()
@package_option
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any hash or size is stale.")
@json_option
def stamp(package: str | None, check: bool, as_json: bool) -> None:
    """Recompute every resource's hash and bytes after a data edit.

    Rewrites datapackage.json atomically, keeping key order and formatting;
    when everything is current it writes nothing and says so.

    \b
    Example: timeline stamp && git diff datapackage.json
    """
    from .stamp import render_stamp, stamp_package

    result = stamp_package(package, dry_run=check)
    emit(result, as_json, render_stamp)
    sys.exit(EXIT_INVALID if check and result.changes else 0)


@cli.command()
@click.argument("source_id")
@click.argument("quote")
@click.option("--all", "list_all", is_flag=True, help="List every occurrence with some context.")
@click.option(
    "--near",
    type=click.IntRange(min=0),
    metavar="OFFSET",
    help="Choose the occurrence nearest OFFSET (e.g. the row's quote_start) instead of the first.",
)
@package_option
@json_option
def locate(source_id: str, quote: str, list_all: bool, near: int | None, package: str | None, as_json: bool) -> None:
    """Print the offsets of a verbatim QUOTE in a source text, for quote_start/quote_end
    or date_text_start/date_text_end.

    \b
    Example: timeline locate guardian-2023-05-25-b8d63b13 "Russia has denied a fire"
    Example: timeline locate guardian-2023-05-25-b8d63b13 "on Wednesday" --all --near 1140
    """
    from .locate import locate_quote, render_location

    emit(locate_quote(package, source_id, quote, near=near, list_all=list_all), as_json, render_location)


@cli.command()
@package_option
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if data/README.md is out of date.")
@json_option
def codebook(package: str | None, check: bool, as_json: bool) -> None:
    """Regenerate the codebook (data/README.md) from the Table Schemas.

    \b
    Example: timeline codebook --check
    """
    from .codebook import render_codebook_result, update_codebook

    result = update_codebook(package, check=check)
    emit(result, as_json, render_codebook_result)
    sys.exit(EXIT_INVALID if check and not result.current else 0)


@cli.command()
@click.argument("old", required=False)
@click.argument("new", required=False)
@package_option
@json_option
def diff(old: str | None, new: str | None, package: str | None, as_json: bool) -> None:
    """Show what changed between two versions, and the version bump it requires.

    OLD and NEW are release versions (1.0.0), git revisions (HEAD~1), package
    folders or datapackage.json paths (two folders work from anywhere).
    Default: the latest release against the working tree. Rows are matched on
    the primary key; changed rows are shown field by field.

    \b
    Example: timeline diff 1.0.0 --json
    """
    from .release.revisions import diff_revisions
    from .versioning.render import render_diff

    emit(diff_revisions(package, old, new), as_json, render_diff)


@cli.command()
@click.option(
    "--bump",
    type=click.Choice(["major", "minor", "patch"]),
    help="Version bump (default: the one the data diff requires; a smaller one is refused).",
)
@click.option("--date", help="Release date, YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else today in UTC).")
@click.option("--dry-run", is_flag=True, help="Print the plan and change nothing.")
@package_option
@json_option
def release(bump: str | None, date: str | None, dry_run: bool, package: str | None, as_json: bool) -> None:
    """Make a release: version, CITATION.cff, .zenodo.json, changelog, commit, tag, archives, site, exports.

    Refuses (exit 1, with and without --dry-run) unless `timeline validate`
    passes, the git tree is clean, HEAD is on a branch with full history, and
    the bump is at least what the data diff requires; also while another
    release runs. Atomic: one ref transaction publishes the commit and the tag;
    before it nothing changes. A release interrupted after it (kill -9) is
    finished by the next `timeline release`. Archives go to dist/.

    \b
    Example: timeline release --dry-run
    """
    from .release.apply import run_release
    from .release.archive import building_views
    from .release.render import render_outcome
    from .validation import problems

    with building_views(release_views):  # the site and the exports go beside the archives
        outcome = run_release(package, problems, bump=bump, date=date, dry_run=dry_run)
    emit(outcome, as_json, render_outcome)
    if outcome.plan and outcome.plan.blockers:
        sys.exit(EXIT_INVALID)


@cli.command()
@click.option("--version", "version", help="Release to rebuild (default: the latest).")
@package_option
@click.option("--out", type=click.Path(file_okay=False), help="Output folder (default: dist/).")
@json_option
def build(version: str | None, package: str | None, out: str | None, as_json: bool) -> None:
    """Rebuild a release's archives from git history, byte for byte.

    Finishes an interrupted release first. Refuses (exit 1) a shallow clone.

    \b
    Example: timeline build --version 1.0.0 && sha256sum dist/*
    """
    from pathlib import Path

    from .release.archive import building_views
    from .release.build import rebuild_release
    from .release.finish import finish_interrupted
    from .release.render import render_built, render_recovery

    with building_views(release_views):
        recovery = finish_interrupted(package)
        if recovery is not None:
            click.echo(render_recovery(recovery), nl=False, err=True)
        built = rebuild_release(package, version, Path(out) if out else None)
    emit(built, as_json, render_built)


@cli.command()
@click.option("--version", "version", help="Release to cite (default: the latest).")
@click.option(
    "--format", "style", type=click.Choice(CITATION_FORMATS), default="text", show_default=True, help="Citation format."
)
@package_option
@json_option
def cite(version: str | None, style: str, package: str | None, as_json: bool) -> None:
    """Print the citation of a release, read from that release's own files.

    --json prints the citation's fields (and the chosen format's text as "formatted").
    Once datapackage.json has a `homepage`, the text format is followed by the
    release's download URLs (also in --json as "downloads").

    \b
    Example: timeline cite --version 1.0.0 --format bibtex
    """
    from .citation import render_citation, render_downloads
    from .package import find_package
    from .release.cite import release_citation

    citation = release_citation(find_package(package).parent, version)
    formatted = render_citation(citation, style)
    shown = formatted + (render_downloads(citation) if style == "text" else "")
    emit({**citation.to_dict(), "format": style, "formatted": formatted}, as_json, lambda _: shown)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--version", "version", help="Release to check against (default: the datapackage.json beside FILE).")
@package_option
@json_option
def verify(file: str, version: str | None, package: str | None, as_json: bool) -> None:
    """Check a downloaded file or release archive against its release, offline.

    FILE is one resource file (e.g. events.csv) or a release .zip/.tar.gz. Its
    sha256 must be the one the release recorded (from git history, or the
    download's own datapackage.json and SHA256SUMS), and its rows must meet the
    Table Schema. Exit 0 verified, 1 rejected, 2 usage or tool error.

    \b
    Example: timeline verify data/events.csv --version 1.0.1
    """
    from .download import verify_download
    from .download.render import render_verify

    result = verify_download(file, version, package)
    emit(result, as_json, render_verify)
    sys.exit(0 if result.valid else EXIT_INVALID)


cli.add_command(site)
cli.add_command(export)


def main() -> None:  # console-script entry point
    cli()
