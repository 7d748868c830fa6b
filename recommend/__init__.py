"""Personalized recommendations: purchase history, co-purchases, content and popularity.

Layer: ``catalog → retrieval → recommend → tools``. Nothing here imports ``tools`` or above.
"""
