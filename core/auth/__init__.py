"""Identity: roles and permissions, password hashing and policy, login, tokens."""
