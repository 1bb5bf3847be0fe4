"""ACL commands: aio vs redis-py, on RESP2 and RESP3.

Users are server-wide: the scenarios create users with a name unique to this
process and delete them again; nothing authenticates as them (that would change
a pooled connection's identity).
"""

from __future__ import annotations

import os
from typing import Any

USER = f"aio-oracle-{os.getpid()}"


async def test_acl_users_and_rules(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        try:
            created = await r.acl_setuser(
                USER,
                enabled=True,
                passwords=["+first", "+second"],
                categories=["+@read", "-@dangerous"],
                commands=["+set", "-keys"],
                keys=["cache:*", "%R~ro:*"],
                channels=["news.*"],
                selectors=[("+get", "sel:*")],
            )
            user = await r.acl_getuser(USER)
            user["passwords"] = len(user["passwords"])
            changed = await r.acl_setuser(
                USER, reset_passwords=True, nopass=True, reset_keys=True
            )
            again = await r.acl_getuser(USER)
            return [
                created,
                user,
                changed,
                again["flags"],
                again["keys"],
                USER in await r.acl_users(),
                any(USER in rule for rule in await r.acl_list()),
                await r.acl_whoami(),
                "read" in await r.acl_cat(),
                "get" in await r.acl_cat("read"),
                len(await r.acl_genpass()),
                len(await r.acl_genpass(64)),
                await r.acl_dryrun(USER, "SET", "cache:1", "v"),
                await r.acl_getuser("aio-no-such-user"),
                type(await r.acl_log(count=1)).__name__,
                isinstance(await r.acl_help(), list),
            ]
        finally:
            await r.acl_deluser(USER)

    await oracle.check(scenario)


async def test_acl_setuser_rejects_unsigned_rules(oracle: Any) -> None:
    async def scenario(r: Any) -> Any:
        return await r.acl_setuser(USER, categories=["read"])

    await oracle.check(scenario, raises=True)


async def test_acl_deluser_counts(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.acl_setuser(USER)
        return [
            await r.acl_deluser(USER, "aio-no-such-user"),
            await r.acl_deluser(USER),
        ]

    await oracle.check(scenario)


async def test_acl_decoded(oracle_decoded: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        try:
            await r.acl_setuser(USER, enabled=True, keys=["a", "b"], commands=["+get"])
            return [await r.acl_getuser(USER), await r.acl_whoami()]
        finally:
            await r.acl_deluser(USER)

    await oracle_decoded.check(scenario)
