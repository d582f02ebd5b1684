"""Trend charts: period labels stay inside the picture and apart from each other, however many periods."""

import xml.etree.ElementTree as ElementTree

from servicepact.slm.reporting.charts import CHAR_WIDTH, WIDTH, Point, axis_labels, line_chart, period_axis

SVG = "{http://www.w3.org/2000/svg}"


def weeks(count: int, first: int = 1, year: int = 2026) -> list[str]:
    return [f"{year}-W{week:02d}" for week in range(first, first + count)]


def period_labels(svg: str) -> list[tuple[float, str]]:
    root = ElementTree.fromstring(svg)
    return [(float(text.get("x")), text.text) for text in root.iter(f"{SVG}text") if text.get("class") == "period"]


def tick_labels(svg: str) -> list[str]:
    root = ElementTree.fromstring(svg)
    return [text.text for text in root.iter(f"{SVG}text") if text.get("class") is None]


def assert_readable(labels: list[tuple[float, str]]) -> None:
    """Each label wholly inside the picture, and no two labels touching."""
    for x, text in labels:
        half = len(text) * CHAR_WIDTH / 2
        assert half <= x <= WIDTH - half, (x, text)
    for (x1, left), (x2, right) in zip(labels, labels[1:]):
        assert x2 - x1 >= (len(left) + len(right)) * CHAR_WIDTH / 2, (left, right)


def test_the_newest_label_is_not_cut_at_the_right_edge():
    labels = period_labels(line_chart([Point(label, 0.97) for label in weeks(2, first=45)]))
    assert [text for _, text in labels] == ["2026-W45", "W46"]
    assert_readable(labels)
    alone = period_labels(line_chart([Point("2026-01", 0.97)]))
    assert [text for _, text in alone] == ["2026-01"]
    assert_readable(alone)


def test_a_dozen_months_all_labelled_and_readable():
    months = [f"2026-{month:02d}" for month in range(1, 13)]
    labels = period_labels(line_chart([Point(month, 0.9) for month in months]))
    assert [text for _, text in labels] == months
    assert_readable(labels)


def test_twelve_weeks_are_all_labelled_the_first_with_its_year():
    labels = period_labels(line_chart([Point(name, 0.95) for name in weeks(12, first=35)]))
    assert [text for _, text in labels] == ["2026-W35"] + [f"W{week}" for week in range(36, 47)]
    assert_readable(labels)


def test_many_periods_label_every_other_or_fewer_always_the_newest_and_the_year_first():
    days = [f"2026-03-{day:02d}" for day in range(1, 32)]
    months = [f"{2025 + month // 12}-{month % 12 + 1:02d}" for month in range(24)]
    for names in (weeks(26, first=27), days, months):
        svg = line_chart([Point(name, 0.95) for name in names])
        labels = period_labels(svg)
        assert_readable(labels)
        assert len(names) // 4 <= len(labels) < len(names)
        assert labels[0][1][:4] == names[0][:4] or labels[0][1] in names  # the first label shown has its year
        newest_x = max(
            float(point.split(",")[0])
            for point in ElementTree.fromstring(svg).find(f"{SVG}polyline").get("points").split()
        )
        assert labels[-1][0] == newest_x and names[-1].endswith(labels[-1][1])


def test_the_stride_grows_only_as_far_as_needed():
    assert [index for index, _ in period_axis(weeks(6), step=60)] == [0, 1, 2, 3, 4, 5]
    assert [index for index, _ in period_axis(weeks(6), step=25)] == [1, 3, 5]
    assert [index for index, _ in period_axis(weeks(6), step=20)] == [2, 5]
    assert period_axis([], step=10) == []


def test_the_year_is_shown_where_it_changes():
    assert axis_labels(["2026-W51", "2026-W52", "2026-W53", "2027-W01", "2027-W02"]) == [
        "2026-W51",
        "W52",
        "W53",
        "2027-W01",
        "W02",
    ]
    assert axis_labels(["2026-03-30", "2026-03-31"]) == ["2026-03-30", "03-31"]
    assert axis_labels(["2026-11", "2026-12", "2027-01"]) == ["2026-11", "2026-12", "2027-01"]


def test_ratio_axes_run_in_round_steps_to_100_percent():
    assert tick_labels(line_chart([Point("2026-W01", 0.97), Point("2026-W02", 0.93)], target=0.95)) == [
        "80%",
        "85%",
        "90%",
        "95%",
        "100%",
    ]
    assert tick_labels(line_chart([Point("2026-W01", 0.31), Point("2026-W02", 0.64)], target=0.6)) == [
        "20%",
        "40%",
        "60%",
        "80%",
        "100%",
    ]
    assert tick_labels(line_chart([Point("2026-W01", 0.0), Point("2026-W02", None)])) == [
        "0%",
        "25%",
        "50%",
        "75%",
        "100%",
    ]


def test_labels_are_escaped():
    svg = line_chart([Point("<b>", 1.0)], title='"quoted"')
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "&quot;quoted&quot;" in svg
    ElementTree.fromstring(svg)
