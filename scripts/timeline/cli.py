"""The ``timeline`` command line: parse options, call one library function, render its result.

Exit codes: 0 success / valid, 1 invalid data (or a stale file under --check),
2 usage or tool error. Results go to stdout, diagnostics to stderr.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import click

from . import __version__
from .errors import TimelineError

# Library modules are imported inside each command: `timeline stamp` should not
# pay for importing frictionless, and `--help` should be instant.
CITATION_FORMATS = ("text", "bibtex", "ris", "csl-json", "cff")

EXIT_INVALID = 1
EXIT_TOOL_ERROR = 2
PROGRESS_MIN_BYTES = 5_000_000  # smaller packages validate before a bar would be worth drawing


class ToolError(click.ClickException):
    exit_code = EXIT_TOOL_ERROR


class TimelineGroup(click.Group):
    """Turns library exceptions into one message and exit 2, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TimelineError as error:
            raise ToolError(str(error)) from None
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            raise ToolError("interrupted; nothing was written") from None
        except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
            if os.environ.get("TIMELINE_DEBUG"):
                raise
            raise ToolError(
                f"internal error: {type(error).__name__}: {error} "
                "(set TIMELINE_DEBUG=1 for the traceback, and please report it)"
            ) from None


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@click.group(cls=TimelineGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="timeline")
def cli() -> None:
    """Validate, stamp, diff, release and cite the belgorod-raid-timeline Data Package.

    \b
    Exit codes: 0 valid/success, 1 invalid data, 2 usage or tool error.
    Example: timeline validate
    """


class _ProgressBar:
    """Feeds click's progress bar (stderr, terminals only) from the validation callback."""

    def __init__(self, bar: Any) -> None:
        self.bar = bar
        self.seen: dict[str, int] = {}

    def __call__(self, resource: str, bytes_read: int, rows: int) -> None:
        delta = bytes_read - self.seen.get(resource, 0)
        self.seen[resource] = bytes_read
        if delta > 0:
            self.bar.update(delta)


