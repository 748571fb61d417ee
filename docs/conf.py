"""Sphinx configuration: Markdown pages (MyST), the Python reference from calc's docstrings (autodoc), the command
line reference from its parser (sphinx-argparse), tables and outputs made from calc when the site is built
(_ext/calc_docs.py), and the notebooks executed as the site is built (myst-nb). Nothing is fetched from the
network, to build or to read the site: no intersphinx, no web fonts, no CDN scripts.

Build it as CI does: ``.venv/bin/sphinx-build -W --keep-going -b html docs docs/_build/html``.
"""

import sys
from pathlib import Path

import calc

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "_ext"))

project = "sanctions-relief"
author = "the sanctions-relief authors"
copyright = "the sanctions-relief authors (MIT licence)"
release = version = calc.__version__

extensions = ["myst_nb", "sphinx.ext.autodoc", "sphinxarg.ext", "calc_docs"]
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
nitpicky = False

# Markdown: headings get anchors (links such as model.md#the-budget), $...$ is not maths (money is in USD).
myst_heading_anchors = 3
# Quotes and ellipses made typographic, but not dashes: "--out" stays as typed (option names in help texts).
smartquotes_action = "qe"
myst_enable_extensions = ["colon_fence", "deflist"]

# The notebooks live in notebooks/ at the top of the repository, without outputs; the site executes them every build
# and fails on any error (a notebook ends by asserting what it shows).
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_execution_timeout = 300
nb_execution_show_tb = True
nb_merge_streams = True

# The Python reference: the public names as users import them (calc.run), signatures as written, members in
# source order.
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_preserve_defaults = True
# numpy's ArrayLike by its name, not the union of private numpy types it stands for (see calc_docs for a Sphinx bug
# this needs worked around).
autodoc_type_aliases = {"ArrayLike": "ArrayLike"}
# Literal blocks in docstrings are formulas in plain text, not Python; fenced code says its language.
highlight_language = "text"
autodoc_default_options = {"members": False}
add_module_names = True

html_theme = "furo"
html_title = f"sanctions-relief {release}"
html_static_path = ["_static"]
html_css_files = ["calc.css"]
html_show_sourcelink = False
html_copy_source = False
html_theme_options = {"navigation_with_keys": True}
