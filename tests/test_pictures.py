"""Charts and the HTML report; the report rendered in headless Chromium where it can be installed."""

import base64
import inspect
import re
from html import escape

import numpy as np
import pytest

import calc
from calc.cli import main
from calc.reporting import docstring_html

from conftest import CHROMIUM_FLAGS, chromium, require

require("matplotlib")


@pytest.fixture(scope="module")
def frame(figures):
    return calc.run(["article-demands", "status-quo", "hanoi-2019"], assumptions=figures)


@pytest.fixture(scope="module")
def uncertain():
    return calc.montecarlo(["article-demands", "hanoi-2019"], n=2000, seed=1)


def test_scenarios_chart_draws_what_is_earned_beside_what_is_unlocked_both_upwards(frame):
    from calc.display import comparison

    figure = calc.plot_scenarios(frame)
    money, fuel = figure.axes
    assert money.get_ylabel() == "USD million per year"
    assert fuel.get_ylabel() == "thousand barrels per year (42-gallon oil barrels)"
    central = frame[frame["year"] == 2036].pivot_table(index="variable", columns="scenario", values="value")
    names = ["article-demands", "status-quo", "hanoi-2019"]
    bars = {container.get_label(): container for container in money.containers}
    heights = {label: [bar.get_height() for bar in container] for label, container in bars.items()}
    # each area's value in USD M/yr: what it earns in the left bar of each scenario, what it unlocks in the right
    assert heights["Metal export revenue"] == pytest.approx(list(central.loc["Revenue|Metal Exports", names] / 1e6))
    luxury = central.loc["Imports Unlocked|Luxury Imports", names] / 1e6
    assert heights["Luxury Imports unlocked"] == pytest.approx(list(luxury))
    assert luxury["article-demands"] == pytest.approx(69.6 * 0.68 / 0.32)  # unlocked, upwards: access, not a loss
    assert all(height >= 0 for row in heights.values() for height in row)  # nothing below zero
    assert not any(label.endswith("spending") for label in heights)  # what is bought is not drawn
    assert "Crude Oil unlocked" not in heights  # no effect in any scenario: not drawn
    for position in range(3):  # earned on the left of each scenario's place, unlocked on the right
        assert bars["Metal export revenue"][position].get_x() + 0.4 == pytest.approx(position)
        assert bars["Refined Petroleum unlocked"][position].get_x() == pytest.approx(position)
    minor = [tick.get_text() for tick in money.get_xticklabels(minor=True)]
    assert minor == ["earned"] * 3 + ["unlocked"] * 3
    assert [tick.get_text() for tick in money.get_xticklabels()] == names
    # the net is no marker: a footnote gives it, as the table prints it, and says why it is not drawn
    assert len(money.collections) == 0
    (foot,) = [text for text in figure.texts if "Stangarone" in text.get_text()]
    net = comparison(frame).loc["Hard currency left after buying the unlocked imports (USD M/yr)"]
    left = "; ".join(f"{name} {net[name]}" for name in names)
    assert "not drawn, since it is not the difference of the two bars" in foot.get_text()
    assert f"{left}." in foot.get_text().replace("\n", " ") and "Stangarone, KEI 2021" in foot.get_text()
    # fuel: added legal imports per scenario, in thousand bbl/yr
    added = {c.get_label(): [bar.get_height() for bar in c] for c in fuel.containers}["Added legal fuel imports"]
    assert added == pytest.approx(list(central.loc["Fuel|Refined Petroleum|Additional Legal Imports", names] / 1e3))
    styles = [(c.patches[0].get_facecolor(), c.patches[0].get_hatch()) for c in money.containers]
    assert len(set(styles)) == len(styles)  # every area its own colour and hatch


def test_scenarios_chart_says_where_the_budget_binds_and_where_there_is_no_fuel(figures):
    machines = calc.Scenario(name="machines", relief={"capital_goods": 1})
    figure = calc.plot_scenarios(calc.run(machines, assumptions=figures))
    money, fuel = figure.axes
    # capital goods: 1,200 M of demand x 0.9 blocked unlocked; nothing earned, so the budget is the 540 M of other
    # hard currency: it buys 540 / 1,080 of them and leaves -540 M
    assert [bar.get_height() for bar in money.containers[0]] == pytest.approx([1080.0])
    (foot,) = [text for text in figure.texts if "Stangarone" in text.get_text()]
    text = foot.get_text().replace("\n", " ")
    assert "machines -540.0." in text
    assert (
        "machines: the budget binds: it buys 50.0 % of the imports it unlocks, so the hard currency left is the other "
        "hard currency spent on them." in text
    )
    assert [t.get_text() for t in money.texts if t.get_text()] == ["0.0", "1,080.0"]  # each bar's total
    assert [t.get_text() for t in fuel.texts] == ["No scenario shown changes fuel imports"]
    assert fuel.get_ylim() == (0, 1)  # no scale around zero suggesting a fall
    # the net year by year, asked for by its short name
    (axes,) = calc.plot_path(calc.run(machines, assumptions=figures), "net").axes
    assert axes.get_figure().get_suptitle() == "Hard currency left after buying the unlocked imports, year by year"
    assert list(axes.get_lines()[0].get_ydata()) == pytest.approx([-540.0] * 10)


