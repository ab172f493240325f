"""Documents page: stored documents with progress, upload, open a sample from seeds/."""

from __future__ import annotations

import streamlit as st

from review.app import service as svc
from review.app import ui
from review.model import InputError

ctx = ui.context()
store = ctx.store


def _open(doc_id: int) -> None:
    ui.select_document(doc_id)
    st.session_state["goto_review"] = True


def _upload() -> None:
    up = st.session_state.get("upload")
    if up is None:
        return
    try:
        doc_id = svc.open_upload(store, up.getvalue(), up.name)
    except InputError as e:
        st.session_state["upload_error"] = str(e)
        return
    except Exception as e:  # never a traceback for an upload
        st.session_state["upload_error"] = f"{up.name}: could not be read ({type(e).__name__}: {e})"
        return
    st.session_state.pop("upload_error", None)
    _open(doc_id)
    ui.flash("success", f"Opened {svc.md_escape(up.name)}.")


def _open_seed(path: str) -> None:
    try:
        doc_id = svc.open_path(store, path)
    except InputError as e:
        st.session_state["upload_error"] = str(e)
        return
    _open(doc_id)


if st.session_state.pop("goto_review", False):
    st.switch_page("views/review.py")

st.title("Documents")
ui.show_flash()

st.file_uploader(
    "Upload a machine translation to review",
    type=svc.UPLOAD_TYPES, key="upload", on_change=_upload,
    help=f"Plain text in any common encoding (UTF-8/16, Shift-JIS, EUC-JP …), or a bilingual TSV/CSV with "
         f"'source' and 'target' columns. At most {svc.max_upload_bytes() / 1e6:.0f} MB.",
)
err = st.session_state.get("upload_error")
if err:
    st.error(err)

seeds = svc.seed_files()
if seeds:
    st.subheader("Samples")
    for p in seeds:
        st.button(f"Open {p.name}", key=f"open-seed-{p.stem}", on_click=_open_seed, args=(str(p),))

st.subheader("Stored documents")
docs = store.list_documents()
if not docs:
    st.caption("Nothing stored yet.")
for d in docs:
    c = st.columns([4, 2, 2, 1])
    current = " (open)" if d.id == ctx.doc_id else ""
    c[0].markdown(f"**{svc.md_escape(d.name)}**{current}  \n{d.format} · {d.created:%Y-%m-%d %H:%M}")
    c[1].progress(d.reviewed / d.total if d.total else 0.0, text=f"{d.reviewed}/{d.total} reviewed · {d.edited} edited")
    c[2].caption(f"open findings: {'—' if d.open_findings is None else d.open_findings}")
    c[3].button("Open", key=f"open-doc-{d.id}", on_click=_open, args=(d.id,))
