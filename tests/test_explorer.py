"""The explorer page (calc.serve): the page in headless Chromium against calc.run, bad fields, downloads, and the
server's own checks."""

import http.client
import json
import re
import subprocess
import sys
from dataclasses import replace

import pandas as pd
import pytest

import calc
from calc.errors import InputError
from calc.explorer import (
    PageError,
    PageState,
    charts,
    montecarlo_frame,
    results,
    setup,
    start,
    uncertainty,
    world_sets,
)
from calc.variables import NET, REVENUE, UNLOCKED

from conftest import CHROMIUM_FLAGS, chromium, frictionless_validate


@pytest.fixture(scope="module")
def server():
    running = start(0)
    yield running
    running.shutdown()
    running.server_close()


def state(**changes):
    """The page's state for article-demands against hanoi-2019, with ``changes`` to its levers."""
    levers = {area: "status-quo" if area in ("petroleum", "crude_oil") else 0.0 for area in _areas()}
    levers.update({"metals": 1.0, "petroleum": "2000000 bbl/yr", "luxury": 1.0} | changes)
    timing = {"start_year": "2027", "horizon": "10", "ramp_years": "0"}
    return {"name": "custom", "levers": levers, "timing": timing, "assumptions": {}, "reference": "hanoi-2019"}


def _areas():
    return [area.name for area in calc.load_assumptions().areas]


#: The page's figures by id: the headline two (hard currency earned, imports unlocked) and the net below them.
FIGURES = {"earned": REVENUE, "unlocked": UNLOCKED, "net": NET}


def figures_of(scenario, assumptions=None):
    """What calc.run gives for the page's figures, in the last year of ``scenario``."""
    frame = calc.run(scenario, assumptions=assumptions)
    last = frame[(frame["scenario"] == scenario.name) & (frame["year"] == frame["year"].max())]
    values = last.set_index("variable")["value"]
    return {key: pytest.approx(values[name], rel=1e-12, abs=1e-3) for key, name in FIGURES.items()}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"metals": "1.5"}, "lever-metals", "metals_share: 1.5 is out of range; accepted: a share from 0 to 1"),
        ({"metals": ""}, "lever-metals", "metals_share: expected a number, got ''"),
        ({"petroleum": "5 L/lap"}, "lever-petroleum", "petroleum_cap: "),
        ({"petroleum": ""}, "lever-petroleum", "petroleum_cap: expected a number, got ''"),
        (
            {"coal": "400.9e6 USD/day/bbl"},
            "lever-coal",
            "Coal Exports: '400.9e6 USD/day/bbl' has the wrong dimension",
        ),
    ],
)
def test_each_bad_lever_is_reported_under_its_field(changes, field, message, shipped):
    with pytest.raises(PageError) as error:
        PageState(state(**changes), world_sets(shipped))
    assert list(error.value.errors) == [field]
    assert error.value.errors[field].startswith(message)


def test_bad_timing_and_assumptions_are_reported_together(shipped):
    bad = state(metals="2")
    bad["timing"]["horizon"] = ""
    bad["assumptions"] = {"petroleum.price": {"value": "100", "low": "120", "high": "140", "unit": "USD/bbl"}}
    with pytest.raises(PageError) as error:
        PageState(bad, world_sets(shipped))
    errors = error.value.errors
    assert set(errors) == {"lever-metals", "horizon", "param-petroleum.price"}
    assert errors["horizon"] == "horizon: expected a number, got ''"
    assert "the range low=120 .. high=140 must contain value=100" in errors["param-petroleum.price"]


def test_a_scenario_may_not_take_the_name_of_a_different_reference(shipped):
    hanoi = calc.preset("hanoi-2019").levers(shipped.areas)
    same = {"name": "hanoi-2019", "levers": {k: "lifted" if v is None else v for k, v in hanoi.items()}, "timing": {}}
    assert [s.name for s in PageState({**same, "reference": "hanoi-2019"}, world_sets(shipped)).scenarios] == [
        "hanoi-2019"
    ]
    with pytest.raises(PageError) as error:
        PageState({**state(), "name": "hanoi-2019"}, world_sets(shipped))
    assert error.value.errors == {
        "name": "name: 'hanoi-2019' is the name of the reference, which this scenario is not; give it another name"
    }


def table_cells(html):
    """The first column of each row of a table the page shows, by the row's heading."""
    return dict(re.findall(r"<th>([^<]*)</th>\s*<td>([^<]*)</td>", html))


def test_the_timing_sent_is_the_timing_run(figures):
    sent = state()
    sent["timing"] = {"start_year": "2030", "horizon": "5", "ramp_years": "2"}
    page = PageState(sent, world_sets(figures))
    assert [(s.start_year, s.horizon, s.ramp_years) for s in page.scenarios] == [(2030, 5, 2), (2027, 10, 0)]
    answer = results(page)
    # article-demands on FIGURES, in full: metals earn 220 M; unlocked, 1.5e6 bbl more at 100 USD and luxury
    # 69.6 M x 0.68 / 0.32; all of it bought (207.9 M, within 220 M + 540 M), fuel for 1.5e6 bbl x 100 USD less
    # the 0.75e6 bbl of smuggling it replaces at 120 USD (60 M)
    unlocked = 1.5e6 * 100 + 69.6e6 * 0.68 / 0.32
    full = 220e6 - (1.5e6 * 100 - 0.75e6 * 100 * 1.2) - 69.6e6 * 0.68 / 0.32
    assert answer["year"] == 2034
    assert answer["earned"]["value"] == pytest.approx(220e6, rel=1e-12)
    assert answer["unlocked"]["value"] == pytest.approx(unlocked, rel=1e-12)
    assert answer["net"]["value"] == pytest.approx(full, rel=1e-12)
    assert answer["bought"]["value"] == 100
    assert [answer[key]["shown"] for key in ("earned", "unlocked", "net")] == ["220.0", "297.9", "12.1"]
    assert answer["earned"]["unit"] == answer["unlocked"]["unit"] == "USD M/yr"
    cells = table_cells(answer["table"])
    assert cells["Years"] == "2030-2034"
    # a two-year ramp: half in 2030, in full from 2031, so 4.5 years' worth over the five
    assert cells["Hard currency earned, total (USD M)"] == f"{4.5 * 220:,.1f}"


