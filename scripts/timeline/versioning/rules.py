"""The bump rules: what each kind of change requires of the version number, in one table.

The rules are the Data Package Version recipe's (RECIPE_URL), line by line. Each
rule quotes, verbatim, the recipe line(s) it implements, and every reason
`timeline diff` and `timeline release` give ends with that quote. Where the project
deliberately differs from the recipe, the rule says so in ``deviation`` (and the
README's "Releases" section says the same). The README's bump table is generated
from BUMPS (tools/docs.py) and a table-driven test produces every kind.
"""

from __future__ import annotations

from dataclasses import dataclass

RECIPE_URL = "https://datapackage.org/recipes/data-package-version/"
# The recipe's text, quoted verbatim from frictionlessdata/datapackage,
# content/docs/recipes/data-package-version.md ("MAJOR version when you make incompatible changes, e.g.").
NAME_OR_IDENTIFIER = "Change the data package, resource or field `name` or `identifier`"
FIELDS = "Add, remove or re-order fields"
TYPE_OR_FORMAT = "Change a field `type` or `format`"
MORE_RESTRICTIVE = "Change a field `constraint` to be more restrictive"
REFERENCED_DATA = "Combine, split, delete or change the meaning of data that is referenced by another data resource"
# "MINOR version when you add data or change metadata in a backwards-compatible manner, e.g."
NEW_RESOURCE = "Add a new data resource to a data package"
NEW_DATA = "Add new data to an existing data resource"
LESS_RESTRICTIVE = "Change a field `constraint` to be less restrictive"
UPDATED_REFERENCE = "Update a reference to another data resource"
REFLECT_REFERENCED = "Change data to reflect changes in referenced data"
# "PATCH version when you make backwards-compatible fixes, e.g."
CORRECT_ERRORS = "Correct errors in existing data"
DESCRIPTIVE = "Change descriptive metadata properties"
# "Scenarios"
APPEND_ROWS = "You append last months data to an existing release. Increment the MINOR version number"
APPEND_COLUMN = "You append a column to the data. Increment the MAJOR version number"
RELOCATE = "You relocate the data to a new `URL` or `path`. No change in the version number"
RETITLE = "You change a `title`, `description`, or other descriptive metadata. Increment the PATCH version"
FIX_VALUE = "You fix a data entry error by modifying a value. Increment the PATCH version"
SPLIT_ROW = "You split a row of data in a foreign key reference table. Increment the MAJOR version number"
NEW_REFERENCE_VERSION = (
    "You update the data and schema to refer to a new version of a foreign key reference table. "
    "Increment the MINOR version number"
)


@dataclass(frozen=True)
class Rule:
    bump: str  # none | patch | minor | major
    what: str  # the change, in words (the README's bump table)
    recipe: tuple[str, ...] = ()  # the recipe's lines this rule implements, verbatim
    deviation: str = ""  # where and why the project departs from (or goes beyond) the recipe

    def cite(self) -> str:
        """The rule's source, as every reason ends: the recipe's words, then any project rule."""
        parts = []
        if self.recipe:
            parts.append("recipe: " + "; ".join(f'"{line}"' for line in self.recipe))
        if self.deviation:
            parts.append(f"project rule: {self.deviation}")
        return "; ".join(parts)


REFERENCED_IDS = "any row, referenced or not: event ids are cited outside the package"

