"""The library's exceptions.

Invalid *data* is never an exception: it is a finding in a :class:`~timeline.report.Report`.
These are for situations where a command cannot do its job at all (a missing
package, a dirty git tree, a refused release). The CLI turns each into one
message on stderr and exit code 2.
"""

from __future__ import annotations


class TimelineError(Exception):
    """Base class: the command cannot proceed. ``str(error)`` is the whole message."""

    exit_code = 2


class PackageNotFoundError(TimelineError):
    """No datapackage.json where one was asked for or expected."""


class UnsafePathError(TimelineError):
    """A path points outside the package (absolute, ``..``, or a symlink out)."""


class GitError(TimelineError):
    """git is missing, failed, or the repository is not in the required state."""


class ReleaseError(TimelineError):
    """A release was refused: invalid package, dirty tree, bump too small, tag exists..."""


class RevisionError(TimelineError):
    """A version, git revision or directory given to diff/cite cannot be resolved."""