def test_a_tighter_cap_locks_imports_below_zero(figures):
    shut = calc.Scenario(name="shut", petroleum_cap="0 bbl/yr")
    money, _ = calc.plot_scenarios(calc.run(shut, assumptions=figures)).axes
    # the 500,000 bbl/yr allowed today, at 100 USD/bbl, no longer allowed: 50 M of imports locked
    (locked,) = [container for container in money.containers if container.get_label() == "Refined Petroleum unlocked"]
    assert [bar.get_height() for bar in locked] == pytest.approx([-50.0])
    placed = {text.get_text(): text.xy[1] for text in money.texts if text.get_text()}
    assert placed == {"0.0": 0.0, "-50.0": pytest.approx(-50.0)}
    assert money.get_ylim()[0] < -50  # room below the bar for its total


def _series(axes) -> dict[str, tuple[str, str]]:
    """The fill colour and hatch of each bar series of ``axes``, by label."""
    from matplotlib.colors import to_hex

    return {
        c.get_label(): (to_hex(c.patches[0].get_facecolor()), c.patches[0].get_hatch() or "") for c in axes.containers
    }


def test_each_area_has_one_colour_of_its_own_in_every_chart():
    from calc.area import shipped_areas
    from calc.variables import catalogue

    declared = catalogue(shipped_areas()).variables.values()
    area_of = {variable.label: variable.area for variable in declared if variable.charted}
    # crude oil is paid in hard currency only where an analyst says some of it is (shipped: none, it is aid)
    paid = calc.load_assumptions().override(
        {"crude_oil.hard_currency_share": 0.5, "crude_oil.pre_sanction_imports": "6e6 bbl/yr"}
    )
    colours: dict[str, set] = {}
    for names, assumptions in (
        (["article-demands"], None),
        (["status-quo", "hanoi-2019", "full-relief"], None),
        (["coal-only"], None),
        (["crude-oil-lifted", "luxury-only"], paid),
    ):
        money, fuel = calc.plot_scenarios(calc.run(names, assumptions=assumptions)).axes
        for label, (colour, hatch) in _series(money).items():
            colours.setdefault(area_of[label], set()).add(colour)
            assert ("//" in hatch) == label.endswith("unlocked"), label  # what is unlocked striped, earned solid
        first: dict[str, str] = {}
        for label, (colour, hatch) in _series(fuel).items():  # an area's first fuel measure in its colour
            first.setdefault(area_of[label], colour)
            assert ("//" in hatch) == label.startswith("Added legal"), label  # unlocked volume striped too
        for area, colour in first.items():
            colours[area].add(colour)
    assert sorted(colours) == sorted(area.name for area in shipped_areas())  # every area was drawn
    assert all(len(seen) == 1 for seen in colours.values()), colours  # one colour per area, chart after chart
    assert len({colour for (colour,) in colours.values()}) == len(colours)  # and no two areas share one
    assert colours["capital_goods"] == {"#8c564b"}  # the eleventh: brown (docs/how-to/charts-and-report.md)


def test_an_added_area_has_a_look_of_its_own(write, tmp_path):
    from test_areas import AREA_DECLARATION, AREA_PARAMETERS

    write("mine/areas.toml", AREA_DECLARATION)
    write("mine/iron_ore.toml", AREA_PARAMETERS)
    mine = calc.load_assumptions(tmp_path / "mine")
    mine = mine.override({"crude_oil.hard_currency_share": 0.5, "crude_oil.pre_sanction_imports": "6e6 bbl/yr"})
    ore = calc.Scenario(name="ore", relief={"iron_ore": 0.5})
    money, _ = calc.plot_scenarios(calc.run(["full-relief", ore], assumptions=mine)).axes
    looks = _series(money)
    assert len(looks) == 12 and len(set(looks.values())) == 12  # the twelfth area too looks like no other
    assert looks["Iron ore export revenue"] == (looks["Metal export revenue"][0], "..")  # the colours come round


def test_a_scenario_has_one_colour_in_the_path_and_the_fan_chart():
    from matplotlib.colors import to_hex

    names = ["status-quo", "article-demands", "hanoi-2019"]
    (path,) = calc.plot_path(calc.run(names)).axes
    lines = {line.get_label(): to_hex(line.get_color()) for line in path.get_lines()[:3]}
    assert list(lines) == names and len(set(lines.values())) == 3
    (axes,) = calc.plot_fan(calc.montecarlo(names, n=200, seed=1)).axes  # no ramp: an interval per scenario
    (band,) = [c for c in axes.collections if c.get_label() == "p5 to p95"]
    shown = [tick.get_text() for tick in axes.get_xticklabels()]  # the status quo changes nothing: left out
    assert dict(zip(shown, map(to_hex, band.get_colors()), strict=True)) == {name: lines[name] for name in names[1:]}
    ramped = ["status-quo", *(calc.Scenario(name=n, metals_share=1, ramp_years=4) for n in ("a", "b"))]
    (path,) = calc.plot_path(calc.run(ramped)).axes
    lines = {line.get_label(): to_hex(line.get_color()) for line in path.get_lines()[:3]}
    panels = [axes for axes in calc.plot_fan(calc.montecarlo(ramped, n=200, seed=1)).axes if axes.get_visible()]
    assert {axes.get_title(): to_hex(axes.get_lines()[0].get_color()) for axes in panels} == {
        "a": lines["a"],
        "b": lines["b"],
    }


