"""Store data: SQLModel tables, database access, demo-store generator and importers.

This is the lowest layer (``catalog → retrieval → tools → assistant → serving``) and
imports none of the others.
"""
