"""The explorer page: every lever and assumption range in the browser, results as they move (``calc.serve()``,
``sanctions-relief serve``).

A small server on the standard library's ``http.server``, bound to 127.0.0.1. It serves one page
(``explorer.html``: styles and script inline, so no request leaves the machine) and answers the page's JSON
requests by calling the public API. The page holds the whole state (levers, timing, reference scenario, changed
assumptions) and sends it with every request, so the server keeps none: a bad request changes nothing but its own
answer, and the server goes on serving.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sys
import tempfile
import threading
import time
import webbrowser
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

from calc.area import Area
from calc.assumptions import AS_WRITTEN, Assumptions, Parameter, in_world, overlays
from calc.charts import plot_package, plot_path, plot_scenarios
from calc.display import BUDGET_BOUND, budget_words, comparison, notes, overrides, relative, undivided
from calc.engine import checked_assumptions, roles, run
from calc.errors import InputError, MissingExtra
from calc.export import datapackage_path, export_csv
from calc.kinds import SOURCES, Lever, register_from
from calc.presentation import SHOWN, entry_unit
from calc.record import metadata, recorded
from calc.reporting import context_html, image_html, report, spread_html, table_html
from calc.resolution import shipped_law
from calc.scenario import (
    HAZARD,
    Package,
    Plan,
    Scenario,
    Step,
    checked_hazard,
    checked_name,
    plain_lever,
    preset,
    presets,
    whole_number,
)
from calc.tables import compare
from calc.uncertainty import MAX_DRAWS, montecarlo, tornado
from calc.variables import BOUGHT, NET, REVENUE, UNLOCKED, catalogue

if TYPE_CHECKING:
    import pandas as pd

PAGE = Path(__file__).with_name("explorer.html")
DEFAULT_PORT = 8050
#: Largest request body accepted (the page's state is a few kilobytes).
MAX_BODY = 1 << 20
TIMING = ("start_year", "horizon", "ramp_years")
#: What the page edits: one scenario's levers, or a package's steps (at most this many: each is checked against
#: every other, and a request of thousands would hold a server thread for long).
MODES = ("scenario", "package")
MAX_STEPS = 100
#: The reference scenario the page opens with, and the scenario it opens on.
REFERENCE = "hanoi-2019"
OPENING = "article-demands"
#: The measures the page's path, fan and tornado can draw, the headline two first; they open on the first.
MEASURES = (REVENUE, UNLOCKED, NET)
#: Where the page's assumption edits come from, as override messages name it ("explorer: petroleum.price.low: ...").
ORIGIN = "explorer"
#: The names the page saves its downloads under. The CSV is written under its own name, so that the Data Package
#: beside it names the file the page saves (and the pair validates).
CSV_NAME = "sanctions-relief.csv"
DOWNLOADS = {
    "csv": CSV_NAME,
    "datapackage": datapackage_path(CSV_NAME).name,
    "report": "sanctions-relief-report.html",
}


def compact(number: float) -> str:
    """A number as short text that reads back to the same float: 3.1e+09 rather than 3100000000."""
    short = f"{number:.6g}"
    return short if float(short) == number else repr(float(number))


def world_sets(assumptions: Assumptions) -> dict[str, Assumptions | InputError]:
    """The worlds the page offers, by name: as-written (the assumptions the explorer started with) and each shipped
    overlay laid over them; one that cannot be laid over them (it sets a parameter they set otherwise) is kept as
    its error, which the page shows beside the control."""
    sets: dict[str, Assumptions | InputError] = {}
    for world in [AS_WRITTEN, *overlays()]:
        try:
            sets[world] = in_world(assumptions, world, origin="the assumptions the explorer started with")
        except InputError as error:
            sets[world] = error
    return sets


def as_written(worlds: Mapping[str, Assumptions | InputError]) -> Assumptions:
    """The as-written world of ``worlds`` (``world_sets``): the assumptions the explorer started with, which
    ``in_world`` gives back as they are, so never an error."""
    world = worlds[AS_WRITTEN]
    assert isinstance(world, Assumptions), "as-written is the assumptions the explorer started with"
    return world


def setup(worlds: Mapping[str, Assumptions | InputError]) -> dict[str, Any]:
    """What the page needs to draw its controls: the areas and their levers, the resolutions that can be lifted,
    the presets (a scenario's resolutions lifted, levers given and levers in force; a package's steps), every
    assumption, and what each other world sets otherwise."""
    assumptions = as_written(worlds)
    central = assumptions.central()
    areas = [
        {
            "name": area.name,
            "title": area.title,
            "resolutions": ", ".join(area.resolutions),
            **area.kind.control(roles(area, central)),
        }
        for area in assumptions.areas
    ]
    law = shipped_law()
    resolutions = [
        {
            "name": name,
            "year": law.resolutions[name].adopted.year,
            "title": law.resolutions[name].title,
            "measures": law.resolutions[name].described,
        }
        for name in law.accepted()
    ]
    parameters = [shown_parameter(p, assumptions.specs[p.name].unit) for p in assumptions.values()]
    variables = catalogue(assumptions.areas).variables
    return {
        "areas": areas,
        "resolutions": resolutions,
        "presets": {name: shown_plan(preset(name), assumptions.areas) for name in presets()},
        "parameters": parameters,
        "worlds": [_shown_world(name, world, assumptions) for name, world in worlds.items()],
        "hazard": compact(central[HAZARD]),
        "reference": REFERENCE,
        "opening": OPENING,
        "measures": [{"name": name, "label": variables[name].label} for name in MEASURES],
        "downloads": DOWNLOADS,
    }


def shown_plan(plan: Plan, areas: tuple[Area, ...]) -> dict[str, Any]:
    """A preset as the page sets its controls: for a scenario the resolutions it lifts, the levers it gives
    (``explicit``, by area) and every area's lever in force; for a package its steps (each with the levers it
    names, by area) and its snapback hazard."""
    shown = {"timing": {key: getattr(plan, key) for key in TIMING}, "note": plan.note}
    if isinstance(plan, Package):
        steps = [
            {
                "year": step.year,
                "until": step.until,
                "lift": list(step.lift or ()),
                "levers": {name: plain_lever(lever) for name, lever in step.named(areas).items()},
            }
            for step in plan.steps
        ]
        return shown | {"kind": "package", "steps": steps, "snapback_hazard": plan.snapback_hazard}
    given = plan.to_dict()
    explicit = {area.name: given[area.keyword] for area in areas if area.keyword in given}
    levers = plan.levers(areas)
    return shown | {
        "kind": "scenario",
        "lift": list(plan.lift),
        "explicit": explicit | {name: lever for name, lever in given["relief"].items() if name in levers},
        "levers": {name: plain_lever(lever) for name, lever in levers.items()},
    }


def _shown_world(name: str, world: Assumptions | InputError, base: Assumptions) -> dict[str, Any]:
    """A world as the page offers it: its name, and the parameters it sets otherwise than ``base`` as the
    assumptions table shows them (or why it cannot be offered)."""
    if isinstance(world, InputError):
        return {"name": name, "error": str(world), "parameters": {}}
    changed = {
        parameter.name: shown_parameter(parameter, world.specs[parameter.name].unit)
        for parameter in world.values()
        if parameter.name not in base or base[parameter.name] != parameter
    }
    return {"name": name, "error": "", "parameters": changed}


def shown_parameter(parameter: Parameter, model_unit: str) -> dict[str, Any]:
    """A parameter as the page's table shows it: value, low and high in the unit result tables use for its
    dimension (money in USD M/yr), that unit as shown (``unit``) and as the registry reads it (``entry_unit``, sent
    back with edits), and its source. A parameter of a dimension tables do not show stays in its own unit."""
    if model_unit in SHOWN:
        label, divisor = SHOWN[model_unit].unit, SHOWN[model_unit].divisor
        low, value, high = (magnitude / divisor for magnitude in parameter.magnitudes(model_unit))
    else:
        label, low, value, high = parameter.unit, parameter.low, parameter.value, parameter.high
    return {
        "name": parameter.name,
        "value": compact(value),
        "low": compact(low),
        "high": compact(high),
        "unit": label,
        "entry_unit": entry_unit(label),
        "year": parameter.year,
        "source": parameter.source,
        "url": parameter.url,
        "note": parameter.note,
        "judgement": parameter.judgement,
    }


class PageState:
    """The page's state, checked field by field: each bad field's message is kept under the id of the field.

    ``mode`` "scenario": one set of levers, with the resolutions lifted (``lift``) and the levers the user set
    (``levers``: only those; every other area takes what the lift gives it, or the status quo). ``mode``
    "package": ``package`` holds the steps (each with ``year``, ``until``, ``lift`` and ``levers``) and the
    snapback hazard. ``world`` names one of ``worlds`` (``world_sets``); the assumption edits apply within it."""

    def __init__(self, state: object, worlds: Mapping[str, Assumptions | InputError]) -> None:
        if not isinstance(state, Mapping):
            raise InputError("request: expected a JSON object with the page's state")
        self.errors: dict[str, str] = {}
        self.world = state.get("world") or AS_WRITTEN
        base = worlds.get(self.world) if isinstance(self.world, str) else None
        if not isinstance(base, Assumptions):
            self.errors["world"] = (
                str(base)
                if base is not None
                else f"world: {self.world!r} is not one the page offers; accepted: "
                f"{', '.join(name for name, world in worlds.items() if isinstance(world, Assumptions))}"
            )
            base = as_written(worlds)
        self.assumptions = self._assumptions(_mapping(state.get("assumptions", {}), "assumptions"), base)
        mode = state.get("mode") or "scenario"
        if mode not in MODES:
            raise InputError(f"mode: {mode!r}; accepted: {', '.join(MODES)}")
        timing = self._timing(_mapping(state.get("timing", {}), "timing"))
        name = self._name(state.get("name"))
        make = self._scenario if mode == "scenario" else self._package
        plan = make(state, self.assumptions.areas, timing, name)
        reference = state.get("reference") or None
        if reference is not None and reference not in presets():
            self.errors["reference"] = f"reference: {reference!r} is not a preset; accepted: {', '.join(presets())}"
        self.reference = preset(reference) if reference in presets() else None
        self.variable = state.get("variable") or REVENUE
        if self.variable not in MEASURES:
            self.errors["variable"] = (
                f"variable: {self.variable!r} is not one the page draws; accepted: {', '.join(MEASURES)}"
            )
        if plan and self.reference and plan.name == self.reference.name and not self._same(plan, self.reference):
            self.errors["name"] = (
                f"name: {plan.name!r} is the name of the reference, which this scenario is not; give it another name"
            )
        if self.errors:
            raise PageError(self.errors)
        assert plan is not None, "the scenario or package is missing only when a bad field left it out"
        self.scenario: Plan = plan

    def _same(self, mine: Plan, theirs: Plan) -> bool:
        """Whether ``mine``, the scenario or package on screen, is the reference ``theirs``: the same levers in the
        same years, and the same chance of snapping back."""
        areas = self.assumptions.areas
        return (
            type(mine) is type(theirs)
            and all(getattr(mine, key) == getattr(theirs, key) for key in TIMING)
            and mine.segments(areas) == theirs.segments(areas)
            and getattr(mine, "snapback_hazard", 0.0) == getattr(theirs, "snapback_hazard", 0.0)
        )

    def _assumptions(self, changes: Mapping, base: Assumptions) -> Assumptions:
        for name, change in changes.items():
            try:
                base.override({name: change}, origin=ORIGIN)
            except InputError as error:
                self.errors[_parameter_field(name, str(error))] = str(error)
        return base.override(dict(changes), origin=ORIGIN) if changes and not self.errors else base

    def _timing(self, timing: Mapping) -> dict[str, Any]:
        """The start year, horizon and ramp the page sent (each checked as a Scenario checks it)."""
        for key in TIMING:
            try:
                Scenario(name="check", **{key: timing.get(key, getattr(Scenario, key))})
            except InputError as error:
                self.errors[key] = str(error).removeprefix("scenario 'check': ")
        return {key: timing[key] for key in TIMING if key in timing}

    def _name(self, name: object) -> str:
        try:
            return checked_name(name or "custom")
        except InputError as error:
            self.errors["name"] = str(error)
            return "custom"

    def _lift(self, lift: object, field: str) -> tuple[str, ...]:
        """The resolutions lifted, checked; a bad one's message under ``field``."""
        try:
            return shipped_law().checked(lift, "lift") if lift else ()
        except InputError as error:
            self.errors[field] = str(error)
            return ()

    def _levers(self, levers: Mapping, areas: tuple[Area, ...], prefix: str) -> dict[Area, Lever]:
        """The levers given (by area name), each checked by its area's kind; a bad one's message under
        ``<prefix>lever-<area>``."""
        checked = {}
        for area in areas:
            if area.name in levers:
                try:
                    checked[area] = area.kind.lever_value(levers[area.name], area.keyword or area.title)
                except InputError as error:
                    self.errors[f"{prefix}lever-{area.name}"] = str(error)
        return checked

    def _scenario(self, state: Mapping, areas: tuple[Area, ...], timing: dict, name: str) -> Scenario | None:
        lift = self._lift(state.get("lift", ()), "lift")
        checked = self._levers(_mapping(state.get("levers", {}), "levers"), areas, "")
        if self.errors:
            return None
        # Any, as Scenario types its keyword levers: each takes a lever in any of the forms it reads
        keywords: dict[str, Any] = {area.keyword: lever for area, lever in checked.items() if area.keyword}
        relief = {area.name: lever for area, lever in checked.items() if not area.keyword}
        return Scenario(name=name, relief=relief, lift=lift, **keywords, **timing)

    def _package(self, state: Mapping, areas: tuple[Area, ...], timing: dict, name: str) -> Package | None:
        spec = _mapping(state.get("package", {}), "package")
        given = spec.get("steps", [])
        if not isinstance(given, list):
            raise InputError(f"package: steps: expected a list of steps, got {type(given).__name__}")
        if not 1 <= len(given) <= MAX_STEPS:
            self.errors["steps"] = f"steps: {len(given)} steps; accepted: 1 to {MAX_STEPS} (add one to start with)"
            return None
        # a step that cannot be made is left out, its messages kept: the package is then not made either
        steps = [step for index, item in enumerate(given, 1) if (step := self._step(index, item, areas)) is not None]
        try:
            hazard = checked_hazard(spec.get("snapback_hazard", 0.0), "snapback_hazard")
        except InputError as error:
            self.errors["snapback_hazard"] = str(error)
        if self.errors:
            return None
        years = Scenario(name="check", **timing).years
        for index, step in enumerate(steps, 1):  # each step within the package's years, its message beside it
            try:
                Package(name, [step], **timing)
            except InputError as error:
                field = "year" if step.year not in years else "until"
                self.errors[f"step{index}-{field}"] = str(error).removeprefix(f"package {name!r}: step 1: ")
        if self.errors:
            return None
        try:
            return Package(name, steps, snapback_hazard=hazard, **timing)
        except InputError as error:  # steps that clash: two of one year setting one area differently
            self.errors["steps"] = str(error)
            return None

    def _step(self, index: int, item: object, areas: tuple[Area, ...]) -> Step | None:
        """Step ``index`` (from 1) of the page's package, or None with each bad field's message under
        ``step<index>-<field>`` (``step<index>`` where the step as a whole is wrong)."""
        prefix = f"step{index}-"
        item = _mapping(item, f"step {index}")
        before = len(self.errors)
        year = self._year(item.get("year"), prefix, "year")
        until = None if item.get("until") in (None, "") else self._year(item.get("until"), prefix, "until")
        lift = self._lift(item.get("lift", ()), prefix + "lift")
        checked = self._levers(_mapping(item.get("levers", {}), f"step {index}: levers"), areas, prefix)
        if year is None or len(self.errors) > before:
            return None
        keywords = {area.keyword: plain_lever(lever) for area, lever in checked.items() if area.keyword}
        relief = {area.name: lever for area, lever in checked.items() if not area.keyword}
        try:
            return Step(year, until, relief=relief, lift=lift, **keywords)
        except InputError as error:
            message = str(error)
            self.errors[prefix + "until" if message.startswith("until:") else f"step{index}"] = message
            return None

    def _year(self, value: object, prefix: str, key: str) -> int | None:
        try:
            return whole_number(value, key, 1900, 2200)
        except InputError as error:
            self.errors[prefix + key] = str(error)
            return None

    @property
    def other_reference(self) -> Plan | None:
        """The reference, when there is one and it is not the scenario (or package) on screen."""
        if self.reference is None or self.reference.name == self.scenario.name:
            return None
        return self.reference

    @property
    def scenarios(self) -> list[Plan]:
        """The scenario (or package) on screen, and the reference when it is another one."""
        other = self.other_reference
        return [self.scenario] if other is None else [self.scenario, other]


