#!/usr/bin/python3
"""Demo product portal: shows what varco forwarded to it.

Every request gets a page (HTML, or JSON with `Accept: application/json`) with the portal's own name
and environment, the request line, every header received, and the identity token (from
X-Varco-Identity-Token or `Authorization: Bearer`) decoded and verified (ES256) against the gateway's
JWKS. `/ws` is a WebSocket echo, to try the tunnelled upgrade.

With --landing it plays a portal that lives outside varco (a redirect-mode environment): `/` is
a page whose script (`/landing.js`, an external file so a strict CSP would allow it) reads the
identity token from the URL fragment (`#selfCareToken=…&lang=…`), drops it from the address bar,
and POSTs it to `/verify`, where this backend verifies it against the JWKS and answers the claims.

Only the Python standard library and Debian's python3-cryptography.

    /usr/bin/python3 demo/portal.py --port 9101 --name "Piattaforma pagoPA" \
        --environment collaudo --jwks http://127.0.0.1:8080/.well-known/jwks.json
    /usr/bin/python3 demo/portal.py --port 9105 --name "Back-office pagoPA" \
        --environment backoffice --landing --jwks http://127.0.0.1:8080/.well-known/jwks.json
"""

import argparse
import base64
import datetime
import hashlib
import html
import json
import struct
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

TOKEN_HEADER = "X-Varco-Identity-Token"
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
MAX_BODY_SHOWN = 4096
MAX_BODY_READ = 1 << 20


def b64url_decode(part):
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


class JwksCache:
    """Public keys by kid, fetched from the gateway; refetched when stale or on an unknown kid."""

    MAX_AGE = 300.0
    MIN_REFETCH_INTERVAL = 5.0

    def __init__(self, url):
        self.url = url
        self.lock = threading.Lock()
        self.keys = {}
        self.fetched_at = 0.0
        self.error = None

    def _fetch(self):
        self.fetched_at = time.monotonic()
        try:
            with urllib.request.urlopen(self.url, timeout=3) as response:
                document = json.load(response)
            keys = {}
            for jwk in document.get("keys", []):
                if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
                    continue
                numbers = ec.EllipticCurvePublicNumbers(
                    int.from_bytes(b64url_decode(jwk["x"]), "big"),
                    int.from_bytes(b64url_decode(jwk["y"]), "big"),
                    ec.SECP256R1(),
                )
                keys[jwk.get("kid")] = numbers.public_key()
            self.keys = keys
            self.error = None
        except Exception as exc:  # shown on the page: the demo must keep answering
            self.error = f"JWKS non raggiungibile ({self.url}): {exc}"

    def key(self, kid):
        with self.lock:
            age = time.monotonic() - self.fetched_at
            stale = age > self.MAX_AGE
            unknown = kid not in self.keys and age > self.MIN_REFETCH_INTERVAL
            if self.fetched_at == 0.0 or stale or unknown:
                self._fetch()
            return self.keys.get(kid), self.error


