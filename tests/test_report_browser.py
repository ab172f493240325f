"""The HTML report of the sample in a real browser (Debian's Chromium via Playwright): it renders,
nothing from the document is executed or unescaped, and it works offline."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.ui_helpers import CHROMIUM, CHROMIUM_ARGS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Chromium not installed at {CHROMIUM}"),
]

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT = ROOT / "docs" / "screenshot-report.png"


def _report(tmp_path: Path, sample_path: Path, inject: bool = True) -> Path:
    from review import mqm, report
    from review.engine import Engine
    from review.io import load_bytes

    text = sample_path.read_text(encoding="utf-8")
    name = sample_path.name
    if inject:
        text += '\n\nThe minister said <script>window.__pwned = 1</script> and <img src=x onerror="window.__pwned = 2"> too too.\n'
        name = "nhk-sample-with-markup.txt"
    doc = load_bytes(text.encode("utf-8"), name)
    engine = Engine.from_options()
    findings = report.run_checks(engine, doc)
    page = report.build_html(doc, findings, mqm.scorecard(doc, findings))
    out = tmp_path / ("report-markup.html" if inject else "report.html")
    out.write_text(page, encoding="utf-8")
    return out


def test_report_renders_escaped_and_offline(tmp_path, sample_path):
    from playwright.sync_api import sync_playwright

    html_file = _report(tmp_path, sample_path)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(html_file.as_uri())
            page.wait_for_load_state("load")
            # it renders: the summary, the scorecard, charts and every segment are there
            assert page.locator("svg").count() >= 2
            assert page.locator("section.seg").count() >= 50
            assert page.get_by_text("waving", exact=False).first.is_visible()
            # nothing from the document ran, and the markup is shown as text
            assert page.evaluate("window.__pwned === undefined")
            assert page.locator("section.seg script").count() == 0
            assert page.locator("section.seg img").count() == 0
            shown = page.evaluate("""[...document.querySelectorAll('div.tgt')].map(d => {
                const c = d.cloneNode(true); c.querySelectorAll('sup').forEach(s => s.remove());
                return c.textContent; }).join('\\n')""")  # the text as shown, without footnote numbers
            assert '<script>window.__pwned = 1</script> and <img src=x onerror="window.__pwned = 2">' in shown
            # self-contained: no request other than the file itself
            assert all(u.startswith("file:") or u.startswith("data:") for u in requests), requests
            # readable when printed: segments with findings print, clean ones are left out
            page.emulate_media(media="print")
            assert page.locator("section.seg:not(.clean)").first.is_visible()
            if page.locator("section.seg.clean").count():
                assert not page.locator("section.seg.clean").first.is_visible()
            page.emulate_media(media="screen")
            page.goto(_report(tmp_path, sample_path, inject=False).as_uri())  # the plain sample, for the README
            page.wait_for_load_state("load")
            shot = tmp_path / "screenshot-report.png"
            page.screenshot(path=str(shot), full_page=False)
            if not SCREENSHOT.exists() or os.environ.get("REVIEW_UPDATE_SCREENSHOT"):
                SCREENSHOT.parent.mkdir(exist_ok=True)
                shutil.copyfile(shot, SCREENSHOT)
        finally:
            browser.close()
