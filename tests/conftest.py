"""Shared fixtures: every test that changes data works on a copy of the real package.

Release tests share two template repositories, built once per session (a package
before its first release, and the same after releasing 1.0.0); each test gets its
own copy, so a test may change anything without slowing the others down.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from attack_helpers import NetworkRecorder
from helpers import commit_all, git, invoke

REPO = Path(__file__).resolve().parent.parent
PACKAGE_FILES = ["datapackage.json", "CHANGELOG.md", "CITATION.cff", ".zenodo.json"]
PACKAGE_DIRS = ["data", "schemas"]
DATE = "2026-11-25"
CHANGELOG = "# Changelog\n\n## [Unreleased]\n\n### Added\n- The first coding of the article.\n"
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def copy_package(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in PACKAGE_FILES:
        if (REPO / name).exists():
            shutil.copy2(REPO / name, target / name)
    for name in PACKAGE_DIRS:
        shutil.copytree(REPO / name, target / name)
    return target


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the real package in tmp_path, safe to mutate."""
    return copy_package(tmp_path / "pkg")


@pytest.fixture(scope="session")
def git_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A HOME with no git config, and a fixed identity, for every test that runs git."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        for key, value in {**GIT_IDENTITY, "HOME": str(home)}.items():
            patch.setenv(key, value)
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        yield home


def _unreleased_repo(root: Path, views: bool = False) -> Path:
    """The package before its first release, committed in a new repository at ROOT.

    Without VIEWS its manifest schema does not declare `views`, so releases made from it
    publish the archives only, as 1.0.0 and 1.0.1 did: building the site and the exports
    takes seconds, which the many release tests need not spend (tests/test_release_views.py does).
    """
    copy_package(root)
    if not views:
        schema_path = root / "schemas/release-manifest.schema.json"
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        schema["properties"].pop("views", None)
        schema_path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for name in ("CITATION.cff", ".zenodo.json"):
        (root / name).unlink(missing_ok=True)
    for name in ("README.md", "LICENSE", "LICENSE-DATA.md", ".gitignore", ".gitattributes"):
        shutil.copy2(REPO / name, root / name)
    (root / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["version"] = "0.1.0"
    text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
    (root / "datapackage.json").write_text(text, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "Package before its first release")
    return root


@pytest.fixture(scope="session")
def unreleased_template(tmp_path_factory: pytest.TempPathFactory, git_home: Path) -> Path:
    return _unreleased_repo(tmp_path_factory.mktemp("templates") / "unreleased")


@pytest.fixture(scope="session")
def released_template(tmp_path_factory: pytest.TempPathFactory, unreleased_template: Path) -> Path:
    root = tmp_path_factory.mktemp("templates") / "released"
    shutil.copytree(unreleased_template, root, symlinks=True)
    code, out, err = invoke("release", "--package", str(root), "--date", DATE)
    assert code == 0, out + err
    return root


@pytest.fixture(name="git_repo")
def git_repo_fixture(tmp_path: Path, unreleased_template: Path) -> Path:
    """A git repository holding the package before its first release (version 0.1.0): a private copy."""
    return Path(shutil.copytree(unreleased_template, tmp_path / "repo", symlinks=True))


@pytest.fixture
def released(tmp_path: Path, released_template: Path) -> Path:
    """The same repository after `timeline release` made 1.0.0 (commit, tag, dist/): a private copy."""
    return Path(shutil.copytree(released_template, tmp_path / "repo", symlinks=True))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of a copy of the real package, built once per test session (it takes seconds)."""
    from click.testing import CliRunner

    from timeline.cli import cli

    package = copy_package(tmp_path_factory.mktemp("site-package") / "pkg")
    out = package.parent / "site"
    result = CliRunner().invoke(cli, ["site", "--package", str(package), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def network() -> Iterator[NetworkRecorder]:
    """A local listening socket that records every connection: the tool must never make one."""
    recorder = NetworkRecorder()
    yield recorder
    recorder.close()
