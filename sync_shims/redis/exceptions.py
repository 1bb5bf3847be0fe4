"""redis-py's ``redis.exceptions``: the aio Redis exceptions, unchanged.

The facade re-raises what the async core raised, so these are the very classes
(``except redis.exceptions.WatchError`` works after swapping the import).
The cluster ones (``RedisClusterException``, ``MovedError``, ``AskError``,
``TryAgainError``, ``ClusterDownError``, ``SlotNotCoveredError``,
``CrossSlotTransactionError``...) are here too, as in redis-py.
:class:`InvalidPipelineStack` alone is the facade's: see its docstring.
"""

from __future__ import annotations

from aio.redis.exceptions import AskError as AskError
from aio.redis.exceptions import AuthenticationError as AuthenticationError
from aio.redis.exceptions import (
    AuthenticationWrongNumberOfArgsError as AuthenticationWrongNumberOfArgsError,
)
from aio.redis.exceptions import AuthorizationError as AuthorizationError
from aio.redis.exceptions import BusyLoadingError as BusyLoadingError
from aio.redis.exceptions import ChildDeadlockedError as ChildDeadlockedError
from aio.redis.exceptions import ClusterCrossSlotError as ClusterCrossSlotError
from aio.redis.exceptions import ClusterDownError as ClusterDownError
from aio.redis.exceptions import ClusterError as ClusterError
from aio.redis.exceptions import ConnectionError as ConnectionError
from aio.redis.exceptions import CrossSlotTransactionError as CrossSlotTransactionError
from aio.redis.exceptions import DataError as DataError
from aio.redis.exceptions import ExecAbortError as ExecAbortError
from aio.redis.exceptions import (
    ExternalAuthProviderError as ExternalAuthProviderError,
)
from aio.redis.exceptions import InvalidResponse as InvalidResponse
from aio.redis.exceptions import LockError as LockError
from aio.redis.exceptions import LockNotOwnedError as LockNotOwnedError
from aio.redis.exceptions import MasterDownError as MasterDownError
from aio.redis.exceptions import MaxConnectionsError as MaxConnectionsError
from aio.redis.exceptions import ModuleError as ModuleError
from aio.redis.exceptions import MovedError as MovedError
from aio.redis.exceptions import NoPermissionError as NoPermissionError
from aio.redis.exceptions import NoScriptError as NoScriptError
from aio.redis.exceptions import NoSuchFieldsetError as NoSuchFieldsetError
from aio.redis.exceptions import OutOfMemoryError as OutOfMemoryError
from aio.redis.exceptions import PubSubError as PubSubError
from aio.redis.exceptions import ReadOnlyError as ReadOnlyError
from aio.redis.exceptions import RedisClusterException as RedisClusterException
from aio.redis.exceptions import RedisError as RedisError
from aio.redis.exceptions import ResponseError as ResponseError
from aio.redis.exceptions import SlotNotCoveredError as SlotNotCoveredError
from aio.redis.exceptions import TimeoutError as TimeoutError
from aio.redis.exceptions import TryAgainError as TryAgainError
from aio.redis.exceptions import WatchError as WatchError
from aio.redis.exceptions import WrongTypeError as WrongTypeError
from aio.redis.exceptions import error_from_reply as error_from_reply
from aio.redis.exceptions import lookup as lookup


class InvalidPipelineStack(RedisClusterException):
    """redis-py's name, so that ``from redis.exceptions import
    InvalidPipelineStack`` keeps working. aio never raises it: a cluster
    pipeline whose EXEC reply has the wrong length raises ``ResponseError``.
    """


__all__ = (
    "AskError",
    "AuthenticationError",
    "AuthenticationWrongNumberOfArgsError",
    "AuthorizationError",
    "BusyLoadingError",
    "ChildDeadlockedError",
    "ClusterCrossSlotError",
    "ClusterDownError",
    "ClusterError",
    "ConnectionError",
    "CrossSlotTransactionError",
    "DataError",
    "ExecAbortError",
    "ExternalAuthProviderError",
    "InvalidPipelineStack",
    "InvalidResponse",
    "LockError",
    "LockNotOwnedError",
    "MasterDownError",
    "MaxConnectionsError",
    "ModuleError",
    "MovedError",
    "NoPermissionError",
    "NoScriptError",
    "NoSuchFieldsetError",
    "OutOfMemoryError",
    "PubSubError",
    "ReadOnlyError",
    "RedisClusterException",
    "RedisError",
    "ResponseError",
    "SlotNotCoveredError",
    "TimeoutError",
    "TryAgainError",
    "WatchError",
    "WrongTypeError",
    "error_from_reply",
    "lookup",
)
