"""User management for administrators (用户管理): accounts, roles, extra data scopes, unlock, passwords."""
