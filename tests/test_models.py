"""Each kind's formula against numbers worked out by hand from explicit parameter values (not the shipped ones:
tests/test_engine.py pins those), and the balance that sums the areas."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc.kinds import CAPPED_IMPORTS, EXPORT_EARNINGS, IMPORT_BANS, STATUS_QUO, Cap
from calc.models import balance, capped_imports, exports, import_bans, ramp

ONE = np.ones(1)
EXPORT = {
    "pre_sanction_exports": 200e6,
    "price_index": 1.0,
    "capacity_share": 1.0,
    "net_foreign_exchange_share": 1.0,
    "already_smuggled_share": 0.0,
    "smuggled_exports": 0.0,
}
FUEL = {
    "legal_cap": 500_000.0,
    "legal_imports": 500_000.0,
    "pre_sanction_imports": 4e6,
    "illicit_imports": 1e6,
    "displacement_share": 0.5,
    "price": 80.0,
    "smuggling_premium": 0.25,
    "bbl_per_tonne": 8.0,
    "hard_currency_share": 1.0,
}


def test_ramp():
    assert ramp(3, 0).tolist() == [1.0, 1.0, 1.0]
    assert ramp(6, 4).tolist() == [0.25, 0.5, 0.75, 1.0, 1.0, 1.0]
    assert ramp(2, 1).tolist() == [1.0, 1.0]


def test_export_revenue_share_and_ramp():
    # 200e6 x 0.5 = 100e6 USD/yr, a quarter of it in the first ramp year
    assert exports.revenue(EXPORT, 0.5, ramp(2, 4))["revenue"].tolist() == [25e6, 50e6]


def test_export_revenue_with_every_factor():
    q = EXPORT | {"capacity_share": 0.8, "price_index": 1.5, "net_foreign_exchange_share": 0.5}
    q |= {"already_smuggled_share": 0.1, "smuggled_exports": 30e6}
    # potential 200e6 x 0.8 x 1.5 = 240e6; evading (30e6 + 0.1 x 200e6) x 1.5 = 75e6 at today's prices;
    # (240e6 - 75e6) x 0.5 net foreign exchange = 82.5e6
    assert exports.revenue(q, 1.0, ONE)["revenue"][0] == pytest.approx(82.5e6)


def test_legal_exports_displace_smuggling_only_beyond_what_the_north_can_sell():
    q = EXPORT | {"pre_sanction_exports": 1000e6, "smuggled_exports": 300e6}
    # half the ban lifted: 500e6 legal beside 300e6 smuggled is 800e6, within the potential of 1,000e6: nothing is
    # displaced, all 500e6 is new (it was 200e6 when all evasion was taken off legal sales)
    assert exports.revenue(q, 0.5, ONE)["revenue"][0] == pytest.approx(500e6)
    # 0.8 lifted: 800e6 + 300e6 = 1,100e6, 100e6 beyond the potential: 100e6 displaced, 700e6 new
    assert exports.revenue(q, 0.8, ONE)["revenue"][0] == pytest.approx(700e6)
    # the whole ban lifted: 1,000e6 legal displaces all 300e6, 700e6 new, as before
    assert exports.revenue(q, 1.0, ONE)["revenue"][0] == pytest.approx(700e6)
    # a cap of 400e6: 400e6 + 300e6 within the potential, all of it new
    assert exports.revenue(q, 1.0, ONE, cap=400e6)["revenue"][0] == pytest.approx(400e6)
    # phased in over four years: 250e6, 500e6 and 750e6 legal sit beside the 300e6 (the last displacing 50e6), then
    # the whole 1,000e6: 250e6, 500e6, 700e6, 700e6
    assert exports.revenue(q, 1.0, ramp(4, 4))["revenue"].tolist() == pytest.approx([250e6, 500e6, 700e6, 700e6])
    # the same amount evades, in a share of the baseline: 0.3 x 1,000e6
    share = EXPORT | {"pre_sanction_exports": 1000e6, "already_smuggled_share": 0.3}
    assert exports.revenue(share, 0.5, ONE)["revenue"][0] == pytest.approx(500e6)


def test_coal_under_the_2321_cap_earns_the_lower_cap_beside_what_is_smuggled():
    """The shipped figures worked by hand: coal's potential 1,190 M, 294 M smuggled; the 2321 cap is whichever is
    lower of USD 400.9 M and 7.5 Mt x 53 USD/t = 397.5 M. 397.5 + 294 = 691.5 M is within 1,190 M: nothing displaced."""
    coal = EXPORT | {"pre_sanction_exports": 1190e6, "smuggled_exports": 294e6, "unit_value": 53.0}
    capped = EXPORT_EARNINGS.evaluate(coal, Cap(400_870_018, "USD/yr", (Cap(7.5e6, "t/yr"),)), ONE, "coal")
    assert capped["revenue"][0] == pytest.approx(397.5e6)
    # half of coal: 595 M legal + 294 M = 889 M, within 1,190 M: 595 M; all of it: 1,190 - 294 = 896 M
    assert exports.revenue(coal, 0.5, ONE)["revenue"][0] == pytest.approx(595e6)
    assert exports.revenue(coal, 1.0, ONE)["revenue"][0] == pytest.approx(896e6)


@given(
    pre=st.floats(1e6, 5e9),
    capacity=st.floats(0.0, 1.0),
    index=st.floats(0.1, 5.0),
    smuggled=st.floats(0.0, 1.0),
    already=st.floats(0.0, 1.0),
    share=st.floats(0.0, 1.0),
)
def test_half_relief_earns_at_least_half_of_full_relief(pre, capacity, index, smuggled, already, share):
    q = {
        "pre_sanction_exports": pre,
        "capacity_share": capacity,
        "price_index": index,
        "net_foreign_exchange_share": 0.5,
        "already_smuggled_share": already,
        "smuggled_exports": smuggled * pre,
    }
    part = exports.revenue(q, share, ONE)["revenue"][0]
    full = exports.revenue(q, 1.0, ONE)["revenue"][0]
    assert part >= share * full - 1e-6 * max(1.0, full)
    assert 0.0 <= part <= full + 1e-6 * max(1.0, full)


def test_export_revenue_never_negative_when_smuggling_exceeds_the_baseline():
    q = EXPORT | {"smuggled_exports": 500e6}
    assert exports.revenue(q, 1.0, ONE)["revenue"][0] == 0.0
    assert exports.revenue(EXPORT | {"pre_sanction_exports": 0.0}, 1.0, ONE)["revenue"][0] == 0.0


def test_export_cap_in_money_and_in_tonnes():
    q = EXPORT | {"price_index": 1.2, "unit_value": 50.0}
    # potential 200e6 x 1.2 = 240e6; a cap of 100e6 USD/yr binds
    assert EXPORT_EARNINGS.evaluate(q, Cap(100e6, "USD/yr"), ONE, "x")["revenue"][0] == pytest.approx(100e6)
    # 1.5 Mt at 50 USD/t x 1.2 = 90e6 USD/yr
    assert EXPORT_EARNINGS.evaluate(q, Cap(1.5e6, "t/yr"), ONE, "x")["revenue"][0] == pytest.approx(90e6)
    # a cap above the potential changes nothing: 240e6
    assert EXPORT_EARNINGS.evaluate(q, Cap(1e9, "USD/yr"), ONE, "x")["revenue"][0] == pytest.approx(240e6)


def test_capped_imports_higher_cap():
    fuel = capped_imports.effects(FUEL, 2_000_000.0, ONE)
    # dL = min(2e6, 4e6) - min(5e5, 4e6) = 1.5e6; r = min(1e6, 0.5 x 1.5e6) = 7.5e5; dS = 7.5e5
    assert (fuel["added"][0], fuel["replaced"][0], fuel["net_supply"][0]) == (1.5e6, 7.5e5, 7.5e5)
    # spending = 1.5e6 x 80 - 7.5e5 x 80 x 1.25 = 120e6 - 75e6 = 45e6 USD/yr
    assert fuel["spending"][0] == pytest.approx(45e6)
    # 7.5e5 bbl / 8 bbl/t = 93,750 t
    assert fuel["tonnes"][0] == pytest.approx(93_750)
    # (5e5 + 1e6 + 7.5e5) / 4e6 = 56.25 %
    assert fuel["supply_share"][0] == pytest.approx(56.25)


def test_capped_imports_lifted_stops_at_pre_sanction_imports_and_smuggling():
    lifted = CAPPED_IMPORTS.evaluate(FUEL, None, ONE, "x")
    huge = capped_imports.effects(FUEL, 1e12, ONE)
    # dL = 4e6 - 5e5 = 3.5e6; r = min(1e6, 1.75e6) = 1e6: no more than is smuggled; dS = 2.5e6
    assert lifted["added"][0] == huge["added"][0] == 3.5e6
    assert (lifted["replaced"][0], lifted["net_supply"][0]) == (1e6, 2.5e6)
    # spending = 3.5e6 x 80 - 1e6 x 100 = 180e6
    assert lifted["spending"][0] == pytest.approx(180e6)
    assert lifted["supply_share"][0] == pytest.approx(100.0)


def test_capped_imports_status_quo_tonnes_and_hard_currency_share():
    assert CAPPED_IMPORTS.evaluate(FUEL, STATUS_QUO, ONE, "x")["added"][0] == 0.0
    # 200,000 t x 8 bbl/t = 1.6e6 bbl/yr cap: dL = 1.1e6
    assert CAPPED_IMPORTS.evaluate(FUEL, Cap(200_000, "t/yr"), ONE, "x")["added"][0] == pytest.approx(1.1e6)
    aid = capped_imports.effects(FUEL | {"hard_currency_share": 0.2}, 2_000_000.0, ONE)
    # a fifth of 45e6 is paid in hard currency
    assert aid["spending"][0] == pytest.approx(9e6)


def test_fuel_supply_never_passes_pre_sanction_imports():
    # smuggling 3e6: supply today min(4e6, 5e5 + 3e6) = 3.5e6, 5e5 short of demand. Cap lifted: dL = 3.5e6 and
    # d x dL = 1.75e6 would be replaced, leaving 1.75e6 more fuel, but only 5e5 more is wanted: dS = 5e5, and the
    # rest of the legal fuel replaces smuggled fuel, r = 3.5e6 - 5e5 = 3e6 (all of it)
    fuel = capped_imports.effects(FUEL | {"illicit_imports": 3e6}, 4e6, ONE)
    assert (fuel["added"][0], fuel["net_supply"][0], fuel["replaced"][0]) == (3.5e6, 5e5, 3e6)
    assert fuel["supply_share"][0] == pytest.approx(100.0)
    # spending = 3.5e6 x 80 - 3e6 x 80 x 1.25 = 280e6 - 300e6 = -20e6: legal fuel is cheaper than smuggled
    assert fuel["spending"][0] == pytest.approx(-20e6)
    # a draw whose status quo already passes demand (5e5 legal + 5e6 smuggled > 4e6) adds no supply at all
    glut = capped_imports.effects(FUEL | {"illicit_imports": 5e6}, 4e6, ONE)
    assert (glut["net_supply"][0], glut["supply_share"][0]) == (0.0, 100.0)


def test_legal_imports_below_the_cap_leave_room_under_demand():
    # notified deliveries of 1e5 under a cap of 5e5: supply today 1e5 + 1e6 = 1.1e6; a cap of 2e6 adds 1.5e6 legal,
    # 7.5e5 of it net: (1.1e6 + 7.5e5) / 4e6 = 46.25 %
    fuel = capped_imports.effects(FUEL | {"legal_imports": 1e5}, 2e6, ONE)
    assert (fuel["added"][0], fuel["net_supply"][0]) == (1.5e6, 7.5e5)
    assert fuel["supply_share"][0] == pytest.approx(46.25)
    # left out, the legal imports are the cap
    assert CAPPED_IMPORTS.evaluate(
        {k: v for k, v in FUEL.items() if k != "legal_imports"}, Cap(2e6, "bbl/yr"), ONE, "x"
    )["supply_share"][0] == pytest.approx(56.25)


def test_a_cap_is_measured_against_legal_imports_today_not_against_the_cap_of_the_day():
    enforced = FUEL | {"legal_imports": 168_679.0}
    # a cap at today's legal imports, or anywhere between them and the cap of the day (5e5), does not bind them
    for cap in (168_679.0, 300_000.0, 500_000.0):
        fuel = capped_imports.effects(enforced, cap, ONE)
        assert (fuel["added"][0], fuel["net_supply"][0], fuel["spending"][0]) == (0.0, 0.0, 0.0), cap
    # a cap below them cuts them to it: 1e5 - 168,679 = -68,679 bbl, never below zero legal imports
    assert capped_imports.effects(enforced, 1e5, ONE)["added"][0] == pytest.approx(-68_679)
    assert capped_imports.effects(enforced, 0.0, ONE)["added"][0] == pytest.approx(-168_679)
    # a cap above the cap of the day adds its rise: 2e6 - 5e5 = 1.5e6, so 1,668,679 legal, below the new cap
    assert capped_imports.effects(enforced, 2e6, ONE)["added"][0] == pytest.approx(1.5e6)
    # and never more than demand: lifted (C1 = D = 4e6), 168,679 + 3.5e6 = 3,668,679 < 4e6; with legal imports at the
    # cap, 5e5 + 3.5e6 = 4e6 exactly
    assert capped_imports.effects(enforced, 4e6, ONE)["added"][0] == pytest.approx(3.5e6)
    assert capped_imports.effects(FUEL, 9e6, ONE)["added"][0] == pytest.approx(3.5e6)
    # legal imports stated above the cap are read as the cap
    assert capped_imports.effects(FUEL | {"legal_imports": 7e5}, 2e6, ONE)["added"][0] == pytest.approx(1.5e6)


def test_what_is_bought_is_the_budget_share_of_what_adds_supply_and_the_replacement_first():
    full = capped_imports.effects(FUEL, 2_000_000.0, ONE)
    half = capped_imports.effects(FUEL, 2_000_000.0, ONE, bought=0.5)
    # unlocked: the 1.5e6 bbl the new cap allows, worth 1.5e6 x 80 = 120e6, whatever is bought
    assert (half["added"][0], half["unlocked"][0]) == (full["added"][0], 120e6)
    # the 7.5e5 bbl that replace smuggled fuel are bought first, whole: they save 7.5e5 x 80 x 0.25 = 15e6
    assert half["replaced"][0] == full["replaced"][0] == 7.5e5
    assert half["first"][0] == full["first"][0] == pytest.approx(-15e6)
    # the 7.5e5 bbl that add supply are bought in the budget's share: 3.75e5 bbl, 3.75e5 x 80 = 30e6, less the 15e6
    # saved: 15e6 (all of it: 60e6 - 15e6 = 45e6)
    assert (half["net_supply"][0], half["tonnes"][0]) == pytest.approx((3.75e5, 3.75e5 / 8))
    assert (full["spending"][0], half["spending"][0]) == pytest.approx((45e6, 15e6))
    # supply share: (5e5 + 1e6 + 3.75e5) / 4e6 = 46.875 %
    assert half["supply_share"][0] == pytest.approx(46.875)
    ban = import_bans.spending({"pre_sanction_imports": 1e9, "blocked_share": 0.8}, 1.0, ONE, bought=0.25)
    assert (ban["unlocked"][0], ban["spending"][0]) == pytest.approx((800e6, 200e6))


def test_the_budget_buys_the_fuel_that_saves_money_first_then_cuts_the_rest_alike():
    # earned 100, other sources 100; fuel wanted 45 of which -15 bought first (a saving), a ban 400: wanted 445 in
    # all, beyond the 200 there is. After the saving, 215 pays for 460 of the rest: 215 / 460 of it
    share = balance.bought_share(100.0, 445.0, 100.0, first=-15.0)
    assert float(share) == pytest.approx(215 / 460)
    # so the fuel costs -15 + 60 x 215/460 and the ban 400 x 215/460: together 200, the money there is
    assert -15 + 60 * share + 400 * share == pytest.approx(200.0)


def test_bought_share_is_all_within_the_budget_and_a_proportional_cut_beyond_it():
    # earned 300, other sources 200: 500 to pay with. Wanting 400: all bought; 1,000: half; nothing earned and no
    # other source, 100 wanted: none
    shares = balance.bought_share(
        np.array([300.0, 300.0, 0.0]), np.array([400.0, 1000.0, 100.0]), np.array([200, 200, 0])
    )
    assert shares.tolist() == [1.0, 0.5, 0.0]


def test_tightening_raises_smuggling():
    fuel = capped_imports.effects(FUEL, 100_000.0, ONE)
    # dL = 1e5 - 5e5 = -4e5; r = 0.5 x -4e5 = -2e5 (smuggling up 2e5); dS = -2e5
    assert (fuel["added"][0], fuel["replaced"][0], fuel["net_supply"][0]) == (-4e5, -2e5, -2e5)
    # spending = -4e5 x 80 - (-2e5) x 80 x 1.25 = -32e6 + 20e6 = -12e6
    assert fuel["spending"][0] == pytest.approx(-12e6)


def test_import_ban_from_observed_imports():
    q = {"observed_imports": 600e6, "blocked_share": 0.25}
    # 600e6 x 0.25 / 0.75 = 200e6 USD/yr blocked; half the ban lifted gives half
    assert import_bans.spending(q, 1.0, ONE)["spending"][0] == pytest.approx(200e6)
    assert IMPORT_BANS.evaluate(q, 0.5, ONE, "x")["spending"][0] == pytest.approx(100e6)


def test_import_ban_from_pre_sanction_imports():
    q = {"pre_sanction_imports": 1e9, "blocked_share": 0.8}
    # 1e9 x 0.8 = 800e6 USD/yr
    assert import_bans.spending(q, 1.0, ONE)["spending"][0] == pytest.approx(800e6)


def test_balance_sums_parents_then_net_then_shares():
    values = {"Revenue|A": np.array([3.0]), "Revenue|B": np.array([5.0]), "Expenditure|C|D": np.array([2.0])}
    sums = [
        ("Expenditure|C", ["Expenditure|C|D"]),
        ("Revenue", ["Revenue|A", "Revenue|B"]),
        ("Expenditure", ["Expenditure|C"]),
    ]
    balance.complete(values, sums, [("Net", "Revenue", "Expenditure")], [("Share", ["Net"], "g")], {"g": 12.0})
    # revenue 3 + 5 = 8, spending 2, net 6, 6 / 12 = 50 %
    assert (values["Revenue"][0], values["Expenditure"][0], values["Net"][0], values["Share"][0]) == (8, 2, 6, 50)


def test_models_broadcast_over_draws_and_years():
    q = EXPORT | {"price_index": np.array([[1.0], [1.5], [2.0]])}
    revenue = exports.revenue(q, 1.0, ramp(4, 2))["revenue"]
    assert revenue.shape == (3, 4)
    # draw 2 (index 1.5), year 1 (ramp 0.5): 200e6 x 1.5 x 0.5
    assert revenue[1, 0] == pytest.approx(150e6)
    assert revenue[2, 3] == pytest.approx(400e6)
