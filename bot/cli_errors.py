"""The one error path of every `council-assistant` command: a sentence, never a traceback.

`reports_failures` wraps a command. What it prints for an exception:

* a user's mistake or a known state of the system (a bad file, an unknown topic, the database
  down, a damaged index, an import already running): its own sentence;
* a database failure in the middle of a command: what is wrong with which database and what to
  check, with a reference id;
* anything else (a bug): "Something went wrong on our side (reference 3F9A01C2)", the details
  in the log (one line; the traceback with `--verbose`).

Text arguments are cleaned here too, at the edge: a lone surrogate (invalid UTF-8 in an argument)
or a NUL never reaches a database driver.

Reference ids come from `bot.failures.new_reference`, the one format the Slack adapter uses too.
"""
from __future__ import annotations

import errno
import logging
from functools import wraps

import click

from bot.clean_text import storable_text
from bot.failures import first_line, log_failure, new_reference

log = logging.getLogger("council_assistant")

DISK_FULL = ("The disk is full, so nothing was imported: the database is as it was. "
             "Free some space and run the import again.")


def user_error_types() -> tuple[type[BaseException], ...]:
    """Exceptions whose message is already the sentence a user needs (imported on failure only)."""
    from bot.audit.controls import ControlError
    from bot.audit.log import AuditConfigError
    from bot.briefing.errors import UnknownTopic
    from bot.database_health import DatabaseUnavailable
    from bot.evaluation import EvaluationError
    from bot.ingest import IngestError
    from bot.llm.config import LlmConfigError
    from kpi_tools.errors import KpiToolError
    from kpi_tools.importer import ImportInProgress
    from retrieval.corpus import CorpusError
    from retrieval.embed import EmbeddingModelMissing
    from retrieval.index import IndexMissing
    from retrieval.vector_store import VectorStoreUnavailable

    return (ControlError, AuditConfigError, UnknownTopic, DatabaseUnavailable, EvaluationError, IngestError,
            LlmConfigError, KpiToolError, ImportInProgress, CorpusError, EmbeddingModelMissing, IndexMissing,
            VectorStoreUnavailable)


def disk_is_full(error: BaseException) -> bool:
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return True
    original = getattr(error, "orig", None)
    return "disk is full" in str(error).lower() or getattr(original, "sqlstate", None) == "53100"


def failure_message(error: BaseException, what: str = "Unexpected failure") -> str:
    """The one sentence (or, for a file's problems, the list) a terminal user sees for `error`."""
    from kpi_tools.import_results import ImportFailed
    from kpi_tools.seed.records import SeedError
    from sqlalchemy.exc import SQLAlchemyError

    if disk_is_full(error):
        return DISK_FULL
    if isinstance(error, ImportFailed):
        return error.describe()
    if isinstance(error, user_error_types()):
        log.info("%s: %s", type(error).__name__, first_line(error))
        return str(error)
    if isinstance(error, SeedError):
        return f"The KPI database could not be seeded from the corpus: {error}"
    if isinstance(error, SQLAlchemyError):
        from bot.database_health import describe_database_error

        reference = new_reference()
        log.info("Database failure (reference %s): %s: %s", reference, type(error).__name__, first_line(error))
        log.debug("Traceback for reference %s", reference, exc_info=error)
        return f"{describe_database_error(_database_url(), error).rstrip('.')} (reference {reference})."
    if isinstance(error, OSError) and error.errno in (errno.EROFS, errno.EACCES, errno.EPERM) and error.filename:
        return (f"Cannot write {error.filename} ({error.strerror}); make it writable, or set COUNCIL_DATA_DIR "
                "to a writable folder.")
    reference = log_failure(log, error, what)
    return f"Something went wrong on our side (reference {reference}). The details are in the log."


def _storable(value):
    if isinstance(value, str):
        return storable_text(value)
    if isinstance(value, tuple) and all(isinstance(item, str) for item in value):
        return tuple(storable_text(item) for item in value)
    return value


def _database_url() -> str:
    """The URL of the database this command was using (ctx.obj's), for the message."""
    context = click.get_current_context(silent=True)
    services = getattr(context, "obj", None) if context else None
    try:
        return services.db().url.render_as_string(hide_password=False)
    except Exception:  # no services, or a database that cannot be prepared: the setting says which
        settings = getattr(services, "settings", None)
        return getattr(settings, "effective_database_url", None) or "the configured DATABASE_URL"


def reports_failures(command):
    """Decorate a click command: its text arguments are made storable (NUL and lone surrogates
    replaced, `bot.clean_text`), and any exception becomes `failure_message`'s sentence and exit
    status 1."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        kwargs = {name: _storable(value) for name, value in kwargs.items()}
        try:
            return command(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:
            raise click.ClickException(failure_message(error)) from None

    return wrapper
