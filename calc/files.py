"""Files: where the shipped data lives, reading TOML with errors that name the file, checking where output goes, and
writing it atomically (every file the calculator writes appears whole or not at all)."""

from __future__ import annotations

import contextlib
import os
import tempfile
import tomllib
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import Any

from calc.errors import InputError


def shipped_folder() -> Path:
    """The shipped ``assumptions/`` folder: inside the installed package, or beside it in a source checkout."""
    here = Path(__file__).parent
    bundled = here / "shipped_assumptions"
    return bundled if bundled.is_dir() else here.parent / "assumptions"


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; every failure becomes an InputError naming the file. A UTF-8 byte-order mark (which
    Windows Notepad writes) is read past."""
    try:
        with open(path, "rb") as handle:
            return tomllib.loads(handle.read().decode("utf-8-sig"))
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


def target_path(path: str | Path, suffixes: Sequence[str] = (".csv",)) -> Path:
    """``path`` as a file path ending in one of ``suffixes``, in an existing folder, or InputError. Every file
    the calculator writes (CSV, charts, the report) is checked here."""
    endings = " or ".join(suffixes)
    if not isinstance(path, (str, Path)) or not str(path).strip():
        raise InputError(f"output path: expected a file path ending in {endings}, got {path!r}")
    path = Path(path)
    if path.suffix.lower() not in suffixes:
        raise InputError(f"output path: {str(path)!r} must end in {endings}")
    if path.is_dir():
        raise InputError(f"output path: {str(path)!r} is a folder; give a file name ending in {endings}")
    if not path.parent.is_dir():
        raise InputError(f"output path: the folder {str(path.parent)!r} does not exist")
    return path


#: The ending of the temporary file an atomic write fills before it becomes the file.
TEMPORARY_SUFFIX = ".tmp"


@contextlib.contextmanager
def atomic(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``, moved over it once the block succeeds, removed if it fails."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=_temporary_prefix(path), suffix=TEMPORARY_SUFFIX)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _temporary_prefix(path: Path) -> str:
    return f".{path.name}."


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def being_written(path: Path) -> bool:
    """Whether an atomic write of ``path`` is under way: its temporary file is there beside it."""
    prefix = _temporary_prefix(path)
    return any(name.startswith(prefix) and name.endswith(TEMPORARY_SUFFIX) for name in os.listdir(path.parent))


def text_field(value: object, field: str) -> str:
    """A text entry of a declaration file, stripped, or InputError naming ``field``."""
    if not isinstance(value, str):
        raise InputError(f"{field}: expected text, got {value!r}")
    return value.strip()


def table_field(value: object, keys: Collection[str], required: Sequence[str], field: str) -> dict[str, Any]:
    """A table of a declaration file with only ``keys`` and every ``required`` one, or InputError naming
    ``field``, what is wrong and the keys accepted."""
    if not isinstance(value, dict):
        raise InputError(f"{field}: expected a table with {', '.join(required)}")
    unknown = sorted(set(value) - set(keys))
    missing = [key for key in required if key not in value]
    if unknown or missing:
        problem = f"unknown key(s) {', '.join(map(repr, unknown))}" if unknown else f"missing {', '.join(missing)}"
        raise InputError(f"{field}: {problem}; accepted: {', '.join(sorted(keys))}")
    return value
