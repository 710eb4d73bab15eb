"""The project's WSGI application, with each response telling what it cost the worker:
`Server-Timing: cpu;dur=<this process's CPU, ms>, app;dur=<wall time in the app, ms>`.

Only the surge benchmark serves this (gunicorn bench.wsgi:application). A sync worker runs
one request at a time in one thread, so the process's CPU time over a request is that
request's; the time is taken when the response starts, after the view and the middleware.
"""

import time

from config.wsgi import application as project_application


def application(environ, start_response):
    wall, cpu = time.perf_counter(), time.process_time()

    def timed_start_response(status, headers, exc_info=None):
        timing = (
            f"cpu;dur={(time.process_time() - cpu) * 1000:.2f}, "
            f"app;dur={(time.perf_counter() - wall) * 1000:.2f}"
        )
        return start_response(status, [*headers, ("Server-Timing", timing)], exc_info)

    return project_application(environ, timed_start_response)
