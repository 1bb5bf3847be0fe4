"""redis-py 8's TLS options: verify flags (also from the URL), CA directory,
ciphers and the password of an encrypted client key."""

from __future__ import annotations

import socket
import ssl
import subprocess
from typing import Any

import pytest

from aio.redis import ConnectionError, ConnectionPool, Redis, SSLConnection


def test_verify_flags_reach_the_context() -> None:
    conn = SSLConnection(
        ssl_include_verify_flags=[
            ssl.VerifyFlags.VERIFY_X509_STRICT,
            ssl.VerifyFlags.VERIFY_CRL_CHECK_CHAIN,
        ],
        ssl_exclude_verify_flags=[ssl.VerifyFlags.VERIFY_X509_TRUSTED_FIRST],
    )
    flags = conn.ssl_context.verify_flags
    assert flags & ssl.VerifyFlags.VERIFY_X509_STRICT
    assert flags & ssl.VerifyFlags.VERIFY_CRL_CHECK_CHAIN
    assert not flags & ssl.VerifyFlags.VERIFY_X509_TRUSTED_FIRST
    assert conn.ssl_include_verify_flags == [
        ssl.VerifyFlags.VERIFY_X509_STRICT,
        ssl.VerifyFlags.VERIFY_CRL_CHECK_CHAIN,
    ]


def test_ciphers_reach_the_context() -> None:
    default = {c["name"] for c in SSLConnection().ssl_context.get_ciphers()}
    narrowed = SSLConnection(ssl_ciphers="ECDHE-RSA-AES128-GCM-SHA256")
    names = {c["name"] for c in narrowed.ssl_context.get_ciphers()}
    # TLS 1.3 suites are not governed by set_ciphers; the 1.2 list is narrowed.
    assert "ECDHE-RSA-AES128-GCM-SHA256" in names
    assert names < default
    # OpenSSL's refusal surfaces as a ConnectionError, as redis-py's at connect
    with pytest.raises(ConnectionError, match="No cipher can be selected"):
        SSLConnection(ssl_ciphers="NO-SUCH-CIPHER")


@pytest.mark.parametrize(
    "query",
    [
        "ssl_include_verify_flags=VERIFY_X509_STRICT,VERIFY_CRL_CHECK_CHAIN",
        "ssl_include_verify_flags=[VERIFY_X509_STRICT, VERIFY_CRL_CHECK_CHAIN]",
        "ssl_exclude_verify_flags=VERIFY_X509_STRICT, VERIFY_CRL_CHECK_CHAIN",
        "ssl_include_verify_flags=VERIFY_X509_STRICT&"
        "ssl_exclude_verify_flags=VERIFY_CRL_CHECK_LEAF",
    ],
)
def test_verify_flags_from_url_as_redis_py(query: str) -> None:
    import redis as redis_py

    url = f"rediss://localhost?{query}"
    theirs = redis_py.ConnectionPool.from_url(url).make_connection()
    ours = ConnectionPool.from_url(url).make_connection()
    assert isinstance(ours, SSLConnection)
    for name in ("ssl_include_verify_flags", "ssl_exclude_verify_flags"):
        assert getattr(ours, name) == list(getattr(theirs, name) or [])


@pytest.mark.parametrize(
    "query",
    [
        "ssl_include_verify_flags=[VERIFY_X509,VERIFY_CRL_CHECK_CHAIN]",
        "ssl_exclude_verify_flags=[VERIFY_X509_STRICT1, VERIFY_CRL_CHECK_CHAIN]",
    ],
)
def test_unknown_verify_flag_in_url_is_refused(query: str) -> None:
    with pytest.raises(ValueError, match="ssl_"):
        ConnectionPool.from_url(f"rediss://localhost?{query}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_encrypted_key_ca_directory_and_flags_on_a_real_tls_server(
    private_redis_server: Any, tmp_path: Any
) -> None:
    trustme = pytest.importorskip("trustme")
    serialization = pytest.importorskip("cryptography.hazmat.primitives.serialization")
    ca = trustme.CA()
    server_cert = ca.issue_cert("localhost")
    client_cert = ca.issue_cert("client@example.org")
    paths = {n: tmp_path / f"{n}.pem" for n in ("cert", "key", "ca", "ccert", "ckey")}
    ca.cert_pem.write_to_path(str(paths["ca"]))
    server_cert.cert_chain_pems[0].write_to_path(str(paths["cert"]))
    server_cert.private_key_pem.write_to_path(str(paths["key"]))
    client_cert.cert_chain_pems[0].write_to_path(str(paths["ccert"]))
    key = serialization.load_pem_private_key(client_cert.private_key_pem.bytes(), None)
    paths["ckey"].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"s3cret"),
        )
    )
    # A CA directory as OpenSSL looks it up: <subject hash>.0
    ca_dir = tmp_path / "cas"
    ca_dir.mkdir()
    subject_hash = subprocess.run(
        ["openssl", "x509", "-noout", "-subject_hash", "-in", str(paths["ca"])],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (ca_dir / f"{subject_hash}.0").write_bytes(paths["ca"].read_bytes())
    port = _free_port()
    private_redis_server(
        "--tls-port", str(port),
        "--tls-cert-file", str(paths["cert"]),
        "--tls-key-file", str(paths["key"]),
        "--tls-ca-cert-file", str(paths["ca"]),
        "--tls-auth-clients", "yes",
    )  # fmt: skip
    options: dict[str, Any] = {
        "host": "localhost",
        "port": port,
        "ssl": True,
        "ssl_ca_path": str(ca_dir),
        "ssl_certfile": str(paths["ccert"]),
        "ssl_keyfile": str(paths["ckey"]),
        "ssl_include_verify_flags": [ssl.VerifyFlags.VERIFY_X509_STRICT],
        "retry": None,
    }
    async with Redis(ssl_password="s3cret", **options) as r:
        assert await r.ping() is True
    with pytest.raises(ConnectionError) as caught:
        Redis(ssl_password="wrong", **options).connection_pool.make_connection()
    assert isinstance(caught.value.__cause__, ssl.SSLError)