def test_scenarios_chart_labels_its_bars_as_the_table_prints_them(frame, figures):
    from calc.display import comparison

    table = comparison(frame)
    money, _ = calc.plot_scenarios(frame).axes
    # each bar's total at its top, in the table's words: hard currency earned on the left, imports unlocked right
    placed = {(round(text.xy[0], 6), round(float(text.xy[1]), 6)): text.get_text() for text in money.texts}
    last = frame[frame["year"] == 2036].pivot_table(index="variable", columns="scenario", values="value") / 1e6
    for position, name in enumerate(["article-demands", "status-quo", "hanoi-2019"]):
        earned, unlocked = last.loc[["Revenue", "Imports Unlocked"], name]
        assert placed[(position - 0.2, round(earned, 6))] == table.loc["Hard currency earned (USD M/yr)", name]
        assert placed[(position + 0.2, round(unlocked, 6))] == table.loc["Imports unlocked (value) (USD M/yr)", name]
    assert [text for (x, _), text in placed.items() if round(x) == 1] == ["0.0", "0.0"]  # the status quo
    # hanoi-2019 alone: the axis spans 2,195 M; each segment at least 5 % of that (109.75 M) holds its value, and
    # fishing rights (58 M) and overseas workers (100 M) are too thin; unlocked, refined petroleum with the cap
    # lifted 4 M bbl x 100 USD and capital goods 1,200 M x 0.9
    money, _ = calc.plot_scenarios(calc.run("hanoi-2019", assumptions=figures)).axes
    segments = ["220.0", "896.0", "295.0", "376.0", "250.0", "400.0", "1,080.0"]
    assert sorted(text.get_text() for text in money.texts if text.get_text()) == sorted(
        [*segments, "2,195.0", "1,480.0"]
    )
    assert all(table.loc[row, "hanoi-2019"] in segments for row in table.index if "Coal" in row or "Capital" in row)
    # the three demands: metals 220 M (its bar's only segment, so the total says it); fuel 1.5 M bbl x 100 USD and
    # luxury 69.6 M x 0.68 / 0.32 unlocked
    money, fuel = calc.plot_scenarios(calc.run("article-demands", assumptions=figures)).axes
    assert sorted(text.get_text() for text in money.texts if text.get_text()) == sorted(
        ["220.0", "150.0", "147.9", "297.9"]
    )
    # fuel in the axis's thousands of barrels: 1.5 M bbl/yr more allowed, half of it displacing smuggled fuel
    assert sorted(text.get_text() for text in fuel.texts if text.get_text()) == ["1,500", "750"]


def _inside(figure) -> None:
    """Every text of ``figure`` (title, source line, labels) lies inside it once drawn, at the resolution of the
    screen and of a saved PNG (text fitted to pixels runs wider at some), and the source line clear of every
    chart and its legend."""
    for dpi in (100, 150):
        figure.set_dpi(dpi)
        figure.draw_without_rendering()
        box = figure.bbox
        for text in [*figure.texts, *(text for axes in figure.axes for text in axes.texts if text.get_text())]:
            extent = text.get_window_extent()
            inside = box.x0 <= extent.x0 and extent.x1 <= box.x1 and box.y0 <= extent.y0 and extent.y1 <= box.y1
            assert inside, (dpi, text.get_text(), extent, box)
        (source,) = [text for text in figure.texts if "Stangarone" in text.get_text()]
        for axes in figure.axes:
            if axes.get_visible():
                assert not source.get_window_extent().overlaps(axes.get_tightbbox()), source.get_text()


def test_footnotes_and_titles_lie_inside_the_figure_at_every_size():
    one, three = ["article-demands"], ["article-demands", "hanoi-2019", "full-relief"]
    ramped = calc.Scenario(name="ramped", metals_share=1, ramp_years=4)
    long = calc.Scenario(name="a scenario with a long name " + "x" * 50, metals_share=1)
    for figure in (
        calc.plot_fan(calc.montecarlo(one, n=300, seed=1)),  # 6 inches wide, the narrowest
        calc.plot_fan(calc.montecarlo(three, n=200, seed=1)),
        calc.plot_fan(calc.montecarlo(ramped, n=200, seed=1)),  # one panel
        calc.plot_scenarios(calc.run(one)),
        calc.plot_scenarios(calc.run(["status-quo", *three, "coal-only", "luxury-only", "workers-only"])),
        calc.plot_path(calc.run(three)),
        calc.plot_tornado(calc.tornado(long), top=3),
    ):
        _inside(figure)


def test_path_chart_shows_the_ramp():
    frame = calc.run(calc.Scenario(name="ramped", metals_share=1.0, ramp_years=4, horizon=6))
    (axes,) = calc.plot_path(frame, "Revenue|Metal Exports").axes
    (line,) = axes.get_lines()[:1]
    assert list(line.get_xdata()) == list(range(2027, 2033))
    assert list(line.get_ydata()) == pytest.approx([55, 110, 165, 220, 220, 220])


def test_path_chart_lines_are_dark_enough_to_see():
    from matplotlib.colors import to_rgb

    frame = calc.run([calc.Scenario(name=f"s{index}", metals_share=index / 8) for index in range(8)])
    (axes,) = calc.plot_path(frame).axes
    for line in axes.get_lines()[:8]:
        red, green, blue = to_rgb(line.get_color())
        assert 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.85, line.get_label()  # no near-white line


def test_fan_chart_has_a_panel_per_ramped_scenario_with_median_and_band():
    ramped = [calc.Scenario(name=name, metals_share=1, ramp_years=4) for name in ("a", "b")]
    uncertain = calc.montecarlo([*ramped, "status-quo"], n=2000, seed=1)
    figure = calc.plot_fan(uncertain)
    panels = [axes for axes in figure.axes if axes.get_visible()]
    assert [axes.get_title() for axes in panels] == ["a", "b"]  # the status quo, all zero, is left out
    median = uncertain[
        (uncertain["scenario"] == "a") & (uncertain["variable"] == "Revenue") & (uncertain["quantile"] == 0.5)
    ]["value"].to_numpy()
    assert panels[0].get_lines()[0].get_ydata() == pytest.approx(median / 1e6)
    assert len(panels[0].collections) == 1  # one band: p5 to p95


