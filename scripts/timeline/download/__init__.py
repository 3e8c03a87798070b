"""``timeline verify``: a downloaded file or release archive, checked offline against its release's record."""

from .verify import VerifyResult, verify_download

__all__ = ["VerifyResult", "verify_download"]
