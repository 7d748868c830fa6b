"""The commands-and-flows assistant: the model reads a message into one command, code acts.

Modules: ``command`` (the form and its grounding), ``understand`` (what code reads by
itself), ``replies`` (templates in five languages), ``state`` (per-conversation memory),
``search_flow`` and ``order_flows`` (the flows), ``verifier`` (checks any model-written
sentence), ``agent`` (one turn end to end).
"""
