"""The explorer page (calc.serve): the page in headless Chromium against calc.run, bad fields, downloads, and the
server's own checks."""

import http.client
import json
import subprocess
import sys
from dataclasses import replace

import pandas as pd
import pytest

import calc
from calc.errors import InputError
from calc.explorer import PageError, PageState, start
from calc.variables import NET

from conftest import CHROMIUM_FLAGS, chromium


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


def net_of(scenario):
    frame = calc.run(scenario)
    return frame[(frame["scenario"] == scenario.name) & (frame["variable"] == NET)]["value"].iloc[-1]


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
        PageState(state(**changes), shipped)
    assert list(error.value.errors) == [field]
    assert error.value.errors[field].startswith(message)


def test_bad_timing_and_assumptions_are_reported_together(shipped):
    bad = state(metals="2")
    bad["timing"]["horizon"] = ""
    bad["assumptions"] = {"petroleum.price": {"value": "100", "low": "120", "high": "140", "unit": "USD/bbl"}}
    with pytest.raises(PageError) as error:
        PageState(bad, shipped)
    errors = error.value.errors
    assert set(errors) == {"lever-metals", "horizon", "param-petroleum.price"}
    assert errors["horizon"] == "horizon: expected a number, got ''"
    assert "the range low=120 .. high=140 must contain value=100" in errors["param-petroleum.price"]


def test_a_scenario_may_not_take_the_name_of_a_different_reference(shipped):
    hanoi = calc.preset("hanoi-2019").levers(shipped.areas)
    same = {"name": "hanoi-2019", "levers": {k: "lifted" if v is None else v for k, v in hanoi.items()}, "timing": {}}
    assert [s.name for s in PageState({**same, "reference": "hanoi-2019"}, shipped).scenarios] == ["hanoi-2019"]
    with pytest.raises(PageError) as error:
        PageState({**state(), "name": "hanoi-2019"}, shipped)
    assert error.value.errors == {
        "name": "name: 'hanoi-2019' is the name of the reference, which this scenario is not; give it another name"
    }


def test_the_report_download_holds_the_scenarios_on_screen(server):
    status, page = _post(server.server_address[1], json.dumps(state(metals="0.5")).encode(), "/api/report", raw=True)
    assert status == 200
    assert page.startswith(b"<!DOCTYPE html>") and b"<strong>custom</strong>" in page and b"hanoi-2019" in page


