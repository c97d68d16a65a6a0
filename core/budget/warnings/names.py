"""Telling a person's name from an organisation's, for payees of treasury payments.

A payee is taken for a person only when it is written in Chinese characters, is two to four characters
long, starts with a surname from the list below (single or compound), contains no organisation word,
and is not a known short organisation name or abbreviation (中国移动, 国家电网 …). Length alone is not
enough: many organisations go by a four-character short name.
"""

from __future__ import annotations

import re

SINGLE_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷"
    "盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷"
    "晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆"
    "乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平"
    "计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公"
    "哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
                     "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "百里", "呼延", "万俟", "澹台", "申屠")

ORGANISATION_WORDS = ("公司", "单位", "局", "院", "所", "中心", "会", "厂", "行", "部", "委", "办", "站", "校",
                      "馆", "社", "队", "处", "室", "店", "园", "集团", "政府", "财政", "银行", "医", "署",
                      "厅", "库", "街道", "有限", "合作社")
"""Words that make a payee an organisation wherever they appear in it."""

ORGANISATION_PREFIXES = ("中国", "中华", "全国", "国家", "上海", "北京", "天津", "重庆", "浦东", "东方", "中央",
                         "华东", "华夏", "人民", "申能", "申通", "国网", "中铁", "中建", "中石", "招商", "交通")
"""Beginnings that mark an organisation's short name (中国移动, 上海电力 …)."""

KNOWN_ORGANISATIONS = frozenset((
    "中国移动", "中国联通", "中国电信", "中国石化", "中国石油", "中国银联", "中国邮政", "国家电网", "南方电网", "顺丰速运",
    "京东物流", "邮政速递", "申通快递", "圆通速递", "中通快递", "韵达快递", "百度", "腾讯", "阿里巴巴", "华为", "联想",
    "万科", "苏宁", "国美", "永辉", "盒马", "携程", "美团", "滴滴出行", "锦江", "华住", "如家", "汉庭", "全季", "亚朵",
    "宜家", "麦德龙", "家乐福", "沃尔玛", "大众交通", "强生出租", "巴士集团", "久事", "光明乳业", "光明食品", "新华书店",
))
"""Short names of organisations that carry no organisation word."""

_HAN = re.compile(r"^[\u4e00-\u9fff·]+$")


def starts_with_surname(name: str) -> bool:
    """Whether ``name`` begins with a surname of the list (a compound one, or a single one)."""
    return name.startswith(COMPOUND_SURNAMES) or (bool(name) and name[0] in SINGLE_SURNAMES)


def is_organisation(name: str) -> bool:
    """Whether ``name`` is plainly an organisation: a known short name, an organisation prefix or word."""
    return (name in KNOWN_ORGANISATIONS or name.startswith(ORGANISATION_PREFIXES)
            or any(word in name for word in ORGANISATION_WORDS))


def looks_like_person(name: str) -> bool:
    """Whether a payee reads as a person's name: 2–4 Chinese characters after a surname, no organisation."""
    name = name.strip()
    if not 2 <= len(name) <= 4 or not _HAN.match(name):
        return False
    if is_organisation(name):
        return False
    if name.startswith(COMPOUND_SURNAMES):
        return len(name) >= 3
    return name[0] in SINGLE_SURNAMES
