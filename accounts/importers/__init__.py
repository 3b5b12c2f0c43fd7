"""Parsers of the official designation lists (UN, UK, OFAC, EU, NACTA and simple CSV)."""