def test_the_seed_sent_is_the_seed_drawn(shipped):
    page = PageState(state(metals="0.5"), world_sets(shipped))
    frame = montecarlo_frame(page, "300", "7")
    assert frame.attrs["sanctions_relief"]["montecarlo"]["seed"] == 7
    assert frame.attrs["sanctions_relief"]["montecarlo"]["n"] == 300
    pd.testing.assert_frame_equal(frame, calc.montecarlo(page.scenarios, n=300, seed=7, assumptions=shipped))


@pytest.mark.parametrize(
    ("draws", "seed", "errors"),
    [
        ("", "1", {"draws": "draws: expected a number, got ''"}),
        (
            "0",
            "-1",
            {
                "draws": "draws: 0 is out of range; accepted: a whole number from 1 to 50000000",
                "seed": "seed: -1 is out of range; accepted: a whole number from 0 to 9223372036854775807",
            },
        ),
    ],
)
def test_bad_draws_and_seed_are_reported_under_their_boxes(draws, seed, errors, shipped):
    with pytest.raises(PageError) as error:
        montecarlo_frame(PageState(state(), world_sets(shipped)), draws, seed)
    assert error.value.errors == errors


def test_the_measure_sent_is_the_measure_drawn(shipped):
    assert PageState(state(), world_sets(shipped)).variable == "Revenue"  # the page opens on the hard currency earned
    page = PageState({**state(), "variable": "Imports Unlocked"}, world_sets(shipped))
    assert "Year-by-year path of imports unlocked (value)" in charts(page)["charts"]
    drawn = uncertainty(page, "300", "1")["charts"]
    assert "Which assumptions move imports unlocked (value) most for <strong>custom</strong>" in drawn
    assert drawn.count("<img") == 2
    with pytest.raises(PageError) as error:
        PageState({**state(), "variable": "Revenue|Gold"}, world_sets(shipped))
    assert error.value.errors == {
        "variable": "variable: 'Revenue|Gold' is not one the page draws; accepted: Revenue, Imports Unlocked, "
        "Hard Currency|Net"
    }


def test_monte_carlo_of_a_measure_the_scenario_leaves_alone_says_so(shipped):
    # fuel and luxury goods only: nothing earned, so no tornado of the hard currency earned; the reference,
    # hanoi-2019, still earns, so its fan is drawn
    drawn = uncertainty(PageState(state(metals=0.0), world_sets(shipped)), "300", "1")["charts"]
    assert "No assumption moves hard currency earned for <strong>custom</strong>" in drawn
    assert drawn.count("<img") == 1


def test_every_assumption_as_the_page_shows_it_reads_back_to_the_same_figures(shipped):
    shown = {parameter["name"]: parameter for parameter in setup(world_sets(shipped))["parameters"]}
    # money in the unit of the result tables: 32.5e9 USD/yr of GDP is 32,500 USD M/yr
    gdp = shown["context.gdp"]
    assert (gdp["value"], gdp["low"], gdp["high"], gdp["unit"]) == ("32500", "28000", "34000", "USD M/yr")
    assert shipped["context.gdp"].unit == "USD/yr" and shipped.value("context.gdp").magnitude == 32.5e9
    # every parameter sent back as shown, in the unit the page sends with it, is the parameter it was
    sent = {
        name: {key: row[key] for key in ("value", "low", "high")} | {"unit": row["entry_unit"]}
        for name, row in shown.items()
    }
    page = PageState({**state(), "assumptions": sent}, world_sets(shipped))
    read = {name: page.assumptions.ranges()[name] for name in sent}
    assert read == {name: pytest.approx(shipped.ranges()[name], rel=1e-12) for name in sent}


def test_the_report_download_holds_the_scenarios_and_the_measure_on_screen(server):
    sent = {**state(metals="0.5"), "variable": "Imports Unlocked"}
    status, page = _post(server.server_address[1], json.dumps(sent).encode(), "/api/report", raw=True)
    assert status == 200
    assert page.startswith(b"<!DOCTYPE html>") and b"<strong>custom</strong>" in page and b"hanoi-2019" in page
    assert b"Which assumptions move imports unlocked (value) most for <strong>custom</strong>" in page


@pytest.fixture(scope="module")
def browser():
    executable, sync_playwright = chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def open_page(browser, server, width, height):
    """The page at ``width`` x ``height`` px, once it shows its first figures, and the requests it makes and the
    errors it logs."""
    page = browser.new_context(
        viewport={"width": width, "height": height}, bypass_csp=True, accept_downloads=True
    ).new_page()
    page.set_default_timeout(300_000)  # no deadline a loaded machine could miss: the net only stops a hang
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(server.url)
    page.wait_for_function("document.getElementById('earned').dataset.sequence")
    return page, requests, errors


def figures_shown(page):
    """The page's figures (values as the server sent them), by id."""
    return {key: float(page.get_attribute(f"#{key}", "data-value")) for key in FIGURES}


def figures_after(page, action):
    """The page's figures once it has answered ``action`` with new ones (the headline figure, hard currency earned,
    is filled last), and the text of the headline figure."""
    before = page.get_attribute("#earned", "data-sequence")
    action()
    page.wait_for_function(f"document.getElementById('earned').dataset.sequence !== {json.dumps(before)}")
    return figures_shown(page), page.inner_text("#earned")


def opacity(page, selector):
    """How opaque an element looks: its own opacity times that of each box it sits in."""
    return page.eval_on_selector(
        selector,
        """node => { let seen = 1;
          for (let box = node; box; box = box.parentElement) seen *= parseFloat(getComputedStyle(box).opacity);
          return seen; }""",
    )


