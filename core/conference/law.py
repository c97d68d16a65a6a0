"""The law behind each body's quorum and each kind of vote, as the Shanghai People's Congress applies it.

Every rule names the body it belongs to, the fraction, whether it counts against ALL members or only
those present, and the article it rests on.  The citation is what the public sees (big screen, result
sheet, agenda); ``note`` is for the office only and says where the article number still has to be
checked against the current text (docs/conference-rules.md lists them).  An office that has checked
the current text overrides a citation per meeting (``MeetingSetup.citations``) without a code change.

Sources and their status: ``shared/LAW.md`` §1.  Article numbers of the Shanghai rules of procedure
are those of the texts that could be read (大会议事规则 2001, 常委会议事规则 2008, 主任会议议事规则 1990).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.placeholders import PLACEHOLDER_MARKS as MARKS


class Body(StrEnum):
    """The bodies whose meetings the hall runs."""

    SESSION = "session"  # 市人民代表大会全体会议
    PRESIDIUM = "presidium"  # 大会主席团会议
    STANDING = "standing"  # 常务委员会会议
    COUNCIL = "council"  # 主任会议


BODY_NAMES: dict[Body, str] = {
    Body.SESSION: "代表大会全体会议",
    Body.PRESIDIUM: "大会主席团会议",
    Body.STANDING: "常务委员会会议",
    Body.COUNCIL: "主任会议",
}

ORGANIC_LAW = "《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》"
SH_CONGRESS_RULES = "《上海市人民代表大会议事规则》"
SH_STANDING_RULES = "《上海市人民代表大会常务委员会议事规则》"
SH_COUNCIL_RULES = "《上海市人民代表大会常务委员会主任会议议事规则》"

ALL, PRESENT = "all", "present"

_SH_2001 = "上海市人民代表大会议事规则的条文序号依 2001 年修正文本；2022 年修正后的序号待核对后可按会议改写"
_SH_2008 = "常委会议事规则的条文序号依 2008 年修正文本；其后是否再修正待核对"


@dataclass(frozen=True)
class LegalRule:
    """``count > n/d × base`` (strict) or ``count ≥ n/d × base``; base is all members or those present."""

    key: str
    label: str
    numerator: int
    denominator: int
    strict: bool
    base: str
    bodies: tuple[Body, ...]
    citation: str
    note: str = ""


QUORUM_LAW: dict[Body, LegalRule] = {
    Body.SESSION: LegalRule(
        "session", "代表大会会议须有三分之二以上的代表出席", 2, 3, False, ALL, (Body.SESSION,),
        f"{ORGANIC_LAW}第十四条"),
    Body.PRESIDIUM: LegalRule(
        "presidium", "主席团会议须有三分之二以上的主席团成员出席", 2, 3, False, ALL, (Body.PRESIDIUM,),
        f"{SH_CONGRESS_RULES}第十三条第二款", _SH_2001),
    Body.STANDING: LegalRule(
        "standing", "常委会会议须有常委会全体组成人员过半数出席", 1, 2, True, ALL, (Body.STANDING,),
        f"{ORGANIC_LAW}第五十一条第三款"),
    Body.COUNCIL: LegalRule(
        "council", "主任会议须有全体组成人员过半数出席", 1, 2, True, ALL, (Body.COUNCIL,),
        f"{SH_COUNCIL_RULES}第四条", "主任会议议事规则依 1990 年文本，仅见一处来源；现行版本待核对"),
}

MAJORITY_LAW: tuple[LegalRule, ...] = (
    LegalRule("half_of_all", "全体代表的过半数", 1, 2, True, ALL, (Body.SESSION,),
              f"{ORGANIC_LAW}第二十五条：议案、决议和决定由全体代表的过半数通过；{SH_CONGRESS_RULES}第七十条",
              _SH_2001),
    LegalRule("election_half_of_all", "获得全体代表过半数的选票", 1, 2, True, ALL, (Body.SESSION,),
              f"{ORGANIC_LAW}第二十九条：获得全体代表过半数选票的候选人始得当选；{SH_CONGRESS_RULES}第四十五条",
              _SH_2001),
    LegalRule("half_of_present", "出席会议的代表过半数", 1, 2, True, PRESENT, (Body.SESSION,),
              f"{SH_CONGRESS_RULES}第六十八条第一款：经出席会议的代表过半数同意，暂不交付表决", _SH_2001),
    LegalRule("half_of_all_presidium", "主席团全体成员的过半数", 1, 2, True, ALL, (Body.PRESIDIUM,),
              f"{SH_CONGRESS_RULES}第十三条第二款：主席团的决定由主席团全体成员的过半数通过", _SH_2001),
    LegalRule("half_of_all_standing", "常务委员会全体组成人员的过半数", 1, 2, True, ALL, (Body.STANDING,),
              f"{ORGANIC_LAW}第五十一条第四款：常务委员会的决议由常务委员会以全体组成人员的过半数通过",
              _SH_2008),
    LegalRule("half_of_present_standing", "出席会议的常务委员会组成人员过半数", 1, 2, True, PRESENT,
              (Body.STANDING,),
              f"{SH_STANDING_RULES}第十九条、第二十一条、第三十六条：程序性事项经出席会议的常务委员会组成人员过半数同意",
              _SH_2008),
    LegalRule("half_of_all_council", "主任会议全体组成人员的过半数", 1, 2, True, ALL, (Body.COUNCIL,),
              f"{SH_COUNCIL_RULES}第五条：主任会议的决定由全体组成人员的过半数同意",
              "主任会议议事规则依 1990 年文本，仅见一处来源；现行版本待核对"),
    LegalRule("two_thirds_of_all", "全体成员的三分之二以上", 2, 3, False, ALL, (),
              "",
              "本市法律没有规定三分之二的表决；只有会议通过的章程或办法另有规定时使用，须在会议中写明所依据的条文"),
)
"""Every majority a vote can be measured against.  ``two_thirds_of_all`` belongs to no body: it is
used only where a meeting's own adopted rules require it, and then needs a citation of those rules."""

