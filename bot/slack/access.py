"""Who and where the bot serves: workspace/channel allow-lists, admins, and bot senders."""
from __future__ import annotations

from bot.settings import Settings


def is_dm(channel_id: str | None) -> bool:
    """Direct-message conversation ids start with D."""
    return bool(channel_id) and channel_id.startswith("D")


def is_allowed(settings: Settings, team_id: str | None, channel_id: str | None) -> bool:
    """True when both allow-lists (if set) admit this request.

    The channel allow-list limits channels only: a DM with the bot is allowed whenever its
    workspace is, since nobody else can see it.
    """
    if settings.allowed_team_ids and team_id not in settings.allowed_team_ids:
        return False
    if settings.allowed_channel_ids and not is_dm(channel_id):
        return channel_id in settings.allowed_channel_ids
    return True


def is_admin(settings: Settings, user_id: str | None) -> bool:
    return bool(user_id) and user_id in settings.slack_admin_user_ids


def is_from_bot(event: dict, bot_user_id: str | None) -> bool:
    """Messages written by any bot (this one included) are never answered."""
    return bool(
        event.get("bot_id")
        or event.get("bot_profile")
        or event.get("subtype") == "bot_message"
        or (bot_user_id and event.get("user") == bot_user_id)
    )
