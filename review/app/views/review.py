"""Review page: segments with highlighted findings, suggestions, dismissals, free editing with a
version check, reviewed marks, filters, paging and post-edit scores."""

from __future__ import annotations

import streamlit as st

from review.app import service as svc
from review.app import ui
from review.model import MQM_BRANCHES, InputError, Severity
from review.scoring import diff_html, score_pair
from review.store import ConflictError

ctx = ui.context()
if ctx.doc_id is None:
    st.info("No document is open: upload one on the Documents page.")
    st.stop()
store, doc_id = ctx.store, ctx.doc_id
RO = ui.read_only()  # a signed-in reviewer: change buttons disabled (the store refuses changes too)


# -- callbacks: every action is persisted here, before the page is drawn again ----------------------
def _apply(fjson: dict, suggestion: str, version: int) -> None:
    f = svc.finding_from_dict(fjson)
    i = f.segment
    # Unsaved typing in the segment's box: the suggestion is applied to it (and both are saved),
    # based on the version the typing started from; it is never replaced by the stored text.
    typed = st.session_state.get(f"edit-{i}")
    base = ui.bases().get(i)
    unsaved = typed is not None and base is not None and typed.replace("\r\n", "\n") != base[1]
    try:
        if unsaved:
            v, text = svc.apply_finding(store, doc_id, f, suggestion, base[0], ui.editor(), text=typed)
        else:
            v, text = svc.apply_finding(store, doc_id, f, suggestion, version, ui.editor())
    except ConflictError as e:
        ui.remember_conflict(e)
        if unsaved:
            ui.drafts()[i] = typed
        return
    except svc.UnsavedTypingError as e:
        ui.drafts()[i] = typed
        ui.flash("warning", f"Not applied: {svc.md_escape(str(e))}. Save your text first (or make the change "
                            f"by hand); your typing is kept in the box.")
        return
    except svc.StaleFindingError as e:
        ui.flash("warning", f"Not applied: {e}.")
        return
    ui.set_base(i, v, text)
    shown = suggestion or "(deletion)"
    extra = " to your unsaved text, and saved it" if unsaved else ""
    ui.flash("success", f"Segment {i + 1}: applied {svc.md_escape(shown)} ({f.rule}){extra}.")


def _add_term(i: int) -> None:
    s = st.session_state
    try:
        concept = svc.add_term(ctx.engine, store, ctx.glossary_dir, s.get(f"ga-term-{i}", ""),
                               s.get(f"ga-lang-{i}", "en"), s.get(f"ga-status-{i}", "deprecated"),
                               s.get(f"ga-repl-{i}", ""), s.get(f"ga-note-{i}", ""), ui.editor(),
                               also_csv=bool(s.get(f"ga-csv-{i}")))
    except (InputError, ValueError) as e:
        ui.flash("error", f"Segment {i + 1}: term not added: {svc.md_escape(str(e))}")
        return
    ui.flash("success", f"Added {svc.md_escape(concept.id)} to the glossary ({svc.ADDITIONS_FILE}); "
                        f"the document is re-checked.")


def _dismiss(fjson: dict) -> None:
    f = svc.finding_from_dict(fjson)
    svc.dismiss_finding(store, doc_id, f, ui.editor())
    ui.flash("info", f"Segment {f.segment + 1}: dismissed {f.rule} on {svc.md_escape(f.text)!s}.")


def _never(fjson: dict) -> None:
    f = svc.finding_from_dict(fjson)
    svc.never_flag(store, f, ui.editor())
    ui.flash("info", f"{f.rule} will never flag {svc.md_escape(f.text)} again in this project.")


def _draft(i: int) -> None:
    ui.drafts()[i] = st.session_state.get(f"edit-{i}", "")


def _save(i: int) -> None:
    text = st.session_state.get(f"edit-{i}", "")
    version, base_text = ui.bases().get(i, (None, None))
    if version is None:
        return
    if text == base_text:
        ui.flash("info", f"Segment {i + 1}: nothing changed.")
        return
    try:
        v = svc.save_edit(store, doc_id, i, text, version, ui.editor())
    except ConflictError as e:
        ui.remember_conflict(e)
        ui.drafts()[i] = text
        return
    ui.set_base(i, v, text.replace("\r\n", "\n"))
    ui.flash("success", f"Segment {i + 1} saved (version {v}).")


def _overwrite(i: int) -> None:
    c = ui.conflicts().get(i)
    if c is None:
        return
    text = st.session_state.get(f"edit-{i}", ui.drafts().get(i, ""))
    try:
        v = svc.save_edit(store, doc_id, i, text, c["version"], ui.editor())
    except ConflictError as e:
        ui.remember_conflict(e)
        return
    ui.set_base(i, v, text)
    ui.flash("success", f"Segment {i + 1} saved over version {c['version']} (now version {v}).")


