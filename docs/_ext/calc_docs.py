"""Pages made from calc itself at build time, so that they cannot drift from the code.

- ``calc-table``: a table of calc's own declarations (the kinds and their parameters, the areas, the variables,
  the assumptions, the presets) or of a function's result (each resolution's bite, the check against history).
- ``calc-output``: what a ``sanctions-relief`` command prints, run when the page is built.
- A check that the Python reference documents every name of ``calc.__all__``, and that the notebooks are stored
  without outputs (the site executes them each build).
- Docstrings are read as reStructuredText; a ``|`` in their running text is meant literally (variable names such
  as Revenue|Coal Exports, an absolute value |x|), never as a substitution, so it is escaped; a pointer to a page
  of the site, ``(docs/how-to/packages.md)``, becomes a link; defaults shown as ``<factory>`` or ``<function ...>``
  are written as the code would write them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import math
import re
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import pandas as pd
from docutils import nodes
from docutils.parsers.rst import Directive, directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.inspect import TypeAliasForwardRef

import calc
from calc.presentation import SHOWN, plain

logger = logging.getLogger(__name__)


def number(value: object) -> str:
    """A number as a reader would write it: 220,000,000; 0.68; 1.5e-05."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    if math.isnan(value):
        return ""
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    return plain(value)


def _kinds() -> pd.DataFrame:
    from calc.kinds import KINDS

    return pd.DataFrame(
        [
            {
                "kind": kind.name,
                "lever": kind.lever,
                "accepted": kind.accepted,
                "variables": ", ".join(
                    f"{template.variable.name} ({template.variable.unit})" for template in kind.templates
                ),
                "time profile": kind.profile.__name__,
            }
            for kind in KINDS.values()
        ]
    )


def _roles() -> list[tuple[str, pd.DataFrame]]:
    """One table per kind: its parameters (roles)."""
    from calc.kinds import KINDS

    tables = []
    for kind in KINDS.values():
        rows = []
        for role, declared in kind.roles.items():
            spec = declared.spec
            low, high = spec.plausible
            if declared.default is not None:
                given = f"neutral {number(declared.default)}"
            elif role in kind.one_of:
                given = f"give one of {' or '.join(kind.one_of)}"
            else:
                given = "optional" if declared.optional else "required"
            plausible = "" if math.isinf(high) else f"{number(max(low, spec.minimum))} to {number(high)}"
            plausible = f"0, or {plausible}" if spec.zero and plausible else plausible
            rows.append(
                {
                    "parameter": role,
                    "unit": spec.unit,
                    "accepted": spec.meaning,
                    "if left out": given,
                    "plausible range (why)": f"{plausible} ({spec.basis})" if spec.basis else plausible,
                }
            )
        tables.append((kind.name, pd.DataFrame(rows)))
    return tables


def _areas() -> pd.DataFrame:
    return calc.areas()[["name", "title", "kind", "lever", "resolutions", "note"]]


def _variables() -> pd.DataFrame:
    return pd.DataFrame({"variable": list(calc.VARIABLES), "unit": list(calc.VARIABLES.values())})


def _assumptions() -> pd.DataFrame:
    frame = calc.load_assumptions().to_frame()
    frame["judgement"] = frame["judgement"].map({True: "yes", False: ""})
    frame["year"] = frame["year"].map(lambda year: "" if pd.isna(year) else str(int(year)))  # 2016, not 2,016
    return frame[["name", "value", "low", "high", "unit", "year", "judgement", "source"]]


def _presets() -> pd.DataFrame:
    return pd.DataFrame([{"preset": name, "what it represents": calc.preset(name).note} for name in calc.presets()])


def _resolutions() -> pd.DataFrame:
    bites = calc.resolutions()
    millions = {
        "revenue_alone": "alone, USD M/yr",
        "revenue_peeled_gross": "as adopted, gross, USD M/yr",
        "official_revenue": "published at adoption, USD M/yr",
    }
    table = bites[["resolution", "adopted"]].copy()
    for column, heading in millions.items():
        table[heading] = (bites[column] / 1e6).round(1)
    table["ratio"] = (bites["revenue_peeled_gross"] / bites["official_revenue"]).round(2)
    table["legal fuel as adopted, bbl/yr"] = bites["fuel_peeled"]
    return table


