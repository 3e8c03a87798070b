"""Validation engines: the fast columnar one (:mod:`.fast`); the reference is frictionless itself (validate.py)."""
