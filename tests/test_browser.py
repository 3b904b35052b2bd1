"""The HTML report in a real headless browser (Debian's chromium and chromedriver, selenium).

Not skipped when the browser is missing: it fails and says how to install it.  A screenshot
of the example month's report is kept under test-artifacts/.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_htmlreport import (
    FORMULA_TEAM,
    HIDDEN_IDS,
    HIDDEN_NAME,
    MONTH,
    NOVEMBER,
    SCORED_CELLS,
    SCORED_MONTH,
    SCRIPT_NAME,
    hidden_inputs,
    hostile_inputs,
)

from sales_policy import load_policy, score
from sales_policy.htmlreport import render_html

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
INSTALL = (
    "the browser test needs Debian's chromium and chromedriver and the selenium package: "
    "apt-get update && apt-get install -y chromium chromium-driver; "
    "python -m pip install selenium"
)
# The machine may have no network: without these, Chromium tries to reach Google's hosts.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
)


def _program(name: str, debian_path: str) -> str:
    found = shutil.which(name) or (debian_path if Path(debian_path).exists() else None)
    if found is None:
        pytest.fail(f"{name} not found ({debian_path}); {INSTALL}")
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail(f"selenium is not installed; {INSTALL}")
    chromium = _program("chromium", "/usr/bin/chromium")
    driver_path = _program("chromedriver", "/usr/bin/chromedriver")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    profile = tempfile.mkdtemp(prefix="sales-policy-chromium-")
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _open(driver: Any, page: str, path: Path) -> list[dict[str, Any]]:
    """Load a page; the console errors it logged."""
    path.write_text(page, encoding="utf-8")
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(path.as_uri())
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _text(driver: Any, element_id: str) -> str:
    from selenium.webdriver.common.by import By

    text: str = driver.find_element(By.ID, element_id).text
    return text


def test_report_renders_toggles_language_and_draws_the_calendar(
    browser: Any, tmp_path: Path
) -> None:
    """Headings and employee rows are in the DOM, nothing is logged as an error, the language
    button switches every label, and an employee's row opens on a 30-day calendar."""
    from selenium.webdriver.common.by import By

    result = load_policy().check(MONTH, *NOVEMBER)
    page = render_html(result, employees=result.employees)
    errors = _open(browser, page, tmp_path / "report.html")
    assert errors == []
    assert _text(browser, "totals-heading") == "总计"
    assert _text(browser, "employees-heading") == "员工"
    assert _text(browser, "by-rule-heading") == "按规则统计"
    meta = browser.find_element(By.CSS_SELECTOR, ".meta")
    assert meta.text == "期间：2026-11-01 至 2026-11-30"  # punctuated as the language is
    search = browser.find_element(By.ID, "employee-filter")
    assert search.get_attribute("placeholder") == "按编号、姓名或团队筛选"
    rows = browser.find_elements(By.CSS_SELECTOR, "#employee-table tr.row")
    assert len(rows) == 8
    assert "S001" in browser.find_element(By.ID, "employee-table").text
    assert "王伟" in browser.find_element(By.ID, "employee-table").text
    cited = browser.find_element(By.ID, "clause-list")  # the Labour Law, in the language
    assert "劳动法" in cited.text and "Labour Law" not in cited.text
    toggle = browser.find_element(By.ID, "lang-toggle")
    assert toggle.text == "English"
    toggle.click()
    assert _text(browser, "totals-heading") == "Totals"
    assert "Labour Law" in cited.text and "劳动法" not in cited.text
    assert toggle.text == "中文"
    assert meta.text == "Period: 2026-11-01 – 2026-11-30"
    assert search.get_attribute("aria-label") == "Filter by id, name or team"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    toggle.click()
    assert _text(browser, "totals-heading") == "总计"
    first = rows[0]
    first.find_element(By.CSS_SELECTOR, "button.toggle").click()
    days = browser.find_elements(By.CSS_SELECTOR, "tr.detail .month .day")
    assert len(days) == 30
    assert browser.find_elements(By.CSS_SELECTOR, "tr.detail .group li")
    filter_box = browser.find_element(By.ID, "employee-filter")
    filter_box.send_keys("王伟")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#employee-table tr.row")) == 1
    filter_box.clear()
    filter_box.send_keys(" ")  # an input event; blank matches everyone
    assert len(browser.find_elements(By.CSS_SELECTOR, "#employee-table tr.row")) == 8
    rows = browser.find_elements(By.CSS_SELECTOR, "#employee-table tr.row")
    rows[0].find_element(By.CSS_SELECTOR, "button.toggle").click()
    ARTIFACTS.mkdir(exist_ok=True)
    browser.set_window_size(1400, 2400)
    browser.execute_script("window.scrollTo(0, 0)")
    assert browser.save_screenshot(str(ARTIFACTS / "report.png"))
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_hostile_text_renders_as_text(browser: Any, tmp_path: Path) -> None:
    """A name that is a script, a team that is a formula and a destination that is an image
    tag show as their own text; nothing runs and no alert opens."""
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    inputs = hostile_inputs(tmp_path)
    result = load_policy().check(inputs, *NOVEMBER)
    page = render_html(result, employees=result.employees, lang="en")
    errors = _open(browser, page, tmp_path / "hostile.html")
    assert errors == []
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - reading it is the check
    assert len(browser.find_elements(By.TAG_NAME, "script")) == 2
    assert not browser.find_elements(By.CSS_SELECTOR, "main img, main svg:not(.bar)")
    cells = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "#employee-table td")]
    assert SCRIPT_NAME in cells and FORMULA_TEAM in cells
    row = next(
        r
        for r in browser.find_elements(By.CSS_SELECTOR, "#employee-table tr.row")
        if SCRIPT_NAME in r.text
    )
    row.find_element(By.CSS_SELECTOR, "button.toggle").click()
    detail = browser.find_element(By.CSS_SELECTOR, "tr.detail").text
    assert "<img src=x onerror=alert(3)>@rival.example" in detail
    assert "<svg onload=alert(4)>" in browser.find_element(By.ID, "files").text
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018


