"""Deterministic synthetic packages with the real schemas, at any size, for benchmarks.

``python tools/synth.py OUT --events 1000000`` writes a complete package that
validates: sources with archived texts, actors, places and events whose quotes
and offsets point into those texts and whose dates respect every row rule.
``--mutate-from DIR --fraction 0.01`` writes a copy of DIR in which that
fraction of event rows is changed, removed or added (a third each), for diffs.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
import random
import shutil
from pathlib import Path

import click

from timeline.package import DESCRIPTOR
from timeline.stamp import stamp_package

REPO_ROOT = Path(__file__).resolve().parents[1]  # a clone: the schemas and real package live here
EVENTS_PER_SOURCE = 10_000
SENTENCES_PER_TEXT = 200
BASE_DAY = datetime.date(2023, 1, 1)

EVENT_HEADER = [
    "event_id",
    "kind",
    "event_type",
    "summary",
    "date_start",
    "date_end",
    "date_precision",
    "date_text",
    "date_basis",
    "place_id",
    "actor1_id",
    "actor2_id",
    "attributed_to",
    "claim_status",
    "about_event_id",
    "fatalities",
    "source_id",
    "quote",
    "quote_start",
    "quote_end",
    "notes",
    "date_edtf",
    "date_text_start",
    "date_text_end",
]
OCCURRENCES = ["cross-border-raid", "drone-attack", "interception", "fire", "media-event"]
STATEMENTS = ["threat", "assertion", "accusation", "investigation", "position-statement"]
ACTOR_TYPES = ["person", "armed-group", "military", "government", "media", "public", "unidentified"]
WORDS = (
    "forces officials said drones region border attack statement military ministry reported city "
    "defence raid night week spokesperson agency group claimed denied capital strikes"
).split()


DATE_TEXT = "on Wednesday"  # every sentence carries these dating words once


def _sentence(rng: random.Random, index: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
    return f"Sentence {index} {DATE_TEXT}: " + " ".join(words) + "."


def _write_csv(path: Path, header: list[str], rows) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _scaffold(out: Path) -> dict:
    """Copy the real schemas and descriptor (without its per-source text resources)."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO_ROOT / "schemas", out / "schemas", dirs_exist_ok=True)
    (out / "data" / "sources").mkdir(parents=True, exist_ok=True)
    descriptor = json.loads((REPO_ROOT / DESCRIPTOR).read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r.get("type") == "table"]
    (out / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n", encoding="utf-8")
    return descriptor


def generate(out: Path, events: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    descriptor = _scaffold(out)
    n_sources = max(1, -(-events // EVENTS_PER_SOURCE))
    source_rows, texts = [], []
    for s in range(n_sources):
        source_id = f"synth-{s:06d}"
        sentences = [_sentence(rng, i) for i in range(SENTENCES_PER_TEXT)]
        text = " ".join(sentences)
        offsets, position = [], 0
        for sentence in sentences:
            offsets.append((position, sentence))
            position += len(sentence) + 1
        path = f"data/sources/{source_id}.txt"
        (out / path).write_text(text, encoding="utf-8")

        published = BASE_DAY + datetime.timedelta(days=200 + s % 100)
        source_rows.append(
            [
                source_id,
                "Synthetic Press",
                published.isoformat(),
                "",
                "",
                "en",
                path,
                hashlib.sha256(text.encode()).hexdigest(),
                str(len(text)),
                "synthetic",
            ]
        )
        texts.append((source_id, published, offsets))
        descriptor["resources"].append(
            {
                "name": f"source-text-{source_id}",
                "path": path,
                "format": "txt",
                "mediatype": "text/plain",
                "encoding": "utf-8",
            }
        )
    _write_csv(
        out / "data/sources.csv",
        [
            "source_id",
            "publisher",
            "published",
            "title",
            "url",
            "language",
            "text_path",
            "text_sha256",
            "text_chars",
            "notes",
        ],
        source_rows,
    )
    n_actors, n_places = 500, 300
    _write_csv(
        out / "data/actors.csv",
        ["actor_id", "name", "actor_type", "country", "description"],
        (
            [f"actor-{a:05d}", f"Actor {a}", ACTOR_TYPES[a % len(ACTOR_TYPES)], "UKR" if a % 2 else "RUS", "synthetic"]
            for a in range(n_actors)
        ),
    )
    _write_csv(
        out / "data/places.csv",
        ["place_id", "name", "admin1", "country", "latitude", "longitude", "geo_precision", "notes"],
        (
            [f"place-{p:05d}", f"Place {p}", "", "UKR", f"{45 + p % 10}.5", f"{30 + p % 10}.25", "city", ""]
            for p in range(n_places)
        ),
    )
    _write_csv(out / "data/events.csv", EVENT_HEADER, (_event_row(rng, i, texts) for i in range(events)))
    (out / DESCRIPTOR).write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    stamp_package(out)
    return out


def _event_row(rng: random.Random, index: int, texts: list) -> list[str]:
    source_id, published, offsets = texts[index // EVENTS_PER_SOURCE]
    start, sentence = offsets[rng.randrange(len(offsets))]
    statement = index % 3 == 2
    end_day = published - datetime.timedelta(days=rng.randint(0, 30))
    start_day = end_day - datetime.timedelta(days=rng.randint(0, 3))
    precision = "day" if start_day == end_day else "range"
    edtf = start_day.isoformat() if precision == "day" else f"{start_day.isoformat()}/{end_day.isoformat()}"
    actor = f"actor-{rng.randrange(500):05d}"
    event_type = rng.choice(STATEMENTS if statement else OCCURRENCES)
    # ACLED Battles need two sides: the events schema requires actor2 for a cross-border raid
    actor2 = f"actor-{(int(actor[6:]) + 1) % 500:05d}" if event_type == "cross-border-raid" else ""
    date_text_start = start + sentence.index(DATE_TEXT)
    return [
        f"ev-{index + 1:07d}",
        "statement" if statement else "occurrence",
        event_type,
        f"Synthetic event {index + 1}: {rng.choice(WORDS)} {rng.choice(WORDS)}.",
        start_day.isoformat(),
        end_day.isoformat(),
        precision,
        DATE_TEXT,
        f"published {published.isoformat()}; synthetic",
        f"place-{rng.randrange(300):05d}",
        actor,
        actor2,
        actor,
        "claimed" if statement else "reported",
        f"ev-{index:07d}" if statement else "",
        "" if rng.random() < 0.9 else str(rng.randint(0, 20)),
        source_id,
        sentence,
        str(start),
        str(start + len(sentence)),
        "",
        edtf,
        str(date_text_start),
        str(date_text_start + len(DATE_TEXT)),
    ]


def mutate(source: Path, out: Path, fraction: float, seed: int = 2) -> Path:
    """Copy SOURCE to OUT, then change, remove and add FRACTION of the event rows (a third each)."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(source, out)
    events_path = out / "data/events.csv"
    with open(source / "data/events.csv", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    total = len(rows)
    step = max(1, round(3 / fraction)) if fraction > 0 else total + 1
    referenced = {row[14] for row in rows if row[14]}
    kept, owed = [], 0
    for i, row in enumerate(rows):
        phase = i % step
        if phase == 0:
            row = list(row)
            row[3] = row[3].rstrip(".") + " (corrected)."
        else:
            owed += phase == 2
            if owed and row[0] not in referenced:
                owed -= 1
                continue  # removed: a row nothing refers to, so foreign keys still hold
        kept.append(row)
    added = max(0, round(total * fraction / 3))
    last = total
    for n in range(added):
        template = list(kept[rng.randrange(len(kept))])
        template[0] = f"ev-{last + n + 1:07d}"
        template[14] = ""
        template[1], template[2], template[13] = "occurrence", "fire", "reported"
        kept.append(template)
    _write_csv(events_path, header, kept)
    stamp_package(out)
    return out


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--events", type=int, default=10_000, show_default=True, help="Event rows to generate.")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--mutate-from", type=click.Path(path_type=Path), help="Write a mutated copy of this package instead.")
@click.option("--fraction", type=float, default=0.01, show_default=True, help="With --mutate-from: rows to change.")
def main(out: Path, events: int, seed: int, mutate_from: Path | None, fraction: float) -> None:
    """Write a synthetic package that validates (or a mutated copy of one).

    \b
    Example: python tools/synth.py bench-out/p --events 100000
    """
    if mutate_from:
        mutate(mutate_from, out, fraction, seed)
    else:
        generate(out, events, seed)
    click.echo(str(out))


if __name__ == "__main__":
    main()
