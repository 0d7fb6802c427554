"""The network services a signer's CA runs, served from the test on 127.0.0.1: an RFC 3161
timestamp authority (OpenSSL's own ``openssl ts -reply``, a program no one here wrote, with
a TSA certificate made at test time), and the certificate revocation lists that the test
CA's certificates point at (their CRL distribution points). One thread, one free port.

Paths:
- ``POST /tsa``: a timestamp request in, OpenSSL's reply out;
- ``POST /tsa-garbage``: answers 200 with bytes that are not a timestamp reply;
- ``GET /crl/<name>.crl``: the CRL (DER) published for a CA of the test hierarchy.
"""

from __future__ import annotations

import subprocess
import tempfile
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization

TSA_CONFIG = """
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {folder}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/chain.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def crl_of(issuer, now, revoked: tuple[int, ...] = ()) -> bytes:
    """A CRL of ``issuer`` (an ``Issued``) valid for a week around ``now``, DER."""
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.certificate.subject)
        .last_update(now - timedelta(hours=1))
        .next_update(now + timedelta(days=7))
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    )
    for serial in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(serial)
            .revocation_date(now - timedelta(hours=1))
            .build()
        )
    crl = builder.sign(issuer.key, hashes.SHA256())
    return crl.public_bytes(serialization.Encoding.DER)


class TrustServices:
    """The TSA and the CRLs over HTTP, for as long as the test session runs."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="vanthu-tsa-"))
        self.crls: dict[str, bytes] = {}
        self.requests: list[str] = []  # the paths asked for, in order (what was fetched)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def tsa_url(self) -> str:
        return self.base + "/tsa"

    @property
    def garbage_tsa_url(self) -> str:
        return self.base + "/tsa-garbage"

    def crl_url(self, name: str) -> str:
        return f"{self.base}/crl/{name}.crl"

    def start_tsa(self, tsa, chain) -> None:
        """Give OpenSSL the TSA's key, certificate and chain (``Issued`` objects)."""
        (self.folder / "tsa.key").write_bytes(
            tsa.key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        (self.folder / "tsa.pem").write_bytes(tsa.pem)
        (self.folder / "chain.pem").write_bytes(b"".join(c.pem for c in [tsa, *chain]))
        (self.folder / "serial").write_text("01\n")
        (self.folder / "tsa.cnf").write_text(TSA_CONFIG.format(folder=self.folder))

    def start(self) -> TrustServices:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _reply(self, query: bytes) -> bytes:
        with tempfile.TemporaryDirectory(dir=self.folder) as work:
            query_file, reply_file = Path(work) / "q.tsq", Path(work) / "r.tsr"
            query_file.write_bytes(query)
            subprocess.run(
                ["openssl", "ts", "-reply", "-config", str(self.folder / "tsa.cnf"),
                 "-queryfile", str(query_file), "-out", str(reply_file)],
                check=True, capture_output=True, timeout=30,
            )  # fmt: skip
            return reply_file.read_bytes()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        services = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass  # the test's output stays readable

            def _send(self, status: int, body: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                services.requests.append(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.path == "/tsa":
                    self._send(200, services._reply(body), "application/timestamp-reply")
                elif self.path == "/tsa-garbage":
                    self._send(200, b"<html>Bao tri he thong</html>", "application/timestamp-reply")
                else:
                    self._send(404, b"", "text/plain")

            def do_GET(self) -> None:  # noqa: N802
                services.requests.append(self.path)
                name = self.path.removeprefix("/crl/").removesuffix(".crl")
                if self.path.startswith("/crl/") and name in services.crls:
                    self._send(200, services.crls[name], "application/pkix-crl")
                else:
                    self._send(404, b"", "text/plain")

        return Handler
