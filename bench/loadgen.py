"""Open-loop load for the deadline surge: every request leaves at its planned moment, whether or
not the earlier ones have been answered, so a slow server shows as latency, not as a lower
request rate (a closed loop would measure its own queue).

Each creator opens their entry, autosaves every `creators / rate` seconds (2 s for 200 creators
at 100 requests per second) from a random phase, submits once near the deadline (every tenth
clicks twice, 150 ms apart) and follows the redirect to the entry page, as a browser does; they
keep editing until the minute is over. Latency is measured from the planned moment to the last
byte. The server's own cost comes back in each response's Server-Timing header (bench/wsgi.py).
No HTTP library: the client below costs a fraction of the server's work per request.

Usage: python bench/loadgen.py PLAN.json BASE_URL OUT.json
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

DOUBLE_CLICK_EVERY = 10
DOUBLE_CLICK_DELAY = 0.15


def schedule(plan: dict) -> list[tuple[float, int, str]]:
    """(seconds from the start, creator index, kind), in time order."""
    rng = random.Random(plan["seed"])
    seconds = plan["seconds"]
    period = len(plan["creators"]) / plan["rate"]
    events = []
    for index, _creator in enumerate(plan["creators"]):
        opened = rng.uniform(0, period)
        events.append((opened, index, "open entry"))
        moment = opened + period
        while moment < seconds:
            events.append((moment, index, "autosave"))
            moment += period
        submit = rng.uniform(0.70, 0.95) * seconds
        events.append((submit, index, "submit"))
        if index % DOUBLE_CLICK_EVERY == 0:
            events.append((submit + DOUBLE_CLICK_DELAY, index, "submit, second click"))
    return sorted(events)


class Client:
    """Plain HTTP/1.1 over asyncio streams, one connection per request (gunicorn's sync
    workers close each one anyway). A general-purpose client costs more CPU per request than
    the server's own work here, on the same two cores."""

    def __init__(self, base_url: str, timeout: float = 30):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.timeout = timeout

    async def request(self, method: str, path: str, headers: dict, body: bytes = b""):
        return await asyncio.wait_for(self._request(method, path, headers, body), self.timeout)

    async def _request(self, method, path, headers, body):
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
            head += [f"{name}: {value}" for name, value in headers.items()]
            head += [f"Content-Length: {len(body)}", "Connection: close", "", ""]
            writer.write("\r\n".join(head).encode("latin-1") + body)
            await writer.drain()
            response = await reader.read()  # to the end: the server closes the connection
        finally:
            writer.close()
        header, _, _body = response.partition(b"\r\n\r\n")
        lines = header.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        fields = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            fields[name.strip().lower()] = value.strip()
        return status, fields


def server_timing(fields: dict) -> dict:
    timing = {}
    for part in fields.get("server-timing", "").split(","):
        name, _, value = part.strip().partition(";dur=")
        if value:
            timing[name] = float(value)
    return timing


async def run(plan: dict, base_url: str) -> dict:
    events = schedule(plan)
    records: list[dict] = []
    loop = asyncio.get_running_loop()
    client = Client(base_url)

    async def send(kind: str, creator: dict, planned: float, n: int) -> int | None:
        headers = {
            "Cookie": f"sessionid={creator['session']}; csrftoken={creator['csrf']}",
            "X-CSRFToken": creator["csrf"],
            "X-Requested-With": "fetch",
        }
        record = {"kind": kind, "lag": loop.time() - planned}
        try:
            if kind == "autosave":
                form = {**creator["form"], "summary_vi": f"{creator['form']['summary_vi']} {n}"}
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                status, fields = await client.request(
                    "POST", creator["autosave"], headers, urlencode(form).encode()
                )
            elif kind.startswith("submit"):
                status, fields = await client.request("POST", creator["submit"], headers)
            else:
                status, fields = await client.request("GET", creator["page"], headers)
        except (OSError, TimeoutError, ValueError, IndexError) as error:
            record |= {"error": type(error).__name__, "latency": loop.time() - planned}
            records.append(record)
            return None
        record |= {"status": status, "latency": loop.time() - planned, **server_timing(fields)}
        if status != (302 if kind.startswith("submit") else 200):
            record["error"] = f"HTTP {status}"
        records.append(record)
        return status

    async def fire(at: float, index: int, kind: str, n: int) -> None:
        await asyncio.sleep(max(0.0, at - loop.time()))
        creator = plan["creators"][index]
        status = await send(kind, creator, at, n)
        if kind == "submit" and status == 302:
            await send("entry page after submit", creator, loop.time(), n)

    start = loop.time() + 1.0
    started_wall = time.time() + 1.0
    await asyncio.gather(
        *(fire(start + t, index, kind, n) for n, (t, index, kind) in enumerate(events))
    )
    return {
        "planned": len(events),
        "started_at": started_wall,
        "elapsed": loop.time() - start,
        "records": records,
    }


def main():
    plan_path, base_url, out_path = sys.argv[1:4]
    plan = json.loads(Path(plan_path).read_text())
    started = time.process_time()
    result = asyncio.run(run(plan, base_url))
    result["cpu_seconds"] = time.process_time() - started
    Path(out_path).write_text(json.dumps(result))


if __name__ == "__main__":
    main()
