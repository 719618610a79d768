"""The Slack adapter's test helpers reused for the end-to-end observability test: the fake Web
API (`slack_api`) comes from tests/fake_slack.py, the scripted engine and running bot from
tests/slack (put on sys.path there)."""
import pytest
from slack_fakes import create_slack_tables

from kpi_tools.database import make_engine


@pytest.fixture
def slack_db(tmp_path):
    db = make_engine(f"sqlite:///{tmp_path / 'council.db'}")
    create_slack_tables(db)
    yield db
    db.dispose()
