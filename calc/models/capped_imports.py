"""Capped imports: fuel that a higher cap lets in, net of the smuggled fuel it replaces (refined petroleum under
UNSCR 2375 and 2397; crude oil under 2397)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from calc.models import Values


def effects(q: Mapping[str, Values], new_cap: Values, ramp: np.ndarray, bought: Values = 1.0) -> dict[str, np.ndarray]:
    """The fuel a new cap lets in, and what it costs: the effects of moving the legal cap from C0 to C1 (bbl/yr; D
    when the cap is lifted), of which the North buys share s, what its budget allows (the budget's rule).

    With D = pre_sanction_imports (the demand ceiling: no cap lets imports exceed them, nor does supply; for crude,
    the pipeline), C0 = legal_cap, I0 = illicit_imports (smuggled), d = displacement_share (the share of added
    legal volume that replaces smuggling), P = price, pi = smuggling_premium and h = hard_currency_share
    (docs/explanation/model.md)::

        legal today   L0 = min(legal_imports, C0, D)
        legal after   L1 = min(C1', L0 + max(0, C1' - C0')),  C1' = min(C1, D), C0' = min(C0, D)
                           (a cap between L0 and C0 does not bind and changes nothing; one below L0 cuts
                           legal imports to it; one above C0 adds its rise above C0, the headroom unused
                           today staying unused)
        added legal   dL = (L1 - L0) x ramp
        supply today  S0 = min(D, L0 + I0)
        net supply    dS = min(dL - min(I0, d x dL), D - S0)
                           (a tightening, dL < 0, gives dS = (1 - d) x dL)
        replaced      r  = dL - dS
                           (legal fuel beyond what demand takes displaces smuggled fuel)
        spending         = (dL x P - r x P x (1 + pi)) x h
                         = (dS x P - r x P x pi) x h
        unlocked         = dL x P   (the value of the added legal imports)
        supply share     = (S0 + dS) / D
        tonnes           = volume / bbl_per_tonne

    The legal fuel that replaces smuggled fuel costs less than the smuggled fuel it replaces (by the premium): it
    frees hard currency, so it is bought first, whatever the budget (``first``, a saving: - r x P x pi x h). What
    the budget cuts is the fuel that adds to supply: of it the North buys share s, so that net supply, its tonnes,
    the supply share and the spending on it are s x dS's; the replacement and its saving are whole.

    The added legal volume and its value are what relief unlocks; what is bought (net supply, smuggled fuel
    replaced, spending, and the change in the supply share) is s times the bundle.

    Returns the arrays by name (``added``, ``unlocked``, ``net_supply``, ``spending``, ``first``, ...); ``new_cap``
    is C1 and ``bought`` is s (``calc.models.balance.bought_share``).

    A cap of 2 M bbl for 0.5 M, 2 M smuggled: 1.5 M more legal fuel, half of it replacing smuggled fuel (0.75 M
    bbl, saving 0.75 M x 100 x 0.2 = 15 M), half of it added (75 M): 60 M in all. With half of what adds supply
    bought: 37.5 - 15 = 22.5 M.

    >>> q = {"legal_cap": 5e5, "legal_imports": 5e5, "pre_sanction_imports": 4.5e6, "illicit_imports": 2e6,
    ...      "displacement_share": 0.5, "price": 100.0, "smuggling_premium": 0.2, "hard_currency_share": 1.0,
    ...      "bbl_per_tonne": 7.5}
    >>> result = effects(q, 2e6, np.ones(1))
    >>> float(result["added"][0]), float(result["net_supply"][0]), float(result["spending"][0])
    (1500000.0, 750000.0, 60000000.0)
    >>> float(effects(q, 2e6, np.ones(1), bought=0.5)["spending"][0])
    22500000.0
    """
    demand = np.asarray(q["pre_sanction_imports"])
    illicit = np.asarray(q["illicit_imports"])
    price = np.asarray(q["price"])
    cap_today = np.minimum(q["legal_cap"], demand)
    legal_today = np.minimum(q["legal_imports"], cap_today)
    cap_after = np.minimum(new_cap, demand)
    legal_after = np.minimum(cap_after, legal_today + np.maximum(0.0, cap_after - cap_today))
    supply_today = np.minimum(demand, legal_today + illicit)
    added = (legal_after - legal_today) * ramp
    net = np.minimum(added - np.minimum(illicit, q["displacement_share"] * added), demand - supply_today)
    replaced = added - net
    share = q["hard_currency_share"]
    first = -replaced * price * np.asarray(q["smuggling_premium"]) * share  # the replacement's saving
    return {
        "added": added,
        "added_tonnes": added / q["bbl_per_tonne"],
        "unlocked": added * price,
        "replaced": replaced,
        "net_supply": net * bought,
        "first": first,
        "spending": first + net * price * share * bought,
        "tonnes": net * bought / q["bbl_per_tonne"],
        "supply_share": 100.0 * (supply_today + net * bought) / demand,
    }
