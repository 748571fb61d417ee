"""A kind of area of your own: a one-off release of frozen funds (docs/how-to/add-a-kind.md).

The model is a pure function on arrays; the declaration says what it needs, what eases it, what it yields and
when. Registering the kind lets an ``areas.toml`` name it (``kind = "fund release"``).
"""

from __future__ import annotations

import numpy as np

from calc.kinds import Kind, Role, Spec, register, template


def released(q, lever, share_of_effect, area, bought=1.0):
    """Hard currency from frozen funds released: F x s in the year the relief begins, with F the funds frozen
    (USD, received over that one year) and s the share released (the lever); ``share_of_effect`` is the kind's
    time profile, 1 in that year and 0 after."""
    return {"revenue": np.asarray(q["amount"]) * lever * share_of_effect}


def once(years_since, ramp_years):
    """All of the effect in the year the relief begins and none after, however many ramp years a scenario has."""
    return (np.asarray(years_since) == 0).astype(float)


FUND_RELEASE = register(
    Kind(
        name="fund release",
        roles={
            "amount": Role(
                Spec(
                    "USD",
                    "an amount of money, 0 or more",
                    plausible=(0.0, 10e9),
                    basis="no DPRK asset abroad comes near USD 10 bn",
                )
            )
        },
        lever="share",
        accepted="a share from 0 to 1 of the frozen funds released",
        templates=(template("revenue", "Revenue|{title}", "USD/yr", "{label}", "money", sign=1, charted=True),),
        formula=released,
        profile=once,
    )
)
