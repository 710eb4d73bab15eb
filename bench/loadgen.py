"""Open-loop load for the deadline surge: every request leaves at its planned moment, whether or
not the earlier ones have been answered, so a slow server shows as latency, not as a lower
request rate (a closed loop would measure its own queue).

Each creator opens their entry, autosaves every `creators / rate` seconds (2 s for 200 creators
at 100 requests per second) from a random phase, submits once near the deadline (every tenth
clicks twice, 150 ms apart) and follows the redirect to the entry page, as a browser does; they
keep editing until the minute is over. Latency is measured from the planned moment to the last
byte. The server's own cost comes back in each response's Server-Timing header (bench/wsgi.py).

Usage: python bench/loadgen.py PLAN.json BASE_URL OUT.json
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from pathlib import Path

import httpx

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


def server_timing(response: httpx.Response) -> dict:
    timing = {}
    for part in response.headers.get("server-timing", "").split(","):
        name, _, value = part.strip().partition(";dur=")
        if value:
            timing[name] = float(value)
    return timing


async def run(plan: dict, base_url: str) -> dict:
    events = schedule(plan)
    records: list[dict] = []
    loop = asyncio.get_running_loop()
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=50)
    async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits) as client:

        async def send(kind: str, creator: dict, planned: float, n: int) -> httpx.Response | None:
            headers = {
                "Cookie": f"sessionid={creator['session']}; csrftoken={creator['csrf']}",
                "X-CSRFToken": creator["csrf"],
                "X-Requested-With": "fetch",
            }
            record = {"kind": kind, "lag": loop.time() - planned}
            try:
                if kind == "autosave":
                    form = {**creator["form"], "summary_vi": f"{creator['form']['summary_vi']} {n}"}
                    response = await client.post(creator["autosave"], data=form, headers=headers)
                elif kind.startswith("submit"):
                    response = await client.post(creator["submit"], headers=headers)
                else:
                    response = await client.get(creator["page"], headers=headers)
            except httpx.HTTPError as error:
                record |= {"error": type(error).__name__, "latency": loop.time() - planned}
                records.append(record)
                return None
            record |= {
                "status": response.status_code,
                "latency": loop.time() - planned,
                **server_timing(response),
            }
            ok = response.status_code == (302 if kind.startswith("submit") else 200)
            if not ok:
                record["error"] = f"HTTP {response.status_code}"
            records.append(record)
            return response

        async def fire(at: float, index: int, kind: str, n: int) -> None:
            await asyncio.sleep(max(0.0, at - loop.time()))
            creator = plan["creators"][index]
            response = await send(kind, creator, at, n)
            if kind == "submit" and response is not None and response.status_code == 302:
                await send("entry page after submit", creator, loop.time(), n)

        start = loop.time() + 1.0
        started_wall = time.time() + 1.0
        await asyncio.gather(
            *(fire(start + t, index, kind, n) for n, (t, index, kind) in enumerate(events))
        )
        finished = loop.time()
    return {
        "planned": len(events),
        "started_at": started_wall,
        "elapsed": finished - start,
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
