"""The App Home view, the app manifest and the layering rule."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.slack.home import AMBITIONS_2023, DOCUMENTS, OUTCOMES_2016, home_view

ROOT = Path(__file__).resolve().parents[2]


def squash(text: str) -> str:
    return " ".join(re.sub(r"[*#]", "", text).split())


def test_home_lists_the_manifests_documents_and_quotes_the_frameworks():
    manifest = yaml.safe_load((ROOT / "corpus" / "manifest.yaml").read_text(encoding="utf-8"))
    assert [title for title, _ in DOCUMENTS] == [doc["title"] for doc in manifest["documents"]]
    docs = ROOT / "corpus" / "documents"
    framework_2016 = squash((docs / "strategic-framework-2016-21.txt").read_text(encoding="utf-8"))
    draft_2023 = squash((docs / "strategic-framework-2023-28-draft.txt").read_text(encoding="utf-8"))
    assert len(OUTCOMES_2016) == 7 and all(squash(o) in framework_2016 for o in OUTCOMES_2016)
    assert len(AMBITIONS_2023) == 7 and all(squash(a) in draft_2023 for a in AMBITIONS_2023)


def test_home_view_fits_slacks_limits():
    view = home_view()
    assert view["type"] == "home"
    assert len(view["blocks"]) <= 100
    for block in view["blocks"]:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
    text = str(view)
    assert "Older people live well independently" in text
    assert "Net zero carbon emissions for Cambridgeshire by 2045" in text
    assert "/council" in text


def test_the_manifest_asks_for_what_the_listeners_use_and_no_more():
    manifest = yaml.safe_load((ROOT / "bot" / "slack" / "manifest.yaml").read_text(encoding="utf-8"))
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == [
        "app_mentions:read", "assistant:write", "channels:history", "chat:write", "commands", "files:write",
        "groups:history", "im:history",
    ]
    assert sorted(manifest["settings"]["event_subscriptions"]["bot_events"]) == [
        "app_home_opened", "app_mention", "assistant_thread_context_changed", "assistant_thread_started",
        "message.channels", "message.groups", "message.im",
    ]
    assert manifest["features"]["assistant_view"]["assistant_description"]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    (command,) = manifest["features"]["slash_commands"]
    assert (command["command"], command["should_escape"]) == ("/council", True)
    assert "<" not in command["usage_hint"] and ">" not in command["usage_hint"]
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    urls = {command["url"], manifest["settings"]["event_subscriptions"]["request_url"],
            manifest["settings"]["interactivity"]["request_url"]}
    assert len(urls) == 1 and urls.pop().endswith("/slack/events")


def test_only_the_slack_adapter_imports_slack_libraries():
    offenders = []
    for package in ("bot", "retrieval", "kpi_tools"):
        for path in (ROOT / package).rglob("*.py"):
            if (ROOT / "bot" / "slack") in path.parents:
                continue
            if re.search(r"^\s*(from|import)\s+slack_(bolt|sdk)\b", path.read_text(encoding="utf-8"), re.M):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
