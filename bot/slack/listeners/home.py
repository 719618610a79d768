"""The App Home tab: published each time a user opens it (`views.publish`)."""
from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk import WebClient

from bot.slack.home import home_view

log = logging.getLogger(__name__)


def acknowledge(ack) -> None:
    ack()


def register(app: App) -> None:
    def publish_home(event: dict, client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        try:
            client.views_publish(user_id=event["user"], view=home_view())
        except Exception:
            log.exception("failed to publish the App Home for %s", event.get("user"))

    app.event("app_home_opened")(ack=acknowledge, lazy=[publish_home])
