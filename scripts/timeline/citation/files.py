"""CITATION.cff and .zenodo.json for a release, built from datapackage.json alone."""

from __future__ import annotations

import json
from typing import Any

import yaml

CITATION_MESSAGE = (
    "If you use this dataset, please cite the exact release you used, as below. "
    "`timeline cite --version X.Y.Z` prints this citation in other formats."
)
TEXT_NOTE = (
    "Data licensed CC-BY-4.0. The archived article text in data/sources/ is not covered: it remains "
    "the publisher's and is included only so that quotes can be verified."
)


def authors(descriptor: dict[str, Any]) -> list[dict[str, str]]:
    """CFF authors from Data Package contributors (people by name parts, others as entities)."""
    result = []
    contributors = descriptor.get("contributors")
    for contributor in contributors if isinstance(contributors, list) else []:
        if not isinstance(contributor, dict):
            continue  # `timeline validate` names it; a citation is built from the rest
        if contributor.get("familyName"):
            author = {"family-names": contributor["familyName"]}
            if contributor.get("givenName"):
                author["given-names"] = contributor["givenName"]
        else:
            author = {"name": contributor.get("title") or contributor.get("givenName", "")}
        if contributor.get("email"):
            author["email"] = contributor["email"]
        result.append(author)
    return result


def is_person(author: dict[str, str]) -> bool:
    """A CFF person has name parts; anything else (`name:`) is an entity: a group, a team, an institution."""
    return "family-names" in author


def inverted_name(author: dict[str, str]) -> str:
    """A person as "Family, Given", the order BibTeX, RIS and Zenodo split on; an entity's name whole.

    Readers split a name at its comma: a name without one is a single, corporate name to RIS
    readers (Zotero), and all "family name" to Zenodo, which has no way to mark a group.
    """
    if not is_person(author):
        return author["name"]
    return ", ".join(p for p in (author["family-names"], author.get("given-names")) if p)


def author_names(descriptor: dict[str, Any]) -> list[str]:
    names = []
    for author in authors(descriptor):
        if "family-names" in author:
            names.append(" ".join(p for p in (author.get("given-names"), author["family-names"]) if p))
        else:
            names.append(author["name"])
    return names


def events_sha256(descriptor: dict[str, Any]) -> str:
    resources = descriptor.get("resources")
    for resource in resources if isinstance(resources, list) else []:
        if isinstance(resource, dict) and resource.get("name") == "events":
            return str(resource.get("hash", "")).removeprefix("sha256:")
    return ""


def release_url(descriptor: dict[str, Any], version: str) -> str:
    homepage = str(descriptor.get("homepage", "")).rstrip("/")
    return f"{homepage}/releases/tag/v{version}" if homepage else ""


ARCHIVE_SUFFIXES = ("zip", "tar.gz")


def download_urls(descriptor: dict[str, Any], version: str) -> list[dict[str, str]]:
    """Where release VERSION's files can be downloaded, once ``homepage`` names the repository on its forge.

    GitHub's URL scheme, which the release workflow publishes to: the two archives attached
    to the release (``/releases/download/vX.Y.Z/``), then each resource file as committed at
    the tag (``/raw/vX.Y.Z/``). Empty without a homepage: no location is ever guessed.
    """
    homepage = str(descriptor.get("homepage", "")).rstrip("/")
    if not homepage:
        return []
    tag, name = f"v{version}", str(descriptor.get("name", ""))
    archives = [f"{name}-{version}.{suffix}" for suffix in ARCHIVE_SUFFIXES]
    urls = [{"file": archive, "url": f"{homepage}/releases/download/{tag}/{archive}"} for archive in archives]
    for resource in descriptor.get("resources", []):
        if isinstance(resource, dict) and isinstance(resource.get("path"), str):
            urls.append({"file": resource["path"], "url": f"{homepage}/raw/{tag}/{resource['path']}"})
    return urls


def archive_urls(descriptor: dict[str, Any], version: str) -> list[dict[str, str]]:
    """The release archives' download URLs (the first entries of :func:`download_urls`)."""
    return download_urls(descriptor, version)[: len(ARCHIVE_SUFFIXES)]


def doi(descriptor: dict[str, Any]) -> str:
    identifier = str(descriptor.get("id", ""))
    for prefix in ("https://doi.org/", "doi:"):
        identifier = identifier.removeprefix(prefix)
    return identifier if identifier.startswith("10.") else ""


def citation_cff(descriptor: dict[str, Any], version: str, date: str) -> str:
    data: dict[str, Any] = {
        "cff-version": "1.2.0",
        "message": CITATION_MESSAGE,
        "type": "dataset",
        "title": descriptor["title"],
        "abstract": descriptor.get("description", ""),
        "authors": authors(descriptor),
        "version": version,
        "date-released": date,
        "license": "CC-BY-4.0",
        "keywords": list(descriptor.get("keywords", [])),
    }
    identifiers = []
    if doi(descriptor):
        data["doi"] = doi(descriptor)
        identifiers.append({"type": "doi", "value": doi(descriptor), "description": "DOI of the dataset"})
    if release_url(descriptor, version):
        data["repository-code"] = str(descriptor["homepage"])
        identifiers.append(
            {"type": "url", "value": release_url(descriptor, version), "description": f"Release v{version}"}
        )
        identifiers += [
            {"type": "url", "value": item["url"], "description": f"Release v{version} archive {item['file']}"}
            for item in archive_urls(descriptor, version)
        ]
    identifiers.append(
        {
            "type": "other",
            "value": f"sha256:{events_sha256(descriptor)}",
            "description": "sha256 of data/events.csv in this release",
        }
    )
    data["identifiers"] = identifiers
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def zenodo_json(descriptor: dict[str, Any], version: str, date: str) -> str:
    data: dict[str, Any] = {
        "upload_type": "dataset",
        "title": descriptor["title"],
        "description": descriptor.get("description", ""),
        "creators": [{"name": inverted_name(author)} for author in authors(descriptor)],
        "version": version,
        "publication_date": date,
        "license": "cc-by-4.0",
        "access_right": "open",
        "keywords": list(descriptor.get("keywords", [])),
        "notes": TEXT_NOTE + f" sha256 of data/events.csv: {events_sha256(descriptor)}.",
    }
    if release_url(descriptor, version):
        # The release page supplements the deposit; each archive holds the very files deposited.
        data["related_identifiers"] = [
            {"identifier": release_url(descriptor, version), "relation": "isSupplementTo", "scheme": "url"},
            *[
                {"identifier": item["url"], "relation": "isIdenticalTo", "scheme": "url", "resource_type": "dataset"}
                for item in archive_urls(descriptor, version)
            ],
        ]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
