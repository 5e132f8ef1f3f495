"""Small report building blocks: markdown tables and PNG figures rendered without a display."""

import matplotlib

matplotlib.use("Agg")  # build machines have no display; select before pyplot is imported

import matplotlib.pyplot as plt  # noqa: E402

# Small enough that a committed PNG stays well under 300 KB.
FIGURE_SIZE_INCHES = (6.0, 4.0)
FIGURE_DPI = 100


def markdown_table(headers, rows):
    lines = [_row(headers), _row(["---"] * len(headers))]
    lines += [_row(row) for row in rows]
    return "\n".join(lines) + "\n"


def new_figure():
    return plt.subplots(figsize=FIGURE_SIZE_INCHES, dpi=FIGURE_DPI)


def save_figure(figure, path):
    """Writes ``figure`` as PNG and closes it, so long report runs do not accumulate figures."""
    figure.tight_layout()
    figure.savefig(path, format="png", dpi=FIGURE_DPI)
    plt.close(figure)
    return path


def _row(cells):
    return "| " + " | ".join(str(cell) for cell in cells) + " |"
