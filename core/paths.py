"""Where local data lives (platformdirs), overridable by RENDA_DATA_DIR for tests and portable use."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "renda-suite"
APP_AUTHOR = "SHRD"


def data_dir() -> Path:
    """The folder holding the local database, blobs and keys; created on first use."""
    override = os.environ.get("RENDA_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    """The folder for settings that are not data (server URL, font size)."""
    override = os.environ.get("RENDA_CONFIG_DIR")
    path = Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def local_db_url(name: str = "local.sqlite3") -> str:
    """SQLAlchemy URL of the client's embedded database."""
    return f"sqlite:///{data_dir() / name}"
