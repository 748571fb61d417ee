"""The README and the documentation pages say what the calculator does: the figures they quote for the article's
question are those calc gives, and every link between them leads to a file that exists. (The site itself is built,
its notebooks executed, with warnings as errors by .ci/run.)"""

import re
from pathlib import Path

import pytest

import calc

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
TUTORIAL = ROOT / "docs" / "tutorial.md"
DEMANDS, HANOI = "article-demands", "hanoi-2019"


def flat(text: str) -> str:
    """Prose with its line breaks and emphasis taken out, so that a figure reads as one run of words."""
    return re.sub(r"\s+", " ", text.replace("**", ""))


def millions(value: float) -> str:
    return f"{value / 1e6:,.1f}"


@pytest.fixture(scope="module")
def last_year():
    frame = calc.run([DEMANDS, HANOI])
    last = frame[frame["year"] == frame["year"].max()]
    return last.pivot(index="variable", columns="scenario", values="value")


@pytest.fixture(scope="module")
def shares():
    """The demands as a share (%) of the Hanoi request, draw by draw, in the last year: the README's Monte Carlo."""
    frame = calc.montecarlo([DEMANDS, HANOI], n=100_000, seed=1, relative_to=HANOI)
    mine = frame[(frame["scenario"] == DEMANDS) & (frame["year"] == frame["year"].max())]
    return mine.pivot(index="variable", columns="quantile", values="value")


@pytest.mark.parametrize("page", [README, TUTORIAL], ids=["README", "tutorial"])
def test_the_article_answer_quoted_is_what_calc_gives(page, last_year, shares):
    """Both pages give what the two scenarios earn and unlock in USD M a year, the demands' share of each (%), and
    the 5th to 95th percentile of the share earned over 100,000 draws (seed 1), as the command line prints them."""
    text = flat(page.read_text())
    for variable in ("Revenue", "Imports Unlocked"):
        demands, hanoi = last_year.loc[variable, DEMANDS], last_year.loc[variable, HANOI]
        for quoted in (f"{millions(demands)} M", f"{millions(hanoi)} M", f"{100 * demands / hanoi:.1f} %"):
            assert quoted in text, (variable, quoted)
    low, high = shares.loc["Revenue", 0.05], shares.loc["Revenue", 0.95]
    assert f"{low:.1f} to {high:.1f} %" in text


def relative_links(page: Path) -> list[str]:
    """The targets of a Markdown page's links to other files of the repository (not to the web, not anchors)."""
    targets = re.findall(r"\]\(([^)\s]+)\)", page.read_text())
    return [target.split("#")[0] for target in targets if not re.match(r"[a-z]+:|#", target)]


@pytest.mark.parametrize("name", ["README.md", "CONTRIBUTING.md", "CHANGELOG.md"])
def test_every_link_of_the_top_level_pages_leads_to_a_file(name):
    """The top-level pages are read on GitHub, where a link to a page that moved is a 404 (the site's own pages
    are checked by Sphinx)."""
    page = ROOT / name
    missing = [target for target in relative_links(page) if not (page.parent / target).exists()]
    assert missing == [], missing