def test_fan_chart_without_ramp_is_one_interval_per_scenario(uncertain):
    (axes,) = calc.plot_fan(uncertain).axes
    assert [tick.get_text() for tick in axes.get_xticklabels()] == ["article-demands", "hanoi-2019"]
    assert axes.get_figure().get_suptitle() == "Hard currency earned, every year alike: how sure we are"
    last = uncertain[(uncertain["variable"] == "Revenue") & (uncertain["year"] == 2036)]
    medians = last[last["quantile"] == 0.5].set_index("scenario")["value"] / 1e6
    assert list(axes.collections[-1].get_offsets()[:, 1]) == pytest.approx(list(medians))
    (band,) = [c for c in axes.collections if c.get_label() == "p5 to p95"]
    lows = last[last["quantile"] == 0.05]["value"].to_numpy() / 1e6
    assert [segment[0][1] for segment in band.get_segments()] == pytest.approx(list(lows))
    with pytest.raises(calc.InputError, match="no scenario of the frame changes"):
        calc.plot_fan(calc.montecarlo("status-quo", n=50, seed=1))


def test_tornado_chart_orders_by_swing():
    table = calc.tornado("metals-only", "Revenue|Metal Exports")
    (axes,) = calc.plot_tornado(table, "Revenue|Metal Exports").axes
    labels = [tick.get_text() for tick in axes.get_yticklabels()]
    assert labels[-1] == "metals: pre-sanction exports (USD/yr)" and labels[-2] == "metals: price index"
    assert all(label.startswith("metals: ") for label in labels)  # what moves nothing is left out
    assert axes.get_figure().get_suptitle() == "What moves metal export revenue most: metals-only"
    with pytest.raises(calc.InputError, match="'status-quo' eases nothing"):
        calc.tornado("status-quo")
    central = table["result_central"].iloc[0] / 1e6
    assert f"central: {central:,.1f}" in axes.get_xlabel()


def test_tornado_chart_names_the_variable_of_its_table_and_refuses_one_nothing_moves():
    table = calc.tornado("hanoi-2019", "net")
    (axes,) = calc.plot_tornado(table).axes
    title = "What moves hard currency left after buying the unlocked imports most: hanoi-2019"
    assert axes.get_figure().get_suptitle() == title
    assert len(axes.get_yticklabels()) == min(10, int((table["swing"] > 0).sum()))
    with pytest.raises(calc.InputError, match="variable: 'Revenue' is not the variable of this tornado table"):
        calc.plot_tornado(table, "Revenue")
    luxury = calc.tornado("luxury-only")  # by default on the hard currency earned, which import relief leaves alone
    assert luxury.attrs["variable"] == "Revenue" and not luxury["swing"].any()
    with pytest.raises(calc.InputError, match="no parameter moves 'Revenue' for luxury-only: there is nothing"):
        calc.plot_tornado(luxury)


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_save_figure(frame, tmp_path, suffix):
    path = calc.save_figure(calc.plot_scenarios(frame), tmp_path / f"chart.{suffix}")
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG") if suffix == "png" else b"<svg" in data[:500]
    again = calc.save_figure(calc.plot_scenarios(frame), tmp_path / f"again.{suffix}")
    assert again.read_bytes() == data  # no timestamps: the same chart gives the same bytes


def test_chart_errors(frame, tmp_path):
    with pytest.raises(calc.InputError, match=r"must end in \.png or \.svg"):
        calc.save_figure(calc.plot_scenarios(frame), tmp_path / "chart.jpg")
    with pytest.raises(calc.InputError, match="variable: 'Nope' is not in the frame"):
        calc.plot_path(frame, "Nope")
    with pytest.raises(calc.InputError, match=r"plot_fan: expected a frame from calc\.montecarlo"):
        calc.plot_fan(frame)


def test_chart_command(tmp_path, capsys):
    for kind in ("scenarios", "path", "fan", "tornado"):
        target = tmp_path / f"{kind}.svg"
        assert main(["chart", kind, "article-demands", "hanoi-2019", "-n", "200", "--out", str(target)]) == 0
        assert b"<svg" in target.read_bytes()[:500]
    assert main(["chart", "fan", "status-quo", "--out", str(tmp_path / "x.gif")]) == 2
    assert "must end in .png or .svg" in capsys.readouterr().err
    target = tmp_path / "package.svg"
    assert main(["chart", "package", "hanoi-2019", "us-idea-2019", "-n", "200", "--out", str(target)]) == 0
    assert b"<svg" in target.read_bytes()[:500]
    assert main(["chart", "package", "hanoi-2019", "--out", str(tmp_path / "none.svg")]) == 2
    assert "chart package: name a package (us-idea-2019, imports-first-sequence" in capsys.readouterr().err


@pytest.fixture(scope="module")
def report_path(tmp_path_factory):
    hostile = calc.Scenario(name='<img src=x onerror="alert(1)">', metals_share=0.5)
    path = tmp_path_factory.mktemp("report") / "report.html"
    return calc.report(["article-demands", "status-quo", "hanoi-2019", hostile], path, n=2000, seed=3)