class PageError(InputError):
    """Bad fields of the page's state: ``errors`` maps each field's id to the calculator's message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = dict(errors)

    def __reduce__(self) -> tuple:  # crosses back from the drawing process intact
        return (PageError, (self.errors,))


def _mapping(value: object, field: str) -> Mapping:
    if not isinstance(value, Mapping):
        raise InputError(f"{field}: expected a JSON object, got {type(value).__name__}")
    return value


def _parameter_field(name: object, message: str) -> str:
    """The id of the box an override's message is about: ``param-<name>.low`` where it names one of value, low and
    high (``explorer: petroleum.price.low: cannot read ''``), else the parameter's row, ``param-<name>``."""
    for key in ("value", "low", "high"):
        if message.startswith(f"{ORIGIN}: {name}.{key}:"):
            return f"param-{name}.{key}"
    return f"param-{name}"


def draw_settings(n: object, seed: object) -> tuple[int, int]:
    """The number of draws and the seed the page sent, checked: each bad one's message under its box's id."""
    errors, settings = {}, {}
    for field, value, low, high in (("draws", n, 1, MAX_DRAWS), ("seed", seed, 0, 2**63 - 1)):
        try:
            settings[field] = whole_number(value, field, low, high)
        except InputError as error:
            errors[field] = str(error)
    if errors:
        raise PageError(errors)
    return settings["draws"], settings["seed"]


