"""The audit log and the assistant's switches (kill switch, pre-election period).

Modules, one idea each:
    tables.py     the database tables (`audit_log`, `assistant_controls`; migration 0003_audit)
    log.py        AuditEvent and AuditLog: write (held in memory while the database is down),
                  purge by retention, read back
    recording.py  turning an Answer into an AuditEvent: the Slack and CLI call sites
    controls.py   the kill switch and purdah: stored, changed (and audited), read with a short cache
"""
