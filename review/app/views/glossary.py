"""Glossary page: search the term base; add a term; edit or delete any concept and its terms.
Every change is audited in the store, written back to the glossary folder (the TBX that holds the
concept, or the UI additions TBX; its CSV companion on request) and used by the engine at once."""

from __future__ import annotations

import streamlit as st

from review.app import service as svc
from review.app import ui
from review.model import InputError

ctx = ui.context()
STATUSES = ["preferred", "admitted", "deprecated"]


def _csv() -> bool:
    return bool(st.session_state.get("glossary-csv"))


def _keep_csv() -> None:
    # the checkbox's own state is dropped when another page is shown: keep the choice for the session
    st.session_state["glossary-csv"] = bool(st.session_state.get("g-csv"))


def _files(paths) -> str:
    return ", ".join(svc.md_escape(p) for p in paths)


def _add() -> None:
    s = st.session_state
    try:
        concept = svc.add_term(ctx.engine, ctx.store, ctx.glossary_dir, s.get("g-term", ""), s.get("g-lang", "en"),
                               s.get("g-status", "deprecated"), s.get("g-replacement", ""), s.get("g-note", ""),
                               ui.editor(), also_csv=_csv())
    except (InputError, ValueError) as e:
        s["g-error"] = str(e)
        return
    s.pop("g-error", None)
    for k in ("g-term", "g-replacement", "g-note"):
        s[k] = ""
    also = f" and {svc.ADDITIONS_FILE[:-4]}.csv" if _csv() else ""
    ui.flash("success", f"Added {svc.md_escape(concept.id)}: saved to {svc.ADDITIONS_FILE}{svc.md_escape(also)}; "
                        f"the document is re-checked.")


def _bump() -> None:
    """New widget keys for the edit form (after a save, or when another concept is chosen)."""
    st.session_state["ge-nonce"] = st.session_state.get("ge-nonce", 0) + 1


def _form_terms(tag: str, n_terms: int) -> list[dict]:
    s = st.session_state
    out = []
    for n in list(range(n_terms)) + ["new"]:
        if s.get(f"ge-{tag}-{n}-del"):
            continue
        out.append({"text": s.get(f"ge-{tag}-{n}-text", ""), "lang": s.get(f"ge-{tag}-{n}-lang", "en"),
                    "status": s.get(f"ge-{tag}-{n}-status", "admitted")})
    return out


def _save_concept(cid: str, tag: str) -> None:
    s = st.session_state
    old = ctx.engine.glossary.get(cid)
    if old is None:
        ui.flash("warning", f"Concept {svc.md_escape(cid)} no longer exists.")
        return
    items = _form_terms(tag, len(old.terms))
    # keep each unchanged term's type and case setting
    for it, t in zip(items, [t for n, t in enumerate(old.terms) if not s.get(f"ge-{tag}-{n}-del")]):
        if it["text"].strip() == t.text and (it["lang"].strip() or "en") == t.lang:
            it["type"], it["case_sensitive"] = t.type, (None if t.default_case else t.case_sensitive)
    try:
        new = svc.update_concept(ctx.engine, ctx.store, ctx.glossary_dir, cid, items, s.get(f"ge-{tag}-note", ""),
                                 ui.editor(), also_csv=_csv())
    except (InputError, ValueError) as e:
        ui.flash("error", f"Not saved: {svc.md_escape(str(e))}")
        return
    _bump()
    if new is None:
        ui.flash("info", f"{svc.md_escape(cid)}: nothing changed.")
    else:
        ui.flash("success", f"Saved {svc.md_escape(cid)}; the document is re-checked.")


def _delete_concept(cid: str) -> None:
    try:
        svc.delete_concept(ctx.engine, ctx.store, ctx.glossary_dir, cid, ui.editor(), also_csv=_csv())
    except (InputError, ValueError) as e:
        ui.flash("error", f"Not deleted: {svc.md_escape(str(e))}")
        return
    st.session_state.pop("ge-concept", None)
    _bump()
    ui.flash("success", f"Deleted {svc.md_escape(cid)}; the document is re-checked.")


