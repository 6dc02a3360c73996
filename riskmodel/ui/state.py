"""What every page shares: the sidebar's settings and the cached model run."""

from __future__ import annotations

import dataclasses
import functools
import threading
import time
from collections.abc import Callable

import streamlit as st

from riskmodel import (
    DEFAULT_SCENARIO,
    Appraisal,
    Scenario,
    ScenarioError,
    appraise,
    documents,
    loads,
    shipped_scenarios,
    spreadsheet,
)
from riskmodel.analysis import precision
from riskmodel.analysis.business_case import business_case
from riskmodel.engine import kernels
from riskmodel.present import decision as decision_text
from riskmodel.present.i18n import LANGUAGES, t
from riskmodel.present.markup import markdown_text
from riskmodel.present.messages import localised
from riskmodel.present.warnings import lines as warning_lines
from riskmodel.ui import runs

#: Uploaded scenarios a session keeps (the oldest goes first): at most 1 MB each.
MAX_UPLOADS = 8
#: The trials the sidebar offers; AUTO is an adaptive run to :data:`PRECISION`.
AUTO = "auto"
TRIAL_CHOICES = (AUTO, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000)
DEFAULT_TRIALS = AUTO
#: The app's adaptive runs: SE ≤ 1 % of the answer's NPV, as many trials as that takes up to the cap.
PRECISION = precision.DEFAULT_PRECISION
#: The cap of the app's adaptive runs [trials]: kakao-2022 runs 50,000 in some 10 s of one core, a
#: wait still worth it for a settled answer; beyond it the page says which condition is unmet.
MAX_TRIALS = 50_000
MAX_UPLOAD_BYTES = documents.MAX_BYTES  # as a scenario file read from disk
UPLOADED = "⬆ "  # prefix of an uploaded scenario's name in the scenario list
CREATED = "✚ "  # prefix of a scenario made on the New scenario page
OPENED = "🗄 "  # prefix of a version opened from the workspace


def read_upload(data: bytes, lang: str) -> tuple[str | None, list[str]]:
    """Check an uploaded scenario file, YAML or an .xlsx workbook: (its YAML text, []) when valid, else (None, messages)."""
    if len(data) > MAX_UPLOAD_BYTES:
        return None, [t("upload_too_big", lang, size=len(data) / 1e6, limit=MAX_UPLOAD_BYTES / 1e6)]
    if data[:4] == b"PK\x03\x04":  # a zip: an .xlsx workbook
        try:
            return spreadsheet.import_workbook(data), []
        except (ScenarioError, ValueError) as exc:
            return None, getattr(exc, "messages", None) or [str(exc)]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, [t("upload_not_text", lang)]
    try:
        loads(text)
    except ScenarioError as exc:
        return None, exc.messages
    return text, []


@dataclasses.dataclass(frozen=True)
class Settings:
    lang: str
    scenario: str
    trials: int | None  #: the trials of a fixed run, or None for an adaptive one to PRECISION [trials]
    seed: int
    horizon: int
    discount_rate: float
    basis: str  #: the basis of benefit the decision uses: "cash" or "capacity"

    @property
    def run(self) -> tuple:
        """What a run of the scenario on screen depends on, after its text: the key of every cached run."""
        return self.trials, self.seed, self.horizon, self.discount_rate, self.basis


@st.cache_resource(show_spinner=False)
def _warm_engine() -> threading.Thread:
    """Load the compiled engine in the background, once per server, while the first page draws.

    Importing numba and loading the cached core takes ~0.7 s; loaded, every run uses it
    (:func:`riskmodel.engine.kernels.worth_compiling`), so the first edit does not pay for it.
    """
    thread = threading.Thread(target=kernels.compiled if kernels.available() else (lambda: None),
                              name="riskmodel-engine-warm-up", daemon=True)
    thread.start()
    return thread


