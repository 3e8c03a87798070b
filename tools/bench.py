"""Benchmark: timeline's commands against `frictionless validate` on the same synthetic packages.

    .venv/bin/python tools/bench.py                          # 10k, 100k and 1M events
    .venv/bin/python tools/bench.py --sizes 10000,100000     # quicker

For each size it generates a package (and a copy with 1% of event rows changed,
removed or added), then runs every command in a fresh process, one after the
other, measuring wall seconds and peak resident memory (the child's ru_maxrss).
Ratios are against `frictionless validate datapackage.json` on the same package
in the same run, so the machine's speed cancels out. Not a test: it asserts nothing.
"""

from __future__ import annotations

import json
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

import click
from synth import generate, mutate

from timeline.citation import citation_cff
from timeline.release.git import git
from timeline.stamp import stamp_package

# Runs one command and reports its wall time and peak memory; a fresh interpreter per
# measurement, so RUSAGE_CHILDREN holds that command alone.
MEASURE = """
import json, resource, subprocess, sys, time
cwd = sys.argv[1]
started = time.perf_counter()
done = subprocess.run(sys.argv[2:], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - started
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "peak_kib": peak_kib, "rc": done.returncode, "stderr": done.stderr.decode()[-500:]}))
"""


def measure(command: list[str], cwd: Path, expect_rc: int = 0) -> dict:
    output = subprocess.run(
        [sys.executable, "-c", MEASURE, str(cwd), *command], capture_output=True, text=True, check=True
    ).stdout
    result = json.loads(output)
    if result["rc"] != expect_rc:
        raise SystemExit(f"benchmark command failed ({result['rc']}): {' '.join(command)}\n{result['stderr']}")
    return result