def results(state: PageState) -> dict[str, Any]:
    """The figures and tables of the scenario (or package) on screen: in the last year, the hard currency earned
    and the imports unlocked (the headline), the hard currency left after buying them and the share of them the
    budget buys (a secondary line); the table ``run`` prints with its notes, the comparison with the reference, and
    the relief beside what the North earns outside the sanctions. For a scenario also every area's lever in force
    (what the resolutions lifted give the areas the user has not set) and, by area, the note on each lever set
    that overrides what the lift gives it."""
    frame = run(state.scenarios, assumptions=state.assumptions)
    mine = frame[frame["scenario"] == state.scenario.name]
    last = mine[mine["year"] == mine["year"].max()].set_index("variable")["value"]
    variables = catalogue(state.assumptions.areas).variables
    areas = state.assumptions.areas
    scenario = isinstance(state.scenario, Scenario)
    answer = {
        "ok": True,
        "scenario": state.scenario.name,
        "year": int(mine["year"].max()),
        "table": table_html(comparison(frame)),
        "notes": notes(frame, (state.assumptions, state.scenarios)),
        "relative": "",
        "context": context_html(frame),
        "levers": {name: plain_lever(lever) for name, lever in state.scenario.levers(areas).items()}
        if scenario
        else {},
        "overrides": overrides(state.scenario, areas),
    }
    bound = f" {BUDGET_BOUND}" if last[BOUGHT] < 100 else ""  # the balance is then the other hard currency spent
    for key, name in (("earned", REVENUE), ("unlocked", UNLOCKED), ("net", NET), ("bought", BOUGHT)):
        variable = variables[name]
        shown = variable.shown(last[name]) + (bound if name == NET else "")
        words = {"words": budget_words(float(last[name]))} if name == BOUGHT else {}
        answer[key] = {"value": float(last[name]), "shown": shown, "unit": variable.display_unit, **words}
    other = state.other_reference
    if other is not None:
        shares = compare(frame, other.name)
        left_out = undivided(shares, other.name)
        answer["relative"] = table_html(relative(shares)) + (
            f'<p class="note">{escape(left_out)}</p>' if left_out else ""
        )
    return answer


