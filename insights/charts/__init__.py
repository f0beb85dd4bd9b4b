"""Plotly figure builders: one module per page family, the shared layout and the palette."""
