from exporters.common.report import markdown_table, new_figure, save_figure


def test_markdown_table_has_a_header_a_rule_and_one_line_per_row():
    assert markdown_table(["a", "b"], [[1, 2.5], ["x", "y"]]) == (
        "| a | b |\n| --- | --- |\n| 1 | 2.5 |\n| x | y |\n"
    )


def test_figures_are_saved_as_png_without_a_display(tmp_path):
    figure, axes = new_figure()
    axes.plot([0, 1], [1, 0])
    path = save_figure(figure, tmp_path / "f.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
