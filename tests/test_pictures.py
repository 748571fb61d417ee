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
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.goto(report_path.as_uri())
        phone.screenshot(path=str(tmp_path / "report-390.png"), full_page=True)
        page_width = phone.evaluate("document.documentElement.scrollWidth")
        too_wide = phone.evaluate(wide_elements)
        chart_widths = phone.evaluate("Array.from(document.images).map(i => i.getBoundingClientRect().width)")
        browser.close()
    assert page_width == 390 and too_wide == []  # nothing pushes the page sideways on a phone
    assert all(width >= 640 for width in chart_widths)  # charts keep legible text, scrolling in their own box
    assert failed == [] and errors == []
    assert all(url.startswith(("file:", "data:")) for url in requests)
    assert len(sizes) == 4 and all(done and width > 100 and height > 100 for done, width, height in sizes)
    assert title == "sanctions-relief report"
    from PIL import Image

    image = np.asarray(Image.open(shot).convert("L"))
    assert image.shape[0] > 3000 and image.std() > 20  # a long page with content, not a blank one