def test_characters_not_seen_as_themselves_show_as_escapes(browser: Any, tmp_path: Path) -> None:
    """An id holding a zero-width space, a mark that turns the direction of text, ESC or a
    line feed shows as the terminal shows it (``S001\\u200b``), the escape in a span of its
    own; the id "S001" beside them, CJK text and the markup in a name read as they are."""
    from selenium.webdriver.common.by import By

    result = load_policy().check(hidden_inputs(tmp_path), *NOVEMBER)
    page = render_html(result, employees=result.employees, lang="en")
    assert _open(browser, page, tmp_path / "hidden.html") == []
    rows = browser.find_elements(By.CSS_SELECTOR, "#employee-table tr.row")
    cells = {}  # the id cell's markup, by its text
    for row in rows:
        cell = row.find_elements(By.TAG_NAME, "td")[1]
        cells[cell.get_attribute("textContent")] = cell.get_attribute("innerHTML")
        if cell.text == "S001":
            name = row.find_elements(By.TAG_NAME, "td")[2]
    assert sorted(cells) == sorted([*HIDDEN_IDS.values(), "S001"])
    assert cells["S001"] == "S001"
    assert cells["S001\\u200b"] == 'S001<span class="esc">\\u200b</span>'
    assert cells["S\\u202e100"] == 'S<span class="esc">\\u202e</span>100'
    assert cells["E\\x1b[2J1"] == 'E<span class="esc">\\x1b</span>[2J1'
    assert cells["E1\\x0a2"] == 'E1<span class="esc">\\x0a</span>2'
    assert name.get_attribute("textContent") == HIDDEN_NAME.replace("\ufeff", "\\ufeff")
    assert name.find_elements(By.CSS_SELECTOR, "span.esc") and not name.find_elements(
        By.TAG_NAME, "b"
    )
    reject = browser.find_element(By.CSS_SELECTOR, "#rejects td:nth-child(4)")
    assert reject.get_attribute("innerHTML") == '<span class="esc">\\x1b</span>[31mred'
    # the reason in both languages, the page's shown (rejecttext), the escape in each
    reason = browser.find_element(By.CSS_SELECTOR, "#rejects td:nth-child(5)")
    english, chinese = (
        reason.find_element(By.CSS_SELECTOR, f"span.{lang}") for lang in ("en", "zh")
    )
    assert english.get_attribute("textContent").startswith("'\\x1b[31mred' is not a date-time (")
    assert chinese.get_attribute("textContent").startswith("“\\x1b[31mred”不是日期时间（应为 ISO")
    assert english.is_displayed() and not chinese.is_displayed()
    assert len(reason.find_elements(By.CSS_SELECTOR, "span.esc")) == 2
    mark = browser.find_element(By.CSS_SELECTOR, "#employee-table span.esc")
    assert mark.value_of_css_property("background-color") != "rgba(0, 0, 0, 0)"
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_a_rejected_value_cut_short_shows_in_the_pages_language(
    browser: Any, tmp_path: Path
) -> None:
    """A rejected row's value of 100,000 characters shows its first 300 and its length in the
    page's language (``htmlreport``), the other language's hidden; a short value as it is."""
    from selenium.webdriver.common.by import By

    punches = tmp_path / "punches.csv"
    punches.write_text(
        f"employee_id,at\nE1,{'x' * 100_000}\nE1,bad\nE1,2026-11-02T09:00:00+08:00\n",
        encoding="utf-8",
    )
    result = load_policy().check([str(punches)], *NOVEMBER)
    assert _open(browser, render_html(result, lang="en"), tmp_path / "cut.html") == []
    long, short = browser.find_elements(By.CSS_SELECTOR, "#rejects td:nth-child(4)")
    english, chinese = (long.find_element(By.CSS_SELECTOR, f"span.{lang}") for lang in ("en", "zh"))
    assert english.get_attribute("textContent") == f"{'x' * 300}... (100,000 characters)"
    assert chinese.get_attribute("textContent") == f"{'x' * 300}……（共 100,000 个字符）"
    assert english.is_displayed() and not chinese.is_displayed()
    assert short.get_attribute("innerHTML") == "bad"
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_day_tooltips_follow_the_language_button(browser: Any, tmp_path: Path) -> None:
    """A day's tooltip (its date, class and the rules of its findings) is in the page's
    language, in the calendars open when the button is pressed and in those opened after."""
    from selenium.webdriver.common.by import By

    result = load_policy().check(MONTH, *NOVEMBER)
    page = render_html(result, employees=result.employees)
    assert _open(browser, page, tmp_path / "report.html") == []

    def open_days(employee_id: str) -> list[Any]:
        row = next(
            r
            for r in browser.find_elements(By.CSS_SELECTOR, "#employee-table tr.row")
            if r.find_elements(By.TAG_NAME, "td")[1].text == employee_id
        )
        row.find_element(By.CSS_SELECTOR, "button.toggle").click()
        detail = row.find_element(By.XPATH, "following-sibling::tr[1]")
        days: list[Any] = detail.find_elements(By.CSS_SELECTOR, ".month .day")
        return days

    days = open_days("S001")  # Sunday the 1st is a rest day; late on Wednesday the 4th
    assert days[0].get_attribute("title") == "2026-11-01 休息日"
    assert days[3].get_attribute("title").startswith("2026-11-04 迟到 — ")
    assert "ATT-LATE" in days[3].get_attribute("title")
    toggle = browser.find_element(By.ID, "lang-toggle")
    toggle.click()
    assert days[0].get_attribute("title") == "2026-11-01 Rest day"
    assert days[3].get_attribute("title").startswith("2026-11-04 Late — ")
    assert "ATT-LATE" in days[3].get_attribute("title")
    assert open_days("S002")[0].get_attribute("title") == "2026-11-01 Rest day"
    toggle.click()
    assert days[0].get_attribute("title") == "2026-11-01 休息日"
    assert all("Rest day" not in d.get_attribute("title") for d in days)