def _theirs(i: int) -> None:
    c = ui.conflicts().get(i)
    if c is not None:
        ui.set_base(i, c["version"], c["text"])


def _reviewed(i: int, value: bool) -> None:
    store.set_reviewed(doc_id, i, value, ui.editor())


def _restore(i: int, version: int) -> None:
    base = ui.bases().get(i)
    try:
        v = store.restore(doc_id, i, version, ui.editor(), expected_version=base[0] if base else None)
    except ConflictError as e:
        ui.remember_conflict(e)
        return
    row = store.segment(doc_id, i)
    ui.set_base(i, v, row.target)
    ui.flash("success", f"Segment {i + 1}: version {version} restored (now version {v}).")


def _reset_page() -> None:
    st.session_state["page"] = 1


# -- page --------------------------------------------------------------------------------------------
try:
    rows, doc, findings = ui.current_findings(ctx)
except Exception as e:  # a failing check must not hide the document
    st.error(f"Checking failed ({type(e).__name__}: {e}); showing the text without findings.")
    rows = store.segments(doc_id)
    findings = {}
by_index = {r.index: r for r in rows}
target_lang = (ctx.info.target_lang if ctx.info else None) or "en"

st.title(ctx.info.name if ctx.info else "Review")
ui.show_flash()

n_open = sum(len(v) for v in findings.values())
edited_rows = [r for r in rows if r.edited]
m = st.columns(6)
m[0].metric("Segments", len(rows))
m[1].metric("Reviewed", sum(1 for r in rows if r.reviewed))
m[2].metric("Edited", len(edited_rows))
m[3].metric("Open findings", n_open)
if edited_rows:
    cache = st.session_state.setdefault("docscore", {})
    key = (doc_id, tuple((r.index, r.version) for r in edited_rows))
    if cache.get("key") != key:
        cache["key"], cache["report"] = key, svc.document_scores(rows)
    rep = cache["report"]
    m[4].metric("Document HTER", f"{rep.corpus['HTER']:.1f}", help=rep.signatures["HTER"])
    m[5].metric("chrF / BLEU", f"{rep.corpus['chrF']:.0f} / {rep.corpus['BLEU']:.0f}",
                help=f"chrF: {rep.signatures['chrF']} · BLEU: {rep.signatures['BLEU-corpus']}")

all_f = [f for fs in findings.values() for f in fs]
with st.expander("Filters", expanded=False):
    fc = st.columns([1, 1, 1, 1, 2])
    sev = fc[0].multiselect("Severity", [s.label for s in sorted(Severity, reverse=True)], key="f-severity",
                            on_change=_reset_page)
    cats_present = sorted({f.category.split("/", 1)[0] for f in all_f}, key=lambda c: MQM_BRANCHES.index(c)
                          if c in MQM_BRANCHES else 99)
    cats = fc[1].multiselect("Category", cats_present, key="f-category", on_change=_reset_page)
    rules = fc[2].multiselect("Rule", sorted({f.rule for f in all_f}), key="f-rule", on_change=_reset_page)
    status = fc[3].selectbox("Status", svc.STATUSES, key="f-status", on_change=_reset_page)
    search = fc[4].text_input("Search text", key="f-search", on_change=_reset_page)

shown, fshown = svc.filter_segments(rows, findings, sev, cats, rules, status, search)
n_pages = svc.page_count(len(shown))
if st.session_state.get("page", 1) > n_pages:
    st.session_state["page"] = n_pages
pc = st.columns([1, 3])
page = pc[0].number_input(f"Page (of {n_pages})", min_value=1, max_value=n_pages, step=1, key="page")
pc[1].caption(f"{len(shown)} of {len(rows)} segments match · {svc.PAGE_SIZE} per page")

