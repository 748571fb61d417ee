"""The explorer page: time from a lever change (or a preset button) to the updated figures in headless
Chromium, against ``calc.run`` of the same scenarios in the same process. Medians of ``--repeat`` changes, each
measured in the page (``performance.now()`` from the input event to the figure's update), with the charts
allowed to finish drawing between changes; and a lever change made while the charts of the one before draw (in
their own process, so the figure need not wait for them). Needs Debian's chromium and Playwright (the test extra).

Run: ``python bench/explorer.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import statistics
import time

import calc
from calc.explorer import start

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync", "--no-first-run"]
#: In the page: change a control, then wait for the figures to show the answer (the headline figure, the hard
#: currency earned, is filled last); milliseconds elapsed.
CHANGE = """async ([selector, value, kind]) => {
  const earned = document.getElementById('earned');
  const before = earned.dataset.sequence;
  const updated = new Promise((resolve) => {
    const watch = new MutationObserver(() => {
      if (earned.dataset.sequence !== before) { watch.disconnect(); resolve(); }
    });
    watch.observe(earned, { attributes: true });
  });
  const started = performance.now();
  const control = document.querySelector(selector);
  if (kind === 'click') control.click(); else { control.value = value; control.dispatchEvent(new Event('input')); }
  await updated;
  return performance.now() - started;
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    server = start(0)
    article, hanoi = calc.preset("article-demands"), calc.preset("hanoi-2019")
    timings: dict[str, list[float]] = {
        "lever change in the page": [],
        "preset button in the page": [],
        "lever change while charts draw": [],
    }
    runs: dict[str, list[float]] = {"calc.run, the same two scenarios": [], "calc.run, the preset alone": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True).new_page()
        page.goto(server.url)
        page.wait_for_selector("#charts img", timeout=30_000)
        for index in range(args.repeat):
            share = "0.5" if index % 2 else "0.6"
            timings["lever change in the page"].append(page.evaluate(CHANGE, ["#share-metals", share, "input"]))
            time.sleep(2.0)  # the charts follow 250 ms after the last change; let them finish
            name = "hanoi-2019" if index % 2 else "article-demands"
            timings["preset button in the page"].append(page.evaluate(CHANGE, [f"[data-preset='{name}']", "", "click"]))
            time.sleep(2.0)
            page.evaluate(CHANGE, ["#share-metals", "0.7", "input"])
            time.sleep(0.4)  # the charts of that change are drawing now
            timings["lever change while charts draw"].append(page.evaluate(CHANGE, ["#share-metals", "0.8", "input"]))
            time.sleep(2.0)
            for label, scenarios in zip(runs, ([article, hanoi], [hanoi]), strict=True):
                began = time.perf_counter()
                calc.run(scenarios)
                runs[label].append((time.perf_counter() - began) * 1000)
        browser.close()
    server.shutdown()
    server.server_close()
    medians = {label: statistics.median(values) for label, values in {**timings, **runs}.items()}
    for label, median in medians.items():
        print(f"{label:36s} median {median:6.1f} ms")
    lever, preset = medians["lever change in the page"], medians["preset button in the page"]
    print(f"lever change / calc.run: {lever / medians['calc.run, the same two scenarios']:.1f}  (goal: under 100 ms)")
    print(f"preset button / calc.run: {preset / medians['calc.run, the preset alone']:.1f}")


if __name__ == "__main__":
    main()
