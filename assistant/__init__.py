"""The shopping agent: LLM client, LangGraph loop, conversation memory, app wiring."""
