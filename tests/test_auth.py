"""Sign-in and roles: password hashes, configuration, the service layer refusing a reviewer's
changes (whatever the page does), the signed-in name recorded with every action, and AppTest runs
of the sign-in screen, an editor, a reviewer (buttons disabled) and the OIDC branch."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from review import auth
from review.app import service as svc
from review.model import Finding, Severity
from review.store import Store
from tests.ui_helpers import APP, SAMPLE, sample_segment

ALICE_PW, BOB_PW = "correct horse battery", "bob's secret"
ALICE_HASH = auth.hash_password(ALICE_PW)
BOB_HASH = auth.hash_password(BOB_PW, "pbkdf2")
PASSWORDS = f"alice:editor:{ALICE_HASH};bob:reviewer:{BOB_HASH}"


@pytest.fixture(autouse=True)
def _fresh_throttle(monkeypatch):
    monkeypatch.setattr(auth, "THROTTLE", auth.Throttle())
    monkeypatch.delenv("REVIEW_PASSWORDS", raising=False)


# -- hashes and configuration ---------------------------------------------------------------------
def test_hashes_verify_and_never_raise():
    assert ALICE_HASH.startswith("scrypt$") and BOB_HASH.startswith("pbkdf2_sha256$")
    assert auth.verify_password(ALICE_PW, ALICE_HASH) and auth.verify_password(BOB_PW, BOB_HASH)
    assert not auth.verify_password("wrong", ALICE_HASH) and not auth.verify_password("", BOB_HASH)
    assert auth.hash_password(ALICE_PW) != ALICE_HASH  # salted
    for bad in ("", "plain", "scrypt$x", "scrypt$99999999999$8$1$AA==$AA==", "pbkdf2_sha256$1$AA==$AA==",
                "pbkdf2_sha256$1000$!!$AA==", None, 5, "md5$abc"):
        assert auth.verify_password("x", bad) is False
    import inspect

    assert "compare_digest" in inspect.getsource(auth.verify_password)


def test_configuration_sources_and_mode():
    users = auth.users_from_env(PASSWORDS)
    assert users == {"alice": (ALICE_HASH, "editor"), "bob": (BOB_HASH, "reviewer")}
    assert auth.users_from_env(f"carol:{ALICE_HASH}")["carol"][1] == "editor"
    with pytest.raises(auth.InputError, match="unknown role 'admin'"):
        auth.users_from_env(f"dave:admin:{ALICE_HASH}")
    with pytest.raises(auth.InputError, match="entry 1"):
        auth.users_from_env("just-a-name")
    sec = {"review": {"users": {"erin": {"password": BOB_HASH, "role": "reviewer"}, "fay": ALICE_HASH}}}
    assert auth.users_from_secrets(sec) == {"erin": (BOB_HASH, "reviewer"), "fay": (ALICE_HASH, "editor")}
    assert auth.mode({}, "") is None  # local use: no sign-in
    assert auth.mode(sec, "") == "password" and auth.mode({}, PASSWORDS) == "password"
    oidc = {"auth": {"redirect_uri": "http://x/oauth2callback", "cookie_secret": "s", "client_id": "c",
                     "client_secret": "s", "server_metadata_url": "https://idp/.well-known/openid-configuration"},
            "review": {"roles": {"carol@example.org": "reviewer"}}}
    assert auth.mode(oidc, PASSWORDS) == "oidc"
    assert auth.oidc_role("carol@example.org", oidc) == "reviewer" and auth.oidc_role("x@y", oidc) == "editor"
    assert auth.oidc_providers(oidc) == [None]
    assert auth.oidc_providers({"auth": {"redirect_uri": "r", "google": {"client_id": "c"}}}) == ["google"]


def test_authenticate_and_throttle():
    users = auth.users_from_env(PASSWORDS)
    assert auth.authenticate("alice", ALICE_PW, users) == auth.User("alice", "editor")
    with pytest.raises(auth.PermissionDenied) as wrong:
        auth.authenticate("alice", "nope", users)
    with pytest.raises(auth.PermissionDenied) as unknown:
        auth.authenticate("mallory", "nope", users)
    assert str(wrong.value) == str(unknown.value)  # no hint which names exist
    t = auth.Throttle(limit=3, window=60, lockout=60)
    for _ in range(3):
        with pytest.raises(auth.PermissionDenied):
            auth.authenticate("bob", "guess", users, t)
    with pytest.raises(auth.PermissionDenied, match="too many"):
        auth.authenticate("bob", BOB_PW, users, t)  # even the right password waits out the lockout


def test_hash_command(capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret\n"))
    assert auth.main(["hash", "--stdin"]) == 0
    h = capsys.readouterr().out.strip()
    assert auth.verify_password("s3cret", h)


# -- the service layer ------------------------------------------------------------------------------
@pytest.fixture()
def stored(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'auth.db'}")
    doc_id = svc.open_path(store, SAMPLE)
    yield store, doc_id
    store.close()


def _finding(store, doc_id, i):
    t = store.segment(doc_id, i).target
    k = t.index(" ")
    return Finding("EN-X-001", i, 0, k, t[:k], "Style/Awkward", Severity.MINOR, "m", ("Replaced",))


def test_reviewer_is_refused_by_the_service_layer(stored, engine, tmp_path):
    store, doc_id = stored
    bob = auth.User("bob", "reviewer")
    ro_store, ro_engine = auth.bind(store, engine, bob)
    f = _finding(store, doc_id, 3)
    attempts = [
        lambda: svc.save_edit(ro_store, doc_id, 3, "Reviewer text.", 1, "bob"),
        lambda: svc.apply_finding(ro_store, doc_id, f, "Replaced", 1, "bob"),
        lambda: svc.dismiss_finding(ro_store, doc_id, f, "bob"),
        lambda: svc.never_flag(ro_store, f, "bob"),
        lambda: ro_store.restore(doc_id, 3, 1, "bob"),
        lambda: ro_store.save_segment(doc_id, 3, "x", 1, editor="bob"),
        lambda: ro_store.record_glossary_edit("add", "c", {}, "bob"),
        lambda: ro_store.delete_document(doc_id),
        lambda: ro_engine.glossary.add(None),
        lambda: setattr(ro_engine, "glossary", None),
        lambda: auth.check_writable(ro_engine),
    ]
    for attempt in attempts:
        with pytest.raises(auth.PermissionDenied, match="reviewer cannot"):
            attempt()
    assert store.segment(doc_id, 3).version == 1 and store.decisions(doc_id) == []
    assert store.project_dismissals() == set() and store.glossary_edits() == []
    # reading, checking and marking reviewed are allowed, recorded under the signed-in name
    assert ro_store.segments(doc_id) and ro_engine.check(svc.current_document(ro_store, doc_id))
    ro_store.set_reviewed(doc_id, 3, True, editor="mallory")
    assert store.segment(doc_id, 3).editor == "bob" and store.audit_log(doc_id)[-1]["editor"] == "bob"


def test_signed_in_name_is_recorded_not_the_free_text(stored, engine):
    store, doc_id = stored
    us, eng = auth.bind(store, engine, auth.User("alice", "editor"))
    assert eng is engine  # an editor uses the shared engine as is
    auth.check_writable(eng)
    v = svc.save_edit(us, doc_id, 2, "Alice's text.", 1, editor="mallory")
    svc.apply_finding(us, doc_id, _finding(store, doc_id, 4), "Replaced", 1, editor="mallory")
    svc.dismiss_finding(us, doc_id, _finding(store, doc_id, 5), editor="mallory")
    svc.never_flag(us, _finding(store, doc_id, 6), editor="mallory")
    us.restore(doc_id, 2, 1, editor="mallory")
    assert v == 2 and {r.editor for r in store.revisions(doc_id, 2)[1:]} == {"alice"}
    assert {d.editor for d in store.decisions(doc_id)} == {"alice"}
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT editor FROM project_dismissals").scalars().all() == ["alice"]
    assert store.segment(doc_id, 4).editor == "alice"
    # no sign-in: the store is the store, the free name is recorded
    plain, _ = auth.bind(store, engine, None)
    assert plain is store


# -- the app (AppTest) ------------------------------------------------------------------------------
def _ok(at):
    assert not at.exception, [e.value for e in at.exception]


def _sign_in(at, name, password):
    at.text_input(key="login-user").set_value(name)
    at.text_input(key="login-password").set_value(password)
    next(b for b in at.button if b.key == "login-submit").click().run()
    return at


def test_app_without_configuration_has_no_sign_in(env):
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    _ok(at)
    assert not [t for t in at.text_input if t.key == "login-user"]
    assert at.text_input(key="editor").value == "editor" and at.text_area


def test_app_password_sign_in_as_editor(env, monkeypatch):
    monkeypatch.setenv("REVIEW_PASSWORDS", PASSWORDS)
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    _ok(at)
    assert not at.text_area and at.text_input(key="login-user")  # nothing shown before sign-in
    _sign_in(at, "alice", "wrong")
    assert any("wrong password" in e.value for e in at.error) and not at.text_area
    _sign_in(at, "alice", ALICE_PW)
    _ok(at)
    assert at.text_area and not [t for t in at.text_input if t.key == "editor"]  # no free "Editor name"
    assert any("alice" in c.value for c in at.sidebar.caption)
    i = sample_segment("waving")
    at.number_input(key="page").set_value(i // svc.PAGE_SIZE + 1).run()
    btn = next(b for b in at.button if b.key and b.key.startswith(f"apply-{i}-") and b.label == "Apply: leading")
    assert not btn.disabled
    btn.click().run()
    _ok(at)
    store = Store(env["url"])
    doc_id = int(at.query_params["doc"])
    assert store.segment(doc_id, i).editor == "alice" and store.decisions(doc_id)[-1].editor == "alice"
    store.close()
    next(b for b in at.button if b.key == "sign-out").click().run()
    assert not at.text_area and at.text_input(key="login-user")


def test_app_reviewer_is_read_only(env):
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.secrets["review"] = {"users": {"bob": {"password": BOB_HASH, "role": "reviewer"}}}
    at.run()
    _sign_in(at, "bob", BOB_PW)
    _ok(at)
    changing = [b for b in at.button if b.key and b.key.split("-")[0] in ("apply", "dismiss", "never", "save",
                                                                           "overwrite", "restore")]
    assert changing and all(b.disabled for b in changing)
    assert at.text_area and all(t.disabled for t in at.text_area)
    assert not next(b for b in at.button if b.key == "reviewed-0").disabled  # marking reviewed is allowed
    assert any("read-only" in c.value for c in at.sidebar.caption)
    # a reviewer's Glossary page is ui.glossary_read_only_page (AppTest cannot switch to a callable
    # page, so it is checked on its own below)
    with pytest.raises(ValueError, match="navigation page"):
        at.switch_page("views/glossary.py")


def _reviewer_glossary_page():
    import streamlit as st

    from review import auth
    from review.app import ui

    st.session_state["auth_user"] = auth.User("bob", "reviewer")
    ui.glossary_read_only_page()


def test_reviewer_glossary_page_is_read_only(env):
    at = AppTest.from_function(_reviewer_glossary_page, default_timeout=30).run()
    _ok(at)
    assert any("read-only" in i.value for i in at.info)
    assert not at.button and at.dataframe  # search and read, nothing to submit


def test_app_oidc_branch(env):
    oidc = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "c",
            "client_secret": "s", "server_metadata_url": "https://idp.example/.well-known/openid-configuration"}
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.secrets["auth"] = oidc
    at.secrets["review"] = {"roles": {"carol@example.org": "reviewer"}}
    at.user = {"is_logged_in": False}
    at.run()
    _ok(at)
    assert [b for b in at.button if b.label == "Log in"] and not at.text_area
    at.user = {"is_logged_in": True, "email": "carol@example.org", "name": "Carol"}
    at.run()
    _ok(at)
    assert at.text_area and all(t.disabled for t in at.text_area)  # carol is a reviewer
    assert any("carol" in c.value and "reviewer" in c.value for c in at.sidebar.caption)
