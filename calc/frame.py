"""The long (IAMC) result frame: its columns and fixed texts, and building it from blocks of arrays."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

MODEL = "sanctions-relief"
REGION = "North Korea"
COLUMNS = ("model", "scenario", "region", "variable", "unit", "year", "value")


def long_frame(blocks: Sequence[tuple[str, str, str, np.ndarray, np.ndarray]]) -> pd.DataFrame:
    """The long frame from (scenario, variable, unit, years, values) blocks."""
    sizes = [len(block[3]) for block in blocks]
    total = sum(sizes)
    return pd.DataFrame(
        {
            "model": pd.array(np.full(total, MODEL, dtype=object), dtype="str"),
            "scenario": pd.array(np.repeat([b[0] for b in blocks], sizes).astype(object), dtype="str"),
            "region": pd.array(np.full(total, REGION, dtype=object), dtype="str"),
            "variable": pd.array(np.repeat([b[1] for b in blocks], sizes).astype(object), dtype="str"),
            "unit": pd.array(np.repeat([b[2] for b in blocks], sizes).astype(object), dtype="str"),
            "year": np.concatenate([b[3] for b in blocks]) if blocks else np.array([], dtype=np.int64),
            "value": np.concatenate([b[4] for b in blocks]) if blocks else np.array([], dtype=np.float64),
        },
        columns=list(COLUMNS),
    )


class Record(dict):
    """A run's record, kept in ``frame.attrs``. pandas deep-copies a frame's attrs on nearly every operation, and
    a record (every assumption with its source and note) copied a thousand times made a table take half a second;
    a record is never changed once made (a changed one is a new Record), so a copy can be the record itself."""

    def __deepcopy__(self, memo: dict) -> Record:
        return self