for i in svc.page_slice(shown, int(page)):
    r = by_index[i]
    fs = fshown.get(i, [])
    with st.container(border=True, key=f"seg-{i}"):
        bits = [f"**{i + 1}**", svc.md_escape(r.seg_id), f"v{r.version}"]
        if r.reviewed:
            bits.append("✅ reviewed")
        if r.editor and r.version > 1:
            bits.append(f"last saved by {svc.md_escape(r.editor)}")
        st.caption(" · ".join(bits))
        if r.source is not None:
            left, right = st.columns(2)
            left.markdown(svc.text_html(r.source), unsafe_allow_html=True)
            right.markdown(svc.highlight_html(r.target, fs), unsafe_allow_html=True)
        else:
            st.markdown(svc.highlight_html(r.target, fs), unsafe_allow_html=True)

        # Every variable part sits in its own container, so the text area keeps its place in the
        # page when findings come and go (a moved widget is re-mounted by the browser and would
        # show its old value instead of the one set by a callback).
        with st.container(key=f"findings-{i}"):
            for n, f in enumerate(fs):
                fj = f.to_json()
                with st.container(key=f"finding-{i}-{n}"):
                    st.markdown(f"**{f.severity.label}** · `{f.rule}` · {svc.md_escape(f.category)} — "
                                f"{svc.md_escape(f.message)}")
                    bcols = st.columns(len(f.suggestions) + 2)
                    for k, s in enumerate(f.suggestions):
                        label = "Apply: " + (svc.md_escape(s) if s else "(delete)")
                        bkey = f"apply-{i}-{n}" if k == 0 else f"apply-{i}-{n}-{k}"
                        bcols[k].button(label, key=bkey, on_click=_apply, args=(fj, s, r.version), disabled=RO)
                    bcols[-2].button("Dismiss", key=f"dismiss-{i}-{n}", on_click=_dismiss, args=(fj,), disabled=RO,
                                     help="Hide this finding in this document")
                    bcols[-1].button("Never flag this again", key=f"never-{i}-{n}", on_click=_never, args=(fj,), disabled=RO,
                                     help="Hide this rule on this text in every document")

        ui.ensure_text_state(r)
        st.text_area("Corrected text", key=f"edit-{i}", on_change=_draft, args=(i,), height=90, disabled=RO,
                     label_visibility="collapsed")
        with st.container(key=f"conflict-{i}"):
            c = ui.conflicts().get(i)
            if c:
                st.warning(f"Not saved: {svc.md_escape(c['editor'])} saved version {c['version']} of this "
                           f"segment at {c['time']} while you were editing. Their text: "
                           f"“{svc.md_escape(c['text'])}”. Your text is kept in the box; nothing was overwritten.")
                cc = st.columns(2)
                cc[0].button("Load their version", key=f"theirs-{i}", on_click=_theirs, args=(i,))
                cc[1].button("Save mine over theirs", key=f"overwrite-{i}", on_click=_overwrite, args=(i,), disabled=RO)
        ac = st.columns([1, 1, 4])
        ac[0].button("Save", key=f"save-{i}", type="primary", on_click=_save, args=(i,), disabled=RO)
        if r.reviewed:
            ac[1].button("Reopen", key=f"reviewed-{i}", on_click=_reviewed, args=(i, False))
        else:
            ac[1].button("Mark reviewed", key=f"reviewed-{i}", on_click=_reviewed, args=(i, True))

        if r.edited:
            sc = score_pair(r.original, r.target, i)
            st.caption(f"Post-edit: HTER {sc.hter:.1f} · chrF {sc.chrf:.1f} · BLEU {sc.bleu:.1f}")
            st.markdown(diff_html(r.original, r.target), unsafe_allow_html=True)
        if r.version > 1:
            with ac[2].expander(f"History ({r.version} versions)"):
                for rev in reversed(store.revisions(doc_id, i)):
                    hc = st.columns([4, 1])
                    who = svc.md_escape(rev.editor or "machine translation")
                    hc[0].caption(f"v{rev.version} · {rev.action} · {who}: {svc.md_escape(rev.text)}")
                    if rev.version != r.version:
                        hc[1].button("Restore", key=f"restore-{i}-{rev.version}", on_click=_restore, disabled=RO,
                                     args=(i, rev.version))

        # "Add a term from a selected phrase": Streamlit has no text selection, so the phrase is
        # typed (prefilled with the first finding's text); a form, so typing does not rerun the page.
        with st.expander("Add to glossary"):
            phrase, repl = svc.glossary_prefill(fs)
            with st.form(f"ga-{i}", border=False):
                gc = st.columns([3, 1, 2])
                gc[0].text_input("Phrase", value=phrase, key=f"ga-term-{i}")
                gc[1].text_input("Language", value=target_lang, key=f"ga-lang-{i}")
                gc[2].selectbox("Status", ["deprecated", "preferred", "admitted"], key=f"ga-status-{i}")
                gc = st.columns([3, 3])
                gc[0].text_input("Replacement (the term to use instead)", value=repl, key=f"ga-repl-{i}")
                gc[1].text_input("Note", key=f"ga-note-{i}")
                st.checkbox("Also write CSV", value=bool(st.session_state.get("glossary-csv")), key=f"ga-csv-{i}")
                st.form_submit_button("Add to glossary", key=f"ga-add-{i}", on_click=_add_term, args=(i,))
