"""Shanghai's 16 districts (行政区划代码), the district field of petitions and the district congresses."""

from __future__ import annotations

DISTRICTS: tuple[tuple[str, str], ...] = (
    ("310101", "黄浦区"), ("310104", "徐汇区"), ("310105", "长宁区"), ("310106", "静安区"),
    ("310107", "普陀区"), ("310109", "虹口区"), ("310110", "杨浦区"), ("310112", "闵行区"),
    ("310113", "宝山区"), ("310114", "嘉定区"), ("310115", "浦东新区"), ("310116", "金山区"),
    ("310117", "松江区"), ("310118", "青浦区"), ("310120", "奉贤区"), ("310151", "崇明区"),
)
DISTRICT_NAMES = dict(DISTRICTS)
OUTSIDE_CITY = "000000"
"""A petitioner or matter outside Shanghai."""


def district_name(code: str | None) -> str:
    if not code:
        return ""
    if code == OUTSIDE_CITY:
        return "外省市"
    return DISTRICT_NAMES.get(code, code)