def test_the_page_follows_its_levers_like_calc_run(server, tmp_path):
    executable, sync_playwright = chromium()
    article = calc.preset("article-demands")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        page = browser.new_context(
            viewport={"width": 1400, "height": 900}, bypass_csp=True, accept_downloads=True
        ).new_page()
        requests, errors = [], []
        page.on("request", lambda request: requests.append(request.url))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto(server.url)

        def net_after(action):
            before = page.get_attribute("#net", "data-sequence")
            action()
            page.wait_for_function(f"document.getElementById('net').dataset.sequence !== {json.dumps(before)}")
            return float(page.get_attribute("#net", "data-value")), page.inner_text("#net")

        page.wait_for_function("document.getElementById('net').dataset.sequence")
        assert float(page.get_attribute("#net", "data-value")) == pytest.approx(net_of(article), rel=1e-12)

        # half the metals ban, typed in the share box; then a quarter, on the slider
        value, text = net_after(lambda: page.fill("#share-metals", "0.5"))
        half = replace(article, name="custom", metals_share=0.5)
        assert value == pytest.approx(net_of(half), rel=1e-12)
        assert text == calc.run(half).pipe(lambda f: f"{f[f['variable'] == NET]['value'].iloc[-1] / 1e6:,.1f}")
        value, _ = net_after(lambda: page.fill("#in-metals", "0.25"))
        assert value == pytest.approx(net_of(replace(article, name="custom", metals_share=0.25)), rel=1e-12)

        # a bad share: the calculator's message beside the field, the last good figure kept
        good = page.get_attribute("#net", "data-value")
        page.fill("#share-metals", "1.5")
        page.wait_for_function("document.getElementById('err-lever-metals').textContent !== ''")
        assert "metals_share: 1.5 is out of range; accepted: a share from 0 to 1" in page.inner_text(
            "#err-lever-metals"
        )
        assert page.get_attribute("#net", "data-value") == good
        # a fuel cap in litres per lap, then an empty one
        page.fill("#share-metals", "0.25")
        page.wait_for_function("document.getElementById('err-lever-metals').textContent === ''")
        page.fill("#cap-petroleum", "5 L/lap")
        page.wait_for_function("document.getElementById('err-lever-petroleum').textContent !== ''")
        assert page.inner_text("#err-lever-petroleum").startswith("petroleum_cap:")
        page.fill("#cap-petroleum", "")
        page.wait_for_function("document.getElementById('err-lever-petroleum').textContent.includes(\"got ''\")")
        # the server keeps serving: a good cap again gives the figure calc.run gives
        value, _ = net_after(lambda: page.fill("#cap-petroleum", "1000000 bbl/yr"))
        mine = replace(article, name="custom", metals_share=0.25, petroleum_cap="1000000 bbl/yr")
        assert value == pytest.approx(net_of(mine), rel=1e-12)
        assert page.inner_text("#err-lever-petroleum") == ""

        # the CSV of what is on screen reads back to the frame calc.run gives
        with page.expect_download() as download:
            page.click("#download-csv")
        path = tmp_path / "sanctions-relief.csv"
        download.value.save_as(path)
        expected = calc.run([mine, calc.preset("hanoi-2019")])
        pd.testing.assert_frame_equal(calc.read_csv(path), expected)
        with page.expect_download() as download:
            page.click("#download-datapackage")
        download.value.save_as(tmp_path / "sanctions-relief.datapackage.json")
        package = json.loads((tmp_path / "sanctions-relief.datapackage.json").read_text())
        assert [s["name"] for s in package["sanctions_relief"]["scenarios"]] == ["custom", "hanoi-2019"]

        # Monte Carlo on request, with its progress shown while it runs
        page.fill("#draws", "2000")
        page.click("#run-montecarlo")
        page.wait_for_selector("#montecarlo img", timeout=60_000)
        assert page.locator("#montecarlo img").count() == 2
        assert page.is_hidden("#montecarlo-progress")

        # an assumption edited in its table moves the figure as the same override moves calc.run
        page.click("#assumptions-box summary")
        value, _ = net_after(lambda: page.fill("#param-petroleum\\.price [data-key=value]", "120"))
        dearer = calc.load_assumptions().override(
            {"petroleum.price": {"value": "120", "low": "80", "high": "140", "unit": "USD/bbl"}}
        )
        frame = calc.run(mine, assumptions=dearer)
        assert value == pytest.approx(frame[frame["variable"] == NET]["value"].iloc[-1], rel=1e-12)
        page.fill("#param-petroleum\\.price [data-key=low]", "130")
        page.wait_for_function("document.getElementById('err-param-petroleum.price').textContent !== ''")
        assert "must contain value=120" in page.inner_text("#err-param-petroleum\\.price")

        # on a phone nothing but the tables' and charts' own boxes scrolls sideways
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        browser.close()
    assert all(url.startswith(server.url) or url.startswith(("data:", "blob:")) for url in requests)
    assert errors == []


def test_the_server_refuses_other_hosts_and_bad_requests(server):
    port = server.server_address[1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
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
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
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
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/")
            assert b"sanctions-relief explorer" in connection.getresponse().read()
            connection.close()
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.mark.parametrize(
    ("page_state", "field", "message"),
    [
        ({"levers": {"metals": {"share": 1}}}, "lever-metals", "metals_share: expected a number or a quantity"),
        ({"levers": [1, 2]}, "request", "levers: expected a JSON object, got list"),
        ({"timing": {"horizon": [10]}}, "horizon", "horizon: expected a number, got [10]"),
        ({"assumptions": {"gold.price": "1"}}, "param-gold.price", "gold.price"),
        ({"assumptions": {"petroleum.price": [1]}}, "param-petroleum.price", "petroleum.price"),
        ({"name": "a/b"}, "name", "name"),
        ({"reference": "<script>"}, "reference", "reference: '<script>' is not a preset"),
    ],
)
def test_hostile_page_states_are_refused_by_field(page_state, field, message, shipped):
    with pytest.raises(InputError) as error:
        PageState({**state(), **page_state}, shipped)
    errors = getattr(error.value, "errors", {"request": str(error.value)})
    assert field in errors and message in errors[field]


def test_a_bad_or_busy_port_is_refused_by_name(server):
    with pytest.raises(InputError, match="port: expected a whole number from 0 to 65535, got -1"):
        calc.serve(port=-1)
    with pytest.raises(InputError, match=f"port: {server.server_address[1]} cannot be used"):
        calc.serve(port=server.server_address[1])
