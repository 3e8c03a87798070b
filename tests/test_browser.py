"""The built site in a real browser: Debian's Chromium driven by Selenium through the system chromedriver.

Nothing downloads a browser: the Service is given /usr/bin/chromedriver and the
browser binary explicitly, so Selenium Manager is never asked. The network is off
twice over: a proxy to nowhere, and DevTools' offline emulation; the performance log
then shows every request the page made. Screenshots go to ci-artifacts/.
Where Chromium is missing the tests skip and say why; with CI set they fail instead.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "ci-artifacts"
DRIVER = Path("/usr/bin/chromedriver")
BROWSERS = ("chromium", "chromium-browser")


def _browser() -> str | None:
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def _require_chromium() -> str:
    browser = _browser()
    if browser and DRIVER.is_file():
        return browser
    reason = "Chromium or its driver is missing (apt-get install chromium chromium-driver)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run the browser tests")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    binary = _require_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-sync",
        "--disable-extensions",
        "--no-first-run",
        "--proxy-server=127.0.0.1:9",  # discard port: any http(s) request would go nowhere
        "--proxy-bypass-list=<-loopback>",
        "--window-size=1280,1000",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(DRIVER)), options=options)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def page(browser, built_site: Path):  # noqa: ANN001, ANN201 - selenium's WebDriver
    browser.get((built_site / "index.html").as_uri())
    return browser


@pytest.fixture(scope="module")
def rows(built_site: Path) -> list[dict[str, str]]:
    with open(built_site / "package/data/events.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_event_id_is_in_the_chart_and_the_list(page, rows: list[dict[str, str]]) -> None:  # noqa: ANN001
    counts = page.execute_script(
        "return arguments[0].map(id => [document.querySelectorAll('.chart [data-event=\"' + id + '\"]').length,"
        " document.querySelectorAll('.row-button[data-id=\"' + id + '\"]').length]);",
        [r["event_id"] for r in rows],
    )
    assert counts == [[1, 1]] * len(rows)


def test_selecting_each_row_highlights_exactly_its_quote(page, rows: list[dict[str, str]]) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    for row in rows:
        page.find_element(By.CSS_SELECTOR, f'.row-button[data-id="{row["event_id"]}"]').click()
        state = page.execute_script(
            """
            const marks = [...document.querySelectorAll('mark.quote.is-current')];
            const range = document.createRange();
            range.setStartBefore(marks[0]); range.setEndAfter(marks[marks.length - 1]);
            const selected = [...document.querySelectorAll('.row-button[aria-pressed="true"]')].map(b => b.dataset.id);
            const detail = [...document.querySelectorAll('.detail')].filter(d => !d.hidden).map(d => d.id);
            const chart = [...document.querySelectorAll('.chart .is-selected')].map(m => m.dataset.event);
            return [marks.map(m => m.textContent).join(''), range.toString(), selected, detail, chart];
            """
        )
        eid = row["event_id"]
        assert state == [row["quote"], row["quote"], [eid], [f"detail-{eid}"], [eid]], eid


def test_selecting_a_quoted_span_selects_its_row(page) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    for mark in page.find_elements(By.CSS_SELECTOR, "mark.quote"):
        page.execute_script("arguments[0].scrollIntoView({block: 'center'});", mark)
        mark.click()
        selected = page.find_element(By.CSS_SELECTOR, '.row-button[aria-pressed="true"]').get_attribute("data-id")
        assert selected in mark.get_attribute("data-ids").split()
        assert "is-current" in mark.get_attribute("class")


def test_a_statement_link_brightens_on_focus_and_keyboard_moves_the_selection(page) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    page.execute_script("document.querySelector('.chart [data-event=\"ev-0016\"]').focus();")
    link = page.find_element(By.CSS_SELECTOR, '.chart [aria-label="link ev-0016 → ev-0015"]')
    assert "is-lit" in link.get_attribute("class")
    first = page.find_element(By.CSS_SELECTOR, '.row-button[data-id="ev-0001"]')
    first.click()
    first.send_keys(Keys.ARROW_DOWN)
    assert page.switch_to.active_element.get_attribute("data-id") == "ev-0002"
    assert page.find_element(By.CSS_SELECTOR, '.row-button[aria-pressed="true"]').get_attribute("data-id") == "ev-0002"
    link = page.find_element(By.CSS_SELECTOR, '[aria-label="link ev-0002 → ev-0001"]')
    assert "is-lit" in link.get_attribute("class")


SHAPES_JS = """
const out = {};
for (const el of document.querySelectorAll('.chart [data-event]')) {
  const box = el.getBBox();
  out[el.dataset.event] = {x: box.x, width: box.width, fill: el.getAttribute('fill') || '',
                           dash: el.getAttribute('stroke-dasharray') || '',
                           stroke: el.getAttribute('stroke-width') || ''};
}
return out;
"""


def test_open_bounds_and_ranges_have_their_documented_shapes(page, rows: list[dict[str, str]]) -> None:  # noqa: ANN001
    import datetime as dt

    shapes = page.execute_script(SHAPES_JS)
    day = shapes["ev-0007"]["width"]  # a one-day row
    assert day > 20
    for row in rows:
        shape, precision = shapes[row["event_id"]], row["date_precision"]
        if precision == "on-or-before":  # no start: from the plot's left edge, a gradient, no outline
            assert shape["x"] == 0 and shape["fill"].startswith("url(#gradient_"), row["event_id"]
            continue
        assert not shape["fill"].startswith("url("), row["event_id"]
        days = (dt.date.fromisoformat(row["date_end"]) - dt.date.fromisoformat(row["date_start"])).days + 1
        expected = {"day": (day, ""), "overnight": (day / 2, ""), "range": (days * day, "6,3")}.get(precision)
        if expected:  # all of these lie in the full-pace days of the axis
            assert abs(shape["width"] - expected[0]) < 1.0, row["event_id"]
            assert shape["dash"] == expected[1], row["event_id"]
        if precision == "month":
            assert shape["dash"] == "2,2"
        if precision == "approximate-start":  # no outline on the bar itself: its start edge stays open
            assert shape["stroke"] == "0", row["event_id"]


def test_no_console_errors_and_nothing_but_file_urls_loaded(page) -> None:  # noqa: ANN001
    errors = [entry for entry in page.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
    assert errors == []
    requested = []
    for entry in page.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requested.append(message["params"]["request"]["url"])
    assert requested and all(url.startswith(("file://", "data:")) for url in requested), requested


def test_screenshots_of_the_page_the_chart_and_a_phone_width(page) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    ARTIFACTS.mkdir(exist_ok=True)
    page.execute_script("window.scrollTo(0, 0);")
    height = page.execute_script("return document.documentElement.scrollHeight;")
    page.set_window_size(1280, min(height, 12000))  # tall enough for the whole page, so nothing is cut
    page.save_screenshot(str(ARTIFACTS / "site-page.png"))
    page.find_element(By.CSS_SELECTOR, ".chart").screenshot(str(ARTIFACTS / "site-chart.png"))
    page.set_window_size(390, 844)
    overflow = page.execute_script("return document.documentElement.scrollWidth - window.innerWidth;")
    page.save_screenshot(str(ARTIFACTS / "site-phone.png"))
    page.set_window_size(1280, 1000)
    assert overflow <= 0  # nothing sticks out sideways at phone width: only the chart's own box scrolls
    for name in ("site-chart.png", "site-page.png", "site-phone.png"):
        assert (ARTIFACTS / name).read_bytes().startswith(b"\x89PNG")
