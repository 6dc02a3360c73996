"""Every word the app shows, in Korean and English (terms from ../shared/GLOSSARY.md)."""

from __future__ import annotations

LANGUAGES = {"ko": "한국어", "en": "English"}

TEXT: dict[str, dict[str, str]] = {
    "app_title": {"en": "IT resilience as an investment", "ko": "IT 복원력은 비용이 아니라 투자입니다"},
    "page_investment": {"en": "Investment case", "ko": "투자 타당성"},
    "page_risk": {"en": "Risk", "ko": "위험"},
    "page_architectures": {"en": "DR architectures", "ko": "재해복구(DR) 아키텍처"},
    "page_assumptions": {"en": "Assumptions", "ko": "가정"},
    "scenario": {"en": "Scenario", "ko": "시나리오"},
    "language": {"en": "Language", "ko": "언어"},
    "trials": {"en": "Simulated futures (trials)", "ko": "모의실험 횟수"},
    "seed": {"en": "Random seed", "ko": "난수 시드"},
    "horizon": {"en": "Horizon [years]", "ko": "분석 기간 [년]"},
    "discount_rate": {"en": "Discount rate [%/yr]", "ko": "할인율 [%/년]"},
    "caption": {"en": "{name} · {trials:,} simulated futures × {years} years · money in {currency}",
                "ko": "{name} · 모의실험 {trials:,}회 × {years}년 · 통화 {currency}"},
    "recommended": {"en": "Recommended option: {option}", "ko": "권고안: {option}"},
    "option": {"en": "Option", "ko": "대안"},
    "annual_cost": {"en": "Annual cost", "ko": "연간 비용"},
    "ale": {"en": "Expected annual loss (ALE)", "ko": "연간 기대손실(ALE)"},
    "loss_avoided": {"en": "Expected loss avoided / yr", "ko": "연간 회피 손실"},
    "npv": {"en": "Net present value (NPV)", "ko": "순현재가치(NPV)"},
    "npv_p5": {"en": "NPV, 5th percentile", "ko": "NPV 하위 5%"},
    "npv_p95": {"en": "NPV, 95th percentile", "ko": "NPV 상위 5%"},
    "p_npv": {"en": "P(NPV > 0)", "ko": "NPV > 0 확률"},
    "roi": {"en": "Return on investment (ROI)", "ko": "투자수익률(ROI)"},
    "payback": {"en": "Payback period", "ko": "투자회수기간"},
    "loss_20": {"en": "1-in-20-year loss", "ko": "20년에 한 번 수준의 손실"},
    "loss_100": {"en": "1-in-100-year loss", "ko": "100년에 한 번 수준의 손실"},
    "availability": {"en": "Availability", "ko": "가용성"},
    "years_unit": {"en": "{n:.0f} yr", "ko": "{n:.0f}년"},
    "lec_title": {"en": "Loss exceedance curves: P(annual loss > x)", "ko": "손실 초과확률 곡선: P(연간 손실 > x)"},
    "annual_loss": {"en": "Annual loss", "ko": "연간 손실"},
    "probability": {"en": "Probability", "ko": "확률"},
    "tolerance": {"en": "Risk tolerance", "ko": "위험 허용 한도"},
    "expense_view": {"en": "Expense view: annual cost", "ko": "비용 관점: 연간 비용"},
    "investment_view": {"en": "Investment view: loss avoided and capacity freed a year",
                        "ko": "투자 관점: 연간 회피 손실과 확보된 업무 역량"},
    "expense_investment_title": {"en": "The same budget line, seen as an expense and as an investment",
                                 "ko": "같은 예산, 비용 관점과 투자 관점"},
    "frontier_title": {"en": "Cost–risk frontier", "ko": "비용-위험 경계"},
    "source": {"en": "Source", "ko": "출처"},
    "upload": {"en": "Upload a scenario (YAML, ≤ 1 MB)", "ko": "시나리오 올리기 (YAML, 1MB 이하)"},
    "download": {"en": "Download this scenario (YAML)", "ko": "이 시나리오 내려받기 (YAML)"},
    "upload_rejected": {"en": "{name} was not loaded; the results on screen are unchanged:",
                        "ko": "{name} 파일을 불러오지 않았습니다. 화면의 결과는 그대로입니다:"},
    "upload_too_big": {"en": "the file is {size:.1f} MB; the limit is {limit:.0f} MB",
                       "ko": "파일 크기 {size:.1f}MB가 한도 {limit:.0f}MB를 넘습니다"},
    "upload_not_text": {"en": "the file is not UTF-8 text, so it cannot be YAML",
                        "ko": "UTF-8 텍스트가 아니므로 YAML 파일이 아닙니다"},
    "input": {"en": "Input", "ko": "입력값"},
    "low": {"en": "Low (5%)", "ko": "낮음(5%)"},
    "likely": {"en": "Most likely", "ko": "최빈값"},
    "high": {"en": "High (95%)", "ko": "높음(95%)"},
    "no_source": {"en": "(no source given)", "ko": "(출처 없음)"},
}


def t(key: str, lang: str, **values) -> str:
    """The text for ``key`` in ``lang`` ("ko" or "en"), with ``values`` filled in."""
    return TEXT[key][lang].format(**values) if values else TEXT[key][lang]
