"""Optional features: each one whose extra is missing says which extra brings it (calc.MissingExtra, an
ImportError), at the moment it is used; solve needs no extra."""

import pytest

import calc
from calc import explorer
from calc.cli import main

from conftest import uninstall

EXTRAS = [
    (
        "matplotlib",
        lambda: calc.plot_scenarios(calc.run("metals-only")),
        'a chart needs matplotlib: pip install "sanctions-relief[plot]"',
    ),
    (
        "scipy",
        lambda: calc.montecarlo("metals-only", n=10, seed=1, sampler="lhs"),
        "sampler 'lhs' needs scipy: pip install \"sanctions-relief[uncertainty]\"; or use the random sampler "
        "(Python: sampler='random'; command line: --sampler random)",
    ),
    (
        "SALib",
        lambda: calc.sobol("metals-only", "Revenue|Metal Exports", n=64, seed=1),
        'calc.sobol needs SALib: pip install "sanctions-relief[uncertainty]"',
    ),
    (
        "prim",
        lambda: calc.discover("article-demands", "Revenue|Metal Exports", "> 230e6 USD/yr", n=1000, seed=1),
        'discover needs PRIM: pip install "sanctions-relief[discover]"',
    ),
]


@pytest.mark.parametrize(("package", "use", "message"), EXTRAS, ids=["plot", "lhs", "sobol", "discover"])
def test_a_missing_extra_is_named(monkeypatch, package, use, message):
    uninstall(monkeypatch, package)
    with pytest.raises(ImportError) as raised:
        use()
    assert type(raised.value) is calc.MissingExtra and str(raised.value) == message


def test_the_command_line_names_the_missing_extra(monkeypatch, capsys, tmp_path):
    uninstall(monkeypatch, "matplotlib")
    # the explorer's charts and report need the app extra: refused before the server starts (port 0: any free one)
    assert main(["serve", "--port", "0"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == 'sanctions-relief: error: the explorer needs matplotlib: pip install "sanctions-relief[app]"\n'
    with pytest.raises(calc.MissingExtra, match=r"the explorer needs matplotlib"):
        explorer.start(0)
    chart = tmp_path / "chart.svg"
    assert main(["chart", "scenarios", "metals-only", "--out", str(chart)]) == 2
    assert capsys.readouterr().err.endswith('a chart needs matplotlib: pip install "sanctions-relief[plot]"\n')
    assert not chart.exists()
