"""Validation messages in the reader's language.

The schema (:mod:`riskmodel.scenario`), the edits and the workbook reader state their
rules in English, one line per problem, starting with the field or cell it is about
(``services[2].site: 'x' is not a site; sites are ['a', 'b']``). The CLI and the files
keep them so; on screen a Korean reader gets the common rules in Korean here, the field
path and the values quoted as they were. A rule not listed stays in English rather than
being guessed at.
"""

from __future__ import annotations

import re

#: The things a bound names (riskmodel.scenario.BOUNDS), in Korean.
_WHAT = {"an amount of money": "금액", "a duration": "기간", "a rate": "빈도", "a count": "수",
         "a multiplier": "배수", "a probability": "확률", "a return period": "재현 주기",
         "a mean time between failures": "평균 고장 간격"}

#: (an English rule, its Korean wording): each a regular expression and a replacement.
KO: tuple[tuple[re.Pattern, str], ...] = tuple((re.compile(pattern), text) for pattern, text in (
    (r"(?P<v>'[^']*') is not a site; sites are (?P<l>.*)$", r"\g<v>은(는) 사이트가 아닙니다. 사이트: \g<l>"),
    (r"(?P<v>'[^']*') is not a region; regions are (?P<l>.*)$", r"\g<v>은(는) 지역이 아닙니다. 지역: \g<l>"),
    (r"(?P<v>'[^']*') is not a service$", r"\g<v>은(는) 서비스가 아닙니다"),
    (r"(?P<v>'[^']*') is not an architecture; known: (?P<l>.*)$",
     r"\g<v>은(는) 아키텍처가 아닙니다. 가능한 값: \g<l>"),
    (r"(?P<v>'[^']*') is not a skills programme$", r"\g<v>은(는) 역량 강화 프로그램이 아닙니다"),
    (r"duplicate name (?P<v>'[^']*'); names must be unique", r"이름 \g<v>이(가) 중복됩니다. 이름은 하나씩이어야 합니다"),
    (r"(?P<v>'[^']*') is taken; names must be unique", r"\g<v>은(는) 이미 있는 이름입니다. 이름은 하나씩이어야 합니다"),
    (r"the list is empty; give at least one", r"목록이 비어 있습니다. 하나 이상 입력하십시오"),
    (r"exactly one option must have 'baseline: true'; found (?P<n>\d+)",
     r"대안 하나만 기준안('baseline: true')이어야 합니다. 현재 \g<n>개"),
    (r"dependency cycle (?P<c>.*)$", r"의존성이 순환합니다: \g<c>"),
    (r"the new name is empty", r"새 이름이 비어 있습니다"),
    (r"no item named (?P<v>'[^']*'); there are (?P<l>.*)$", r"\g<v>이라는 항목이 없습니다. 있는 항목: \g<l>"),
    (r"required field is missing", r"필수 항목이 없습니다"),
    (r"unknown field \(check the spelling;.*\)$", r"알 수 없는 필드입니다(철자를 확인하십시오. 모든 필드는 "
                                                   r"docs/scenario-reference.md에 있습니다)"),
    (r"(?P<f>\w+): low (?P<a>\S+) must be below high (?P<b>\S+)", r"\g<f>: 하한 \g<a>은(는) 상한 \g<b>보다 작아야 합니다"),
    (r"most likely (?P<m>\S+) must lie within (?P<r>\[[^\]]*\])", r"최빈값 \g<m>은(는) \g<r> 안에 있어야 합니다"),
    (r"(?P<w>an amount of money|a duration|a rate|a count|a multiplier|a probability|a return period|"
     r"a mean time between failures) must be in (?P<r>\[[^\]]*\][^;,]*)[;,] ?",
     lambda m: f"{_WHAT[m['w']]}은(는) {m['r']} 안이어야 합니다. "),
    (r"got (?P<v>\S+)", r"입력값 \g<v>"),
    (r"(?P<v>'[^']*') is not an amount of money: write digits with an optional unit, e\.g\. .*$",
     r"\g<v>은(는) 금액이 아닙니다. 숫자와 단위로 쓰십시오(예: 1,218억, 1조 2,000억, 121.9M, 3e9)"),
    (r"(?P<v>'[^']*'): write one number, a range 'low – high' \(90 % interval\) or 'low / likely / high'",
     r"\g<v>: 숫자 하나, '하한 – 상한'(90 % 구간) 또는 '하한 / 최빈값 / 상한'으로 쓰십시오"),
    (r"(?P<v>'[^']*') is not a form; forms are (?P<l>.*)$", r"\g<v>은(는) 입력 형식이 아닙니다. 형식: \g<l>"),
    (r"(?P<v>'[^']*') is text; a number belongs here", r"\g<v>은(는) 글자입니다. 숫자를 넣으십시오"),
    (r"(?P<v>'[^']*') is a formula; riskmodel reads values, so type the number",
     r"\g<v>은(는) 수식입니다. riskmodel은 값을 읽으니 숫자를 입력하십시오"),
    (r"the sheet is missing; a scenario workbook has (?P<l>.*)$", r"시트가 없습니다. 시나리오 통합문서의 시트: \g<l>"),
    (r"(?P<s>\w+) has no item named (?P<v>'[^']*') \(see its sheet\)",
     r"\g<s>에 \g<v>이라는 항목이 없습니다(그 시트를 보십시오)"),
    (r"the revenue shares add up to (?P<v>\S+); they must add up to at most 1",
     r"매출 비중의 합이 \g<v>입니다. 합은 1 이하여야 합니다"),
    (r"(?P<v>'[^']*') is given twice; names must be unique", r"\g<v>이(가) 두 번 있습니다. 이름은 하나씩이어야 합니다"),
))


def localised(message: str, lang: str) -> str:
    """``message`` in ``lang``: Korean for the rules :data:`KO` knows, the message itself otherwise.

    Examples
    --------
    >>> localised("services[2].site: 'x' is not a site; sites are ['a']", "ko")
    "services[2].site: 'x'은(는) 사이트가 아닙니다. 사이트: ['a']"
    """
    if lang != "ko":
        return message
    for pattern, text in KO:
        message = pattern.sub(text, message)
    return message
