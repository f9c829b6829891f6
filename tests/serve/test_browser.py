"""A reader in a real browser (headless Chromium): front page, a story, a citation, the highlighted source.

JavaScript is switched off in the browser: the pages must work without it. Screenshots go to a temporary
folder, or to ``$TIDINGS_SCREENSHOTS`` (``TIDINGS_SCREENSHOTS=docs/screenshots`` refreshes the README's).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tidings.serve import analysis, create_app

from .conftest import TOKEN, Fixture, config
from .live import running

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip(
        "no browser: install Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)",
        allow_module_level=True,
    )
webdriver = pytest.importorskip("selenium.webdriver", reason="the browser test needs selenium (the serve extra)")
from selenium.webdriver.common.by import By  # noqa: E402

FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
    "--disable-component-update --disable-sync --disable-dev-shm-usage --hide-scrollbars --force-device-scale-factor=1"
)


def _chromium(javascript: bool) -> Iterator[webdriver.Chrome]:
    profile = tempfile.mkdtemp(prefix="tidings-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS.split():
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument("--window-size=1100,1300")
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    """A reader's browser with JavaScript off: the pages must work without it."""
    yield from _chromium(javascript=False)


@pytest.fixture
def scripting_browser() -> Iterator[webdriver.Chrome]:
    yield from _chromium(javascript=True)


