"""ACL commands: users, their rules, categories and the ACL log (Redis 6+).

``acl_setuser`` turns keyword arguments into ACL rules (``on``/``off``,
``>password``, ``+@category``, ``~pattern``, ``&channel``, ``(selector)``); the
prefixes users give (``"+"``/``"-"``) say whether a password, category or command
is added or removed, as in redis-py.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aio.redis._types import ChannelT, EncodableT, KeyT, ResponseT
from aio.redis.commands._base import CommandsBase
from aio.redis.commands._util import list_or_args
from aio.redis.exceptions import DataError

__all__ = ("AclCommands",)


def _text(value: Any) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode()
    return str(value)


def _signed(value: Any, what: str, add: str, remove: str) -> str:
    # "+secret" -> add + "secret"; "-secret" -> remove + "secret".
    text = _text(value)
    if text.startswith("+"):
        return add + text[1:]
    if text.startswith("-"):
        return remove + text[1:]
    raise DataError(f'acl_setuser: {what} {text!r} must start with "+" or "-"')


def _key_pattern(value: Any) -> str:
    text = _text(value)
    return text if text.startswith(("%", "~")) else "~" + text


def _command_rule(value: Any) -> str:
    text = _text(value)
    if not text.startswith(("+", "-")):
        raise DataError(f'acl_setuser: command {text!r} must start with "+" or "-"')
    return text


def _check_bits(bits: Any) -> None:
    if not isinstance(bits, int) or not 0 < bits <= 4096:
        raise DataError("acl_genpass: bits must be an integer in 1..4096")


class AclCommands(CommandsBase):
    """ACL commands, with redis-py's method names and return values."""

    def acl_cat(self, category: str | None = None, **kwargs: Any) -> ResponseT:
        """ACL categories, or the commands of one category (as str)."""
        pieces = [] if category is None else [category]
        return self.execute_command("ACL CAT", *pieces, **kwargs)

    def acl_dryrun(self, username: str, *args: EncodableT, **kwargs: Any) -> ResponseT:
        """Whether ``username`` could run the command ``args`` (Redis 7+)."""
        return self.execute_command("ACL DRYRUN", username, *args, **kwargs)

    def acl_deluser(self, *username: str, **kwargs: Any) -> ResponseT:
        """Delete users; returns how many existed."""
        return self.execute_command("ACL DELUSER", *username, **kwargs)

    def acl_genpass(self, bits: int | None = None, **kwargs: Any) -> ResponseT:
        """A random password (str) of ``bits`` bits (256 by default).

        :raises DataError: when ``bits`` is not an int in 1..4096.
        """
        pieces: list[Any] = []
        if bits is not None:
            _check_bits(bits)
            pieces.append(bits)
        return self.execute_command("ACL GENPASS", *pieces, **kwargs)

    def acl_getuser(self, username: str, **kwargs: Any) -> ResponseT:
        """A user's rules as a dict (flags, passwords, commands, categories,
        keys, channels, selectors, enabled), or None for an unknown user."""
        return self.execute_command("ACL GETUSER", username, **kwargs)

    def acl_help(self, **kwargs: Any) -> ResponseT:
        """The ACL subcommands' help text, one str per line."""
        return self.execute_command("ACL HELP", **kwargs)

    def acl_list(self, **kwargs: Any) -> ResponseT:
        """Every user's rules in ACL file form (str)."""
        return self.execute_command("ACL LIST", **kwargs)

    def acl_log(self, count: int | None = None, **kwargs: Any) -> ResponseT:
        """Recent ACL denials, one dict each (newest first).

        :raises DataError: when ``count`` is not an int.
        """
        pieces: list[Any] = []
        if count is not None:
            if not isinstance(count, int):
                raise DataError("acl_log: count must be an integer")
            pieces.append(count)
        return self.execute_command("ACL LOG", *pieces, **kwargs)

    def acl_log_reset(self, **kwargs: Any) -> ResponseT:
        """Clear the ACL log; returns True."""
        return self.execute_command("ACL LOG", "RESET", **kwargs)

    def acl_load(self, **kwargs: Any) -> ResponseT:
        """Reload users from the ACL file; returns True."""
        return self.execute_command("ACL LOAD", **kwargs)

    def acl_save(self, **kwargs: Any) -> ResponseT:
        """Save users to the ACL file; returns True."""
        return self.execute_command("ACL SAVE", **kwargs)

    def acl_setuser(
        self,
        username: str,
        enabled: bool = False,
        nopass: bool = False,
        passwords: str | Iterable[str] | None = None,
        hashed_passwords: str | Iterable[str] | None = None,
        categories: Iterable[str] | None = None,
        commands: Iterable[str] | None = None,
        keys: Iterable[KeyT] | None = None,
        channels: Iterable[ChannelT] | None = None,
        selectors: Iterable[tuple[str, KeyT]] | None = None,
        reset: bool = False,
        reset_keys: bool = False,
        reset_channels: bool = False,
        reset_passwords: bool = False,
        **kwargs: Any,
    ) -> ResponseT:
        """Create or modify a user; returns True.

        :param passwords: ``"+pw"`` adds, ``"-pw"`` removes a password.
        :param categories: ``"+@read"``/``"+read"`` allow, ``"-@all"``/``"-all"`` deny.
        :param commands: ``"+get"`` allows, ``"-set"`` denies a command.
        :param keys: key patterns (``~`` is added unless ``%R~``/``~`` is given).
        :param selectors: ``(command_rule, key_pattern)`` pairs (Redis 7+).
        :raises DataError: for unprefixed rules, or ``nopass`` with passwords.
        """
        pieces: list[Any] = [username]
        for token, on in (
            ("reset", reset),
            ("resetkeys", reset_keys),
            ("resetchannels", reset_channels),
            ("resetpass", reset_passwords),
        ):
            if on:
                pieces.append(token)
        pieces.append("on" if enabled else "off")
        if nopass and (passwords or hashed_passwords):
            raise DataError("acl_setuser: nopass cannot be combined with passwords")
        if passwords:
            pieces += [
                _signed(pw, "password", ">", "<") for pw in list_or_args(passwords)
            ]
        if hashed_passwords:
            pieces += [
                _signed(pw, "hashed password", "#", "!")
                for pw in list_or_args(hashed_passwords)
            ]
        if nopass:
            pieces.append("nopass")
        for category in categories or ():
            text = _text(category)
            if text.startswith(("+@", "-@")):
                pieces.append(text)
            else:
                pieces.append(_signed(text, "category", "+@", "-@"))
        pieces += [_command_rule(cmd) for cmd in commands or ()]
        pieces += [_key_pattern(key) for key in keys or ()]
        pieces += ["&" + _text(channel) for channel in channels or ()]
        for cmd, key in selectors or ():
            pieces.append(f"({_command_rule(cmd)} {_key_pattern(key)})")
        return self.execute_command("ACL SETUSER", *pieces, **kwargs)

    def acl_users(self, **kwargs: Any) -> ResponseT:
        """The user names (str)."""
        return self.execute_command("ACL USERS", **kwargs)

    def acl_whoami(self, **kwargs: Any) -> ResponseT:
        """The user this connection is authenticated as (str)."""
        return self.execute_command("ACL WHOAMI", **kwargs)