def test_the_page_follows_its_levers_like_calc_run(server, browser, tmp_path, shipped):
    article = calc.preset("article-demands")
    page, requests, errors = open_page(browser, server, 1400, 900)
    assert figures_shown(page) == figures_of(article)
    # the headline: hard currency earned (metals, 220 M) beside imports unlocked (fuel 1.5 M bbl x 100 USD, luxury
    # as calc.run gives them); below them, labelled, what is left after buying them, as the table prints it
    central = figures_of(article)
    unlocked, net = (f"{central[key].expected / 1e6:,.1f}" for key in ("unlocked", "net"))
    assert (page.inner_text("#earned"), page.inner_text("#unlocked")) == ("220.0", unlocked)
    assert page.inner_text("#secondary") == (
        f"Hard currency left after buying the unlocked imports: {net} USD M/yr (the budget buys all of them)"
    )
    size = "(id) => parseFloat(getComputedStyle(document.getElementById(id)).fontSize)"
    assert page.evaluate(size, "net") < page.evaluate(size, "unlocked") == page.evaluate(size, "earned")

    # half the metals ban, typed in the share box; then a quarter, on the slider
    figures, text = figures_after(page, lambda: page.fill("#share-metals", "0.5"))
    half = replace(article, name="custom", metals_share=0.5)
    assert figures == figures_of(half) and text == "110.0"
    figures, _ = figures_after(page, lambda: page.fill("#in-metals", "0.25"))
    assert figures == figures_of(replace(article, name="custom", metals_share=0.25))

    # a bad share: the calculator's message beside the field, the last good figures kept
    good = figures_shown(page)
    page.fill("#share-metals", "1.5")
    page.wait_for_function("document.getElementById('err-lever-metals').textContent !== ''")
    assert "metals_share: 1.5 is out of range; accepted: a share from 0 to 1" in page.inner_text("#err-lever-metals")
    assert figures_shown(page) == good
    # a fuel cap in litres per lap, then an empty one
    page.fill("#share-metals", "0.25")
    page.wait_for_function("document.getElementById('err-lever-metals').textContent === ''")
    page.fill("#cap-petroleum", "5 L/lap")
    page.wait_for_function("document.getElementById('err-lever-petroleum').textContent !== ''")
    assert page.inner_text("#err-lever-petroleum").startswith("petroleum_cap:")
    page.fill("#cap-petroleum", "")
    page.wait_for_function("document.getElementById('err-lever-petroleum').textContent.includes(\"got ''\")")
    # the server keeps serving: a good cap again gives the figure calc.run gives
    figures, _ = figures_after(page, lambda: page.fill("#cap-petroleum", "1000000 bbl/yr"))
    mine = replace(article, name="custom", metals_share=0.25, petroleum_cap="1000000 bbl/yr")
    assert figures == figures_of(mine)
    assert page.inner_text("#err-lever-petroleum") == ""

    # the CSV of what is on screen reads back to the frame calc.run gives; saved under the names the page gives
    # them, the CSV and its Data Package validate as a pair
    saved = {}
    for kind in ("csv", "datapackage"):
        with page.expect_download() as download:
            page.click(f"#download-{kind}")
        saved[kind] = tmp_path / download.value.suggested_filename
        download.value.save_as(saved[kind])
    pd.testing.assert_frame_equal(calc.read_csv(saved["csv"]), calc.run([mine, calc.preset("hanoi-2019")]))
    package = json.loads(saved["datapackage"].read_text())
    assert [s["name"] for s in package["sanctions_relief"]["scenarios"]] == ["custom", "hanoi-2019"]
    assert [resource["path"] for resource in package["resources"]] == [saved["csv"].name]
    frictionless_validate(saved["datapackage"])

    # Monte Carlo on request, with the draws and seed typed; a cleared box is refused beside it until it is fixed
    page.fill("#draws", "")
    page.click("#run-montecarlo")
    page.wait_for_function("document.getElementById('err-draws').textContent !== ''")
    assert page.inner_text("#err-draws") == "draws: expected a number, got ''"
    assert page.get_attribute("#draws", "class") == "share invalid"
    page.fill("#draws", "2000")
    assert page.inner_text("#err-draws") == "" and page.get_attribute("#draws", "class") == "share"
    page.fill("#seed", "7")
    page.click("#run-montecarlo")
    page.wait_for_selector("#montecarlo img", timeout=300_000)
    assert page.locator("#montecarlo img").count() == 2
    assert page.inner_text("#montecarlo-drawn") == "2,000 draws (random sampling), seed 7"
    assert page.is_hidden("#montecarlo-progress")
    assert opacity(page, "#montecarlo") == 1
    # drawn for the scenario on screen: once that changes, the fan is greyed until it is run again
    figures_after(page, lambda: page.fill("#share-metals", "0.3"))
    assert opacity(page, "#montecarlo") < 1
    assert page.inner_text("#montecarlo-status") == "greyed: drawn for an earlier state of the page; run again"
    figures_after(page, lambda: page.fill("#share-metals", "0.25"))
    assert opacity(page, "#montecarlo") == 1 and page.inner_text("#montecarlo-status").startswith("done in ")

    # an assumption edited in its table moves the figure as the same override moves calc.run
    page.click("#assumptions-box summary")
    figures, _ = figures_after(page, lambda: page.fill("#param-petroleum\\.price [data-key=value]", "120"))
    dearer = shipped.override({"petroleum.price": {"value": "120", "low": "80", "high": "140", "unit": "USD/bbl"}})
    assert figures == figures_of(mine, dearer)
    page.fill("#param-petroleum\\.price [data-key=low]", "130")
    page.wait_for_function("document.getElementById('err-param-petroleum.price').textContent !== ''")
    assert "must contain value=120" in page.inner_text("#err-param-petroleum\\.price")
    page.fill("#param-petroleum\\.price [data-key=low]", "80")
    page.wait_for_function("document.getElementById('err-param-petroleum.price').textContent === ''")

    # money parameters in the unit of the result tables, USD M/yr, for value, low and high alike
    metals = shipped["metals.pre_sanction_exports"]
    row = "#param-metals\\.pre_sanction_exports"
    assert page.inner_text(f"{row} .unit") == "USD M/yr"
    shown = [page.input_value(f"{row} [data-key={key}]") for key in ("value", "low", "high")]
    assert [float(text) * 1e6 for text in shown] == [metals.value, metals.low, metals.high]
    # an edit in USD M/yr gives what calc.run gives with the same figure in the shipped unit, USD/yr
    figures, _ = figures_after(page, lambda: page.fill(f"{row} [data-key=value]", "300"))
    richer = dearer.override({metals.name: {"value": 300e6, "low": metals.low, "high": metals.high, "unit": "USD/yr"}})
    assert metals.unit == "USD/yr"
    assert figures == figures_of(mine, richer)
    # and the calculator's messages speak the same unit
    page.fill(f"{row} [data-key=high]", "250")
    page.wait_for_function("document.getElementById('err-param-metals.pre_sanction_exports').textContent !== ''")
    assert "the range low=185 .. high=250 must contain value=300" in page.inner_text(
        "#err-param-metals\\.pre_sanction_exports"
    )

    # on a phone nothing but the tables' and charts' own boxes scrolls sideways
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.context.close()
    assert all(url.startswith(server.url) or url.startswith(("data:", "blob:")) for url in requests)
    assert errors == []


