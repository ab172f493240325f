"""Streamlit glue shared by the pages: cached store and engine, the current document (kept in
``st.query_params["doc"]``), the editor name, per-session edit state and flash messages.
Decisions live in :mod:`review.app.service`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from .. import auth
from ..model import InputError
from ..store import ConflictError, DocInfo, Store, default_url
from . import service as svc


@st.cache_resource(show_spinner=False)
def get_store(url: str) -> Store:
    return Store(url)


@st.cache_resource(show_spinner="Loading rules and glossary …", max_entries=4)
def get_engine(folder: str, signature: tuple = ()):
    """The engine for the glossary folder as its files are now (``signature``): a write by another
    server sharing the folder, or by this one, gives a new engine on the next run."""
    return svc.load_engine(Path(folder))


@dataclass
class Ctx:
    store: Store
    engine: object
    glossary_dir: Path
    doc_id: int | None
    info: DocInfo | None


# -- sign-in -----------------------------------------------------------------------------------------
def secrets() -> dict:
    """``st.secrets`` as a dict; {} when there is no secrets file."""
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets.toml (FileNotFoundError / StreamlitSecretNotFoundError) or unreadable
        return {}


def current_user() -> auth.User | None:
    """The signed-in user (None: sign-in is off, local single-user use)."""
    return st.session_state.get("auth_user")


def read_only() -> bool:
    """True for a signed-in ``reviewer``: pages draw their change buttons disabled."""
    u = current_user()
    return u is not None and not u.can_edit


def _password_form(users: dict) -> None:
    def _submit() -> None:
        s = st.session_state
        try:
            s["auth_user"] = auth.authenticate(s.get("login-user", ""), s.get("login-password", ""), users)
            s.pop("login-error", None)
        except auth.PermissionDenied as e:
            s["login-error"] = str(e)
        s["login-password"] = ""

    st.title("Translation review")
    with st.form("login", border=True):
        st.subheader("Sign in")
        st.text_input("User name", key="login-user", max_chars=100)
        st.text_input("Password", type="password", key="login-password", max_chars=200)
        st.form_submit_button("Sign in", on_click=_submit, key="login-submit", type="primary")
    if st.session_state.get("login-error"):
        st.error(st.session_state["login-error"])


def sign_in() -> auth.User | None:
    """Run first on every script run. Without configuration: no sign-in (returns None). With
    ``[auth]`` (OIDC) or password users: returns the signed-in user, or draws the sign-in screen
    and stops the run."""
    sec = secrets()
    try:
        m = auth.mode(sec)
        users = auth.configured_users(sec) if m == "password" else {}
    except InputError as e:
        st.error(f"Sign-in is misconfigured: {e}")
        st.stop()
    if m is None:
        st.session_state.pop("auth_user", None)
        return None
    if m == "oidc":
        if not st.user.is_logged_in:
            st.session_state.pop("auth_user", None)
            st.title("Translation review")
            for p in auth.oidc_providers(sec):
                st.button("Log in" + (f" with {p}" if p else ""), key=f"oidc-login-{p or 'default'}",
                          on_click=st.login, args=((p,) if p else ()), type="primary")
            st.stop()
        name = str(st.user.get("email") or st.user.get("name") or st.user.get("sub") or "user")
        try:
            role = auth.oidc_role(name, sec)
        except InputError as e:
            st.error(f"Sign-in is misconfigured: {e}")
            st.stop()
        user = auth.User(name=name[:200], role=role, method="oidc")
        st.session_state["auth_user"] = user
        return user
    user = current_user()
    if user is not None and user.method == "password" and users.get(user.name, (None, None))[1] == user.role:
        return user
    st.session_state.pop("auth_user", None)  # signed out, removed or role changed: sign in again
    _password_form(users)
    st.stop()


def sign_out() -> None:
    u = st.session_state.pop("auth_user", None)
    if u is not None and u.method == "oidc":
        st.logout()


def editor() -> str:
    """Who is acting: the signed-in user's name, else the sidebar's free "Editor name"."""
    u = current_user()
    if u is not None:
        return u.name
    return (st.session_state.get("editor") or "editor").strip()[:100] or "editor"


def flash(kind: str, message: str) -> None:
    st.session_state.setdefault("flash", []).append((kind, message))


def show_flash() -> None:
    """Messages of the last action, always inside one container: the elements after it keep their
    place in the page, so the browser never re-mounts a text area whose value the server set."""
    box = st.container(key="flash")
    for kind, msg in st.session_state.pop("flash", []):
        getattr(box, kind)(msg)


def _reset_doc_state(doc_id: int | None) -> None:
    for k in [k for k in st.session_state if isinstance(k, str) and k.startswith("edit-")]:
        del st.session_state[k]
    st.session_state["doc_id"] = doc_id
    st.session_state["bases"] = {}
    st.session_state["drafts"] = {}
    st.session_state["conflicts"] = {}
    st.session_state["fcache"] = svc.FindingsCache()
    st.session_state["page"] = 1


def select_document(doc_id: int) -> None:
    """Callback target: open another document (also written to the URL)."""
    _reset_doc_state(doc_id)
    st.query_params["doc"] = str(doc_id)


def bootstrap() -> Ctx | None:
    """Run at the top of every script run (main.py): store, engine, current document."""
    url = os.environ.get("REVIEW_DB_URL") or default_url()
    try:
        store = get_store(url)
    except Exception as e:  # a wrong URL or an unreachable server: one clear message
        st.error(f"Cannot open the review database ({type(e).__name__}: {e}).")
        st.stop()
    gdir = svc.glossary_dir()
    try:
        engine = get_engine(str(gdir), svc.glossary_signature(gdir))
    except InputError as e:
        st.error(f"Cannot load the rules or glossary: {e}")
        st.stop()
    # With sign-in on: the signed-in name is the editor of every action, and a reviewer's store and
    # engine refuse changes (whatever a page's buttons do).
    store, engine = auth.bind(store, engine, current_user())

    doc_id = None
    raw = st.query_params.get("doc")
    if raw:
        try:
            cand = int(raw)
        except ValueError:
            cand = None
        if cand is not None and store.get_document(cand) is not None:
            doc_id = cand
        else:
            flash("warning", f"Document {raw!s:.40} was not found; opened another one.")
    if doc_id is None:
        cand = st.session_state.get("doc_id")
        if cand is not None and store.get_document(cand) is not None:
            doc_id = cand
    if doc_id is None:
        try:
            doc_id = svc.open_path(store, svc.default_file())
        except InputError as e:
            flash("error", f"Could not open the default document: {e}")
            docs = store.list_documents()
            doc_id = docs[0].id if docs else None
    if st.session_state.get("doc_id") != doc_id or "bases" not in st.session_state:
        _reset_doc_state(doc_id)
    if doc_id is not None and st.query_params.get("doc") != str(doc_id):
        st.query_params["doc"] = str(doc_id)
    info = store.get_document(doc_id) if doc_id is not None else None
    ctx = Ctx(store=store, engine=engine, glossary_dir=gdir, doc_id=doc_id, info=info)
    st.session_state["_ctx"] = ctx
    return ctx


def context() -> Ctx:
    ctx = st.session_state.get("_ctx")
    if ctx is None:
        ctx = bootstrap()
    return ctx


def findings_cache() -> svc.FindingsCache:
    return st.session_state.setdefault("fcache", svc.FindingsCache())


def current_findings(ctx: Ctx):
    """(rows, document, visible findings by segment) of the current document."""
    store = ctx.store
    rows = store.segments(ctx.doc_id)
    doc = svc.current_document(store, ctx.doc_id, rows)
    fcache = findings_cache()
    allf = svc.compute_findings(ctx.engine, ctx.doc_id, doc, rows, fcache)
    for w in fcache.warnings[:3]:  # a check that failed: say so rather than show fewer findings silently
        st.warning(svc.md_escape(f"Not every check ran: {w}."))
    vis = svc.visible_findings(allf, store.dismissed(ctx.doc_id), store.project_dismissals())
    n_open = sum(len(v) for v in vis.values())
    if ctx.info is not None and ctx.info.open_findings != n_open:
        store.set_open_findings(ctx.doc_id, n_open)
    return rows, doc, vis


# -- per-segment edit state ------------------------------------------------------------------------
def bases() -> dict:
    return st.session_state.setdefault("bases", {})


def drafts() -> dict:
    return st.session_state.setdefault("drafts", {})


def conflicts() -> dict:
    return st.session_state.setdefault("conflicts", {})


def set_base(index: int, version: int, text: str) -> None:
    """After a successful save: the text area shows ``text`` and edits are based on ``version``."""
    bases()[index] = (version, text)
    drafts().pop(index, None)
    conflicts().pop(index, None)
    st.session_state[f"edit-{index}"] = text


def remember_conflict(e: ConflictError) -> None:
    conflicts()[e.index] = {"version": e.version, "text": e.text, "editor": e.editor or "someone",
                            "time": e.updated_at.strftime("%H:%M:%S") if e.updated_at else ""}


def ensure_text_state(row) -> None:
    """Before drawing segment ``row``'s text area: give it the right value. It follows the store
    when this session has no unsaved change; an unsaved change is never replaced."""
    i, key = row.index, f"edit-{row.index}"
    b = bases().get(i)
    if b is None:
        bases()[i] = (row.version, row.target)
        st.session_state[key] = drafts().get(i, row.target)
        return
    if row.version != b[0] and i not in conflicts():
        cur = st.session_state.get(key, drafts().get(i, b[1]))
        if cur == b[1]:
            bases()[i] = (row.version, row.target)
            drafts().pop(i, None)
            st.session_state[key] = row.target
            return
    if key not in st.session_state:
        st.session_state[key] = drafts().get(i, b[1])


# -- read-only pages ---------------------------------------------------------------------------------
def glossary_read_only_page() -> None:
    """The Glossary page for a signed-in reviewer (main.py draws it instead of the editing page):
    search and read the term base; nothing to change."""
    ctx = context()
    st.title("Glossary")
    st.info("You are signed in as a reviewer: the glossary is read-only.")
    g = ctx.engine.glossary
    q = st.text_input("Search the term base", key="g-search")
    rows = svc.search_terms(g, q) if g is not None else []
    st.dataframe(rows, width="stretch", hide_index=True, key="g-table")
