"""Data coming in: reading files (encodings, dates, answer scales), the template files, the survey
tools' exports and their column mapping, validation, and the director's corrections."""
