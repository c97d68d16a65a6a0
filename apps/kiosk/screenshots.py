"""Screenshots of the kiosk's faces on a real demo meeting driven by seat events."""

from __future__ import annotations

from collections.abc import Iterator

from apps.common.screenshots import Shot, ShotEnv, screenshot
from apps.kiosk.bigscreen import BigScreen
from apps.kiosk.console import ChairConsole
from apps.kiosk.demo import demo_setup
from apps.kiosk.lockdown import PinDialog, PinStore
from apps.kiosk.panel import SeatPanel
from apps.kiosk.seatface import SeatFace
from apps.kiosk.source import ConferenceFeed, LocalConference
from core.conference import events as ev
from core.conference.journal import JournaledConference
from core.conference.meeting import MicMode
from core.conference.state import ConferenceState


class ShotClock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def demo_feed(present: int = 24) -> tuple[ConferenceFeed, ShotClock]:
    clock = ShotClock()
    feed = ConferenceFeed(LocalConference(ConferenceState(demo_setup())), clock=clock, tick_ms=0)
    for seat in range(1, present + 1):
        feed.apply(ev.SeatKeyPressed(seat, feed.now()))
    feed.send(lambda t: ev.OpenMeeting(t))
    feed.send(lambda t: ev.SetMicMode(t, MicMode.APPLY, 2))
    for seat in (5, 7, 9):
        feed.apply(ev.SpeakRequested(seat, feed.now()))
    feed.send(lambda t: ev.ApproveSpeaker(t, 5))
    return feed, clock


@screenshot("kiosk")
def kiosk_faces(env: ShotEnv) -> Iterator[Shot]:
    feed, clock = demo_feed()
    feed.send(lambda t: ev.OpenVote(t, "b1"))
    for seat in range(2, 17):
        feed.apply(ev.VoteCast(seat, feed.now(), ("yes", "yes", "no", "abstain")[seat % 4]))
    feed.send(lambda t: ev.SeatFault(12, t, "按键无响应"))
    clock.t += 22
    feed.send(lambda t: ev.Tick(t))
    console = ChairConsole(feed)
    console.resize(1920, 1080)
    yield "kiosk-console-voting", console

    seat_face = SeatFace(feed, 20)
    seat_face.resize(1280, 800)
    yield "kiosk-seat-voting", seat_face

    panel = SeatPanel(feed)
    panel.resize(1500, 960)
    yield "kiosk-seat-panel", panel

    big = BigScreen(feed)
    big.resize(1920, 1080)
    yield "kiosk-bigscreen-voting", big

    for seat in range(17, 25):
        feed.apply(ev.VoteCast(seat, feed.now(), "yes"))
    feed.send(lambda t: ev.CloseVote(t))
    yield "kiosk-bigscreen-result", big
    yield "kiosk-console-result", console
    env.set_language("en")
    english = BigScreen(feed)
    english.resize(1920, 1080)
    yield "kiosk-bigscreen-result-en", english
    english_console = ChairConsole(feed)
    english_console.resize(1920, 1080)
    yield "kiosk-console-result-en", english_console
    env.set_language("zh_CN")

    feed.send(lambda t: ev.OpenVote(t, "p1"))
    appointment = SeatFace(feed, 20)
    appointment.resize(1280, 800)
    feed.apply(ev.VoteCast(20, feed.now(), "yes", 0))
    appointment.next_button.click()
    feed.send_message([20], "表决结束后请留在座位，稍后宣读任命书。")
    yield "kiosk-seat-appointment", appointment
    feed.send(lambda t: ev.PutQuestion(t, 1))
    yield "kiosk-console-appointment", console
    feed.send(lambda t: ev.CancelVote(t))

    pins = PinStore(env.folder / "kiosk-shots.ini")
    pins.set_pin("2468")
    dialog = PinDialog(pins, reason=dialog_reason())
    dialog.pin_edit.setText("13")
    dialog.submit()
    yield "kiosk-pin", dialog
    first = PinDialog(PinStore(env.folder / "kiosk-first.ini"), setting=True)
    yield "kiosk-pin-first-start", first


def dialog_reason() -> str:
    from apps.common.qt import QCoreApplication

    return QCoreApplication.translate("KioskWindow", "退出会务系统需要操作员密码")


@screenshot("kiosk-print")
def kiosk_print(env: ShotEnv) -> Iterator[Shot]:
    """The chair's console right after a vote of a journaled meeting, and the result sheet's print preview."""
    clock = ShotClock()
    conference = JournaledConference.create(env.folder / "kiosk-print.journal", demo_setup())
    feed = ConferenceFeed(LocalConference(conference), clock=clock, tick_ms=0)
    for seat in range(1, 25):
        feed.apply(ev.SeatKeyPressed(seat, feed.now()))
    feed.send(lambda t: ev.OpenMeeting(t))
    feed.send(lambda t: ev.OpenVote(t, "b1"))
    for seat in range(1, 25):
        feed.apply(ev.VoteCast(seat, feed.now(), "yes" if seat <= 19 else ("no", "abstain")[seat % 2]))
    clock.t += 30
    feed.send(lambda t: ev.CloseVote(t))
    console = ChairConsole(feed)
    console.resize(1920, 1080)
    console.show()
    yield "kiosk-console-printable", console
    console.print_button.click()
    env.settle()
    if console.preview is None:
        raise RuntimeError("the result sheet's print preview did not open")
    console.preview.resize(1200, 1000)
    yield "kiosk-result-sheet-preview", console.preview
