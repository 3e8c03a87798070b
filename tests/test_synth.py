"""The synthetic package generator behind the benchmark, and the benchmark's table."""

from __future__ import annotations

from pathlib import Path

from bench import render_scaling, render_table
from synth import generate, mutate

from timeline.validation import validate_package
from timeline.versioning import diff_packages


def test_generated_package_validates_and_is_deterministic(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", 600)
    second = generate(tmp_path / "b", 600)
    report = validate_package(first)
    assert report.valid, report.findings[:3]
    assert report.stats["rows"]["events"] == 600
    assert (first / "data/events.csv").read_bytes() == (second / "data/events.csv").read_bytes()


def test_mutated_copy_differs_by_the_requested_fraction(tmp_path: Path) -> None:
    old = generate(tmp_path / "old", 3000)
    new = mutate(old, tmp_path / "new", 0.03)
    assert validate_package(new).valid
    diff = diff_packages(old, new)
    events = next(r for r in diff.resources if r.name == "events")
    assert (len(events.rows_added), len(events.rows_removed), len(events.rows_changed)) == (30, 30, 30)
    assert all(list(c.changes) == ["summary"] for c in events.rows_changed)
    assert diff.required_bump == "major"


def test_benchmark_tables_render_ratios_and_growth() -> None:
    rows = [
        {
            "size": 10,
            "command": "frictionless validate",
            "wall": 1.0,
            "peak_mib": 50.0,
            "baseline": "frictionless validate",
            "time_ratio": 1.0,
            "memory_ratio": 1.0,
        },
        {
            "size": 10,
            "command": "timeline validate",
            "wall": 1.2,
            "peak_mib": 55.0,
            "baseline": "frictionless validate",
            "time_ratio": 1.2,
            "memory_ratio": 1.1,
        },
        {
            "size": 100,
            "command": "frictionless validate",
            "wall": 10.0,
            "peak_mib": 60.0,
            "baseline": "frictionless validate",
            "time_ratio": 1.0,
            "memory_ratio": 1.0,
        },
        {
            "size": 100,
            "command": "timeline validate",
            "wall": 11.0,
            "peak_mib": 66.0,
            "baseline": "frictionless validate",
            "time_ratio": 1.1,
            "memory_ratio": 1.1,
        },
    ]
    table = render_table(rows).splitlines()
    assert table[3] == "| 10 | timeline validate | 1.20 | 1.10 | 1.20 | 55 | frictionless validate |"
    assert render_scaling(rows).splitlines()[2:] == [
        "| frictionless validate | 10.0× |",
        "| timeline validate | 9.2× |",
    ]
