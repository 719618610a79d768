"""The fake Slack, in one place: every test that drives the bot gets it from here.

`api` is a running `FakeSlackApi` (tests/slack/slack_fake_api.py: the Web API the bot calls,
recording every call, and the `response_url`s it hands out); `slack_api` is the same fixture
under the name the observability tests use. tests/slack is not a package, so its folder is
put on `sys.path` here, once, for `slack_fake_api` and `slack_fakes` (the scripted engine and
`start_bot`), which the security, observability and briefing tests import too.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

SLACK_TESTS = str(Path(__file__).resolve().parent / "slack")
if SLACK_TESTS not in sys.path:
    sys.path.insert(0, SLACK_TESTS)

from slack_fake_api import FakeSlackApi  # noqa: E402


@pytest.fixture
def api():
    """A fake Slack Web API on loopback, stopped after the test."""
    fake = FakeSlackApi().start()
    yield fake
    fake.stop()


@pytest.fixture
def slack_api(api):
    """`api`, for tests that also have another kind of API to hand."""
    return api