MAJORITY_BY_KEY: dict[str, LegalRule] = {rule.key: rule for rule in MAJORITY_LAW}

DEFAULT_MAJORITY: dict[Body, dict[str, str]] = {
    Body.SESSION: {"bill": "half_of_all", "amendment": "half_of_all", "appointment": "election_half_of_all",
                   "procedural": "half_of_present"},
    Body.PRESIDIUM: {"bill": "half_of_all_presidium", "amendment": "half_of_all_presidium",
                     "appointment": "half_of_all_presidium", "procedural": "half_of_all_presidium"},
    Body.STANDING: {"bill": "half_of_all_standing", "amendment": "half_of_all_standing",
                    "appointment": "half_of_all_standing", "procedural": "half_of_present_standing"},
    Body.COUNCIL: {"bill": "half_of_all_council", "amendment": "half_of_all_council",
                   "appointment": "half_of_all_council", "procedural": "half_of_all_council"},
}
"""The majority an agenda item of each kind gets by default in a meeting of each body."""

PLACEHOLDER_MARKS = MARKS
"""Text that must never reach a public surface (big screen, result sheet, agenda)."""


def majorities_for(body: Body | str | None) -> list[str]:
    """The majority keys an operator may choose in a meeting of ``body`` (every body's for an unknown one)."""
    if not body:
        return [r.key for r in MAJORITY_LAW if r.bodies]
    return [r.key for r in MAJORITY_LAW if Body(body) in r.bodies]


def default_majority(body: Body | str | None, kind: str) -> str:
    """The majority an item of ``kind`` gets in a meeting of ``body``."""
    if not body:
        return "half_of_all"
    return DEFAULT_MAJORITY[Body(body)].get(kind, DEFAULT_MAJORITY[Body(body)]["bill"])


def misfit(body: Body | str | None, key: str, has_citation: bool) -> str | None:
    """Why majority ``key`` does not fit a meeting of ``body`` (None when it does)."""
    rule = MAJORITY_BY_KEY.get(key)
    if rule is None:
        return f"表决通过规则“{key}”不存在"
    if not rule.bodies:
        return None if has_citation else f"按“{rule.label}”表决须写明所依据的章程或办法条文"
    if body and Body(body) not in rule.bodies:
        wanted = MAJORITY_BY_KEY[default_majority(body, "bill")].label
        return f"“{rule.label}”不适用于{BODY_NAMES[Body(body)]}，应为“{wanted}”"
    return None
