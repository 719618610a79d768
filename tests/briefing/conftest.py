"""Fixtures for briefings: one seeded SQLite database (the real corpus and seed data), the
normalised documents for provenance checks. The fake Slack comes from tests/fake_slack.py."""
from __future__ import annotations

import csv

import pytest

from bot.briefing import Briefings
from bot.settings import DEFAULT_CORPUS_DIR, DEFAULT_SEED_DATA_DIR
from kpi_tools.database import make_engine
from kpi_tools.normalise import normalise_text
from kpi_tools.schema import upgrade_to_head
from kpi_tools.seed import seed_database
from kpi_tools.tools import KpiTools
from retrieval.corpus import load_manifest


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory):
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('briefing') / 'kpi.db'}")
    upgrade_to_head(engine)
    seed_database(engine, load_manifest(DEFAULT_CORPUS_DIR), DEFAULT_SEED_DATA_DIR)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def tools(seeded_db) -> KpiTools:
    return KpiTools(seeded_db)


@pytest.fixture(scope="session")
def briefings(tools) -> Briefings:
    return Briefings(tools)


@pytest.fixture(scope="session")
def manifest() -> dict:
    """doc_id -> (title, normalised text) for every shipped document."""
    return {d.id: (d.title, normalise_text(d.read_text())) for d in load_manifest(DEFAULT_CORPUS_DIR)}


@pytest.fixture(scope="session")
def imported_sources() -> set[str]:
    """Every `source` of the seed observations and every `publisher` of the seed measures."""
    with open(DEFAULT_SEED_DATA_DIR / "performance-public.csv", encoding="utf-8") as rows:
        sources = {row["source"] for row in csv.DictReader(rows)}
    with open(DEFAULT_SEED_DATA_DIR / "measures-public.csv", encoding="utf-8") as rows:
        return sources | {row["publisher"] for row in csv.DictReader(rows)}
