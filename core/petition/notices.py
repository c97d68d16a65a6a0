"""The SMS a petitioner receives (templates of the notifications outbox, registered at import).

Registered from ``core/petition/sync.py``, so the server knows them whenever the petition feature is loaded.
Sent on receipt (the portal's bridge), for a one-time tracking code, on acceptance, on the answer and when
the deadline is extended.
"""

from __future__ import annotations

from core.notifications import register_template

RECEIPT = "petition.receipt"
OTP = "petition.otp"
ACCEPTED = "petition.accepted"
ANSWERED = "petition.answered"
EXTENDED = "petition.extended"

register_template(RECEIPT, "【上海人大信访】您的信访已收到，编号{code}，查询码{tracking}，可在信访网上服务查询进度。",
                  "收到信访（回执）：编号、查询码")
register_template(OTP, "【上海人大信访】查询验证码{code}，10分钟内有效，请勿告诉他人。", "查询办理进度的一次性验证码")
register_template(ACCEPTED, "【上海人大信访】您的信访（编号{code}）已由{body}受理，将于{due}前办理答复。",
                  "受理：编号、承办单位、答复期限")
register_template(ANSWERED, "【上海人大信访】您的信访（编号{code}）已答复，请凭查询码在信访网上服务查看并评价。",
                  "答复：编号")
register_template(EXTENDED, "【上海人大信访】您的信访（编号{code}）办理期限延长至{due}，理由：{reason}。",
                  "延期：编号、新期限、理由")