def charts(state: PageState) -> dict[str, Any]:
    """The scenarios chart and the yearly path of the measure chosen, as images; for a package also its steps
    above its yearly path."""
    frame = run(state.scenarios, assumptions=state.assumptions)
    label = catalogue(state.assumptions.areas).variables[state.variable].label.lower()
    steps = (
        image_html(
            plot_package(state.scenario, frame, variable=state.variable), f"Steps of the package and its {label}"
        )
        if isinstance(state.scenario, Package)
        else ""
    )
    return {
        "ok": True,
        "charts": steps
        + image_html(plot_scenarios(frame), "Annual effect of each scenario")
        + image_html(plot_path(frame, state.variable), f"Year-by-year path of {label}"),
    }


def montecarlo_frame(state: PageState, n: object, seed: object) -> pd.DataFrame:
    """The Monte Carlo frame of the scenarios on screen, drawn with the number of draws and the seed the page sent."""
    draws, seed = draw_settings(n, seed)
    return montecarlo(state.scenarios, n=draws, seed=seed, assumptions=state.assumptions)


def uncertainty(state: PageState, n: object, seed: object) -> dict[str, Any]:
    """A Monte Carlo fan of the measure chosen and its tornado for the scenario on screen (in words where nothing
    moves it), under a line saying how they were drawn (draws, sampler and seed, as the frame records them)."""
    frame = montecarlo_frame(state, n, seed)
    drawn = frame.attrs["sanctions_relief"]["montecarlo"]
    return {
        "ok": True,
        "drawn": f"{drawn['n']:,} draws ({drawn['sampler']} sampling), seed {drawn['seed']}",
        "charts": spread_html(frame, tornado(state.scenario, state.variable, assumptions=state.assumptions)),
    }