BUMPS: dict[str, Rule] = {
    # resources and rows
    "resource-added": Rule("minor", "a resource added", (NEW_RESOURCE,)),
    "resource-removed": Rule(
        "major",
        "a resource removed",
        (REFERENCED_DATA,),
        "any resource, referenced or not: users' code reads resources by name",
    ),
    "resource-renamed": Rule("major", "a resource renamed (same path, new name)", (NAME_OR_IDENTIFIER,)),
    "path-changed": Rule("none", "a resource's file moved to a new path", (RELOCATE,)),
    "resource-documentation-changed": Rule(
        "patch", "a resource's title or description changed", (DESCRIPTIVE, RETITLE)
    ),
    "rows-added": Rule("minor", "rows added", (NEW_DATA, APPEND_ROWS)),
    "rows-removed": Rule(
        "major",
        "rows removed (a row split = one id removed, new ids added)",
        (REFERENCED_DATA, SPLIT_ROW),
        REFERENCED_IDS,
    ),
    "rows-changed": Rule(
        "patch",
        "values corrected in existing rows",
        (CORRECT_ERRORS, FIX_VALUE),
        f'a diff cannot tell a correction from "{REFLECT_REFERENCED}" (MINOR): pass --bump minor for that',
    ),
    "file-changed": Rule("patch", "a non-tabular file's content corrected", (CORRECT_ERRORS,)),
    # Table Schemas
    "field-added": Rule("major", "a field (column) added", (FIELDS, APPEND_COLUMN)),
    "field-removed": Rule("major", "a field removed", (FIELDS,)),
    "field-renamed": Rule("major", "a field renamed", (NAME_OR_IDENTIFIER,)),
    "fields-reordered": Rule("major", "fields re-ordered", (FIELDS,)),
    "field-retyped": Rule("major", "a field's type or format changed", (TYPE_OR_FORMAT,)),
    "constraint-tightened": Rule(
        "major",
        "a constraint added or tightened: required, unique, enum values removed, a higher minimum / minLength, "
        "a lower maximum / maxLength, a pattern added",
        (MORE_RESTRICTIVE,),
    ),
    "pattern-changed": Rule(
        "major",
        "a field's pattern replaced by another",
        (MORE_RESTRICTIVE,),
        "counted as more restrictive: whether a new pattern accepts every old value cannot be decided",
    ),
    "constraint-loosened": Rule(
        "minor",
        "a constraint removed or loosened: not required, not unique, enum values added, a lower minimum / "
        "minLength, a higher maximum / maxLength, a pattern removed",
        (LESS_RESTRICTIVE,),
    ),
    "field-documentation-changed": Rule(
        "patch", "a field's title, description, categories, example or rdfType changed", (DESCRIPTIVE,)
    ),
    "primary-key-changed": Rule(
        "major",
        "the primary key changed",
        (MORE_RESTRICTIVE,),
        "also a key removed or widened (less restrictive): rows are addressed by their key (event_id)",
    ),
    "foreign-key-added": Rule("major", "a foreign key added (values must now exist elsewhere)", (MORE_RESTRICTIVE,)),
    "foreign-key-removed": Rule("minor", "a foreign key removed", (LESS_RESTRICTIVE,)),
    "foreign-key-reference-changed": Rule(
        "minor",
        "a foreign key's fields kept, its reference updated",
        (UPDATED_REFERENCE, NEW_REFERENCE_VERSION),
    ),
    "missing-values-changed": Rule(
        "major",
        "missingValues changed",
        (),
        'not in the recipe; the same cell now reads as a different value (e.g. "NA" as empty), '
        "a change of meaning like a type change",
    ),
    # package metadata
    "metadata-changed": Rule(
        "patch",
        "descriptive package metadata changed (title, description, keywords, sources, ...)",
        (DESCRIPTIVE, RETITLE),
    ),
    "package-renamed": Rule("major", "the package's name changed", (NAME_OR_IDENTIFIER,)),
    "identifier-changed": Rule("major", "the package's id (e.g. a DOI) changed", (NAME_OR_IDENTIFIER,)),
    "identifier-added": Rule(
        "patch",
        "an id (e.g. a concept DOI) set for the first time",
        (DESCRIPTIVE,),
        "a first identifier changes no reference anyone could hold",
    ),
    "license-changed": Rule(
        "major",
        "the licences changed (package or resource)",
        (),
        "not in the recipe; a licence says what users may do, so it is not descriptive metadata",
    ),
}

# Descriptor keys that are not metadata changes: resources are diffed one by one, and
# version and created change with every release.
NOT_METADATA = ("resources", "version", "created")
# Resource keys that only describe (a change is resource-documentation-changed).
RESOURCE_DESCRIPTIVE = ("title", "description")


def metadata_kind(key: str, old: object, new: object) -> str:
    """The kind of a change to package descriptor key KEY from OLD to NEW (both not None at once)."""
    if key == "licenses":
        return "license-changed"
    if key == "name":
        return "package-renamed"
    if key == "id":
        return "identifier-added" if old is None else "identifier-changed"
    return "metadata-changed"


def rule_for(kind: str) -> Rule:
    """The rule for a change of KIND; an unknown kind is a programming error."""
    return BUMPS[kind]


def bump_for(kind: str) -> str:
    return BUMPS[kind].bump


def reason(kind: str, text: str) -> str:
    """One reason line: the bump, what changed, and the recipe line (or project rule) behind the bump."""
    return f"{bump_for(kind)}: {text} ({rule_for(kind).cite()})"


def bump_rules_table() -> str:
    """The README's generated bump table: every kind, its bump, and the recipe line or project rule."""
    lines = ["| change | kind | bump | Data Package Version recipe | project rule |", "|---|---|---|---|---|"]
    for kind, rule in BUMPS.items():
        recipe = "<br>".join(f"“{line}”" for line in rule.recipe) or "—"
        lines.append(f"| {rule.what} | `{kind}` | **{rule.bump.upper()}** | {recipe} | {rule.deviation or '—'} |")
    return "\n".join(lines) + "\n"
