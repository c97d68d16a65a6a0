"""The SMS notifications outbox: a feature-neutral engine (features register templates and queue messages).

A feature uses::

    from core.notifications import queue_sms, register_template

    register_template("petition.accepted", "您的信访件{code}已受理。", "信访件受理告知")
    queue_sms(session, template_key="petition.accepted", params={"code": case.code},
              recipient=("pet_petitioner", petitioner.id, "phone"), scope=case.scope,
              dedup_key=f"petition.accepted:{case.id}")

See ``docs/notifications.md``.
"""

from core.notifications.outbox import message_id, queue_sms
from core.notifications.sms import sms_parts, split_sms
from core.notifications.templates import TemplateError, register_template, render

__all__ = ["TemplateError", "message_id", "queue_sms", "register_template", "render", "sms_parts", "split_sms"]
