"""The bump rules: what each kind of change requires of the version number, in one table.

Every change the diff can find has a stable ``kind`` slug; this table is the only
place that says whether it is MAJOR, MINOR or PATCH. The README's "Releases" table
describes the same rules in words, and a table-driven test pins each row.

MAJOR: a change that can break a user's code or references: removing, renaming,
re-ordering or retyping a field; tightening a constraint; changing a key; removing a
resource or a row (other data may reference its id, e.g. an event_id).
MINOR: additions that old code still reads: rows, fields, resources; loosened constraints.
PATCH: corrected values and descriptive metadata.
"""

from __future__ import annotations

BUMPS: dict[str, str] = {
    # resources and rows
    "resource-added": "minor",
    "resource-removed": "major",
    "path-changed": "major",
    "rows-added": "minor",
    "rows-removed": "major",
    "rows-changed": "patch",
    "file-changed": "patch",
    # Table Schemas
    "field-added": "minor",
    "field-removed": "major",
    "field-renamed": "major",
    "fields-reordered": "major",
    "field-retyped": "major",
    "constraint-tightened": "major",
    "constraint-loosened": "minor",
    "field-documentation-changed": "patch",
    "primary-key-changed": "major",
    "foreign-key-added": "major",
    "foreign-key-removed": "minor",
    "missing-values-changed": "major",
    # package metadata
    "metadata-changed": "patch",
    "license-changed": "major",
}

# Descriptor keys that are not metadata changes: resources are diffed one by one, and
# version and created change with every release.
NOT_METADATA = ("resources", "version", "created")
# Descriptor keys whose change alters what users may do with the data.
MAJOR_METADATA = {"licenses": "license-changed"}


def bump_for(kind: str) -> str:
    """The bump a change of KIND requires; an unknown kind is a programming error."""
    return BUMPS[kind]
