"""The library's exceptions: one hierarchy, each class with the exit code the CLI gives it.

Invalid *data* is never an exception: it is a finding in a
:class:`~timeline.validation.report.Report` (exit 1). These are for situations where a
command cannot do its job at all (a missing package, a dirty git tree, a refused
release). The CLI turns each into one message on stderr and its ``exit_code``, in
one place (``timeline.cli``), never a traceback.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_INVALID = 1  # invalid data, or a stale file under --check
EXIT_TOOL_ERROR = 2  # usage or tool error


class TimelineError(Exception):
    """Base class: the command cannot proceed. ``str(error)`` is the whole message."""

    exit_code = EXIT_TOOL_ERROR


class PackageNotFoundError(TimelineError):
    """No datapackage.json where one was asked for or expected."""


class DescriptorError(TimelineError):
    """datapackage.json is not a JSON object; the message says where and why."""


class UnsafePathError(TimelineError):
    """A path points outside the package (absolute, ``..``, or a symlink out)."""


class PackageFileError(TimelineError):
    """A file the tool was asked to read cannot be read safely; nothing was opened that should not be.

    ``problem`` says why, as one of :data:`FILE_PROBLEMS`; ``relative`` is the file as the package
    names it. Validation turns these into findings; other commands report them (exit 2).
    """

    def __init__(self, relative: str, problem: str, message: str) -> None:
        super().__init__(f"{relative}: {message}")
        self.relative = relative
        self.problem = problem
        self.detail = message


# Why a package file was refused: it leaves the package, is absent, is not a regular file, is larger
# than its cap (these four before it is opened); or its content is not UTF-8, not valid syntax, or
# beyond the parser's limits (nesting depth, integer digits, YAML aliases).
FILE_PROBLEMS = ("outside", "missing", "not-regular", "too-large", "not-utf8", "syntax", "limit")


class TableReadError(TimelineError):
    """A table cannot be read as the project writes it (diff, release): the message names snapshot, file and line."""


class GitError(TimelineError):
    """git is missing, failed, or the repository is not in the required state."""


class ReleaseError(TimelineError):
    """A release was refused: invalid package, dirty tree, bump too small, tag exists..."""


class ReleaseRefusedError(ReleaseError):
    """A release the plan's blockers forbid: the same exit code as ``release --dry-run`` gives them."""

    exit_code = EXIT_INVALID


class RevisionError(TimelineError):
    """A version, git revision or directory given to diff/cite/build cannot be resolved."""


class DownloadError(TimelineError):
    """A downloaded file cannot be matched to a release: no such file, no such resource, no version to check."""


class InvalidPackageError(TimelineError):
    """A view (site, export) of a package that does not validate: fix the data first."""

    exit_code = EXIT_INVALID


class OutputError(TimelineError):
    """An output folder that is not ours to replace."""
