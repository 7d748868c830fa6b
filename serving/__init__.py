"""HTTP and websocket serving (the only package that imports FastAPI; nothing imports it)."""
