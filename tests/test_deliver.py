"""Emailing a briefing, against real SMTP servers (aiosmtpd) started inside the tests.

Every server listens on 127.0.0.1 only, and the SMTP tests may connect to 127.0.0.1 only
(`allow_hosts`), so nothing here can reach another machine. What a server receives is parsed with
the standard library's `email` package, as a mail client would read it.
"""

from __future__ import annotations

import base64
import datetime as dt
import email
import email.policy
import email.utils
import hashlib
import re
import shutil
import socket
import sqlite3
import ssl
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage, MIMEPart
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from briefing.cli import app
from briefing.config import SmtpSettings, load_settings, load_smtp_settings
from briefing.deliver import html as deliver_html
from briefing.deliver import mail as deliver
from briefing.deliver import smtp as deliver_smtp
from briefing.errors import BriefError, DeliveryError
from briefing.models import Article, ArticleResult, DateStatus, Position
from briefing.render.briefing import BriefingInput, Provenance, render_briefing
from briefing.store.database import Store

from .conftest import SEED_DAY, SEEDS

runner = CliRunner()
loopback = pytest.mark.allow_hosts(["127.0.0.1"])

DAY = dt.date(2025, 12, 16)
SENDER = "Brief Desk <brief@example.org>"
USER = "analyst"
PASSWORD = "s3cret-Pa55word!"


# servers --------------------------------------------------------------------------------------


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    def message(self) -> EmailMessage:
        return parse(self.data)


def parse(data: bytes) -> EmailMessage:
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def text_of(part: MIMEPart | None) -> str:
    """A part's decoded text with the line ends a mail client shows (the wire uses CRLF)."""
    assert part is not None
    content = part.get_content()
    assert isinstance(content, str)
    return content.replace("\r\n", "\n")


@dataclass
class Recorder:
    """An aiosmtpd handler that keeps what it receives and refuses the addresses in `refuse`."""

    refuse: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content))
        )
        return "250 2.0.0 OK queued as BRIEF1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def start_server() -> Iterator[Callable[..., tuple[int, Recorder]]]:
    started: list[Controller] = []

    def start(
        port: int | None = None, refuse: set[str] | None = None, **kwargs: Any
    ) -> tuple[int, Recorder]:
        handler = Recorder(refuse=refuse or set())
        port = port or free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        started.append(controller)
        return port, handler

    yield start
    for controller in started:
        controller.stop()


