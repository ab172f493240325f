"""Sign-in and roles for the review UI, without Streamlit (the page glue is in ``review.app.ui``).

Three set-ups, chosen by configuration:

* **Nothing configured** (local, single user): no sign-in; the sidebar's "Editor name" is recorded.
* **Passwords** (a small team): users with a password hash and a role, from the environment
  ``REVIEW_PASSWORDS="alice:editor:scrypt$…;bob:reviewer:pbkdf2_sha256$…"`` or from
  ``.streamlit/secrets.toml``::

      [review.users]
      alice = { password = "scrypt$16384$8$1$…", role = "editor" }
      bob = { password = "pbkdf2_sha256$600000$…", role = "reviewer" }

  Make a hash with ``python -m review.auth hash`` (asks for the password; never store one in clear).
* **OIDC** (Streamlit's built-in ``st.login``): an ``[auth]`` section in ``secrets.toml``
  (``redirect_uri``, ``cookie_secret``, ``client_id``, ``client_secret``,
  ``server_metadata_url``); the signed-in user's e-mail is the editor name, and
  ``[review.roles]`` maps e-mails to roles (default ``[review] default_role``, else ``editor``).

Roles: ``editor`` changes text, decisions and the glossary; ``reviewer`` reads, opens documents
and marks segments reviewed, but every text, decision or glossary change is refused
(:class:`PermissionDenied`, an :class:`~review.model.InputError`) by :class:`UserStore` and
:class:`ReadOnlyEngine`, whatever the page does. With sign-in on, :class:`UserStore` also writes
the signed-in name as the editor of every action: a page cannot pass another name.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import inspect
import os
import secrets as _secrets
import threading
import time
from dataclasses import dataclass
from typing import Any, Mapping

from .model import InputError

ROLES = ("editor", "reviewer")
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1
PBKDF2_ITERATIONS = 600_000


class PermissionDenied(InputError):
    """The signed-in user's role does not allow this action."""


@dataclass(frozen=True)
class User:
    name: str
    role: str = "editor"
    method: str = "password"  # password | oidc | local

    @property
    def can_edit(self) -> bool:
        return self.role == "editor"


