"""Charts and the HTML report; the report rendered in headless Chromium where it can be installed."""

import base64
import re
import sys
from html import escape

import numpy as np
import pytest

import calc
from calc import charts
from calc.cli import main

from conftest import CHROMIUM_FLAGS, chromium, require

require("matplotlib")


@pytest.fixture(scope="module")
def frame():
    return calc.run(["article-demands", "status-quo", "hanoi-2019"])


@pytest.fixture(scope="module")
def uncertain():
    return calc.montecarlo(["article-demands", "hanoi-2019"], n=2000, seed=1)


def test_scenarios_chart_draws_revenue_up_spending_down_and_the_net(frame):
    figure = calc.plot_scenarios(frame)
    money, fuel = figure.axes
    assert money.get_ylabel() == "USD million per year"
    assert fuel.get_ylabel() == "thousand barrels per year (42-gallon oil barrels)"
    central = frame[frame["year"] == 2036].pivot_table(index="variable", columns="scenario", values="value")
    names = ["article-demands", "status-quo", "hanoi-2019"]
    bars = {container.get_label(): [bar.get_height() for bar in container] for container in money.containers}
    # revenue upwards, spending downwards, each bar the area's value in USD M/yr
    assert bars["Metal export revenue"] == pytest.approx(list(central.loc["Revenue|Metal Exports", names] / 1e6))
    luxury = central.loc["Expenditure|Luxury Imports", names] / 1e6
    assert bars["Luxury import spending"] == pytest.approx(list(-luxury))
    assert "Crude-oil import spending" not in bars  # no effect in any scenario: not drawn
    # the net marked per scenario
    (net,) = money.collections
    assert list(net.get_offsets()[:, 1]) == pytest.approx(list(central.loc["Hard Currency|Net", names] / 1e6))
    # fuel: added legal imports per scenario, in thousand bbl/yr
    added = {c.get_label(): [bar.get_height() for bar in c] for c in fuel.containers}["Added legal fuel imports"]
    assert added == pytest.approx(list(central.loc["Fuel|Refined Petroleum|Additional Legal Imports", names] / 1e3))
    assert [tick.get_text() for tick in money.get_xticklabels()] == names
    assert "Stangarone, KEI 2021" in " ".join(text.get_text() for text in figure.texts)
    styles = [(c.patches[0].get_facecolor(), c.patches[0].get_hatch()) for c in money.containers]
    assert len(set(styles)) == len(styles)  # every area its own colour and hatch


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
            assert ("//" in hatch) == label.endswith("spending"), label  # spending striped, revenue solid
        first: dict[str, str] = {}
        for label, (colour, _) in _series(fuel).items():  # an area's first fuel measure in its colour
            first.setdefault(area_of[label], colour)
        for area, colour in first.items():
            colours[area].add(colour)
    assert sorted(colours) == sorted(area.name for area in shipped_areas())  # every area was drawn
    assert all(len(seen) == 1 for seen in colours.values()), colours  # one colour per area, chart after chart
    assert len({colour for (colour,) in colours.values()}) == len(colours)  # and no two areas share one


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


