"""French text: the normalisation and stemming pipeline, the synonym table, the theme tagger and
the free-text answer terms."""
