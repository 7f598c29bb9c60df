"""The HTTP gateway against a stand-in SMS platform on 127.0.0.1: what it posts, the
reference it returns, and errors that never quote the platform's answer (it may echo the
text, code included) — 等保2.0 GB/T 22239-2019 8.1.4.8."""

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from tests.notify.conftest import NOW
from yangguang.notify.gateways import GatewayError, HttpGateway, LoggingGateway, gateway
from yangguang.notify.models import Message, MessageStatus
from yangguang.notify.services import message_enqueue

TEXT = "您的验证码为493817，10分钟内有效。"


class Platform(BaseHTTPRequestHandler):
    """Answers with the class's ``status`` and ``body``; keeps what it received."""

    status = 200
    body = b'{"id": "sms-1"}'
    received: list[tuple[dict, dict]] = []

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        self.received.append((dict(self.headers), json.loads(self.rfile.read(length))))
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def platform():
    Platform.received.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Platform)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def http(server) -> HttpGateway:
    return HttpGateway(
        url=f"http://127.0.0.1:{server.server_port}/send",
        token="platform-token",
        signature="【阳光执法】",
        timeout=5,
    )


def test_the_http_gateway_posts_the_full_text_with_the_token_and_returns_the_id(platform):
    Platform.status, Platform.body = 200, b'{"id": "sms-1"}'
    reference = http(platform).send(phone="13800000001", text=TEXT, masked_text="***")
    headers, payload = Platform.received[0]
    assert reference == "sms-1"
    assert headers["Authorization"] == "Bearer platform-token"
    assert payload == {"phone": "13800000001", "text": TEXT, "signature": "【阳光执法】"}


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (503, json.dumps({"echo": TEXT}).encode(), "HTTP 503"),
        (
            200,
            ("not json " + TEXT).encode(),
            f"the answer is not JSON ({len(('not json ' + TEXT).encode())} bytes)",
        ),
        (200, b"[1, 2]", "the answer is not a JSON object"),
    ],
)
def test_a_refusal_of_the_platform_raises_without_quoting_its_answer(platform, status, body, error):
    Platform.status, Platform.body = status, body
    with pytest.raises(GatewayError) as raised:
        http(platform).send(phone="13800000001", text=TEXT, masked_text="***")
    assert str(raised.value) == error
    assert "493817" not in str(raised.value)


def test_an_unreachable_platform_raises_a_gateway_error():
    with pytest.raises(GatewayError):
        HttpGateway(url="http://127.0.0.1:9/send", token="t", signature="", timeout=2).send(
            phone="13800000001", text=TEXT, masked_text="***"
        )


def test_the_configured_gateway_is_chosen_by_setting(settings):
    settings.SMS_GATEWAY = "http"
    settings.SMS_URL = "http://127.0.0.1:9/send"
    assert isinstance(gateway(), HttpGateway)
    settings.SMS_GATEWAY = "logging"
    assert isinstance(gateway(), LoggingGateway)


@pytest.mark.django_db
def test_send_messages_runs_one_round_of_the_worker(sent, now):
    message_enqueue(phone="13800000001", body="您的回复", purpose="reply", now=NOW)
    out = io.StringIO()
    call_command("send_messages", stdout=out)
    assert "1 message(s) attempted." in out.getvalue()
    assert Message.objects.get().status == MessageStatus.SENT
    assert [sms.text for sms in sent] == ["您的回复"]
