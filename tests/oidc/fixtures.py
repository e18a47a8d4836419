"""A real OpenID provider (node + oidc-provider from node_modules) on a free port of 127.0.0.1."""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("provider.mjs")
CLIENT_ID = "uppsikt"
CLIENT_SECRET = "test-client-secret-0123456789abcdef0123456789"


class OpenIdProvider:
    def __init__(self, folder: Path, *, redirect_base: str, accounts: dict[str, dict]):
        self.accounts_file = folder / "accounts.json"
        self.events_file = folder / "events.jsonl"
        self.accounts = accounts
        self._write()
        self.redirect_base = redirect_base.rstrip("/")
        self.process: subprocess.Popen | None = None
        self.issuer = ""

    def _write(self) -> None:
        self.accounts_file.write_text(json.dumps(self.accounts), encoding="utf-8")

    def set_groups(self, username: str, groups: list[str]) -> None:
        self.accounts[username]["groups"] = groups
        self._write()

    def events(self, kind: str | None = None) -> list[dict]:
        if not self.events_file.exists():
            return []
        rows = [json.loads(line) for line in self.events_file.read_text(encoding="utf-8").splitlines() if line]
        return [r for r in rows if kind is None or r["event"] == kind]

    def start(self) -> OpenIdProvider:
        node = shutil.which("node")
        if node is None:
            pytest.fail("node saknas: installera Node.js (se .ci/run).")
        if not (ROOT / "node_modules" / "oidc-provider").is_dir():
            pytest.fail("oidc-provider saknas i node_modules: kör 'npm ci' (se .ci/run).")
        client = {
            "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
            "redirect_uris": [f"{self.redirect_base}/konto/oidc/callback/"],
            "post_logout_redirect_uris": [f"{self.redirect_base}/konto/logga-in/"],
        }
        env = {**os.environ, "OIDC_TEST_ACCOUNTS": str(self.accounts_file), "OIDC_TEST_EVENTS": str(self.events_file),
               "OIDC_TEST_CLIENT": json.dumps(client), "NODE_NO_WARNINGS": "1"}
        self.process = subprocess.Popen([node, str(SCRIPT)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stdout], [], [], 0.2)
            if ready:
                line = self.process.stdout.readline()
                if line.strip():
                    self.issuer = json.loads(line)["issuer"]
                    return self
            if self.process.poll() is not None:
                break
        err = self.process.stderr.read() if self.process.poll() is not None else ""
        self.stop()
        pytest.fail(f"OpenID-leverantören startade inte: {err}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture
def openid_provider(tmp_path, live_server, settings) -> Iterator[OpenIdProvider]:
    """The provider with one account, `anna`, and Uppsikt configured to use it (discovery)."""
    from accounts.signin.provider import reset_cache

    accounts = {
        "anna": {"password": "Lösen-för-anna-1", "email": "anna.andersson@exempelstad.example",
                 "name": "Anna Andersson", "given_name": "Anna", "family_name": "Andersson",
                 "groups": ["uppsikt-kommunikatorer", "uppsikt-registratorer"]},
    }
    provider = OpenIdProvider(tmp_path, redirect_base=live_server.url, accounts=accounts).start()
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_DISCOVERY = provider.issuer
    settings.OIDC_RP_SCOPES = "openid email profile groups"
    settings.UPPSIKT_OIDC_GROUP_MAP = {
        "uppsikt-kommunikatorer": {"roles": ["moderator"], "units": ["kommunledning"]},
        "uppsikt-registratorer": {"roles": ["registrar"], "units": ["kommunledning", "utbildning"]},
        "uppsikt-arkivarier": {"roles": ["archivist"]},
    }
    settings.UPPSIKT_LOCAL_LOGIN = False
    reset_cache()
    try:
        yield provider
    finally:
        provider.stop()
        reset_cache()
