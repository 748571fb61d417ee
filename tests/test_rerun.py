"""calc.rerun: a run or a Monte Carlo frame remade from the record its export carries (assumptions, scenarios,
sampler and seed), and records it cannot use refused by name."""

import json

import numpy as np
import pandas as pd
import pytest

import calc


def test_rerun_from_the_export_reproduces_it_exactly(tmp_path, shipped):
    changed = shipped.override(
        {"petroleum.price": "158.987294928 USD/m**3", "metals.price_index": {"value": 1.2, "low": 1, "high": 1.5}}
    )
    scenarios = [
        "article-demands",
        calc.Scenario(name="mine", metals_share=0.37, petroleum_cap="1234567.8 bbl/yr", ramp_years=3),
    ]
    for frame in (
        calc.run(scenarios, assumptions=changed),
        calc.montecarlo(scenarios, n=500, seed=3, assumptions=changed),
    ):
        path = calc.export_csv(frame, tmp_path / "out.csv")
        again = calc.rerun(path)
        pd.testing.assert_frame_equal(again, calc.read_csv(path))
        pd.testing.assert_frame_equal(again, frame)


def test_rerun_needs_the_record(tmp_path):
    frame = calc.run(["article-demands", "hanoi-2019"])
    path = calc.export_csv(frame, tmp_path / "out.csv")
    (tmp_path / "out.datapackage.json").unlink()
    with pytest.raises(calc.InputError, match="rerun: no record of assumptions and scenarios found"):
        calc.rerun(path)
    record = frame.attrs["sanctions_relief"] | {"assumptions": [{"name": "petroleum.price", "value": 1}]}
    with pytest.raises(calc.InputError, match=r"recorded assumptions: petroleum\.price: missing 'unit'"):
        calc.rerun(record)


def test_rerun_replays_the_recorded_sampler(tmp_path):
    frame = calc.montecarlo("article-demands", n=300, seed=5, sampler="lhs")
    calc.export_csv(frame, tmp_path / "q.csv")
    again = calc.rerun(tmp_path / "q.csv")
    np.testing.assert_array_equal(again["value"].to_numpy(), frame["value"].to_numpy())
    random = calc.montecarlo("article-demands", n=300, seed=5, sampler="random")
    assert not np.array_equal(random["value"].to_numpy(), frame["value"].to_numpy())


def test_rerun_names_what_a_damaged_montecarlo_record_lacks():
    frame = calc.montecarlo("metals-only", n=20, seed=1)
    record = json.loads(json.dumps(frame.attrs["sanctions_relief"]))
    del record["montecarlo"]["sampler"]
    with pytest.raises(calc.InputError, match="recorded montecarlo: missing sampler"):
        calc.rerun(record)
