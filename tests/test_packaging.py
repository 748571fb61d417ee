"""The wheel carries the shipped assumptions and marks the package as typed, and the tree is clean under ruff and
mypy."""

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import calc

from conftest import require

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-w", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    (path,) = out.glob("sanctions_relief-*.whl")
    return path


def test_wheel_bundles_the_assumptions(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for file in sorted((ROOT / "assumptions").rglob("*.toml")):
        assert f"calc/shipped_assumptions/{file.relative_to(ROOT / 'assumptions').as_posix()}" in names
    assert "calc/units.txt" in names


def test_wheel_marks_the_package_as_typed(wheel):
    """Without ``py.typed`` (PEP 561) type checkers treat an installed calc as untyped, every name of it Any."""
    assert "calc/py.typed" in zipfile.ZipFile(wheel).namelist()


def test_installed_wheel_finds_its_assumptions_outside_the_source_tree(wheel, tmp_path):
    zipfile.ZipFile(wheel).extractall(tmp_path / "site")
    code = (
        "import calc, calc.assumptions as a; "
        "print(a.shipped_folder()); print(calc.run('article-demands')['value'].iloc[0])"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    folder, revenue = done.stdout.split()
    assert folder == str(tmp_path / "site" / "calc" / "shipped_assumptions")
    assert float(revenue) == 220e6


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]])
def test_ruff_is_clean(command):
    require("ruff", extra="dev")
    done = subprocess.run(
        [sys.executable, "-m", "ruff", *command, str(ROOT)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_no_error():
    """mypy checks calc/ as pyproject.toml's [tool.mypy] says, with no cache (``--cache-dir`` the null device):
    each run checks everything afresh, so .ci/run's two environments, newest and lowest, never share one."""
    require("mypy", extra="dev")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", os.devnull],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_type_checkers_see_the_type_of_every_public_name(tmp_path):
    """``import calc`` is lazy (a module ``__getattr__``), which a type checker reads as Any for every name it does
    not see defined; calc/__init__.py imports them under TYPE_CHECKING so that it sees each one's real type."""
    require("mypy", extra="dev")
    from mypy import api

    names = sorted(calc.__all__)
    probe = tmp_path / "probe.py"
    probe.write_text("import calc\n" + "".join(f"reveal_type(calc.{name})\n" for name in names))
    config = ["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", os.devnull]
    # as users' strict checks see it: a name imported into a module is not exported unless __all__ or "x as x" says so
    out, err, status = api.run([str(probe), *config, "--no-implicit-reexport"])
    revealed = {  # line 1 imports calc; line n + 2 reveals names[n]
        names[int(line) - 2]: shown
        for line, shown in re.findall(r'probe\.py:(\d+): note: Revealed type is "(.*)"$', out, re.MULTILINE)
    }
    assert status == 0, out + err
    assert len(revealed) == len(calc.__all__), out
    assert [name for name, shown in revealed.items() if shown == "Any"] == [], out


IMPORT_EVERY_MODULE = """
import importlib, pkgutil, sys
from pathlib import Path
import calc
watched = [Path(calc.__file__).parent, Path(sys.argv[1]).resolve() / "assumptions", Path(sys.argv[2]).resolve()]
touched = []
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, Path)):
        path = Path(args[0] if not isinstance(args[0], bytes) else args[0].decode()).resolve()
        if path.suffix not in (".py", ".pyc") and any(path.is_relative_to(folder) for folder in watched):
            touched.append(str(path))
sys.addaudithook(hook)
for module in pkgutil.walk_packages(calc.__path__, "calc."):
    if module.name != "calc.__main__":
        importlib.import_module(module.name)
print(touched)
"""


def test_importing_any_module_reads_and_writes_no_file_of_ours(tmp_path):
    """No I/O at import: the shipped declarations are read, and the unit registry (with its cache) is built, when
    first used. Every module of calc is imported in a fresh process watched by an audit hook, which records any
    file opened in the package (other than Python source: the shipped data, the unit definitions, the page), the
    source tree's assumptions or the registry's cache folder."""
    root = Path(__file__).parent.parent
    cache = tmp_path / "cache"
    environment = {**os.environ, "SANCTIONS_RELIEF_CACHE_DIR": str(cache)}
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERY_MODULE, str(root), str(cache)],
        capture_output=True,
        text=True,
        cwd=root,
        env=environment,
        check=True,
    )
    assert result.stdout.strip() == "[]"
    assert not cache.exists()
