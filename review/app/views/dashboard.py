"""Dashboard: open findings by category and severity, frequent rules, acceptance per rule,
post-edit effort."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from review.app import service as svc
from review.app import ui

ctx = ui.context()
if ctx.doc_id is None:
    st.info("No document is open.")
    st.stop()
rows, doc, findings = ui.current_findings(ctx)
d = svc.dashboard(rows, findings, ctx.store.decisions(ctx.doc_id))

st.title("Dashboard")
m = st.columns(4)
m[0].metric("Segments", d["segments"])
m[1].metric("Reviewed", d["reviewed"])
m[2].metric("Edited", d["edited"])
m[3].metric("Open findings", d["open_findings"])

c = st.columns(2)
with c[0]:
    st.subheader("Open findings by category")
    if d["by_category"]:
        st.bar_chart(pd.DataFrame({"findings": d["by_category"]}))
with c[1]:
    st.subheader("By severity")
    st.bar_chart(pd.DataFrame({"findings": d["by_severity"]}))

c = st.columns(2)
with c[0]:
    st.subheader("Most frequent rules")
    if d["top_rules"]:
        st.bar_chart(pd.DataFrame({"findings": d["top_rules"]}))
with c[1]:
    st.subheader("Acceptance per rule")
    if d["acceptance"]:
        acc = pd.DataFrame(d["acceptance"]).T
        st.bar_chart(acc[["applied", "dismissed"]])
        st.dataframe(acc.assign(rate=(acc["rate"] * 100).round(0).astype(int).astype(str) + " %"))
    else:
        st.caption("No suggestion applied or dismissed yet.")

st.subheader("Post-edit effort (HTER per edited segment)")
if d["effort_hter"]:
    st.bar_chart(pd.DataFrame({"HTER": d["effort_hter"]}))
else:
    st.caption("No segment edited yet.")
