"""Screenshots of meeting preparation: the list, and each tab of a meeting prepared from the synced
deputy registry (as the conference operator sees it after a sync)."""

from __future__ import annotations

from collections.abc import Iterator

from apps.common.screenshots import Shot, ShotEnv, screenshot
from apps.conference.demo import demo_draft, fake_deputies
from apps.conference.services import PrepServices
from apps.conference.window import PrepWorkspace, create_window


@screenshot("conference-prep")
def preparation(env: ShotEnv) -> Iterator[Shot]:
    context = env.connect("operator", store="conference-operator")
    env.sync(context)
    services = PrepServices(context.store.session)
    deputies = env.run(lambda _: services.deputies()) or fake_deputies()
    draft = demo_draft(deputies)
    env.run(lambda _: services.save(draft, "ready"))
    second = demo_draft(deputies, seated=12)
    second.title = "主席团第四次会议"
    env.run(lambda _: services.save(second))
    window = create_window(context)
    window.resize(1500, 960)
    env.settle()
    yield "conference-prep-list", window

    workspace = window.findChild(PrepWorkspace)
    assert workspace is not None
    workspace.open_meeting(draft.meeting_id)
    env.settle()
    editor = workspace.editor
    assert editor is not None
    for tab, name in ((editor.basics, "basics"), (editor.members, "members"), (editor.seats, "seats"),
                      (editor.agenda, "agenda")):
        editor.tabs.setCurrentWidget(tab)
        if tab is editor.agenda:
            editor.agenda.items.setCurrentRow(3)
        if tab is editor.seats:
            editor.seats.grid.select_seat(6)
        env.settle()
        yield f"conference-prep-{name}", window

    env.set_language("en")
    english = create_window(context)
    english.resize(1500, 960)
    workspace_en = english.findChild(PrepWorkspace)
    assert workspace_en is not None
    workspace_en.open_meeting(draft.meeting_id)
    env.settle()
    if workspace_en.editor is not None:
        workspace_en.editor.tabs.setCurrentWidget(workspace_en.editor.agenda)
        workspace_en.editor.agenda.items.setCurrentRow(0)
    env.settle()
    yield "conference-prep-agenda-en", english
    env.set_language("zh_CN")