def _history() -> pd.DataFrame:
    check = calc.history_check()
    table = check[["item", "low", "value", "high", "unit", "source"]].copy()
    money, shown = table["unit"] == "USD/yr", SHOWN["USD/yr"]
    for column in ("low", "value", "high"):
        table[column] = table[column].where(~money, table[column] / shown.divisor).round(1)
    table["unit"] = table["unit"].where(~money, shown.unit)
    return table


def _context() -> pd.DataFrame:
    return calc.context()


TABLES: dict[str, Callable[[], pd.DataFrame | list[tuple[str, pd.DataFrame]]]] = {
    "kinds": _kinds,
    "roles": _roles,
    "areas": _areas,
    "variables": _variables,
    "assumptions": _assumptions,
    "presets": _presets,
    "resolutions": _resolutions,
    "history": _history,
    "context": _context,
}


def table_node(frame: pd.DataFrame) -> nodes.table:
    """A docutils table of ``frame``'s cells as plain text (no markup is read in them), each column as wide as its
    longer cells need (within bounds), so that prose columns are not squeezed to a word a line."""
    group = nodes.tgroup(cols=len(frame.columns))
    for column in frame.columns:
        lengths = frame[column].map(lambda cell: len(number(cell))).quantile(0.9) if len(frame) else 0
        group += nodes.colspec(colwidth=int(min(60, max(6, len(str(column)), lengths))))

    def row(cells) -> nodes.row:
        line = nodes.row()
        for cell in cells:
            line += nodes.entry("", nodes.paragraph(text=number(cell)))
        return line

    head = nodes.thead()
    head += row(frame.columns)
    body = nodes.tbody()
    for values in frame.itertuples(index=False):
        body += row(values)
    group += [head, body]
    return nodes.table("", group, classes=["calc-table", "colwidths-given"])


