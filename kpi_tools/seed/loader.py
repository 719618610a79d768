"""Bringing the KPI database in line with the corpus and the seed data, once per change.

Steps, in one transaction (a failure leaves the database as it was):
1. fingerprint the documents (manifest fields and content hashes), the seed data files and
   SEED_VERSION; if the stored fingerprint matches, stop: nothing changed;
2. parse every document with its parser (pure functions; any SeedError stops here);
3. store frameworks, outcomes, measures, commitments and figures (`writer`), and the
   differences between each later edition and the draft it supersedes;
4. import the seed data through the same importers a council uses
   (`measures-public.csv`, then `performance-public.csv`).
Two processes starting at once seed one after the other (`kpi_tools.locks`); the second then
finds the fingerprint current and does nothing.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from kpi_tools.import_results import ImportSummary
from kpi_tools.importer import OBSERVATION_COLUMNS, OPTIONAL_COLUMNS, import_observations_with
from kpi_tools.locks import locked_transaction
from kpi_tools.measure_definitions import DEFINITION_COLUMNS, import_definitions_with
from kpi_tools.models import EditionDifference, SeedState
from kpi_tools.seed import framework_2016, framework_2021, framework_2023, plan_2010
from kpi_tools.seed.differences import compare
from kpi_tools.seed.records import FrameworkContent
from kpi_tools.seed.writer import WriteCounts, write_differences, write_framework
from kpi_tools.tabular import read_table
from retrieval.corpus import DocumentInfo

logger = logging.getLogger(__name__)

# Bump when a parser or rule changes, so existing databases are re-seeded on next start.
SEED_VERSION = "2"
SEED_LOCK_KEY = 7_261_843_002  # pg_advisory_xact_lock key for seeding
DEFINITIONS_FILE = "measures-public.csv"
OBSERVATIONS_FILE = "performance-public.csv"

PARSERS = {
    "integrated-plan-2010": plan_2010.parse,
    "strategic-framework-2016-21-draft": framework_2016.parse,
    "strategic-framework-2016-21": framework_2016.parse,
    "strategic-framework-2021-25": framework_2021.parse,
    "strategic-framework-2023-28-draft": framework_2023.parse,
}


@dataclass(frozen=True)
class SeedReport:
    """`changed` is False when the fingerprint matched and nothing was done."""

    changed: bool
    fingerprint: str
    frameworks: int = 0
    outcomes: int = 0
    measures: int = 0
    commitments: int = 0
    figures: int = 0
    edition_differences: int = 0
    definitions: ImportSummary | None = None
    observations: ImportSummary | None = None
    unparsed_documents: tuple[str, ...] = ()
    kept_measures: tuple[str, ...] = ()


def parse_document(document: DocumentInfo) -> FrameworkContent:
    """The parsed content of one document; an empty content for a document with no parser."""
    parser = PARSERS.get(document.id)
    if parser is None:
        return FrameworkContent(doc_id=document.id)
    return parser(document.id, document.read_text())


def seed_database(engine: Engine, documents: list[DocumentInfo], seed_data_dir: Path) -> SeedReport:
    seed_data_dir = Path(seed_data_dir)
    fingerprint = _fingerprint(documents, seed_data_dir)
    with locked_transaction(engine, SEED_LOCK_KEY, "seed") as connection:
        stored = connection.scalar(select(SeedState.content_hash).where(SeedState.name == "corpus"))
        if stored == fingerprint:
            return SeedReport(changed=False, fingerprint=fingerprint)
        report = _seed(connection, documents, seed_data_dir, fingerprint)
        _store_fingerprint(connection, fingerprint, exists=stored is not None)
    logger.info("Seeded the KPI database: %s", report)
    return report


def _seed(connection: Connection, documents, seed_data_dir: Path, fingerprint: str) -> SeedReport:
    contents = {document.id: parse_document(document) for document in documents}
    superseded_by = {document.supersedes: document.id for document in documents if document.supersedes}
    counts = WriteCounts()
    with Session(bind=connection, autoflush=False) as session:
        session.execute(EditionDifference.__table__.delete())
        frameworks = {
            document.id: write_framework(
                session, document, superseded_by.get(document.id), contents[document.id], counts)
            for document in documents
        }
        differences = 0
        for document in documents:
            if document.supersedes in frameworks:
                found = compare(contents[document.id], contents[document.supersedes])
                later, draft = frameworks[document.id], frameworks[document.supersedes]
                differences += write_differences(session, later, draft, found)
        session.flush()
        session.commit()  # joins the outer transaction: commits with it, or not at all
    definitions = observations = None
    if (seed_data_dir / DEFINITIONS_FILE).is_file():
        table = read_table(seed_data_dir / DEFINITIONS_FILE, ("code", "name"), DEFINITION_COLUMNS)
        definitions = import_definitions_with(connection, table)
    if (seed_data_dir / OBSERVATIONS_FILE).is_file():
        table = read_table(seed_data_dir / OBSERVATIONS_FILE, OBSERVATION_COLUMNS, OPTIONAL_COLUMNS)
        observations = import_observations_with(connection, table)
    return SeedReport(
        changed=True, fingerprint=fingerprint, frameworks=len(frameworks), outcomes=counts.outcomes,
        measures=counts.measures, commitments=counts.commitments, figures=counts.figures,
        edition_differences=differences, definitions=definitions, observations=observations,
        unparsed_documents=tuple(document.id for document in documents if document.id not in PARSERS),
        kept_measures=tuple(counts.kept_measures),
    )


def _fingerprint(documents: list[DocumentInfo], seed_data_dir: Path) -> str:
    digest = hashlib.sha256(f"seed-version:{SEED_VERSION}\n".encode())
    for document in sorted(documents, key=lambda d: d.id):
        fields = (document.id, document.title, document.status, document.period_start, document.period_end,
                  document.supersedes, document.content_hash())
        digest.update(repr(fields).encode())
    for name in (DEFINITIONS_FILE, OBSERVATIONS_FILE):
        path = seed_data_dir / name
        digest.update(name.encode() + (hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"-"))
    return digest.hexdigest()


def _store_fingerprint(connection: Connection, fingerprint: str, exists: bool) -> None:
    now = datetime.now(timezone.utc)
    table = SeedState.__table__
    if exists:
        connection.execute(
            table.update().where(table.c.name == "corpus").values(content_hash=fingerprint, seeded_at=now))
    else:
        connection.execute(table.insert().values(name="corpus", content_hash=fingerprint, seeded_at=now))