@pytest.fixture
def shots(tmp_path: Path) -> Callable[[webdriver.Chrome, str], Path]:
    folder = Path(os.environ.get("TIDINGS_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)

    def shoot(driver: webdriver.Chrome, name: str) -> Path:
        path = folder / f"{name}.png"
        assert driver.save_screenshot(str(path))
        return path

    return shoot


def _wait(condition: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting in the browser")
        time.sleep(0.2)


def test_a_reader_follows_a_story_to_a_cited_source(archive_copy: Fixture, browser, shots):
    app = create_app(archive_copy.path, config(worker=True, poll_every=0, summary_delay=0.05), TOKEN)
    with running(app) as base:
        browser.get(base + "/")
        assert browser.title == "Stories — tidings"
        assert browser.find_element(By.TAG_NAME, "h1").text == "Current stories"
        assert "How this page is ordered." in browser.find_element(By.CSS_SELECTOR, ".rule").text
        card = browser.find_element(By.CSS_SELECTOR, "ol.stories article")
        assert "3 articles from 2 independent sources" in card.text  # the bridge story: the newest day
        shots(browser, "front")

        browser.get(base + "/?from=2019-01-01")  # every story of the fixture, ranked
        cards = browser.find_elements(By.CSS_SELECTOR, "ol.stories article")
        assert len(cards) == 4
        shots(browser, "front-all")
        [card] = [c for c in cards if "5 articles from 5 independent sources" in c.text]  # the seed story, 2019
        title = card.find_element(By.CSS_SELECTOR, "h2 a").text

        card.find_element(By.CSS_SELECTOR, "h2 a").click()
        _wait(lambda: f"/stories/{archive_copy.seed_story}" in browser.current_url)
        assert browser.find_element(By.TAG_NAME, "h1").text == title
        if analysis.available():  # queued on the first view; the page refreshes itself when it is ready
            _wait(lambda: "Who said what" in browser.page_source, 60)
        paragraphs = browser.find_elements(By.CSS_SELECTOR, "section.summary p:not(.basis):not(.note)")
        assert len(paragraphs) >= 3
        first_cite = paragraphs[0].find_element(By.CSS_SELECTOR, "a.cite")
        hover = first_cite.get_attribute("title")
        assert " — " in hover  # outlet, date and title on hover
        sentence = paragraphs[0].text.removesuffix(first_cite.text).strip()
        groups = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "section h3")]
        assert "5 independent reports" in groups
        assert len(browser.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=timeline-h] li")) == 5
        originals = browser.find_elements(By.CSS_SELECTOR, "a.original")
        assert all(a.get_attribute("href").startswith("http") for a in originals)  # local files have none
        shots(browser, "story")

        first_cite.click()
        _wait(lambda: browser.current_url.endswith("#s1"))
        mark = browser.find_element(By.CSS_SELECTOR, "mark#s1")
        assert mark.text == sentence  # the very sentence the summary quoted, highlighted in its source
        assert mark.is_displayed()
        assert mark.rect["y"] < 1300  # the page scrolled to it
        assert "summary uses" in browser.find_element(By.CSS_SELECTOR, ".legend").text
        shots(browser, "source")

        search = browser.find_element(By.ID, "q")
        search.send_keys("Vladivostok")
        search.submit()
        _wait(lambda: "/search?q=Vladivostok" in browser.current_url)
        assert browser.find_elements(By.CSS_SELECTOR, "ol.results mark")

        browser.set_window_size(390, 844)  # a phone
        browser.get(base + "/")
        body = browser.find_element(By.TAG_NAME, "body")
        assert body.rect["width"] <= 390  # nothing wider than the screen
        assert browser.find_element(By.CSS_SELECTOR, "ol.stories h2 a").is_displayed()
        shots(browser, "phone")


def test_api_docs_work_offline_under_the_content_security_policy(built_archive: Fixture, scripting_browser, shots):
    app = create_app(built_archive.path, config(), TOKEN)
    with running(app) as base:
        scripting_browser.get(base + "/docs")
        _wait(lambda: len(scripting_browser.find_elements(By.CSS_SELECTOR, ".opblock")) >= 5)
        paths = {e.text for e in scripting_browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")}
        assert "/api/stories" in paths and "/api/search" in paths
        refused = [
            e["message"] for e in scripting_browser.get_log("browser") if "Content Security Policy" in e["message"]
        ]
        assert refused == []
        shots(scripting_browser, "api-docs")


def test_a_returning_reader_sees_what_is_new_and_can_follow_the_story(archive_copy: Fixture, browser, shots):
    """The visit cookie is set on the first view; articles that arrive later are news on the next one."""
    from datetime import UTC, datetime, timedelta

    from tidings.store import Archive

    story = archive_copy.bridge_story
    t0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    with Archive(archive_copy.path) as archive, archive.transaction():
        archive.conn.execute("UPDATE documents SET ingested_at = ?", (t0.isoformat(),))
    app = create_app(archive_copy.path, config(), TOKEN)
    with running(app) as base:
        browser.get(f"{base}/stories/{story}")
        assert not browser.find_elements(By.CSS_SELECTOR, "section.new")  # first visit: nothing to compare
        assert browser.get_cookie(f"seen_{story}")
        # the reader last came at t0 + 1h; the Courier's report arrived at t0 + 2h
        browser.add_cookie(
            {"name": f"seen_{story}", "value": (t0 + timedelta(hours=1)).isoformat(), "path": f"/stories/{story}"}
        )
        with Archive(archive_copy.path) as archive, archive.transaction():
            archive.conn.execute(
                "UPDATE documents SET ingested_at = ? WHERE title = 'Cars back on Riverside bridge'",
                ((t0 + timedelta(hours=2)).isoformat(),),
            )
        browser.get(f"{base}/stories/{story}")
        new = browser.find_element(By.CSS_SELECTOR, "section.new")
        assert new.find_element(By.TAG_NAME, "h2").text.startswith("NEW SINCE YOUR LAST VISIT")
        assert "52 million" in new.text and new.find_elements(By.CSS_SELECTOR, "a.cite")
        assert new.rect["y"] < browser.find_element(By.ID, "summary-h").rect["y"]  # news first
        shots(browser, "story-new")
        feeds = browser.find_elements(By.CSS_SELECTOR, "link[rel=alternate][type='application/atom+xml']")
        assert {f.get_attribute("href") for f in feeds} == {f"{base}/feed.atom", f"{base}/stories/{story}/feed.atom"}
        follow = browser.find_element(By.LINK_TEXT, "Follow (Atom feed)")
        assert follow.get_attribute("href") == f"{base}/stories/{story}/feed.atom"
        browser.get(follow.get_attribute("href"))
        assert "The story began" in browser.page_source and "Update" in browser.page_source
