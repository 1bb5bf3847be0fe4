"""A small blocking HTTPS client for the Redis Enterprise REST API, run in a
worker thread (``urllib``: aio's runtime needs nothing more). It serves
:class:`~aio.redis.multidb.healthcheck.LagAwareHealthCheck`, as redis-py's
``redis.http.http_client.HttpClient`` serves its own: GET only, basic auth,
server verification and client certificates, no retries (a probe that fails is
a failed probe)."""

from __future__ import annotations

import base64
import json
import ssl
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urljoin

import anyio

from aio.redis.exceptions import RedisError

__all__ = ("DEFAULT_TIMEOUT", "HttpError", "RestClient")

DEFAULT_TIMEOUT = 30.0


class HttpError(RedisError):
    """The REST API answered with a status outside 2xx-3xx (redis-py's name).

    :param status: the HTTP status.
    :param url: the URL asked.
    :param message: the body, or a default text.
    """

    def __init__(self, status: int, url: str, message: str | None = None) -> None:
        self.status = status
        self.url = url
        self.message = message or f"HTTP {status} for {url}"
        super().__init__(self.message)


class RestClient:
    """GET JSON from a REST API (see the module's docstring for the options)."""

    def __init__(
        self,
        timeout: float = DEFAULT_TIMEOUT,
        auth_basic: tuple[str, str] | None = None,
        verify_tls: bool = True,
        ca_file: str | None = None,
        ca_path: str | None = None,
        ca_data: str | bytes | None = None,
        client_cert_file: str | None = None,
        client_key_file: str | None = None,
        client_key_password: str | None = None,
    ) -> None:
        self.base_url = ""
        self.timeout = timeout
        self._auth_basic = auth_basic
        self._verify_tls = verify_tls
        self._ca = (ca_file, ca_path, ca_data)
        self._cert = (client_cert_file, client_key_file, client_key_password)

    def _context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if not self._verify_tls:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            return context
        ca_file, ca_path, ca_data = self._ca
        context = ssl.create_default_context(
            cafile=ca_file, capath=ca_path, cadata=ca_data
        )
        cert_file, key_file, password = self._cert
        if cert_file:
            context.load_cert_chain(cert_file, key_file, password)
        return context

    def _get(self, path: str, expect_json: bool, base_url: str) -> Any:
        base = base_url if base_url.endswith("/") else base_url + "/"
        url = urljoin(base, path.lstrip("/"))
        headers = {"Accept": "application/json"}
        if self._auth_basic is not None:
            user, password = self._auth_basic
            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            headers["Authorization"] = f"Basic {token}"
        request = urllib.request.Request(url, headers=headers, method="GET")
        context = self._context() if url.lower().startswith("https") else None
        try:
            with urllib.request.urlopen(
                request, timeout=self.timeout, context=context
            ) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, body = exc.code, exc.read()
        if not 200 <= status < 400:
            raise HttpError(status, url, body.decode("utf-8", "replace"))
        return json.loads(body) if expect_json else body

    async def get(
        self, path: str, expect_json: bool = True, base_url: str | None = None
    ) -> Any:
        """GET ``path`` under ``base_url`` (default :attr:`base_url`): its JSON,
        or its body. Checks of several databases share one client and run
        concurrently: each passes its own ``base_url``.

        :raises HttpError: the status is not 2xx or 3xx.
        :raises OSError: the API could not be reached (``URLError``).
        """
        base = self.base_url if base_url is None else base_url
        return await anyio.to_thread.run_sync(self._get, path, expect_json, base)
