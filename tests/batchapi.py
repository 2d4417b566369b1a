"""A fake OpenAI Batch API: a real HTTP server on 127.0.0.1 for the batch tests.

It implements what brief uses: POST /v1/files (multipart, purpose "batch"), POST /v1/batches,
GET /v1/batches (the list), GET /v1/batches/ID, GET /v1/files/ID/content, and POST
/v1/chat/completions (the live path, answered and logged, so that a test can see what was asked
live). A batch stays `validating` until the test ends it with `finish`, which writes its output
and error files the way OpenAI does, one JSON line per request, with the test choosing each line.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .fakes import GOOD, completion

# A test's choice of the result line of one request (given its input line): a dict goes into
# the output file (status 200) or the error file (any other status), a str is written as it is
# (a malformed line), None leaves the request out.
LineFor = Callable[[dict[str, Any]], dict[str, Any] | str | None]


def answered(line: dict[str, Any], content: dict[str, Any] | None = None) -> dict[str, Any]:
    """The result line of a request the model answered (with GOOD unless told)."""
    return {
        "id": f"batch_req_{line['custom_id'][:8]}",
        "custom_id": line["custom_id"],
        "response": {
            "status_code": 200,
            "request_id": "req_test",
            "body": completion(json.dumps(content or GOOD)),
        },
        "error": None,
    }


def failed(line: dict[str, Any], status: int = 500, message: str = "server error") -> dict:
    """The result line of a request that failed inside the batch."""
    return {
        "id": f"batch_req_{line['custom_id'][:8]}",
        "custom_id": line["custom_id"],
        "response": {"status_code": status, "body": {"error": {"message": message}}},
        "error": None,
    }


class BatchAPI:
    """The server; `url` is its base URL (OPENAI_BASE_URL)."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[str, bytes]] = {}  # id -> (purpose, content)
        self.batches: dict[str, dict[str, Any]] = {}
        self.live: list[dict[str, Any]] = []  # chat completion bodies asked live
        self.no_batch_api = False  # True: /files and /batches answer 404, like vLLM
        self.drop_create_answer = False  # True: create the batch, then hang up unanswered
        self._lock = threading.Lock()
        api = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                api._answer(self, "GET")

            def do_POST(self) -> None:
                api._answer(self, "POST")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> BatchAPI:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # what the tests read and do -----------------------------------------------------------

    def inputs(self, batch_id: str) -> list[dict[str, Any]]:
        """The request lines of a batch's input file."""
        _, content = self.files[self.batches[batch_id]["input_file_id"]]
        return [json.loads(line) for line in content.decode("utf-8").splitlines()]

    def custom_ids(self, batch_id: str) -> set[str]:
        return {line["custom_id"] for line in self.inputs(batch_id)}

    def in_flight(self) -> list[str]:
        final = ("completed", "expired", "failed", "cancelled")
        return [b for b, batch in self.batches.items() if batch["status"] not in final]

    def finish(
        self, batch_id: str, status: str = "completed", line_for: LineFor = answered
    ) -> None:
        """End a batch: its output and error files hold what `line_for` says of each request."""
        output: list[str] = []
        errors: list[str] = []
        for line in self.inputs(batch_id):
            result = line_for(line)
            if isinstance(result, str):
                output.append(result)
            elif result is not None:
                ok = result["response"] and result["response"]["status_code"] == 200
                (output if ok else errors).append(json.dumps(result))
        batch = self.batches[batch_id]
        for name, lines in (("output_file_id", output), ("error_file_id", errors)):
            if lines:
                file_id = self._keep("batch_output", "\n".join(lines).encode() + b"\n")
                batch[name] = file_id
        total = len(self.inputs(batch_id))
        batch["status"] = status
        batch["request_counts"] = {"total": total, "completed": len(output), "failed": len(errors)}

    # serving --------------------------------------------------------------------------------

    def _keep(self, purpose: str, content: bytes) -> str:
        with self._lock:
            file_id = f"file-{len(self.files) + 1}"
            self.files[file_id] = (purpose, content)
        return file_id

    def _answer(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("content-length") or 0)
        body = handler.rfile.read(length) if length else b""
        path = handler.path.split("?", 1)[0].removeprefix("/v1")
        if path == "/chat/completions" and method == "POST":
            self.live.append(json.loads(body))
            return _send(handler, 200, completion(json.dumps(GOOD)))
        if self.no_batch_api:
            return _send(handler, 404, {"error": {"message": f"no route {path}"}})
        if path == "/files" and method == "POST":
            purpose, content = _multipart(handler.headers["content-type"], body)
            file_id = self._keep(purpose, content)
            return _send(handler, 200, _file(file_id, purpose, len(content)))
        if path == "/batches" and method == "POST":
            return self._create(handler, json.loads(body))
        if path == "/batches" and method == "GET":
            data = list(reversed(self.batches.values()))  # newest first, as OpenAI lists
            return _send(handler, 200, {"object": "list", "data": data, "has_more": False})
        if path.startswith("/batches/") and path.removeprefix("/batches/") in self.batches:
            return _send(handler, 200, self.batches[path.removeprefix("/batches/")])
        file_id = path.removeprefix("/files/").removesuffix("/content")
        if path.endswith("/content") and file_id in self.files:
            return _send_bytes(handler, 200, self.files[file_id][1], "application/octet-stream")
        return _send(handler, 404, {"error": {"message": f"no such object: {path}"}})

    def _create(self, handler: BaseHTTPRequestHandler, request: dict[str, Any]) -> None:
        if request.get("input_file_id") not in self.files:
            return _send(handler, 400, {"error": {"message": "no such file"}})
        with self._lock:
            batch_id = f"batch_{len(self.batches) + 1}"
            self.batches[batch_id] = {
                "id": batch_id,
                "object": "batch",
                "endpoint": request["endpoint"],
                "completion_window": request["completion_window"],
                "input_file_id": request["input_file_id"],
                "metadata": request.get("metadata"),
                "status": "validating",
                "created_at": 0,
            }
        if self.drop_create_answer:
            handler.close_connection = True  # created, but the client never hears of it
            return None
        return _send(handler, 200, self.batches[batch_id])


def _multipart(content_type: str, body: bytes) -> tuple[str, bytes]:
    """The purpose and the file of a multipart upload."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    fields: dict[str, bytes] = {}
    for part in message.iter_parts():  # type: ignore[attr-defined]
        name = str(part.get_param("name", header="content-disposition"))
        fields[name] = bytes(part.get_payload(decode=True))
    return fields["purpose"].decode(), fields["file"]


def _file(file_id: str, purpose: str, size: int) -> dict[str, Any]:
    return {
        "id": file_id,
        "object": "file",
        "bytes": size,
        "created_at": 0,
        "filename": "input.jsonl",
        "purpose": purpose,
        "status": "processed",
    }


def _send(handler: BaseHTTPRequestHandler, status: int, data: dict[str, Any]) -> None:
    _send_bytes(handler, status, json.dumps(data).encode(), "application/json")


def _send_bytes(handler: BaseHTTPRequestHandler, status: int, body: bytes, kind: str) -> None:
    handler.send_response(status)
    handler.send_header("content-type", kind)
    handler.send_header("content-length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
