"""Find and load a package safely: paths, the descriptor, resources, hashing, atomic writes."""

from ..errors import DescriptorError
from .descriptor import ResourceRef, load_descriptor, resource_refs, write_descriptor
from .paths import DESCRIPTOR, find_package, resolve_inside

__all__ = [
    "DESCRIPTOR",
    "DescriptorError",
    "ResourceRef",
    "find_package",
    "load_descriptor",
    "resolve_inside",
    "resource_refs",
    "write_descriptor",
]
