"""The business-case report: sections, figures equal to the appraisal's, escaping, the workbook."""

import html.parser
import math

import openpyxl
import pytest
from conftest import SCENARIOS, make

from riskmodel import appraise, load, simulate
from riskmodel.analysis.business_case import business_case
from riskmodel.cli import main
from riskmodel.present.format import money, money_se
from riskmodel.present.i18n import t
from riskmodel.present.names import Names
from riskmodel.present.tables import shown_order
from riskmodel.report import SECTIONS, build_html, write_workbook

EVIL = "<script>alert(1)</script>"


class Page(html.parser.HTMLParser):
    """Section ids, headline figures (data-key → (data-value, text)) and tables of an HTML report."""

    def __init__(self, text: str):
        super().__init__()
        self.sections, self.figures, self.tables, self.notes = [], {}, [], []
        self._key, self._text, self._cell, self._note, self._in = None, [], None, None, []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.sections.append(a.get("id"))
            self._in.append(a.get("id"))
        if "data-key" in a:
            self._key, self._text = (a["data-key"], a.get("data-value")), []
        if tag == "table":
            self.tables.append([])
        if tag == "tr" and self.tables:
            self.tables[-1].append([])
        if tag in ("td", "th") and self.tables:
            self._cell = [a.get("data-value"), []]
        if "chart-note" in (a.get("class") or ""):
            self._note = (self.sections[-1], [])

    def handle_endtag(self, tag):
        if self._key and tag in ("div", "dd"):
            key, value = self._key
            self.figures[key] = (value, "".join(self._text).strip())
            self._key = None
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append((self._cell[0], "".join(self._cell[1]).strip()))
            self._cell = None
        if tag == "p" and self._note:
            self.notes.append((self._note[0], "".join(self._note[1])))
            self._note = None

    def handle_data(self, data):
        if self._key:
            self._text.append(data)
        if self._cell is not None:
            self._cell[1].append(data)
        if self._note:
            self._note[1].append(data)


@pytest.fixture(scope="module")
def kakao():
    return appraise(simulate(load(SCENARIOS / "kakao-2022.yaml"), trials=1_000, seed=11))


@pytest.fixture(scope="module")
def case(kakao):
    return business_case(kakao)


def test_the_report_renders_a_business_case_and_runs_nothing(case, monkeypatch):
    from riskmodel.analysis import business_case as module
    from riskmodel.engine import run

    def refuse(*args, **kwargs):
        pytest.fail("the report ran the engine")

    for target, name in ((run, "simulate"), (module, "simulate"), (module.tornado, "tornado"),
                         (module.sensitivity, "evpi")):
        monkeypatch.setattr(target, name, refuse)
    text = build_html(case, "en")
    assert Page(text).sections == list(SECTIONS)
    assert money(case.sensitivity.evpi, "KRW", "en") in text  # the sensitivity section is the case's


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_section_is_there_and_the_headline_figures_are_the_appraisals(kakao, case, lang):
    page = Page(build_html(case, lang, command="riskmodel report x"))
    assert page.sections == list(SECTIONS)
    best, base = kakao.argued_for, kakao.simulation.scenario.baseline.name
    by_basis = kakao.investment_by_basis
    expected = {"npv_cash": by_basis["cash"].loc[best, "npv_mean"],
                "npv_capacity": by_basis["capacity"].loc[best, "npv_mean"],
                "extra_cost": kakao.investment.loc[best, "annual_cost"] - kakao.investment.loc[base, "annual_cost"],
                "var_99": kakao.risk.loc[best, "var_99"], "ale": kakao.risk.loc[best, "ale"]}
    for key, value in expected.items():
        shown, text = page.figures[key]
        assert float(shown) == pytest.approx(value, rel=1e-12), key
    # each NPV is shown with its standard error, on the basis the scenario decides on and the other
    for basis in ("cash", "capacity"):
        row = by_basis[basis].loc[best]
        assert page.figures[f"npv_{basis}"][1] == t("plus_minus", lang, value=money(row["npv_mean"], "KRW", lang),
                                                     se=money_se(row["npv_se"], row["npv_mean"], "KRW", lang))
    assert page.figures["trials"][1] == "1,000" and page.figures["seed"][1] == "11"
    # the option table: every money and share cell carries the appraisal's own number
    comparison = kakao.comparison()
    table = page.tables[0]
    header = [text for _, text in table[0]][1:]
    order = shown_order(kakao)  # today, the option argued for, the rest
    assert header == Names(kakao.simulation.scenario, lang).options(order)
    npv_row = next(row for row in table if row[0][1] in ("Net present value (NPV)", "순현재가치(NPV)"))
    for (value, _), option in zip(npv_row[1:], order):
        assert float(value) == pytest.approx(comparison.loc[option, "npv_mean"], rel=1e-12)
    assert not page.notes