def test_scores_show_to_2_decimals_and_sort_as_numbers(browser: Any, tmp_path: Path) -> None:
    """The score cells read as in the score table (114.00, 3,960.00), and a column of them
    still sorts by the numbers: E2, 93,500 of 100,000 (1% of it, 935.00, and a missed target,
    which puts E2 first), comes after E1's 3,960.00 by commission, where the texts would put
    "935.00" first.  The heading sorted by shows which way (▼ from the highest, ▲)."""
    from selenium.webdriver.common.by import By

    second = [
        dict(SCORED_MONTH[0], employee_id="E2"),
        dict(SCORED_MONTH[1], order_id="O9", employee_id="E2", customer_id="K9", amount=93500),
    ]
    scores = score(load_policy(), [*SCORED_MONTH, *second], "2026-11")
    page = render_html(scores.check, scores=scores, lang="en")
    assert _open(browser, page, tmp_path / "scores.html") == []

    def rows() -> list[list[str]]:
        found = browser.find_elements(By.CSS_SELECTOR, "#employee-table tr.row")
        return [[td.text for td in row.find_elements(By.TAG_NAME, "td")] for row in found]

    first = next(r for r in rows() if r[1] == "E1")
    assert first[-len(SCORED_CELLS) :] == SCORED_CELLS
    heading = next(
        th
        for th in browser.find_elements(By.CSS_SELECTOR, "#employee-table th")
        if th.text == "Commission"
    )
    assert [r[1] for r in rows()] == ["E2", "E1"]  # the one with a finding first
    heading.click()  # a number column sorts from the highest
    assert [(r[1], r[-4]) for r in rows()] == [("E1", "3,960.00"), ("E2", "935.00")]
    # the heading says the rows are sorted by it, and which way
    assert heading.get_attribute("aria-sort") == "descending" and heading.text.endswith("▼")
    heading.click()
    assert [r[1] for r in rows()] == ["E2", "E1"]
    assert heading.get_attribute("aria-sort") == "ascending" and heading.text.endswith("▲")
    others = browser.find_elements(By.CSS_SELECTOR, "#employee-table th[aria-sort]")
    assert others == [heading]
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_a_commission_of_every_digit_shows_and_sorts_as_its_number(
    browser: Any, tmp_path: Path
) -> None:
    """Commissions a float would write otherwise (987,654,321,098,765,432.11, a float's
    987,654,321,098,765,440.00) come as their texts and show every digit; sorted, they go by
    their numbers among the numbers: E3's 1,234,567,890,123,456,789.00 above E2's, where the
    texts would put "987..." first, and E1's 3,960.00 last (test_scoring_exact_outputs)."""
    from selenium.webdriver.common.by import By
    from test_scoring_exact_outputs import COMMISSION, E3_COMMISSION, e2_records, e3_records

    scores = score(load_policy(), [*SCORED_MONTH, *e2_records(), *e3_records()], "2026-11")
    page = render_html(scores.check, scores=scores, lang="en")
    assert _open(browser, page, tmp_path / "exact.html") == []
    heading = next(
        th
        for th in browser.find_elements(By.CSS_SELECTOR, "#employee-table th")
        if th.text == "Commission"
    )
    heading.click()  # from the highest
    found = browser.find_elements(By.CSS_SELECTOR, "#employee-table tr.row")
    cells = [[td.text for td in row.find_elements(By.TAG_NAME, "td")] for row in found]
    assert [(r[1], r[-4]) for r in cells] == [
        ("E3", f"{E3_COMMISSION:,f}"),
        ("E2", f"{COMMISSION:,f}"),
        ("E1", "3,960.00"),
    ]
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_a_page_without_findings_says_so_in_both_languages(browser: Any, tmp_path: Path) -> None:
    """SCORED_MONTH has no finding: the page says so under Totals, Findings by rule and
    Handbook clauses, in the language its button shows, and draws no table without rows (it
    drew an empty table by rule set, and a column of zeros by severity) and no line on the
    caps of findings to show."""
    from selenium.webdriver.common.by import By

    scores = score(load_policy(), SCORED_MONTH, "2026-11")
    assert len(scores.check) == 0
    page = render_html(scores.check, scores=scores)
    assert _open(browser, page, tmp_path / "none.html") == []
    tables = browser.find_elements(By.CSS_SELECTOR, "main table")
    assert len(tables) == 3  # totals, record types, employees
    assert all(t.find_elements(By.CSS_SELECTOR, "tbody tr") for t in tables)
    headings = [t.find_element(By.TAG_NAME, "th").text for t in tables]
    assert headings == ["总计", "记录类型", ""]  # the employees' first column is the arrow
    toggle = browser.find_element(By.ID, "lang-toggle")
    for none_found, none_cited in (
        ("本报告没有任何发现。", "没有任何发现，因此没有引用的条款。"),
        ("This report has no findings.", "No findings, so no clause is cited."),
    ):
        assert _text(browser, "totals").splitlines()[1] == none_found
        assert _text(browser, "chart") == none_found
        assert _text(browser, "clause-list") == none_cited
        assert _text(browser, "caps") == ""
        toggle.click()
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