def download(state: PageState, kind: str) -> tuple[bytes, str]:
    """The CSV, its Data Package or the HTML report of what is on screen (its charts of the measure chosen), as
    bytes and a media type."""
    with tempfile.TemporaryDirectory() as folder:
        if kind == "report":
            path = report(
                state.scenarios, Path(folder) / DOWNLOADS["report"], state.assumptions, variable=state.variable
            )
            return path.read_bytes(), "text/html; charset=utf-8"
        written = export_csv(run(state.scenarios, assumptions=state.assumptions), Path(folder) / CSV_NAME)
        if kind == "csv":
            return written.read_bytes(), "text/csv; charset=utf-8"
        return datapackage_path(written).read_bytes(), "application/json"


#: The worlds of the drawing process, made once from the server's records of them.
_drawing_worlds: dict[str, Assumptions | InputError] = {}


def _start_drawing(records: Mapping[str, Mapping | str], kinds: Mapping[str, str]) -> None:
    register_from(kinds)  # the kinds the server's process registered from outside the package
    _drawing_worlds.update(
        {
            name: recorded(record)[0] if isinstance(record, Mapping) else InputError(record)
            for name, record in records.items()
        }
    )
    threading.Thread(target=_outlive_no_server, args=(os.getppid(),), daemon=True).start()