def test_report_is_self_contained_and_complete(report_path):
    html = report_path.read_text("utf-8")
    references = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', html) + re.findall(r"url\(([^)]*)\)", html)
    assert references and all(ref.startswith("data:") for ref in references)
    assert "<link" not in html and "<script" not in html and "<img src=x" not in html  # escaped, never run
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    images = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert len(images) == 4
    assert all(b"<svg" in base64.b64decode(image)[:500] for image in images)
    for parameter in calc.load_assumptions().values():  # every assumption with its source
        assert parameter.name in html and escape(parameter.source) in html
    assert html.count("(judgement)") >= 6
    assert "Stangarone" in html and "seed 3" in html and "2,000 draws" in html


def test_report_leads_with_what_is_earned_and_unlocked_and_gives_the_net_second(report_path):
    html = report_path.read_text("utf-8")
    drawn = calc.montecarlo(["article-demands", "status-quo", "hanoi-2019"], n=2000, seed=3)
    drawn = drawn[(drawn["scenario"] == "article-demands") & (drawn["year"] == 2036)]

    def spread(variable):
        values = drawn[drawn["variable"] == variable].set_index("quantile")["value"] / 1e6
        return f"(90 % range {values[0.05]:,.1f} to {values[0.95]:,.1f})"

    # the three demands on the shipped assumptions, as calc.run gives them in the last year: metals earn 220 M, fuel
    # and luxury goods are unlocked, and what is left after buying them
    (headline,) = re.findall(r'<ul class="headline">(.*?)</ul>', html)
    (item,) = re.findall(r"<li><strong>article-demands</strong>: (.*?)</li>", headline)
    central = calc.run("article-demands")
    last = central[central["year"] == 2036].set_index("variable")["value"] / 1e6
    earned, unlocked, net = (f"{last[name]:,.1f}" for name in ("Revenue", "Imports Unlocked", "Hard Currency|Net"))
    assert earned == "220.0"
    assert item.startswith(
        f"hard currency earned <strong>{earned} USD M/yr</strong> {spread('Revenue')}; "
        f"imports unlocked (value) <strong>{unlocked} USD M/yr</strong> {spread('Imports Unlocked')}.<br>"
    )
    assert item.endswith(
        '<span class="small">Secondary: hard currency left after buying the unlocked imports '
        f"<span>{net} USD M/yr</span> {spread('Hard Currency|Net')}; the budget buys all of them.</span>"
    )
    # the formulas, from the models' docstrings, under each kind with every area of it, then the budget and the net
    assert (
        "<h3>Export earnings (metal exports, coal exports, seafood exports, fishing rights, textile exports, other "
        "2397 exports, overseas workers)</h3>" in html
    )
    assert "revenue   = max(0, legal - displaced) x net_foreign_exchange_share</pre>" in html
    assert "unlocked = share x D x b x ramp" in html and "s = max(R + O - F, 0) / (W - F)" in html
    assert "Hard Currency|Net     = Revenue - Expenditure   (never below minus O: see bought_share)" in html


def test_a_docstring_becomes_paragraphs_and_formula_blocks_without_examples_or_pointers():
    text = """Lead line with ``code``.

    With x the input (docs/explanation/model.md)::

        y = 2 x
            (twice: a < b)

    Over one year:

    >>> double(1)
    2

    Its inverse::

        x = y / 2

    Returns an int.

    >>> half(2)
    1"""
    assert docstring_html(inspect.cleandoc(text)) == (
        "<p>Lead line with <code>code</code>.</p>\n<p>With x the input:</p>\n"
        '<pre class="formulas">y = 2 x\n    (twice: a &lt; b)</pre>\n'
        '<p>Its inverse:</p>\n<pre class="formulas">x = y / 2</pre>'
    )


def test_a_report_of_import_relief_alone_says_there_is_no_hard_currency_earned_to_spread(tmp_path):
    html = calc.report(["luxury-only"], tmp_path / "luxury.html", n=200, seed=1).read_text("utf-8")
    assert "No scenario changes hard currency earned in any draw, so there is no spread to draw" in html
    assert "No assumption moves hard currency earned for <strong>luxury-only</strong>" in html
    assert len(re.findall(r'src="data:image/svg', html)) == 2  # the scenarios and the path: no empty fan or tornado
    html = calc.report(["luxury-only"], tmp_path / "unlocked.html", n=200, seed=1, variable="unlocked").read_text()
    assert len(re.findall(r'src="data:image/svg', html)) == 4 and "No scenario changes" not in html
    assert "Which assumptions move imports unlocked (value) most for <strong>luxury-only</strong>" in html


def test_report_command_and_errors(tmp_path, capsys):
    target = tmp_path / "r.html"
    assert main(["report", "article-demands", "-n", "100", "--out", str(target)]) == 0
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert main(["report", "--out", str(tmp_path / "r.pdf")]) == 2
    assert "must end in .html" in capsys.readouterr().err
    for argv in (["report", "--out"], ["chart", "scenarios", "--out"]):
        suffix = "html" if argv[0] == "report" else "svg"
        (tmp_path / f"f.{suffix}").mkdir(exist_ok=True)
        assert main([*argv, str(tmp_path / f"f.{suffix}")]) == 2
        assert "is a folder; give a file name ending in" in capsys.readouterr().err


