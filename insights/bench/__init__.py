"""`python -m insights bench`: the performance benchmark on generated data (never imported by the app)."""
