"""Catalog retrieval: embeddings, a chromadb vector index, BM25, and hybrid ranking."""
