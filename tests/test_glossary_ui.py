"""Glossary editing in the UI (AppTest, headless): add, edit and delete concepts and terms; every
change is audited in the store, written back to the glossary folder (TBX always, CSV on request)
and used by the engine at once. Also: adding a term from the review screen, and applying a
suggestion while the segment's box holds unsaved typing."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from review.app import service as svc
from review.glossary import Glossary
from review.store import Store
from tests.ui_helpers import APP, apply_button, sample_segment

BASE_TBX = "nato-diplomacy.tbx"
BASE_CSV = "nato-diplomacy.csv"
ADD_CSV = svc.ADDITIONS_FILE[:-4] + ".csv"


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _add_deprecated(at: AppTest, term: str, replacement: str, note: str | None = None) -> None:
    """Fill the glossary page's form with a deprecated term and its replacement, and add it."""
    at.text_input(key="g-term").set_value(term)
    at.selectbox(key="g-status").set_value("deprecated")
    at.text_input(key="g-replacement").set_value(replacement)
    if note is not None:
        at.text_input(key="g-note").set_value(note)
    at.button(key="g-add").click().run()


def _glossary_page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    _ok(at)
    at.switch_page("views/glossary.py").run()
    _ok(at)
    return at


def _form_tag(at: AppTest) -> str:
    key = next(t.key for t in at.text_input if t.key and t.key.startswith("ge-") and t.key.endswith("-note"))
    return key[len("ge-"):-len("-note")]


def _select(at: AppTest, search: str, cid: str) -> str:
    at.text_input(key="g-search").set_value(search).run()
    at.selectbox(key="ge-concept").set_value(cid).run()
    _ok(at)
    return _form_tag(at)


def _apply_labels(at: AppTest, i: int) -> list[str]:
    return [b.label for b in at.button if b.key and b.key.startswith(f"apply-{i}-")]


def _review_segment(at: AppTest, needle: str) -> int:
    """Switch to the review page, filtered to the segments holding ``needle``."""
    at.switch_page("views/review.py").run()
    at.text_input(key="f-search").set_value(needle).run()
    _ok(at)
    return sample_segment(needle)


def test_add_edit_delete_round_trip(env):
    gdir = env["gdir"]
    store = Store(env["url"])
    base_before = (gdir / BASE_TBX).read_bytes()
    at = _glossary_page()

    # add (with "also write CSV")
    at.checkbox(key="g-csv").check()
    _add_deprecated(at, "strategic enemy", "adversary", note="Japanese 戦略的な敵")
    _ok(at)
    add_tbx, add_csv = gdir / svc.ADDITIONS_FILE, gdir / ADD_CSV
    added = Glossary.load_file(add_tbx)
    cid = next(c.id for c in added.concepts if c.id.startswith("ui-strategic-enemy"))
    assert [(t.text, t.status) for t in added.get(cid).terms] == [("strategic enemy", "deprecated"),
                                                                    ("adversary", "preferred")]
    assert Glossary.load_file(add_csv).get(cid) == added.get(cid)  # CSV written on request
    assert (gdir / BASE_TBX).read_bytes() == base_before  # the term base itself is untouched

    # edit: the preferred term changes, a term in French is added
    tag = _select(at, "strategic enemy", cid)
    at.text_input(key=f"ge-{tag}-1-text").set_value("adversary state")
    at.text_input(key=f"ge-{tag}-new-text").set_value("ennemi stratégique")
    at.text_input(key=f"ge-{tag}-new-lang").set_value("fr")
    at.selectbox(key=f"ge-{tag}-new-status").set_value("deprecated")
    at.button(key="ge-save").click().run()
    _ok(at)
    assert any("Not saved" in e.value for e in at.error)  # a deprecated fr term needs an fr replacement
    tag = _form_tag(at)
    at.selectbox(key=f"ge-{tag}-new-status").set_value("admitted")
    at.text_input(key=f"ge-{tag}-note").set_value("edited note")
    at.button(key="ge-save").click().run()
    _ok(at)
    assert not at.error
    c = Glossary.load_file(add_tbx).get(cid)
    assert [(t.text, t.lang, t.status) for t in c.terms] == [
        ("strategic enemy", "en", "deprecated"), ("adversary state", "en", "preferred"),
        ("ennemi stratégique", "fr", "admitted")]
    assert c.note == "edited note"
    assert Glossary.load_file(add_csv).get(cid) == c
    # the engine uses the edit at once: the suggestion is the new preferred term
    i = _review_segment(at, "strategic enemy")
    assert "Apply: adversary state" in _apply_labels(at, i)

    # delete one term (the French one), then the whole concept
    at.switch_page("views/glossary.py").run()
    tag = _select(at, "strategic enemy", cid)
    at.checkbox(key=f"ge-{tag}-2-del").check()
    at.button(key="ge-save").click().run()
    _ok(at)
    assert [t.lang for t in Glossary.load_file(add_tbx).get(cid).terms] == ["en", "en"]
    tag = _form_tag(at)
    assert at.button(key="ge-delete").disabled
    at.checkbox(key=f"ge-sure-{tag}").check().run()
    at.button(key="ge-delete").click().run()
    _ok(at)
    assert cid not in Glossary.load_file(add_tbx)
    assert cid not in Glossary.load_file(add_csv)
    i = _review_segment(at, "strategic enemy")
    assert not any(label.startswith("Apply: adversary") for label in _apply_labels(at, i))

    # every change is in the store's glossary audit, with what was there before
    edits = [(e["action"], e["concept_id"]) for e in store.glossary_edits()]
    assert edits == [("add", cid), ("edit", cid), ("edit", cid), ("delete", cid)]
    last = store.glossary_edits()[-1]["payload"]
    assert last["before"]["id"] == cid and svc.ADDITIONS_FILE in last["files"]


