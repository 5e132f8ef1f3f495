import io

from exporters.common.progress import StepProgress, format_eta


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_formats_the_eta_in_minutes_or_hours():
    assert format_eta(65) == "1:05"
    assert format_eta(3725) == "1:02:05"
    assert format_eta(-3) == "0:00"


def test_a_log_line_has_step_of_total_loss_rate_and_eta():
    clock, out = FakeClock(), io.StringIO()
    progress = StepProgress("ssd", 1000, stream=out, clock=clock, terminal=False)
    clock.now += 10
    line = progress.update(100, loss=0.5)
    assert line == "ssd step 100/1000, loss 0.5000, 10.00 steps/s, ETA 1:30"
    assert out.getvalue() == line + "\n"


def test_in_a_log_prints_at_most_every_few_seconds_but_always_the_last_step():
    clock, out = FakeClock(), io.StringIO()
    progress = StepProgress("x", 10, stream=out, clock=clock, terminal=False, every_seconds=5)
    assert progress.update(1, loss=1.0) is not None
    clock.now += 1
    assert progress.update(2, loss=1.0) is None
    clock.now += 5
    assert progress.update(3, loss=1.0) is not None
    clock.now += 0.1
    assert progress.update(10, loss=0.1).endswith("elapsed")
    assert len(out.getvalue().splitlines()) == 3


def test_on_a_terminal_redraws_one_line_in_place():
    clock, out = FakeClock(), io.StringIO()
    progress = StepProgress("x", 2, stream=out, clock=clock, terminal=True)
    clock.now += 1
    progress.update(1, loss=1.0)
    progress.update(2, loss=0.5)
    assert out.getvalue().startswith("\rx step 1/2")
    assert "\rx step 2/2" in out.getvalue()
    assert out.getvalue().endswith("\n") and out.getvalue().count("\n") == 1
