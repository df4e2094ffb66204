"""The interactive report in a real browser: headless Chromium driven through WebDriver
(selenium with Debian's chromium-driver). Outside CI, skipped when either is missing; in CI
(CI=true) they must be there.

What a workshop does: types in the search box, filters the findings, clicks a touchpoint in a
table and in a map; and, with JavaScript off, reads the whole page."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import ROOT, Result

AS_OF = "2026-11-20"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
BROWSER = shutil.which("chromium") or "/usr/bin/chromium"
try:
    import selenium  # noqa: F401

    HAVE_SELENIUM = True
except ImportError:
    HAVE_SELENIUM = False
MISSING = not (HAVE_SELENIUM and Path(DRIVER).exists() and Path(BROWSER).exists())
pytestmark = pytest.mark.skipif(
    MISSING and os.environ.get("CI") != "true",
    reason="selenium, chromium or chromedriver missing (pip install selenium; "
    "apt-get install chromium chromium-driver)",
)


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tpm.__main__ import main

    out = tmp_path_factory.mktemp("browser") / "report.html"
    code = main(["-C", str(ROOT), "report", "--output", str(out), "--as-of", AS_OF])
    assert code == 0
    return out


def _browser(javascript: bool) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = BROWSER
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,2000"):
        options.add_argument(arg)
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def browser() -> Iterator[object]:
    yield from _browser(javascript=True)


@pytest.fixture
def no_js_browser() -> Iterator[object]:
    yield from _browser(javascript=False)


def _visible_rows(driver: object, css: str) -> list[str]:
    from selenium.webdriver.common.by import By

    rows = driver.find_elements(By.CSS_SELECTOR, css)  # type: ignore[attr-defined]
    return [str(r.get_attribute("textContent")) for r in rows if r.is_displayed()]


def test_search_filter_and_details(browser: object, report_file: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    d = browser
    d.get(report_file.as_uri())  # type: ignore[attr-defined]
    find = d.find_element  # type: ignore[attr-defined]
    assert find(By.ID, "controls").is_displayed()
    everything = _visible_rows(d, "table.findings tbody tr")
    assert len(everything) > 3
    # the severity filter: only errors are left
    Select(find(By.ID, "f-severity")).select_by_value("error")
    errors = _visible_rows(d, "table.findings tbody tr")
    expected = len(d.find_elements(By.CSS_SELECTOR, 'tr.finding[data-severity="error"]'))  # type: ignore[attr-defined]
    assert 0 < len(errors) == expected < len(everything)
    assert "of" in find(By.ID, "matches").text
    Select(find(By.ID, "f-severity")).select_by_value("")
    # typing in the search box: every row left holds the word (its details included)
    before = len(_visible_rows(d, "table.searchable tbody tr"))
    total = len(d.find_elements(By.CSS_SELECTOR, "table.searchable tbody tr"))  # type: ignore[attr-defined]
    find(By.ID, "search").send_keys("hotline")
    shown = _visible_rows(d, "table.searchable tbody tr")  # folded rule blocks open to show
    assert shown and all("hotline" in row.lower() for row in shown)
    assert len(shown) < before
    assert f"{len(shown)} of {total} rows shown" == find(By.ID, "matches").text
    find(By.ID, "search").clear()
    d.execute_script("document.getElementById('search').dispatchEvent(new Event('input'))")  # type: ignore[attr-defined]
    hidden_rows = "return document.querySelectorAll('table.searchable tbody tr[hidden]').length"
    assert d.execute_script(hidden_rows) == 0  # type: ignore[attr-defined]  # every row is back
    # a touchpoint in the table: its details open on click
    row = find(By.ID, "item-budget-letter")
    assert "Finance & Controlling" not in row.text  # closed: only its name
    row.find_element(By.TAG_NAME, "summary").click()
    assert "To\nFinance & Controlling" in row.text or "Finance & Controlling" in row.text
    assert "Owner" in row.text
    # a touchpoint in the unit map: the click leads to its row, opened and marked
    link = find(By.CSS_SELECTOR, '#org-map a[*|href="#item-claims-handover"]')
    d.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", link)  # type: ignore[attr-defined]
    target = find(By.ID, "item-claims-handover")
    assert d.execute_script("return location.hash") == "#item-claims-handover"  # type: ignore[attr-defined]
    assert "target" in target.get_attribute("class")
    assert target.find_element(By.TAG_NAME, "details").get_attribute("open") is not None


def test_without_javascript_everything_reads(no_js_browser: object, report_file: Path) -> None:
    from selenium.webdriver.common.by import By

    d = no_js_browser
    d.get(report_file.as_uri())  # type: ignore[attr-defined]
    assert not d.find_element(By.ID, "controls").is_displayed()  # type: ignore[attr-defined]
    # every row of every table shows, except those of the folded info blocks (closed <details>)
    rows = d.find_elements(By.CSS_SELECTOR, "table.searchable tbody tr")  # type: ignore[attr-defined]
    folded = d.find_elements(By.CSS_SELECTOR, "details.rule:not([open]) tbody tr")  # type: ignore[attr-defined]
    assert rows and sum(r.is_displayed() for r in rows) == len(rows) - len(folded)
    body = d.find_element(By.TAG_NAME, "body").text  # type: ignore[attr-defined]
    for heading in ("Who talks to whom", "The silo matrix", "Audit findings", "Journey maps"):
        assert heading in body or heading.upper() in body
    # details still open on click: they are the browser's own <details>
    row = d.find_element(By.ID, "item-budget-letter")  # type: ignore[attr-defined]
    row.find_element(By.TAG_NAME, "summary").click()
    assert "Owner" in row.text


def test_the_policy_forbids_network_loads(
    report_file: Path, run_cli: Callable[..., Result]
) -> None:
    html = report_file.read_text(encoding="utf-8")
    policy = html.split('http-equiv="Content-Security-Policy" content="')[1].split('"')[0]
    assert "default-src 'none'" in policy and "connect-src" not in policy
    assert "<script src" not in html and "<script>" in html
