"""Paroles de pros: the domain, store, metrics, search and charts, importable without Streamlit."""