#: the screens a report is read on: a laptop, a desktop, a phone
WIDTHS = (390, 1366, 1920)
#: the lines of each table heading shown, and its words
HEADING_LINES = """
return Array.from(document.querySelectorAll("th")).map(function (th) {
  var shown = Array.from(th.querySelectorAll(".zh, .en")).filter(function (s) {
    return s.offsetParent !== null;
  })[0];
  if (!shown) { return [th.textContent, 0, 0]; }
  var range = document.createRange(), tops = {};
  range.selectNodeContents(shown);
  Array.from(range.getClientRects()).forEach(function (r) { tops[Math.round(r.top)] = 1; });
  return [shown.textContent, Object.keys(tops).length, shown.textContent.split(/\\s+/).length];
});
"""


#: the lines of each input file's name in the header, and the lines of them all
FILE_LINES = """
var names = Array.from(document.querySelectorAll("#files .file")), tops = {};
return [names.map(function (name) {
  var box = name.getBoundingClientRect();
  tops[Math.round(box.top)] = 1;
  return Math.round(box.height / parseFloat(getComputedStyle(name).lineHeight));
}), Object.keys(tops).length];
"""


def test_headings_break_between_words_only(browser: Any, tmp_path: Path) -> None:
    """At 1366 and 1920 pixels and on a phone (390), in Chinese and English, a table's
    heading breaks only between its words: 迟到天数 was drawn one character a line in the
    employee table of the example month with its scores.  On the phone the table scrolls
    sideways in its box, and the page itself is no wider than the screen.  The line of input
    files in the header breaks between names, not within one (examples/novemb|er-2026)."""
    from selenium.webdriver.common.by import By

    files = sorted(str(p) for p in ROOT.glob("examples/november-2026*/*.csv"))
    scores = score(load_policy(), files, "2026-11")
    page = render_html(scores.check, scores=scores, employees=scores.check.employees)
    path = tmp_path / "widths.html"
    try:
        for width in WIDTHS:
            browser.set_window_size(width, 1000)
            assert _open(browser, page, path) == []
            for rank in ("团队排名", "Team rank"):
                headings = browser.execute_script(HEADING_LINES)
                assert len(headings) > 20 and rank in {h[0] for h in headings}
                broken = [(text, lines) for text, lines, words in headings if lines > words]
                assert broken == [], (width, broken)
                browser.find_element(By.ID, "lang-toggle").click()
            screen, drawn = browser.execute_script(
                "var d = document.documentElement; return [d.clientWidth, d.scrollWidth]"
            )
            assert drawn <= screen, width
            if width > 1000:  # each name fits on a line of its own
                names, lines = browser.execute_script(FILE_LINES)
                assert len(names) == 20 and set(names) == {1} and lines > 1, width
            if width < 1000:  # the phone: the table is wider than the screen, and scrolls
                table = browser.find_element(By.ID, "employee-table")
                box = table.find_element(By.XPATH, "..")
                assert box.get_property("scrollWidth") > box.get_property("clientWidth")
    finally:
        browser.set_window_size(1400, 1000)


