"""Persistence for the review UI (SQLAlchemy 2 Core): documents, per-segment edits with optimistic
concurrency, revision history, decisions, dismissals, glossary audit and scores.

Every editor action is one short transaction that touches one segment row, so two editors (or two
browser tabs) never overwrite each other's work: ``save_segment`` updates a row only ``WHERE version
= expected`` and raises :class:`ConflictError` (carrying the other version) when someone else saved
first. SQLite runs in WAL mode with ``synchronous=FULL`` and foreign keys on, writes in ``BEGIN
IMMEDIATE`` transactions; the SQL is SQLAlchemy Core only, so any SQLAlchemy URL (PostgreSQL ...)
works. Every stored action names its editor: in its own row (revisions, decisions, dismissals,
glossary edits) or in the ``audit`` table (documents added/deleted, reviewed marks).
"""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Sequence

from sqlalchemy import (Boolean, Column, DateTime, Float, ForeignKey, ForeignKeyConstraint, Integer,
                        LargeBinary, MetaData, String, Table, Text, UniqueConstraint, and_, cast, create_engine,
                        event, func, insert, select, update)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.engine import Engine as SAEngine

from .model import Document, InputError

SCHEMA_VERSION = 1  # the audit table is additive: create_all adds it to older databases
DEFAULT_DB_DIR = Path("data")
DEFAULT_DB_FILE = "review.db"

metadata = MetaData()

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True),
    Column("applied", DateTime(timezone=True), nullable=False),
)

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(500), nullable=False),
    Column("format", String(20), nullable=False),
    Column("original", LargeBinary, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("encoding", String(40), nullable=False, default="utf-8"),
    Column("source_lang", String(20)),
    Column("target_lang", String(20), nullable=False, default="en"),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("open_findings", Integer),
)

segments = Table(
    "segments", metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("seg_id", String(200), nullable=False),
    Column("source", Text),
    Column("original_target", Text, nullable=False),
    Column("target", Text, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("reviewed", Boolean, nullable=False, default=False),
    Column("updated_at", DateTime(timezone=True)),
    Column("editor", String(200)),
)

revisions = Table(
    "revisions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", Integer, nullable=False),
    Column("idx", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("editor", String(200)),
    Column("time", DateTime(timezone=True), nullable=False),
    Column("action", String(20), nullable=False),
    ForeignKeyConstraint(["document_id", "idx"], ["segments.document_id", "segments.idx"], ondelete="CASCADE"),
    UniqueConstraint("document_id", "idx", "version"),
)

decisions = Table(
    "decisions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("idx", Integer, nullable=False),
    Column("rule", String(100), nullable=False),
    Column("text", Text, nullable=False),
    Column("start", Integer),
    Column("end", Integer),
    Column("action", String(20), nullable=False),
    Column("suggestion", Text),
    Column("editor", String(200)),
    Column("time", DateTime(timezone=True), nullable=False),
)

project_dismissals = Table(
    "project_dismissals", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("rule", String(100), nullable=False),
    Column("text", Text, nullable=False),
    Column("editor", String(200)),
    Column("time", DateTime(timezone=True), nullable=False),
    UniqueConstraint("rule", "text"),
)

glossary_edits = Table(
    "glossary_edits", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("action", String(20), nullable=False),
    Column("concept_id", String(200), nullable=False),
    Column("payload", Text, nullable=False),
    Column("editor", String(200)),
    Column("time", DateTime(timezone=True), nullable=False),
)

scores = Table(
    "scores", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("idx", Integer),  # NULL = the whole document
    Column("metric", String(20), nullable=False),
    Column("value", Float, nullable=False),
    Column("signature", Text, nullable=False),
    Column("time", DateTime(timezone=True), nullable=False),
)

# Actions without a row of their own (documents added or deleted, reviewed marks, dismissals lifted):
# one audit row each, in the same transaction, so every stored action says who did it.
audit = Table(
    "audit", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("time", DateTime(timezone=True), nullable=False),
    Column("editor", String(200)),
    Column("action", String(40), nullable=False),
    Column("document_id", Integer),
    Column("idx", Integer),
    Column("detail", Text),
)

ACTIONS = ("edit", "apply", "restore")
DECISIONS = ("applied", "dismissed")


def _now() -> datetime:
    return datetime.now(timezone.utc)


# ------------------------------------------------------------------------------------------------
# Value types returned by the store
# ------------------------------------------------------------------------------------------------
class ConflictError(Exception):
    """``save_segment`` with a stale ``expected_version``: someone else saved first."""

    def __init__(self, document_id: int, index: int, expected_version: int, version: int, text: str,
                 editor: str | None, updated_at: datetime | None):
        self.document_id = document_id
        self.index = index
        self.expected_version = expected_version
        self.version = version
        self.text = text
        self.editor = editor
        self.updated_at = updated_at
        who = editor or "someone"
        super().__init__(f"segment {index + 1} was saved by {who} (version {version}) after you opened it "
                         f"(your version {expected_version})")


@dataclass(frozen=True)
class DocInfo:
    id: int
    name: str
    format: str
    created: datetime
    total: int
    reviewed: int
    edited: int
    open_findings: int | None
    source_lang: str | None = None
    target_lang: str = "en"


@dataclass(frozen=True)
class SegmentRow:
    index: int
    seg_id: str
    source: str | None
    original: str
    target: str
    version: int
    reviewed: bool
    updated_at: datetime | None
    editor: str | None

    @property
    def edited(self) -> bool:
        return self.target != self.original


@dataclass(frozen=True)
class Revision:
    version: int
    text: str
    editor: str | None
    time: datetime | None
    action: str


@dataclass(frozen=True)
class Decision:
    index: int
    rule: str
    text: str
    start: int | None
    end: int | None
    action: str
    suggestion: str | None = None
    editor: str | None = None
    time: datetime | None = None


# ------------------------------------------------------------------------------------------------
def default_url() -> str:
    env = os.environ.get("REVIEW_DB_URL")
    if env:
        return env
    DEFAULT_DB_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(DEFAULT_DB_DIR / DEFAULT_DB_FILE).resolve()}"


