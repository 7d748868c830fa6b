"""Helpers shared by the customer-account tools (no tools live here)."""
