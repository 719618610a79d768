"""The Slack adapter's test helpers (tests/slack: fake Web API, scripted engine, running bot),
reused for the end-to-end observability test. tests/slack is not a package, so its folder is
put on sys.path the way tests/slack/serve_fake_bot.py does it."""
import sys
from pathlib import Path

import pytest

SLACK_TESTS = str(Path(__file__).resolve().parents[1] / "slack")
if SLACK_TESTS not in sys.path:
    sys.path.insert(0, SLACK_TESTS)

from slack_fake_api import FakeSlackApi  # noqa: E402
from slack_fakes import create_slack_tables  # noqa: E402

from kpi_tools.database import make_engine  # noqa: E402


@pytest.fixture
def slack_api():
    fake = FakeSlackApi().start()
    yield fake
    fake.stop()


@pytest.fixture
def slack_db(tmp_path):
    db = make_engine(f"sqlite:///{tmp_path / 'council.db'}")
    create_slack_tables(db)
    yield db
    db.dispose()
