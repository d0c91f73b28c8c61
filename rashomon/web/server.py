"""``rashomon serve``: the app under uvicorn, in one process or several workers sharing one signing key.

Python runs one thread at a time, so a second core needs a second process. Each worker builds its own
app (:func:`app_from_env`) from environment variables set by the parent (:func:`serve_environment`);
they carry one signing key, so a form or a login made by one worker is accepted by the others.
"""

from __future__ import annotations

import os
import secrets
import socket
from contextlib import suppress

from fastapi import FastAPI

from . import create_app

__all__ = ["app_from_env", "default_workers", "run", "serve_environment"]

ENV_DB = "RASHOMON_SERVE_DB"
ENV_TOKEN = "RASHOMON_SERVE_TOKEN"
ENV_SIGNING_KEY = "RASHOMON_SERVE_SIGNING_KEY"
# Workers beyond this are opt-in: each loads its own copy of the comparison models once it compares a story.
MAX_DEFAULT_WORKERS = 4


def default_workers() -> int:
    """One worker per CPU core this process may use, at most :data:`MAX_DEFAULT_WORKERS`."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, MAX_DEFAULT_WORKERS))


def serve_environment(*, db: str, token: str | None) -> dict[str, str]:
    """The variables :func:`app_from_env` reads: the database, the token, and a new random signing key
    (so sessions and forms end with the server that made them)."""
    return {ENV_DB: db, ENV_TOKEN: token or "", ENV_SIGNING_KEY: secrets.token_hex(32)}


def app_from_env() -> FastAPI:
    """The app of one worker (a uvicorn factory), from the variables of :func:`serve_environment`."""
    key = os.environ.get(ENV_SIGNING_KEY)
    return create_app(db=os.environ[ENV_DB], token=os.environ.get(ENV_TOKEN) or None,
                      signing_key=bytes.fromhex(key) if key else None)


def run(*, db: str, token: str | None, host: str, port: int, workers: int) -> None:
    """Serve until interrupted."""
    import uvicorn
    from uvicorn.config import STARTUP_FAILURE
    from uvicorn.supervisors import Multiprocess

    os.environ.update(serve_environment(db=db, token=token))
    config = uvicorn.Config(f"{__name__}:app_from_env", factory=True, host=host, port=port, workers=workers,
                            log_level="warning", server_header=False)
    if workers == 1:
        server = uvicorn.Server(config)
        server.run()
        if not server.started:  # uvicorn has said why (the port is taken, ...)
            raise SystemExit(STARTUP_FAILURE)
        return
    bound = config.bind_socket()
    # uvicorn binds the workers' shared socket with protocol 0, and asyncio then leaves Nagle's algorithm
    # on for its connections: each keep-alive response waited ~40 ms for a delayed ACK (2 workers: 180
    # req/s at p50 44 ms). Re-opened from its descriptor, the socket reports TCP and gets TCP_NODELAY.
    sock = socket.socket(fileno=bound.detach())
    sock.set_inheritable(True)
    with suppress(KeyboardInterrupt):
        Multiprocess(config, sockets=[sock]).run()