def test_a_cleared_box_is_marked_beside_it_and_later_changes_count_once_it_is_fixed(server, browser, shipped):
    page, _, errors = open_page(browser, server, 390, 844)
    article = calc.preset("article-demands")
    assert opacity(page, "#sticky-figure") == 1 and page.is_hidden("#sticky-fix")
    # the bar that stays on screen: what the scenario earns and what it unlocks (220 M; fuel and luxury)
    unlocked = f"{figures_of(article)['unlocked'].expected / 1e6:,.1f}"
    assert page.inner_text("#sticky-result") == f"Earned 220.0, unlocked {unlocked} USD M/yr (article-demands, 2036)"

    # the share box of an area emptied: its message in the area's own box, every result greyed (on a phone the
    # figures in the bar that stays on screen too) with a button there that leads back to the field
    good = figures_shown(page)
    page.fill("#share-metals", "")
    page.wait_for_function("document.getElementById('err-lever-metals').textContent !== ''")
    assert page.inner_text("#err-lever-metals").startswith("metals_share: expected a number, got ''")
    assert page.eval_on_selector("#lever-metals", "box => box.contains(document.getElementById('err-lever-metals'))")
    for selector in ("#sticky-figure", "#sticky-unlocked", "#earned", "#unlocked", "#net", "#table", "#charts"):
        assert opacity(page, selector) < 1, selector
    assert page.is_visible("#sticky-fix")

    # a change far from it, to an assumption: refused while the box is empty, kept, and counted once it is fixed
    page.click("#assumptions-box summary")
    page.fill("#param-petroleum\\.price [data-key=value]", "120")
    page.wait_for_function("page.shown === page.sequence")  # the page's own record: its last change is answered
    assert figures_shown(page) == good
    page.click("#sticky-fix")
    assert page.evaluate("document.activeElement.id") == "share-metals"
    assert page.evaluate("document.getElementById('share-metals').getBoundingClientRect().top") > page.evaluate(
        "document.getElementById('sticky-net').getBoundingClientRect().bottom"
    )
    figures, _ = figures_after(page, lambda: page.fill("#share-metals", "0.5"))
    dearer = shipped.override({"petroleum.price": {"value": "120", "low": "80", "high": "140", "unit": "USD/bbl"}})
    half = replace(article, name="custom", metals_share=0.5)
    assert figures == figures_of(half, dearer)
    assert page.inner_text("#err-lever-metals") == "" and page.locator(".invalid").count() == 0
    assert opacity(page, "#sticky-figure") == 1 and page.is_hidden("#sticky-fix")

    # an assumption's value emptied: its message under its row, that box alone in red; a lever moved meanwhile
    # counts once the value is back
    page.fill("#param-petroleum\\.price [data-key=value]", "")
    page.wait_for_function("document.getElementById('err-param-petroleum.price').textContent !== ''")
    assert page.inner_text("#err-param-petroleum\\.price").startswith("explorer: petroleum.price.value: cannot read ''")
    message_row = "document.getElementById('param-petroleum.price').nextElementSibling"
    assert page.evaluate(f"{message_row}.contains(document.getElementById('err-param-petroleum.price'))")
    invalid = page.eval_on_selector_all(".invalid", "boxes => boxes.map((box) => box.id)")
    assert invalid == ["param-petroleum.price.value"]
    page.fill("#share-luxury", "0.25")
    figures, _ = figures_after(page, lambda: page.fill("#param-petroleum\\.price [data-key=value]", "110"))
    cheaper = shipped.override({"petroleum.price": {"value": "110", "low": "80", "high": "140", "unit": "USD/bbl"}})
    assert figures == figures_of(replace(half, luxury_share=0.25), cheaper)
    assert page.inner_text("#err-param-petroleum\\.price") == "" and page.locator(".invalid").count() == 0
    page.context.close()
    assert errors == []


@pytest.mark.parametrize(("width", "height"), [(1400, 900), (390, 844)])
def test_every_placeholder_fits_its_box_and_every_slider_says_what_its_ends_mean(
    server, browser, shipped, width, height
):
    page, _, errors = open_page(browser, server, width, height)
    # the placeholder's width in the box's own font, against the room inside the box
    cut = page.eval_on_selector_all(
        "input[placeholder]",
        """boxes => boxes.filter((box) => {
          const style = getComputedStyle(box);
          const context = document.createElement("canvas").getContext("2d");
          context.font = style.font;
          const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          return context.measureText(box.placeholder).width > room;
        }).map((box) => box.id)""",
    )
    assert cut == []
    caps = [area for area in setup(world_sets(shipped))["areas"] if area["caps"] or area["lever"] == "cap"]
    assert page.locator("input[placeholder]").count() == len(caps)  # every cap box was measured
    shares = [area.name for area in shipped.areas if area.kind.lever == "share"]
    for name in shares:
        assert page.inner_text(f"#ends-{name}").split("\n") == ["0 = ban stays", "1 = lifted"]
        assert page.get_attribute(f"#in-{name}", "aria-describedby") == f"ends-{name}"
        assert page.is_visible(f"#ends-{name}")
    page.context.close()
    assert errors == []


