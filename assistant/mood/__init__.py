"""The shopper's mood: whether a message is frustrated, in any of the five languages.

``cues.yaml`` groups the words upset shoppers use; ``model.py`` is a logistic regression
over a message's USE vector, its spelling and those cue groups, trained from the labelled
messages in ``evals/mood/train`` (``train.py``, ``shopassist mood train``) and shipped in
``model/``; ``mood.py`` combines it with VADER into the mood the console shows.
"""
