"""The one module that builds the real parts (database, index, embedder, engine) from Settings.

Everything else takes these parts as arguments, so tests can hand in fakes. Parts are built
lazily and cached: a CLI command that needs no model never loads one, and the index is built
on first use.

Degraded mode: when the database cannot be reached, opened or migrated, `db()` raises
`DatabaseUnavailable` (one sentence; the commands that need the database print it), while the
answer engine is still built: document questions are answered, and the KPI parts answer through
the bare engine, so the guard says the performance database is not available. `health()` is what
a health check asks (database reachable, schema at the newest migration, every table there).
"""
from __future__ import annotations

import logging
import threading
from functools import cached_property

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.database_health import DatabaseUnavailable, describe_database_error, schema_health
from bot.settings import Settings
from kpi_tools.database import make_engine
from retrieval.corpus import DocumentInfo, load_manifest

log = logging.getLogger(__name__)


class Services:
    """Lazily built, shared parts of one running process (a CLI call or a bot process)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._db_lock = threading.RLock()
        self._bare_db: Engine | None = None
        self._prepared_db: Engine | None = None
        self._told_degraded = False

    def _engine(self) -> Engine:
        """The engine for DATABASE_URL, built once; it has not connected yet."""
        with self._db_lock:
            if self._bare_db is None:
                url = self.settings.effective_database_url
                try:
                    self._bare_db = make_engine(url, pool_pre_ping=True, **_connect_timeout(url))
                except Exception as error:  # a malformed URL, an unknown driver, an unwritable folder
                    log.debug("could not build the database engine", exc_info=True)
                    raise DatabaseUnavailable(describe_database_error(url, error)) from None
            return self._bare_db

    def db(self) -> Engine:
        """The SQLAlchemy engine with its schema migrated and the corpus seeded. Raises
        `DatabaseUnavailable` (one sentence) when that cannot be done; the next call tries again."""
        if self._prepared_db is not None:
            return self._prepared_db
        engine = self._engine()
        with self._db_lock:
            if self._prepared_db is None:
                try:
                    prepare_database(engine, self.settings)
                except (SQLAlchemyError, OSError) as error:
                    log.debug("could not prepare the database", exc_info=True)
                    raise DatabaseUnavailable(
                        describe_database_error(self.settings.effective_database_url, error)) from None
                self._prepared_db = engine
        return self._prepared_db

    def answering_db(self) -> Engine:
        """The database for answering questions: `db()` when it can be prepared; while it cannot,
        the bare engine (or, for an unusable URL, one that never connects), whose failures the
        guard turns into "the performance database is not available", so documents still answer."""
        try:
            return self.db()
        except DatabaseUnavailable as error:
            if not self._told_degraded:
                log.warning("%s Answering from the documents only until it is back.", error)
                self._told_degraded = True
        try:
            return self._engine()
        except DatabaseUnavailable:
            return _never_connects()

    def health(self) -> tuple[bool, str]:
        """(ok, reason) for a health check: the database answers, its schema is at the newest
        migration and every table exists. Never raises; `reason` is "ok" or one sentence."""
        try:
            engine = self._engine()
        except DatabaseUnavailable as error:
            return False, str(error)
        return schema_health(engine)

    def documents(self) -> list[DocumentInfo]:
        return all_documents(self.settings)

    @cached_property
    def index_files(self):
        from retrieval.index import IndexFiles

        return IndexFiles(self.settings.index_dir)

    @cached_property
    def embedder(self):
        from retrieval.embed import OnnxEmbedder, export_onnx

        if not self.index_files.onnx_model.is_file():
            log.info("Exporting the bundled embedding model to ONNX (first run only)")
            export_onnx(self.index_files.onnx_model)
        return OnnxEmbedder(self.index_files.onnx_model)

    @cached_property
    def vector_store(self):
        from retrieval.vector_store import ChromaStore, VectorStoreUnavailable, open_chroma_client

        try:
            return ChromaStore(open_chroma_client(self.index_files.chroma, self.settings.chroma_url))
        except VectorStoreUnavailable as error:
            if self.settings.chroma_url:
                raise
            raise VectorStoreUnavailable(
                f"{error}. The local store in {self.index_files.chroma} looks damaged; run "
                "`council-assistant index --rebuild` to rebuild it.") from error

    def repair_index_parts(self) -> list[str]:
        """For `index --rebuild`: re-export an ONNX model that cannot be loaded and set aside a local
        Chroma store that cannot be opened (a new one is built). Returns what was repaired."""
        from retrieval.embed import EmbeddingModelDamaged, export_onnx
        from retrieval.index import set_aside
        from retrieval.vector_store import VectorStoreUnavailable

        repaired = []
        try:
            self.embedder
        except EmbeddingModelDamaged as error:
            log.warning("%s Exporting it again.", error)
            export_onnx(self.index_files.onnx_model)
            repaired.append(f"re-exported the embedding model {self.index_files.onnx_model}")
        try:
            self.vector_store.count()
        except VectorStoreUnavailable as error:
            if self.settings.chroma_url:
                raise
            self.__dict__.pop("vector_store", None)
            moved = set_aside(self.index_files.chroma)
            _forget_chroma_clients()
            log.warning("%s Moved it to %s; building a new one.", error, moved)
            repaired.append(f"rebuilt the Chroma store {self.index_files.chroma} (the damaged one is in {moved})")
        return repaired

    def indexer(self):
        from retrieval.index import Indexer

        return Indexer(self.index_files, self.embedder, self.vector_store)

    def build_index(self, rebuild: bool = False):
        """Build or refresh the index; `rebuild` re-embeds everything and first repairs a damaged
        ONNX model or local Chroma store (`repair_index_parts`)."""
        if rebuild:
            self.repaired = self.repair_index_parts()
        return self.indexer().build(self.documents(), rebuild=rebuild)

    def ensure_index(self) -> None:
        """Build the index on first use, or refresh it when a document changed."""
        documents = self.documents()
        indexer = self.indexer()
        if not indexer.is_current(documents) or self.vector_store.count() == 0:
            indexer.build(documents)

    @cached_property
    def _answer_engine(self):
        self.ensure_index()
        return build_offline_engine(self.index_files, self.embedder, self.vector_store, self.documents(),
                                    kpi=self.kpi_answerer(), lineage=self.briefings())

    @cached_property
    def _engine_for_mode(self):
        from bot.guarded_engine import guard

        engine = self._answer_engine
        if self.settings.llm_model:
            from bot.llm.engine import build_llm_engine
            from kpi_tools.tools import KpiTools

            engine = build_llm_engine(self.settings, engine, kpi_tools=KpiTools(self.answering_db()))
        return guard(engine, self.answering_db(), self.settings)

    def answer_engine(self):
        """The answer engine for this process: offline unless LLM_MODEL is set (then the LLM engine
        answers and falls back to the offline one), behind the council guardrails (crisis signs,
        kill switch, purdah, refusals)."""
        return self._engine_for_mode

    @cached_property
    def _audit_log(self):
        from bot.audit.log import AuditLog

        return AuditLog(self.answering_db(), retention_days=self.settings.audit_retention_days,
                        spool=self.audit_spool)

    @property
    def audit_spool(self):
        """Where audit entries wait when the process stops while the database is away."""
        return self.settings.data_dir / "audit-pending.jsonl"

    def audit_log(self):
        """This process's audit log (one, so what it holds during an outage is written, or kept in
        `audit_spool`, when the process stops)."""
        return self._audit_log

    @cached_property
    def _briefings(self):
        from bot.briefing.service import Briefings
        from kpi_tools.tools import KpiTools

        return Briefings(KpiTools(self.answering_db()))

    def briefings(self):
        """Briefings and lineage timelines (they hold the framework catalogue, so one per process)."""
        return self._briefings

    def kpi_answerer(self):
        """Answers KPI and figure questions from the database; None until that layer is wired."""
        try:
            from bot.engine.measures import KpiAnswerer
        except ImportError:
            return None
        from kpi_tools.tools import KpiTools

        return OutageTolerantKpi(KpiAnswerer(KpiTools(self.answering_db()), self.documents()))


class OutageTolerantKpi:
    """The KPI answerer, except that describing a document answer's figures (naming them from the
    database) is skipped while the database is away: the document answer still arrives, its
    figures as printed. KPI questions still raise, so the guard says the data is unavailable."""

    def __init__(self, answerer):
        self._answerer = answerer

    def describe_figures(self, figures):
        try:
            return self._answerer.describe_figures(figures)
        except SQLAlchemyError as error:
            log.info("figures not described from the database (%s)", type(error).__name__)
            return tuple(figures)

    def __getattr__(self, name):
        return getattr(self._answerer, name)


def _forget_chroma_clients() -> None:
    """chromadb keeps one client per folder for the life of the process, and a client that failed
    to open keeps failing; after the folder is replaced, a new client must start afresh."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


