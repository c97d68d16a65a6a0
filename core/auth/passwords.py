"""Password hashing (Argon2id) and the password policy of 等保 2.0.

The policy answers in plain Chinese, one sentence per problem, so a clerk knows what to change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10
MIN_CLASSES = 3
MAX_LENGTH = 256

# Passwords and base words seen first in every guessing list (Chinese and international).
COMMON_PASSWORDS = frozenset({
    "123456", "12345678", "123456789", "1234567890", "111111", "888888", "666666", "000000", "123123",
    "654321", "a123456", "abc123", "abc123456", "abcd1234", "aa123456", "qwer1234", "qwerty123", "1qaz2wsx",
    "1qaz@wsx", "1q2w3e4r", "zaq12wsx", "qwertyuiop", "asdfghjkl", "zxcvbnm", "p@ssw0rd", "passw0rd",
    "p@ssword", "admin123", "admin@123", "admin@1234", "abc@123", "root@123", "huawei@123", "test@123",
    "woaini1314", "iloveyou", "welcome1", "changeme",
})
COMMON_WORDS = frozenset({
    "password", "passwd", "admin", "administrator", "root", "test", "guest", "user", "qwerty", "welcome",
    "letmein", "iloveyou", "woaini", "shanghai", "china", "renda", "rendachang", "changeme", "huawei",
    "p@ssw0rd", "passw0rd", "p@ssword", "abc", "abcd", "qazwsx",
})

_UPPER = re.compile(r"[A-Z]")
_LOWER = re.compile(r"[a-z]")
_DIGIT = re.compile(r"[0-9]")
_EDGE_NOISE = re.compile(r"^[\W\d_]+|[\W\d_]+$")


class PolicyViolation(ValueError):
    """A new password does not meet the policy; ``problems`` lists each reason in Chinese."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


def _classes(password: str) -> int:
    has_symbol = any(not ch.isascii() or not ch.isalnum() for ch in password)
    return sum(bool(p.search(password)) for p in (_UPPER, _LOWER, _DIGIT)) + has_symbol


def password_problems(password: str, username: str = "") -> list[str]:
    """Everything wrong with ``password`` for ``username``; empty when the password is acceptable."""
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(f"密码至少需要 {MIN_LENGTH} 个字符（现在只有 {len(password)} 个）")
    if len(password) > MAX_LENGTH:
        problems.append(f"密码不能超过 {MAX_LENGTH} 个字符")
    classes = _classes(password)
    if classes < MIN_CLASSES:
        problems.append(f"密码需包含大写字母、小写字母、数字、符号四类中的至少 {MIN_CLASSES} 类（现在只有 {classes} 类）")
    lowered = password.lower()
    name = username.strip().lower()
    if len(name) >= 3 and name in lowered:
        problems.append("密码不能包含用户名")
    core = _EDGE_NOISE.sub("", lowered)
    if lowered in COMMON_PASSWORDS or core in COMMON_WORDS or (core and core in COMMON_PASSWORDS):
        problems.append("这个密码太常见，很容易被猜中，请换一个")
    if password != password.strip():
        problems.append("密码开头和结尾不能是空格")
    return problems


def check_password_policy(password: str, username: str = "") -> None:
    """Raise :class:`PolicyViolation` when ``password`` does not meet the policy."""
    problems = password_problems(password, username)
    if problems:
        raise PolicyViolation(problems)


@dataclass(frozen=True)
class HashParameters:
    """Argon2id cost; the defaults are argon2-cffi's (RFC 9106 low-memory profile)."""

    time_cost: int = 3
    memory_kib: int = 65536
    parallelism: int = 4


class PasswordHashing:
    """Argon2id hashes: make, check, and tell when a stored hash should be remade with today's cost."""

    def __init__(self, params: HashParameters | None = None) -> None:
        p = params or HashParameters()
        self._hasher = PasswordHasher(time_cost=p.time_cost, memory_cost=p.memory_kib,
                                      parallelism=p.parallelism, type=Type.ID)
        self._decoy = self._hasher.hash("decoy-password-for-equal-timing")

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored_hash: str, password: str) -> bool:
        """True when ``password`` matches; False on a mismatch or an unreadable stored hash."""
        try:
            return self._hasher.verify(stored_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(stored_hash)
        except InvalidHashError:
            return True

    def spend_equal_time(self, password: str) -> None:
        """Do the work of one verification, so an unknown user name answers as slowly as a known one."""
        self.verify(self._decoy, password)


_default: PasswordHashing | None = None


def _default_hashing() -> PasswordHashing:
    global _default
    if _default is None:
        _default = PasswordHashing()
    return _default


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password`` with the default cost."""
    return _default_hashing().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    return _default_hashing().verify(stored_hash, password)


def needs_rehash(stored_hash: str) -> bool:
    return _default_hashing().needs_rehash(stored_hash)
