"""The demonstration dataset: hand-written fictional content and the seeded generator that turns it
into template tables, at the demo's size or any size for the benchmark."""
