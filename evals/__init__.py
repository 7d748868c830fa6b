"""Dialogue evaluations that QA runs against a live agent (real model or any backend)."""
