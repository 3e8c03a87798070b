"""Releases: git access, release history and snapshots, the plan, applying it, archives, the changelog."""
