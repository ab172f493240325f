"""The Streamlit app through AppTest (headless): a real SQLite file and a temp glossary folder."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from review.app import service as svc
from review.store import Store
from tests.ui_helpers import APP, SAMPLE, apply_button, sample_segment


def _app(doc: int | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    if doc is not None:
        at.query_params["doc"] = str(doc)
    return at.run()


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _keys(at: AppTest, prefix: str) -> list[str]:
    return [b.key for b in at.button if b.key and b.key.startswith(prefix)]


def _goto(at: AppTest, index: int) -> AppTest:
    """Show the page that holds segment ``index``."""
    at.number_input(key="page").set_value(index // svc.PAGE_SIZE + 1).run()
    return at


def test_sample_opens_with_findings(env):
    at = _app()
    _ok(at)
    doc_id = int(at.query_params["doc"])
    assert Store(env["url"]).get_document(doc_id).name == SAMPLE.name
    html = "".join(m.value for m in at.markdown)
    assert 'class="review-flag' in html
    assert len(at.text_area) == svc.PAGE_SIZE  # paged, not the whole document
    assert _keys(at, "apply-") and _keys(at, "dismiss-")
    assert any(m.label == "Open findings" and int(m.value) > 0 for m in at.metric)


def test_apply_waving_suggestion(env):
    i = sample_segment("waving")
    at = _goto(_app(), i)
    _ok(at)
    btn = apply_button(at, i, "Apply: leading")
    btn.click().run()
    _ok(at)
    assert "in leading military support" in at.text_area(key=f"edit-{i}").value
    doc_id = int(at.query_params["doc"])
    store = Store(env["url"])
    row = store.segment(doc_id, i)
    assert "in leading military support" in row.target and row.version == 2 and row.editor == "editor"
    assert [(d.rule, d.action, d.suggestion) for d in store.decisions(doc_id)] == [("EN-IDIOM-001", "applied", "leading")]
    assert store.revisions(doc_id, i)[-1].action == "apply"
    # re-checked: the finding is gone, the post-edit diff is shown
    assert not any(b.label == "Apply: leading" for b in at.button if b.key and b.key.startswith(f"apply-{i}-"))
    assert any("<ins" in m.value and "leading" in m.value for m in at.markdown)
    assert any("HTER" in c.value for c in at.caption)


def test_dismiss_and_never(env):
    at = _app()
    key = _keys(at, "dismiss-")[0]
    i = int(key.split("-")[1])
    before = len(_keys(at, f"dismiss-{i}-"))
    at.button(key=key).click().run()
    _ok(at)
    doc_id = int(at.query_params["doc"])
    store = Store(env["url"])
    assert len(store.dismissed(doc_id)) == 1
    assert len(_keys(at, f"dismiss-{i}-")) == before - 1
    never = _keys(at, "never-")[0]
    at.button(key=never).click().run()
    _ok(at)
    assert len(store.project_dismissals()) == 1


def test_edit_save_and_mark_reviewed(env):
    at = _app()
    at.text_area(key="edit-0").set_value("As the war goes on, NATO leaders meet in Madrid on June 29.")
    at.button(key="save-0").click().run()
    _ok(at)
    doc_id = int(at.query_params["doc"])
    store = Store(env["url"])
    row = store.segment(doc_id, 0)
    assert row.target.startswith("As the war goes on") and row.version == 2
    assert any("saved" in s.value for s in at.success)
    at.button(key="reviewed-0").click().run()
    assert store.segment(doc_id, 0).reviewed
    # a new session (browser refresh) on the same URL sees everything
    again = _app(doc_id)
    assert again.text_area(key="edit-0").value.startswith("As the war goes on")
    assert again.button(key="reviewed-0").label == "Reopen"


def test_conflict_keeps_both(env):
    at = _app()
    doc_id = int(at.query_params["doc"])
    store = Store(env["url"])
    store.save_segment(doc_id, 1, "Other tab's text.", 1, "bob")  # saved underneath this session
    at.text_area(key="edit-1").set_value("My text.")
    at.button(key="save-1").click().run()
    _ok(at)
    warn = " ".join(w.value for w in at.warning)
    assert "bob" in warn and "Other tab" in warn and "nothing was overwritten" in warn
    assert store.segment(doc_id, 1).target == "Other tab's text."
    assert at.text_area(key="edit-1").value == "My text."
    at.button(key="overwrite-1").click().run()
    _ok(at)
    row = store.segment(doc_id, 1)
    assert row.target == "My text." and row.version == 3
    assert not at.warning


def test_html_is_escaped(env):
    store = Store(env["url"])
    data = b"<script>alert('x')</script> and <b>bold</b> $5 and $6.\n"
    doc_id = svc.open_upload(store, data, "evil.txt")
    at = _app(doc_id)
    _ok(at)
    html = "\n".join(m.value for m in at.markdown)
    assert "<script>" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert" in html and "bold&lt;/b&gt;" in html


def test_upload_errors_and_success(env):
    at = _app()
    at.switch_page("views/documents.py").run()
    _ok(at)
    at.file_uploader(key="upload").set_value(("bad.txt", b"\x00\x01\x02binary\x00" * 50, "text/plain")).run()
    _ok(at)
    assert any("binary" in e.value for e in at.error)
    at.file_uploader(key="upload").set_value(("bad.tsv", b"a\tb\nc\td\n", "text/tab-separated-values")).run()
    assert any("target" in e.value for e in at.error)
    tsv = "source\ttarget\n北大西洋条約機構\tNorth Atlantic Treaty Organization\n".encode("utf-16")
    at.file_uploader(key="upload").set_value(("pair.tsv", tsv, "text/tab-separated-values")).run()
    _ok(at)
    names = [d.name for d in Store(env["url"]).list_documents()]
    assert "pair.tsv" in names
    assert at.query_params["doc"] == str(max(d.id for d in Store(env["url"]).list_documents()))


def test_glossary_add_term(env):
    at = _app()
    at.switch_page("views/glossary.py").run()
    _ok(at)
    at.text_input(key="g-term").set_value("strategic enemy")
    at.selectbox(key="g-status").set_value("deprecated")
    at.text_input(key="g-replacement").set_value("adversary")
    next(b for b in at.button if b.label == "Add term").click().run()
    _ok(at)
    tbx = env["gdir"] / svc.ADDITIONS_FILE
    assert tbx.is_file() and "strategic enemy" in tbx.read_text(encoding="utf-8")
    edits = Store(env["url"]).glossary_edits()
    assert edits and edits[-1]["concept_id"].startswith("ui-strategic-enemy")
    at.text_input(key="g-search").set_value("strategic enemy").run()
    assert "adversary" in at.dataframe[0].value.to_string()
    # the engine uses the new term at once: the sample's "strategic enemy" is flagged
    at.switch_page("views/review.py").run()
    at.text_input(key="f-search").set_value("strategic enemy").run()
    _ok(at)
    i = sample_segment("strategic enemy")
    assert any(b.label == "Apply: adversary" for b in at.button if b.key and b.key.startswith(f"apply-{i}-"))


def test_dashboard_and_export_pages(env):
    at = _app()
    i = sample_segment("waving")
    _goto(at, i)
    apply_button(at, i, "Apply: leading").click().run()
    at.switch_page("views/dashboard.py").run()
    _ok(at)
    assert any(m.label == "Edited" and m.value == "1" for m in at.metric)
    at.switch_page("views/export.py").run()
    _ok(at)
    assert len(at.get("download_button")) == 4


# -- the library behind the pages --------------------------------------------------------------------
def test_findings_cache_rechecks_only_edited_segments(env, engine):
    store = Store(env["url"])
    doc_id = svc.open_path(store, SAMPLE)
    cache = svc.FindingsCache()
    rows = store.segments(doc_id)
    first = svc.compute_findings(engine, doc_id, svc.current_document(store, doc_id, rows), rows, cache)
    i = sample_segment("waving")
    f = next(f for f in first[i] if f.text == "waving")
    svc.apply_finding(store, doc_id, f, "leading", 1, "ann")
    rows = store.segments(doc_id)
    again = svc.compute_findings(engine, doc_id, svc.current_document(store, doc_id, rows), rows, cache)
    assert cache.full_runs == 1 and cache.segment_runs == 1
    assert not any(g.text == "waving" for g in again.get(i, []))
    with pytest.raises(svc.StaleFindingError):
        svc.apply_finding(store, doc_id, f, "leading", 2, "ann")
    from review.store import ConflictError

    with pytest.raises(ConflictError):
        svc.apply_finding(store, doc_id, f, "leading", 1, "bob")


def test_a_failing_check_is_reported_not_hidden(env, monkeypatch):
    """A code check that raises (a bug, an input nobody foresaw) leaves the other findings in place
    and the findings cache says which check failed, for the page to show."""
    from review.checks.base import Check
    from review.engine import Engine

    class Breaks(Check):
        def segment(self, seg, ctx):
            raise ValueError("cannot handle this")

    monkeypatch.delenv("REVIEW_DEBUG", raising=False)
    eng = Engine.from_options()
    eng.checks.append(Breaks())
    store = Store(env["url"])
    doc_id = svc.open_path(store, SAMPLE)
    rows = store.segments(doc_id)
    cache = svc.FindingsCache()
    found = svc.compute_findings(eng, doc_id, svc.current_document(store, doc_id, rows), rows, cache)
    assert any(f.text == "waving" for f in found.get(sample_segment("waving"), []))
    assert len(cache.warnings) == 1 and "Breaks" in cache.warnings[0] and "cannot handle this" in cache.warnings[0]
    assert f"and in {len(rows) - 1} more places" in cache.warnings[0]  # one line per check, not per segment


def test_page_warns_when_a_check_failed(env, monkeypatch):
    """The review page says which check failed instead of silently showing fewer findings; the
    other findings are still there to act on."""
    from review.checks.base import Check

    class Breaks(Check):
        def segment(self, seg, ctx):
            raise ValueError("cannot handle this")

    real = svc.load_engine

    def load_engine(folder):
        eng = real(folder)
        eng.checks.append(Breaks())
        return eng

    monkeypatch.delenv("REVIEW_DEBUG", raising=False)
    monkeypatch.setattr(svc, "load_engine", load_engine)
    at = _app()
    _ok(at)
    warnings = [w.value for w in at.warning]
    assert any("Not every check ran" in w and "Breaks" in w and "cannot handle this" in w for w in warnings), warnings
    assert _keys(at, "apply-")


def test_highlight_and_filters():
    from review.model import Finding, Severity

    text = "<b>x</b> waving & more"
    fs = [Finding("R1", 0, 9, 15, "waving", "Accuracy/Mistranslation", Severity.MAJOR, "m <i>", ("leading",)),
          Finding("R2", 0, 9, 22, "waving & more", "Style/Awkward", Severity.MINOR, "n", ())]
    h = svc.highlight_html(text, fs)
    assert "<b>" not in h and "&lt;b&gt;" in h and "<i>" not in h
    assert 'sev-major' in h and 'sev-minor' in h and h.count("<mark") == 2
    from review.store import SegmentRow

    rows = [SegmentRow(0, "p1.s1", None, text, text, 1, False, None, None),
            SegmentRow(1, "p1.s2", None, "clean", "cleaner", 2, True, None, "ann")]
    by = {0: fs}
    assert svc.filter_segments(rows, by)[0] == [0, 1]
    assert svc.filter_segments(rows, by, severities=["major"])[0] == [0]
    assert svc.filter_segments(rows, by, severities=["major"])[1][0] == [fs[0]]
    assert svc.filter_segments(rows, by, categories=["Style"])[0] == [0]
    assert svc.filter_segments(rows, by, rules=["R9"])[0] == []
    assert svc.filter_segments(rows, by, status="reviewed")[0] == [1]
    assert svc.filter_segments(rows, by, status="edited")[0] == [1]
    assert svc.filter_segments(rows, by, search="CLEANER")[0] == [1]
    assert svc.page_count(0) == 1 and svc.page_count(41) == 3 and svc.page_slice(list(range(45)), 3) == [40, 41, 42, 43, 44]


def test_launch_command_and_bad_file(tmp_path):
    from types import SimpleNamespace

    from review.app import launch
    from review.model import InputError

    cmd = launch.command(8600, True)
    assert cmd[1:4] == ["-m", "streamlit", "run"] and cmd[4].endswith("main.py")
    assert "--server.headless" in cmd and cmd[cmd.index("--server.headless") + 1] == "true"
    assert cmd[cmd.index("--browser.gatherUsageStats") + 1] == "false" and "8600" in cmd
    with pytest.raises(InputError):
        launch.launch(SimpleNamespace(file=str(tmp_path / "missing.txt"), db=None, port=8600, headless=True))
