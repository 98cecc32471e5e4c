"""The one logging set-up: every ``assistant.*`` warning and uvicorn's own lines reach the server log.

``serve`` passes LOGGING_CONFIG to uvicorn (so each worker process configures itself the same way);
``configure()`` applies it in-process. The level is the setting ``POLICY_QA_LOG_LEVEL``.
"""

from __future__ import annotations

import logging.config
from typing import Any


def logging_config(level: str = "INFO") -> dict[str, Any]:
    fmt = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": fmt}, "access": {"format": "%(asctime)s %(levelname)s access: %(message)s"}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"},
            "access": {"class": "logging.StreamHandler", "formatter": "access", "stream": "ext://sys.stdout"},
        },
        "loggers": {
            "assistant": {"level": level, "handlers": ["stderr"], "propagate": False},
            "uvicorn": {"level": level, "handlers": ["stderr"], "propagate": False},
            "uvicorn.error": {"level": level, "handlers": ["stderr"], "propagate": False},
            "uvicorn.access": {"level": level, "handlers": ["access"], "propagate": False},
        },
        "root": {"level": "WARNING", "handlers": ["stderr"]},
    }


def configure(level: str = "INFO") -> None:
    logging.config.dictConfig(logging_config(level))
