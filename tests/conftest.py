"""Shared fixtures: every test that changes data works on a copy of the real package."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE_FILES = ["datapackage.json", "CHANGELOG.md", "CITATION.cff", ".zenodo.json"]
PACKAGE_DIRS = ["data", "schemas"]


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
