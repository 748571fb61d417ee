import textwrap
from pathlib import Path

import pytest

import calc


@pytest.fixture(scope="session")
def shipped():
    return calc.load_assumptions()


@pytest.fixture
def write(tmp_path):
    """Write dedented text to a file under tmp_path and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
        return path

    return _write
