"""Presentation without Streamlit (DESIGN §11): what the app, the report and the CLI show.

format (Babel money, units), i18n (labels in Korean and English), markup (safe text),
narrative (sentences), charts (plotly figures), tables (formatted DataFrames), assumptions
(every input with its source).
"""
