"""Password hashing with Argon2id, a memory-hard scheme."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError
from argon2.exceptions import VerificationError

_hasher = PasswordHasher()
# Verifying against this when the username is unknown keeps the timing the same. It is made
# on first use, at the configured cost: hashing costs half a second, and every command and
# every app instance would otherwise pay it at start.
_dummy_hash: str | None = None


def configure(time_cost: int | None, memory_cost_kib: int | None) -> None:
    """Tune Argon2id's cost (the tests lower it; production keeps the library's defaults)."""
    global _hasher, _dummy_hash
    defaults = PasswordHasher()
    wanted = (time_cost or defaults.time_cost, memory_cost_kib or defaults.memory_cost)
    if wanted != (_hasher.time_cost, _hasher.memory_cost):
        _hasher = PasswordHasher(time_cost=wanted[0], memory_cost=wanted[1])
        _dummy_hash = None


def _timing_equaliser() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("breachdesk-timing-equaliser")
    return _dummy_hash


class PasswordPolicyError(ValueError):
    """A password that does not meet the policy; the message says why in plain English."""


#: The words at the heart of the passwords most often found in leaked lists; a password that
#: is one of them, padded with digits and symbols ("Password123!"), is guessed first.
COMMON_WORDS = frozenset(
    """
    password passwrd passwd pass letmein welcome welcomeback admin administrator root
    qwerty qwertyuiop qwertz azerty asdf asdfgh asdfghjkl zxcvbnm qazwsx abc abcdef abcd
    iloveyou loveyou love monkey dragon football baseball soccer hockey sunshine princess
    shadow superman batman master trustno secret changeme default login guest hello freedom
    whatever starwars pokemon michael jennifer jordan charlie thomas daniel computer
    internet summer winter spring autumn london england liverpool chelsea arsenal dental
    optical breachdesk odl sunray test testing user temp temporary newpassword
    """.split()  # noqa: SIM905 - a word list reads best as words
)


def check_policy(password: str, min_length: int, username: str = "") -> None:
    """Refuse passwords that are short, blank, common, or built from the username."""
    if len(password) < min_length:
        raise PasswordPolicyError(f"Use at least {min_length} characters for the password.")
    if not password.strip():
        raise PasswordPolicyError("The password cannot be only spaces.")
    letters = "".join(ch for ch in password.lower() if ch.isalpha())
    if len(set(letters)) < 3:
        raise PasswordPolicyError(
            "Use words in the password, not only digits, symbols or one letter repeated."
        )
    if _repeats_one_of(letters, COMMON_WORDS):
        raise PasswordPolicyError(
            "That password is one of the first that anyone guessing would try: "
            "choose a few unrelated words instead."
        )
    name = "".join(ch for ch in username.lower() if ch.isalpha())
    if name and _repeats_one_of(letters, {name, name[::-1]}):
        raise PasswordPolicyError("Do not build the password from the username.")


def _repeats_one_of(letters: str, words) -> bool:
    """True when ``letters`` is one of ``words``, or one of them said over and over."""
    return any(letters == word * (len(letters) // len(word)) for word in words if word and letters)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; an absent hash still costs one verification."""
    try:
        return (
            _hasher.verify(password_hash or _timing_equaliser(), password)
            and password_hash is not None
        )
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
