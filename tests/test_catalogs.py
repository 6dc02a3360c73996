"""The gettext catalogs against the code: every key the code asks for has a text in every
language, no entry is left over, and both languages take the same placeholders."""

from __future__ import annotations

import ast
import string
import typing

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from conftest import ROOT

from riskmodel.models.impact import COMPONENTS
from riskmodel.present.assumptions import GROUPS
from riskmodel.present.i18n import LANGUAGES, RUNTIME_KEYS
from riskmodel.presets import ARCHITECTURE_PRESETS
from riskmodel.scenario import Architecture, BeyondPnl, Impact, Scope, Service, SkillsProgramme, Threat

LOCALE = ROOT / "riskmodel" / "present" / "locale"
#: The keywords `make catalogs` gives pybabel extract (Makefile).
KEYWORDS = {"t": None, "N_": None}


@pytest.fixture(scope="module")
def extracted() -> set[str]:
    """The keys the code asks for, extracted as `make catalogs` does (locale/babel.cfg)."""
    with (LOCALE / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    return {message for _, _, message, _, _ in
            extract_from_dir(ROOT, method_map, options_map, keywords=KEYWORDS)}


@pytest.fixture(scope="module")
def catalogs():
    """Each language's catalog as committed, obsolete entries included."""
    out = {}
    for lang in LANGUAGES:
        with (LOCALE / f"{lang}.po").open("rb") as po:
            out[lang] = read_po(po)
    return out


def test_there_is_one_catalog_per_language():
    assert sorted(p.stem for p in LOCALE.glob("*.po")) == sorted(LANGUAGES)


def test_the_extraction_finds_the_keys_of_every_kind_of_call(extracted):
    assert {"report_title", "report_summary", "yes", "no", "scope_site", "duration_day"} <= extracted
    assert "yesno" not in extracted  # t("yes" if v else "no", …) is two keys, not one joined


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_every_key_the_code_asks_for_has_a_text(extracted, catalogs, lang):
    texts = catalogs[lang]
    missing = sorted(k for k in extracted if k not in texts or not texts[k].string.strip())
    fuzzy = sorted(k for k in extracted if k in texts and texts[k].fuzzy)
    assert not missing, f"no {lang} text in locale/{lang}.po (make catalogs, then fill in): {missing}"
    assert not fuzzy, f"fuzzy (unreviewed) in locale/{lang}.po: {fuzzy}"


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_no_catalog_entry_is_left_over(extracted, catalogs, lang):
    # An entry no code asks for is a text nobody sees and nobody checks; `make catalogs` keeps
    # a dropped key as obsolete (#~) so its text is at hand, but it should not be committed.
    texts = catalogs[lang]
    unused = sorted(m.id for m in texts if m.id and m.id not in extracted)
    assert not unused, f"in locale/{lang}.po but not asked for by the code: {unused}"
    assert not texts.obsolete, f"obsolete in locale/{lang}.po: {sorted(texts.obsolete)}"


def _placeholders(text: str) -> set[tuple[str, str, str | None]]:
    """(name, format spec, conversion) of every str.format field: ``{trials:,}`` → ("trials", ",", None)."""
    return {(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text)
            if name is not None}


def test_placeholders_are_the_same_in_every_language(catalogs):
    first, *others = sorted(LANGUAGES)
    differ = [key.id for key in catalogs[first] if key.id and any(
        _placeholders(key.string) != _placeholders(catalogs[lang][key.id].string) for lang in others)]
    assert not differ, differ


def _named_in_the_code() -> tuple[set[str], set[str]]:
    """Every string literal of the package and app.py, and the literal head of every f-string."""
    literals, heads = set(), set()
    sources = [p for p in (ROOT / "riskmodel").rglob("*.py") if p.name != "i18n.py"] + [ROOT / "app.py"]
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                heads.add(node.values[0].value)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
    return literals, heads


def test_every_runtime_key_is_still_named_where_it_is_used():
    # RUNTIME_KEYS marks keys for extraction on behalf of other modules; a key they stopped
    # using would otherwise stay "used" forever.
    literals, heads = _named_in_the_code()
    stale = [k for k in RUNTIME_KEYS
             if k not in literals and not any(h.endswith("_") and k.startswith(h) for h in heads)]
    assert not stale, f"marked in RUNTIME_KEYS but named nowhere else: {stale}"


@pytest.mark.parametrize("family, domain", [
    ("scope", typing.get_args(Scope)),
    ("control", typing.get_args(Architecture.model_fields["failover_control"].annotation)),
    ("component", tuple(COMPONENTS)),
    ("group", (*GROUPS, "other")),
    ("preset", tuple(ARCHITECTURE_PRESETS)),
    # every field whose value is a quantity: the inputs riskmodel.present.names.field_name names
    ("field", tuple(f for model in (Service, Impact, Threat, Architecture, SkillsProgramme, BeyondPnl)
                    for f, info in model.model_fields.items() if "Quantity" in str(info.annotation))),
])
def test_every_key_built_at_run_time_exists(catalogs, family, domain):
    # f"{family}_{value}" is looked up for each value the scenario schema or model allows.
    for lang in LANGUAGES:
        assert {f"{family}_{value}" for value in domain} <= {m.id for m in catalogs[lang]}, (family, lang)
