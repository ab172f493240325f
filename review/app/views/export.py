"""Export page: corrected text, bilingual TSV, CSV/JSON report (built by review.export)."""

from __future__ import annotations

import streamlit as st

from review.app import service as svc
from review.app import ui

ctx = ui.context()
if ctx.doc_id is None:
    st.info("No document is open.")
    st.stop()
rows, doc, findings = ui.current_findings(ctx)

st.title("Export")
st.caption("The corrected text keeps the paragraph layout of the input. Spreadsheet cells that start "
           "like a formula are prefixed with an apostrophe.")
for f in svc.exports(ctx.store, ctx.doc_id, findings):
    st.download_button(f"Download {f.label} ({f.name})", data=f.data, file_name=f.name, mime=f.mime, key=f.key)
