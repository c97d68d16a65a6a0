"""argparse in Chinese: its own words ("usage", "options", "invalid choice" …) translated for ``renda``.

argparse looks its messages up through the module's ``_`` and ``ngettext`` at call time, so replacing the
two names translates every parser the suite builds. ``RENDA_LANG=en`` keeps argparse's English.
"""

from __future__ import annotations

import argparse
import os
from typing import Any, NoReturn

MESSAGES: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "subcommands": "子命令",
    "show this help message and exit": "显示本帮助并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择 %(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的%(type)s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "expected at least one argument": "至少需要一个值",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 必须选一个",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "ignored explicit argument %r": "多余的值 %r 被忽略",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有命令 %(parser_name)r（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "unexpected option string: %s": "意外的选项：%s",
    "show program's version number and exit": "显示版本号并退出",
}
PLURALS: dict[str, str] = {
    "expected %s argument": "需要 %s 个值",
    "conflicting option string: %s": "选项冲突：%s",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
}
TYPE_NAMES = {"int": "整数", "float": "数字", "Path": "路径", "str": "文本", "date": "日期",
              "fromisoformat": "日期（如 2026-12-04）"}


def _gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return PLURALS.get(singular, singular if n == 1 else plural)


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors name argument types in Chinese ("不是有效的整数")."""

    def error(self, message: str) -> NoReturn:
        for name, zh in TYPE_NAMES.items():
            message = message.replace(f"不是有效的{name}", f"不是有效的{zh}")
        super().error(message)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)


def chinese_enabled() -> bool:
    return os.environ.get("RENDA_LANG", "zh").lower() not in ("en", "en_us", "english")


def install() -> type[argparse.ArgumentParser]:
    """Translate argparse's words (unless ``RENDA_LANG=en``); returns the parser class to build with."""
    if not chinese_enabled():
        return argparse.ArgumentParser
    argparse._ = _gettext  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]
    return ChineseArgumentParser


def examples(*items: str | tuple[str, str], note: str = "") -> str:
    """The 示例 epilog of a command's help: each item is a command line (``renda …``) or a pair (command line,
    what it does); ``note`` follows after a blank line. A test parses every example with the real parser."""
    lines = ["示例："]
    for item in items:
        command, what = (item, "") if isinstance(item, str) else item
        lines.append(f"  {command}")
        if what:
            lines.append(f"      {what}")
    if note:
        lines += ["", note]
    return "\n".join(lines)