def _make_engine(url: str) -> SAEngine:
    """SQLite: WAL journal, ``synchronous=FULL`` (a commit is on disk before it is acknowledged, so
    neither a killed process nor a power cut loses it), foreign keys on, and transactions under our
    control: reads run in one ``BEGIN`` (a consistent snapshot), writes in ``BEGIN IMMEDIATE`` (the
    write lock is taken at the start, so a read-then-write transaction never fails half-way on a
    lock upgrade and waits up to ``busy_timeout`` instead). Other databases: the driver's defaults."""
    if url.startswith("sqlite"):
        # make sure the folder of a file database exists
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:" and not path.startswith("file:"):
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        eng = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(eng, "connect")
        def _pragmas(dbapi_conn, _record):  # pragma: no cover - exercised by every test
            dbapi_conn.isolation_level = None  # no implicit BEGIN by the driver: see _begin
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(eng, "begin")
        def _begin(conn):  # pragma: no cover - exercised by every test
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("review_write") else "BEGIN")
        return eng
    return create_engine(url, pool_pre_ping=True)


def _seg_row(r) -> SegmentRow:
    return SegmentRow(index=r.idx, seg_id=r.seg_id, source=r.source, original=r.original_target,
                      target=r.target, version=r.version, reviewed=bool(r.reviewed),
                      updated_at=r.updated_at, editor=r.editor)


