"""New scenario: a template and a few answers make a scenario of one's own organisation, run at once.

The answers are those of ``riskmodel new`` (:mod:`riskmodel.archetypes`): currency, annual
revenue (or budget) written as people write money ("3,000억", "80M"), the operations team,
the sites, and the services with their tier and share of revenue. A valid set becomes a
scenario of this session, selected in the sidebar, and its recommendation is shown here;
an invalid one lists what to change, naming the answer and the rule, and nothing else
changes.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from riskmodel import ScenarioError
from riskmodel.archetypes import ARCHETYPES, make_text
from riskmodel.present import decision as decision_text
from riskmodel.present.format import money, parse_money
from riskmodel.present.i18n import t
from riskmodel.present.markup import markdown_text
from riskmodel.present.messages import localised
from riskmodel.ui import state
from riskmodel.ui.tables import edited_frame

#: Currencies offered first; any ISO 4217 code can be typed.
CURRENCIES = ("KRW", "USD", "EUR", "JPY", "GBP", "SGD")
SITE_COLUMNS = ("name", "region")
SERVICE_COLUMNS = ("name", "tier", "share", "site", "depends_on")


def _sites(example: dict) -> pd.DataFrame:
    return pd.DataFrame([{c: s.get(c, "default") for c in SITE_COLUMNS} for s in example["sites"]],
                        columns=list(SITE_COLUMNS))


def _services(example: dict) -> pd.DataFrame:
    rows = [{"name": s["name"], "tier": s.get("tier", 1), "share": 100 * s["revenue_share"],
             "site": s.get("site") or "", "depends_on": ", ".join(s.get("depends_on", ()))}
            for s in example["services"]]
    return pd.DataFrame(rows, columns=list(SERVICE_COLUMNS))


def answers_from(template: str, values: dict) -> tuple[dict | None, list[str]]:
    """The form's values as :class:`riskmodel.archetypes.Answers` data, or (None, what to change).

    ``values`` holds ``name``, ``currency``, ``revenue`` (money as text), ``engineers``,
    ``exchange_rate`` (0 for none) and the ``sites`` and ``services`` tables (services'
    ``share`` in percent, ``depends_on`` comma-separated).
    """
    try:
        revenue = parse_money(str(values["revenue"]))
    except ValueError as exc:
        return None, [f"annual_revenue: {exc}"]
    sites = [{"name": str(r["name"]).strip(), "region": str(r["region"] or "default").strip() or "default"}
             for r in values["sites"].to_dict("records") if str(r.get("name") or "").strip()]
    services = []
    for r in values["services"].to_dict("records"):
        if not str(r.get("name") or "").strip():
            continue  # a row left empty is no service
        share = r.get("share")
        services.append({
            "name": str(r["name"]).strip(), "tier": int(r.get("tier") or 1),
            "revenue_share": None if share is None or pd.isna(share) else float(share) / 100,
            **({"site": str(r["site"]).strip()} if str(r.get("site") or "").strip() else {}),
            "depends_on": [d.strip() for d in str(r.get("depends_on") or "").split(",") if d.strip()]})
    rate = values.get("exchange_rate") or None
    return {"name": str(values["name"]).strip(), "currency": str(values["currency"]).strip().upper(),
            "annual_revenue": revenue, "engineers": int(values["engineers"]), "sites": sites, "services": services,
            **({"exchange_rate": float(rate)} if rate else {})}, []


def _create(template: str) -> None:
    """The form's submit callback: it runs before the script, so the sidebar can select the new scenario."""
    example = ARCHETYPES[template].example
    get = st.session_state.get
    values = {"name": get(f"new_name:{template}"), "currency": get(f"new_currency:{template}"),
              "revenue": get(f"new_revenue:{template}"), "engineers": get(f"new_engineers:{template}"),
              "exchange_rate": get(f"new_rate:{template}"),
              "sites": edited_frame(_sites(example), get(f"new_sites:{template}")),
              "services": edited_frame(_services(example), get(f"new_services:{template}"))}
    answers, problems = answers_from(template, values)
    if answers is not None:
        try:
            text = make_text(template, answers)
        except ScenarioError as exc:
            problems = exc.messages
    st.session_state.new_problems = problems
    if not problems:
        st.session_state.new_created = state.add_scenario(f"{answers['name']}.yaml", text)


def render() -> None:
    settings = st.session_state.settings
    lang = settings.lang
    st.title(t("page_new", lang))
    st.caption(t("new_caption", lang))
    names = list(ARCHETYPES)
    template = st.radio(t("new_template", lang), names, format_func=lambda n: ARCHETYPES[n].label[lang],
                        horizontal=True, key="new_template")
    archetype = ARCHETYPES[template]
    st.markdown(markdown_text(archetype.summary[lang]))
    example = archetype.example
    with st.form(f"new:{template}"):
        left, middle, right = st.columns(3)
        left.text_input(t("new_name", lang), value=example["name"], key=f"new_name:{template}")
        middle.selectbox(t("new_currency", lang), CURRENCIES, index=CURRENCIES.index(example["currency"]),
                         accept_new_options=True, key=f"new_currency:{template}")
        right.text_input(t("new_budget" if archetype.revenue == "annual budget" else "new_revenue", lang),
                         value=money(example["annual_revenue"], example["currency"], lang),
                         help=t("new_revenue_help", lang), key=f"new_revenue:{template}")
        left, right = st.columns(2)
        left.number_input(t("new_engineers", lang), min_value=1, max_value=100_000, value=example["engineers"],
                          step=1, key=f"new_engineers:{template}")
        right.number_input(t("new_exchange_rate", lang), min_value=0.0, value=0.0, format="%g",
                           help=t("new_exchange_help", lang), key=f"new_rate:{template}")
        st.markdown(f"**{t('new_sites', lang)}**")
        st.data_editor(_sites(example), num_rows="dynamic", hide_index=True, width="stretch",
                       key=f"new_sites:{template}",
                       column_config={"name": st.column_config.TextColumn(t("col_name", lang), required=True),
                                      "region": st.column_config.TextColumn(t("col_region", lang))})
        st.markdown(f"**{t('new_services', lang)}**")
        st.data_editor(_services(example), num_rows="dynamic", hide_index=True, width="stretch",
                       key=f"new_services:{template}",
                       column_config={
                           "name": st.column_config.TextColumn(t("col_name", lang), required=True),
                           "tier": st.column_config.NumberColumn(t("col_tier", lang), min_value=1, max_value=9,
                                                                 step=1, help=t("col_tier_help", lang)),
                           "share": st.column_config.NumberColumn(t("col_share", lang), min_value=0, max_value=100,
                                                                  format="%.1f %%", help=t("col_share_help", lang)),
                           "site": st.column_config.TextColumn(t("col_site", lang), help=t("col_site_help", lang)),
                           "depends_on": st.column_config.TextColumn(t("col_depends", lang),
                                                                     help=t("col_depends_help", lang))})
        st.form_submit_button(t("new_create", lang), type="primary", on_click=_create, args=(template,))
    for problem in st.session_state.get("new_problems", []):
        st.error(markdown_text(localised(problem, lang)))
    created = st.session_state.get("new_created")
    if created and created == settings.scenario:
        st.success(t("new_created", lang, name=markdown_text(created)))
        result = state.current(settings)
        st.subheader(markdown_text(decision_text.headline(result, lang)))
        st.caption(decision_text.precision_text(result, lang))
