"""A hostile or corrupt release journal or lock: one clear error, never a traceback, never a write anywhere.

The journal's paths and object ids go to git and to files in the work tree, so read_journal
refuses any journal no release could have written, before anything acts on it.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from helpers import git, invoke, snapshot
from release_helpers import TIMELINE
from timeline.release.lock import LOCK_NAME

UNREADABLE = "{journal} (the journal of an interrupted release) is unreadable: {why}. It is written atomically, so "
UNREADABLE += "something else changed it: read it, then remove it"


def _journal(repo: Path, **changes: object) -> str:
    journal: dict[str, object] = {
        "version": "1.0.0",
        "tag": "v1.0.0",
        "branch": git(repo, "symbolic-ref", "HEAD").strip(),
        "old": None,
        "commit": git(repo, "rev-parse", "HEAD").strip(),  # "published": the branch is at this commit
        "tag_object": git(repo, "rev-parse", "refs/tags/v1.0.0").strip(),
        "date": "2026-11-25",
        "files": ["datapackage.json"],
        "diff_manifest": {},
    }
    return json.dumps({**journal, **changes})


CASES = [
    ("files-outside", {"files": ["../outside.txt"]}, "file '../outside.txt' is not a path inside the package"),
    ("files-absolute", {"files": ["/tmp/outside.txt"]}, "file '/tmp/outside.txt' is not a path inside the package"),
    ("files-in-git-dir", {"files": [".git/config"]}, "file '.git/config' is not a path inside the package"),
    ("files-a-string", {"files": "datapackage.json"}, "files is not a list of paths"),
    ("version-a-number", {"version": 1}, "a field has the wrong type"),
    ("manifest-a-list", {"diff_manifest": []}, "a field has the wrong type"),
    ("commit-not-an-id", {"commit": "HEAD~1"}, "commit, tag_object or old is not a git object id"),
    ("tag-a-path", {"tag": "../../x"}, "branch 'refs/heads/main' or tag '../../x' is not one a release makes"),
    ("branch-not-a-branch", {"branch": "HEAD"}, "branch 'HEAD' or tag 'v1.0.0' is not one a release makes"),
]


@pytest.mark.parametrize("changes, why", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_journal_no_release_wrote_is_refused_before_anything_acts_on_it(
    released: Path, changes: dict[str, object], why: str
) -> None:
    git(released, "branch", "-M", "main")
    journal = released / ".git/timeline-release.json"
    journal.write_text(_journal(released, **changes))
    before = snapshot(released.parent)
    code, out, err = invoke("release", "--package", str(released), "--date", "2026-12-01")
    assert (code, out, err) == (2, "", "Error: " + UNREADABLE.format(journal=journal, why=why) + "\n")
    assert snapshot(released.parent) == before


@pytest.mark.parametrize(
    "text, why",
    [
        ("\xff not json", "Expecting value: line 1 column 1 (char 0)"),
        ("[1, 2]", "timeline.release.journal.Journal() argument after ** must be a mapping, not list"),
        ("[" * 100_000, "maximum recursion depth exceeded while decoding a JSON array from a unicode string"),
    ],
    ids=["garbage", "a-list", "deep-nesting"],
)
def test_a_garbled_journal_is_one_clear_error(released: Path, text: str, why: str) -> None:
    journal = released / ".git/timeline-release.json"
    journal.write_text(text)
    code, out, err = invoke("release", "--package", str(released), "--date", "2026-12-01")
    assert (code, out, err) == (2, "", "Error: " + UNREADABLE.format(journal=journal, why=why) + "\n")


def test_a_journal_naming_a_file_its_release_lacks_is_not_finished(released: Path) -> None:
    journal = released / ".git/timeline-release.json"
    journal.write_text(_journal(released, files=["nowhere.txt"]))
    commit = git(released, "rev-parse", "HEAD").strip()
    before = snapshot(released.parent)
    code, out, err = invoke("release", "--package", str(released), "--date", "2026-12-01")
    assert (code, out) == (2, "")
    assert err == (
        f"Error: release 1.0.0 is published but finishing it failed: the journal of release 1.0.0 names "
        f"nowhere.txt, which its commit {commit[:12]} does not have; remove {journal}. Fix the cause and run "
        "`timeline release` again to finish it\n"
    )
    assert snapshot(released.parent) == before


def test_a_lock_file_that_is_a_fifo_is_one_clear_error_not_a_hang(released: Path) -> None:
    lock = released / ".git" / LOCK_NAME
    os.mkfifo(lock)
    run = subprocess.run(
        [*TIMELINE, "build", "--package", str(released)], capture_output=True, text=True, timeout=30
    )  # opening a FIFO to read it waits for a writer: without the check this never returns
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == (
        f"Error: the release lock {lock} is a FIFO (named pipe), not a file a release makes; nothing was changed. "
        "Remove it, then run the command again\n"
    )
