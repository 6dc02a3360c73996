"""Hostile documents end quickly with a message naming file, place and rule."""

import contextlib
import signal

import pytest
from conftest import SCENARIOS

from riskmodel import documents
from riskmodel.scenario import ScenarioError, load, loads


@contextlib.contextmanager
def within(seconds: float):
    """Fail instead of hanging: an alarm interrupts the block after ``seconds``."""
    def expire(*_):
        raise TimeoutError(f"still running after {seconds} s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def rejected(text: str, source: str = "hostile.yaml") -> list[str]:
    with within(5), pytest.raises(ScenarioError) as info:
        loads(text, source=source)
    assert str(info.value).startswith(f"{source}: ")
    return info.value.messages


def alias_bomb(width: int, levels: int) -> str:
    lines = ["a0: &a0 [lol]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    return "\n".join(lines) + f"\nname: *a{levels}\n"


@pytest.mark.parametrize("width, levels", [(9, 9), (5, 12)])
def test_an_alias_bomb_is_measured_not_expanded(width, levels):
    (message,) = rejected(alias_bomb(width, levels))
    sizes = [2]  # a0: a list and its item; each level a list of `width` copies of the one below
    for _ in range(levels):
        sizes.append(1 + width * sizes[-1])
    expanded = 1 + sum(1 + n for n in sizes) + 1 + sizes[-1]  # the mapping, its keys and values
    assert message.startswith(f"the document expands to {expanded:,} values, more than the {documents.MAX_NODES:,}")


def test_an_alias_inside_itself_is_refused():
    (message,) = rejected("name: &a [*a]\n")
    assert message.startswith("name[0]: an alias refers to a value that contains it (line 1)")


def test_a_duplicate_key_names_both_lines():
    text = (SCENARIOS / "online-retailer-usd.yaml").read_text(encoding="utf-8") + "\ncurrency: EUR\n"
    (message,) = rejected(text)
    first = next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith("currency:"))
    assert message == (f"currency: the key 'currency' is given twice (lines {first} and "
                       f"{len(text.splitlines())}); give it once")


def test_merge_keys_are_not_duplicates():
    assert documents.parse("base: &b {x: 1}\nthis:\n  <<: *b\n  y: 2\n")["this"] == {"x": 1, "y": 2}


def test_deep_nesting_is_refused_at_its_path():
    (message,) = rejected("name: " + "[" * 200 + "]" * 200 + "\n")
    assert message.startswith("name" + "[0]" * (documents.MAX_DEPTH - 1) + ": ")
    assert f"nested deeper than {documents.MAX_DEPTH} levels" in message


def test_a_long_value_is_quoted_short():
    (message,) = rejected("name: " + "x" * 100_000 + "\n")
    assert len(message) < 200 and "(100,002 characters)" in message and message.startswith("name: ")


def test_a_megabyte_value_is_refused_by_size():
    assert rejected("name: " + "x" * 1_000_000 + "\n") == [
        f"the document is longer than {documents.MAX_BYTES:,} characters"]


def test_a_whole_number_of_5000_digits_names_its_field():
    (message,) = rejected("name: x\ncurrency: KRW\nfinance: {horizon_years: " + "9" * 5000 + "}\n")
    assert message.startswith("finance.horizon_years: a whole number of 5,000 digits")


def test_python_tags_are_refused():
    assert rejected("name: !!python/object/apply:os.system ['echo hacked']\n") == [
        "name: the tag 'tag:yaml.org,2002:python/object/apply:os.system' (line 1) is not allowed; a scenario "
        "holds only mappings, lists, numbers and text"]


def test_an_endless_file_is_read_no_further_than_the_limit():
    with within(5), pytest.raises(ScenarioError) as info:
        load("/dev/zero")
    assert info.value.messages == [f"the file is larger than {documents.MAX_BYTES:,} bytes; a scenario is far "
                                   "smaller (kakao-2022.yaml has 31 KB)"]
    assert str(info.value).startswith("/dev/zero: ")


def test_a_number_that_is_not_finite_names_the_file():
    assert rejected("name: x\ncurrency: KRW\nfinance: {discount_rate: .nan}\n") == [
        "finance.discount_rate: nan — numbers must be finite"]


def test_every_shipped_scenario_is_within_the_limits():
    for path in SCENARIOS.glob("*.yaml"):
        assert documents.parse(path.read_text(encoding="utf-8"))["name"]
