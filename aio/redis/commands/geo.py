"""Geo commands: GEOADD, GEODIST, GEOHASH, GEOPOS, GEOSEARCH(STORE), GEORADIUS*."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aio.redis._types import EncodableT, FieldT, KeyT, ResponseT
from aio.redis.commands._base import CommandsBase
from aio.redis.exceptions import DataError

__all__ = ("GeoCommands",)

_UNITS = ("m", "km", "mi", "ft")


def _check_unit(command: str, unit: str | None) -> str:
    if unit is None:
        return "m"
    if unit.lower() not in _UNITS:
        raise DataError(f"{command}: invalid unit {unit!r} (m, km, mi or ft)")
    return unit


def _sort_token(command: str, sort: str | None) -> list[str]:
    if sort is None:
        return []
    if sort.upper() not in ("ASC", "DESC"):
        raise DataError(f"{command}: invalid sort {sort!r} (ASC or DESC)")
    return [sort.upper()]


class GeoCommands(CommandsBase):
    """Geo commands, with redis-py's method names and return values."""

    def geoadd(
        self,
        name: KeyT,
        values: Sequence[EncodableT],
        nx: bool = False,
        xx: bool = False,
        ch: bool = False,
    ) -> ResponseT:
        """Add places given as a flat ``(lon, lat, member, lon, lat, member...)``.

        :raises DataError: for nx with xx, or values not in threes.
        """
        if nx and xx:
            raise DataError("geoadd: only one of nx and xx may be set")
        if len(values) % 3 != 0:
            raise DataError("geoadd: values must be longitude, latitude, name triples")
        pieces: list[Any] = [name]
        if nx:
            pieces.append("NX")
        if xx:
            pieces.append("XX")
        if ch:
            pieces.append("CH")
        pieces.extend(values)
        return self.execute_command("GEOADD", *pieces)

    def geodist(
        self, name: KeyT, place1: FieldT, place2: FieldT, unit: str | None = None
    ) -> ResponseT:
        """The distance between two members (float), or None."""
        pieces: list[Any] = [name, place1, place2]
        if unit is not None:
            pieces.append(_check_unit("GEODIST", unit))
        return self.execute_command("GEODIST", *pieces, keys=[name])

    def geohash(self, name: KeyT, *values: FieldT) -> ResponseT:
        """Geohash strings (str) of members (None where missing)."""
        return self.execute_command("GEOHASH", name, *values, keys=[name])

    def geopos(self, name: KeyT, *values: FieldT) -> ResponseT:
        """``(longitude, latitude)`` of members (None where missing)."""
        return self.execute_command("GEOPOS", name, *values, keys=[name])

    def georadius(
        self,
        name: KeyT,
        longitude: float,
        latitude: float,
        radius: float,
        unit: str | None = None,
        withdist: bool = False,
        withcoord: bool = False,
        withhash: bool = False,
        count: int | None = None,
        sort: str | None = None,
        store: KeyT | None = None,
        store_dist: KeyT | None = None,
        any: bool = False,
    ) -> ResponseT:
        """Members within ``radius`` of a point (deprecated by Redis: GEOSEARCH)."""
        return self._georadius(
            "GEORADIUS",
            [name, longitude, latitude, radius],
            unit=unit,
            withdist=withdist,
            withcoord=withcoord,
            withhash=withhash,
            count=count,
            sort=sort,
            store=store,
            store_dist=store_dist,
            any=any,
        )

    def georadiusbymember(
        self,
        name: KeyT,
        member: FieldT,
        radius: float,
        unit: str | None = None,
        withdist: bool = False,
        withcoord: bool = False,
        withhash: bool = False,
        count: int | None = None,
        sort: str | None = None,
        store: KeyT | None = None,
        store_dist: KeyT | None = None,
        any: bool = False,
    ) -> ResponseT:
        """Members within ``radius`` of another member."""
        return self._georadius(
            "GEORADIUSBYMEMBER",
            [name, member, radius],
            unit=unit,
            withdist=withdist,
            withcoord=withcoord,
            withhash=withhash,
            count=count,
            sort=sort,
            store=store,
            store_dist=store_dist,
            any=any,
        )

    def _georadius(self, command: str, args: list[Any], **kw: Any) -> ResponseT:
        pieces = list(args)
        pieces.append(_check_unit(command, kw["unit"]))
        if kw["any"] and kw["count"] is None:
            raise DataError(f"{command}: any requires count")
        pieces += [f.upper() for f in ("withdist", "withcoord", "withhash") if kw[f]]
        if kw["count"] is not None:
            pieces += ["COUNT", kw["count"]]
            if kw["any"]:
                pieces.append("ANY")
        pieces += _sort_token(command, kw["sort"])
        if kw["store"] and kw["store_dist"]:
            raise DataError(f"{command}: store and store_dist cannot both be set")
        if kw["store"]:
            pieces += ["STORE", kw["store"]]
        if kw["store_dist"]:
            pieces += ["STOREDIST", kw["store_dist"]]
        return self.execute_command(command, *pieces, **kw)

    def geosearch(
        self,
        name: KeyT,
        member: FieldT | None = None,
        longitude: float | None = None,
        latitude: float | None = None,
        unit: str = "m",
        radius: float | None = None,
        width: float | None = None,
        height: float | None = None,
        sort: str | None = None,
        count: int | None = None,
        any: bool = False,
        withcoord: bool = False,
        withdist: bool = False,
        withhash: bool = False,
    ) -> ResponseT:
        """Members inside a circle or box around a member or a point."""
        return self._geosearch(
            "GEOSEARCH",
            [name],
            member=member,
            longitude=longitude,
            latitude=latitude,
            unit=unit,
            radius=radius,
            width=width,
            height=height,
            sort=sort,
            count=count,
            any=any,
            withcoord=withcoord,
            withdist=withdist,
            withhash=withhash,
            store=None,
            store_dist=None,
        )

    def geosearchstore(
        self,
        dest: KeyT,
        name: KeyT,
        member: FieldT | None = None,
        longitude: float | None = None,
        latitude: float | None = None,
        unit: str = "m",
        radius: float | None = None,
        width: float | None = None,
        height: float | None = None,
        sort: str | None = None,
        count: int | None = None,
        any: bool = False,
        storedist: bool = False,
    ) -> ResponseT:
        """Store a GEOSEARCH result in ``dest``; returns its size."""
        return self._geosearch(
            "GEOSEARCHSTORE",
            [dest, name],
            member=member,
            longitude=longitude,
            latitude=latitude,
            unit=unit,
            radius=radius,
            width=width,
            height=height,
            sort=sort,
            count=count,
            any=any,
            withcoord=False,
            withdist=False,
            withhash=False,
            store=None,
            store_dist=None,
            storedist=storedist,
        )

    def _geosearch(self, command: str, args: list[Any], **kw: Any) -> ResponseT:
        pieces = list(args)
        if kw["member"] is None:
            if kw["longitude"] is None or kw["latitude"] is None:
                raise DataError(f"{command}: needs member or longitude and latitude")
            pieces += ["FROMLONLAT", kw["longitude"], kw["latitude"]]
        else:
            if kw["longitude"] is not None or kw["latitude"] is not None:
                raise DataError(
                    f"{command}: member and longitude/latitude cannot both be set"
                )
            pieces += ["FROMMEMBER", kw["member"]]
        if kw["radius"] is None:
            if kw["width"] is None or kw["height"] is None:
                raise DataError(f"{command}: needs radius or width and height")
            pieces += ["BYBOX", kw["width"], kw["height"]]
        else:
            if kw["width"] is not None or kw["height"] is not None:
                raise DataError(
                    f"{command}: radius and width/height cannot both be set"
                )
            pieces += ["BYRADIUS", kw["radius"]]
        pieces.append(_check_unit(command, kw["unit"]))
        pieces += _sort_token(command, kw["sort"])
        if kw["any"] and kw["count"] is None:
            raise DataError(f"{command}: any requires count")
        if kw["count"] is not None:
            pieces += ["COUNT", kw["count"]]
            if kw["any"]:
                pieces.append("ANY")
        for flag in ("withdist", "withcoord", "withhash"):
            if kw[flag]:
                pieces.append(flag.upper())
        if kw.pop("storedist", False):
            pieces.append("STOREDIST")
        return self.execute_command(command, *pieces, **kw)
