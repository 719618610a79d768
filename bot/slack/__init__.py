"""The Slack adapter: the only package that imports slack_bolt / slack_sdk.

Modules, one idea each:
    app.py          build_app(settings, engine, client=None, db=None) -> slack_bolt.App
    listeners/      events (mentions, DMs, thread follow-ups), commands (/council),
                    actions (feedback, "Need more help"), home (App Home)
    answering.py    answer one question and deliver it; errors become an apology with a reference
    delivery.py     where an answer goes: thread (placeholder + chat.update), ephemeral, response_url
    render.py       render_blocks(answer) -> Block Kit, a pure function
    home.py         the App Home view
    parsing.py      what a user typed: help / kpi / private / admin / question
    admin.py        /council admin: per-channel settings
    access.py       allow-lists, admins, bot senders
    ratelimit.py    per-user questions per minute
    store.py        database tables: event dedupe, answers, feedback, channel settings
    executor.py     the worker pool for slow work
    http_server.py  HTTP mode: POST /slack/events, GET /healthz
    cli.py          `council-assistant slack`

Nothing is created at import time.
"""
