"""Fixtures for the LLM mode: a seeded SQLite KPI database and engines over scripted models."""
from __future__ import annotations

import pytest

from bot.settings import DEFAULT_CORPUS_DIR, DEFAULT_SEED_DATA_DIR, Settings


@pytest.fixture(scope="session")
def kpi(tmp_path_factory):
    from kpi_tools.database import make_engine
    from kpi_tools.schema import upgrade_to_head
    from kpi_tools.seed import seed_database
    from kpi_tools.tools import KpiTools
    from retrieval.corpus import load_manifest

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('llm-kpi') / 'kpi.db'}")
    upgrade_to_head(engine)
    seed_database(engine, load_manifest(DEFAULT_CORPUS_DIR), DEFAULT_SEED_DATA_DIR)
    yield KpiTools(engine)
    engine.dispose()


@pytest.fixture
def llm_settings() -> Settings:
    return Settings(corpus_dir=DEFAULT_CORPUS_DIR, llm_model="openai:scripted", llm_timeout_s=5.0,
                    llm_max_tool_calls=4)


@pytest.fixture
def make_engine(fake_engine, kpi, llm_settings):
    """`make_engine(model, **settings_changes)`: an LlmEngine over the fake-embedder index and the KPI tools."""
    from dataclasses import replace

    from bot.llm.engine import build_llm_engine

    def make(model, **changes):
        return build_llm_engine(replace(llm_settings, **changes), fake_engine, kpi, chat_model=model)

    return make
