"""Streamlit entry script of the review UI: ``streamlit run review/app/main.py``.

Signs the user in when sign-in is configured (see ``review.auth``), draws the sidebar (editor
name or signed-in user, current document) and runs the selected page; all logic is in
``review.app.service`` and the library."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

if __package__ in (None, ""):  # run as a script by streamlit: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from review.app import ui  # noqa: E402

st.set_page_config(page_title="Translation review", page_icon=":material/rate_review:", layout="wide")

user = ui.sign_in()  # no sign-in configured: None; else the signed-in user (or the sign-in screen)

with st.sidebar:
    if user is None:
        st.text_input("Editor name", value="editor", key="editor", max_chars=100,
                      help="Saved with every change you make.")
    else:
        st.caption(f"Signed in as **{ui.svc.md_escape(user.name)}** · {user.role}"
                   + (" (read-only)" if not user.can_edit else ""))
        st.button("Sign out", key="sign-out", on_click=ui.sign_out)

ctx = ui.bootstrap()

with st.sidebar:
    if ctx.info is not None:
        st.caption(f"Document: **{ui.svc.md_escape(ctx.info.name)}** · {ctx.info.reviewed}/{ctx.info.total} reviewed")

here = Path(__file__).parent / "views"
pages = [
    st.Page(str(here / "review.py"), title="Review", icon=":material/edit_note:", default=True),
    st.Page(str(here / "documents.py"), title="Documents", icon=":material/folder_open:", url_path="documents"),
    st.Page(ui.glossary_read_only_page if ui.read_only() else str(here / "glossary.py"),
            title="Glossary", icon=":material/menu_book:", url_path="glossary"),
    st.Page(str(here / "dashboard.py"), title="Dashboard", icon=":material/bar_chart:", url_path="dashboard"),
    st.Page(str(here / "export.py"), title="Export", icon=":material/download:", url_path="export"),
]
st.navigation(pages).run()
