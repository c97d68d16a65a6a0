"""Plain-Chinese messages for the errors a desktop user can meet (sign-in, network, sync, permissions)."""

from __future__ import annotations

import requests

from apps.common.qt import QCoreApplication
from core.remote import LoginFailed
from core.sync.transport import AuthExpired, Cancelled, Forbidden, NetworkError, SyncError


def is_network_error(error: BaseException) -> bool:
    """True when the server could not be reached (also when a failed sign-in was caused by that)."""
    if error.__cause__ is not None and is_network_error(error.__cause__):
        return True
    if isinstance(error, NetworkError | ConnectionError | TimeoutError):
        return True
    return isinstance(error, requests.ConnectionError | requests.Timeout)


def user_message(error: BaseException, server_url: str = "") -> str:
    """A message a clerk can act on; the technical detail goes to the log, not the screen."""
    if is_network_error(error):
        where = server_url or QCoreApplication.translate("ErrorText", "服务器")
        return QCoreApplication.translate(
            "ErrorText", "无法连接服务器（{where}）。请检查网络连接和服务器地址，稍后再试。"
        ).format(where=where)
    if isinstance(error, LoginFailed):
        text = str(error).strip()
        return text or QCoreApplication.translate("ErrorText", "用户名或密码不正确，请重新输入。")
    if isinstance(error, AuthExpired):
        return QCoreApplication.translate("ErrorText", "登录已过期或已被注销，请重新登录。")
    if isinstance(error, Cancelled):
        return QCoreApplication.translate("ErrorText", "同步已取消。已完成的部分已保存，下次同步会从这里继续。")
    if isinstance(error, Forbidden):
        return str(error).strip() or QCoreApplication.translate("ErrorText", "您没有执行这项操作的权限。")
    if isinstance(error, SyncError | PermissionError):
        return str(error).strip() or QCoreApplication.translate("ErrorText", "操作未能完成，请稍后再试。")
    return QCoreApplication.translate("ErrorText", "出现意外错误：{detail}。请把这段文字告诉信息中心。").format(
        detail=f"{type(error).__name__}: {error}"
    )
