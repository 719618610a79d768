"""The one module that builds the real parts (database, index, embedder, engine) from Settings.

Everything else takes these parts as arguments, so tests can hand in fakes. Parts are built
lazily and cached: a CLI command that needs no model never loads one, and the index is built
on first use.
"""
from __future__ import annotations

import logging
from functools import cached_property

from sqlalchemy import Engine

from bot.settings import Settings
from kpi_tools.database import make_engine
from retrieval.corpus import DocumentInfo, load_manifest

log = logging.getLogger(__name__)


class Services:
    """Lazily built, shared parts of one running process (a CLI call or a bot process)."""

    def __init__(self, settings: Settings):
        self.settings = settings

    @cached_property
    def _db(self) -> Engine:
        engine = make_engine(self.settings.effective_database_url, pool_pre_ping=True)
        prepare_database(engine, self.settings)
        return engine

    def db(self) -> Engine:
        """The SQLAlchemy engine with its schema migrated and the corpus seeded."""
        return self._db

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
        from retrieval.vector_store import ChromaStore, open_chroma_client

        return ChromaStore(open_chroma_client(self.index_files.chroma, self.settings.chroma_url))

    def indexer(self):
        from retrieval.index import Indexer

        return Indexer(self.index_files, self.embedder, self.vector_store)

    def build_index(self, rebuild: bool = False):
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

            engine = build_llm_engine(self.settings, engine, kpi_tools=KpiTools(self.db()))
        return guard(engine, self.db(), self.settings)

    def answer_engine(self):
        """The answer engine for this process: offline unless LLM_MODEL is set (then the LLM engine
        answers and falls back to the offline one), behind the council guardrails (crisis signs,
        kill switch, purdah, refusals)."""
        return self._engine_for_mode

    def audit_log(self):
        from bot.audit.log import AuditLog

        return AuditLog(self.db(), retention_days=self.settings.audit_retention_days)

    @cached_property
    def _briefings(self):
        from bot.briefing.service import Briefings
        from kpi_tools.tools import KpiTools

        return Briefings(KpiTools(self.db()))

    def briefings(self):
        """Briefings and lineage timelines (they hold the framework catalogue, so one per process)."""
        return self._briefings

    def kpi_answerer(self):
        """Answers KPI and figure questions from the database; None until that layer is wired."""
        try:
            from bot.kpi_answers import KpiAnswerer
        except ImportError:
            return None
        from kpi_tools.tools import KpiTools

        return KpiAnswerer(KpiTools(self.db()), self.documents())


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
