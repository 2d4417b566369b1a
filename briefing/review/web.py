"""The review web page behind `brief review serve`: one day's positions, each with its evidence
highlighted in the article, approved, rejected or edited with buttons or keys.

Standard library only (`http.server`), server-rendered with the Jinja templates in
`templates/review/` (autoescaped: article text and model text are data, never markup), a little
inline CSS and JavaScript, no build step. The decisions go through `briefing.review.decisions`, as from
the command line.

It is a local tool that changes the store, so it defends itself against other sites in the
same browser and against other machines:

* it listens on 127.0.0.1 only, never on other interfaces;
* every request must name this server in its Host header (`127.0.0.1:PORT` or
  `localhost:PORT`), so a page on a rebound DNS name cannot talk to it;
* state changes are POST only, with a random per-process token in the form that must match the
  one in a `SameSite=Strict` cookie, and an Origin header (which browsers send with every POST)
  that is not this server is refused;
* responses forbid framing and carry a Content-Security-Policy that allows only this page's own
  inline style and script (by nonce).
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets
import sys
import threading
import urllib.parse
from http import HTTPStatus
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from briefing.config import Settings
from briefing.errors import BriefError
from briefing.extract.prompts import load_topics
from briefing.review.deciding import approve, dismiss, edit, reject
from briefing.review.decisions import EDITABLE, FILTERS, STANCES, format_evidence
from briefing.review.listing import context_sentences, history_of, list_positions, unmatched_text
from briefing.store.database import Store
from briefing.templates import render_template

MAX_BODY = 64 * 1024


class ReviewServer(ThreadingHTTPServer):
    """The review page for one day, on 127.0.0.1:`port` (0: a free port)."""

    daemon_threads = True

    def __init__(
        self, store: Store, settings: Settings, day: dt.date, reviewer: str, port: int = 0
    ) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.store = store
        self.settings = settings
        self.day = day
        self.reviewer = reviewer
        self.token = secrets.token_urlsafe(32)
        self.cookie_name = f"brief_review_{self.port}"  # cookies ignore ports: one per server
        self.lock = threading.Lock()  # one request at a time touches the store
        try:
            self.topics = load_topics(settings.topics_file)
        except BriefError:
            self.topics = {}

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that closes the tab or reloads mid-answer is not an error worth a
        traceback on the analyst's terminal; anything else still is."""
        if isinstance(sys.exc_info()[1], ConnectionError):  # BrokenPipe, reset, aborted
            return
        super().handle_error(request, client_address)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def hosts(self) -> set[str]:
        return {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}


