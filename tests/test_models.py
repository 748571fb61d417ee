"""Each formula of DESIGN.md checked against numbers worked out by hand from the shipped central values:
metals 220e6 USD/yr, capacity 1.0, price index 1.0, already smuggled 0.0; cap 500,000 bbl/yr,
pre-sanction imports 4.5e6 bbl/yr, illicit 2.0e6 bbl/yr, displacement 0.5, price 100 USD/bbl, premium 0.2,
7.5 bbl/t; luxury 640e6 USD/yr with 0.1 blocked; GDP 31e9 USD/yr, total exports 0.36e9 USD/yr."""

import numpy as np
import pytest

from calc.models import evaluate, luxury, metals, petroleum, ramp


@pytest.fixture
def p(shipped):
    return shipped.central()


def test_ramp():
    assert ramp(3, 0).tolist() == [1.0, 1.0, 1.0]
    assert ramp(6, 4).tolist() == [0.25, 0.5, 0.75, 1.0, 1.0, 1.0]
    assert ramp(2, 1).tolist() == [1.0, 1.0]


def test_metals_revenue(p):
    # 220e6 x 0.5 (share) x 1.0 x 1.0 x (1 - 0.0) = 110e6 USD/yr, a quarter of it in the first ramp year
    assert metals.revenue(p, 0.5, ramp(2, 4)).tolist() == [27.5e6, 55e6]


def test_metals_revenue_with_every_factor(p):
    q = {**p, "metals.capacity_share": 0.8, "metals.price_index": 1.5, "metals.already_smuggled_share": 0.25}
    # 220e6 x 1.0 x 0.8 x 1.5 x 0.75 = 198e6
    assert metals.revenue(q, 1.0, np.ones(1))[0] == pytest.approx(198e6)


def test_petroleum_cap_of_resolution_2375(p):
    fuel = petroleum.effects(p, 2_000_000.0, np.ones(1))
    # dL = min(2e6, 4.5e6) - min(5e5, 4.5e6) = 1.5e6; r = min(2e6, 0.5 x 1.5e6) = 7.5e5; dS = 7.5e5
    assert fuel.additional_legal_imports[0] == 1.5e6
    assert fuel.smuggled_replaced[0] == 7.5e5
    assert fuel.net_additional_supply[0] == 7.5e5
    # spending = 1.5e6 x 100 - 7.5e5 x 100 x 1.2 = 150e6 - 90e6 = 60e6 USD/yr
    assert fuel.spending[0] == pytest.approx(60e6)
    # 7.5e5 bbl / 7.5 bbl/t = 100,000 t
    assert fuel.net_additional_tonnes[0] == pytest.approx(100_000)
    # (5e5 + 2e6 + 7.5e5) / 4.5e6 = 0.7222...
    assert fuel.supply_share_of_pre_sanction[0] == pytest.approx(3.25 / 4.5)


def test_petroleum_cap_lifted_stops_at_pre_sanction_imports(p):
    lifted = petroleum.effects(p, p["petroleum.pre_sanction_imports"], np.ones(1))
    huge = petroleum.effects(p, 1e12, np.ones(1))
    # dL = 4.5e6 - 5e5 = 4e6; r = min(2e6, 0.5 x 4e6 = 2e6) = 2e6; dS = 2e6
    assert lifted.additional_legal_imports[0] == huge.additional_legal_imports[0] == 4e6
    assert lifted.net_additional_supply[0] == 2e6
    # spending = 4e6 x 100 - 2e6 x 120 = 160e6
    assert lifted.spending[0] == pytest.approx(160e6)
    assert lifted.supply_share_of_pre_sanction[0] == pytest.approx(1.0)


def test_smuggling_replaced_is_capped_by_what_is_smuggled(p):
    q = {**p, "petroleum.displacement_share": 1.0}
    fuel = petroleum.effects(q, 4.5e6, np.ones(1))
    # d x dL = 4e6 but only I0 = 2e6 is smuggled: r = 2e6, dS = 2e6; spending = 4e6 x 100 - 2e6 x 120
    assert fuel.smuggled_replaced[0] == 2e6
    assert fuel.spending[0] == pytest.approx(400e6 - 240e6)


def test_tightening_raises_smuggling(p):
    fuel = petroleum.effects(p, 100_000.0, np.ones(1))
    # dL = 1e5 - 5e5 = -4e5; r = 0.5 x -4e5 = -2e5 (smuggling up 2e5); dS = -4e5 + 2e5 = -2e5
    assert fuel.additional_legal_imports[0] == -4e5
    assert fuel.smuggled_replaced[0] == -2e5
    assert fuel.net_additional_supply[0] == -2e5
    # spending = -4e5 x 100 - (-2e5) x 100 x 1.2 = -40e6 + 24e6 = -16e6
    assert fuel.spending[0] == pytest.approx(-16e6)


def test_luxury_spending(p):
    # 1.0 x 640e6 x 0.1 / 0.9 = 71,111,111.1 USD/yr; half the ban lifted gives half
    assert luxury.spending(p, 1.0, np.ones(1))[0] == pytest.approx(640e6 / 9)
    assert luxury.spending(p, 0.5, np.ones(1))[0] == pytest.approx(320e6 / 9)


def test_net_balance_and_shares(p):
    results = evaluate(p, 1.0, 2_000_000.0, 1.0, np.ones(1))
    # 220e6 - 60e6 - 71.111e6 = 88.889e6
    net = 220e6 - 60e6 - 640e6 / 9
    assert results["Hard Currency|Net"][0] == pytest.approx(net)
    assert results["Hard Currency|Net|Share of GDP"][0] == pytest.approx(100 * net / 31e9)
    # 220e6 / 0.36e9 = 61.1 %
    assert results["Revenue|Metal Exports|Share of Total Exports"][0] == pytest.approx(100 * 220 / 360)


def test_models_broadcast_over_draws_and_years(p):
    draws = {name: np.full((3, 1), value) for name, value in p.items()}
    draws["metals.price_index"] = np.array([[1.0], [1.5], [2.0]])
    results = evaluate(draws, 1.0, draws["petroleum.legal_cap"] * 4, 0.0, ramp(4, 2))
    revenue = results["Revenue|Metal Exports"]
    assert revenue.shape == (3, 4)
    # draw 2 (index 1.5), year 1 (ramp 0.5): 220e6 x 1.5 x 0.5
    assert revenue[1, 0] == pytest.approx(165e6)
    assert revenue[2, 3] == pytest.approx(440e6)
    assert results["Fuel|Refined Petroleum|Additional Legal Imports"].shape == (3, 4)
