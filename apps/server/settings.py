"""Server settings from the environment (prefix ``RENDA_SERVER_``) or from the command line."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core import paths
from core.auth.passwords import HashParameters
from core.auth.service import IdentitySettings


def _default_db_url() -> str:
    return f"sqlite:///{paths.data_dir() / 'server.sqlite3'}"


def _default_data_dir() -> Path:
    return paths.data_dir() / "server"


class ServerSettings(BaseSettings):
    """Where the server keeps its data, where it listens, and its identity rules."""

    model_config = SettingsConfigDict(env_prefix="RENDA_SERVER_", extra="ignore")

    db_url: str = Field(default_factory=_default_db_url, description="SQLAlchemy 数据库地址；生产环境用 PostgreSQL")
    host: str = "127.0.0.1"
    port: int = Field(default=8765, ge=0, le=65535)
    certfile: Path | None = None
    keyfile: Path | None = None
    data_dir: Path = Field(default_factory=_default_data_dir, description="附件等文件的存放目录")
    max_body_bytes: int = Field(default=32 * 1024 * 1024, ge=1024)
    token_ttl_hours: float = Field(default=12, gt=0)
    idle_timeout_minutes: float = Field(default=30, gt=0)
    lockout_threshold: int = Field(default=5, ge=1)
    lockout_minutes: int = Field(default=15, ge=1)
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=65536, ge=8)
    argon2_parallelism: int = Field(default=4, ge=1)
    petition_intake_seconds: float = Field(default=5, ge=0,
                                           description="每隔几秒把公众门户收到的信访登记为信访件（0 为不自动执行）")

    sms_gateway: str = Field(default="", description="短信网关（Kannel）地址：kannel://用户名:密码@主机:端口?from=发送号码；"
                                                      "空为不发送短信")
    sms_report_url: str = Field(default="", description="短信网关回报送达状态时访问本服务器的地址，如 http://10.0.0.5:8765")
    sms_interval_seconds: float = Field(default=5, gt=0, description="每隔几秒发送一次待发短信")
    sms_max_attempts: int = Field(default=8, ge=1, description="网关不可用时最多尝试几次")

    @model_validator(mode="after")
    def _tls_pair(self) -> ServerSettings:
        if (self.certfile is None) != (self.keyfile is None):
            raise ValueError("启用 HTTPS 需要同时提供证书文件和私钥文件")
        return self

    def to_environment(self) -> dict[str, str]:
        """These settings as ``RENDA_SERVER_*`` variables, from which :class:`ServerSettings` reads them back."""
        values = self.model_dump(mode="json", exclude_none=True)
        return {f"{self.model_config.get('env_prefix', '')}{name}".upper(): str(value) for name, value in values.items()}

    @property
    def dialect(self) -> str:
        from sqlalchemy.engine import make_url

        return make_url(self.db_url).get_backend_name()

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def uses_tls(self) -> bool:
        return self.certfile is not None and self.keyfile is not None

    def identity_settings(self) -> IdentitySettings:
        return IdentitySettings(
            token_ttl=timedelta(hours=self.token_ttl_hours),
            idle_timeout=timedelta(minutes=self.idle_timeout_minutes),
            lockout_threshold=self.lockout_threshold,
            lockout_minutes=self.lockout_minutes,
            hashing=HashParameters(self.argon2_time_cost, self.argon2_memory_kib, self.argon2_parallelism),
        )
