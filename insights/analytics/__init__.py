"""What the pages show: every figure computed from the per-talk aggregates the store keeps, for a
selection of talks, with the anonymity threshold applied."""
