"""The Slack adapter: the only package that imports slack_bolt / slack_sdk.

Modules, one idea each:
    app.py          build_app(settings, engine, client=None, db=None) -> slack_bolt.App
    listeners/      events (mentions, DMs), assistant (Slack's AI-app threads, through Bolt's
                    `Assistant` middleware), commands (/council), actions (feedback,
                    "Need more help", "Share in channel"), home (App Home)
    answering.py    answer one question and deliver it; errors become an apology with a reference
    delivery.py     where an answer goes: thread (placeholder + chat.update), assistant thread
                    (status, then the answer, or a chat stream), ephemeral, response_url
    render.py       render_blocks(answer) -> Block Kit, answer first; a pure function
    readiness.py    the engine slot: "I'm starting up" until the background build finishes
    home.py         the App Home view
    parsing.py      what a user typed: Slack markup cleaned; help / kpi / private / admin / question
    admin.py        /council admin: per-channel settings
    access.py       allow-lists, admins, bot senders
    ratelimit.py    per-user questions per minute
    store.py        database tables: event dedupe, answers, feedback, channel settings
    executor.py     the worker pool for slow work
    http_server.py  HTTP mode: POST /slack/events, GET /healthz; timeouts and a connection cap
    retries.py      Slack retries of events already being answered here, acknowledged at once
    cli.py          `council-assistant slack`

Nothing is created at import time.
"""
