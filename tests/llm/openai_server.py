"""A scripted OpenAI-compatible Chat Completions server on loopback, for end-to-end tests through
the real `langchain-openai` client (the way Bolt's tests run a real WebClient against a fake API).

Each POST /v1/chat/completions takes the next step of the script: a reply message (see
`tool_call_reply`, `text_reply`), `HANG` (no answer until the server stops) or `Status(code)`.
Request bodies are recorded in `requests`.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HANG = "hang"


@dataclass(frozen=True)
class Status:
    code: int
    message: str = "error"


def tool_call_reply(name: str, arguments: dict | str, call_id: str = "call_1") -> dict:
    """`arguments` as a dict is sent as JSON; a string is sent as is (e.g. malformed JSON)."""
    text = arguments if isinstance(arguments, str) else json.dumps(arguments)
    return {"role": "assistant", "content": None,
            "tool_calls": [{"id": call_id, "type": "function", "function": {"name": name, "arguments": text}}]}


def text_reply(text: str) -> dict:
    return {"role": "assistant", "content": text}


class ScriptedOpenAIServer:
    def __init__(self, script: list):
        self.script = list(script)
        self.requests: list[dict] = []
        self._release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                if self.path != "/v1/chat/completions":
                    return self._send(404, {"error": {"message": f"no route {self.path}"}})
                server.requests.append(body)
                step = server.script.pop(0) if server.script else Status(500, "script exhausted")
                if step == HANG:
                    server._release.wait(30)
                    return self._send(503, {"error": {"message": "server stopped"}})
                if isinstance(step, Status):
                    return self._send(step.code, {"error": {"message": step.message, "type": "test"}})
                finish = "tool_calls" if step.get("tool_calls") else "stop"
                self._send(200, {"id": f"chatcmpl-{len(server.requests)}", "object": "chat.completion", "created": 0,
                                 "model": body.get("model", "scripted"),
                                 "choices": [{"index": 0, "message": step, "finish_reason": finish}],
                                 "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})

            def _send(self, code: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                    pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> "ScriptedOpenAIServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
