"""Provenance of the sources: each archived text exists, is its own, is UTF-8, and matches its sha256 and length."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any, ClassVar

from ...errors import PackageFileError
from ...package.safeio import read_bytes
from .. import findings as F
from ..files import file_finding
from .base import TimelineCheck


class SourceTexts(TimelineCheck):
    """Reads each source text once, verifies it, and shares it with the event checks."""

    resources: ClassVar[tuple[str, ...]] = ("sources",)
    pending: list[tuple[int, str, str, str, int | None]]

    texts_seen: dict[str, str]  # sha256 of an archived text -> the first source_id it belongs to

    def start(self) -> None:
        self.pending = []
        self.texts_seen = {}

    def row(self, row: Any) -> None:
        source_id = row["source_id"]
        if not source_id:
            return
        if row["published"] is not None:
            self.context.published[source_id] = row["published"]
        if row["text_path"]:
            self.pending.append(
                (row.row_number, source_id, row["text_path"], row["text_sha256"] or "", row["text_chars"])
            )

    def end(self) -> None:
        for row_number, source_id, text_path, sha256, chars in self.pending:
            self.load(row_number, source_id, text_path, sha256, chars)

    def load(self, row_number: int, source_id: str, text_path: str, sha256: str, chars: int | None) -> None:
        try:
            data = read_bytes(self.context.root, text_path, "text")
        except PackageFileError as error:
            finding = file_finding(error, F.SOURCE_TEXT_MISSING, file=self.file, row=row_number, field="text_path")
            if finding.type == F.SOURCE_TEXT_MISSING.slug:
                finding = replace(finding, message=f"source text {text_path} does not exist")
            self.context.add(finding)
            return
        actual_sha256 = hashlib.sha256(data).hexdigest()
        if sha256 and actual_sha256 != sha256:
            self.finding(
                F.SOURCE_TEXT_HASH_MISMATCH,
                f"{text_path} has sha256 {actual_sha256}, but text_sha256 records {sha256}",
                row=row_number,
                field="text_sha256",
                fix="restore the original text (archived texts are never edited); "
                "only for a deliberate new archive, update text_sha256",
            )
        first = self.texts_seen.setdefault(actual_sha256, source_id)
        if first != source_id:
            self.finding(
                F.SOURCE_TEXT_SHARED,
                f"{text_path} is also the archived text of source {first!r} (same bytes)",
                row=row_number,
                field="text_path",
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            self.finding(
                F.SOURCE_TEXT_NOT_UTF8,
                f"{text_path} is not valid UTF-8 (byte {error.start})",
                row=row_number,
                field="text_path",
                fix="restore the original UTF-8 text",
            )
            return
        if chars is not None and len(text) != chars:
            self.finding(
                F.SOURCE_TEXT_LENGTH_MISMATCH,
                f"{text_path} has {len(text)} characters, but text_chars records {chars}",
                row=row_number,
                field="text_chars",
                fix="restore the original text; text_chars counts Unicode code points",
            )
        self.context.texts[source_id] = text
