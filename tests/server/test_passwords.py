"""The password policy (等保 2.0) and Argon2id hashing."""

from __future__ import annotations

import pytest

from core.auth.passwords import (
    HashParameters,
    PasswordHashing,
    PolicyViolation,
    check_password_policy,
    hash_password,
    needs_rehash,
    password_problems,
    verify_password,
)
from core.auth.service import DEMO_PASSWORD, DEMO_USERS

FAST = HashParameters(time_cost=1, memory_kib=1024, parallelism=1)


@pytest.mark.parametrize("password", [
    "Renda@2026demo",
    "budget-Review-2025",      # upper, lower, symbol
    "qiche7HAO#dianzi",
    "预算审查Review2025",        # Chinese characters count as symbols
    "correct horse Battery 9",
])
def test_good_passwords_pass(password: str) -> None:
    assert password_problems(password, "zhangsan") == []
    check_password_policy(password, "zhangsan")


@pytest.mark.parametrize(("password", "username", "expected"), [
    ("Ab1!xyz", "", "至少需要 10 个字符（现在只有 7 个）"),
    ("abcdefghijkl", "", "至少 3 类（现在只有 1 类）"),
    ("abcdefgh1234", "", "至少 3 类（现在只有 2 类）"),
    ("Zhangsan@2026", "zhangsan", "不能包含用户名"),
    ("ZHANGSAN#2026x", "ZhangSan", "不能包含用户名"),
    ("Password@123", "", "太常见"),
    ("P@ssw0rd", "", "太常见"),
    ("Admin@123456", "", "太常见"),
    ("Shanghai2024!", "", "太常见"),
    ("1qaz@WSX", "", "太常见"),
    (" Leading#Space9", "", "开头和结尾不能是空格"),
])
def test_bad_passwords_are_refused_with_a_reason(password: str, username: str, expected: str) -> None:
    with pytest.raises(PolicyViolation) as caught:
        check_password_policy(password, username)
    assert expected in str(caught.value)
    assert any(expected in p for p in caught.value.problems)


def test_every_problem_is_listed_at_once() -> None:
    problems = password_problems("admin", "admin")
    assert len(problems) == 4  # too short, one class, contains the user name, common


def test_short_user_names_do_not_forbid_common_letters() -> None:
    assert password_problems("Xy#harbour2026", "xy") == []


def test_demo_password_meets_the_policy_for_every_demo_user() -> None:
    for username, _role in DEMO_USERS:
        assert password_problems(DEMO_PASSWORD, username) == []


def test_argon2id_hash_verifies_and_refuses() -> None:
    hashing = PasswordHashing(FAST)
    stored = hashing.hash("Renda@2026demo")
    assert stored.startswith("$argon2id$")
    assert "Renda@2026demo" not in stored
    assert hashing.verify(stored, "Renda@2026demo")
    assert not hashing.verify(stored, "renda@2026demo")
    assert not hashing.verify("not-a-hash", "Renda@2026demo")
    assert hashing.hash("Renda@2026demo") != stored  # salted


def test_needs_rehash_when_the_cost_changes() -> None:
    cheap = PasswordHashing(FAST)
    stored = cheap.hash("Renda@2026demo")
    assert not cheap.needs_rehash(stored)
    assert PasswordHashing(HashParameters(time_cost=2, memory_kib=2048, parallelism=1)).needs_rehash(stored)
    assert cheap.needs_rehash("garbage")


def test_module_level_helpers_use_the_default_cost() -> None:
    stored = hash_password("Renda@2026demo")
    assert verify_password(stored, "Renda@2026demo")
    assert not verify_password(stored, "wrong")
    assert not needs_rehash(stored)
    assert "m=65536,t=3,p=4" in stored
