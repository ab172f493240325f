"""A real streamlit server and a real Chromium (Playwright): the editor's journey, two tabs on one
segment, and a server killed right after an acknowledged action. Temp DB, temp glossary folder."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from review.app import service as svc
from review.store import Store
from tests.ui_helpers import CHROMIUM, CHROMIUM_ARGS, READY, ROOT, SAMPLE, Server, glossary_copy, sample_segment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Chromium not installed at {CHROMIUM}"),
]

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (Python) is not installed")
expect = sync_api.expect
TIMEOUT = 15_000
expect.set_options(timeout=TIMEOUT)


@pytest.fixture(scope="module")
def chrome():
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def env(tmp_path):
    return {"REVIEW_DB_URL": f"sqlite:///{tmp_path / 'review.db'}",
            "REVIEW_GLOSSARY_DIR": str(glossary_copy(tmp_path)),
            "REVIEW_OPEN_FILE": str(SAMPLE)}


@pytest.fixture()
def server(env, tmp_path):
    srv = Server(env, log=tmp_path / "streamlit.log").start()
    yield srv
    srv.stop()


@pytest.fixture()
def tabs(chrome):
    ctx = chrome.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    ctx.set_default_timeout(TIMEOUT)
    yield ctx
    ctx.close()


@pytest.fixture()
def artifacts(tmp_path_factory):
    return tmp_path_factory.mktemp("test-artifacts")


def open_app(page, url: str):
    page.goto(url)
    page.wait_for_selector(READY, timeout=30_000)
    expect(page.locator(".st-key-seg-0")).to_be_visible()
    page.wait_for_selector(READY, timeout=30_000)
    return page


def goto_segment_page(page, index: int) -> None:
    n = index // svc.PAGE_SIZE + 1
    box = page.locator(".st-key-page input")
    box.fill(str(n))
    box.press("Enter")
    expect(page.locator(f".st-key-seg-{index}")).to_be_visible()
    page.wait_for_selector(READY, timeout=30_000)


def edit_and_save(page, index: int, text: str) -> None:
    area = page.locator(f".st-key-edit-{index} textarea")
    area.fill(text)
    page.locator(f".st-key-save-{index} button").click()


def nav(page, title: str) -> None:
    page.get_by_role("link", name=title).first.click()
    page.wait_for_selector(READY, timeout=30_000)


def doc_id_of(page) -> int:
    m = re.search(r"[?&]doc=(\d+)", page.url)
    assert m, page.url
    return int(m.group(1))


def test_editor_journey(server, env, tabs, artifacts):
    page = open_app(tabs.new_page(), server.url)
    doc_id = doc_id_of(page)

    # 1. apply the "waving military support" suggestion
    i = sample_segment("waving military support")
    goto_segment_page(page, i)
    seg = page.locator(f".st-key-seg-{i}")
    expect(seg.locator("mark.review-flag", has_text="waving")).to_be_visible()
    seg.get_by_role("button", name="Apply: leading", exact=True).click()
    expect(page.locator(f".st-key-edit-{i} textarea")).to_have_value(re.compile("in leading military support"))
    expect(seg.locator("ins", has_text="leading")).to_be_visible()

    # screenshot of the review screen
    shot = ROOT / "docs" / "screenshot-review.png"
    page.screenshot(path=str(artifacts / "review.png"), full_page=False)
    if not shot.exists() or os.environ.get("REVIEW_UPDATE_SCREENSHOT") == "1":
        shot.parent.mkdir(exist_ok=True)
        shutil.copyfile(artifacts / "review.png", shot)

    # 2. dismiss a finding (the first one on this page that is not in segment i)
    first = page.locator('[class*="st-key-dismiss-"]').first
    key = re.search(r"st-key-(dismiss-(\d+)-\d+)", first.get_attribute("class")).group(1)
    j = int(key.split("-")[1])
    before = page.locator(f'[class*="st-key-dismiss-{j}-"]').count()
    first.get_by_role("button", name="Dismiss").click()
    expect(page.locator(f'[class*="st-key-dismiss-{j}-"]')).to_have_count(before - 1)

    # 3. edit a segment freely and save
    k = (i // svc.PAGE_SIZE) * svc.PAGE_SIZE + (1 if i % svc.PAGE_SIZE != 1 else 2)
    edit_and_save(page, k, "An editor rewrote this sentence.")
    expect(page.get_by_text(f"Segment {k + 1} saved")).to_be_visible()

    # 4. reload: a new session sees everything
    page.reload()
    page.wait_for_selector(READY, timeout=30_000)
    assert doc_id_of(page) == doc_id
    goto_segment_page(page, i)
    expect(page.locator(f".st-key-edit-{i} textarea")).to_have_value(re.compile("in leading military support"))
    expect(page.locator(f".st-key-edit-{k} textarea")).to_have_value("An editor rewrote this sentence.")
    expect(page.locator(f'[class*="st-key-dismiss-{j}-"]')).to_have_count(before - 1)

    # 5. add a deprecated glossary term and see it flagged
    nav(page, "Glossary")
    page.locator(".st-key-g-term input").fill("strategic enemy")
    page.locator(".st-key-g-replacement input").fill("adversary")
    page.locator(".st-key-g-add button").click()
    expect(page.get_by_text("Added ui-strategic-enemy")).to_be_visible()
    assert "strategic enemy" in (Path(env["REVIEW_GLOSSARY_DIR"]) / svc.ADDITIONS_FILE).read_text(encoding="utf-8")
    nav(page, "Review")
    s = sample_segment("strategic enemy")
    goto_segment_page(page, s)
    expect(page.locator(f".st-key-seg-{s}").get_by_role("button", name="Apply: adversary", exact=True)).to_be_visible()

    # 6. export the corrected text and read it
    nav(page, "Export")
    with page.expect_download() as dl:
        page.locator(".st-key-dl-text button").click()
    text = Path(dl.value.path()).read_text(encoding="utf-8")
    original = SAMPLE.read_text(encoding="utf-8")
    assert "in leading military support" in text and "An editor rewrote this sentence." in text
    assert text.count("\n") == original.count("\n")
    assert dl.value.suggested_filename == "nhk-nato-madrid-2022.ja-en.corrected.txt"


def test_two_tabs_conflict(server, env, tabs):
    a = open_app(tabs.new_page(), server.url)
    doc_id = doc_id_of(a)
    b = open_app(tabs.new_page(), f"{server.url}/?doc={doc_id}")
    edit_and_save(a, 2, "Text from tab A.")
    expect(a.get_by_text("Segment 3 saved")).to_be_visible()
    edit_and_save(b, 2, "Text from tab B.")
    warning = b.locator('[data-testid="stAlertContentWarning"]')
    expect(warning).to_contain_text("nothing was overwritten")
    expect(warning).to_contain_text("Text from tab A")
    expect(b.locator(".st-key-edit-2 textarea")).to_have_value("Text from tab B.")
    store = Store(env["REVIEW_DB_URL"])
    assert store.segment(doc_id, 2).target == "Text from tab A."
    store.close()


def test_killed_server_keeps_acknowledged_action(server, env, tabs, tmp_path):
    page = open_app(tabs.new_page(), server.url)
    doc_id = doc_id_of(page)
    edit_and_save(page, 0, "Saved just before the crash.")
    expect(page.get_by_text("Segment 1 saved")).to_be_visible()
    server.kill()
    page.close()
    again = Server(env, log=tmp_path / "streamlit-2.log").start()
    try:
        p2 = open_app(tabs.new_page(), f"{again.url}/?doc={doc_id}")
        expect(p2.locator(".st-key-edit-0 textarea")).to_have_value("Saved just before the crash.")
    finally:
        again.stop()
