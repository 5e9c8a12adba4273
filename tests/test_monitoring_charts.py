"""Charts of monitoring figures: PNG at print resolution, Russian labels, decimal commas."""
import io
import json

import pytest
from PIL import Image

from blueprints.monitoring import charts

SCHOOLS = [f"МБОУ «Средняя общеобразовательная школа № {n}»" for n in range(1, 21)]


def size_of(png):
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(png)) as image:
        return image.size, image.info.get("dpi")


@pytest.mark.parametrize("value, places, text", [
    (12.5, None, "12,5"), (3.0, None, "3"), (0.125, None, "0,13"), (-2.25, None, "−2,25"),
    (-0.001, None, "0"), (1234.567, 1, "1234,6"), (7, 2, "7,00"), (None, None, ""),
    (float("nan"), None, ""),
])
def test_decimal_comma(value, places, text):
    assert charts.decimal_comma(value, places) == text


def test_bars_are_16_cm_wide_at_200_dpi_with_russian_labels():
    values = [n * 1.3 for n in range(20)]
    values[4] = None  # a school without a value is left out, not drawn as zero
    (width, height), dpi = size_of(charts.bars(
        SCHOOLS, values, unit="%", mean=12.4, higher_is_better=False,
        title="Доля обучающихся, получивших «2»"))
    assert width == int(charts.WIDTH_CM / 2.54 * charts.DPI)
    assert height >= int(charts.HEIGHT_CM / 2.54 * charts.DPI)
    assert round(dpi[0]) == charts.DPI


def test_bars_for_500_schools_stay_a_printable_page():
    (width, height), _ = size_of(charts.bars(
        [f"МБОУ «СШ № {n}»" for n in range(500)], [n % 37 for n in range(500)], mean=18))
    assert width == int(charts.WIDTH_CM / 2.54 * charts.DPI)
    assert height < 27 / 2.54 * charts.DPI  # the best and the worst 15: within an A4 page


def test_dynamics_comparison_and_distribution_draw():
    periods = ["I полугодие 2025/2026", "II полугодие 2025/2026", "I полугодие 2026/2027"]
    for png in (
            charts.dynamics(periods, [("Среднее по муниципалитету", [12.4, None, 9.8])], unit="%"),
            charts.comparison(SCHOOLS[:5], [1, 2, 3, None, 5], [2, None, 4, 4, 4], unit="чел."),
            charts.distribution([5.5, 7, 7.25, 12, 30], unit="%", mean=12.4),
            charts.distribution([4, 4, 4], mean=4),  # every value the same: one range
            charts.distribution([]), charts.bars(["МБОУ «СШ № 1»"], [None])):
        (width, _), _ = size_of(png)
        assert width == int(charts.WIDTH_CM / 2.54 * charts.DPI)


def test_tick_labels_use_the_decimal_comma():
    figure = charts._figure()
    ax = figure.add_subplot()
    ax.plot([0, 1], [0, 2.5])
    charts._tick_formatter(ax.yaxis)
    figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert "2,5" in labels and not any("." in label for label in labels)


def test_cyrillic_labels_draw_in_liberation_serif_without_missing_glyphs():
    import warnings

    from matplotlib import font_manager
    path = font_manager.findfont(font_manager.FontProperties(family="serif"),
                                 fallback_to_default=False)
    assert "LiberationSerif" in path
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # «Glyph … missing from font(s)» would raise
        charts.bars(["МБОУ «СОШ № 5» им. Ю.А. Гагарина", "Лицей № 1"], [-1.5, 2.25],
                    unit="%", mean=0.4, title="Доля обучающихся, получивших «2» — ВПР, 5 кл.")
        charts.distribution([1, 2, 3], unit="ур.", title="Пропуски уроков")


def test_charts_drawn_side_by_side_are_the_charts_drawn_one_by_one():
    from blueprints.monitoring import chart_pool
    specs = [{"kind": "bars", "labels": ["МБОУ «СОШ № 1»", "МБОУ «СОШ № 2»"],
              "values": [12.5, 30.0], "unit": "%", "mean": 21.25},
             {"kind": "distribution", "values": [1, 2, 2, 3, 5, 8], "unit": ""},
             {"kind": "dynamics", "labels": ["2025/2026", "2026/2027"], "values": [3, 4],
              "unit": ""}]
    keys = [json.dumps(spec, ensure_ascii=False) for spec in specs]
    together = chart_pool.start(charts.from_spec_json, keys)()
    alone = [charts.from_spec_json(key) for key in keys]
    assert [Image.open(io.BytesIO(png)).size for png in together] == \
        [Image.open(io.BytesIO(png)).size for png in alone]
    assert [Image.open(io.BytesIO(png)).tobytes() for png in together] == \
        [Image.open(io.BytesIO(png)).tobytes() for png in alone]