class CalcTable(Directive):
    """``calc-table NAME``: one of ``TABLES``, made when the page is built."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        if name not in TABLES:
            raise self.error(f"calc-table: {name!r} is not known; accepted: {', '.join(TABLES)}")
        made = TABLES[name]()
        if isinstance(made, pd.DataFrame):
            return [table_node(made)]
        return [node for title, frame in made for node in (nodes.rubric(text=title), table_node(frame))]


#: Lines longer than this (characters) do not fit a phone's width: such an output says it scrolls sideways.
WIDE_OUTPUT = 60


class CalcOutput(Directive):
    """``calc-output ARGS``: the command ``sanctions-relief ARGS`` and what it prints, run in this process.
    A command that exits with another status than ``:status:`` (0 unless given) fails the build."""

    required_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar = {"status": directives.nonnegative_int}

    def run(self) -> list[nodes.Node]:
        from calc.cli import main

        arguments = self.arguments[0]
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            try:
                status = main(shlex.split(arguments))
            except SystemExit as leaving:
                status = leaving.code if isinstance(leaving.code, int) else 1
        expected = self.options.get("status", 0)
        if status != expected:
            raise self.error(
                f"sanctions-relief {arguments}: exit status {status}, not {expected}:\n{printed.getvalue()}"
            )
        text = f"$ sanctions-relief {arguments}\n{printed.getvalue().rstrip()}"
        block = nodes.literal_block(text, text, language="text")
        wide = max(len(line) for line in text.splitlines()) > WIDE_OUTPUT
        return [nodes.container("", block, classes=["calc-output", *(["calc-wide"] if wide else [])])]


#: A line of a docstring that starts a literal block (``::`` at its end) or a doctest.
LITERAL_START = re.compile(r"::\s*$")
INLINE_LITERAL = re.compile(r"(``.*?``)")


def escape_bars(app: Sphinx, what: str, name: str, obj: object, options: object, lines: list[str]) -> None:
    """Escape ``|`` in running text, leaving inline literals, literal blocks and doctests as they are."""
    literal_indent: int | None = None
    in_doctest = False
    for number_, line in enumerate(lines):
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if not stripped:
            in_doctest = False
            continue
        if literal_indent is not None:
            if indent > literal_indent:
                continue
            literal_indent = None
        if stripped.startswith(">>>") or in_doctest:
            in_doctest = True
            continue
        parts = INLINE_LITERAL.split(line)
        lines[number_] = "".join(part if part.startswith("``") else part.replace("|", r"\|") for part in parts)
        if LITERAL_START.search(line):
            literal_indent = indent


#: A default that inspect.signature can only show as its repr: a function's, or a dataclass field's factory.
FUNCTION_REPR = re.compile(r"<function ([\w.]+)(?: at 0x[0-9a-f]+)?>")


def readable_defaults(
    app: Sphinx, what: str, name: str, obj: object, options: object, signature: str | None, returns: str | None
) -> tuple[str, str | None] | None:
    """Defaults as they would be written: ``relief=<factory>`` becomes ``relief={}`` (what the dataclass field's
    factory makes) and ``profile=<function ramp_at>`` becomes ``profile=ramp_at``. Sphinx cannot parse a signature
    with ``<...>`` in it and shows it as raw text, type hints unshortened (``~collections.abc.Mapping``)."""
    if not signature or "<" not in signature:
        return None
    if dataclasses.is_dataclass(obj):
        for field in dataclasses.fields(obj):
            if field.init and field.default_factory is not dataclasses.MISSING:
                signature = signature.replace("<factory>", repr(field.default_factory()), 1)
    return FUNCTION_REPR.sub(r"\1", signature), returns


#: A docstring's pointer to a page of this site, written as its source path so that ``help()`` readers find it.
PAGE_POINTER = re.compile(r" ?\(docs/([\w/.-]+)\.md\)")


def link_pages(app: Sphinx, what: str, name: str, obj: object, options: object, lines: list[str]) -> None:
    """A docstring's ``(docs/how-to/packages.md)`` becomes a link to that page, or goes where it points to the page
    that shows the docstring."""
    here = app.env.docname

    def link(match: re.Match[str]) -> str:
        page = match.group(1)
        return "" if page == here else f" (see :doc:`/{page}`)"

    lines[:] = [PAGE_POINTER.sub(link, line) for line in lines]


def check_public_api(app: Sphinx, env) -> None:
    """Warn (an error under ``-W``) for each public name the Python reference leaves out."""
    documented = set(env.get_domain("py").objects)
    for name in calc.__all__:
        if name != "__version__" and f"calc.{name}" not in documented:
            logger.warning(f"calc.{name} is public (calc.__all__) but not documented in the Python reference")


def check_notebooks_stored_clean(app: Sphinx) -> None:
    """Warn (an error under ``-W``) for a notebook stored with outputs: outputs in the repository go stale, and the
    site shows those of its own execution."""
    for path in sorted((Path(app.srcdir) / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        if any(cell.get("outputs") or cell.get("execution_count") for cell in cells):
            logger.warning(f"{path.name} is stored with outputs; clear them (Jupyter: Clear Outputs of All Cells)")


def setup(app: Sphinx) -> dict[str, object]:
    # Sphinx 8.2-9 prints an alias of autodoc_type_aliases nested in a generic as "TypeAliasForwardRef('ArrayLike')"
    # (sphinx-doc/sphinx#14003); its name is what the reader should see.
    TypeAliasForwardRef.__repr__ = lambda self: self.name
    app.add_directive("calc-table", CalcTable)
    app.add_directive("calc-output", CalcOutput)
    app.connect("autodoc-process-docstring", escape_bars)
    app.connect("autodoc-process-docstring", link_pages)
    app.connect("autodoc-process-signature", readable_defaults)
    app.connect("env-check-consistency", check_public_api)
    app.connect("builder-inited", check_notebooks_stored_clean)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
