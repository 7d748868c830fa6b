"""Alembic migrations of the store's schema (``catalog/migrations/versions``).

Every schema change is a migration. :func:`catalog.db.create_schema` upgrades any
database to the newest revision on start: a new database is created from the models and
stamped; one made by 0.1.0 (before migrations existed) is stamped at the baseline first.
"""
