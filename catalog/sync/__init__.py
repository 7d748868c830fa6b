"""Bring a merchant's own catalog into the store and keep it in sync.

* :mod:`catalog.sync.records`: the product record (the JSON Lines and REST schema);
* :mod:`catalog.sync.derive`: type, features and material read from real product data;
* :mod:`catalog.sync.writer`: upsert records into the store (only what changed);
* :mod:`catalog.sync.shopify`, :mod:`catalog.sync.woocommerce`, :mod:`catalog.sync.jsonl`:
  readers of each source, which turn bad rows into skips, never into a failed import;
* :mod:`catalog.sync.profile`: the shop's own settings kept in the store (its currency).
"""
