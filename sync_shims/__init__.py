"""Blocking facades with the APIs people know, on top of aio's one engine."""

__all__: tuple[str, ...] = ()