def test_the_server_refuses_other_hosts_and_bad_requests(server):
    port = server.server_address[1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    connection.request("GET", "/", headers={"Host": "attacker.example"})
    assert connection.getresponse().status == 403
    connection.close()
    # a malformed request is refused as such; a bad field is an answer naming the field
    for body, status, message in (
        (b"{not json", 400, "request: not valid JSON"),
        (b'["a list"]', 400, "request: expected a JSON object"),
        (json.dumps(state(metals="NaN")).encode(), 200, "metals_share: expected a number, got 'NaN'"),
    ):
        answer_status, answer = _post(port, body)
        assert answer_status == status and answer["ok"] is False
        assert message in " ".join(answer["errors"].values())
    assert _post(port, json.dumps(state()).encode())[1]["ok"] is True  # still serving


def _post(port, body, path="/api/results", raw=False):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    connection.request("POST", path, body=body, headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data if raw else json.loads(data)


def test_cli_serve_prints_its_address():
    with subprocess.Popen(
        [sys.executable, "-m", "calc", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        try:
            line = process.stdout.readline()
            assert line.startswith("sanctions-relief explorer: http://127.0.0.1:")
            assert line.rstrip().endswith("(Ctrl-C stops it)")
            port = int(line.split()[2].rsplit(":", 1)[1].strip("/"))
            # no deadline of seconds: a loaded machine may take long to answer, which is no fault; the net of five
            # minutes only keeps a server that hangs from hanging the suite
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            connection.request("GET", "/")
            assert b"sanctions-relief explorer" in connection.getresponse().read()
            connection.close()
        finally:
            process.terminate()
            try:
                process.wait(timeout=300)
            except subprocess.TimeoutExpired:
                process.kill()
                raise


@pytest.mark.parametrize(
    ("page_state", "field", "message"),
    [
        ({"levers": {"metals": {"share": 1}}}, "lever-metals", "metals_share: expected a number or a quantity"),
        ({"levers": [1, 2]}, "request", "levers: expected a JSON object, got list"),
        ({"timing": {"horizon": [10]}}, "horizon", "horizon: expected a number, got [10]"),
        ({"assumptions": {"gold.price": "1"}}, "param-gold.price", "gold.price"),
        ({"assumptions": {"petroleum.price": [1]}}, "param-petroleum.price.value", "petroleum.price.value"),
        (
            {"assumptions": {"petroleum.price": {"value": "100", "low": "", "high": "140", "unit": "USD/bbl"}}},
            "param-petroleum.price.low",
            "explorer: petroleum.price.low: cannot read ''",
        ),
        ({"name": "a/b"}, "name", "name"),
        ({"reference": "<script>"}, "reference", "reference: '<script>' is not a preset"),
    ],
)
def test_hostile_page_states_are_refused_by_field(page_state, field, message, shipped):
    with pytest.raises(InputError) as error:
        PageState({**state(), **page_state}, world_sets(shipped))
    errors = getattr(error.value, "errors", {"request": str(error.value)})
    assert field in errors and message in errors[field]


def test_a_bad_or_busy_port_is_refused_by_name(server):
    with pytest.raises(InputError, match="port: expected a whole number from 0 to 65535, got -1"):
        calc.serve(port=-1)
    with pytest.raises(InputError, match=f"port: {server.server_address[1]} cannot be used"):
        calc.serve(port=server.server_address[1])


# --- resolutions lifted, worlds and packages ---


def scenario_state(lift=(), **levers):
    """The page's state for a scenario that lifts ``lift`` with only ``levers`` set by hand, against hanoi-2019."""
    timing = {"start_year": "2027", "horizon": "10", "ramp_years": "0"}
    return {
        "name": "custom",
        "mode": "scenario",
        "lift": list(lift),
        "levers": levers,
        "timing": timing,
        "assumptions": {},
        "reference": "hanoi-2019",
    }


def test_the_resolutions_ticked_give_the_levers_and_a_lever_set_by_hand_overrides_them(figures):
    worlds = world_sets(figures)
    answer = results(PageState(scenario_state(["2371"]), worlds))
    # 2371 lifted: coal back under 2321's cap, seafood open, the iron and lead of the metals basket (78.45 %) open;
    # the workers stay frozen by 2375 and 2397
    assert {name: answer["levers"][name] for name in ("coal", "seafood", "metals", "workers")} == {
        "coal": "400870018 USD/yr or 7500000 t/yr",
        "seafood": 1.0,
        "metals": 0.7845,
        "workers": 0.0,
    }
    # earned: metals 220 x 0.7845; coal under the cap, whichever is lower (7.5 Mt x 53 = 397.5 M), beside the 294 M
    # smuggled today, together within the 1,190 M it could sell; seafood 295
    assert answer["earned"]["value"] == pytest.approx(220e6 * 0.7845 + 397.5e6 + 295e6)
    cap = (
        "custom: the coal exports cap of 400870018 USD/yr or 7500000 t/yr is read as the lower of its limits, "
        "397,500,000 USD/yr (coal.unit_value = 53 USD/t, coal.price_index = 1)"
    )
    assert answer["overrides"] == {} and answer["notes"] == [cap]
    # coal set by hand to half the ban lifted: it wins, and the page says so beside it and under the table
    answer = results(PageState(scenario_state(["2371"], coal="0.5"), worlds))
    note = (
        "custom: coal takes the lever the scenario sets (0.5), not what lifting 2371 gives it (400870018 USD/yr or "
        "7500000 t/yr): a lever set wins over a lift"
    )
    assert answer["overrides"] == {"coal": note} and note in answer["notes"]
    assert answer["levers"]["coal"] == 0.5
    # half of coal, 595 M, beside the 294 M smuggled (within the 1,190 M it could sell): all of it new
    assert answer["earned"]["value"] == pytest.approx(220e6 * 0.7845 + 0.5 * 1190e6 + 295e6)
    with pytest.raises(PageError) as error:
        PageState(scenario_state(["2356"]), worlds)
    assert error.value.errors == {
        "lift": "lift: resolution '2356' has no trade measure; accepted: 1718, 2094, 2270, 2321, 2371, 2375, 2397"
    }


def test_the_presets_defined_by_lift_tick_their_resolutions(shipped):
    presets = setup(world_sets(shipped))["presets"]
    assert presets["hanoi-2019"]["lift"] == ["2270", "2321", "2371", "2375", "2397"]
    assert presets["full-relief"]["lift"] == ["1718", "2094", "2270", "2321", "2371", "2375", "2397"]
    assert presets["hanoi-2019"]["explicit"] == presets["full-relief"]["explicit"] == {}
    article = presets["article-demands"]
    assert article["lift"] == [] and article["explicit"] == {
        "metals": 1.0,
        "petroleum": "2000000 bbl/yr",
        "luxury": 1.0,
    }
    # sent back as the page sends a preset (its resolutions, the levers it gives), each is the preset
    for name in ("hanoi-2019", "full-relief", "article-demands", "china-russia-draft"):
        sent = scenario_state(presets[name]["lift"], **presets[name]["explicit"]) | {"name": name}
        page = PageState(sent | {"reference": None}, world_sets(shipped))
        assert page.scenario.levers(shipped.areas) == calc.preset(name).levers(shipped.areas), name


def test_the_world_chosen_is_the_world_the_figures_are_run_in(shipped):
    worlds = world_sets(shipped)
    assert list(worlds) == ["as-written", "enforced-2025", "prices-2024"]
    enforced = calc.load_assumptions("enforced-2025")
    page = PageState({**state(), "world": "enforced-2025"}, worlds)
    assert page.assumptions.name == "enforced-2025"
    mine = replace(calc.preset("article-demands"), name="custom")
    assert {key: results(page)[key]["value"] for key in FIGURES} == figures_of(mine, enforced)
    # the page's edits apply within the world chosen
    page = PageState({**state(), "world": "enforced-2025", "assumptions": {"petroleum.price": "120 USD/bbl"}}, worlds)
    assert {key: results(page)[key]["value"] for key in FIGURES} == figures_of(
        mine, enforced.override({"petroleum.price": "120 USD/bbl"})
    )
    shown = {world["name"]: world for world in setup(worlds)["worlds"]}
    assert shown["enforced-2025"]["parameters"]["petroleum.illicit_imports"]["value"] == "3.9e+06"
    assert "petroleum.illicit_imports" not in shown["prices-2024"]["parameters"]
    with pytest.raises(PageError) as error:
        PageState({**state(), "world": "enforced-2052"}, worlds)
    assert error.value.errors == {
        "world": "world: 'enforced-2052' is not one the page offers; accepted: as-written, enforced-2025, prices-2024"
    }
    # started on assumptions that set what a world sets, differently: that world is refused beside the control
    mine_set = shipped.override({"petroleum.illicit_imports": "1e6 bbl/yr"})
    with pytest.raises(PageError) as error:
        PageState({**state(), "world": "enforced-2025"}, world_sets(mine_set))
    assert error.value.errors["world"].startswith(
        "assumptions: petroleum.illicit_imports is set by both 'the assumptions the explorer started with' and "
        "'enforced-2025', differently"
    )


def test_the_relief_on_screen_stands_beside_what_the_north_earns_outside_the_sanctions(figures):
    context = results(PageState(state(), world_sets(figures)))["context"]
    cells = [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", context)]
    # custom (the three demands): 220 M a year is 0.22 bn, 2.20 bn over ten years; hanoi-2019: 2,195 M a year
    assert cells[:8] == ["custom", "0.22", "2.20", "2027-2036", "hanoi-2019", f"{2.195:.2f}", "21.95", "2027-2036"]
    assert "Context, not relief" in context and "never\nadded to the relief" in context
    theft = cells.index("2025, a year")
    assert cells[theft - 1 : theft + 2] == ["Cyber theft (crypto-assets stolen)", "2025, a year", "2.02 USD bn"]
    # a figure reported in won stays in won: no exchange rate is applied
    arms = cells.index("Arms, troops and workers for Russia (at most)")
    assert cells[arms + 1 : arms + 3] == ["Aug 2023 - Aug 2025, in all", "28.00 KRW tn"]


def test_the_share_table_names_the_rows_it_leaves_out(shipped):
    # the three demands ease the luxury ban, which Hanoi's request leaves alone: no share of Hanoi's nothing exists
    relative = results(PageState(state(), world_sets(shipped)))["relative"]
    assert "Luxury imports unlocked" not in relative.split("<p")[0]
    assert relative.endswith(
        '<p class="note">Left out, as hanoi-2019 has none of them to divide by: luxury imports unlocked, crude oil '
        "unlocked, luxury import spending, crude-oil import spending.</p>"
    )


def package_state(steps, hazard=0, **timing):
    """The page's state in package mode with ``steps`` (year, until, lift, levers as the page sends them)."""
    return {
        **scenario_state(),
        "mode": "package",
        "package": {"steps": steps, "snapback_hazard": hazard},
        "timing": {"start_year": "2027", "horizon": "10", "ramp_years": "0"} | timing,
    }


US_IDEA = [
    {"year": "2027", "until": "2028", "lift": [], "levers": {"coal": "1", "textiles": "1"}},
    {"year": "2029", "until": "", "lift": [], "levers": {"coal": "1", "textiles": "1"}},
]


def test_a_package_sent_by_the_page_is_the_package_run(figures):
    page = PageState(package_state(US_IDEA, "assumed"), world_sets(figures))
    assert isinstance(page.scenario, calc.Package)
    assert {**page.scenario.to_dict(), "name": "", "note": ""} == {
        **calc.preset("us-idea-2019-renewed").to_dict(),
        "name": "",
        "note": "",
    }
    # coal 1,190 M less 294 M smuggled, textiles 752 M x 0.5, in force in 2036 (k = 9) with probability 0.9^9
    answer = results(page)
    assert answer["earned"]["value"] == pytest.approx((1190e6 - 294e6 + 376e6) * 0.9**9)
    assert answer["levers"] == {} and answer["overrides"] == {}
    assert 'alt="Steps of the package and its hard currency earned"' in charts(page)["charts"]


@pytest.mark.parametrize(
    ("steps", "hazard", "errors"),
    [
        (
            [US_IDEA[0], {**US_IDEA[1], "year": ""}],
            0,
            {"step2-year": "year: expected a number, got ''"},
        ),
        (
            [{**US_IDEA[0], "until": "2026"}],
            0,
            {"step1-until": "until: 2026 is before the step's year 2027; accepted: a later year"},
        ),
        (
            [{**US_IDEA[0], "levers": {"coal": "2"}, "lift": ["2356"]}],
            "1.5",
            {
                "step1-lever-coal": "Coal Exports: 2 is out of range; accepted: a share from 0 to 1 of the ban lifted, "
                "or a cap such as '400.9e6 USD/yr' or '7.5e6 t/yr' (both, the lower applying: '400870018 USD/yr or "
                "7.5e6 t/yr')",
                "step1-lift": "lift: resolution '2356' has no trade measure; accepted: 1718, 2094, 2270, 2321, "
                "2371, 2375, 2397",
                "snapback_hazard": "snapback_hazard: 1.5 is out of range; accepted: a yearly probability from 0 up to "
                "but not including 1, or 'assumed' (the assumptions' context.snapback_hazard)",
            },
        ),
        (
            [{**US_IDEA[1], "year": "2040"}, {**US_IDEA[0], "until": "2040"}],
            0,
            {
                "step1-year": "2040- is outside the package's years; accepted: 2027 to 2036",
                "step2-until": "2027-2040 is outside the package's years; accepted: 2027 to 2036",
            },
        ),
        (
            [{"year": "2027", "until": "", "lift": [], "levers": {}}],
            0,
            {"step1": "step 2027: eases nothing; name a lever (relief, lift, metals_share, ...)"},
        ),
        (
            [US_IDEA[1], {**US_IDEA[1], "levers": {"coal": "0.5"}}],
            0,
            {
                "steps": "package 'custom': two steps of 2029 set coal differently (1.0 against 0.5, lifts included); "
                "give one lever per area and year"
            },
        ),
        ([], 0, {"steps": "steps: 0 steps; accepted: 1 to 100 (add one to start with)"}),
        ([US_IDEA[1]] * 101, 0, {"steps": "steps: 101 steps; accepted: 1 to 100 (add one to start with)"}),
    ],
)
def test_each_bad_field_of_a_package_is_reported_beside_it(steps, hazard, errors, shipped):
    with pytest.raises(PageError) as error:
        PageState(package_state(steps, hazard), world_sets(shipped))
    assert error.value.errors == errors


def test_the_downloads_of_a_package_hold_the_package(server, tmp_path):
    port = server.server_address[1]
    sent = json.dumps(package_state(US_IDEA, "assumed")).encode()
    package = replace(calc.preset("us-idea-2019-renewed"), name="custom", note="")
    status, data = _post(port, sent, "/api/csv", raw=True)
    assert status == 200
    (tmp_path / "sanctions-relief.csv").write_bytes(data)
    status, data = _post(port, sent, "/api/datapackage", raw=True)
    (tmp_path / "sanctions-relief.datapackage.json").write_bytes(data)
    frame = calc.read_csv(tmp_path / "sanctions-relief.csv")
    pd.testing.assert_frame_equal(frame, calc.run([package, calc.preset("hanoi-2019")]))
    assert json.loads(data)["sanctions_relief"]["scenarios"][0]["steps"] == package.to_dict()["steps"]
    pd.testing.assert_frame_equal(calc.rerun(tmp_path / "sanctions-relief.csv"), frame)
    status, page = _post(port, sent, "/api/report", raw=True)
    assert status == 200 and b'alt="Steps of custom and its hard currency earned"' in page


def ticked(page, box="#lift"):
    return page.eval_on_selector_all(f"{box} input", "boxes => boxes.filter((b) => b.checked).map((b) => b.value)")


def test_resolution_boxes_move_the_levers_they_reach_and_a_lever_moved_by_hand_overrides_them(server, browser):
    page, _, errors = open_page(browser, server, 1400, 900)
    figures_after(page, lambda: page.click("[data-preset='status-quo']"))
    assert ticked(page) == []
    # 2371 ticked: coal goes to the 2321 cap, seafood opens, 78.45 % of the metals basket opens
    figures, _ = figures_after(page, lambda: page.check("#lift-2371"))
    lifted = calc.Scenario(name="custom", lift=["2371"])
    assert figures == figures_of(lifted)
    assert page.input_value("#cap-coal") == "400870018 USD/yr or 7500000 t/yr"
    assert page.input_value("#share-seafood") == "1"
    assert page.input_value("#share-metals") == "0.7845" and page.input_value("#share-workers") == "0"
    assert page.inner_text("#override-coal") == ""
    assert page.inner_text("#notes") == (
        "Note: custom: the coal exports cap of 400870018 USD/yr or 7500000 t/yr is read as the lower of its limits, "
        "397,500,000 USD/yr (coal.unit_value = 53 USD/t, coal.price_index = 1)."
    )
    # coal moved by hand: the share wins over what the lift gives, and the page says so beside it and under the table
    figures, _ = figures_after(page, lambda: page.fill("#share-coal", "0.5"))
    assert figures == figures_of(calc.Scenario(name="custom", lift=["2371"], relief={"coal": 0.5}))
    assert page.input_value("#cap-coal") == ""
    note = (
        "custom: coal takes the lever the scenario sets (0.5), not what lifting 2371 gives it (400870018 USD/yr or "
        "7500000 t/yr): a lever set wins over a lift."
    )
    assert page.inner_text("#override-coal").startswith(note) and page.inner_text("#notes") == f"Note: {note}"
    # a lever moved by hand stays when more is lifted; handed back, it follows the resolutions again
    figures, _ = figures_after(page, lambda: page.check("#lift-2321"))
    assert figures == figures_of(calc.Scenario(name="custom", lift=["2321", "2371"], relief={"coal": 0.5}))
    assert page.input_value("#share-coal") == "0.5"
    figures, _ = figures_after(page, lambda: page.click("#follow-coal"))
    assert figures == figures_of(calc.Scenario(name="custom", lift=["2321", "2371"]))
    assert page.input_value("#share-coal") == "1" and page.input_value("#cap-coal") == ""  # nothing left in force
    figures_after(page, lambda: page.uncheck("#lift-2321"))
    figures, _ = figures_after(page, lambda: page.uncheck("#lift-2371"))
    assert figures == figures_of(calc.Scenario(name="custom")) and page.input_value("#share-seafood") == "0"
    # the presets defined by lift tick their boxes and give what calc.run gives them
    for name, lift in (
        ("hanoi-2019", ["2270", "2321", "2371", "2375", "2397"]),
        ("full-relief", ["1718", "2094", "2270", "2321", "2371", "2375", "2397"]),
        ("article-demands", []),
    ):
        figures, _ = figures_after(page, lambda name=name: page.click(f"[data-preset='{name}']"))
        assert ticked(page) == lift and figures == figures_of(calc.preset(name)), name
    assert page.input_value("#share-metals") == "1" and page.inner_text("#override-metals") == ""
    page.context.close()
    assert errors == []


def test_the_world_control_switches_the_figures_and_the_assumptions_shown(server, browser, shipped):
    page, _, errors = open_page(browser, server, 1400, 900)
    article = calc.preset("article-demands")
    page.click("#assumptions-box summary")
    row = "#param-petroleum\\.illicit_imports"
    assert page.input_value(f"{row} [data-key=value]") == "3.3e+06"
    figures, _ = figures_after(page, lambda: page.select_option("#world", "enforced-2025"))
    enforced = calc.load_assumptions("enforced-2025")
    assert figures == figures_of(article, enforced)
    # the table shows the world's figure and source; the status line and the bar name the world
    assert page.input_value(f"{row} [data-key=value]") == "3.9e+06"
    assert page.inner_text(f"{row} .source").startswith("Judgement, bounded by the MSMT first report")
    assert page.inner_text("#status").endswith("world enforced-2025.")
    # an edit stays an edit across worlds, and applies within the world chosen
    figures, _ = figures_after(page, lambda: page.fill("#param-petroleum\\.price [data-key=value]", "120"))
    dearer = {"petroleum.price": {"value": "120", "low": "80", "high": "140", "unit": "USD/bbl"}}
    assert figures == figures_of(article, enforced.override(dearer))
    figures, _ = figures_after(page, lambda: page.select_option("#world", "as-written"))
    assert figures == figures_of(article, shipped.override(dearer))
    assert page.input_value(f"{row} [data-key=value]") == "3.3e+06"
    assert page.input_value("#param-petroleum\\.price [data-key=value]") == "120"
    assert "Cyber theft (crypto-assets stolen)" in page.inner_text("#context")
    page.context.close()
    assert errors == []


@pytest.mark.parametrize(("width", "height"), [(1400, 900), (390, 844)])
def test_the_step_editor_builds_the_package_the_server_runs(server, browser, tmp_path, width, height):
    page, _, errors = open_page(browser, server, width, height)
    # from the scenario on screen, package mode starts with one step: the same relief from the first year
    figures, _ = figures_after(page, lambda: page.check("#mode-package"))
    article = calc.preset("article-demands")
    assert figures == figures_of(replace(article, name="custom"))
    assert page.input_value("#step1-year") == "2027" and page.is_visible("#step1-cap-petroleum")
    assert page.is_hidden("#scenario-editor") and page.locator(".step").count() == 1
    # a preset package: its steps, its hazard, and what calc.run gives it
    figures, _ = figures_after(page, lambda: page.click("[data-preset='imports-first-sequence']"))
    jcpoa = calc.preset("imports-first-sequence")
    assert figures == figures_of(jcpoa) and page.locator(".step").count() == 3
    assert [page.input_value(f"#step{i}-year") for i in (1, 2, 3)] == ["2027", "2029", "2032"]
    assert page.input_value("#hazard-mode") == "assumed" and page.is_hidden("#snapback_hazard")
    page.wait_for_selector("#charts img[alt='Steps of the package and its hard currency earned']", timeout=300_000)
    # the last step removed, a new one added: it eases nothing until an area is chosen, and says so beside it
    figures_after(page, lambda: page.click("#step3-remove"))
    page.click("#add-step")
    page.wait_for_function("document.getElementById('err-step3').textContent !== ''")
    assert page.inner_text("#err-step3").startswith("step 2030: eases nothing")
    assert page.input_value("#step3-year") == "2030"
    figures, _ = figures_after(page, lambda: page.select_option("#step3-add", "coal"))
    figures, _ = figures_after(page, lambda: page.fill("#step3-until", "2033"))
    figures, _ = figures_after(page, lambda: page.select_option("#hazard-mode", "none"))
    mine = calc.Package(
        "custom",
        [*jcpoa.steps[:2], calc.Step(2030, until=2033, relief={"coal": 1})],
        horizon=15,
    )
    assert figures == figures_of(mine)
    # a step outside the years: the message beside its box, the box in red, the figures kept
    page.fill("#step2-year", "2050")
    page.wait_for_function("document.getElementById('err-step2-year').textContent !== ''")
    assert page.inner_text("#err-step2-year") == "2050- is outside the package's years; accepted: 2027 to 2041"
    assert "invalid" in page.get_attribute("#step2-year", "class") and figures_shown(page) == figures
    figures, _ = figures_after(page, lambda: page.fill("#step2-year", "2029"))
    assert figures == figures_of(mine)
    # downloads: the CSV of the package and the reference reads back to calc.run of them
    with page.expect_download() as download:
        page.click("#download-csv")
    download.value.save_as(tmp_path / "sanctions-relief.csv")
    (tmp_path / "expected").mkdir()
    expected = calc.export_csv(calc.run([mine, calc.preset("hanoi-2019")]), tmp_path / "expected" / "same.csv")
    assert (tmp_path / "sanctions-relief.csv").read_bytes() == expected.read_bytes()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.context.close()
    assert errors == []
