"""``aio``: one command line for every component.

Each subcommand lives with its component and is imported only when used, so that
``aio serve`` does not pay for the Redis client and vice versa:

- ``aio serve module:attr``  the ASGI server (:mod:`aio.server.cli`)
- ``aio demo``               the demo app on http://127.0.0.1:8000 (:mod:`aio.server.cli`)
- ``aio wsgi module:app``    the WSGI server (:mod:`aio.server.wsgi_cli`)
"""

from __future__ import annotations

import importlib
import sys

from aio import __version__

# subcommand -> (module, function taking argv and returning an exit code, summary)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "serve": ("aio.server.cli", "serve_main", "run an ASGI application"),
    "demo": ("aio.server.cli", "demo_main", "serve the demo app on 127.0.0.1:8000"),
    "wsgi": ("aio.server.wsgi_cli", "main", "run a WSGI application"),
}


def usage() -> str:
    """The top-level help text."""
    lines = ["usage: aio COMMAND [ARGS]...", "", "commands:"]
    lines += [f"  {name:<8} {summary}" for name, (_, _, summary) in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``aio`` console script; returns the process exit code."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in {"-h", "--help"}:
        print(usage())
        return 0 if args else 2
    if args[0] == "--version":
        print(f"aio {__version__}")
        return 0
    command, rest = args[0], args[1:]
    if command not in COMMANDS:
        print(f"aio: unknown command {command!r}\n\n{usage()}", file=sys.stderr)
        return 2
    module_name, function_name, _ = COMMANDS[command]
    function = getattr(importlib.import_module(module_name), function_name)
    result: int = function(rest)
    return result


if __name__ == "__main__":
    sys.exit(main())