def _connect_timeout(url: str) -> dict:
    """A PostgreSQL server that does not answer fails the connection in 5 s instead of hanging."""
    try:
        parsed = make_url(url)
    except Exception:
        return {}
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        return {"connect_args": {"connect_timeout": 5}}
    return {}


def _never_connects() -> Engine:
    """An engine whose every connection fails (OperationalError), for an unusable DATABASE_URL."""
    return create_engine("sqlite:///file:council-database-unavailable?mode=ro&uri=true")


def build_offline_engine(index_files, embedder, vector_store, documents, kpi=None, policy=None, lineage=None):
    """Load a built index and put the offline engine together from the given parts."""
    from bot.engine import AbstainPolicy, OfflineEngine
    from retrieval.index import load_index
    from retrieval.search import HybridSearcher

    loaded = load_index(index_files)
    searcher = HybridSearcher(loaded.chunks, vector_store)
    return OfflineEngine(searcher, embedder, loaded.unit_vectors, documents, kpi=kpi, lineage=lineage,
                         policy=policy or AbstainPolicy())


def all_documents(settings: Settings) -> list[DocumentInfo]:
    """The shipped corpus plus anything added with `council-assistant ingest`."""
    documents = load_manifest(settings.corpus_dir)
    ingested = settings.data_dir / "ingested"
    if (ingested / "manifest.yaml").is_file():
        documents += load_manifest(ingested)
    return documents


def prepare_database(engine: Engine, settings: Settings) -> None:
    """Bring the schema to the latest migration and seed framework data if it is missing.

    Cheap when nothing changed: one Alembic version check and one fingerprint comparison.
    """
    from bot.settings import DEFAULT_SEED_DATA_DIR
    from kpi_tools.schema import upgrade_to_head
    from kpi_tools.seed import seed_database

    upgrade_to_head(engine)
    seed_database(engine, load_manifest(settings.corpus_dir), DEFAULT_SEED_DATA_DIR)