def sidebar() -> Settings:
    """Draw the shared sidebar and return its settings."""
    _warm_engine()
    if "lang" not in st.session_state:
        st.session_state.lang = "ko"
    lang = st.sidebar.radio(t("language", st.session_state.lang), list(LANGUAGES), format_func=LANGUAGES.get,
                            horizontal=True, key="lang")
    uploads = st.session_state.setdefault("uploads", {})
    upload = st.sidebar.file_uploader(t("upload", lang), type=["yaml", "yml", "xlsx"], key="upload")
    if upload is not None:
        text, problems = read_upload(upload.getvalue(), lang)
        if problems:
            st.sidebar.error(t("upload_rejected", lang, name=markdown_text(upload.name)) + "\n\n"
                             + "\n\n".join(markdown_text(localised(p, lang)) for p in problems))
        elif st.session_state.get("upload_seen") != upload.file_id:
            # A new valid file becomes the scenario on screen at once, once: afterwards the
            # list may select another while the uploader still holds this file.
            st.session_state.upload_seen = upload.file_id
            st.sidebar.success(t("upload_switched", lang, name=markdown_text(upload.name)))
            add_scenario(upload.name, text, UPLOADED)
    names = list(shipped_scenarios()) + list(uploads)
    scenario = st.sidebar.selectbox(t("scenario", lang), names, index=names.index(DEFAULT_SCENARIO),
                                    key="scenario")
    text = scenario_text(scenario)
    st.sidebar.download_button(t("download", lang), text.encode("utf-8"), file_name=f"{file_stem(scenario)}.yaml",
                               mime="application/x-yaml")
    # Made when clicked (some 0.1 s), not on every run that follows an edit.
    st.sidebar.download_button(t("download_xlsx", lang), functools.partial(workbook, text),
                               file_name=f"{file_stem(scenario)}.xlsx",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               key="download_xlsx")
    defaults = _defaults(text)
    trials = st.sidebar.select_slider(
        t("trials", lang), TRIAL_CHOICES, value=DEFAULT_TRIALS, key="trials",
        format_func=lambda n: t("trials_auto", lang, precision=f"{PRECISION:.0%}") if n == AUTO else f"{n:,}")
    bases = list(decision_text.BASES)
    basis = st.sidebar.radio(t("benefit_basis", lang), bases, index=bases.index(defaults[2]),
                             format_func=lambda b: decision_text.basis_name(b, lang), key=f"basis:{scenario}",
                             help=t("benefit_basis_help", lang))
    seed = st.sidebar.number_input(t("seed", lang), min_value=0, value=20221015, step=1, key="seed")
    horizon = st.sidebar.number_input(t("horizon", lang), min_value=1, max_value=50, value=defaults[0], step=1,
                                      key=f"horizon:{scenario}")
    rate = st.sidebar.number_input(t("discount_rate", lang), min_value=0.0, max_value=99.0,
                                   value=round(100 * defaults[1], 2), step=0.5, key=f"rate:{scenario}")
    return Settings(lang, scenario, None if trials == AUTO else int(trials), int(seed), int(horizon),
                    float(rate) / 100, basis)


def banner(settings: Settings) -> None:
    """The scenario's warnings (:mod:`riskmodel.checks`) above every page: inputs that would make a figure empty."""
    found = warning_lines(parsed(scenario_text(settings.scenario)), settings.lang)
    if found:
        st.warning(f"**{t('warnings_title', settings.lang)}**\n\n" + "\n".join("- " + markdown_text(line)
                                                                          for line in found))


def add_scenario(name: str, text: str, prefix: str = CREATED) -> str:
    """Keep a scenario made or brought in this session (valid YAML text) and select it; its list name.

    A scenario of the same name is replaced, edits and all. The session keeps the newest
    :data:`MAX_UPLOADS`.
    """
    uploads = st.session_state.setdefault("uploads", {})
    key = prefix + name
    uploads.pop(key, None)  # re-inserted last: the newest
    uploads[key] = text
    st.session_state.setdefault("edited", {}).pop(key, None)
    while len(uploads) > MAX_UPLOADS:  # a session's memory stays bounded
        oldest = next(iter(uploads))
        uploads.pop(oldest)
        st.session_state["edited"].pop(oldest, None)
    st.session_state.scenario = key  # before the sidebar's list is drawn: a callback, or the upload above it
    return key


