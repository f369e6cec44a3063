"""A zero report is judged on what happened that day, not on standing counts."""

from fangkong.reports.registry import Figure, Section, something_happened


def listed(*figures):
    return [(Section("s", "s", lambda: list(figures), lambda *args: {}), list(figures))]


def test_standing_counts_do_not_make_a_day_eventful():
    figures = listed(Figure("workers_trained", "t", standing=True), Figure("trainings_held", "h"))
    assert not something_happened({"workers_trained": 12, "trainings_held": 0}, figures)
    assert something_happened({"workers_trained": 12, "trainings_held": 1}, figures)


def test_the_figures_of_the_day_do():
    assert something_happened({"new": 1}, listed(Figure("new", "n")))
    assert not something_happened({"new": 0}, listed(Figure("new", "n")))
