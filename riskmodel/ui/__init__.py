"""Streamlit pages. Each page is a function that reads widgets, calls the library and draws."""