def file_stem(name: str) -> str:
    """A file name for a scenario of the list: without its prefix and extension."""
    stem = name.removeprefix(UPLOADED).removeprefix(CREATED).removeprefix(OPENED)
    for suffix in (".yaml", ".yml", ".xlsx"):
        stem = stem.removesuffix(suffix)
    return stem


@st.cache_data(show_spinner=False, max_entries=8)
def workbook(text: str) -> bytes:
    """The scenario of a YAML text as an .xlsx workbook (riskmodel.spreadsheet), made once per text."""
    return spreadsheet.export(parsed(text))


def original_text(name: str) -> str:
    """The YAML text of a shipped or uploaded scenario as it was loaded."""
    uploads = st.session_state.get("uploads", {})
    return uploads[name] if name in uploads else shipped_scenarios()[name].read_text(encoding="utf-8")


def scenario_text(name: str) -> str:
    """The YAML text of a scenario with the edits made on the Assumptions page."""
    return st.session_state.get("edited", {}).get(name) or original_text(name)


def store_edit(name: str, text: str) -> None:
    """Keep an edited scenario (valid YAML text) for every page to use."""
    st.session_state.setdefault("edited", {})[name] = text


def reset_edits(name: str) -> None:
    """Back to the scenario as it was loaded."""
    st.session_state.setdefault("edited", {}).pop(name, None)


@st.cache_resource(max_entries=64, show_spinner=False)
def parsed(text: str) -> Scenario:
    """The scenario a valid YAML text describes, parsed once per text and shared by every session.

    ``cache_resource``, not ``cache_data``: a Scenario is immutable, so every session may hold
    the same object rather than a copy; parsing kakao-2022 takes some 10 ms.
    """
    return loads(text)


def _defaults(text: str) -> tuple[int, float, str]:
    finance = parsed(text).finance
    return finance.horizon_years, finance.discount_rate, finance.benefit_basis


def with_settings(yaml_text: str, horizon: int, discount_rate: float) -> Scenario:
    """The scenario of a YAML text with the sidebar's horizon and discount rate."""
    scenario = parsed(yaml_text)
    return scenario.model_copy(update={"finance": scenario.finance.model_copy(
        update={"discount_rate": discount_rate, "horizon_years": horizon})})


#: The runs every session shares (:mod:`riskmodel.ui.runs`): one per scenario text and settings.
RUNS = runs.Runs()


def shared(key: tuple, compute: Callable[[Callable[[int, int], None]], object], message: str) -> object:
    """The result of ``compute(progress)``, computed once for every session that asks with ``key``.

    While it runs, a progress bar shows ``message``; each update of it is where Streamlit
    can stop this script (a closed tab, a new edit, the Stop button), and the ``finally``
    then lets the run go, which stops it when no other session waits for it.

    Raises
    ------
    riskmodel.ui.runs.Stopped
        When the run passed its time budget.
    """
    ticket = RUNS.submit(key, compute)
    bar, shown_at, shown = None, 0.0, -1.0
    try:
        while True:
            try:
                return ticket.result(timeout=0.2)
            except TimeoutError:
                # Sent when the bar moves, and at least each second: each message is redrawn by
                # the browser, and each is where Streamlit can stop this script.
                if ticket.fraction != shown or time.monotonic() - shown_at >= 1.0:
                    bar = bar or st.empty()
                    bar.progress(ticket.fraction, text=message)
                    shown_at, shown = time.monotonic(), ticket.fraction
    finally:
        RUNS.release(ticket)
        if bar is not None:
            bar.empty()


def run_model(yaml_text: str, trials: int | None, seed: int, horizon: int, discount_rate: float,
              basis: str) -> Appraisal:
    """Simulate and appraise a scenario given as YAML text, shared with every session asking the same.

    ``trials`` None is an adaptive run to :data:`PRECISION`, at most :data:`MAX_TRIALS`.
    """
    def compute(progress) -> Appraisal:
        scenario = with_settings(yaml_text, horizon, discount_rate)
        adaptive = {"precision": PRECISION, "max_trials": MAX_TRIALS} if trials is None else {}
        return appraise(precision.simulate(scenario, trials=trials, horizon_years=horizon, seed=seed, basis=basis,
                                           progress=progress, **adaptive), basis)

    lang = st.session_state.get("lang", "ko")
    message = (t("running_adaptive", lang, precision=f"{PRECISION:.0%}") if trials is None
               else t("running", lang, trials=f"{trials:,}"))
    return shared(("appraisal", yaml_text, trials, seed, horizon, discount_rate, basis), compute, message)


