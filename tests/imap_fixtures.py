"""A real IMAP server for the tests: Debian's dovecot-imapd, started per test with a generated configuration
(a temporary base_dir, a passwd-file user, maildir in a temporary folder, plain IMAP with STARTTLS and IMAPS
on free ports of 127.0.0.1, a self-signed certificate made with openssl at test time).

    def test_x(dovecot):
        dovecot.append(raw_bytes)                      # deliver a message (IMAP APPEND, unseen)
        config = dovecot.config("starttls")            # a MailboxConfig: "none", "starttls" or "ssl"
        dovecot.flags(uid) -> set[str]                 # its flags after the intake
"""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "anmalan", "Hemligt-lösen-42"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"dovecot stopped: {log.read_text() if log.exists() else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"dovecot did not listen on {port}: {log.read_text() if log.exists() else ''}")


CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
instance_name = uppsikt-test-{port}
{identity}
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 0
mail_location = maildir:{root}/home/%u/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {ssl_port}
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
  inet_listener pop3s {{
    port = 0
  }}
}}
service submission-login {{
  inet_listener submission {{
    port = 0
  }}
}}
"""


class Dovecot:
    def __init__(self, root: Path, port: int, ssl_port: int):
        self.root, self.port, self.ssl_port = root, port, ssl_port
        self.cafile = str(root / "cert.pem")

    def url(self, security: str = "none", mailbox: str = "INBOX") -> str:
        if security == "ssl":
            return f"imaps://{USER}:{PASSWORD}@127.0.0.1:{self.ssl_port}/{mailbox}"
        suffix = "?security=none" if security == "none" else ""
        return f"imap://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{mailbox}{suffix}"

    def config(self, security: str = "none"):
        from moderation.reports.mailbox import mailbox_config

        return mailbox_config(self.url(security))

    def client(self) -> imaplib.IMAP4:
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        secret = f"\0{USER}\0{PASSWORD}".encode()
        conn.authenticate("PLAIN", lambda _challenge: secret)
        conn.select("INBOX")
        return conn

    def append(self, raw: bytes, flags: str = "()") -> str:
        conn = self.client()
        try:
            typ, data = conn.append("INBOX", flags, None, raw)
            assert typ == "OK", data
            return data[0].decode().split("APPENDUID ")[1].split()[1].rstrip("]")
        finally:
            conn.logout()

    def flags(self, uid: str) -> set[str]:
        conn = self.client()
        try:
            typ, data = conn.uid("FETCH", uid, "(FLAGS)")
            text = data[0].decode() if data and data[0] else ""
            return set(text.split("FLAGS (", 1)[1].split(")", 1)[0].split()) if "FLAGS (" in text else set()
        finally:
            conn.logout()

    def count(self) -> int:
        conn = self.client()
        try:
            typ, data = conn.search(None, "ALL")
            return len((data[0] or b"").split())
        finally:
            conn.logout()


@pytest.fixture
def dovecot():
    if not Path(DOVECOT).exists():
        pytest.fail("dovecot saknas: installera Debians paket dovecot-imapd (se .ci/run).")
    root = Path(tempfile.mkdtemp(prefix="uppsikt-dovecot-"))
    root.chmod(0o755)  # the mail user (nobody when the tests run as root) must reach its home
    for sub in ("run", "state", "home"):
        (root / sub).mkdir()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", str(root / "key.pem"), "-out", str(root / "cert.pem"), "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n", encoding="utf-8")
    if os.geteuid() == 0:
        uid = gid = 65534
        identity = ""
        shutil.chown(root / "home", user=uid, group=gid)
    else:
        uid, gid = os.getuid(), os.getgid()
        name = pwd.getpwuid(uid).pw_name
        identity = f"default_login_user = {name}\ndefault_internal_user = {name}"
    port, ssl_port = _free_port(), _free_port()
    (root / "dovecot.conf").write_text(CONFIG.format(root=root, port=port, ssl_port=ssl_port, uid=uid, gid=gid,
                                                     identity=identity), encoding="utf-8")
    proc = subprocess.Popen([DOVECOT, "-F", "-c", str(root / "dovecot.conf")], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    try:
        _wait_port(port, proc, root / "dovecot.log")
        _wait_port(ssl_port, proc, root / "dovecot.log")
        yield Dovecot(root, port, ssl_port)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        shutil.rmtree(root, ignore_errors=True)


def tls_context_for(dovecot: Dovecot) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=dovecot.cafile)