# ------------------------------------------------------------------------------------------------
# Password hashes
# ------------------------------------------------------------------------------------------------
def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def hash_password(password: str, method: str = "scrypt") -> str:
    """``scrypt$N$r$p$salt$hash`` (default) or ``pbkdf2_sha256$iterations$salt$hash`` (base64)."""
    salt = _secrets.token_bytes(16)
    pw = password.encode("utf-8")
    if method == "scrypt":
        dk = hashlib.scrypt(pw, salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
        return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(dk)}"
    if method == "pbkdf2":
        dk = hashlib.pbkdf2_hmac("sha256", pw, salt, PBKDF2_ITERATIONS)
        return f"pbkdf2_sha256${PBKDF2_ITERATIONS}${_b64(salt)}${_b64(dk)}"
    raise ValueError(f"unknown hash method {method!r} (scrypt or pbkdf2)")


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored``; a malformed hash never matches (no exception)."""
    try:
        parts = str(stored).split("$")
        pw = str(password).encode("utf-8")
        if parts[0] == "scrypt" and len(parts) == 6:
            n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
            if not (2 <= n <= 2 ** 20 and 1 <= r <= 32 and 1 <= p <= 16):
                return False
            salt, want = base64.b64decode(parts[4]), base64.b64decode(parts[5])
            got = hashlib.scrypt(pw, salt=salt, n=n, r=r, p=p, dklen=len(want), maxmem=256 * 1024 * 1024)
        elif parts[0] == "pbkdf2_sha256" and len(parts) == 4:
            it = int(parts[1])
            if not 1_000 <= it <= 10_000_000:
                return False
            salt, want = base64.b64decode(parts[2]), base64.b64decode(parts[3])
            got = hashlib.pbkdf2_hmac("sha256", pw, salt, it, dklen=len(want))
        else:
            return False
    except (ValueError, TypeError, OverflowError, MemoryError):
        return False
    return bool(want) and hmac.compare_digest(got, want)


# ------------------------------------------------------------------------------------------------
# Configuration
# ------------------------------------------------------------------------------------------------
def _check_role(role: str, where: str) -> str:
    role = (role or "editor").strip().lower()
    if role not in ROLES:
        raise InputError(f"{where}: unknown role {role!r} (expected {' or '.join(ROLES)})")
    return role


def users_from_env(value: str | None = None) -> dict[str, tuple[str, str]]:
    """``REVIEW_PASSWORDS``: entries ``user:role:hash`` (or ``user:hash`` = editor) separated by
    ``;`` or newlines → {user: (hash, role)}."""
    value = os.environ.get("REVIEW_PASSWORDS", "") if value is None else value
    out: dict[str, tuple[str, str]] = {}
    for n, entry in enumerate(value.replace("\n", ";").split(";"), 1):
        entry = entry.strip()
        if not entry:
            continue
        parts = entry.split(":")
        if len(parts) == 2:
            name, role, h = parts[0], "editor", parts[1]
        elif len(parts) == 3:
            name, role, h = parts
        else:
            raise InputError(f"REVIEW_PASSWORDS entry {n}: expected user:role:hash")
        name = name.strip()
        if not name or not h.strip():
            raise InputError(f"REVIEW_PASSWORDS entry {n}: empty user name or hash")
        out[name] = (h.strip(), _check_role(role, f"REVIEW_PASSWORDS entry {n} ({name})"))
    return out


def users_from_secrets(secrets: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """``[review.users]``: ``name = "hash"`` or ``name = {password = "hash", role = "reviewer"}``."""
    review = secrets.get("review") or {}
    users = review.get("users") if isinstance(review, Mapping) else None
    out: dict[str, tuple[str, str]] = {}
    for name, v in (users or {}).items():
        where = f"secrets [review.users] {name}"
        if isinstance(v, str):
            out[str(name)] = (v, "editor")
        elif isinstance(v, Mapping):
            h = v.get("password") or v.get("hash")
            if not h:
                raise InputError(f"{where}: no password hash")
            out[str(name)] = (str(h), _check_role(str(v.get("role") or "editor"), where))
        else:
            raise InputError(f"{where}: expected a hash or {{password, role}}")
    return out


def configured_users(secrets: Mapping[str, Any] | None = None, env: str | None = None) -> dict[str, tuple[str, str]]:
    users = users_from_secrets(secrets or {})
    users.update(users_from_env(env))
    return users


def mode(secrets: Mapping[str, Any] | None = None, env: str | None = None) -> str | None:
    """"oidc" when ``[auth]`` is configured, "password" when users are, else None (no sign-in)."""
    secrets = secrets or {}
    if isinstance(secrets.get("auth"), Mapping) and secrets.get("auth"):
        return "oidc"
    if configured_users(secrets, env):
        return "password"
    return None


def oidc_role(name: str, secrets: Mapping[str, Any]) -> str:
    review = secrets.get("review") or {}
    roles = review.get("roles") or {} if isinstance(review, Mapping) else {}
    default = review.get("default_role", "editor") if isinstance(review, Mapping) else "editor"
    return _check_role(str(roles.get(name, default)), f"secrets [review.roles] {name}")


def oidc_providers(secrets: Mapping[str, Any]) -> list[str | None]:
    """``[auth]`` with ``client_id`` is one unnamed provider (``st.login()``); ``[auth.NAME]``
    sub-sections are named providers (``st.login("NAME")``)."""
    a = secrets.get("auth") or {}
    if "client_id" in a:
        return [None]
    return [k for k, v in a.items() if isinstance(v, Mapping)] or [None]


# ------------------------------------------------------------------------------------------------
# Checking a password, with a brake on guessing
# ------------------------------------------------------------------------------------------------
class Throttle:
    """After ``limit`` failures for one user name within ``window`` seconds, refuse that name for
    ``lockout`` seconds (checked before the hash, so a locked name costs nothing)."""

    def __init__(self, limit: int = 5, window: float = 300, lockout: float = 60):
        self.limit, self.window, self.lockout = limit, window, lockout
        self._fails: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def locked(self, name: str) -> float:
        now = time.monotonic()
        with self._lock:
            fails = [t for t in self._fails.get(name, []) if now - t < self.window]
            self._fails[name] = fails
            if len(fails) >= self.limit:
                return max(0.0, fails[-1] + self.lockout - now)
        return 0.0

    def fail(self, name: str) -> None:
        with self._lock:
            self._fails.setdefault(name, []).append(time.monotonic())

    def reset(self, name: str) -> None:
        with self._lock:
            self._fails.pop(name, None)


THROTTLE = Throttle()
_DUMMY_HASH = f"pbkdf2_sha256$1000${_b64(b'0' * 16)}${_b64(b'0' * 32)}"


def authenticate(name: str, password: str, users: Mapping[str, tuple[str, str]],
                 throttle: Throttle | None = THROTTLE) -> User:
    """The user, or PermissionDenied with one message for every failure (unknown name, wrong
    password), so the message does not tell which names exist."""
    name = (name or "").strip()
    if throttle is not None:
        wait = throttle.locked(name)
        if wait:
            raise PermissionDenied(f"too many failed sign-ins for this name; try again in {wait:.0f} s")
    entry = users.get(name)
    ok = verify_password(password or "", entry[0] if entry else _DUMMY_HASH) and entry is not None
    if not ok:
        if throttle is not None:
            throttle.fail(name)
        raise PermissionDenied("unknown user name or wrong password")
    if throttle is not None:
        throttle.reset(name)
    return User(name=name, role=entry[1], method="password")


# ------------------------------------------------------------------------------------------------
# Enforcement: a store and an engine bound to the signed-in user
# ------------------------------------------------------------------------------------------------
def require_edit(user: User | None, what: str = "change the text") -> None:
    """Refuse when ``user`` (None = no sign-in: allowed) may not edit."""
    if user is not None and not user.can_edit:
        raise PermissionDenied(f"{user.name} signed in as {user.role}: a {user.role} cannot {what}")


# Store methods that change text, decisions, dismissals or the glossary audit (editor role only),
# and those any signed-in user may call; both get the signed-in name as ``editor``.
EDIT_METHODS = {
    "save_segment": "change the text", "restore": "change the text",
    "record_decision": "apply or dismiss findings", "add_project_dismissal": "dismiss findings",
    "remove_project_dismissal": "change dismissals", "record_glossary_edit": "change the glossary",
    "delete_document": "delete documents", "save_scores": "change the text",
}
ANY_ROLE_METHODS = ("add_document", "get_or_add_document", "set_reviewed")


class UserStore:
    """A :class:`~review.store.Store` as one signed-in user sees it: reads pass through; writes
    carry the user's name as ``editor`` (whatever the caller passed) and text, decision and
    glossary changes are refused for the ``reviewer`` role."""

    def __init__(self, store, user: User):
        self._store = store
        self.user = user

    def __getattr__(self, name: str):
        attr = getattr(self._store, name)
        if name in EDIT_METHODS:
            return self._wrap(attr, EDIT_METHODS[name])
        if name in ANY_ROLE_METHODS:
            return self._wrap(attr, None)
        return attr

    def _wrap(self, method, what: str | None):
        sig = inspect.signature(method)
        user = self.user

        def call(*args, **kwargs):
            if what is not None:
                require_edit(user, what)
            bound = sig.bind(*args, **kwargs)
            if "editor" in sig.parameters:
                bound.arguments["editor"] = user.name
            dec = bound.arguments.get("decision")
            if dec is not None and getattr(dec, "editor", None) not in (None, user.name):
                import dataclasses

                bound.arguments["decision"] = dataclasses.replace(dec, editor=user.name)
            return method(*bound.args, **bound.kwargs)

        call.__name__ = getattr(method, "__name__", "call")
        return call

    def __repr__(self) -> str:
        return f"UserStore({self._store!r}, {self.user!r})"


class ReadOnlyGlossary:
    """A glossary whose in-memory edits are refused (reads pass through)."""

    _WRITES = ("add", "upsert", "replace", "remove", "save_tbx", "save_csv", "_put")

    def __init__(self, glossary, user: User):
        object.__setattr__(self, "_g", glossary)
        object.__setattr__(self, "_user", user)

    def __getattr__(self, name: str):
        if name in self._WRITES:
            require_edit(self._user, "change the glossary")
        return getattr(self._g, name)

    def __setattr__(self, name, value):
        require_edit(self._user, "change the glossary")

    def __contains__(self, item) -> bool:
        return item in self._g

    def __iter__(self):
        return iter(self._g)

    def __len__(self) -> int:
        return len(self._g)


class ReadOnlyEngine:
    """The shared checking engine for a reviewer: checks run as usual, the glossary cannot be
    replaced or edited through it."""

    def __init__(self, engine, user: User):
        object.__setattr__(self, "_engine", engine)
        object.__setattr__(self, "_user", user)

    def __getattr__(self, name: str):
        value = getattr(self._engine, name)
        if name == "glossary" and value is not None:
            return ReadOnlyGlossary(value, self._user)
        return value

    def __setattr__(self, name, value):
        require_edit(self._user, "change the glossary" if name == "glossary" else "change the engine")


def check_writable(engine) -> None:
    """For service functions that write glossary files before they touch ``engine.glossary``:
    call first, so a reviewer is refused before anything is written."""
    if isinstance(engine, ReadOnlyEngine):
        require_edit(object.__getattribute__(engine, "_user"), "change the glossary")


def bind(store, engine, user: User | None):
    """(store, engine) for this user: unchanged without sign-in; names forced and roles enforced
    with it."""
    if user is None:
        return store, engine
    return UserStore(store, user), (engine if user.can_edit else ReadOnlyEngine(engine, user))


def main(argv: list[str] | None = None) -> int:
    """``python -m review.auth hash [--pbkdf2]``: read a password (twice, hidden) and print its hash."""
    import argparse
    import getpass
    import sys

    ap = argparse.ArgumentParser(prog="python -m review.auth")
    sub = ap.add_subparsers(dest="cmd", required=True)
    h = sub.add_parser("hash", help="print the hash of a password for REVIEW_PASSWORDS or [review.users]")
    h.add_argument("--pbkdf2", action="store_true", help="PBKDF2-SHA256 instead of scrypt")
    h.add_argument("--stdin", action="store_true", help="read the password from the first line of stdin")
    args = ap.parse_args(argv)
    if args.stdin:
        pw = sys.stdin.readline().rstrip("\r\n")
    else:
        pw = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != pw:
            print("the two passwords differ", file=sys.stderr)
            return 2
    if not pw:
        print("empty password", file=sys.stderr)
        return 2
    print(hash_password(pw, "pbkdf2" if args.pbkdf2 else "scrypt"))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
