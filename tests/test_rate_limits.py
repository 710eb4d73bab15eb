"""Login rate limits hold across processes and count each client behind the proxy on its own.

Two gunicorn nodes run as separate processes with the production settings (debug off, the
default cache, behind a proxy) on the test database, as two nodes behind one load balancer
would: the same Host and the proxy's X-Forwarded-Proto and X-Forwarded-For reach both.
"""

import http.client
import os
import signal
import subprocess
import sys
import time
from urllib.parse import quote, urlencode

import pytest
from django.db import connection

from tests.factories import PASSWORD, UserFactory
from tests.test_deploy import PRODUCTION_ENV, ROOT

HOST = "awards.example.org"
LOGIN = "/en/accounts/login/"
LOCKED_OUT = "Too many failed login attempts"
PORTS = range(8120, 8130)  # the ports these test servers may use

pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    """The test database, for the servers' DATABASE_URL."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def _free_ports(count: int) -> list[int]:
    import socket

    free = []
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                free.append(port)
        if len(free) == count:
            return free
    pytest.fail(f"no {count} free ports in {PORTS}")


class Browser:
    """One person's browser, seen through the proxy: the X-Forwarded-For it arrives with
    (the proxy appends the real address; anything further left the client wrote) and its
    cookies, which hold on every node since all nodes serve one domain."""

    def __init__(self, forwarded_for: str):
        self.forwarded_for = forwarded_for
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, form: dict | None = None):
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.forwarded_for,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{HOST}"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request(method, path, body, headers)
            response = conn.getresponse()
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = cookie.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            return response.status, response.read().decode()
        finally:
            conn.close()

    def log_in(self, port: int, email: str, password: str):
        if "csrftoken" not in self.cookies:
            self.request(port, "GET", LOGIN)
        return self.request(
            port,
            "POST",
            LOGIN,
            {
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
                "login": email,
                "password": password,
            },
        )


def _wait_until_serving(process, port: int, log) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server on {port} exited:\n{log.read_text()}")
        try:
            status, _body = Browser("127.0.0.1").request(port, "GET", "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"the server on {port} did not answer:\n{log.read_text()}")


@pytest.fixture(scope="module")
def nodes(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two separate gunicorn processes (one worker each) on the test database."""
    var = tmp_path_factory.mktemp("nodes")
    with django_db_blocker.unblock():
        database_url = _database_url()
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CACHE_URL"))
    }
    environment.update(
        PRODUCTION_ENV,
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_BEHIND_PROXY="true",
        DJANGO_VAR_DIR=str(var),
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=database_url,
        DATABASE_CONN_MAX_AGE="0",  # no connection left open when the test database is dropped
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=environment,
        check=True,
        timeout=120,
    )
    processes = []
    try:
        for port in _free_ports(2):
            log = var / f"gunicorn-{port}.log"
            process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "gunicorn", "config.wsgi"),
                    *("--workers", "1", "--bind", f"127.0.0.1:{port}"),
                ],
                cwd=ROOT,
                env=environment,
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stopped with its worker
            )
            processes.append((process, port, log))
        for process, port, log in processes:
            _wait_until_serving(process, port, log)
        yield [port for _process, port, _log in processes]
    finally:
        for process, _port, _log in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process, _port, _log in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture
def account(nodes, settings):
    """A verified account whose password the servers can check (their default hasher)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_cache")  # no counts left from another test
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    return UserFactory(email="lan@example.vn")


def test_a_lockout_on_one_node_holds_on_the_other(nodes, account):
    node_a, node_b = nodes
    person = Browser("203.0.113.10")
    for _ in range(5):  # the setting allows 5 failures per account
        status, body = person.log_in(node_a, account.email, "wrong password")
        assert (status, LOCKED_OUT in body) == (200, False)

    status, body = person.log_in(node_b, account.email, PASSWORD)

    assert (status, LOCKED_OUT in body) == (200, True)
    assert "sessionid" not in person.cookies


def test_behind_the_proxy_each_client_is_counted_on_its_own_address(nodes, account):
    node_a, node_b = nodes
    attacker = Browser("")
    for attempt in range(10):  # the setting allows 10 failures per address a minute
        # What the client writes to X-Forwarded-For changes nothing: the proxy's entry counts.
        attacker.forwarded_for = f"10.0.0.{attempt}, 198.51.100.7"
        status, body = attacker.log_in(
            (node_a, node_b)[attempt % 2], f"guess{attempt}@example.org", "wrong password"
        )
        assert (status, LOCKED_OUT in body) == (200, False)
    status, body = attacker.log_in(node_a, account.email, PASSWORD)
    assert (status, LOCKED_OUT in body) == (200, True)

    # Someone else behind the same proxy is not locked out by the attacker's failures.
    neighbour = Browser("198.51.100.8")
    status, _body = neighbour.log_in(node_b, account.email, PASSWORD)

    assert status == 302
    assert "sessionid" in neighbour.cookies