def test_user_strings_are_escaped_everywhere():
    scenario = make(name=EVIL, description=EVIL,
                    threats=[{"name": EVIL, "scope": "site", "category": "facility", "rate": {"value": 0.3,
                              "source": EVIL}, "duration_hours": {"ci90": [2, 40]}}],
                    options=[{"name": EVIL, "baseline": True}, {"name": "warm", "architecture": "warm_standby"}])
    text = build_html(business_case(appraise(simulate(scenario, trials=300, seed=1))), "en")
    assert EVIL not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert Page(text).sections == list(SECTIONS)


def test_a_chart_that_cannot_be_drawn_leaves_a_note(case, monkeypatch):
    from riskmodel.present import charts

    def broken(*args, **kwargs):
        raise ValueError("no points to draw")

    monkeypatch.setattr(charts, "frontier_figure", broken)
    page = Page(build_html(case, "en"))
    assert page.sections == list(SECTIONS)
    assert [(section, "no points to draw" in note) for section, note in page.notes] == [("architectures", True)]


def test_the_workbook_holds_the_appraisals_numbers_as_numbers(kakao, tmp_path):
    book = openpyxl.load_workbook(write_workbook(kakao, tmp_path / "case.xlsx"))
    assert book.sheetnames == ["Assumptions", "Options", "Cash flows", "Loss exceedance"]
    options = book["Options"]
    header = [c.value for c in options[1]]
    rows = {r[-1].value: r for r in options.iter_rows(min_row=2)}  # by identifier, the last column
    names = Names(kakao.simulation.scenario, "en")
    assert [r[0] for r in options.iter_rows(min_row=2, values_only=True)] == names.options(kakao.simulation.options)
    for option in kakao.simulation.options:
        for column, heading in (("ale", "ALE [KRW/yr]"), ("npv_mean", "NPV mean [KRW]"),
                                ("p_npv_positive", "P(NPV > 0) [0-1]")):
            cell = rows[option][header.index(heading)]
            source = kakao.risk if column in kakao.risk else kakao.investment
            assert isinstance(cell.value, (int, float)) and cell.value == pytest.approx(source.loc[option, column])
    assert rows[kakao.recommended][header.index("NPV mean [KRW]")].number_format == "#,##0"
    assert rows[kakao.recommended][header.index("P(NPV > 0) [0-1]")].number_format == "0.0%"
    flows = book["Cash flows"]
    first = next(flows.iter_rows(min_row=2, max_row=2))
    option = kakao.cash_flows.index[0]
    assert first[0].value == names.option(option)
    assert [c.value for c in first[1:]] == pytest.approx(kakao.cash_flows.loc[option].tolist())
    lec = book["Loss exceedance"]
    assert lec.max_row - 1 == len(kakao.exceedance)
    assert lec.cell(2, 1).value == pytest.approx(kakao.exceedance.index[0])
    sources = [c.value for c in book["Assumptions"][1]]
    assert "Source" in sources and book["Assumptions"].max_row > 100


def test_the_korean_workbook_names_its_sheets_and_headers_in_korean_and_counts_won_in_eok(kakao, tmp_path):
    book = openpyxl.load_workbook(write_workbook(kakao, tmp_path / "case-ko.xlsx", "ko"))
    assert book.sheetnames == [t(k, "ko") for k in ("wb_assumptions", "wb_options", "wb_cash_flows", "wb_exceedance")]
    options = book[t("wb_options", "ko")]
    header = [c.value for c in options[1]]
    rows = {r[-1].value: r for r in options.iter_rows(min_row=2)}
    assert options.cell(2, 1).value == Names(kakao.simulation.scenario, "ko").option(kakao.simulation.options[0])
    from riskmodel.present import labels

    npv = f"{labels.label('npv_mean', 'ko')} [억 원]"
    assert npv in header and not any("KRW" in h for h in header)
    for option in kakao.simulation.options:
        cell = rows[option][header.index(npv)]
        assert cell.value == pytest.approx(kakao.investment.loc[option, "npv_mean"] / 1e8)
    flows = book[t("wb_cash_flows", "ko")]
    assert [c.value for c in flows[1]][:3] == ["대안 [억 원]", "0년차(초기 투자)", "1년차"]
    first = next(flows.iter_rows(min_row=2, max_row=2))
    assert [c.value for c in first[1:]] == pytest.approx((kakao.cash_flows.iloc[0] / 1e8).tolist())
    assumptions = book[t("wb_assumptions", "ko")]
    heads = [c.value for c in assumptions[1]]
    money_rows = [r for r in assumptions.iter_rows(min_row=2, values_only=True) if r[0].endswith("infra_annual_cost")]
    assert money_rows and all(r[heads.index(t("unit", "ko"))] == "억 원" and r[heads.index(t("low", "ko"))] < 1e4
                              for r in money_rows)


