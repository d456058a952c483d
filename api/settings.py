"""Service settings, read from the environment (prefix ``SONGGANG_``) and ``.env``."""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Settings of the API service.

    ===================  =============================  ======================================
    env variable         default                        meaning
    ===================  =============================  ======================================
    SONGGANG_DATABASE_URL  sqlite:///data/songgang.db   SQLAlchemy URL (PostgreSQL works too)
    SONGGANG_INDEX_DIR     data/index                   index snapshots (CURRENT pointer)
    SONGGANG_KEYS_FILE     data/keys.json               API keys (SHA-256 hashes only)
    SONGGANG_MODELS_DIR    models                       model card for ``/version``
    SONGGANG_MIN_WAGE      none (engine default)        monthly minimum wage in yuan
    SONGGANG_WEIGHTS_FILE  none                         JSON of MatchingConfig fields
    SONGGANG_MAX_UPLOAD_MB 20                           larger uploads get 413
    SONGGANG_UPLOAD_DIR    data/uploads                 uploaded files and their rejects
    SONGGANG_TODAY         none (the real date)         fixed "today" for demos and tests
    SONGGANG_THREADS       none (anyio's 40)            threads per process for blocking work
    SONGGANG_BLAS_THREADS  1                            OpenBLAS/OpenMP threads per process
    SONGGANG_BUSY_TIMEOUT_MS 10000                      one wait for the write lock (3 tries)
    ===================  =============================  ======================================

    ``blas_threads``: a request multiplies one query vector with the postings' matrix. OpenBLAS
    splits that over its own threads, which then spin waiting for the next call: on 2 cores
    those spinning threads used more CPU than the request itself (≈ 20 ms of process CPU per
    recommendation instead of ≈ 6.5 ms, docs/benchmarks.md). Requests run side by side in
    threads and worker processes instead, so one BLAS thread each is the default.
    """

    model_config = SettingsConfigDict(
        env_prefix="SONGGANG_", env_file=".env", extra="ignore", frozen=True
    )

    database_url: str = "sqlite:///data/songgang.db"
    index_dir: Path = Path("data/index")
    keys_file: Path = Path("data/keys.json")
    models_dir: Path = Path("models")
    min_wage: int | None = Field(default=None, ge=0, le=100_000)
    weights_file: Path | None = None
    max_upload_mb: float = Field(default=20.0, gt=0)
    upload_dir: Path = Path("data/uploads")
    today: dt.date | None = None
    threads: int | None = Field(default=None, ge=1, le=1000)
    blas_threads: int = Field(default=1, ge=1, le=256)
    busy_timeout_ms: int = Field(default=10_000, ge=1, le=600_000)

    @property
    def max_upload_bytes(self) -> int:
        """``max_upload_mb`` in bytes."""
        return int(self.max_upload_mb * 1024 * 1024)

    def current_day(self) -> dt.date:
        """The fixed ``today`` when set, else the real date."""
        return self.today or dt.date.today()

    def config_overrides(self) -> dict[str, Any]:
        """MatchingConfig fields set by ``weights_file`` and ``min_wage``."""
        overrides: dict[str, Any] = {}
        if self.weights_file is not None:
            overrides.update(json.loads(self.weights_file.read_text(encoding="utf-8")))
        if self.min_wage is not None:
            overrides["min_wage_monthly_yuan"] = self.min_wage
        return overrides


@lru_cache
def get_settings() -> Settings:
    """The settings from the environment (read once)."""
    return Settings()
