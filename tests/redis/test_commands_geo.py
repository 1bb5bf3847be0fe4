"""Geo commands: aio vs redis-py, on RESP2 and RESP3."""

from __future__ import annotations

from typing import Any

import pytest

PLACES = (13.361389, 38.115556, "Palermo", 15.087269, 37.502669, "Catania")


async def test_geo_basics(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        return [
            await r.geoadd("g", PLACES),
            await r.geoadd("g", (13.361389, 38.115556, "Palermo"), nx=True),
            await r.geoadd("g", (13.0, 38.0, "Palermo"), xx=True, ch=True),
            await r.geoadd("g", PLACES, ch=True),
            await r.geodist("g", "Palermo", "Catania"),
            await r.geodist("g", "Palermo", "Catania", unit="km"),
            await r.geodist("g", "Palermo", "nope"),
            await r.geohash("g", "Palermo", "nope", "Catania"),
            await r.geopos("g", "Palermo", "nope"),
        ]

    await oracle.check(scenario)


async def test_geosearch(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.geoadd("g", PLACES)
        return [
            await r.geosearch("g", longitude=15, latitude=37, radius=200, unit="km"),
            await r.geosearch(
                "g", member="Palermo", radius=200, unit="km", sort="ASC", withdist=True
            ),
            await r.geosearch(
                "g",
                longitude=15,
                latitude=37,
                width=400,
                height=400,
                unit="km",
                sort="DESC",
                withcoord=True,
                withdist=True,
                withhash=True,
            ),
            await r.geosearch(
                "g", member="Catania", radius=500, unit="km", count=1, any=True
            ),
            await r.geosearchstore("dst", "g", member="Palermo", radius=500, unit="km"),
            await r.zrange("dst", 0, -1),
            await r.geosearchstore(
                "dst2",
                "g",
                longitude=15,
                latitude=37,
                radius=500,
                unit="km",
                storedist=True,
            ),
            await r.zrange("dst2", 0, -1, withscores=True, score_cast_func=round),
        ]

    await oracle.check(scenario)


async def test_georadius(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.geoadd("g", PLACES)
        return [
            await r.georadius("g", 15, 37, 200, unit="km"),
            await r.georadius(
                "g", 15, 37, 200, unit="km", withdist=True, withcoord=True, sort="ASC"
            ),
            await r.georadius("g", 15, 37, 200, unit="km", withhash=True, count=1),
            await r.georadius("g", 15, 37, 200, unit="km", store="st"),
            await r.georadius("g", 15, 37, 200, unit="km", store_dist="sd"),
            await r.georadiusbymember("g", "Palermo", 200, unit="km", sort="DESC"),
            await r.georadiusbymember(
                "g", "Palermo", 200, unit="km", withdist=True, count=1, any=True
            ),
        ]

    await oracle.check(scenario)


@pytest.mark.parametrize(
    "call",
    [
        lambda r: r.geoadd("g", (1, 2)),
        lambda r: r.geoadd("g", PLACES, nx=True, xx=True),
        lambda r: r.geodist("g", "a", "b", unit="yd"),
        lambda r: r.georadius("g", 1, 2, 3, unit="parsec"),
        lambda r: r.georadius("g", 1, 2, 3, any=True),
        lambda r: r.georadius("g", 1, 2, 3, sort="UP"),
        lambda r: r.georadius("g", 1, 2, 3, store="a", store_dist="b"),
        lambda r: r.geosearch("g", radius=1),
        lambda r: r.geosearch("g", member="a", longitude=1, latitude=2, radius=1),
        lambda r: r.geosearch("g", member="a"),
        lambda r: r.geosearch("g", member="a", radius=1, width=2, height=2),
        lambda r: r.geosearch("g", member="a", radius=1, any=True),
    ],
)
async def test_geo_argument_errors(oracle: Any, call: Any) -> None:
    async def scenario(r: Any) -> Any:
        await r.geoadd("g", PLACES)
        return await call(r)

    await oracle.check(scenario, raises=True)