def inspect_token(token, jwks):
    """Decodes a compact JWS and verifies it; never raises, reports what went wrong instead."""
    result = {"raw": token, "header": None, "claims": None,
              "signature": {"valid": False, "kid": None, "detail": ""}}
    parts = token.split(".")
    if len(parts) != 3:
        result["signature"]["detail"] = "non è un JWT (servono tre parti separate da '.')"
        return result
    try:
        result["header"] = json.loads(b64url_decode(parts[0]))
        result["claims"] = json.loads(b64url_decode(parts[1]))
        signature = b64url_decode(parts[2])
    except Exception as exc:
        result["signature"]["detail"] = f"JWT non decodificabile: {exc}"
        return result
    header = result["header"] if isinstance(result["header"], dict) else {}
    kid = header.get("kid")
    result["signature"]["kid"] = kid
    if header.get("alg") != "ES256":
        result["signature"]["detail"] = f"algoritmo inatteso: {header.get('alg')!r}"
        return result
    if len(signature) != 64:
        result["signature"]["detail"] = "firma ES256 di lunghezza errata"
        return result
    key, error = jwks.key(kid)
    if key is None:
        result["signature"]["detail"] = error or f"nessuna chiave con kid {kid!r} nel JWKS"
        return result
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"),
                               int.from_bytes(signature[32:], "big"))
    try:
        key.verify(der, f"{parts[0]}.{parts[1]}".encode("ascii"), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        result["signature"]["detail"] = "la firma non corrisponde alla chiave pubblicata"
        return result
    result["signature"]["valid"] = True
    claims = result["claims"] if isinstance(result["claims"], dict) else {}
    exp = claims.get("exp")
    if isinstance(exp, (int, float)) and exp < time.time():
        result["signature"]["detail"] = "firma valida ma token scaduto"
    return result


def find_token(headers):
    """Returns (header name, token) from the configured token header, or (None, None)."""
    value = headers.get(TOKEN_HEADER)
    if value:
        return TOKEN_HEADER, value.strip()
    auth = headers.get("Authorization", "")
    if auth[:7].lower() == "bearer ":
        return "Authorization", auth[7:].strip()
    return None, None


def format_time(value):
    if not isinstance(value, (int, float)):
        return ""
    moment = datetime.datetime.fromtimestamp(value, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


PAGE_STYLE = """
body{font-family:"Titillium Web",system-ui,sans-serif;margin:0;background:#f5f7fb;color:#17324d}
header{padding:1.2rem 2rem;color:#fff}
header.collaudo{background:#b35c00} header.produzione{background:#00805a}
header.other{background:#0066cc}
h1{margin:0;font-size:1.6rem} h2{font-size:1.15rem;margin:1.6rem 0 .5rem}
main{padding:0 2rem 2rem;max-width:72rem}
table{border-collapse:collapse;width:100%;background:#fff}
td,th{border:1px solid #d9dadb;padding:.3rem .6rem;text-align:left;vertical-align:top;
font-family:ui-monospace,monospace;font-size:.85rem;word-break:break-all}
th{background:#e8edf3;width:18rem}
pre{background:#fff;border:1px solid #d9dadb;padding:.8rem;overflow:auto;font-size:.85rem}
.ok{color:#00805a;font-weight:bold} .ko{color:#c4001a;font-weight:bold}
.note{color:#5c6f82}
"""


def render_html(portal, request, token):
    env = portal["environment"]
    env_class = env if env in ("collaudo", "produzione") else "other"
    esc = html.escape
    out = [
        "<!doctype html><html lang='it'><head><meta charset='utf-8'>",
        f"<title>{esc(portal['name'])} — {esc(env)}</title><style>{PAGE_STYLE}</style></head><body>",
        f"<header class='{env_class}'><h1>{esc(portal['name'])}</h1>",
        f"<div>Ambiente: <strong>{esc(env)}</strong> · portale dimostrativo dietro varco</div></header>",
        "<main><h2>Richiesta</h2><table>",
        f"<tr><th>Metodo</th><td>{esc(request['method'])}</td></tr>",
        f"<tr><th>Percorso</th><td>{esc(request['path'])}</td></tr>",
        f"<tr><th>Query</th><td>{esc(request['query'])}</td></tr>",
        f"<tr><th>Corpo</th><td>{request['body_bytes']} byte</td></tr>",
        "</table>",
        "<h2>Token di identità</h2>",
    ]
    if token is None:
        out.append(f"<p class='ko'>Nessun token ricevuto (né {TOKEN_HEADER} né "
                   "Authorization: Bearer).</p>")
    else:
        sig = token["signature"]
        if sig["valid"]:
            status = f"<span class='ok'>firma verificata ✓</span> (kid {esc(str(sig['kid']))})"
        else:
            status = f"<span class='ko'>firma NON valida</span> (kid {esc(str(sig['kid']))})"
        if sig["detail"]:
            status += f" — {esc(sig['detail'])}"
        out.append(f"<p>Ricevuto in <code>{esc(token['header_name'])}</code>: {status}</p>")
        claims = token["claims"] if isinstance(token["claims"], dict) else {}
        times = [f"{name}: {format_time(claims.get(name))}" for name in ("iat", "exp", "desired_exp")
                 if claims.get(name) is not None]
        if times:
            out.append(f"<p class='note'>{esc(' · '.join(times))}</p>")
        out.append("<h2>Header del JWT</h2><pre>"
                   f"{esc(json.dumps(token['header'], indent=2, ensure_ascii=False))}</pre>")
        out.append("<h2>Claims del JWT</h2><pre>"
                   f"{esc(json.dumps(token['claims'], indent=2, ensure_ascii=False))}</pre>")
    out.append("<h2>Tutti gli header ricevuti</h2><table>")
    for name, value in request["headers"]:
        shown = value if len(value) <= 200 else value[:200] + "…"
        out.append(f"<tr><th>{esc(name)}</th><td>{esc(shown)}</td></tr>")
    out.append("</table>")
    if request["body_preview"]:
        out.append(f"<h2>Corpo (anteprima)</h2><pre>{esc(request['body_preview'])}</pre>")
    out.append("</main></body></html>")
    return "".join(out)


LANDING_SCRIPT = r"""
// Reads the identity token varco put in the fragment, removes it from the address bar and the
// history, and has the portal's backend verify it (the browser trusts nothing by itself).
(function () {
  var params = new URLSearchParams(window.location.hash.slice(1));
  var token = params.get('selfCareToken');
  var status = document.getElementById('status');
  var claims = document.getElementById('claims');
  if (!token) {
    status.textContent = 'Nessun token nel frammento dell\'indirizzo: entra da varco.';
    return;
  }
  history.replaceState(null, '', window.location.pathname);
  document.documentElement.lang = params.get('lang') || 'it';
  fetch('/verify', {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({token: token})
  }).then(function (response) { return response.json(); }).then(function (result) {
    var sig = result.signature || {};
    status.textContent = sig.valid
      ? 'firma verificata ✓ (kid ' + sig.kid + ')' + (sig.detail ? ' — ' + sig.detail : '')
      : 'firma NON valida — ' + sig.detail;
    status.className = sig.valid ? 'ok' : 'ko';
    claims.textContent = JSON.stringify(result.claims, null, 2);
    document.getElementById('claims-section').hidden = false;
  }).catch(function (error) {
    status.textContent = 'Verifica non riuscita: ' + error;
    status.className = 'ko';
  });
})();
"""


def render_landing(portal):
    env = portal["environment"]
    esc = html.escape
    return "".join([
        "<!doctype html><html lang='it'><head><meta charset='utf-8'>",
        f"<title>{esc(portal['name'])} — {esc(env)}</title><style>{PAGE_STYLE}</style></head><body>",
        f"<header class='other'><h1>{esc(portal['name'])}</h1>",
        f"<div>Ambiente: <strong>{esc(env)}</strong> · portale dimostrativo fuori da varco "
        "(modalità redirect)</div></header>",
        "<main><h2>Token di identità</h2>",
        "<p id='status' role='status'>Verifica del token in corso…</p>",
        "<section id='claims-section' hidden><h2>Claims del JWT</h2><pre id='claims'></pre></section>",
        "</main><script src='/landing.js'></script></body></html>",
    ])


class PortalHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "varco-demo-portal/1"
    # Headers and body go out in two writes: with Nagle on, the body waits for the client's
    # delayed ACK of the headers (40 ms per keep-alive response on loopback).
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        if not self.server.quiet:
            super().log_message(fmt, *args)

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            data = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(data)
                chunk = self.rfile.read(size)
                self.rfile.readline()
                if len(data) < MAX_BODY_READ:
                    data += chunk
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status, content_type, body):
        payload = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def handle_any(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path.rstrip("/").endswith("/ws") and \
                self.headers.get("Upgrade", "").lower() == "websocket":
            self.websocket_echo()
            return
        body = self._read_body()
        if self.server.landing and self.handle_landing(url.path, body):
            return
        request = {
            "method": self.command,
            "path": url.path,
            "query": url.query,
            "headers": list(self.headers.items()),
            "body_bytes": len(body),
            "body_preview": body[:MAX_BODY_SHOWN].decode("utf-8", "replace"),
        }
        portal = {"name": self.server.portal_name, "environment": self.server.environment}
        header_name, raw = find_token(self.headers)
        token = None
        if raw is not None:
            token = inspect_token(raw, self.server.jwks)
            token["header_name"] = header_name
        if "application/json" in self.headers.get("Accept", ""):
            document = {"portal": portal, "request": request, "token": token}
            self._send(200, "application/json",
                       json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        else:
            self._send(200, "text/html; charset=utf-8", render_html(portal, request, token))

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = handle_any

    def handle_landing(self, path, body):
        """The pages of a portal outside varco; False for any other path (the usual echo)."""
        portal = {"name": self.server.portal_name, "environment": self.server.environment}
        if path == "/" and self.command in ("GET", "HEAD"):
            self._send(200, "text/html; charset=utf-8", render_landing(portal))
        elif path == "/landing.js" and self.command in ("GET", "HEAD"):
            self._send(200, "text/javascript; charset=utf-8", LANDING_SCRIPT)
        elif path == "/verify" and self.command == "POST":
            try:
                token = json.loads(body or b"{}").get("token", "")
            except (ValueError, AttributeError):
                token = ""
            if not isinstance(token, str) or not token:
                self._send(400, "application/json", '{"error": "token_missing"}\n')
                return True
            result = inspect_token(token, self.server.jwks)
            self._send(200, "application/json", json.dumps(result, ensure_ascii=False) + "\n")
        else:
            return False
        return True

    def websocket_echo(self):
        key = self.headers.get("Sec-WebSocket-Key", "")
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        self.send_response(101, "Switching Protocols")
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept)
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True
        while True:
            frame = self._read_frame()
            if frame is None:
                return
            opcode, payload = frame
            if opcode == 0x8:  # close: answer and stop
                self._write_frame(0x8, payload[:2])
                return
            if opcode == 0x9:  # ping
                self._write_frame(0xA, payload)
            elif opcode in (0x1, 0x2):
                self._write_frame(opcode, payload)

    def _read_frame(self):
        head = self.rfile.read(2)
        if len(head) < 2:
            return None
        opcode = head[0] & 0x0F
        masked = head[1] & 0x80
        length = head[1] & 0x7F
        if length == 126:
            length = struct.unpack("!H", self.rfile.read(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", self.rfile.read(8))[0]
        if length > MAX_BODY_READ:
            return None
        mask = self.rfile.read(4) if masked else b"\0\0\0\0"
        data = self.rfile.read(length)
        return opcode, bytes(b ^ mask[i % 4] for i, b in enumerate(data))

    def _write_frame(self, opcode, payload):
        if len(payload) < 126:
            head = struct.pack("!BB", 0x80 | opcode, len(payload))
        elif len(payload) < 65536:
            head = struct.pack("!BBH", 0x80 | opcode, 126, len(payload))
        else:
            head = struct.pack("!BBQ", 0x80 | opcode, 127, len(payload))
        self.wfile.write(head + payload)
        self.wfile.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--name", required=True, help="product name shown on the page")
    parser.add_argument("--environment", required=True, help="e.g. collaudo, produzione")
    parser.add_argument("--jwks", required=True, help="URL of the gateway's JWKS")
    parser.add_argument("--quiet", action="store_true", help="no access log on stderr")
    parser.add_argument("--landing", action="store_true",
                        help="a portal outside varco: / reads the token from the URL fragment")
    args = parser.parse_args()

    server = ThreadingHTTPServer((args.address, args.port), PortalHandler)
    server.daemon_threads = True
    server.portal_name = args.name
    server.environment = args.environment
    server.jwks = JwksCache(args.jwks)
    server.quiet = args.quiet
    server.landing = args.landing
    print(f"portal {args.name!r} ({args.environment}) on http://{args.address}:{args.port}",
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
