"""``riskmodel workspace``: the workspace's operations from the command line, as a user reads them."""

from __future__ import annotations

import pytest
from conftest import SCENARIOS

from riskmodel.cli import main

KAKAO = SCENARIOS / "kakao-2022.yaml"


@pytest.fixture
def ws(database_url, monkeypatch, capsys):
    """``riskmodel workspace ACTION …`` on a new database, as a user: (exit status, stdout, stderr)."""
    monkeypatch.setenv("RISKMODEL_DATABASE_URL", database_url)

    def call(*args: str, user: str = "kim"):
        status = main(["workspace", *args, "--user", user])
        out, err = capsys.readouterr()
        return status, out, err
    return call


def edited(tmp_path, old: str, new: str, name: str = "edited.yaml"):
    path = tmp_path / name
    text = KAKAO.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return str(path)


def test_save_diff_run_compare_and_export(ws, tmp_path):
    assert ws("save", "kakao-2022", "--as", "kakao", "-m", "as filed")[1].strip() == "saved kakao version 1"
    fire = edited(tmp_path, "rate: {ci90: [0.002, 0.02]", "rate: {ci90: [0.005, 0.03]")
    assert ws("save", fire, "--as", "kakao", "-m", "fire rate", "--parent", "1")[0] == 0
    status, out, _ = ws("diff", "kakao", "1", "2")
    assert status == 0
    assert out.splitlines()[1].strip() == "Pangyo DC lost (fire) · frequency: ci90 [0.002, 0.02] → ci90 [0.005, 0.03]"
    status, out, _ = ws("diff", "kakao", "1", "2", "--lang", "ko")
    assert "판교 데이터센터 전소(화재) · 발생 빈도" in out
    for version in ("1", "2"):
        status, out, _ = ws("run", "kakao", "--version", version, "--trials", "2000", "--seed", "5")
        assert status == 0 and out.startswith(f"stored run {version}: kakao version {version}, 2,000 trials")
    status, out, _ = ws("compare", "1", "2")
    assert status == 0 and "Expected annual loss (ALE)" in out and "Status quo (2022)" in out
    assert "beyond noise" in out and "Pangyo DC lost (fire) · frequency" in out
    assert "pangyo_site_loss" not in out and "status_quo_2022" not in out  # names, never identifiers
    status, out, _ = ws("rerun", "1")
    assert status == 0 and "every table bit for bit identical" in out
    assert ws("export", "kakao", "--version", "1")[1] == KAKAO.read_text(encoding="utf-8")


def test_a_stale_parent_exits_3_and_saves_nothing_then_merges(ws, tmp_path):
    ws("save", "kakao-2022", "--as", "kakao")
    ws("save", edited(tmp_path, "rate: {ci90: [0.002, 0.02]", "rate: {ci90: [0.005, 0.03]"), "--as", "kakao",
       "--parent", "1")
    mine = edited(tmp_path, "discount_rate: 0.085", "discount_rate: 0.07", "mine.yaml")
    status, _, err = ws("save", mine, "--as", "kakao", "--parent", "1")
    assert status == 3 and "kim saved version 2 meanwhile" in err and "--merge" in err
    assert "   2  " in ws("show", "kakao")[1] and "   3  " not in ws("show", "kakao")[1]
    status, out, _ = ws("save", mine, "--as", "kakao", "--parent", "1", "--merge")
    assert status == 0 and out.strip() == "saved kakao version 3"
    out = ws("diff", "kakao", "2", "3")[1]
    assert "Finance · discount rate: 0.085 → 0.07" in out and "frequency" not in out


def test_sharing_from_the_command_line(ws):
    ws("save", "kakao-2022", "--as", "kakao")
    status, _, err = ws("export", "kim/kakao", user="lee")
    assert status == 2 and "there is none you can see" in err
    assert ws("list", user="lee")[1].startswith("No scenarios yet")
    assert ws("share", "kakao", "read")[1].strip() == "kakao is now shared read-only"
    assert ws("list", user="lee")[1].startswith("kim/kakao  (kim, shared read-only)")
    status, _, err = ws("save", "kakao-2022", "--as", "kim/kakao", user="lee")
    assert status == 2 and "shared with you read-only" in err
    status, _, err = ws("share", "kim/kakao", "edit", user="lee")
    assert status == 2 and "only its owner" in err
