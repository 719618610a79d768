"""`/council admin ...`: change how the bot behaves in the channel the command is run in.

Only user ids in `COUNCIL_ADMIN_USER_IDS` may use it. Changes are stored in the database, so
every bot process sees them at once. Returns the text of the (ephemeral) reply.

`kill-switch` and `purdah` are not per channel: they switch answering off, or the pre-election
period on, everywhere (`bot.audit.controls`, shared with `council-assistant admin`).
"""
from __future__ import annotations

import logging
import re

from bot.audit.controls import ControlError, ControlStore, describe_controls
from bot.settings import Settings
from bot.slack.access import is_admin, is_dm
from bot.slack.messages import NOT_ADMIN, admin_usage, new_reference
from bot.slack.store import ChannelConfig, SlackStore

log = logging.getLogger(__name__)
_USER = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$|^([UW][A-Z0-9]{6,})$")
_GROUP = re.compile(r"^<!subteam\^(S[A-Z0-9]+)(?:\|[^>]*)?>$|^(S[A-Z0-9]{6,})$")
_SWITCH = {"on": True, "yes": True, "true": True, "off": False, "no": False, "false": False}


class AdminUsageError(ValueError):
    """The admin command could not be understood; the message says why."""


def parse_contacts(words: list[str]) -> tuple[str, ...]:
    """Turn `<@U1|ann>`, `U1`, `<!subteam^S1|@team>` or `S1` into Slack mention syntax."""
    contacts = []
    for word in words:
        if user := _USER.match(word):
            contacts.append(f"<@{user.group(1) or user.group(2)}>")
        elif group := _GROUP.match(word):
            contacts.append(f"<!subteam^{group.group(1) or group.group(2)}>")
        else:
            raise AdminUsageError(
                f"I can't tell who `{word}` is. Pick people or groups from Slack's @ menu, "
                "or give their ids (U… for people, S… for user groups)."
            )
    return tuple(dict.fromkeys(contacts))


def describe(config: ChannelConfig) -> str:
    contacts = " ".join(config.escalation_contacts) or "nobody"
    return (
        "*This channel's settings*\n"
        f"• mention-only: {'on' if config.mention_only else 'off'}\n"
        f"• private answers: {'on' if config.private_answers else 'off'}\n"
        f"• \"Need more help\" tags: {contacts}"
    )


def run_admin(
    args: str,
    *,
    store: SlackStore,
    settings: Settings,
    user_id: str,
    team_id: str | None,
    channel_id: str,
) -> str:
    if not is_admin(settings, user_id):
        return NOT_ADMIN
    if args.split()[:1] and args.split()[0].lower() in SWITCHES:  # global, so allowed in a DM too
        return run_switch(args, ControlStore(store.db), user_id)
    if is_dm(channel_id):
        return "Run `/council admin` in the channel you want to configure."
    words = args.split()
    if not words or words[0].lower() in ("help", "usage"):
        return admin_usage() + SWITCH_USAGE
    command, rest = words[0].lower(), words[1:]
    changes: dict = {}
    try:
        if command == "show":
            return describe(store.channel_config(channel_id))
        if command in ("mention-only", "private"):
            if len(rest) != 1 or rest[0].lower() not in _SWITCH:
                raise AdminUsageError(f"Use `/council admin {command} on` or `... off`.")
            key = "mention_only" if command == "mention-only" else "private_answers"
            changes[key] = _SWITCH[rest[0].lower()]
        elif command == "escalate":
            if not rest:
                raise AdminUsageError("Name at least one person or group, or use `escalate off`.")
            off = len(rest) == 1 and rest[0].lower() in ("off", "none")
            changes["escalation_contacts"] = () if off else parse_contacts(rest)
        else:
            raise AdminUsageError(f"I don't know `{command}`.\n{admin_usage()}")
    except AdminUsageError as error:
        return str(error)
    config = store.update_channel_config(channel_id, team_id=team_id, updated_by=user_id, **changes)
    return "Saved. " + describe(config)


SWITCHES = ("kill-switch", "purdah")
SWITCH_USAGE = (
    "\n*Everywhere* (every channel and DM, all bot processes; recorded in the audit log)\n"
    "• `kill-switch on [message]`: stop answering; askers see the message\n"
    "• `kill-switch off` / `kill-switch status`\n"
    "• `purdah on|off|status`: the pre-election period (political questions declined)"
)


def run_switch(args: str, controls: ControlStore, user_id: str) -> str:
    """`kill-switch on [message]|off|status` and `purdah on|off|status`; returns the reply."""
    name, _, rest = args.strip().partition(" ")
    action, _, message = rest.strip().partition(" ")
    name, action = name.lower(), action.lower()
    try:
        if action == "status":
            return describe_controls(controls.read())
        if action not in _SWITCH:
            return f"Use `/council admin {name} on`, `... off` or `... status`."
        if name == "kill-switch":
            state = controls.set_kill_switch(_SWITCH[action], by=user_id, source="slack",
                                             message=(message.strip() or None) if _SWITCH[action] else None)
        else:
            state = controls.set_purdah(_SWITCH[action], by=user_id, source="slack")
    except ControlError as error:
        return str(error)
    except Exception:  # the database: the admin hears so, the log has the details
        reference = new_reference()
        log.exception("could not run `%s %s` (reference %s)", name, action, reference)
        return f"I couldn't read or change that setting: the database is not available (reference `{reference}`)."
    return "Saved. " + describe_controls(state)
