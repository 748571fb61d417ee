"""Where the shipped data lives, and reading TOML files with errors that name the file."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from calc.errors import InputError


def shipped_folder() -> Path:
    """The shipped ``assumptions/`` folder: inside the installed package, or beside it in a source checkout."""
    here = Path(__file__).parent
    bundled = here / "shipped_assumptions"
    return bundled if bundled.is_dir() else here.parent / "assumptions"


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; every failure becomes an InputError naming the file."""
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{path}: not valid TOML ({error})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not valid TOML (the file is not UTF-8 text)") from None
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; expected a .toml file") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None
