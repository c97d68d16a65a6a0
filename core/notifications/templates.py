"""SMS templates: texts with ``{placeholder}`` fields, registered in code by the features.

A queued message names a template and gives its parameters; the server renders the text when it sends.
Rendering refuses a missing or unknown parameter with a Chinese message naming it.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class TemplateError(ValueError):
    """A template or its parameters are wrong (the message says which, in Chinese)."""


@dataclass(frozen=True)
class Template:
    key: str
    text: str
    description: str
    fields: tuple[str, ...]

    def render(self, params: Mapping[str, Any]) -> str:
        missing = [f for f in self.fields if f not in params]
        if missing:
            raise TemplateError(f"短信模板“{self.key}”缺少参数：{'、'.join(missing)}")
        unknown = sorted(set(params) - set(self.fields))
        if unknown:
            raise TemplateError(f"短信模板“{self.key}”没有参数：{'、'.join(unknown)}")
        for name in self.fields:
            value = params[name]
            if not isinstance(value, (str, int)) or isinstance(value, bool):
                raise TemplateError(f"短信模板“{self.key}”的参数“{name}”必须是文字或整数")
            if "\n" in str(value) or len(str(value)) > 200:
                raise TemplateError(f"短信模板“{self.key}”的参数“{name}”过长或含换行")
        return self.text.format_map({k: str(params[k]) for k in self.fields})


_TEMPLATES: dict[str, Template] = {}


def _fields(key: str, text: str) -> tuple[str, ...]:
    names: list[str] = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise TemplateError(f"短信模板“{key}”的花括号不成对：{exc}") from None
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise TemplateError(f"短信模板“{key}”的占位符“{{{name}}}”无效：只能是 {{名称}}")
        if name not in names:
            names.append(name)
    return tuple(names)


def register_template(key: str, text: str, description: str) -> Template:
    """Register (or re-register with the same text) a template; a feature does this at import time."""
    if not key or len(key) > 64:
        raise TemplateError("短信模板的键必须是 1 至 64 个字符")
    template = Template(key, text, description, _fields(key, text))
    old = _TEMPLATES.get(key)
    if old is not None and old.text != text:
        raise TemplateError(f"短信模板“{key}”已以不同的文字登记")
    _TEMPLATES[key] = template
    return template


def get_template(key: str) -> Template:
    try:
        return _TEMPLATES[key]
    except KeyError:
        raise TemplateError(f"没有登记短信模板“{key}”") from None


def templates() -> list[Template]:
    return sorted(_TEMPLATES.values(), key=lambda t: t.key)


def render(key: str, params: Mapping[str, Any]) -> str:
    return get_template(key).render(params)
