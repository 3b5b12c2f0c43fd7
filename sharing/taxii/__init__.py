"""TAXII 2.1, read-only: discovery at /taxii2/, one API root, a collection per platform and one
for all, the objects and manifest of each (docs/sharing.md)."""
