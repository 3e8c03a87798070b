"""What every command shares: the error-to-exit-code mapping, the option decorators, JSON output.

The one place where library exceptions become exit codes (pypa/build's pattern):
``TimelineError`` subclasses carry their own ``exit_code``; anything else is a bug,
reported in one line, never a traceback (``TIMELINE_DEBUG=1`` shows it).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any, TypeVar

import click

from .errors import EXIT_INVALID, EXIT_TOOL_ERROR, TimelineError

F = TypeVar("F", bound=Callable[..., Any])


class ToolError(click.ClickException):
    """A one-line message on stderr and exit 2 (usage or tool error)."""

    exit_code = EXIT_TOOL_ERROR


class RefusedError(ToolError):
    """A one-line message on stderr and exit 1 (e.g. a refused release, as --dry-run reports it)."""

    exit_code = EXIT_INVALID


def _as_click_error(error: TimelineError) -> ToolError:
    return RefusedError(str(error)) if error.exit_code == EXIT_INVALID else ToolError(str(error))


class TimelineGroup(click.Group):
    """Turns library exceptions into one message and their exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TimelineError as error:
            raise _as_click_error(error) from None
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


def package_option(command: F) -> F:
    """``--package/-p PATH``: the same on every command that acts on a package."""
    return click.option(
        "--package",
        "-p",
        "package",
        type=click.Path(),
        help="Package folder or its datapackage.json (default: found from the current folder upwards).",
    )(command)


def json_option(command: F) -> F:
    """``--json``: print the same result object the human output renders, as JSON."""
    return click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")(command)


def emit(result: Any, as_json: bool, render: Callable[[Any], str]) -> None:
    """Print RESULT as JSON (its ``to_dict()``) or as text (``render(result)``)."""
    if as_json:
        data = result.to_dict() if hasattr(result, "to_dict") else result
        click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(render(result), nl=False)


class ProgressBar:
    """Feeds click's progress bar (stderr, terminals only) from the validation callback."""

    def __init__(self, bar: Any) -> None:
        self.bar = bar
        self.seen: dict[str, int] = {}

    def __call__(self, resource: str, bytes_read: int, rows: int) -> None:
        delta = bytes_read - self.seen.get(resource, 0)
        self.seen[resource] = bytes_read
        if delta > 0:
            self.bar.update(delta)