def shown(compute: Callable[[], object]) -> object:
    """``compute()``, or a message and the end of this page's script when the run was stopped
    or refused (a limit of the engine, e.g. the work a run may take, which names what fits)."""
    try:
        return compute()
    except runs.Stopped as stopped:
        st.error(t("run_stopped", st.session_state.get("lang", "ko"), seconds=round(stopped.seconds)))
        st.stop()
    except ValueError as refused:  # ScenarioError included: one line per problem, each naming its field
        st.error(markdown_text(str(refused)))
        st.stop()


def current(settings: Settings, original: bool = False) -> Appraisal:
    """The appraisal of the scenario and settings on screen (``original``: without the edits)."""
    text = original_text(settings.scenario) if original else scenario_text(settings.scenario)
    return shown(lambda: run_model(text, *settings.run))


@st.cache_data(show_spinner=False, max_entries=8)
def _with_programme_text(text: str, programme: str) -> str:
    combined = parsed(text).with_programme_options(programme)
    return combined.to_yaml()


def with_programme(settings: Settings, programme: str) -> Appraisal:
    """The appraisal of the scenario on screen with every option also run with ``programme``."""
    text = _with_programme_text(scenario_text(settings.scenario), programme)
    return shown(lambda: run_model(text, *settings.run))


@st.cache_data(show_spinner=False, max_entries=4)
def report_files(yaml_text: str, trials: int | None, seed: int, horizon: int, discount_rate: float, basis: str,
                 lang: str) -> tuple[bytes, bytes]:
    """The business case of a scenario and settings: (HTML, Excel workbook) as bytes."""
    import io

    from riskmodel.report import build_html, write_workbook

    result = run_model(yaml_text, trials, seed, horizon, discount_rate, basis)
    case = business_case(result)
    runs_as = f"--precision {PRECISION:.0%} --max-trials {MAX_TRIALS}" if trials is None else f"--trials {trials}"
    command = (f"riskmodel report SCENARIO.yaml --out report.html --lang {lang} {runs_as} --seed {seed}"
               f" --basis {basis}  # SCENARIO.yaml: the scenario downloaded from the sidebar")
    book = io.BytesIO()
    write_workbook(result, book, lang)
    return build_html(case, lang, command).encode("utf-8"), book.getvalue()


@st.cache_resource(show_spinner=False)
def _workspace_engine(url: str):
    """One connection pool per database, shared by every session (schema migrated on first use)."""
    from riskmodel.workspace import connect
    return connect(url)


def workspace_place() -> str:
    """Where the workspace is, as a person reads it: the SQLite file, or the server (no password)."""
    import sqlalchemy as sa

    from riskmodel.workspace import default_url
    url = sa.make_url(default_url())
    return url.database if url.get_backend_name() == "sqlite" else url.render_as_string(hide_password=True)


def user() -> tuple[str, str]:
    """(login, name) of who is using the app: the OIDC login (``st.login``) when the app is set up
    for one (an ``[auth]`` section in its secrets), else the one local user."""
    from riskmodel.workspace import LOCAL

    lang = st.session_state.get("lang", "ko")
    try:
        configured = "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all: nobody set up a login
        configured = False
    if not configured:
        return LOCAL, t("ws_local_user", lang)
    if not st.user.is_logged_in:
        st.info(t("ws_login_needed", lang))
        st.button(t("ws_login", lang), on_click=st.login, key="ws_login")
        st.stop()
    return str(st.user.get("email") or st.user.get("sub")), str(st.user.get("name") or st.user.get("email"))


def workspace():
    """This user's workspace (:class:`riskmodel.workspace.Workspace`), or a message and the end of the page."""
    from riskmodel.workspace import Workspace, WorkspaceUnavailable, default_url
    login, name = user()
    try:
        return Workspace(_workspace_engine(default_url()), login, name)
    except WorkspaceUnavailable as exc:
        st.error(markdown_text(str(exc)))
        st.stop()