def test_the_report_command_writes_both_files(tmp_path, capsys):
    out, xlsx = tmp_path / "r.html", tmp_path / "r.xlsx"
    status = main(["report", str(SCENARIOS / "online-retailer-usd.yaml"), "--out", str(out), "--xlsx", str(xlsx),
                   "--trials", "300", "--lang", "ko"])
    assert status == 0 and out.exists() and xlsx.exists()
    page = Page(out.read_text(encoding="utf-8"))
    assert page.sections == list(SECTIONS) and "riskmodel report" in out.read_text(encoding="utf-8")
    assert not math.isnan(float(page.figures["npv_cash"][0]))


@pytest.mark.parametrize("text, cell", [("=1+1", "'=1+1"), ("a\x01b", "a\ufffdb"), ("\x0b=1", "\ufffd=1"),
                                        (-5.0, -5.0), (float("nan"), None), (3, 3)])
def test_a_workbook_cell_is_a_number_or_inert_text_an_xlsx_file_can_hold(text, cell):
    from riskmodel.report import _cell

    assert _cell(text) == cell


def test_the_method_page_lists_the_warnings_and_the_unsourced_count():
    from markupsafe import escape

    from riskmodel.checks import warnings
    from riskmodel.present.warnings import unsourced_text, warning_text

    scenario = make(options=[{"name": "none", "baseline": True}, {"name": "warm", "architecture": "warm_standby"}])
    (found,) = warnings(scenario)
    for lang in ("en", "ko"):
        text = build_html(business_case(appraise(simulate(scenario, trials=300, seed=1))), lang)
        method = text[text.index('<section id="method">'):]
        assert str(escape(warning_text(found, lang))) in method
        assert str(escape(unsourced_text(scenario, lang))) in method


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_page_one_states_the_finding_and_what_would_have_to_be_true(kakao, case, lang):
    from markupsafe import escape  # as Jinja escapes

    from riskmodel.present import conditions
    from riskmodel.present import decision as decision_text

    html = build_html(case, lang, command="riskmodel report x")
    summary = html[html.index('<section id="summary">'):html.index('<section id="risk">')]
    assert f"<h1>{escape(decision_text.finding(kakao, lang))}</h1>" in summary
    assert escape(t("be_title", lang)) in summary
    from riskmodel.analysis.beyond_pnl import charges
    from riskmodel.present import beyond_pnl as beyond

    assert escape(t("bp_title", lang)) in summary
    assert str(escape(beyond.sentence(kakao, charges(kakao), lang))) in summary
    names = Names(kakao.simulation.scenario, lang)
    shown = conditions.table(case.conditions, names)
    assert list(shown.index) == [names.option(o.name) for o in kakao.simulation.scenario.options if not o.baseline]
    for option, row in shown.iterrows():
        for text in row:
            assert str(escape(text)) in summary, (option, text)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_method_section_sets_the_model_beside_what_happened(case, lang):
    """The ladder, the 2022 fire service by service and the back-tests, as the analysis computed them."""
    from markupsafe import escape

    from riskmodel.present import evidence as shown

    html = build_html(case, lang)
    method = html[html.index('<section id="method">'):]
    assert str(escape(t("ev_title", lang))) in method
    found = case.evidence
    names = Names(case.appraisal.simulation.scenario, lang)
    ladder = shown.ladder_wide(found.ladder, names)
    assert ladder.shape == (6, 9)  # six presets; downtime, data lost and cost at three lengths of loss
    for label, row in ladder.iterrows():
        assert f"<th scope=\"row\">{escape(label)}</th>" in method
        assert all(str(escape(text)) in method for text in row)
    assert all(str(escape(c)) in method for c in ladder.columns)
    restoration = shown.restoration(found.restoration, names)
    assert list(restoration.index) == [names.service(s.name) for s in case.appraisal.simulation.scenario.services]
    assert all(str(escape(text)) in method for text in restoration.iloc[:, 0])
    back = shown.backtest(found.backtest, lang)
    for name, row in back.iterrows():
        assert f"<th scope=\"row\">{name}</th>" in method
        if row[t("ev_why", lang)]:
            assert str(escape(row[t("ev_why", lang)])) in method
    assert str(escape(shown.backtest_summary(found.backtest, lang))) in method