class Store:
    """All persistence of the review UI. One instance per database URL; safe to share between
    threads (each call takes a pooled connection and one short transaction)."""

    def __init__(self, url: str | None = None):
        self.url = url or default_url()
        self.engine = _make_engine(self.url)
        self._create_schema()

    def _create_schema(self) -> None:
        with self._tx() as conn:  # serialised: two processes opening a new database at once
            metadata.create_all(conn)
            current = conn.execute(select(func.max(schema_version.c.version))).scalar()
            if current is None:
                conn.execute(insert(schema_version).values(version=SCHEMA_VERSION, applied=_now()))
            elif current > SCHEMA_VERSION:
                raise InputError(f"database schema version {current} is newer than this program "
                                 f"({SCHEMA_VERSION}); upgrade review")

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _tx(self):
        """One write transaction (``BEGIN IMMEDIATE`` on SQLite): committed when the block ends
        without an exception, rolled back otherwise. Every editor action is exactly one of these."""
        with self.engine.connect() as conn:
            conn.execution_options(review_write=True)
            with conn.begin():
                yield conn

    @staticmethod
    def _audit(conn, action: str, editor: str | None, document_id: int | None = None, idx: int | None = None,
               detail: str | None = None) -> None:
        conn.execute(insert(audit).values(time=_now(), editor=editor, action=action, document_id=document_id,
                                          idx=idx, detail=detail))

    def audit_log(self, document_id: int | None = None) -> list[dict]:
        q = select(audit).order_by(audit.c.id)
        if document_id is not None:
            q = q.where(audit.c.document_id == document_id)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q).all()]

    def integrity_check(self) -> str:
        """``PRAGMA integrity_check`` on SQLite ("ok" when sound); "ok" elsewhere."""
        if not self.url.startswith("sqlite"):
            return "ok"
        with self.engine.connect() as conn:
            return "; ".join(str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check").all())

    def pragma(self, name: str):
        with self.engine.connect() as conn:
            return conn.exec_driver_sql(f"PRAGMA {name}").scalar()

    # -- documents -----------------------------------------------------------------------------
    def add_document(self, doc: Document, original: bytes, editor: str | None = None) -> int:
        """Store a parsed document with its original bytes; returns the new document id.
        Refused (InputError) above ``REVIEW_MAX_SEGMENTS`` segments (see :mod:`review.limits`)."""
        from .limits import check_segments

        check_segments(len(doc.segments), doc.name)
        now = _now()
        with self._tx() as conn:
            doc_id = conn.execute(insert(documents).values(
                name=doc.name, format=doc.format, original=original,
                sha256=hashlib.sha256(original).hexdigest(), encoding=doc.encoding or "utf-8",
                source_lang=doc.source_lang, target_lang=doc.target_lang or "en", created=now,
            )).inserted_primary_key[0]
            rows = [dict(document_id=doc_id, idx=s.index, seg_id=s.id, source=s.source,
                         original_target=s.target, target=s.target, version=1, reviewed=False,
                         updated_at=None, editor=None) for s in doc.segments]
            if rows:
                conn.execute(insert(segments), rows)
            self._audit(conn, "add_document", editor, int(doc_id), detail=doc.name)
        return int(doc_id)

    def find_document(self, name: str, original: bytes) -> int | None:
        """The id of the newest stored document with this name and exactly these bytes."""
        sha = hashlib.sha256(original).hexdigest()
        with self.engine.connect() as conn:
            return conn.execute(select(documents.c.id).where(
                and_(documents.c.sha256 == sha, documents.c.name == name)).order_by(documents.c.id.desc())).scalar()

    def get_or_add_document(self, doc: Document, original: bytes, editor: str | None = None) -> int:
        found = self.find_document(doc.name, original)
        return found if found is not None else self.add_document(doc, original, editor)

    def document_original(self, doc_id: int) -> tuple[str, bytes, str | None, str]:
        """(name, original bytes, source_lang, target_lang) of a stored document."""
        with self.engine.connect() as conn:
            r = conn.execute(select(documents.c.name, documents.c.original, documents.c.source_lang,
                                    documents.c.target_lang).where(documents.c.id == doc_id)).first()
        if r is None:
            raise KeyError(doc_id)
        return r.name, bytes(r.original), r.source_lang, r.target_lang

    def _progress_query(self):
        seg = segments
        return (
            select(
                documents.c.id, documents.c.name, documents.c.format, documents.c.created,
                documents.c.open_findings, documents.c.source_lang, documents.c.target_lang,
                func.count(seg.c.idx).label("total"),
                func.coalesce(func.sum(cast(seg.c.reviewed, Integer)), 0).label("reviewed"),
                func.coalesce(func.sum(cast(seg.c.target != seg.c.original_target, Integer)), 0).label("edited"),
            )
            .select_from(documents.outerjoin(seg, seg.c.document_id == documents.c.id))
            .group_by(documents.c.id)
        )

    @staticmethod
    def _info(r) -> DocInfo:
        return DocInfo(id=r.id, name=r.name, format=r.format, created=r.created, total=int(r.total),
                       reviewed=int(r.reviewed), edited=int(r.edited), open_findings=r.open_findings,
                       source_lang=r.source_lang, target_lang=r.target_lang)

    def list_documents(self) -> list[DocInfo]:
        with self.engine.connect() as conn:
            rows = conn.execute(self._progress_query().order_by(documents.c.id.desc())).all()
        return [self._info(r) for r in rows]

    def get_document(self, doc_id: int) -> DocInfo | None:
        with self.engine.connect() as conn:
            r = conn.execute(self._progress_query().where(documents.c.id == doc_id)).first()
        return None if r is None else self._info(r)

    def set_open_findings(self, doc_id: int, n: int) -> None:
        with self._tx() as conn:
            conn.execute(update(documents).where(documents.c.id == doc_id).values(open_findings=n))

    def delete_document(self, doc_id: int, editor: str | None = None) -> None:
        with self._tx() as conn:
            name = conn.execute(select(documents.c.name).where(documents.c.id == doc_id)).scalar()
            for t in (revisions, decisions, scores, segments):
                conn.execute(t.delete().where(t.c.document_id == doc_id))
            conn.execute(documents.delete().where(documents.c.id == doc_id))
            if name is not None:
                self._audit(conn, "delete_document", editor, doc_id, detail=name)

    # -- segments ------------------------------------------------------------------------------
    def segments(self, doc_id: int) -> list[SegmentRow]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(segments).where(segments.c.document_id == doc_id)
                                .order_by(segments.c.idx)).all()
        return [_seg_row(r) for r in rows]

    def segment(self, doc_id: int, index: int) -> SegmentRow:
        with self.engine.connect() as conn:
            r = conn.execute(select(segments).where(and_(segments.c.document_id == doc_id,
                                                         segments.c.idx == index))).first()
        if r is None:
            raise KeyError((doc_id, index))
        return _seg_row(r)

    def save_segment(self, doc_id: int, index: int, new_text: str, expected_version: int,
                     editor: str | None = None, action: str = "edit",
                     decision: Decision | None = None,
                     segment_scores: Iterable[tuple[str, float, str]] = ()) -> int:
        """Save one segment's new text if nobody saved it since ``expected_version``; one
        transaction writes the segment, its revision row, and optionally the decision that caused
        it and the segment's post-edit scores. Returns the new version; raises ConflictError."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        now = _now()
        new_version = expected_version + 1
        with self._tx() as conn:
            res = conn.execute(
                update(segments)
                .where(and_(segments.c.document_id == doc_id, segments.c.idx == index,
                            segments.c.version == expected_version))
                .values(target=new_text, version=new_version, updated_at=now, editor=editor)
            )
            if res.rowcount != 1:
                cur = conn.execute(select(segments).where(and_(segments.c.document_id == doc_id,
                                                               segments.c.idx == index))).first()
                if cur is None:
                    raise KeyError((doc_id, index))
                raise ConflictError(doc_id, index, expected_version, cur.version, cur.target, cur.editor,
                                    cur.updated_at)
            conn.execute(insert(revisions).values(document_id=doc_id, idx=index, version=new_version,
                                                  text=new_text, editor=editor, time=now, action=action))
            if decision is not None:
                conn.execute(insert(decisions).values(self._decision_values(doc_id, decision, editor, now)))
            rows = [dict(document_id=doc_id, idx=index, metric=m, value=float(v), signature=sig, time=now)
                    for m, v, sig in segment_scores]
            if rows:
                conn.execute(scores.delete().where(and_(scores.c.document_id == doc_id, scores.c.idx == index)))
                conn.execute(insert(scores), rows)
        return new_version

    def revisions(self, doc_id: int, index: int) -> list[Revision]:
        """Every version of a segment, oldest first; version 1 is the machine translation."""
        with self.engine.connect() as conn:
            seg = conn.execute(select(segments.c.original_target).where(
                and_(segments.c.document_id == doc_id, segments.c.idx == index))).first()
            if seg is None:
                raise KeyError((doc_id, index))
            created = conn.execute(select(documents.c.created).where(documents.c.id == doc_id)).scalar()
            rows = conn.execute(select(revisions).where(and_(revisions.c.document_id == doc_id,
                                                             revisions.c.idx == index))
                                .order_by(revisions.c.version)).all()
        out = [Revision(version=1, text=seg.original_target, editor=None, time=created, action="original")]
        out += [Revision(version=r.version, text=r.text, editor=r.editor, time=r.time, action=r.action) for r in rows]
        return out

    def restore(self, doc_id: int, index: int, version: int, editor: str | None = None,
                expected_version: int | None = None) -> int:
        """Make an earlier version current again (as a new version). Returns the new version."""
        texts = {r.version: r.text for r in self.revisions(doc_id, index)}
        if version not in texts:
            raise KeyError(f"segment {index} has no version {version}")
        if expected_version is None:
            expected_version = self.segment(doc_id, index).version
        return self.save_segment(doc_id, index, texts[version], expected_version, editor, action="restore")

    def set_reviewed(self, doc_id: int, index: int, reviewed: bool = True, editor: str | None = None) -> None:
        with self._tx() as conn:
            res = conn.execute(update(segments).where(and_(segments.c.document_id == doc_id,
                                                           segments.c.idx == index))
                               .values(reviewed=reviewed, editor=editor, updated_at=_now()))
            if res.rowcount != 1:
                raise KeyError((doc_id, index))
            self._audit(conn, "reviewed" if reviewed else "reopened", editor, doc_id, index)

    # -- decisions and dismissals --------------------------------------------------------------
    @staticmethod
    def _decision_values(doc_id: int, d: Decision, editor: str | None, now: datetime) -> dict:
        if d.action not in DECISIONS:
            raise ValueError(f"unknown decision {d.action!r}")
        return dict(document_id=doc_id, idx=d.index, rule=d.rule, text=d.text, start=d.start, end=d.end,
                    action=d.action, suggestion=d.suggestion, editor=d.editor or editor, time=now)

    def record_decision(self, doc_id: int, decision: Decision, editor: str | None = None) -> None:
        with self._tx() as conn:
            conn.execute(insert(decisions).values(self._decision_values(doc_id, decision, editor, _now())))

    def decisions(self, doc_id: int | None = None) -> list[Decision]:
        q = select(decisions).order_by(decisions.c.id)
        if doc_id is not None:
            q = q.where(decisions.c.document_id == doc_id)
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        return [Decision(index=r.idx, rule=r.rule, text=r.text, start=r.start, end=r.end, action=r.action,
                         suggestion=r.suggestion, editor=r.editor, time=r.time) for r in rows]

    def dismissed(self, doc_id: int) -> set[tuple[int, str, str]]:
        """(segment index, rule, text) of every finding dismissed in this document."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(decisions.c.idx, decisions.c.rule, decisions.c.text).where(
                and_(decisions.c.document_id == doc_id, decisions.c.action == "dismissed"))).all()
        return {(r.idx, r.rule, r.text) for r in rows}

    def add_project_dismissal(self, rule: str, text: str, editor: str | None = None) -> None:
        """Idempotent: a second (or concurrent) call for the same rule and text changes nothing."""
        try:
            with self._tx() as conn:
                exists = conn.execute(select(project_dismissals.c.id).where(
                    and_(project_dismissals.c.rule == rule, project_dismissals.c.text == text))).first()
                if exists is None:
                    conn.execute(insert(project_dismissals).values(rule=rule, text=text, editor=editor, time=_now()))
        except IntegrityError:  # PostgreSQL: another session inserted it between our SELECT and INSERT
            pass

    def remove_project_dismissal(self, rule: str, text: str, editor: str | None = None) -> None:
        with self._tx() as conn:
            res = conn.execute(project_dismissals.delete().where(
                and_(project_dismissals.c.rule == rule, project_dismissals.c.text == text)))
            if res.rowcount:
                self._audit(conn, "undismiss", editor, detail=json.dumps({"rule": rule, "text": text},
                                                                         ensure_ascii=False))

    def project_dismissals(self) -> set[tuple[str, str]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(project_dismissals.c.rule, project_dismissals.c.text)).all()
        return {(r.rule, r.text) for r in rows}

    # -- glossary audit ------------------------------------------------------------------------
    def record_glossary_edit(self, action: str, concept_id: str, payload: dict, editor: str | None = None) -> None:
        with self._tx() as conn:
            conn.execute(insert(glossary_edits).values(action=action, concept_id=concept_id,
                                                       payload=json.dumps(payload, ensure_ascii=False),
                                                       editor=editor, time=_now()))

    def glossary_edits(self) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(glossary_edits).order_by(glossary_edits.c.id)).all()
        return [dict(action=r.action, concept_id=r.concept_id, payload=json.loads(r.payload), editor=r.editor,
                     time=r.time) for r in rows]

    # -- scores --------------------------------------------------------------------------------
    def save_scores(self, doc_id: int, index: int | None, values: Sequence[tuple[str, float, str]]) -> None:
        now = _now()
        with self._tx() as conn:
            cond = scores.c.idx.is_(None) if index is None else scores.c.idx == index
            conn.execute(scores.delete().where(and_(scores.c.document_id == doc_id, cond)))
            if values:
                conn.execute(insert(scores), [dict(document_id=doc_id, idx=index, metric=m, value=float(v),
                                                   signature=s, time=now) for m, v, s in values])

    def scores(self, doc_id: int) -> list[tuple[int | None, str, float, str]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(scores.c.idx, scores.c.metric, scores.c.value, scores.c.signature)
                                .where(scores.c.document_id == doc_id).order_by(scores.c.idx, scores.c.metric)).all()
        return [(r.idx, r.metric, r.value, r.signature) for r in rows]
