"""Glossary page: search the term base, add a term (audited in the store, written to the TBX of
the glossary folder, used by the engine at once)."""

from __future__ import annotations

import streamlit as st

from review.app import service as svc
from review.app import ui
from review.model import InputError

ctx = ui.context()


def _add() -> None:
    s = st.session_state
    try:
        concept = svc.add_term(ctx.engine, ctx.store, ctx.glossary_dir, s.get("g-term", ""), s.get("g-lang", "en"),
                               s.get("g-status", "deprecated"), s.get("g-replacement", ""), s.get("g-note", ""),
                               ui.editor())
    except (InputError, ValueError) as e:
        s["g-error"] = str(e)
        return
    s.pop("g-error", None)
    for k in ("g-term", "g-replacement", "g-note"):
        s[k] = ""
    ui.flash("success", f"Added {svc.md_escape(concept.id)}: saved to {svc.ADDITIONS_FILE}; the document is re-checked.")


st.title("Glossary")
ui.show_flash()
g = ctx.engine.glossary
st.caption(f"{len(g.concepts) if g is not None else 0} concepts · additions are written to "
           f"{svc.md_escape(str(ctx.glossary_dir / svc.ADDITIONS_FILE))}")

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