def release_repo(old: Path, new: Path, target: Path) -> Path:
    """A git repo whose history holds OLD as release 1.0.0 and NEW's events as a later commit."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(old, target)
    descriptor_path = target / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    descriptor["version"] = "1.0.0"
    descriptor_path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (target / "CITATION.cff").write_text(citation_cff(descriptor, "1.0.0", "2026-11-25"), encoding="utf-8")
    changelog = target / "CHANGELOG.md"
    changelog.write_text("# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2026-11-25\n", encoding="utf-8")
    identity = ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, *identity, "commit", "-q", "-m", "Release 1.0.0")
    shutil.copy2(new / "data/events.csv", target / "data/events.csv")
    stamp_package(target)
    git(target, "add", "-A")
    git(target, *identity, "commit", "-q", "-m", "New events")
    return target


def package_files(root: Path) -> list[str]:
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    return [str(root / r["path"]) for r in descriptor["resources"]]


def run_size(size: int, work: Path) -> list[dict]:
    bin_dir = Path(sys.executable).parent
    frictionless, timeline = str(bin_dir / "frictionless"), str(bin_dir / "timeline")
    old, new = work / f"events-{size}", work / f"events-{size}-changed"
    for folder in (old, new):
        if folder.exists():
            shutil.rmtree(folder)
    generate(old, size)
    mutate(old, new, 0.01)
    repo = release_repo(old, new, work / f"events-{size}-repo")
    rows = []

    def add(name: str, result: dict, baseline: str = "frictionless validate") -> None:
        rows.append(
            {
                "size": size,
                "command": name,
                "wall": result["wall"],
                "peak_mib": result["peak_kib"] / 1024,
                "baseline": baseline,
            }
        )

    add("frictionless validate", measure([frictionless, "validate", "datapackage.json"], old))
    add("timeline validate", measure([timeline, "validate", "--package", str(old)], old))
    add(
        "timeline validate --engine reference",
        measure([timeline, "validate", "--engine", "reference", "--package", str(old)], old),
    )
    add("timeline diff (1% changed)", measure([timeline, "diff", str(old), str(new), "--package", str(new)], old))
    add("sha256sum (all files)", measure(["sha256sum", *package_files(old)], old), baseline="")
    add("timeline stamp", measure([timeline, "stamp", "--package", str(old)], old), baseline="sha256sum (all files)")
    add(
        "timeline release --dry-run",
        measure([timeline, "release", "--dry-run", "--package", str(repo), "--date", "2026-11-26"], repo),
    )
    for row in rows:
        base = next((r for r in rows if r["command"] == row["baseline"]), None)
        row["time_ratio"] = row["wall"] / base["wall"] if base else None
        row["memory_ratio"] = row["peak_mib"] / base["peak_mib"] if base else None
    for folder in (old, new, repo):
        shutil.rmtree(folder, ignore_errors=True)
    return rows


def run_existing(package: Path, repeat: int) -> list[dict]:
    """frictionless validate vs timeline validate (and stamp vs sha256sum) on an existing package; medians."""
    import statistics

    bin_dir = Path(sys.executable).parent
    frictionless, timeline = str(bin_dir / "frictionless"), str(bin_dir / "timeline")
    commands = [
        ("frictionless validate", [frictionless, "validate", "datapackage.json"], "frictionless validate"),
        ("timeline validate", [timeline, "validate", "--package", str(package)], "frictionless validate"),
        ("sha256sum (all files)", ["sha256sum", *package_files(package)], ""),
        ("timeline stamp", [timeline, "stamp", "--package", str(package)], "sha256sum (all files)"),
    ]
    rows = []
    for name, command, baseline in commands:
        runs = [measure(command, package) for _ in range(repeat)]
        rows.append(
            {
                "size": _event_count(package),
                "command": f"{name} (median of {repeat})",
                "wall": statistics.median(r["wall"] for r in runs),
                "peak_mib": statistics.median(r["peak_kib"] for r in runs) / 1024,
                "baseline": f"{baseline} (median of {repeat})" if baseline else "",
            }
        )
    for row in rows:
        base = next((r for r in rows if r["command"] == row["baseline"]), None)
        row["time_ratio"] = row["wall"] / base["wall"] if base else None
        row["memory_ratio"] = row["peak_mib"] / base["peak_mib"] if base else None
    return rows


def _event_count(package: Path) -> int:
    with open(package / "data/events.csv", encoding="utf-8") as handle:
        return sum(1 for _ in handle) - 1


def render_table(rows: list[dict]) -> str:
    lines = [
        "| events | command | time × baseline | memory × baseline | wall s | peak MiB | baseline |",
        "|---:|---|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        ratio = f"{r['time_ratio']:.2f}" if r["time_ratio"] is not None else "—"
        memory = f"{r['memory_ratio']:.2f}" if r["memory_ratio"] is not None else "—"
        lines.append(
            f"| {r['size']:,} | {r['command']} | {ratio} | {memory} | {r['wall']:.2f} | "
            f"{r['peak_mib']:.0f} | {r['baseline'] or '—'} |"
        )
    return "\n".join(lines) + "\n"


def render_scaling(rows: list[dict]) -> str:
    sizes = sorted({r["size"] for r in rows})
    if len(sizes) < 2:
        return ""
    commands = list(dict.fromkeys(r["command"] for r in rows))
    head = " | ".join(f"{a:,} → {b:,}" for a, b in zip(sizes, sizes[1:], strict=False))
    lines = [f"| command | time growth per step ({head}) |", "|---|---|"]
    for command in commands:
        walls = [next(r["wall"] for r in rows if r["size"] == s and r["command"] == command) for s in sizes]
        growth = ", ".join(f"{b / a:.1f}×" for a, b in zip(walls, walls[1:], strict=False))
        lines.append(f"| {command} | {growth} |")
    return "\n".join(lines) + "\n"


def _load() -> str:
    import os

    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def machine() -> str:
    import os

    memory = ""
    try:
        with open("/proc/meminfo") as handle:
            memory = f", {int(handle.readline().split()[1]) / 1024 / 1024:.0f} GiB RAM"
    except OSError:
        pass
    return (
        f"{platform.machine()}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--sizes", default="10000,100000,1000000", show_default=True, help="Comma-separated event counts.")
@click.option(
    "--work",
    type=click.Path(path_type=Path),
    default=Path("bench-out"),
    show_default=True,
    help="Scratch and results folder.",
)
@click.option("--package", type=click.Path(path_type=Path), help="Measure this existing package instead.")
@click.option("--repeat", type=int, default=5, show_default=True, help="Runs per command with --package (median).")
def main(sizes: str, work: Path, package: Path | None, repeat: int) -> None:
    """Time timeline's commands against `frictionless validate` on the same packages.

    \b
    Example: .venv/bin/python tools/bench.py --sizes 10000,100000
    """
    work = work.resolve()  # commands run with a package as their folder: paths must not be relative
    work.mkdir(parents=True, exist_ok=True)
    started = time.time()
    load_before = _load()
    rows: list[dict] = []
    if package:
        rows = run_existing(package.resolve(), repeat)
    for size in (int(s) for s in sizes.split(",")) if not package else ():
        click.echo(f"running {size:,} events ...", err=True)
        rows.extend(run_size(size, work))
    import frictionless

    header = (
        f"Machine: {machine()}; frictionless {frictionless.__version__}; "
        f"run {time.strftime('%Y-%m-%d', time.gmtime(started))}, {time.time() - started:.0f} s in all; "
        f"load average {load_before} before, {_load()} after (other work on the machine slows every row alike).\n"
    )
    report = header + "\n" + render_table(rows) + "\n" + render_scaling(rows)
    (work / "results.md").write_text(report, encoding="utf-8")
    (work / "results.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    click.echo(report)


if __name__ == "__main__":
    main()
