"""Citations: the model of one release's citation, its formats, and the CITATION.cff and .zenodo.json files.

Pure: built from a descriptor and a release's metadata; reading releases from git is ``release``'s job.
"""

from .files import citation_cff, zenodo_json
from .formats import FORMATS, render_citation, render_downloads
from .model import Citation, citation_from

__all__ = ["FORMATS", "Citation", "citation_cff", "citation_from", "render_citation", "render_downloads", "zenodo_json"]