st.title("Glossary")
ui.show_flash()
g = ctx.engine.glossary
files = svc.term_base_files(ctx.glossary_dir)
st.caption(f"{len(g.concepts) if g is not None else 0} concepts · folder "
           f"{svc.md_escape(str(ctx.glossary_dir))} · files: {_files(p.name for p in files) or '(built-in term base)'} "
           f"· new terms go to {svc.md_escape(svc.ADDITIONS_FILE)}")
if "g-csv" not in st.session_state:
    st.session_state["g-csv"] = _csv()
st.checkbox("Also write CSV", key="g-csv", on_change=_keep_csv,
            help="Every change is written to the TBX; with this, also to the CSV of the same name.")

with st.form("add-term", clear_on_submit=False, border=True):
    st.subheader("Add a term")
    c = st.columns([3, 1, 2])
    c[0].text_input("Term", key="g-term")
    c[1].text_input("Language", value="en", key="g-lang")
    c[2].selectbox("Status", ["deprecated", "preferred", "admitted"], key="g-status")
    c = st.columns([3, 3])
    c[0].text_input("Replacement (the term to use instead)", key="g-replacement")
    c[1].text_input("Note", key="g-note")
    st.form_submit_button("Add term", on_click=_add, key="g-add")
if st.session_state.get("g-error"):
    st.error(st.session_state["g-error"])

q = st.text_input("Search the term base", key="g-search")
rows = svc.search_terms(g, q) if g is not None else []
st.dataframe(rows, width="stretch", hide_index=True, key="g-table")

# -- edit or delete a concept ----------------------------------------------------------------------
st.subheader("Edit or delete a concept")
matches = svc.matching_concepts(g, q)
if not matches:
    st.caption("No concept matches the search.")
    st.stop()
ids = [c.id for c in matches]
if st.session_state.get("ge-concept") not in ids:
    st.session_state["ge-concept"] = ids[0]
labels = {c.id: svc.concept_label(c) for c in matches}
cid = st.selectbox(f"Concept ({len(ids)} matching the search)", ids, key="ge-concept",
                   format_func=lambda i: labels.get(i, i), on_change=_bump)
concept = g.get(cid)
tag = f"{st.session_state.get('ge-nonce', 0)}-{svc._slug(cid)}"
with st.form(f"ge-form-{tag}", border=True):
    st.caption(f"`{svc.md_escape(cid)}` · {svc.md_escape(concept.source or 'no source')}"
               + (f" · {svc.md_escape(concept.subject)}" if concept.subject else ""))
    for n, t in enumerate(list(concept.terms) + [None]):
        key = "new" if t is None else n
        c = st.columns([4, 1, 2, 1])
        c[0].text_input("New term" if t is None else "Term", value="" if t is None else t.text,
                        key=f"ge-{tag}-{key}-text", label_visibility="visible" if n == 0 or t is None else "collapsed")
        c[1].text_input("Lang", value="en" if t is None else t.lang, key=f"ge-{tag}-{key}-lang",
                        label_visibility="visible" if n == 0 or t is None else "collapsed")
        c[2].selectbox("Status", STATUSES, index=1 if t is None else STATUSES.index(t.status),
                       key=f"ge-{tag}-{key}-status", label_visibility="visible" if n == 0 or t is None else "collapsed")
        if t is not None:
            c[3].checkbox("Remove", key=f"ge-{tag}-{key}-del")
    st.text_input("Note", value=concept.note, key=f"ge-{tag}-note")
    st.form_submit_button("Save concept", key="ge-save", type="primary", on_click=_save_concept, args=(cid, tag))
dc = st.columns([1, 3])
sure = dc[0].checkbox("Confirm deletion", key=f"ge-sure-{tag}")
dc[1].button("Delete concept", key="ge-delete", disabled=not sure, on_click=_delete_concept, args=(cid,))
