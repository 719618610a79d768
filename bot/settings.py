"""Configuration, read from the environment in this one place.

Every other module receives the values it needs as arguments, so tests build a `Settings`
directly instead of patching the environment. Secrets are kept out of `repr` so that
logging a `Settings` never leaks a token.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT / ".council-data"
DEFAULT_CORPUS_DIR = REPO_ROOT / "corpus"
DEFAULT_SEED_DATA_DIR = REPO_ROOT / "kpi_tools" / "seed_data"


# Every variable `Settings.from_env` reads (deployment files are checked against this list).
ENVIRONMENT_VARIABLES = (
    "COUNCIL_DATA_DIR", "COUNCIL_CORPUS_DIR", "DATABASE_URL", "CHROMA_URL",
    "LLM_MODEL", "OPENAI_BASE_URL", "OPENAI_API_KEY", "LLM_TIMEOUT_S", "LLM_MAX_TOOL_CALLS", "ANSWER_STYLE",
    "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL",
    "SLACK_ALLOWED_TEAM_IDS", "SLACK_ALLOWED_CHANNEL_IDS", "COUNCIL_RATE_LIMIT_PER_MINUTE",
    "COUNCIL_ADMIN_USER_IDS", "LOG_LEVEL", "LOG_FORMAT",
    "AUDIT_RETENTION_DAYS", "COUNCIL_CONTROLS_REFRESH_S",
)
DEFAULT_AUDIT_RETENTION_DAYS = 90


def _split_ids(value: str | None) -> frozenset[str]:
    return frozenset(part.strip() for part in (value or "").split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    data_dir: Path = DEFAULT_DATA_DIR
    corpus_dir: Path = DEFAULT_CORPUS_DIR
    database_url: str | None = None
    chroma_url: str | None = None
    llm_model: str | None = None
    openai_base_url: str | None = None
    openai_api_key: str | None = field(default=None, repr=False)
    llm_timeout_s: float = 20.0
    llm_max_tool_calls: int = 6
    answer_style: str = "staff"
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_api_url: str | None = None
    allowed_team_ids: frozenset[str] = frozenset()
    allowed_channel_ids: frozenset[str] = frozenset()
    rate_limit_per_minute: int = 10
    slack_admin_user_ids: frozenset[str] = frozenset()
    log_level: str = "INFO"
    log_format: str = "text"  # "json" for one JSON object per log line (containers)
    audit_retention_days: int = DEFAULT_AUDIT_RETENTION_DAYS  # audit rows older than this are purged
    controls_refresh_s: float = 5.0  # how stale a process's view of the kill switch / purdah may be

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("COUNCIL_DATA_DIR") or DEFAULT_DATA_DIR).expanduser()
        return cls(
            data_dir=data_dir,
            corpus_dir=Path(env.get("COUNCIL_CORPUS_DIR") or DEFAULT_CORPUS_DIR).expanduser(),
            database_url=env.get("DATABASE_URL") or None,
            chroma_url=env.get("CHROMA_URL") or None,
            llm_model=env.get("LLM_MODEL") or None,
            openai_base_url=env.get("OPENAI_BASE_URL") or None,
            openai_api_key=env.get("OPENAI_API_KEY") or None,
            llm_timeout_s=float(env.get("LLM_TIMEOUT_S") or 20.0),
            llm_max_tool_calls=int(env.get("LLM_MAX_TOOL_CALLS") or 6),
            answer_style=(env.get("ANSWER_STYLE") or "staff").strip().lower(),
            slack_bot_token=env.get("SLACK_BOT_TOKEN") or None,
            slack_signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
            slack_app_token=env.get("SLACK_APP_TOKEN") or None,
            slack_api_url=env.get("SLACK_API_URL") or None,
            allowed_team_ids=_split_ids(env.get("SLACK_ALLOWED_TEAM_IDS")),
            allowed_channel_ids=_split_ids(env.get("SLACK_ALLOWED_CHANNEL_IDS")),
            rate_limit_per_minute=int(env.get("COUNCIL_RATE_LIMIT_PER_MINUTE") or 10),
            slack_admin_user_ids=_split_ids(env.get("COUNCIL_ADMIN_USER_IDS")),
            log_level=(env.get("LOG_LEVEL") or "INFO").upper(),
            log_format=(env.get("LOG_FORMAT") or "text").strip().lower(),
            audit_retention_days=int(env.get("AUDIT_RETENTION_DAYS") or DEFAULT_AUDIT_RETENTION_DAYS),
            controls_refresh_s=float(env.get("COUNCIL_CONTROLS_REFRESH_S") or 5.0),
        )

    @property
    def effective_database_url(self) -> str:
        """`DATABASE_URL` if set, else a SQLite file under the data directory."""
        return self.database_url or f"sqlite:///{self.data_dir / 'council.db'}"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"
