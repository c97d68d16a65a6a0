"""The portal's settings: ``RENDA_PORTAL_*`` environment variables, overridden by ``renda portal`` options."""

from __future__ import annotations

import secrets

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class PortalSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RENDA_PORTAL_", extra="ignore")

    db_url: str = Field(default="", description="数据库地址；PostgreSQL 上用只能写入申请、读取公开状态的 renda_portal 角色")
    host: str = "127.0.0.1"
    port: int = Field(default=8780, ge=0, le=65535)
    secret_key: str = Field(default="", description="签名 CSRF 令牌和查询凭据的密钥；多进程或重启后仍有效须固定设置")
    secure_cookies: bool = Field(default=True, description="Cookie 加 Secure 标志（经 HTTPS 提供时必须为真）")
    max_request_bytes: int = Field(default=16 * 1024 * 1024, ge=64 * 1024)
    max_file_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    max_files: int = Field(default=3, ge=0, le=10)
    rate_limits: bool = Field(default=True, description="按来源地址限速（压力测试时关闭）")
    submit_per_hour: int = Field(default=10, ge=1)
    track_per_10min: int = Field(default=20, ge=1)
    otp_per_hour: int = Field(default=5, ge=1)
    page_per_minute: int = Field(default=120, ge=1)
    trusted_proxies: str = Field(default="127.0.0.1", description="可信反向代理地址（逗号分隔），其 X-Forwarded-For 被采用")
    track_minutes: int = Field(default=30, ge=1, description="核验通过后可查看进度的分钟数")

    def key(self) -> bytes:
        if not self.secret_key:
            self.secret_key = secrets.token_urlsafe(32)
        return self.secret_key.encode()
