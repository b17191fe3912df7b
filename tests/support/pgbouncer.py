"""PgBouncer in transaction pooling in front of the test PostgreSQL server, for the tests of
what a pooler changes (the leader's lease). Installed by .ci/run from the distribution's
packages; elsewhere the tests that need it are skipped with the reason, unless
DUTYDESK_TEST_REQUIRE_PGBOUNCER=1 (CI), which turns that into a failure."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.support.database import PG_URL

REQUIRE = os.environ.get("DUTYDESK_TEST_REQUIRE_PGBOUNCER") == "1"
BINARY = shutil.which("pgbouncer") or next(
    (p for p in ("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer") if Path(p).exists()), None
)


class PgBouncer:
    def __init__(self, process: subprocess.Popen[bytes], port: int, folder: Path) -> None:
        self.process, self.port, self.folder = process, port, folder

    def url_for(self, url: str) -> str:
        """The same database, through the pooler."""
        return make_url(url).set(host="127.0.0.1", port=self.port).render_as_string(False)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(10)

    def log(self) -> str:
        path = self.folder / "pgbouncer.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
async def pgbouncer() -> AsyncIterator[PgBouncer]:
    """One PgBouncer of this test's own, transaction pooling, ONE server connection per
    database and user, so that every client shares it (the case that split the leader)."""
    if BINARY is None:
        reason = "PgBouncer is not installed (apt-get install pgbouncer; .ci/run does)"
        if REQUIRE:
            pytest.fail(reason)
        pytest.skip(reason)
    server = make_url(PG_URL)
    folder = Path(tempfile.mkdtemp(prefix="dd-pgbouncer-"))
    folder.chmod(0o777)  # PgBouncer refuses to run as root: it runs as postgres when we are
    port = _free_port()
    user = server.username or "postgres"
    (folder / "users.txt").write_text(f'"{user}" ""\n')
    (folder / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"* = host={server.host or '127.0.0.1'} port={server.port or 5432}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {folder / 'users.txt'}\n"
        "pool_mode = transaction\ndefault_pool_size = 1\nmax_client_conn = 200\n"
        f"logfile = {folder / 'pgbouncer.log'}\npidfile = {folder / 'pgbouncer.pid'}\n"
    )
    for path in folder.iterdir():
        path.chmod(0o666)
    command = [BINARY, *(["-u", "postgres"] if os.geteuid() == 0 else []), "pgbouncer.ini"]
    process = subprocess.Popen(  # noqa: ASYNC220 - started once; it runs beside the test
        command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    bouncer = PgBouncer(process, port, folder)
    try:
        for _ in range(100):  # up within a second or two
            if process.poll() is not None:
                pytest.fail(f"PgBouncer did not start: {bouncer.log()[-2000:]}")
            try:
                await asyncio.open_connection("127.0.0.1", port)
                break
            except OSError:
                await asyncio.sleep(0.05)
        yield bouncer
    finally:
        if process.poll() is None:
            bouncer.kill()
        shutil.rmtree(folder, ignore_errors=True)
