"""Training progress for ``make models``: on a terminal one line redrawn in place (step of total,
the losses, steps per second, ETA); in a log (no terminal) a plain line at most every few
seconds, and always the last step. No dependency (Debian's python3-tqdm is not assumed)."""

import sys
import time


def format_eta(seconds):
    """``h:mm:ss`` or ``m:ss``."""
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class StepProgress:
    """Progress of ``total`` steps; ``update(step, loss=...)`` after each reported step."""

    def __init__(self, label, total, stream=None, clock=time.monotonic, every_seconds=5.0,
                 terminal=None):
        self.label = label
        self.total = total
        self.stream = stream if stream is not None else sys.stdout
        self.clock = clock
        self.every_seconds = every_seconds
        self.terminal = self.stream.isatty() if terminal is None else terminal
        self.started = clock()
        self.last_printed = None

    def line(self, step, values):
        elapsed = max(1e-9, self.clock() - self.started)
        rate = step / elapsed
        parts = [f"{self.label} step {step}/{self.total}"]
        parts += [f"{name} {value:.4f}" for name, value in values.items()]
        parts.append(f"{rate:.2f} steps/s")
        if rate > 0 and step < self.total:
            parts.append(f"ETA {format_eta((self.total - step) / rate)}")
        else:
            parts.append(f"{format_eta(elapsed)} elapsed")
        return ", ".join(parts)

    def update(self, step, **values):
        """Prints when due (always at the last step); returns the line printed, or None."""
        now = self.clock()
        last = step >= self.total
        due = self.terminal or self.last_printed is None \
            or now - self.last_printed >= self.every_seconds
        if not (due or last):
            return None
        self.last_printed = now
        text = self.line(step, values)
        if self.terminal:
            self.stream.write("\r" + text + ("\n" if last else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()
        return text