def test_edit_and_delete_a_concept_of_the_term_base(env):
    """A concept of the loaded term base is edited in (and deleted from) the TBX that holds it;
    its CSV companion is rewritten only on request, and is not loaded next to the TBX."""
    gdir = env["gdir"]
    csv_before = (gdir / BASE_CSV).read_bytes()
    base = Glossary.load_file(gdir / BASE_TBX)
    cid = next(c.id for c in base.concepts if any(t.text == "illegal merger of Crimea" for t in c.terms))
    old = base.get(cid)
    n_dep = next(n for n, t in enumerate(old.terms) if t.text == "illegal merger of Crimea")
    at = _glossary_page()
    tag = _select(at, "illegal merger of Crimea", cid)
    at.text_input(key=f"ge-{tag}-{n_dep}-text").set_value("illegal merger of the Crimea")
    at.button(key="ge-save").click().run()
    _ok(at)
    new = Glossary.load_file(gdir / BASE_TBX)
    assert len(new) == len(base)
    assert "illegal merger of the Crimea" in [t.text for t in new.get(cid).terms]
    assert [c.id for c in new.concepts] == [c.id for c in base.concepts]  # order kept, nothing else changed
    assert all(new.get(c.id) == c for c in base.concepts if c.id != cid)
    assert (gdir / BASE_CSV).read_bytes() == csv_before  # no CSV unless asked
    assert not (gdir / svc.ADDITIONS_FILE).exists()

    # delete the concept with "also write CSV": gone from both, and from the engine after a restart
    at.checkbox(key="g-csv").check()
    tag = _select(at, "merger of the Crimea", cid)  # the old search no longer matches
    at.checkbox(key=f"ge-sure-{tag}").check().run()
    at.button(key="ge-delete").click().run()
    _ok(at)
    assert cid not in Glossary.load_file(gdir / BASE_TBX)
    assert cid not in Glossary.load_file(gdir / BASE_CSV)
    assert len(Glossary.load_file(gdir / BASE_CSV)) == len(base) - 1
    assert cid not in svc.load_engine(gdir).glossary
    assert Store(env["url"]).glossary_edits()[-1]["payload"]["files"] == [BASE_TBX, BASE_CSV]


def test_deprecated_term_added_is_flagged_at_once(env):
    at = _glossary_page()
    _add_deprecated(at, "spring of the summit", "summit season")
    _ok(at)
    assert not (env["gdir"] / ADD_CSV).exists()  # CSV only on request
    # a phrase of the sample: pick one that nothing flags yet
    i = _review_segment(at, "strategic enemy")
    assert "Apply: adversary" not in _apply_labels(at, i)
    at.switch_page("views/glossary.py").run()
    _add_deprecated(at, "strategic enemy", "adversary")
    _ok(at)
    i = _review_segment(at, "strategic enemy")
    assert "Apply: adversary" in _apply_labels(at, i)
    assert any("TERM-DEPRECATED" in m.value for m in at.markdown)


def test_a_term_with_a_control_character_is_refused_with_a_message(env):
    at = _glossary_page()
    _add_deprecated(at, "strategic\x07enemy", "adversary")
    _ok(at)
    assert any("control character U+0007" in e.value for e in at.error), [e.value for e in at.error]
    assert not (env["gdir"] / svc.ADDITIONS_FILE).exists()  # nothing written
    assert at.text_input(key="g-term").value == "strategic\x07enemy"  # what the editor typed is kept


def test_another_servers_change_is_seen_without_a_restart(env):
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    i = _review_segment(at, "strategic enemy")
    assert "Apply: adversary" not in _apply_labels(at, i)
    # another server on the same folder and database, with its own engine (as in another process)
    other = svc.load_engine(env["gdir"])
    store = Store(env["url"])
    svc.add_term(other, store, env["gdir"], "strategic enemy", "en", "deprecated",
                 replacement="adversary", editor="other server")
    store.close()
    at.run()  # this server's next run: the editor clicks anything
    _ok(at)
    assert "Apply: adversary" in _apply_labels(at, i)
    assert any("TERM-DEPRECATED" in m.value for m in at.markdown)


