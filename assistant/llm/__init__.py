"""One OpenAI-compatible LLM client for every backend, plus the embedded llama.cpp server."""
