"""The long (IAMC) result frame: its columns and fixed texts, and building it from blocks of arrays."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

MODEL = "sanctions-relief"
REGION = "North Korea"
COLUMNS = ("model", "scenario", "region", "variable", "unit", "year", "value")


def readable(value: float) -> str:
    """A value as people read it: thousands separated and no exponent (220,000,000 rather than 2.2e+08); small
    values (shares in per cent, say) to six significant digits."""
    if not math.isfinite(value):
        return str(value)
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.6g}"


class ResultFrame(pd.DataFrame):
    """The long frame ``calc.run`` and ``calc.montecarlo`` return: a pandas DataFrame in every way, except that it
    shows its values readably at the prompt and in notebooks (``220,000,000`` where pandas would print
    ``2.2e+08``). A frame made from it (a selection, a copy, a concatenation) is a plain DataFrame; ``calc.table``
    gives the table the command line prints."""

    @property
    def _constructor(self) -> type[pd.DataFrame]:
        return pd.DataFrame

    def _formatters(self) -> list[Callable[[float], str] | None]:
        """``readable`` for the value column, by position: pandas before 3.0 applies a formatter given by column
        name to the wrong column once it hides columns to fit the width. None leaves a column to pandas' own
        formatting, which pandas-stubs does not admit (hence the ignores where the list is passed)."""
        return [readable if column == "value" else None for column in self.columns]

    def __repr__(self) -> str:
        return self.to_string(
            formatters=self._formatters(),  # type: ignore[arg-type]  # None in the list: see _formatters
            max_rows=pd.get_option("display.max_rows"),
            min_rows=pd.get_option("display.min_rows"),
            max_cols=pd.get_option("display.max_columns"),
            show_dimensions=pd.get_option("display.show_dimensions"),
            line_width=pd.get_option("display.width"),
        )

    def _repr_html_(self) -> str:
        return self.to_html(
            formatters=self._formatters(),  # type: ignore[arg-type]  # None in the list: see _formatters
            max_rows=pd.get_option("display.max_rows"),
            max_cols=pd.get_option("display.max_columns"),
            show_dimensions=pd.get_option("display.show_dimensions"),
            notebook=True,
        )


def world_model(world: str) -> str:
    """The ``model`` of results run in ``world`` beside others: "sanctions-relief (enforced-2025)"."""
    return f"{MODEL} ({world})"


def in_worlds(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Frames of the same scenarios run in different worlds as one: each world named in ``model``, and the run's
    record holding each world's record under ``worlds``. One frame is returned as it is."""
    if len(frames) == 1:
        return frames[0]
    records = [frame.attrs["sanctions_relief"] for frame in frames]
    combined = ResultFrame(
        pd.concat(
            [frame.assign(model=world_model(record["world"])) for frame, record in zip(frames, records, strict=True)],
            ignore_index=True,
        )
    )
    combined["model"] = combined["model"].astype("str")
    combined.attrs["sanctions_relief"] = Record(
        {"calculator": MODEL, "version": records[0]["version"], "worlds": records}
    )
    return combined


def long_frame(blocks: Sequence[tuple[str, str, str, np.ndarray, np.ndarray]]) -> ResultFrame:
    """The long frame from (scenario, variable, unit, years, values) blocks."""
    sizes = [len(block[3]) for block in blocks]
    total = sum(sizes)
    return ResultFrame(
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
