"""Streamlit entry point: navigation only. Pages live in riskmodel/ui/."""

import streamlit as st

from riskmodel.ui import investment_case

st.set_page_config(page_title="riskmodel — IT resilience as an investment", layout="wide")
page = st.navigation([st.Page(investment_case.render, title="Investment case", url_path="investment-case",
                              default=True)])
page.run()