class _Handler(BaseHTTPRequestHandler):
    server: ReviewServer
    server_version = "brief-review"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal is for the URL and errors, not a line per request

    # checks -------------------------------------------------------------------------------

    def _host_ok(self) -> bool:
        return self.headers.get("Host", "") in self.server.hosts

    def _origin_ok(self) -> bool:
        origin = self.headers.get("Origin")
        if origin is None:
            return True  # not a browser, or an old one: the token and cookie still apply
        return origin in {f"http://{h}" for h in self.server.hosts}

    def _token_ok(self, form: dict[str, str]) -> bool:
        cookie = SimpleCookie()
        try:
            cookie.load(self.headers.get("Cookie", ""))
        except CookieError:  # a malformed Cookie header is simply no cookie
            return False
        morsel = cookie.get(self.server.cookie_name)
        given = form.get("token", "")
        token = self.server.token
        return (
            morsel is not None
            and hmac.compare_digest(morsel.value, token)
            and hmac.compare_digest(given, token)
        )

    # responses ----------------------------------------------------------------------------

    def _send(
        self,
        status: int,
        body: str,
        content_type: str = "text/plain; charset=utf-8",
        nonce: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Referrer-Policy", "same-origin")
        allow = f"'nonce-{nonce}'" if nonce else "'none'"
        self.send_header(
            "Content-Security-Policy",
            f"default-src 'none'; style-src {allow}; script-src {allow}; img-src 'self'; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        )
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _refuse(self, status: int, why: str) -> None:
        self._send(status, f"{why}\n")

    # GET ------------------------------------------------------------------------------------

    def do_GET(self) -> None:
        if not self._host_ok():
            return self._refuse(HTTPStatus.FORBIDDEN, "unknown Host: open " + self.server.url)
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/":
            return self._refuse(HTTPStatus.NOT_FOUND, "not found")
        query = dict(urllib.parse.parse_qsl(url.query))
        self._page(HTTPStatus.OK, query)

    def _page(self, status: int, query: dict[str, str], error: str | None = None) -> None:
        day_text = query.get("date", self.server.day.isoformat())
        try:
            day = dt.date.fromisoformat(day_text)
        except ValueError:
            return self._refuse(HTTPStatus.BAD_REQUEST, "date must be YYYY-MM-DD")
        wanted = query.get("status") or None
        if wanted is not None and wanted not in FILTERS:
            return self._refuse(HTTPStatus.BAD_REQUEST, f"status must be one of {FILTERS}")
        nonce = secrets.token_urlsafe(16)
        with self.server.lock:
            html = self._render(day, wanted, query.get("focus"), error, nonce)
        cookie = f"{self.server.cookie_name}={self.server.token}; Path=/; HttpOnly; SameSite=Strict"
        self._send(
            status,
            html,
            "text/html; charset=utf-8",
            nonce=nonce,
            headers={"Set-Cookie": cookie},
        )

    def _render(
        self,
        day: dt.date,
        wanted: str | None,
        focus: str | None,
        error: str | None,
        nonce: str,
    ) -> str:
        store = self.server.store
        everything = list_positions(store, day)
        counts = {name: 0 for name in FILTERS}
        for item in everything.items:
            p = item.position
            counts[p.review_status] += 1
            counts["conflict"] += bool(p.conflict)
            counts["invalid"] += not p.valid
        counts["conflict"] += len(everything.unmatched)
        shown = list_positions(store, day, wanted) if wanted else everything
        sentences: dict[str, Any] = {}
        records: dict[str, Any] = {}
        cards = []
        for n, item in enumerate(shown.items):
            article, p = item.article, item.position
            if article.id not in sentences:
                sentences[article.id] = store.sentences(article.id)
                records[article.id] = store.review_records(article.id)
            following = shown.items[n + 1].position.id if n + 1 < len(shown.items) else p.id
            cards.append(
                {
                    "p": p,
                    "article": article,
                    "evidence": format_evidence(p.evidence),
                    "context": context_sentences(article, sentences[article.id], p, 2),
                    "whole": context_sentences(article, sentences[article.id], p, -1),
                    "history": history_of(records[article.id], item.model or p, item.decision),
                    "next": following,
                }
            )
        dates = [d for d, _ in store.dates() if d]
        return render_template(
            "review/page.html.j2",
            day=day.isoformat(),
            dates=dates,
            status=wanted or "",
            filters=FILTERS,
            counts=counts,
            total=len(everything.items),
            cards=cards,
            unmatched=[{"label": u.label, "text": unmatched_text(u)} for u in shown.unmatched],
            stances=STANCES,
            topics=sorted(self.server.topics),
            token=self.server.token,
            reviewer=self.server.reviewer,
            focus=focus or "",
            error=error,
            nonce=nonce,
        )

    # POST -----------------------------------------------------------------------------------

    def do_POST(self) -> None:
        if not self._host_ok():
            return self._refuse(HTTPStatus.FORBIDDEN, "unknown Host: open " + self.server.url)
        if not self._origin_ok():
            return self._refuse(HTTPStatus.FORBIDDEN, "cross-site request refused")
        if urllib.parse.urlsplit(self.path).path != "/decide":
            return self._refuse(HTTPStatus.NOT_FOUND, "not found")
        kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind != "application/x-www-form-urlencoded":
            return self._refuse(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send a form")
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            return self._refuse(HTTPStatus.LENGTH_REQUIRED, "Content-Length required")
        if not 0 <= length <= MAX_BODY:
            return self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "form too large")
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        form = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))
        if not self._token_ok(form):
            return self._refuse(
                HTTPStatus.FORBIDDEN, "missing or stale form token: reload the page"
            )
        back = {"date": form.get("date", self.server.day.isoformat())}
        if form.get("status"):
            back["status"] = form["status"]
        try:
            with self.server.lock:
                focus = self._decide(form)
        except BriefError as exc:
            back["focus"] = form.get("id", "")
            return self._page(HTTPStatus.BAD_REQUEST, back, error=str(exc))
        if focus:
            back["focus"] = focus
        # Post/redirect/get: reloading the page does not send the decision again.
        location = "/?" + urllib.parse.urlencode(back)
        self._send(HTTPStatus.SEE_OTHER, "", headers={"Location": location})

    def _decide(self, form: dict[str, str]) -> str:
        """Apply one decision from a form; the id of the card to show next."""
        store, reviewer = self.server.store, self.server.reviewer
        action = form.get("action", "")
        note = form.get("note") or None
        if action == "dismiss":
            dismiss(store, [form.get("decision", "")], reviewer, note)
            return ""
        try:
            position_id = int(form.get("id", ""))
        except ValueError:
            raise BriefError("the form names no position: reload the page") from None
        following = form.get("next", "")
        if action == "approve":
            approve(store, [position_id], reviewer, note)
            return following
        if action == "reject":
            reject(store, [position_id], reviewer, note)
            return following
        if action == "edit":
            # The form sends every field; only those the analyst changed are an edit.
            values = {
                f: form[f]
                for f in EDITABLE
                if f in form and _same_form(f, form[f]) != _same_form(f, form.get(f"was_{f}", ""))
            }
            if not values:
                raise BriefError("nothing was changed: edit a field, or approve as it is")
            edit(store, [position_id], values, reviewer, note)
            return str(position_id)
        raise BriefError(f"unknown action {action!r}")


def _same_form(name: str, value: str) -> str:
    """A form value as compared with what the page showed: "S3 S4" and "3, 4" are the same."""
    if name == "evidence":
        return " ".join(sorted(set(re.findall(r"\d+", value)), key=int))
    return " ".join(value.split())
