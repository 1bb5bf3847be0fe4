"""redis-py's ``redis.utils`` for the blocking API: :func:`from_url`, the
:func:`pipeline` context manager, and the user-facing helpers and feature flags,
the very ones of :mod:`aio.redis.utils` (see there for where aio differs:
``HIREDIS_AVAILABLE`` and ``CRYPTOGRAPHY_AVAILABLE`` are ``False``, as this
client uses neither hiredis nor OCSP; ``get_lib_version()`` is aio's version).

.. versionadded:: 0.1
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from aio.redis.utils import CRYPTOGRAPHY_AVAILABLE as CRYPTOGRAPHY_AVAILABLE
from aio.redis.utils import HIREDIS_AVAILABLE as HIREDIS_AVAILABLE
from aio.redis.utils import SSL_AVAILABLE as SSL_AVAILABLE
from aio.redis.utils import compare_versions as compare_versions
from aio.redis.utils import deprecated_args as deprecated_args
from aio.redis.utils import deprecated_function as deprecated_function
from aio.redis.utils import dict_merge as dict_merge
from aio.redis.utils import dummy_fail as dummy_fail
from aio.redis.utils import dummy_fail_async as dummy_fail_async
from aio.redis.utils import ensure_string as ensure_string
from aio.redis.utils import format_error_message as format_error_message
from aio.redis.utils import get_lib_version as get_lib_version
from aio.redis.utils import list_keys_to_dict as list_keys_to_dict
from aio.redis.utils import merge_result as merge_result
from aio.redis.utils import safe_str as safe_str
from aio.redis.utils import str_if_bytes as str_if_bytes
from aio.redis.utils import warn_deprecated as warn_deprecated
from aio.redis.utils import warn_deprecated_arg_usage as warn_deprecated_arg_usage
from sync_shims.redis.client import from_url as from_url

if TYPE_CHECKING:
    from sync_shims.redis.client import Pipeline, Redis

__all__ = (
    "CRYPTOGRAPHY_AVAILABLE",
    "HIREDIS_AVAILABLE",
    "SSL_AVAILABLE",
    "compare_versions",
    "deprecated_args",
    "deprecated_function",
    "dict_merge",
    "dummy_fail",
    "dummy_fail_async",
    "ensure_string",
    "format_error_message",
    "from_url",
    "get_lib_version",
    "list_keys_to_dict",
    "merge_result",
    "pipeline",
    "safe_str",
    "str_if_bytes",
    "warn_deprecated",
    "warn_deprecated_arg_usage",
)


@contextmanager
def pipeline(redis_obj: Redis) -> Iterator[Pipeline]:
    """``with pipeline(r) as p:`` queues the commands of the block on
    ``r.pipeline()`` and executes them when the block ends without an error, as
    redis-py's ``redis.utils.pipeline`` (after an error nothing is sent).

    .. versionadded:: 0.1
    """
    p = redis_obj.pipeline()
    yield p
    p.execute()