def _outlive_no_server(server: int) -> None:
    """End the drawing process once the server's process has gone, however it went (killed, say)."""
    while os.getppid() == server:
        time.sleep(1.0)
    os._exit(0)


def _draw(kind: str, body: Mapping) -> dict[str, Any]:
    """Charts or Monte Carlo for a page state, in the drawing process."""
    state = PageState(body, _drawing_worlds)
    return charts(state) if kind == "charts" else uncertainty(state, body.get("n"), body.get("seed"))


class Explorer(ThreadingHTTPServer):
    """The server: the assumptions it starts with, its address, and a process that draws.

    Charts and Monte Carlo run in a process of their own: matplotlib holds Python's interpreter lock for most of a
    second per chart, and in the server's process every figure asked for meanwhile would wait for it.
    """

    daemon_threads = True

    def __init__(self, port: int, assumptions: Assumptions) -> None:
        try:
            import matplotlib  # noqa: F401  (the page's charts and report: checked before the server starts)
        except ImportError as error:
            raise MissingExtra("the explorer", "matplotlib", "app") from error
        self.drawing: ProcessPoolExecutor | None = None  # made once the port is bound (a busy port closes at once)
        super().__init__(("127.0.0.1", port), Handler)
        self.worlds = world_sets(assumptions)
        self.setup = json.dumps(setup(self.worlds), allow_nan=False).encode()
        self.page = PAGE.read_bytes()
        records = {
            name: metadata(world, []) if isinstance(world, Assumptions) else str(world)
            for name, world in self.worlds.items()
        }
        self.drawing = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_drawing,
            initargs=(records, dict(SOURCES)),
        )
        self.drawing.submit(int)  # start it now, not at the first chart

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def draw(self, kind: str, body: Mapping) -> dict[str, Any]:
        assert self.drawing is not None, "made in __init__: only a server that failed to start has none"
        return self.drawing.submit(_draw, kind, dict(body)).result()

    def server_close(self) -> None:
        super().server_close()
        if self.drawing is not None:
            self.drawing.shutdown(cancel_futures=True)