def test_scenarios_chart_labels_its_bars_and_the_net_as_the_table_prints_them(frame):
    from calc.display import comparison

    table = comparison(frame)
    money, _ = calc.plot_scenarios(frame).axes
    # the net beside its marker, each stack's total at its end: placed at those points, in the table's words
    placed = {(int(text.xy[0]), round(float(text.xy[1]), 6)): text.get_text() for text in money.texts}
    last = frame[frame["year"] == 2036].pivot_table(index="variable", columns="scenario", values="value") / 1e6
    for position, name in enumerate(["article-demands", "status-quo", "hanoi-2019"]):
        net, revenue, spending = last.loc[["Hard Currency|Net", "Revenue", "Expenditure"], name]
        assert (
            placed[(position, round(net, 6))]
            == table.loc["Hard currency left after buying the unlocked imports (USD M/yr)", name]
        )
        if revenue:
            assert placed[(position, round(revenue, 6))] == table.loc["Hard currency earned (USD M/yr)", name]
            assert placed[(position, round(-spending, 6))] == table.loc["Spent on the imports bought (USD M/yr)", name]
    assert [text for (x, _), text in placed.items() if x == 1] == ["0.0"]  # the status quo: its net alone
    # hanoi-2019 alone: the axis spans 2,195 M up and 1,240 M down; each segment at least 5 % of that (172 M)
    # holds its value, and fishing rights (58 M), overseas workers (100 M) and refined petroleum (160 M) are too thin
    money, _ = calc.plot_scenarios(calc.run("hanoi-2019")).axes
    segments = ["220.0", "896.0", "295.0", "376.0", "250.0", "1,080.0"]  # metals to other exports; capital goods
    assert sorted(text.get_text() for text in money.texts if text.get_text()) == sorted(
        [*segments, "2,195.0", "1,240.0", "955.0"]
    )
    assert all(table.loc[row, "hanoi-2019"] in segments for row in table.index if "Coal" in row or "Capital" in row)
    # the three demands: metals 220 M (its stack's only segment, so the total says it), luxury 147.9 M, fuel 60 M
    money, fuel = calc.plot_scenarios(calc.run("article-demands")).axes
    assert sorted(text.get_text() for text in money.texts if text.get_text()) == sorted(
        ["220.0", "207.9", "147.9", "60.0", "12.1"]
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


def test_fan_chart_has_a_panel_per_ramped_scenario_with_median_and_band():
    ramped = [calc.Scenario(name=name, metals_share=1, ramp_years=4) for name in ("a", "b")]
    uncertain = calc.montecarlo([*ramped, "status-quo"], n=2000, seed=1)
    figure = calc.plot_fan(uncertain)
    panels = [axes for axes in figure.axes if axes.get_visible()]
    assert [axes.get_title() for axes in panels] == ["a", "b"]  # the status quo, all zero, is left out
    median = uncertain[
        (uncertain["scenario"] == "a") & (uncertain["variable"] == "Hard Currency|Net") & (uncertain["quantile"] == 0.5)
    ]["value"].to_numpy()
    assert panels[0].get_lines()[0].get_ydata() == pytest.approx(median / 1e6)
    assert len(panels[0].collections) == 1  # one band: p5 to p95


def test_fan_chart_without_ramp_is_one_interval_per_scenario(uncertain):
    (axes,) = calc.plot_fan(uncertain).axes
    assert [tick.get_text() for tick in axes.get_xticklabels()] == ["article-demands", "hanoi-2019"]
    last = uncertain[(uncertain["variable"] == "Hard Currency|Net") & (uncertain["year"] == 2036)]
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
    assert axes.get_figure().get_suptitle() == "What moves metal export revenue most: metals-only"
    with pytest.raises(calc.InputError, match="'status-quo' eases nothing"):
        calc.tornado("status-quo")
    central = table["result_central"].iloc[0] / 1e6
    assert f"central: {central:,.1f}" in axes.get_xlabel()


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_save_figure(frame, tmp_path, suffix):
    path = calc.save_figure(calc.plot_scenarios(frame), tmp_path / f"chart.{suffix}")
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG") if suffix == "png" else b"<svg" in data[:500]
    again = calc.save_figure(calc.plot_scenarios(frame), tmp_path / f"again.{suffix}")
    assert again.read_bytes() == data  # no timestamps: the same chart gives the same bytes


def test_chart_errors(frame, tmp_path, monkeypatch):
    with pytest.raises(calc.InputError, match=r"must end in \.png or \.svg"):
        calc.save_figure(calc.plot_scenarios(frame), tmp_path / "chart.jpg")
    with pytest.raises(calc.InputError, match="variable: 'Nope' is not in the frame"):
        calc.plot_path(frame, "Nope")
    with pytest.raises(calc.InputError, match=r"plot_fan: expected a frame from calc\.montecarlo"):
        calc.plot_fan(frame)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(calc.InputError, match=r'charts need matplotlib: pip install "sanctions-relief\[plot\]"'):
        charts.plot_scenarios(frame)


def test_chart_command(tmp_path, capsys):
    for kind in ("scenarios", "path", "fan", "tornado"):
        target = tmp_path / f"{kind}.svg"
        assert main(["chart", kind, "article-demands", "hanoi-2019", "-n", "200", "--out", str(target)]) == 0
        assert b"<svg" in target.read_bytes()[:500]
    assert main(["chart", "fan", "status-quo", "--out", str(tmp_path / "x.gif")]) == 2
    assert "must end in .png or .svg" in capsys.readouterr().err


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
    net = calc.run("article-demands").query("variable == 'Hard Currency|Net'")["value"].iloc[-1]
    assert f"{net / 1e6:,.1f}" in html and "Stangarone" in html and "seed 3" in html and "2,000 draws" in html


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
