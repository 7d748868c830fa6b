"""Translation, product copy and review summaries: the code around the model's words.

``glossary`` masks protected and fixed terms and numbers, ``translator`` runs the
checked translation pipeline, ``verifier`` rejects unsupported claims in copy,
``copywriter`` writes grounded copy with template fallback, ``review_summary`` turns
reviews into counted likes and dislikes with real quotes.
"""