def test_report_renders_in_headless_chromium(report_path, tmp_path):
    executable, sync_playwright = chromium()
    wide_elements = """Array.from(document.querySelectorAll('body *'))
        .filter(e => !e.closest('.scroll') && e.getBoundingClientRect().right > window.innerWidth + 1)
        .map(e => e.tagName)"""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(300_000)  # a net against a hang, not a deadline
        requests, failed, errors = [], [], []
        page.on("request", lambda request: requests.append(request.url))
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto(report_path.as_uri())
        sizes = page.evaluate("Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight])")
        title = page.title()
        shot = tmp_path / "report-1400.png"
        page.screenshot(path=str(shot), full_page=True)
        wide_hints = page.locator(".scroll-hint").evaluate_all("hints => hints.map(h => h.offsetHeight > 0)")
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.set_default_timeout(300_000)  # a net against a hang, not a deadline
        phone.goto(report_path.as_uri())
        phone.screenshot(path=str(tmp_path / "report-390.png"), full_page=True)
        page_width = phone.evaluate("document.documentElement.scrollWidth")
        too_wide = phone.evaluate(wide_elements)
        chart_widths = phone.evaluate("Array.from(document.images).map(i => i.getBoundingClientRect().width)")
        # each chart's box scrolls, and the line above it says so
        boxes = phone.locator(".chart-box").evaluate_all(
            """boxes => boxes.map(box => {
                const hint = box.querySelector('.scroll-hint'), scroll = box.querySelector('.scroll');
                return [hint.offsetHeight > 0, hint.innerText, scroll.scrollWidth > scroll.clientWidth];
            })"""
        )
        browser.close()
    assert page_width == 390 and too_wide == []  # nothing pushes the page sideways on a phone
    assert all(width >= 640 for width in chart_widths)  # charts keep legible text, scrolling in their own box
    assert boxes == [[True, "Scroll sideways to see the whole chart \u2192", True]] * 4
    assert wide_hints == [False] * 4  # on a wide screen a chart fits, and no line says otherwise
    assert failed == [] and errors == []
    assert all(url.startswith(("file:", "data:")) for url in requests)
    assert len(sizes) == 4 and all(done and width > 100 and height > 100 for done, width, height in sizes)
    assert title == "sanctions-relief report"
    from PIL import Image

    image = np.asarray(Image.open(shot).convert("L"))
    assert image.shape[0] > 3000 and image.std() > 20  # a long page with content, not a blank one


# --- worlds, resolutions and packages in the charts and the report ---


def _section(html, heading):
    """The HTML from the h2 ``heading`` to the next h2."""
    return html.split(f"<h2>{heading}</h2>", 1)[1].split("<h2>", 1)[0]