class Handler(BaseHTTPRequestHandler):
    server: Explorer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # one line per request would drown the address
        pass

    def do_GET(self) -> None:
        if not self._local():
            return
        if self.path in ("/", "/index.html"):
            self._send(self.server.page, "text/html; charset=utf-8")
        elif self.path == "/api/setup":
            self._send(self.server.setup, "application/json")
        else:
            self._send(b"not found", "text/plain", HTTPStatus.NOT_FOUND)

    def do_POST(self) -> None:
        if not self._local():
            return
        routes: dict[str, Callable[[PageState, Mapping], Any]] = {
            "/api/results": lambda state, body: results(state),
            "/api/charts": lambda state, body: self.server.draw("charts", body),
            "/api/montecarlo": lambda state, body: self.server.draw("montecarlo", body),
            "/api/csv": lambda state, body: download(state, "csv"),
            "/api/datapackage": lambda state, body: download(state, "datapackage"),
            "/api/report": lambda state, body: download(state, "report"),
        }
        if self.path not in routes:
            self._send(b"not found", "text/plain", HTTPStatus.NOT_FOUND)
            return
        try:
            body = self._body()
            answer = routes[self.path](PageState(body, self.server.worlds), body)
        except PageError as error:  # the page's answer: which fields are bad, and why
            self._json({"ok": False, "errors": error.errors})
        except InputError as error:
            self._json({"ok": False, "errors": {"request": str(error)}}, HTTPStatus.BAD_REQUEST)
        except MissingExtra as error:  # a feature this installation lacks: the page says which extra it needs
            self._json({"ok": False, "errors": {"request": str(error)}}, HTTPStatus.NOT_IMPLEMENTED)
        except Exception as error:  # the server must keep serving; the page shows the message
            print(f"sanctions-relief explorer: {self.path}: {type(error).__name__}: {error}", file=sys.stderr)
            self._json(
                {"ok": False, "errors": {"request": f"internal error: {error}"}}, HTTPStatus.INTERNAL_SERVER_ERROR
            )
        else:
            if isinstance(answer, tuple):
                self._send(*answer)
            else:
                self._json(answer)

    def _local(self) -> bool:
        """Refuse requests addressed to another host name (a page elsewhere reaching in by DNS rebinding)."""
        port = self.server.server_address[1]
        if self.headers.get("Host") in (f"127.0.0.1:{port}", f"localhost:{port}"):
            return True
        self._send(b"forbidden", "text/plain", HTTPStatus.FORBIDDEN)
        return False

    def _body(self) -> dict:
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            raise InputError("request: Content-Length is not a number") from None
        if not 0 <= length <= MAX_BODY:
            raise InputError(f"request: {length} bytes is too large; accepted: up to {MAX_BODY} bytes")
        try:
            return json.loads(self.rfile.read(length) or b"{}")
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise InputError(f"request: not valid JSON ({error})") from None

    def _json(self, answer: Mapping, status: HTTPStatus = HTTPStatus.OK) -> None:
        self._send(json.dumps(answer, allow_nan=False).encode(), "application/json", status)

    def _send(self, data: bytes, media_type: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", "default-src 'self' 'unsafe-inline' data:")
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the page went away before the answer: nothing to do
            self.close_connection = True


def start(port: int = 0, assumptions: Assumptions | str | Path | None = None) -> Explorer:
    """Start the explorer in a background thread and return the server (``server.url``; ``server.shutdown()``
    stops it). Port 0 takes a free one."""
    server = Explorer(_port(port), checked_assumptions(assumptions))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def serve(
    port: int = DEFAULT_PORT, assumptions: Assumptions | str | Path | None = None, open_browser: bool = False
) -> None:
    """Serve the explorer page on http://127.0.0.1:``port``/ until interrupted (Ctrl-C), printing its address."""
    try:
        server = Explorer(_port(port), checked_assumptions(assumptions))
    except OSError as error:
        raise InputError(f"port: {port} cannot be used ({error.strerror}); try another, e.g. --port 8051") from None
    print(f"sanctions-relief explorer: {server.url} (Ctrl-C stops it)", flush=True)
    if open_browser:
        webbrowser.open(server.url)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)  # a `kill` stops it as cleanly as Ctrl-C
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _port(port: object) -> int:
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise InputError(f"port: expected a whole number from 0 to 65535, got {port!r}")
    return port