def check_login(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made with the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return context


# briefings ------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def smtp_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No SMTP setting of the developer's own leaks into a test; sender set, server not yet."""
    for name in ("HOST", "PORT", "SECURITY", "USER", "PASSWORD", "CA_FILE"):
        monkeypatch.delenv(f"BRIEF_SMTP_{name}", raising=False)
    monkeypatch.setenv("BRIEF_MAIL_FROM", SENDER)
    # Fast retries: the waits themselves are checked in test_connection_is_retried_with_backoff.
    monkeypatch.setattr(deliver_smtp, "RETRY_DELAYS", (0.0, 0.0))


def use_server(monkeypatch: pytest.MonkeyPatch, port: int, security: str = "none") -> None:
    monkeypatch.setenv("BRIEF_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("BRIEF_SMTP_PORT", str(port))
    monkeypatch.setenv("BRIEF_SMTP_SECURITY", security)


def hostile_briefing() -> tuple[str, dict[str, int]]:
    """A briefing rendered by the real template from an article that tries to smuggle markup:
    tags and `javascript:` links in its title, source, URL, quotes and the model's summary."""
    text = (
        "Dmitry Peskov said: “Мы готовы — <script>alert(1)</script> and "
        "[press here](javascript:alert(2)).” The rest is café talk."
    )
    article = Article(
        id="a1b2c3d4e5f60718",
        text=text,
        title="Talks <script>alert('title')</script> résumé",
        source='Wire <img src=x onerror="alert(3)">',
        url="javascript:alert(4)",
        published=DAY,
        date_status=DateStatus.METADATA,
        origin="hostile.md",
    )
    quote = text[text.index("“") + 1 : text.index("”")]
    position = Position(
        article_id=article.id,
        speaker="Dmitry <b onmouseover=alert(5)>Peskov</b>",
        role="Kremlin spokesman",
        topic="talks",
        stance="conditional",
        summary="He says talks are possible <iframe src=javascript:alert(6)>.",
        kind="direct",
        evidence=[1],
        spans=[(text.index("“") + 1, text.index("”"))],
        quotes=[quote],
    )
    briefing = render_briefing(
        BriefingInput(
            day=DAY,
            articles=[ArticleResult(article, [position])],
            provenance=Provenance("replay", "test-model", "p1", 10, 5),
            positions=[position],
            topics={"talks": "settlement talks"},
        )
    )
    counts = {
        "articles": briefing.articles,
        "positions": briefing.positions,
        "needs_review": briefing.needs_review,
    }
    return briefing.markdown, counts


def save_briefing(
    home: Path, markdown: str, counts: dict[str, int] | None = None, day: dt.date = DAY
) -> Path:
    """What `brief generate` leaves behind: the file, and its record in the store."""
    path = home / "briefings" / f"{day}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(markdown, encoding="utf-8")
    with Store(home / "brief.sqlite3") as store:
        store.record_briefing(day, hashlib.sha256(markdown.encode()).hexdigest(), str(path), counts)
    return path


@pytest.fixture
def briefing_file(isolated: Path) -> Path:
    markdown, counts = hostile_briefing()
    return save_briefing(isolated, markdown, counts)


def brief(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def sendings(home: Path) -> list[tuple[str, str, str]]:
    with Store(home / "brief.sqlite3") as store:
        return [(s.recipient, s.status, s.server_reply) for s in store.sendings()]


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def live_markup(html: str) -> list[str]:
    """Everything in `html` that a mail client would run, load or follow unsafely."""
    parser = Tags()
    parser.feed(html)
    problems = []
    for tag, attrs in parser.tags:
        if tag in {"script", "img", "iframe", "object", "embed", "svg", "form", "style"}:
            problems.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"{tag} {name}")
            if name in {"href", "src", "action"} and value:
                scheme = re.match(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*):", value)
                if scheme and scheme.group(1).lower() not in {"http", "https", "mailto"}:
                    problems.append(f"{tag} {name}={value}")
    return problems


# the message ----------------------------------------------------------------------------------


@loopback
def test_sends_markdown_and_html_as_multipart_alternative(
    start_server: Callable[..., tuple[int, Recorder]],
    monkeypatch: pytest.MonkeyPatch,
    briefing_file: Path,
) -> None:
    port, server = start_server()
    use_server(monkeypatch, port)
    code, _out, err = brief(
        "send",
        "--date",
        str(DAY),
        "--to",
        "a@example.org",
        "--to",
        "Bea Analyst <b@example.org>",
        "--bcc",
        "hidden@example.org",
    )
    assert code == 0, err
    assert "a@example.org" in err and "250 2.0.0 OK queued as BRIEF1" in err
    (received,) = server.received
    assert received.mail_from == "brief@example.org"
    assert received.rcpt_tos == ["a@example.org", "b@example.org", "hidden@example.org"]

    msg = received.message()
    assert msg.get_content_type() == "multipart/alternative"
    plain, html = msg.iter_parts()
    assert plain.get_content_type() == "text/plain" and plain.get_content_charset() == "utf-8"
    assert html.get_content_type() == "text/html" and html.get_content_charset() == "utf-8"
    # The text part is the Markdown briefing, byte for byte once decoded (Cyrillic and all).
    assert text_of(plain) == briefing_file.read_text(encoding="utf-8")
    assert "Мы готовы" in text_of(plain) and "résumé" in text_of(html)
    # Encoded for any relay: nothing but 7-bit ASCII on the wire.
    assert max(received.data) < 128

    assert msg["Subject"] == "Briefing for 2025-12-16: 1 position, 1 article"
    assert str(msg["From"]) == SENDER
    assert [a.addr_spec for a in msg["To"].addresses] == ["a@example.org", "b@example.org"]
    assert msg["To"].addresses[1].display_name == "Bea Analyst"
    assert email.utils.parsedate_to_datetime(msg["Date"]).tzinfo is not None
    assert re.fullmatch(r"<[^<>@\s]+@example\.org>", msg["Message-ID"])
    # Bcc is in the envelope only: no header and no byte of the message names it.
    assert "Bcc" not in msg and b"hidden@example.org" not in received.data


@loopback
def test_article_markup_is_escaped_in_the_html(
    start_server: Callable[..., tuple[int, Recorder]],
    monkeypatch: pytest.MonkeyPatch,
    briefing_file: Path,
) -> None:
    port, server = start_server()
    use_server(monkeypatch, port)
    assert brief("send", "--date", str(DAY), "--to", "a@example.org")[0] == 0
    html = text_of(server.received[0].message().get_body(("html",)))
    assert live_markup(html) == []
    # The text is still there for the reader, as text.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Мы готовы" in html and "Talks &lt;script&gt;" in html
    assert 'href="javascript' not in html.lower() and "<img" not in html
    # Inline styles, since mail clients drop style sheets.
    assert '<li style="' in html and '<h2 style="' in html


def test_markdown_it_blocks_javascript_links_itself() -> None:
    # The library's own check, which the HTML rendering relies on (and tightens).
    md = MarkdownIt("commonmark")
    assert not md.validateLink("javascript:alert(1)")
    assert not md.validateLink("JaVaScRiPt:alert(1)")
    assert 'href="javascript' not in md.render("[x](javascript:alert(1))")
    assert not deliver_html._safe_link("data:image/png;base64,AAAA")  # markdown-it would allow this
    assert not deliver_html._safe_link("java\tscript:alert(1)")
    assert deliver_html._safe_link("https://example.org/a") and deliver_html._safe_link(
        "mailto:a@b.org"
    )


def test_render_html_escapes_raw_html_and_drops_unsafe_links() -> None:
    html = deliver_html.render_html(
        '# T\n\n<script>alert(1)</script>\n\n<div onclick="x()">hi</div>\n\n'
        "[a](javascript:alert(1)) [b](vbscript:msgbox) [c](data:text/html,x) "
        "[d](https://example.org/ok) ![e](https://tracker.example/p.gif)\n",
        "T <b>",
    )
    assert live_markup(html) == []
    assert '<a href="https://example.org/ok"' in html
    assert "<title>T &lt;b&gt;</title>" in html


@loopback
def test_dry_run_writes_the_exact_email_and_sends_nothing(
    start_server: Callable[..., tuple[int, Recorder]],
    monkeypatch: pytest.MonkeyPatch,
    briefing_file: Path,
    isolated: Path,
    tmp_path: Path,
) -> None:
    # No server configured at all: a dry run does not need one.
    code, out, err = brief("send", "--date", str(DAY), "--to", "a@example.org", "--dry-run")
    assert code == 0, err
    eml = isolated / "briefings" / "2025-12-16.eml"
    assert out.strip() == str(eml) and "nothing sent" in err
    msg = parse(eml.read_bytes())
    assert msg.get_content_type() == "multipart/alternative"
    assert sendings(isolated) == []

    # The file is the message itself: a real send keeps a copy that the server got unchanged.
    port, server = start_server()
    use_server(monkeypatch, port)
    copy = tmp_path / "sent.eml"
    assert brief("send", "--date", str(DAY), "--to", "a@example.org", "--eml", str(copy))[0] == 0
    assert server.received[0].data == copy.read_bytes()


# records and repeats --------------------------------------------------------------------------


@loopback
def test_each_sending_is_recorded_and_repeats_need_force(
    start_server: Callable[..., tuple[int, Recorder]],
    monkeypatch: pytest.MonkeyPatch,
    briefing_file: Path,
    isolated: Path,
) -> None:
    port, server = start_server()
    use_server(monkeypatch, port)
    assert brief("send", "--date", str(DAY), "--to", "a@example.org")[0] == 0
    with Store(isolated / "brief.sqlite3") as store:
        (sent,) = store.sendings(DAY)
    sha = hashlib.sha256(briefing_file.read_bytes()).hexdigest()
    assert (sent.recipient, sent.status, sent.briefing_sha256) == ("a@example.org", "sent", sha)
    assert sent.server_reply == "250 2.0.0 OK queued as BRIEF1"
    assert sent.message_id == server.received[0].message()["Message-ID"]
    assert dt.datetime.fromisoformat(sent.sent_at).tzinfo is not None

    code, _, err = brief("send", "--date", str(DAY), "--to", "a@example.org")
    assert code == 1 and "already got this briefing" in err and "--force" in err
    assert err.count("\n") == 1 and len(server.received) == 1

    # A new colleague gets it; the one who has it is skipped and told about.
    code, _, err = brief(
        "send", "--date", str(DAY), "--to", "a@example.org", "--to", "c@example.org"
    )
    assert code == 0, err
    assert "skipped a@example.org" in err
    assert server.received[1].rcpt_tos == ["c@example.org"]
    assert [a.addr_spec for a in server.received[1].message()["To"].addresses] == ["c@example.org"]

    assert brief("send", "--date", str(DAY), "--to", "a@example.org", "--force")[0] == 0
    assert len(server.received) == 3
    assert [r for r, status, _ in sendings(isolated) if status == "sent"] == [
        "a@example.org",
        "c@example.org",
        "a@example.org",
    ]


@loopback
def test_a_changed_briefing_is_sent_again_only_when_asked(
    start_server: Callable[..., tuple[int, Recorder]],
    monkeypatch: pytest.MonkeyPatch,
    briefing_file: Path,
    isolated: Path,
) -> None:
    port, server = start_server()
    use_server(monkeypatch, port)
    assert brief("send", "--date", str(DAY), "--to", "a@example.org")[0] == 0
    markdown, counts = hostile_briefing()
    save_briefing(
        isolated,
        markdown.replace("1 article, 1 position", "2 articles, 3 positions"),
        {**counts, "articles": 2, "positions": 3},
    )
    code, _, err = brief("send", "--date", str(DAY), "--to", "a@example.org")
    assert code == 1 and "earlier version" in err and "--update" in err
    assert len(server.received) == 1
    code, _, err = brief("send", "--date", str(DAY), "--to", "a@example.org", "--update")
    assert code == 0, err
    assert server.received[1].message()["Subject"] == (
        "Briefing for 2025-12-16: 3 positions, 2 articles"
    )
    with Store(isolated / "brief.sqlite3") as store:
        first, second = store.sendings(DAY)
    assert first.briefing_sha256 != second.briefing_sha256
    assert (first.status, second.status) == ("sent", "sent")


@loopback
def test_generate_then_send_in_one_go(
    start_server: Callable[..., tuple[int, Recorder]],
    monkeypatch: pytest.MonkeyPatch,
    isolated: Path,
) -> None:
    port, server = start_server()
    use_server(monkeypatch, port)
    assert brief("ingest", str(SEEDS))[0] == 0
    code, out, err = brief("generate", "--date", SEED_DAY, "--send", "--to", "a@example.org")
    assert code == 0, err
    written = (isolated / "briefings" / f"{SEED_DAY}.md").read_text(encoding="utf-8")
    assert out == written
    (received,) = server.received
    msg = received.message()
    assert text_of(msg.get_body(("plain",))) == written
    counts = re.search(r"^(\d+) articles?, (\d+) positions?", written, re.MULTILINE)
    assert counts and f"{counts.group(2)} position" in msg["Subject"]
    assert msg["Subject"].startswith(f"Briefing for {SEED_DAY}: ")


def test_generate_send_checks_the_addresses_before_generating(isolated: Path) -> None:
    code, out, err = brief("generate", "--date", SEED_DAY, "--send", "--to", "not-an-address")
    assert code == 1 and "not an email address" in err
    assert out == "" and not (isolated / "briefings").exists()


# failures -------------------------------------------------------------------------------------


def test_no_briefing_yet_says_how_to_make_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEF_SMTP_HOST", "127.0.0.1")
    code, out, err = brief("send", "--date", "2025-12-20", "--to", "a@example.org")
    assert code == 1 and out == ""
    assert err == (
        "error: no briefing for 2025-12-20 yet: run `brief generate --date 2025-12-20` first\n"
    )


@loopback
def test_server_down_is_retried_then_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, briefing_file: Path, isolated: Path
) -> None:
    use_server(monkeypatch, free_port())  # nothing listens there
    code, _out, err = brief("--verbose", "send", "--date", str(DAY), "--to", "a@example.org")
    assert code == 1
    assert err.count("trying again") == 2
    last = err.strip().splitlines()[-1]
    assert last.startswith("error: cannot reach the mail server 127.0.0.1:")
    assert "after 3 attempts" in last and "BRIEF_SMTP_HOST" in last
    assert sendings(isolated) == []


@loopback
def test_connection_is_retried_with_backoff(
    start_server: Callable[..., tuple[int, Recorder]],
) -> None:
    port = free_port()
    waits: list[float] = []
    servers: list[Recorder] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 2:  # the server comes back during the second wait
            servers.append(start_server(port=port)[1])

    smtp = SmtpSettings(host="127.0.0.1", port=port, security="none")
    outcome = deliver_smtp.smtp_send(
        smtp,
        "brief@example.org",
        ["a@example.org"],
        b"Subject: x\r\n\r\nhi\r\n",
        sleep=sleep,
        delays=(1.0, 3.0),
    )
    assert waits == [1.0, 3.0]
    assert outcome.accepted == ["a@example.org"] and len(servers[0].received) == 1
    with pytest.raises(DeliveryError, match="after 2 attempts"):
        deliver_smtp.smtp_send(
            SmtpSettings(host="127.0.0.1", port=free_port(), security="none"),
            "brief@example.org",
            ["a@example.org"],
            b"x\r\n",
            sleep=waits.append,
            delays=(0.5,),
        )
    assert deliver_smtp.RETRY_DELAYS == (
        0.0,
        0.0,
    )  # patched here; the real default is a few seconds


@loopback
def test_tls_against_a_plain_server_fails_clearly(
    start_server: Callable[..., tuple[int, Recorder]],
    monkeypatch: pytest.MonkeyPatch,
    briefing_file: Path,
    isolated: Path,
) -> None:
    port, server = start_server()
    use_server(monkeypatch, port, security="tls")
    code, _, err = brief("send", "--date", str(DAY), "--to", "a@example.org")
    assert (
        code == 1 and err.startswith("error: TLS with 127.0.0.1:") and "BRIEF_SMTP_SECURITY" in err
    )
    use_server(monkeypatch, port, security="starttls")
    code, _, err = brief("send", "--date", str(DAY), "--to", "a@example.org")
    assert code == 1 and "does not offer STARTTLS" in err
    assert server.received == [] and sendings(isolated) == []


@loopback
def test_an_untrusted_certificate_is_refused_and_a_given_ca_is_trusted(
    start_server: Callable[..., tuple[int, Recorder]],
    monkeypatch: pytest.MonkeyPatch,
    briefing_file: Path,
    certificate: tuple[Path, Path],
) -> None:
    port, server = start_server(ssl_context=server_tls(certificate))
    use_server(monkeypatch, port, security="tls")
    code, _, err = brief("send", "--date", str(DAY), "--to", "a@example.org")
    assert code == 1 and "is not trusted" in err and "BRIEF_SMTP_CA_FILE" in err
    assert server.received == []
    monkeypatch.setenv("BRIEF_SMTP_CA_FILE", str(certificate[0]))
    code, _, err = brief("send", "--date", str(DAY), "--to", "a@example.org")
    assert code == 0, err
    assert len(server.received) == 1


@loopback
def test_starttls_and_login_never_show_the_password(
    start_server: Callable[..., tuple[int, Recorder]],
    monkeypatch: pytest.MonkeyPatch,
    briefing_file: Path,
    certificate: tuple[Path, Path],
    isolated: Path,
    tmp_path: Path,
) -> None:
    port, server = start_server(
        tls_context=server_tls(certificate),
        require_starttls=True,
        authenticator=check_login,
        auth_required=True,
    )
    use_server(monkeypatch, port, security="starttls")
    monkeypatch.setenv("BRIEF_SMTP_CA_FILE", str(certificate[0]))
    monkeypatch.setenv("BRIEF_SMTP_USER", USER)
    monkeypatch.setenv("BRIEF_SMTP_PASSWORD", PASSWORD)
    eml = tmp_path / "copy.eml"
    code, out, err = brief(
        "--verbose", "send", "--date", str(DAY), "--to", "a@example.org", "--eml", str(eml)
    )
    assert code == 0, err
    assert len(server.received) == 1
    assert "connecting to 127.0.0.1" in err and "logging in as analyst" in err  # verbose, no secret
    assert_no_secret(out + err, eml.read_bytes(), server.received[0].data, *store_bytes(isolated))


@loopback
def test_refused_login_is_a_clear_error_without_the_password(
    start_server: Callable[..., tuple[int, Recorder]],
    monkeypatch: pytest.MonkeyPatch,
    briefing_file: Path,
    isolated: Path,
) -> None:
    port, server = start_server(authenticator=check_login, auth_require_tls=False)
    use_server(monkeypatch, port)
    monkeypatch.setenv("BRIEF_SMTP_USER", USER)
    monkeypatch.setenv("BRIEF_SMTP_PASSWORD", PASSWORD + "-wrong")
    code, out, err = brief("--verbose", "send", "--date", str(DAY), "--to", "a@example.org")
    assert code == 1
    assert "refused the login of analyst (535" in err and "BRIEF_SMTP_PASSWORD" in err
    assert "trying again" not in err  # a wrong password is not retried
    assert server.received == [] and sendings(isolated) == []
    assert_no_secret(out + err, *store_bytes(isolated), secret=PASSWORD + "-wrong")


def test_login_without_a_password_or_over_plain_text_to_a_remote_host_is_refused() -> None:
    class Conn:
        def login(self, user: str, password: str) -> None:
            raise AssertionError("must not log in")

    no_password = SmtpSettings(host="127.0.0.1", security="none", user=USER)
    with pytest.raises(DeliveryError, match="BRIEF_SMTP_PASSWORD is not"):
        deliver_smtp._login(Conn(), no_password)  # type: ignore[arg-type]
    remote = SmtpSettings(host="mail.example.org", security="none", user=USER, password=PASSWORD)
    with pytest.raises(DeliveryError, match="unencrypted") as caught:
        deliver_smtp._login(Conn(), remote)  # type: ignore[arg-type]
    assert PASSWORD not in str(caught.value)
    assert PASSWORD not in repr(remote)


@loopback
def test_some_recipients_refused_the_others_get_it(
    start_server: Callable[..., tuple[int, Recorder]],
    monkeypatch: pytest.MonkeyPatch,
    briefing_file: Path,
    isolated: Path,
) -> None:
    port, server = start_server(refuse={"gone@example.org"})
    use_server(monkeypatch, port)
    code, _, err = brief(
        "send",
        "--date",
        str(DAY),
        "--to",
        "a@example.org",
        "--to",
        "gone@example.org",
        "--bcc",
        "b@example.org",
    )
    assert code == 1
    assert "gone@example.org (550 5.1.1" in err and "the others got it" in err
    assert server.received[0].rcpt_tos == ["a@example.org", "b@example.org"]
    assert [(r, s) for r, s, _ in sendings(isolated)] == [
        ("a@example.org", "sent"),
        ("b@example.org", "sent"),
        ("gone@example.org", "refused"),
    ]
    # A refused recipient never counted as sent: once fixed, the next run reaches them.
    server.refuse.clear()
    code, _, err = brief(
        "send", "--date", str(DAY), "--to", "a@example.org", "--to", "gone@example.org"
    )
    assert code == 0, err
    assert server.received[1].rcpt_tos == ["gone@example.org"]


@loopback
def test_every_recipient_refused_sends_nothing(
    start_server: Callable[..., tuple[int, Recorder]],
    monkeypatch: pytest.MonkeyPatch,
    briefing_file: Path,
    isolated: Path,
) -> None:
    port, server = start_server(refuse={"gone@example.org"})
    use_server(monkeypatch, port)
    code, _, err = brief("send", "--date", str(DAY), "--to", "gone@example.org")
    assert code == 1 and "refused every recipient" in err
    assert server.received == [] and sendings(isolated) == []


@loopback
@pytest.mark.parametrize(
    "bad",
    [
        "not-an-address",
        "a@b",
        "a@@example.org",
        "a b@example.org",
        "a@example.org\r\nBcc: x@evil.example",
        "@example.org",
        "a@-example.org",
    ],
)
def test_an_invalid_address_is_rejected_before_connecting(
    bad: str,
    start_server: Callable[..., tuple[int, Recorder]],
    monkeypatch: pytest.MonkeyPatch,
    briefing_file: Path,
) -> None:
    connections: list[str] = []

    class Counting(Recorder):
        async def handle_EHLO(
            self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
        ) -> list[str]:
            connections.append(hostname)
            return responses

    port = free_port()
    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        use_server(monkeypatch, port)
        code, _, err = brief("send", "--date", str(DAY), "--to", "a@example.org", "--to", bad)
    finally:
        controller.stop()
    assert code == 1 and err.count("\n") == 1
    assert "not an email address" in err or "control character" in err
    assert connections == []


# settings -------------------------------------------------------------------------------------


def test_smtp_settings_env_beats_file_and_password_only_from_env(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolated.mkdir(parents=True, exist_ok=True)
    (isolated / "config.toml").write_text(
        '[smtp]\nhost = "mail.example.org"\nport = 2525\nsecurity = "tls"\nuser = "desk"\n'
        'from = "desk@example.org"\nto = ["a@example.org", "b@example.org"]\n'
    )
    smtp = load_smtp_settings(load_settings())
    assert (smtp.host, smtp.port, smtp.security, smtp.user) == (
        "mail.example.org",
        2525,
        "tls",
        "desk",
    )
    assert smtp.to == ["a@example.org", "b@example.org"] and smtp.sender == SENDER  # env wins
    monkeypatch.setenv("BRIEF_SMTP_HOST", "relay.example.org")
    monkeypatch.setenv("BRIEF_SMTP_SECURITY", "none")
    monkeypatch.delenv("BRIEF_SMTP_PORT", raising=False)
    monkeypatch.setenv("BRIEF_SMTP_PASSWORD", PASSWORD)
    smtp = load_smtp_settings(load_settings())
    assert (smtp.host, smtp.security, smtp.effective_port) == ("relay.example.org", "none", 2525)
    assert smtp.password == PASSWORD and PASSWORD not in repr(smtp)
    assert SmtpSettings(security="starttls").effective_port == 587
    assert SmtpSettings(security="tls").effective_port == 465


def test_a_password_in_the_config_file_is_refused(isolated: Path) -> None:
    isolated.mkdir(parents=True, exist_ok=True)
    (isolated / "config.toml").write_text('[smtp]\nhost = "mail.example.org"\npassword = "x"\n')
    with pytest.raises(BriefError, match="BRIEF_SMTP_PASSWORD"):
        load_settings()
    code, _, err = brief("articles")  # refused by every command, not only `send`
    assert code == 1 and "under [smtp]" in err


@pytest.mark.parametrize(
    "setting, message",
    [
        ('security = "ssl"', "use starttls"),
        ("port = 70000", "not a port"),
        ('hots = "x"', "unknown setting 'hots' under \\[smtp\\] \\(did you mean 'host'\\?\\)"),
        ('to = "a@example.org"', None),
    ],
)
def test_smtp_settings_are_checked(isolated: Path, setting: str, message: str | None) -> None:
    isolated.mkdir(parents=True, exist_ok=True)
    (isolated / "config.toml").write_text(f"[smtp]\n{setting}\n")
    if message is None:
        assert load_smtp_settings(load_settings()).to == ["a@example.org"]
        return
    with pytest.raises(DeliveryError, match=message):
        load_smtp_settings(load_settings())


def test_missing_sender_or_server_or_recipients_say_what_to_set(
    monkeypatch: pytest.MonkeyPatch, briefing_file: Path
) -> None:
    code, _, err = brief("send", "--date", str(DAY))
    assert code == 1 and "no recipients" in err and "--to" in err
    code, _, err = brief("send", "--date", str(DAY), "--to", "a@example.org")
    assert code == 1 and "BRIEF_SMTP_HOST" in err and "--dry-run" in err
    monkeypatch.delenv("BRIEF_MAIL_FROM")
    code, _, err = brief("send", "--date", str(DAY), "--to", "a@example.org", "--dry-run")
    assert code == 1 and "BRIEF_MAIL_FROM" in err


# subjects -------------------------------------------------------------------------------------


def test_subject_carries_the_date_and_the_headline_counts() -> None:
    assert deliver.subject_for(DAY, {"articles": 5, "positions": 12, "needs_review": 2}) == (
        "Briefing for 2025-12-16: 12 positions, 5 articles, 2 to review"
    )
    assert deliver.subject_for(DAY, {"new": 3, "shifted": 1, "positions": 7, "articles": 1}) == (
        "Briefing for 2025-12-16: 3 new, 1 shifted, 7 positions, 1 article"
    )
    assert deliver.subject_for(DAY, {"articles": 0, "positions": 0}) == (
        "Briefing for 2025-12-16: no articles"
    )
    assert deliver.subject_for(DAY, {}) == "Briefing for 2025-12-16"


def test_counts_come_from_the_text_when_not_stored_or_edited(isolated: Path) -> None:
    markdown, _ = hostile_briefing()
    path = save_briefing(
        isolated, markdown.replace("1 article, 1 position", "4 articles, 9 positions")
    )
    with Store(isolated / "brief.sqlite3") as store:
        loaded = deliver.load_briefing(store, DAY)
        assert loaded.counts == {"articles": 4, "positions": 9, "needs_review": 0}
        assert not loaded.edited
        # Edited by hand after it was generated: sent as it reads now, counted from the text.
        save_briefing(isolated, markdown, {"articles": 1, "positions": 1, "needs_review": 0})
        path.write_text(markdown.replace("1 article, 1 position", "1 article, 2 positions"))
        loaded = deliver.load_briefing(store, DAY)
        assert loaded.edited and loaded.counts["positions"] == 2


def store_bytes(home: Path) -> list[bytes]:
    return [p.read_bytes() for p in home.glob("brief.sqlite3*")]


def assert_no_secret(*outputs: str | bytes, secret: str = PASSWORD) -> None:
    """The password, and the encodings an SMTP login would use for it, appear nowhere."""
    forms = [
        secret.encode(),
        base64.b64encode(secret.encode()),
        base64.b64encode(f"\0{USER}\0{secret}".encode()),
    ]
    for output in outputs:
        data = output.encode() if isinstance(output, str) else output
        for form in forms:
            assert form not in data


def test_a_store_from_before_sendings_is_migrated(tmp_path: Path) -> None:
    from briefing.store.database import MIGRATIONS

    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    MIGRATIONS[0](db)  # the first schema: briefings without counts, no sendings
    db.execute(
        "INSERT INTO briefings (date, sha256, path, created_at) VALUES (?, ?, ?, ?)",
        ("2025-12-16", "abc", "/x.md", "2025-12-16T08:00:00+00:00"),
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with Store(path) as store:
        old = store.latest_briefing(DAY)
        assert old is not None and old.counts is None and old.path == "/x.md"
        assert store.sendings() == []
