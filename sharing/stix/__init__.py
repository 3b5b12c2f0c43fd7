"""STIX 2.1: the export of accounts, groups and requests as a bundle (streamed) and the import of
a partner's bundle as flagged accounts (docs/sharing.md)."""
