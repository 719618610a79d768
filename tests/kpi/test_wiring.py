"""`bot.wiring.prepare_database`: migrate and seed on start, and do nothing the second time."""
from __future__ import annotations

from sqlalchemy import func, select

from bot.settings import DEFAULT_CORPUS_DIR, Settings
from bot.wiring import prepare_database
from kpi_tools.database import make_engine
from kpi_tools.models import Commitment, SeedState


def test_prepare_database_migrates_seeds_and_is_idempotent(tmp_path):
    settings = Settings(data_dir=tmp_path, corpus_dir=DEFAULT_CORPUS_DIR)
    engine = make_engine(settings.effective_database_url)
    prepare_database(engine, settings)
    with engine.connect() as connection:
        seeded_at = connection.scalar(select(SeedState.seeded_at))
        assert connection.scalar(select(func.count()).select_from(Commitment)) == 130
    prepare_database(engine, settings)
    with engine.connect() as connection:
        assert connection.scalar(select(SeedState.seeded_at)) == seeded_at
    assert (tmp_path / "council.db").is_file()