def test_add_to_glossary_from_the_review_screen(env):
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    i = _review_segment(at, "strategic enemy")
    assert at.text_input(key=f"ga-term-{i}") is not None
    at.text_input(key=f"ga-term-{i}").set_value("strategic enemy")
    at.selectbox(key=f"ga-status-{i}").set_value("deprecated")
    at.text_input(key=f"ga-repl-{i}").set_value("adversary")
    at.button(key=f"ga-add-{i}").click().run()
    _ok(at)
    assert any("Added" in s.value for s in at.success)
    assert "Apply: adversary" in _apply_labels(at, i)
    assert any(c.id.startswith("ui-strategic-enemy")
               for c in Glossary.load_file(env["gdir"] / svc.ADDITIONS_FILE).concepts)
    assert Store(env["url"]).glossary_edits()[-1]["action"] == "add"


def test_add_to_glossary_prefills_a_finding(env):
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    i = _review_segment(at, "waving")
    assert at.text_input(key=f"ga-term-{i}").value == "waving"
    assert at.text_input(key=f"ga-repl-{i}").value == "leading"


# -- applying a suggestion over unsaved typing ---------------------------------------------------------
def _goto(at: AppTest, needle: str) -> int:
    """Show the page (not a filter: the text changes) that holds the segment with ``needle``."""
    i = sample_segment(needle)
    at.number_input(key="page").set_value(i // svc.PAGE_SIZE + 1).run()
    _ok(at)
    return i


def _open_on_waving(env):
    """The app on the page of the "waving" segment: (app, segment index, document id, store)."""
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    i = _goto(at, "waving")
    return at, i, int(at.query_params["doc"]), Store(env["url"])


def test_apply_keeps_unsaved_typing(env):
    at, i, doc_id, store = _open_on_waving(env)
    saved = store.segment(doc_id, i).target
    typed = saved.replace("waving", "waving", 1) + " [typed]"  # typing after the span: same offsets
    at.text_area(key=f"edit-{i}").set_value(typed)
    apply_button(at, i, "Apply: leading").click().run()
    _ok(at)
    want = typed.replace("waving", "leading", 1)
    assert at.text_area(key=f"edit-{i}").value == want
    row = store.segment(doc_id, i)
    assert row.target == want and row.version == 2
    assert any("unsaved text" in s.value for s in at.success)


def test_apply_refinds_the_span_in_typing_before_it(env):
    at, i, doc_id, store = _open_on_waving(env)
    typed = "Meanwhile, " + store.segment(doc_id, i).target  # the span moved
    at.text_area(key=f"edit-{i}").set_value(typed)
    apply_button(at, i, "Apply: leading").click().run()
    _ok(at)
    assert at.text_area(key=f"edit-{i}").value == typed.replace("waving", "leading", 1)
    assert store.segment(doc_id, i).target == typed.replace("waving", "leading", 1)


def test_apply_asks_to_save_first_when_the_span_is_gone(env):
    at, i, doc_id, store = _open_on_waving(env)
    saved = store.segment(doc_id, i).target
    typed = saved.replace("waving", "offering", 1)
    at.text_area(key=f"edit-{i}").set_value(typed)
    apply_button(at, i, "Apply: leading").click().run()
    _ok(at)
    assert at.text_area(key=f"edit-{i}").value == typed  # typing kept
    assert any("Save your text first" in w.value for w in at.warning)
    row = store.segment(doc_id, i)
    assert row.target == saved and row.version == 1 and not store.decisions(doc_id)
    at.button(key=f"save-{i}").click().run()  # saving then works as usual
    _ok(at)
    assert store.segment(doc_id, i).target == typed


def test_locate_span():
    from review.model import Finding, Severity

    saved = "the cat and the cat"
    f = Finding("R", 0, 16, 19, "cat", "Fluency", Severity.MINOR, "m", ("dog",))
    assert svc.locate_span(saved, f, saved) == 16
    assert svc.locate_span("oh, " + saved, f, saved) == 20  # second of two, shifted
    assert svc.locate_span("the cat and the", f, saved) is None  # one fewer occurrence: ambiguous
    assert svc.locate_span("the dog and the dog", f, saved) is None


# -- service speed-ups measured by bench/bench_ui.py ------------------------------------------------------
def test_corpus_scores_equal_sacrebleu():
    """The incremental corpus scores of the review page equal sacrebleu's corpus_score."""
    from review.io import load_path
    from review.scoring import score_segments
    from tests.ui_helpers import SAMPLE

    mt = [s.target for s in load_path(SAMPLE).segments]
    post = list(mt)
    post[1] = post[1] + " and more"
    post[4] = post[4].upper()
    post[9] = ""
    post[20] = "Entirely different words here."
    for a, b in ((mt, mt), (mt, post), (mt[:3], post[:3])):
        want = score_segments(list(a), list(b)).corpus
        got = svc.corpus_scores(a, b)
        assert got == pytest.approx(want, abs=1e-9), (got, want)