def _cells(html):
    """The text of every table cell of ``html``, tags removed."""
    return [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", html, re.S)]


@pytest.fixture(scope="module")
def two_worlds(tmp_path_factory):
    path = tmp_path_factory.mktemp("worlds") / "worlds.html"
    scenarios = ["article-demands", "hanoi-2019", "imports-first-sequence"]
    return calc.report(scenarios, path, assumptions=["as-written", "enforced-2025"], n=300, seed=2)


def test_a_report_of_two_worlds_shows_each_scenario_in_each_and_says_what_takes_one(two_worlds):
    html = two_worlds.read_text("utf-8")
    (headline,) = re.findall(r'<ul class="headline">(.*?)</ul>', html)
    named = re.findall(r"<li><strong>(.*?)</strong>", headline)
    worlds = ("as-written", "enforced-2025")
    assert named == [
        f"{name} [{world}]" for world in worlds for name in ("article-demands", "hanoi-2019", "imports-first-sequence")
    ]
    # as enforced, the workers abroad already send home 90 % of their 500 M (80 % as written): Hanoi earns 50 M less
    assert "hanoi-2019 [enforced-2025]</strong>: hard currency earned <strong>2,145.0 USD M/yr</strong>" in headline
    assert "hanoi-2019 [as-written]</strong>: hard currency earned <strong>2,195.0 USD M/yr</strong>" in headline
    # the package's last year: exports pay for everything it unlocks, in force or snapped back
    (package,) = re.findall(r"<li><strong>imports-first-sequence \[as-written\]</strong>(.*?)</li>", headline)
    assert package.endswith("; the budget buys all of them.</span>")
    assert (
        "Sensitivity (the tornado), scenario discovery, each resolution's bite and the check against history take one "
        "world: they are for the first, <strong>as-written</strong>" in html
    )
    compared = _cells(_section(html, "Scenarios compared").split("</table>")[0])
    assert [f"{name} [{world}]" for world in worlds for name in ("article-demands", "hanoi-2019")] == [
        cell for cell in compared[:7] if cell.startswith(("article", "hanoi"))
    ]
    changed = _cells(html.split("<h3>What enforced-2025 sets otherwise</h3>")[1].split("</table>")[0])
    assert changed[changed.index("petroleum.illicit_imports (judgement)") + 1] == "3,900,000"
    # charts: the scenarios, the path, the package's steps, the fan, the tornado
    alts = re.findall(r'<img class="chart" alt="([^"]*)"', html)
    assert alts[2] == "Steps of imports-first-sequence and its hard currency earned" and len(alts) == 5
    assert '<tr><th>worlds</th><td class="text">as-written, enforced-2025</td></tr>' in html


def test_the_report_command_takes_several_worlds(tmp_path, capsys):
    target = tmp_path / "both.html"
    argv = ["report", "article-demands", "--assumptions", "as-written,enforced-2025", "-n", "100", "--out", str(target)]
    assert main(argv) == 0, capsys.readouterr().err
    assert "<strong>article-demands [enforced-2025]</strong>" in target.read_text("utf-8")


def test_the_report_sets_relief_beside_what_the_north_earns_outside_the_sanctions(two_worlds):
    section = _section(two_worlds.read_text("utf-8"), "Beside what the North earns outside the sanctions")
    relief, outside = section.split('<div class="context">')
    # the three demands: metals, 220 M a year in either world, 2.20 bn over ten years
    cells = _cells(relief)
    row = cells.index("article-demands [enforced-2025]")
    assert cells[row : row + 4] == ["article-demands [enforced-2025]", "0.22", "2.20", "2027-2036"]
    assert "Context, not relief" in outside and "never\nadded to the relief" in section
    cells = _cells(outside)
    theft = cells.index("2025, a year")
    assert cells[theft - 1 : theft + 2] == ["Cyber theft (crypto-assets stolen)", "2025, a year", "2.02 USD bn"]
    arms = cells.index("Arms sales to Russia")
    assert cells[arms + 1 : arms + 3] == ["Feb 2022 - 2025, in all", "1.70&ndash;5.50 USD bn"]
    won = cells.index("Arms sales to Russia (at most)")  # in won as reported: no exchange rate is applied
    assert cells[won + 1 : won + 3] == ["Aug 2023 - Dec 2024, in all", "8.00 KRW tn"]


def test_the_report_gives_each_resolutions_bite_and_says_why_one_differs_from_the_official_estimate(two_worlds):
    section = _section(two_worlds.read_text("utf-8"), "Each resolution's bite")
    cells = _cells(section.split("</table>")[0])
    row = cells.index("2397")
    # gross as adopted: other 2397 exports 250 M, the workers' 500 M sent home and fishing rights 75 M, nothing
    # evading on the officials' basis; against their 250 M; legal fuel: 2,000,000 - 500,000 bbl of refined petroleum
    assert cells[row : row + 10] == [
        "2397",
        "2017-12-22",
        "408.0",
        "408.0",
        "825.0",
        "825.0",
        "250.0",
        f"{825 / 250:.2f}",
        "1,500,000",
        "1,500,000",
    ]
    sentences = re.findall(r"<p>(\d{4}: its gross bite.*?)</p>", section)
    assert sentences == [
        "2397: its gross bite as adopted, 825.0 M a year, is 3.30 times the 250.0 M published at adoption. It "
        "includes overseas workers (repatriated, 500.0 M) and fishing rights (banned, 75.0 M): services, which the "
        "officials&#x27; estimate of exports left out; its bans on goods exports alone come to 250.0 M, 1.00 times "
        "the estimate."
    ]  # 2321 (1.05), 2371 (0.82) and 2375 (0.99) lie within a quarter of theirs
    assert "This table is for the first world, as-written." in section


def test_a_bite_the_services_do_not_explain_is_broken_down_by_area(shipped):
    from calc.display import bite_notes

    cheap = shipped.override({"coal.pre_sanction_exports": "600e6 USD/yr"})
    # 2321 as adopted, gross: coal from its cap (the lower of 400.9 M and 7.5 Mt x 53 = 397.5 M) to all 600 M
    # (202.5 M), and copper, nickel, silver and zinc, 21.55 % of the 220 M metals basket (47.4 M); against the 800 M
    # published: 0.31
    assert bite_notes(calc.resolutions(cheap), cheap.areas)[0] == (
        f"2321: its gross bite as adopted, {(202.5 + 47.41):,.1f} M a year, is {(202.5 + 47.41) / 800:.2f} times the "
        "800.0 M published at adoption. It is made of coal exports (capped, 202.5 M) and metal exports (banned, "
        "47.4 M)."
    )


def test_charts_of_two_worlds_keep_them_apart():
    from matplotlib.colors import to_hex

    frame = calc.run(["article-demands", "hanoi-2019"], assumptions=["as-written", "enforced-2025"])
    (axes,) = calc.plot_path(frame).axes
    lines = {line.get_label(): line for line in axes.get_lines() if not line.get_label().startswith("_")}
    assert list(lines) == [
        f"{name} [{world}]" for world in ("as-written", "enforced-2025") for name in ("article-demands", "hanoi-2019")
    ]
    assert list(lines["hanoi-2019 [enforced-2025]"].get_ydata()) == pytest.approx([2145.0] * 10)
    assert list(lines["hanoi-2019 [as-written]"].get_ydata()) == pytest.approx([2195.0] * 10)
    assert len({to_hex(line.get_color()) for line in lines.values()}) == 4
    money, fuel = calc.plot_scenarios(frame).axes
    assert [tick.get_text() for tick in money.get_xticklabels()] == list(lines)
    # the 2,000,000 bbl cap adds 700,000 bbl of supply as written (what demand, 4.5 M bbl, leaves beside 0.5 M legal
    # and 3.3 M smuggled) and 300,000 as enforced (Russia's deliveries meet demand, 80 % displaced)
    supply = {c.get_label(): [bar.get_height() for bar in c] for c in fuel.containers}["Net added fuel supply"]
    assert supply[0] == pytest.approx(700.0) and supply[2] == pytest.approx(300.0)
    (fan,) = calc.plot_fan(
        calc.montecarlo(["hanoi-2019"], n=200, seed=1, assumptions=["as-written", "enforced-2025"])
    ).axes
    assert [tick.get_text() for tick in fan.get_xticklabels()] == [
        "hanoi-2019 [as-written]",
        "hanoi-2019 [enforced-2025]",
    ]


def test_a_bar_charts_legend_lies_below_the_names_of_its_scenarios_however_long():
    frame = calc.run(
        ["article-demands", "hanoi-2019", "us-idea-2019", "imports-first-sequence"],
        assumptions=["as-written", "enforced-2025"],
    )
    figure = calc.plot_scenarios(frame)
    figure.draw_without_rendering()
    for axes in figure.axes:
        legend = axes.get_legend().get_window_extent()
        names = [tick.get_window_extent() for tick in axes.get_xticklabels() if tick.get_text()]
        assert names and all(legend.y1 < name.y0 for name in names), axes.get_title()
    _inside(figure)


def test_a_package_chart_draws_its_steps_above_its_expected_path(figures):
    from matplotlib.patches import Rectangle

    package = calc.preset("us-idea-2019-renewed")
    frame = calc.run([package, "hanoi-2019"], assumptions=figures)
    figure = calc.plot_package(package, frame)
    steps, path = figure.axes
    bars = [patch for patch in steps.patches if isinstance(patch, Rectangle)]
    # 2027-2028 (a sunset ends it), then from 2029 to the end of the horizon, 2036
    assert [(bar.get_x(), bar.get_width()) for bar in bars] == [(2026.5, 2.0), (2028.5, 8.0)]
    assert [tick.get_text() for tick in steps.get_yticklabels()] == ["2027-2028", "from 2029"]
    texts = [text.get_text().replace("\n", " ") for text in steps.texts]
    assert texts == ["Coal exports, textile exports lifted", "sunset", "Coal exports, textile exports lifted"]
    # expected: coal 1,190 M less 294 M smuggled and textiles 752 M x 0.5, in force in year k with chance 0.9^k;
    # dashed, the 1,272 M if it holds
    expected, held = (line for line in path.get_lines() if not line.get_label().startswith("_"))
    k = np.arange(10)
    assert expected.get_label() == "us-idea-2019-renewed: expected" and held.get_linestyle() == "--"
    assert list(expected.get_ydata()) == pytest.approx(list(1272 * 0.9**k))
    assert list(held.get_ydata()) == pytest.approx([1272.0] * 10)
    (foot,) = [text for text in figure.texts if "Stangarone" in text.get_text()]
    assert "probability 0.1 (context.snapback_hazard, a judgement)" in foot.get_text().replace("\n", " ")
    # with Monte Carlo: the band between the outer quantiles, and the median
    drawn = calc.montecarlo([package], n=400, seed=3, assumptions=figures)
    _, path = calc.plot_package(package, frame, drawn).axes
    (band,) = path.collections
    quantiles = drawn[drawn["variable"] == "Revenue"].pivot_table(index="year", columns="quantile", values="value")
    assert band.get_label() == "us-idea-2019-renewed: p5 to p95"
    assert band.get_paths()[0].vertices[1:11, 1] == pytest.approx(list(quantiles[0.05] / 1e6))
    (median,) = [line for line in path.get_lines() if line.get_label() == "us-idea-2019-renewed: median"]
    assert list(median.get_ydata()) == pytest.approx(list(quantiles[0.5] / 1e6))
    _inside(figure)


def test_a_package_chart_names_what_each_step_eases_and_says_where_nothing_moves(figures):
    package = calc.preset("imports-first-sequence")
    frame = calc.run(package, assumptions=figures)
    steps, _ = calc.plot_package(package, frame).axes
    assert [text.get_text().replace("\n", " ") for text in steps.texts] == [
        "Refined petroleum capped at 2,000,000 bbl/yr; crude oil cap lifted; capital goods imports lifted",
        "Seafood exports, fishing rights, textile exports, other 2397 exports, overseas workers lifted",
        "Metal exports, coal exports lifted; refined petroleum cap lifted",
    ]
    assert [bar.get_width() for bar in steps.patches] == [15.0, 13.0, 10.0]  # 2027, 2029 and 2032 to 2041
    lifted = calc.Package("by-law", [calc.Step(2027, lift=["2371"]), calc.Step(2030, until=2031, luxury_share=0.5)])
    figure = calc.plot_package(lifted, calc.run(lifted, assumptions=figures), variable="Revenue|Fishing Rights")
    steps, path = figure.axes
    assert [text.get_text() for text in steps.texts] == ["Lifts 2371", "Luxury imports 50 % lifted", "sunset"]
    assert [text.get_text() for text in path.texts] == ["by-law does not change fishing-rights sales in any year"]
    assert path.get_lines() == [] or all(line.get_label().startswith("_") for line in path.get_lines())
    _inside(figure)
    with pytest.raises(calc.InputError, match=r"plot_package: expected a calc.Package .*got Scenario"):
        calc.plot_package(calc.preset("hanoi-2019"), frame)
    with pytest.raises(
        calc.InputError, match="plot_package: package 'by-law' is not in the frame; it has imports-first"
    ):
        calc.plot_package(lifted, frame)


@pytest.mark.parametrize("width", [1400, 390])
def test_a_report_of_two_worlds_and_a_package_reads_at_every_width(two_worlds, width):
    executable, sync_playwright = chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.set_default_timeout(300_000)  # a net against a hang, not a deadline
        errors = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto(two_worlds.as_uri())
        page_width = page.evaluate("document.documentElement.scrollWidth")
        images = page.evaluate("Array.from(document.images).map(i => [i.complete, i.naturalWidth > 100])")
        # the relief and the context side by side where there is room, one above the other on a phone
        tops = page.evaluate("Array.from(document.querySelectorAll('.beside > div')).map(d => d.offsetTop)")
        browser.close()
    assert page_width == width and errors == []
    assert images == [[True, True]] * 5
    assert (tops[0] == tops[1]) == (width == 1400)
