"""`council-assistant admin ...`: the kill switch, the pre-election period and the audit log.

Mounted by `bot/cli.py` as `admin` (the group is `admin_group`); the database comes from
`ctx.obj.db()`, a migrated `Services` database, so every bot process sees a change within
`COUNCIL_CONTROLS_REFRESH_S` seconds. Every change is recorded in the audit log with who made it.

    council-assistant admin kill-switch on --message "Back at 2pm."   # answering off
    council-assistant admin kill-switch off | status
    council-assistant admin purdah on | off | status
    council-assistant admin audit show [--limit 20] [--json]
    council-assistant admin audit purge [--days N]

Failures go through `bot.cli_errors.reports_failures`: the database down, read-only or damaged is
one line naming the problem (and the file, for SQLite), never a traceback.
"""
from __future__ import annotations

import getpass
import json
import logging
from dataclasses import asdict

import click

from bot.audit.controls import Controls, ControlStore, describe_controls
from bot.cli_errors import reports_failures

log = logging.getLogger(__name__)


def _services(ctx: click.Context):
    if not callable(getattr(ctx.obj, "db", None)):
        raise click.ClickException("The admin commands need the application's services; run them as "
                                   "`council-assistant admin ...`.")
    return ctx.obj


def _who(by: str | None) -> str:
    if by:
        return by
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        raise click.ClickException("Say who is making this change with --by NAME.") from None


def _show(controls: Controls, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps({"kill_switch": asdict(controls.kill_switch), "purdah": asdict(controls.purdah),
                               "off_message": controls.off_message}, default=str, ensure_ascii=False))
    else:
        click.echo(describe_controls(controls))


_BY = click.option("--by", help="Who is making the change (default: your login name); recorded in the audit log.")
_JSON = click.option("--json", "as_json", is_flag=True, help="Print the state as JSON.")


@click.group("admin", help="Turn answering off or on, set the pre-election period, read or purge the audit log.")
def admin_group() -> None:
    pass


@admin_group.group("kill-switch", help="Turn answering off for everyone, with a message, or back on.")
def kill_switch_group() -> None:
    pass


@kill_switch_group.command("on", help="Turn answering OFF: askers get MESSAGE instead (crisis help still works).")
@click.option("--message", help="What askers see instead of an answer (default: a short 'switched off' notice).")
@_BY
@_JSON
@click.pass_context
@reports_failures
def kill_switch_on(ctx, message: str | None, by: str | None, as_json: bool) -> None:
    store = ControlStore(_services(ctx).db())
    _show(store.set_kill_switch(True, by=_who(by), source="cli", message=message), as_json)


@kill_switch_group.command("off", help="Turn answering back on.")
@_BY
@_JSON
@click.pass_context
@reports_failures
def kill_switch_off(ctx, by: str | None, as_json: bool) -> None:
    store = ControlStore(_services(ctx).db())
    _show(store.set_kill_switch(False, by=_who(by), source="cli"), as_json)


@kill_switch_group.command("status", help="Show whether answering is on, and the pre-election period.")
@_JSON
@click.pass_context
@reports_failures
def kill_switch_status(ctx, as_json: bool) -> None:
    _show(ControlStore(_services(ctx).db()).read(), as_json)


@admin_group.group("purdah", help="The pre-election period: decline political questions, state documents only.")
def purdah_group() -> None:
    pass


@purdah_group.command("on", help="Start the pre-election period.")
@_BY
@_JSON
@click.pass_context
@reports_failures
def purdah_on(ctx, by: str | None, as_json: bool) -> None:
    _show(ControlStore(_services(ctx).db()).set_purdah(True, by=_who(by), source="cli"), as_json)


@purdah_group.command("off", help="End the pre-election period.")
@_BY
@_JSON
@click.pass_context
@reports_failures
def purdah_off(ctx, by: str | None, as_json: bool) -> None:
    _show(ControlStore(_services(ctx).db()).set_purdah(False, by=_who(by), source="cli"), as_json)


@purdah_group.command("status", help="Show whether the pre-election period is on, and the kill switch.")
@_JSON
@click.pass_context
@reports_failures
def purdah_status(ctx, as_json: bool) -> None:
    _show(ControlStore(_services(ctx).db()).read(), as_json)


@admin_group.group("audit", help="The audit log of questions, answers and switch changes.")
def audit_group() -> None:
    pass


def _audit_log(ctx, days: int | None = None):
    from bot.audit.log import AuditLog

    services = _services(ctx)
    return AuditLog(services.db(), retention_days=days or services.settings.audit_retention_days)


@audit_group.command("show", help="The newest entries, newest first.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per entry.")
@click.pass_context
@reports_failures
def audit_show(ctx, limit: int, as_json: bool) -> None:
    for entry in _audit_log(ctx).entries(limit):
        if as_json:
            click.echo(json.dumps(asdict(entry), default=str, ensure_ascii=False))
            continue
        where = " ".join(part for part in (entry.source, entry.channel_id, entry.user_id) if part)
        if entry.outcome == "admin":  # a switch change: what was switched, and the message
            said = f": “{entry.answer}”" if entry.answer else ""
            click.echo(f"{entry.created_at:%Y-%m-%d %H:%M:%S} [{where}] {entry.reason}{said}")
            continue
        outcome = entry.outcome + (f" ({entry.reason})" if entry.reason else "")
        latency = f" {entry.latency_ms:.0f} ms" if entry.latency_ms is not None else ""
        click.echo(f"{entry.created_at:%Y-%m-%d %H:%M:%S} [{where}] {entry.mode} {outcome}{latency}: {entry.question}")


@audit_group.command("purge", help="Delete audit entries and stored Slack answers older than --days "
                                  "(default: AUDIT_RETENTION_DAYS, 90).")
@click.option("--days", type=click.IntRange(1, None), help="Keep this many days instead of AUDIT_RETENTION_DAYS.")
@click.pass_context
@reports_failures
def audit_purge(ctx, days: int | None) -> None:
    audit = _audit_log(ctx, days)
    deleted = audit.purge()
    answers = audit.purged_answers
    click.echo(f"Deleted {deleted} audit entr{'y' if deleted == 1 else 'ies'} and {answers} stored Slack "
               f"answer{'' if answers == 1 else 's'} older than {audit.retention.days} days.")
