"""The registry of finding types: every kind of problem ``timeline validate`` can report, declared once.

A finding's ``type`` is a stable slug: scripts match on it, so a slug is never renamed
or reused. Each entry says what is wrong (``title``, which the README's "Finding types"
table is generated from) and how to fix it in general (``fix``; a check may give a more
precise one). Checks emit these entries, never bare strings. frictionless's own error
types pass through unchanged; ``FRICTIONLESS`` gives the ones we add a fix hint to.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FindingType:
    slug: str
    title: str  # what is wrong, in one line (README table)
    fix: str  # the default hint; a check may pass a more precise one


REGISTRY: dict[str, FindingType] = {}


def register(slug: str, title: str, fix: str) -> FindingType:
    if slug in REGISTRY:
        raise ValueError(f"finding type {slug!r} registered twice")
    entry = FindingType(slug, title, fix)
    REGISTRY[slug] = entry
    return entry


# --- the package and its files -------------------------------------------------------------------------------
INVALID_DESCRIPTOR = register(
    "invalid-descriptor",
    "`datapackage.json` is not a JSON object in valid UTF-8",
    "fix the JSON syntax (a JSON linter shows the spot), then validate again",
)
UNSAFE_PATH = register(
    "unsafe-path",
    "a path the package names (a resource, schema, dialect or text), or a file the tool reads "
    "(`CHANGELOG.md`, `CITATION.cff`, a profile…), is absolute, has `..`, is a URL, or resolves outside "
    "the package; it is never opened",
    "use a relative path inside the package folder, e.g. data/events.csv; replace a symlink by the file",
)
NOT_A_REGULAR_FILE = register(
    "not-a-regular-file",
    "a file the package names or the tool reads is a FIFO, device, socket or directory; it is not opened",
    "replace it with the regular file (restore it from git)",
)
FILE_TOO_LARGE = register(
    "file-too-large",
    "a metadata file, schema, profile, changelog or source text is larger than the tool reads "
    "(4 MiB; source texts 64 MiB)",
    "restore the file from git; these files are small",
)
NONSTANDARD_PROFILE = register(
    "nonstandard-profile",
    "a `profile` or `$schema` that is not a standard Data Package one: frictionless would fetch or open it; "
    "it never is",
    "remove it, or use the standard value the project writes "
    "(`$schema`: https://datapackage.org/profiles/2.0/datapackage.json)",
)
UNSUPPORTED_RESOURCE_DECLARATION = register(
    "unsupported-resource-declaration",
    "a resource is declared other than the project writes it (the four tables: `type` table, `format` csv, "
    "`encoding` utf-8, a `schema` file path, only the documented keys)",
    "declare the resource as the project does (see datapackage.json in git)",
)
UNSUPPORTED_DIALECT = register(
    "unsupported-dialect",
    "a table's `dialect` is not the one the project writes, inline (any other setting could hide or skip rows)",
    'write the dialect inline: {"delimiter": ",", "lineTerminator": "\\n", "quoteChar": "\\"", '
    '"doubleQuote": true, "header": true}',
)
RESOURCE_MISSING_FROM_PACKAGE = register(
    "resource-missing-from-package",
    "one of `sources`, `actors`, `places`, `events` is not declared",
    "add the resource back to datapackage.json",
)
RESOURCE_FILE_MISSING = register(
    "resource-file-missing",
    "a declared resource's file does not exist",
    "restore the file from git, or correct the resource's path",
)
METADATA_INVALID = register(
    "metadata-invalid",
    "`datapackage.json`, a Table Schema, `CITATION.cff` or `.zenodo.json` breaks its JSON Schema "
    "(field = JSON pointer)",
    "edit the file to meet its JSON Schema in schemas/",
)
PROFILE_MISSING = register(
    "profile-missing",
    "one of our JSON Schema profiles cannot be read",
    "restore the project's JSON Schema profiles from git",
)
PROFILE_VIOLATION = register(
    "profile-violation",
    "`datapackage.json` or a Table Schema breaks the official Data Package v2 profile it must meet "
    "(vendored in schemas/profiles/; field = JSON pointer)",
    "edit the file to meet the Data Package v2 standard (https://datapackage.org/standard/)",
)
PROFILE_UNREADABLE = register(
    "profile-unreadable",
    "one of our JSON Schema profiles is not UTF-8, not JSON, not a valid JSON Schema, or refers to "
    "another document (`$ref`), which is never fetched",
    "restore the project's JSON Schema profiles from git",
)
SCHEMA_UNREADABLE = register("schema-unreadable", "a Table Schema cannot be read", "restore the schema file from git")
CHECKED_FIELD_MISMATCH = register(
    "checked-field-mismatch",
    "a field the checks read is missing from its Table Schema or has another type or format "
    "(e.g. `quote_start` as string); the checks of that table stand aside",
    "restore the field's type in the Table Schema (see the codebook, data/README.md)",
)
PRIMARY_KEY_MISMATCH = register(
    "primary-key-mismatch",
    "a table's `primaryKey` is not the project's (`source_id`, `actor_id`, `place_id`, `event_id`)",
    "restore the primaryKey in the Table Schema",
)
VOCABULARY_MISMATCH = register(
    "vocabulary-mismatch",
    "a field's `constraints.enum` differs from its documented `categories`",
    "keep constraints.enum and categories in the same order with the same values",
)
CHANGELOG_MISSING = register(
    "changelog-missing", "no `CHANGELOG.md`", "add a Keep a Changelog file with an '## [Unreleased]' section"
)
CHANGELOG_VERSION_MISSING = register(
    "changelog-version-missing",
    "no `## [Unreleased]` / `## [version]` section in `CHANGELOG.md`",
    "add '## [Unreleased]' (or '## [version] - YYYY-MM-DD') above the older sections",
)
CHANGELOG_UNREADABLE = register(
    "changelog-unreadable",
    "`CHANGELOG.md` is not valid UTF-8",
    "save CHANGELOG.md as UTF-8 (restore it from git)",
)
CITATION_VERSION_MISMATCH = register(
    "citation-version-mismatch",
    "`CITATION.cff`'s version differs from `datapackage.json`'s",
    "make a release with `timeline release`, which writes both",
)
FRICTIONLESS_WARNING = register(
    "frictionless-warning",
    "frictionless warned (e.g. a hash algorithm it ignores): a failure here",
    "a warning here is a failure: resolve it",
)
VALIDATION_STOPPED = register(
    "validation-stopped",
    "frictionless failed on a malformed descriptor or Table Schema instead of reporting it; no table was checked",
    "correct what the other findings name (a Table Schema field that is not an object, ...), then validate again",
)
TABLE_EMPTY = register(
    "table-empty",
    "a table has a header and no rows",
    "restore the rows from git; every table of the package has at least one row",
)
# --- downloads (`timeline verify`) ------------------------------------------------------------------------
HASH_MISMATCH = register(
    "hash-mismatch",
    "a downloaded file's sha256 or size differs from its release's record (datapackage.json or SHA256SUMS)",
    "download the file again from the release; if it still differs, it is not that release's file",
)
ROW_CHANGED = register(
    "row-changed",
    "a row of a downloaded table differs from the release's own file (row number, key and fields named)",
    "download the file again; a local edit shows here row by row",
)
ARCHIVE_MEMBER_MISSING = register(
    "archive-member-missing",
    "a file the release lists (datapackage.json, SHA256SUMS) is not in the downloaded archive",
    "download the archive again: it is incomplete",
)
ARCHIVE_UNSAFE_MEMBER = register(
    "archive-unsafe-member",
    "an archive member's name is absolute, has `..` or a backslash, or is a link: nothing was extracted",
    "do not use this archive: no release archive has such members; download it again from the release",
)
ARCHIVE_UNREADABLE = register(
    "archive-unreadable",
    "the file is not a readable zip or tar.gz release archive, or has no datapackage.json",
    "download the archive again (a truncated download cannot be opened)",
)
VERSION_MISMATCH = register(
    "version-mismatch",
    "the downloaded package's datapackage.json names another version than the one asked for",
    "pass the version the download is of, or download the release you meant",
)
# --- CSV layout, canonical values and spreadsheet safety --------------------------------------------------
NON_CANONICAL_VALUE = register(
    "non-canonical-value",
    "a date, integer or number (year, datetime, boolean) cell that frictionless reads but is not written "
    "canonically (dates `YYYY-MM-DD`; integers and numbers without `+`, spaces, `_` or leading zeros)",
    "write the value canonically, e.g. 2023-05-24, 5, -3.25",
)
WHITESPACE_ONLY_CELL = register(
    "whitespace-only-cell",
    "a text cell holds only whitespace: it looks filled but says nothing",
    "empty the cell (empty means the source does not say), or fill it",
)
INVISIBLE_CHARACTER = register(
    "invisible-character",
    "a text cell holds a NUL, another control character, or an invisible one (zero-width, bidi control, "
    "soft hyphen, BOM, line or paragraph separator)",
    "delete the invisible character",
)
BYTE_ORDER_MARK = register(
    "byte-order-mark", "the CSV starts with a UTF-8 byte-order mark", "save the file as UTF-8 without BOM"
)
CRLF_LINE_ENDINGS = register(
    "crlf-line-endings",
    "the CSV has CR or CRLF line endings",
    "convert line endings to LF (e.g. `dos2unix FILE`), then run `timeline stamp`",
)
WRONG_DELIMITER = register("wrong-delimiter", "the CSV is not comma-separated", "save the file as comma-separated CSV")
FORMULA_INJECTION = register(
    "formula-injection",
    "a text cell starts with `=`, `+`, `-`, `@`, tab or CR, also after leading spaces or invisible characters",
    "reword the cell so it starts with a letter, digit or quotation mark",
)
URL_NOT_WEB = register(
    "url-not-web",
    "a cell of format uri is not an http(s) address (e.g. `javascript:` or `file:`), which a link would run or open",
    "use the document's http(s) address, or leave the cell empty where the archived copy has none",
)
CELL_TOO_LONG = register(
    "cell-too-long",
    "a text cell is longer than a spreadsheet cell holds (32,767 characters)",
    "shorten the cell; long material belongs in a source text, not a cell",
)
# --- provenance ------------------------------------------------------------------------------------------------
SOURCE_TEXT_MISSING = register(
    "source-text-missing",
    "an archived source text is absent",
    "restore the archived text from git or the release archive",
)
SOURCE_TEXT_NOT_UTF8 = register(
    "source-text-not-utf8", "an archived source text is not UTF-8", "restore the original UTF-8 text"
)
SOURCE_TEXT_HASH_MISMATCH = register(
    "source-text-hash-mismatch",
    "an archived source text differs from its recorded `text_sha256`",
    "restore the original text (archived texts are never edited); only for a deliberate new archive, "
    "update text_sha256",
)
SOURCE_TEXT_LENGTH_MISMATCH = register(
    "source-text-length-mismatch",
    "an archived source text differs from its recorded `text_chars`",
    "restore the original text; text_chars counts Unicode code points",
)
SOURCE_TEXT_SHARED = register(
    "source-text-shared",
    "two sources share one archived text (the same file, or the same bytes)",
    "each source has its own archived text; merge the duplicate sources or restore the right text",
)
QUOTE_MISMATCH = register(
    "quote-mismatch",
    "a quote is not the source text at `[quote_start:quote_end]`",
    "copy the passage verbatim from the source and set quote_start/quote_end to its offsets "
    "(`timeline locate` prints them)",
)
QUOTE_OFFSETS_OUT_OF_RANGE = register(
    "quote-offsets-out-of-range",
    "a quote's offsets leave the source text",
    "offsets are 0-based code points, end exclusive; recompute them with `timeline locate`",
)
DATE_TEXT_NOT_IN_SOURCE = register(
    "date-text-not-in-source",
    "`date_text` does not occur verbatim in the source",
    "quote the article's dating words verbatim",
)
# --- row rules -------------------------------------------------------------------------------------------------
DATE_ORDER = register("date-order", "`date_start` is after `date_end`", "swap the dates or correct the later one")
DATE_AFTER_PUBLICATION = register(
    "date-after-publication",
    "a date is after the source's publication",
    "dates come from the article alone: nothing it reports can be later than its publication date",
)
DATE_PRECISION_MISMATCH = register(
    "date-precision-mismatch",
    "the dates do not have the shape `date_precision` says",
    "change the dates or choose the precision the dates express",
)
KIND_TYPE_MISMATCH = register(
    "kind-type-mismatch",
    "`kind` disagrees with the documented kind of `event_type`",
    "set kind to the event_type's documented kind, or choose another event_type",
)
ABOUT_EVENT_REQUIRED = register(
    "about-event-required",
    "a statement whose type needs a target (denial, claim of responsibility, `about_kinds` in the codebook) "
    "without `about_event_id`",
    "set about_event_id to the event_id of the event it claims or denies",
)
ABOUT_EVENT_ON_OCCURRENCE = register(
    "about-event-on-occurrence",
    "`about_event_id` on an occurrence",
    "empty about_event_id and mention the related event in notes",
)
ABOUT_EVENT_SELF = register(
    "about-event-self", "`about_event_id` points at the row itself", "point about_event_id at another event"
)
ABOUT_EVENT_CYCLE = register(
    "about-event-cycle",
    "statements' `about_event_id` links form a cycle (A is about B, B is about A)",
    "point each statement at the event it is about; a chain of statements must end at an occurrence",
)
DENIAL_NOT_STATEMENT = register(
    "denial-not-statement",
    "`denied` on a row that is not a statement",
    "code the denial as its own statement row pointing at what it denies",
)
# --- dating words, EDTF, and the links a statement type needs (checks/dating.py, checks/statement_needs.py) -----
DATE_EDTF_INVALID = register(
    "date-edtf-invalid",
    "`date_edtf` is not EDTF level 0/1 for a day, an interval of days, an open start or an approximate start",
    "write the dates in EDTF, e.g. 2023-05-24, 2023-05-22/2023-05-25, ../2023-05-25 or 2023-04-25~/2023-05-25",
)
DATE_EDTF_MISMATCH = register(
    "date-edtf-mismatch",
    "`date_edtf` disagrees with `date_start`, `date_end` or `date_precision`",
    "make date_edtf say what the date columns say (the codebook's date table gives each precision's form), "
    "or correct the columns",
)
DATE_TEXT_OFFSETS_MISSING = register(
    "date-text-offsets-missing",
    "`date_text` without both `date_text_start` and `date_text_end`, or offsets without `date_text`",
    "give date_text_start and date_text_end with date_text (`timeline locate --all` prints them), "
    "or leave all three empty",
)
DATE_TEXT_OFFSETS_OUT_OF_RANGE = register(
    "date-text-offsets-out-of-range",
    "`date_text`'s offsets leave the source text",
    "offsets are 0-based code points, end exclusive; recompute them with `timeline locate --all`",
)
DATE_TEXT_MISMATCH = register(
    "date-text-mismatch",
    "`date_text` is not the source text at `[date_text_start:date_text_end]`",
    "set date_text_start/date_text_end to the occurrence meant (`timeline locate --all` lists every one)",
)
ACTOR2_REQUIRED = register(
    "actor2-required",
    "`actor2_id` is empty on an event type whose codebook entry says `actor2: required` (e.g. ACLED Battles)",
    "set actor2_id to the other side the source names; if an event type can do without, record that in its "
    "category (actor2: optional) with the mapping_basis that allows it",
)
ABOUT_EVENT_WRONG_KIND = register(
    "about-event-wrong-kind",
    "`about_event_id` points at a row of a kind the event type does not allow (`about_kinds` in the codebook)",
    "point about_event_id at a row of the kind the codebook names, e.g. the occurrence a denial denies",
)
TOO_MANY_FINDINGS = register(
    "too-many-findings",
    "a type occurred more than 200 times; the rest are counted, not listed",
    "fix the ones listed, then validate again",
)

# frictionless's own error types, passed through unchanged with a fix hint added.
FRICTIONLESS: dict[str, str] = {
    "hash-count": "if the edit was intended, run `timeline stamp`; otherwise restore the file from git",
    "byte-count": "if the edit was intended, run `timeline stamp`; otherwise restore the file from git",
    "foreign-key": "add the referenced row to its table, or correct the id",
    "primary-key": "make the id unique; ids are never reused, so give the new row the next free id",
    "unique": "make the value unique in this column",
    "type-error": "write the value in the field's type (dates as YYYY-MM-DD, integers without decimals)",
    "constraint-error": "use a value the Table Schema allows (see the codebook in data/README.md)",
    "missing-label": "the header must list exactly the schema's fields, comma-separated, in order",
    "extra-label": "remove the column, or add the field to the Table Schema (a MAJOR change)",
    "incorrect-label": "rename the column to the schema's field name",
    "blank-label": "give every column a header",
    "duplicate-label": "each column name must appear once",
    "missing-cell": "every row needs one cell per field; add the missing cells (empty is fine)",
    "extra-cell": "every row needs one cell per field; remove the extra cells or quote cells containing commas",
    "blank-row": "delete the blank row",
    "encoding-error": "save the file as UTF-8",
    "source-error": "the file is empty or unreadable: restore it from git",
    "scheme-error": "the file is missing: restore it, or correct the resource's path",
    "format-error": "save the file as CSV",
    "package-error": "correct datapackage.json (see the Data Package standard)",
    "resource-error": "correct the resource entry in datapackage.json",
    "schema-error": "correct the Table Schema file",
}


def frictionless_fix(error_type: str) -> str:
    return FRICTIONLESS.get(error_type, f"see the frictionless documentation for '{error_type}'")


def finding_types_table() -> str:
    """The README's "Finding types" table, one row per registered type, in registry order."""
    lines = ["| type | what is wrong |", "|---|---|"]
    lines += [f"| `{entry.slug}` | {entry.title} |" for entry in REGISTRY.values()]
    return "\n".join(lines) + "\n"
