"""Static files of the embeddable chat widget (served by ``serving``)."""