def _luminance(css_colour: str) -> float:
    """WCAG's relative luminance of an ``rgb(...)``/``rgba(...)`` colour."""
    channels = [int(c) / 255 for c in css_colour[css_colour.index("(") + 1 : -1].split(",")[:3]]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_a_month_is_said_once_and_the_input_files_can_be_read(browser: Any, tmp_path: Path) -> None:
    """S006's DIS-REPEATED-LATE finding is of the month, whose Chinese message opens with it
    ("2026-11 迟到 3 次..."): the page wrote "2026-11 2026-11 迟到"; the English message does
    not open with it and keeps it in front.  The input files in the header were grey on the
    header's dark blue (a contrast of 1.8): they read at WCAG's 4.5 at least."""
    from selenium.webdriver.common.by import By

    result = load_policy().check(MONTH, *NOVEMBER)
    assert (
        _open(browser, render_html(result, employees=result.employees), tmp_path / "m.html") == []
    )
    row = next(
        r
        for r in browser.find_elements(By.CSS_SELECTOR, "#employee-table tr.row")
        if r.find_elements(By.TAG_NAME, "td")[1].text == "S006"
    )
    row.find_element(By.CSS_SELECTOR, "button.toggle").click()
    detail = row.find_element(By.XPATH, "following-sibling::tr[1]")
    group = next(
        g for g in detail.find_elements(By.CSS_SELECTOR, ".group") if "DIS-REPEATED-LATE" in g.text
    )
    toggle = browser.find_element(By.ID, "lang-toggle")
    assert group.find_element(By.TAG_NAME, "li").text.startswith("2026-11 迟到 3 次（2026-11-12")
    toggle.click()
    assert group.find_element(By.TAG_NAME, "li").text.startswith("2026-11 late arrivals in 2026-11")
    toggle.click()
    files = browser.find_element(By.ID, "files")
    header = browser.find_element(By.TAG_NAME, "header")
    light, dark = sorted(
        (
            _luminance(files.value_of_css_property("color")),
            _luminance(header.value_of_css_property("background-color")),
        ),
        reverse=True,
    )
    assert (light + 0.05) / (dark + 0.05) >= 4.5
