"""Migration scripts, one per schema change (``0001`` is the 0.1.0 baseline)."""