@cli.command()
@click.argument("path", required=False, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
def validate(path: str | None, as_json: bool) -> None:
    """Check the package: frictionless, JSON Schema, row rules, provenance, safety.

    PATH is a package folder or its datapackage.json (default: found from the
    current folder upwards). Exit 0 valid, 1 invalid, 2 usage or tool error.

    \b
    Example: timeline validate --json > report.json
    """
    from .package import declared_bytes
    from .render import render_report
    from .validate import validate_package

    total = declared_bytes(path)
    if not as_json and total >= PROGRESS_MIN_BYTES and sys.stderr.isatty():
        with click.progressbar(length=total, label="validating", file=sys.stderr) as bar:
            report = validate_package(path, progress=_ProgressBar(bar))
    else:
        report = validate_package(path)
    if as_json:
        emit_json(report.to_dict())
    else:
        click.echo(render_report(report), nl=False)
    sys.exit(0 if report.valid else EXIT_INVALID)


@cli.command()
@click.argument("path", required=False, type=click.Path())
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any hash or size is stale.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def stamp(path: str | None, check: bool, as_json: bool) -> None:
    """Recompute every resource's hash and bytes after a data edit.

    Rewrites datapackage.json atomically, keeping key order and formatting;
    when everything is current it writes nothing and says so.

    \b
    Example: timeline stamp && git diff datapackage.json
    """
    from .render import render_stamp
    from .stamp import stamp_package

    result = stamp_package(path, dry_run=check)
    if as_json:
        emit_json(result.to_dict())
    else:
        click.echo(render_stamp(result), nl=False)
    sys.exit(EXIT_INVALID if check and result.changes else 0)


@cli.command()
@click.argument("source_id")
@click.argument("quote")
@click.option("--package", "path", type=click.Path(), help="Package folder (default: found from here).")
@click.option("--json", "as_json", is_flag=True, help="Print the location as JSON.")
def locate(source_id: str, quote: str, path: str | None, as_json: bool) -> None:
    """Print the offsets of a verbatim QUOTE in a source text, for quote_start/quote_end.

    \b
    Example: timeline locate guardian-2023-05-25-b8d63b13 "Russia has denied a fire"
    """
    from .provenance import locate_quote

    location = locate_quote(path, source_id, quote)
    if as_json:
        emit_json(location.__dict__)
        return
    note = "" if location.occurrences == 1 else f" (first of {location.occurrences} occurrences)"
    click.echo(f"quote_start={location.quote_start} quote_end={location.quote_end}{note}")


@cli.command()
@click.argument("path", required=False, type=click.Path())
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if data/README.md is out of date.")
def codebook(path: str | None, check: bool) -> None:
    """Regenerate the codebook (data/README.md) from the Table Schemas.

    \b
    Example: timeline codebook --check
    """
    from .atomic import atomic_write_text
    from .codebook import codebook_status

    target, text, current = codebook_status(path)
    if current:
        click.echo(f"{target}: up to date")
        return
    if check:
        click.echo(f"{target}: out of date; run `timeline codebook`", err=True)
        sys.exit(EXIT_INVALID)
    atomic_write_text(target, text)
    click.echo(f"{target}: written")


@cli.command()
@click.argument("old", required=False)
@click.argument("new", required=False)
@click.option("--package", "path", type=click.Path(), help="Package folder (default: found from here).")
@click.option("--json", "as_json", is_flag=True, help="Print the diff as one JSON object.")
def diff(old: str | None, new: str | None, path: str | None, as_json: bool) -> None:
    """Show what changed between two versions, and the version bump it requires.

    OLD and NEW are release versions (1.0.0), git revisions (HEAD~1) or package
    folders. Default: the latest release against the working tree. Rows are
    matched on the primary key; changed rows are shown field by field.

    \b
    Example: timeline diff 1.0.0 --json
    """
    from .diffcmd import diff_revisions
    from .render import render_diff

    result = diff_revisions(path, old, new)
    if as_json:
        emit_json(result.to_dict())
    else:
        click.echo(render_diff(result), nl=False)


@cli.command()
@click.option(
    "--bump",
    type=click.Choice(["major", "minor", "patch"]),
    help="Version bump (default: the one the data diff requires; a smaller one is refused).",
)
@click.option("--date", help="Release date, YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else today in UTC).")
@click.option("--dry-run", is_flag=True, help="Print the plan and change nothing.")
@click.option("--package", "path", type=click.Path(), help="Package folder (default: found from here).")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
def release(bump: str | None, date: str | None, dry_run: bool, path: str | None, as_json: bool) -> None:
    """Make a release: version, CITATION.cff, .zenodo.json, changelog, commit, tag, archives.

    Refuses unless `timeline validate` passes, the git tree is clean, and the
    bump is at least what the data diff requires. Atomic: on any failure
    nothing is left changed. Archives go to dist/.

    \b
    Example: timeline release --dry-run
    """
    from .release import apply_release, plan_release
    from .render import render_plan

    plan = plan_release(path, bump=bump, date=date)
    if dry_run:
        if as_json:
            emit_json(plan.to_dict())
        else:
            click.echo(render_plan(plan), nl=False)
        sys.exit(EXIT_INVALID if plan.blockers else 0)
    published = apply_release(plan)
    if as_json:
        emit_json({**plan.to_dict(), "published": [str(p) for p in published]})
    else:
        click.echo(render_plan(plan, done=True), nl=False)
        for item in published:
            click.echo(f"wrote {item}")


@cli.command()
@click.option("--version", "version", help="Release to rebuild (default: the latest).")
@click.option("--package", "path", type=click.Path(), help="Package folder (default: found from here).")
@click.option("--out", type=click.Path(file_okay=False), help="Output folder (default: dist/).")
def build(version: str | None, path: str | None, out: str | None) -> None:
    """Rebuild a release's archives from git history, byte for byte.

    \b
    Example: timeline build --version 1.0.0 && sha256sum dist/*
    """
    from pathlib import Path

    from .release import rebuild_release

    built = rebuild_release(path, version, Path(out) if out else None)
    for item in (built.zip_path, built.tar_path, built.manifest_path):
        click.echo(f"wrote {item}")


@cli.command()
@click.option("--version", "version", help="Release to cite (default: the latest).")
@click.option(
    "--format", "style", type=click.Choice(CITATION_FORMATS), default="text", show_default=True, help="Citation format."
)
@click.option("--package", "path", type=click.Path(), help="Package folder (default: found from here).")
def cite(version: str | None, style: str, path: str | None) -> None:
    """Print the citation of a release, read from that release's own files.

    \b
    Example: timeline cite --version 1.0.0 --format bibtex
    """
    from .cite import release_citation, render_citation
    from .package import find_package

    citation = release_citation(find_package(path).parent, version)
    click.echo(render_citation(citation, style), nl=False)


def main() -> None:  # console-script entry point
    cli()
