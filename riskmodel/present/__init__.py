"""Presentation without Streamlit (DESIGN §11): what the app, the report and the CLI show.

labels (the registry: each column's label, unit and format), i18n (gettext catalogs,
Korean and English), format (Babel money, units), markup (safe text),
narrative (sentences), decision (the answer, its verdicts and precision in words),
warnings (a scenario's warnings in words), charts (plotly figures), tables (formatted DataFrames), assumptions
(every input with its source).
"""
