#!/usr/bin/python3
"""Soak workload for varco: N virtual users looping over real SPID logins and Area Riservata use.

Started by bench/soak, which brings up the stack (Redis, the demo SPID IdP, the demo portals,
varco) and passes its addresses. Each virtual user loops:

  1. SPID login through the demo IdP: /login → the IdP link (/saml/login) → the IdP's login form
     (parsed, a demo user picked, password "password") → the auto-post form to /saml/acs → /area;
  2. Panoramica (/area): the selected party, its active products, the CSRF token;
  3. Gestisci on a product → an environment (Collaudo or Produzione) → K proxied requests, each
     answered by the demo portal of that environment with the user's claims, signature verified;
  4. the other environment of that product, when the user's role may enter it → K requests;
  5. Utenti (/area/users: 200 for an administrator, 403 otherwise) and I tuoi enti
     (/area/delegations: the list for a technology partner, the "not a partner" callout otherwise);
  6. another party (when the user has several) → its Panoramica → an environment → K requests →
     Utenti and I tuoi enti again;
  7. Esci: SP-initiated Single Logout through the IdP → the logged-out page; the old session cookie
     must then be refused (a product path redirects to /login).

Every response is checked (status and a marker in the body); anything unexpected is an error,
counted by kind, the first few printed in full. A sampler reads varco's RSS (/proc/PID/status
VmRSS) and open descriptors (/proc/PID/fd) every few seconds. At the end: a text report on stdout,
the same as JSON (--json), and exit status 1 when there were errors or the RSS or descriptor growth
exceeded the limits.

Standard library only (http.client, threads): Debian's /usr/bin/python3 runs it as is.
"""

import argparse
import datetime
import html.parser
import http.client
import json
import os
import platform
import random
import re
import socket
import statistics
import sys
import threading
import time
import urllib.parse

PASSWORD = "password"
# Demo IdP users (demo/idp/users.json) that have memberships in demo/directory.yaml.
DEFAULT_USERS = ["RSSMRA80A01H501U", "VRDLGU85B02F205X"]
BODY_EXCERPT = 400


class CheckFailed(Exception):
    """A response that is not what the step expects: ends the virtual user's iteration."""

    def __init__(self, kind, detail):
        super().__init__(kind)
        self.kind = kind
        self.detail = detail


# --- HTML forms -------------------------------------------------------------------------------


class Form:
    def __init__(self, attrs):
        self.id = attrs.get("id", "")
        self.action = attrs.get("action", "")
        self.method = attrs.get("method", "get").lower()
        self.fields = []  # (name, value) of hidden/text/password inputs
        self.radios = {}  # name -> [values]
        self.selects = {}  # name -> [option values]
        self.buttons = []  # (text, disabled, attrs)


class FormParser(html.parser.HTMLParser):
    """Forms (inputs, radios, selects, submit buttons with their text) and links of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.links = []  # (href, text)
        self._link = None
        self._form = None
        self._select = None
        self._button = None
        self._button_text = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(a)
            self.forms.append(self._form)
        elif tag == "a" and "href" in a:
            self._link = [a["href"], []]
        elif self._form is None:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            name = a.get("name")
            if not name:
                return
            if kind == "radio":
                self._form.radios.setdefault(name, []).append(a.get("value", ""))
            elif kind not in ("submit", "button", "checkbox"):
                self._form.fields.append((name, a.get("value", "")))
        elif tag == "select":
            self._select = a.get("name", "")
            self._form.selects[self._select] = []
        elif tag == "option" and self._select is not None:
            self._form.selects[self._select].append(a.get("value", ""))
        elif tag == "button":
            self._button = a
            self._button_text = []

    def handle_data(self, data):
        if self._link is not None:
            self._link[1].append(data)
        if self._button is not None:
            self._button_text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self.links.append((self._link[0], " ".join("".join(self._link[1]).split())))
            self._link = None
        elif tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "button" and self._button is not None:
            if self._form is not None:
                text = " ".join("".join(self._button_text).split())
                self._form.buttons.append((text, "disabled" in self._button, self._button))
            self._button = None


def parse_page(body):
    parser = FormParser()
    parser.feed(body)
    parser.close()
    return parser


# --- HTTP client with cookies, one keep-alive connection per origin -----------------------------


class Response:
    def __init__(self, method, url, status, headers, body, seconds):
        self.method = method
        self.url = url
        self.status = status
        self.headers = headers  # list of (name, value)
        self.body = body
        self.seconds = seconds

    def header(self, name):
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return None

    def describe(self):
        shown = [f"{k}: {v}" for k, v in self.headers
                 if k.lower() in ("location", "content-type", "set-cookie", "retry-after",
                                  "x-request-id")]
        excerpt = self.body[:BODY_EXCERPT].replace("\n", "\n      ")
        return (f"{self.method} {self.url} -> {self.status} in {self.seconds * 1000:.1f} ms\n"
                + "".join(f"    {h}\n" for h in shown) + f"    body: {excerpt}")


class Browser:
    """Cookies per port (all servers share 127.0.0.1) and keep-alive connections per origin."""

    def __init__(self, stats, timeout):
        self.stats = stats
        self.timeout = timeout
        self.cookies = {}  # port -> {name: value}
        self.connections = {}

    def close(self):
        for c in self.connections.values():
            c.close()
        self.connections = {}

    def forget_cookies(self):
        self.cookies = {}

    def cookie(self, port, name):
        return self.cookies.get(port, {}).get(name)

    def set_cookie(self, port, name, value):
        self.cookies.setdefault(port, {})[name] = value

    def _store_cookies(self, port, headers):
        jar = self.cookies.setdefault(port, {})
        for k, v in headers:
            if k.lower() != "set-cookie":
                continue
            parts = [p.strip() for p in v.split(";")]
            name, _, value = parts[0].partition("=")
            attributes = {p.partition("=")[0].lower(): p.partition("=")[2] for p in parts[1:]}
            if value == "" or attributes.get("max-age") == "0" or "1970" in attributes.get("expires", ""):
                jar.pop(name, None)
            else:
                jar[name] = value

    def request(self, label, method, url, form=None, headers=None):
        """One request; connection errors become CheckFailed. Latency is recorded under label."""
        parts = urllib.parse.urlsplit(url)
        port = parts.port or 80
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        send = {"Host": parts.netloc, "User-Agent": "varco-soak/1", "Accept": "text/html"}
        if headers:
            send.update(headers)
        jar = self.cookies.get(port)
        if jar:
            send["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            send["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            conn = self.connections.get(parts.netloc)
            reused = conn is not None
            if conn is None:
                conn = http.client.HTTPConnection(parts.hostname, port, timeout=self.timeout)
                self.connections[parts.netloc] = conn
            start = time.monotonic()
            try:
                conn.request(method, target, body=body, headers=send)
                raw = conn.getresponse()
                data = raw.read()
                seconds = time.monotonic() - start
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                conn.close()
                self.connections.pop(parts.netloc, None)
                # A keep-alive connection the server closed while idle: retry once on a new one.
                if reused and attempt == 1:
                    continue
                raise CheckFailed(f"{label}: connection error {type(exc).__name__}",
                                  f"{method} {url}: {exc!r}") from exc
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                self.connections.pop(parts.netloc, None)
                raise CheckFailed(f"{label}: connection error {type(exc).__name__}",
                                  f"{method} {url}: {exc!r}") from exc
            if raw.getheader("Connection", "").lower() == "close":
                conn.close()
                self.connections.pop(parts.netloc, None)
            response = Response(method, url, raw.status, raw.getheaders(),
                                data.decode("utf-8", "replace"), seconds)
            self._store_cookies(port, response.headers)
            self.stats.record_request(label, seconds)
            return response
        raise AssertionError("unreachable")


def expect(response, label, status, marker=None):
    """Fails the step unless the status is one of `status` and the body contains `marker`."""
    wanted = status if isinstance(status, tuple) else (status,)
    if response.status not in wanted:
        raise CheckFailed(f"{label}: status {response.status} (want {'/'.join(map(str, wanted))})",
                          response.describe())
    if marker is not None and marker not in response.body:
        raise CheckFailed(f"{label}: marker missing", f"wanted {marker!r} in\n{response.describe()}")
    return response


def location(response, label):
    value = response.header("Location")
    if not value:
        raise CheckFailed(f"{label}: no Location", response.describe())
    return urllib.parse.urljoin(response.url, value)


# --- statistics -------------------------------------------------------------------------------


class Stats:
    """Latencies per request label and per operation, error counts; thread-safe."""

    def __init__(self, max_printed):
        self.lock = threading.Lock()
        self.measuring = False  # latencies and counts only after the warm-up
        self.requests = {}
        self.operations = {}
        self.errors = {}
        self.errors_in_warmup = 0
        self.printed = 0
        self.max_printed = max_printed
        self.iterations = 0

    def record_request(self, label, seconds):
        with self.lock:
            if self.measuring:
                self.requests.setdefault(label, []).append(seconds)

    def record_operation(self, name, seconds):
        with self.lock:
            if self.measuring:
                self.operations.setdefault(name, []).append(seconds)

    def record_iteration(self):
        with self.lock:
            if self.measuring:
                self.iterations += 1

    def record_error(self, user, kind, detail):
        with self.lock:
            self.errors[kind] = self.errors.get(kind, 0) + 1
            if not self.measuring:
                self.errors_in_warmup += 1
            show = self.printed < self.max_printed
            self.printed += 1
        if show:
            stamp = datetime.datetime.now().strftime("%H:%M:%S")
            print(f"[{stamp}] ERROR ({user}) {kind}\n    {detail}", file=sys.stderr, flush=True)


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return None
    index = min(len(ordered) - 1, max(0, int(round(fraction * len(ordered) + 0.5)) - 1))
    return ordered[index]


def summary(values, seconds):
    return {
        "count": len(values),
        "per_second": len(values) / seconds if seconds > 0 else 0.0,
        "p50_ms": round(percentile(values, 0.50) * 1000, 2) if values else None,
        "p99_ms": round(percentile(values, 0.99) * 1000, 2) if values else None,
        "max_ms": round(max(values) * 1000, 2) if values else None,
    }


# --- the virtual user -------------------------------------------------------------------------


class VirtualUser:
    def __init__(self, number, fiscal_number, args, stats, stop):
        self.name = f"vu{number:02d}/{fiscal_number}"
        self.fiscal_number = fiscal_number
        self.args = args
        self.stats = stats
        self.stop = stop
        self.base = args.base.rstrip("/")
        self.varco_port = urllib.parse.urlsplit(self.base).port
        self.browser = Browser(stats, args.timeout)
        self.random = random.Random(number)
        self.csrf = None
        self.party = None

    def url(self, path):
        return self.base + path

    def run(self):
        while not self.stop.is_set():
            try:
                self.iteration()
                self.stats.record_iteration()
            except CheckFailed as failure:
                self.stats.record_error(self.name, failure.kind, failure.detail)
                # Start over as a fresh browser: new connections, no cookies.
                self.browser.close()
                self.browser.forget_cookies()
                if self.stop.wait(0.2):
                    break
            except Exception as exc:  # a bug in the driver or a page it cannot read: count it too
                self.stats.record_error(self.name, f"driver: {type(exc).__name__}", repr(exc))
                self.browser.close()
                self.browser.forget_cookies()
                if self.stop.wait(0.2):
                    break
        self.browser.close()

    def operation(self, name, fn, *fn_args):
        start = time.monotonic()
        result = fn(*fn_args)
        self.stats.record_operation(name, time.monotonic() - start)
        return result

    def iteration(self):
        self.operation("login", self.login)
        area = self.operation("panoramica", self.panoramica)
        products = area["products"]
        if not products:
            raise CheckFailed("panoramica: no active product", area["response"].describe())
        product = self.random.choice(products)
        envs = self.operation("environment_choice", self.environment_choice, product)
        first, *others = self.random.sample(envs, len(envs))
        self.operation("enter_environment", self.enter_environment, product, first)
        self.proxied_requests(product, first)
        if others:
            self.operation("switch_environment", self.switch_environment, product, others[0])
            self.proxied_requests(product, others[0])
        self.operation("users_page", self.users_page, area)
        self.operation("delegations_page", self.delegations_page, area)
        other_parties = [p for p in area["parties"] if p != self.party]
        if other_parties:
            self.operation("switch_party", self.switch_party, self.random.choice(other_parties))
            area = self.operation("panoramica", self.panoramica)
            if area["products"]:
                product = self.random.choice(area["products"])
                envs = self.operation("environment_choice", self.environment_choice, product)
                env = self.random.choice(envs)
                self.operation("enter_environment", self.enter_environment, product, env)
                self.proxied_requests(product, env)
            self.operation("users_page", self.users_page, area)
            self.operation("delegations_page", self.delegations_page, area)
        self.operation("logout", self.logout)

    # 1. SPID login through the demo IdP.
    def login(self):
        b = self.browser
        page = expect(b.request("GET /login", "GET", self.url("/login")), "GET /login", 200,
                      "Accedi all'Area Riservata")
        chosen = next((href for href, text in parse_page(page.body).links
                       if "/saml/login?idp=" in href and text == self.args.idp_name), None)
        if chosen is None:
            raise CheckFailed("GET /login: no link to the demo IdP", page.describe())
        start = b.request("GET /saml/login", "GET", urllib.parse.urljoin(page.url, chosen))
        expect(start, "GET /saml/login", 302)
        at_idp = b.request("IdP GET /sso", "GET", location(start, "GET /saml/login"))
        expect(at_idp, "IdP GET /sso", 200, 'id="login-form"')
        forms = [f for f in parse_page(at_idp.body).forms if f.id == "login-form"]
        if not forms:
            raise CheckFailed("IdP GET /sso: no login form", at_idp.describe())
        form = forms[0]
        if self.fiscal_number not in form.radios.get("user", []):
            raise CheckFailed("IdP GET /sso: user not offered",
                              f"{self.fiscal_number} not in {form.radios}")
        if "success" not in form.selects.get("risposta", []):
            raise CheckFailed("IdP GET /sso: no success answer", f"{form.selects}")
        fields = [(k, v) for k, v in form.fields if k not in ("user", "password", "risposta")]
        fields += [("user", self.fiscal_number), ("password", PASSWORD), ("risposta", "success")]
        for name, options in form.selects.items():
            if name != "risposta":
                fields.append((name, options[0] if options else ""))
        answered = b.request("IdP POST /sso/login", "POST",
                             urllib.parse.urljoin(at_idp.url, form.action), form=fields)
        expect(answered, "IdP POST /sso/login", 200, 'id="saml-response-form"')
        posts = [f for f in parse_page(answered.body).forms if f.id == "saml-response-form"]
        acs_form = posts[0]
        acs = b.request("POST /saml/acs", "POST", urllib.parse.urljoin(answered.url, acs_form.action),
                        form=acs_form.fields)
        expect(acs, "POST /saml/acs", 303)
        if not b.cookie(self.varco_port, "varco_session"):
            raise CheckFailed("POST /saml/acs: no session cookie", acs.describe())
        landing = location(acs, "POST /saml/acs")
        if urllib.parse.urlsplit(landing).path != "/area":
            raise CheckFailed("POST /saml/acs: not sent to /area", acs.describe())
        self.party = None

    # 2. The Panoramica: products, parties, CSRF token, navigation.
    def panoramica(self):
        page = expect(self.browser.request("GET /area", "GET", self.url("/area")), "GET /area", 200,
                      "<h1>Panoramica</h1>")
        if self.fiscal_number not in page.body:
            raise CheckFailed("GET /area: not the user's page", page.describe())
        parsed = parse_page(page.body)
        products = re.findall(r'id="active".*?(?=id="available"|</main>)', page.body, re.S)
        product_ids = re.findall(r'data-product="([^"]+)"', products[0]) if products else []
        parties, selected = [], None
        for f in parsed.forms:
            if f.action == "/area/party":
                party = dict(f.fields).get("party")
                parties.append(party)
                if any("aria-current" in attrs for _, _, attrs in f.buttons):
                    selected = party
        csrf = [dict(f.fields).get("csrf") for f in parsed.forms if f.action == "/logout"]
        if not csrf or not csrf[0]:
            raise CheckFailed("GET /area: no logout form with a CSRF token", page.describe())
        if self.party is not None and selected != self.party:
            raise CheckFailed("GET /area: wrong party selected",
                              f"selected {selected}, expected {self.party}\n{page.describe()}")
        self.csrf = csrf[0]
        self.party = selected
        links = {href for href, _ in parsed.links}
        return {"response": page, "products": product_ids, "parties": parties,
                "admin": "/area/users" in links, "partner": "/area/delegations" in links}

    # 3. Gestisci → the environment choice: the proxied environments this user may enter.
    def environment_choice(self, product):
        label = "GET /area/environment"
        page = expect(self.browser.request(label, "GET", self.url(
            "/area/environment?product=" + urllib.parse.quote(product))), label, 200,
            'id="environments"')
        envs = []
        for f in parse_page(page.body).forms:
            fields = dict(f.fields)
            if f.action != "/area/environment" or fields.get("product") != product:
                continue
            enterable = [t for t, disabled, attrs in f.buttons
                         if not disabled and "-external" not in attrs.get("aria-describedby", "")]
            if enterable:  # redirect-mode environments (outside varco) are left out
                envs.append(fields)
        if not envs:
            raise CheckFailed(f"{label}: no proxied environment to enter", page.describe())
        return envs

    def enter_environment(self, product, env):
        label = "POST /area/environment"
        chosen = self.browser.request(label, "POST", self.url("/area/environment"), form=env)
        expect(chosen, label, 303)
        target = location(chosen, label)
        portal = self.browser.request("GET proxied", "GET", target)
        self.check_portal(portal, "GET proxied (first)", env["environment"], html=True)

    def switch_environment(self, product, env):
        self.environment_choice(product)  # the page a user goes back through
        self.enter_environment(product, env)

    def check_portal(self, response, label, environment, html=False):
        """The demo portal of `environment` answered, with a verified token for this user."""
        if html:  # the page the environment choice lands on
            expect(response, label, 200, "firma verificata")
            if f"<header class='{environment}'>" not in response.body:
                raise CheckFailed(f"{label}: wrong environment", response.describe())
            return
        expect(response, label, 200)
        try:
            document = json.loads(response.body)
        except ValueError:
            raise CheckFailed(f"{label}: not JSON", response.describe()) from None
        portal = document.get("portal", {})
        token = document.get("token") or {}
        claims = token.get("claims") or {}
        organization = claims.get("organization") or {}
        if portal.get("environment") != environment or claims.get("environment") != environment:
            raise CheckFailed(f"{label}: wrong environment",
                              f"portal {portal.get('environment')!r}, claim "
                              f"{claims.get('environment')!r}, want {environment!r}\n"
                              + response.describe())
        problems = []
        if not (token.get("signature") or {}).get("valid"):
            problems.append(f"token signature not valid: {token.get('signature')}")
        if claims.get("fiscal_number") != self.fiscal_number:
            problems.append(f"fiscal_number {claims.get('fiscal_number')!r}")
        if organization.get("id") != self.party:
            problems.append(f"organization.id {organization.get('id')!r} != {self.party!r}")
        if problems:
            raise CheckFailed(f"{label}: bad identity token",
                              "; ".join(problems) + "\n" + response.describe())

    def proxied_requests(self, product, env):
        prefix = {"prod-pagopa": "/pagopa", "prod-io": "/io"}.get(product)
        if prefix is None:
            raise CheckFailed("proxied: unknown product", product)
        for i in range(self.args.requests):
            path = f"{prefix}/soak/{i}?n={self.random.randrange(1_000_000)}"
            start = time.monotonic()
            response = self.browser.request("GET proxied", "GET", self.url(path),
                                            headers={"Accept": "application/json"})
            self.check_portal(response, "GET proxied", env["environment"])
            self.stats.record_operation("proxied_request", time.monotonic() - start)

    # 5. Utenti and I tuoi enti.
    def users_page(self, area):
        label = "GET /area/users"
        response = self.browser.request(label, "GET", self.url("/area/users"))
        if area["admin"]:
            expect(response, label, 200, 'id="members"')
            if self.fiscal_number not in response.body:
                raise CheckFailed(f"{label}: the user is not listed", response.describe())
        else:
            expect(response, label, 403)

    def delegations_page(self, area):
        label = "GET /area/delegations"
        response = self.browser.request(label, "GET", self.url("/area/delegations"))
        expect(response, label, 200,
               'id="delegations"' if area["partner"] else 'id="not-a-partner"')

    # 6. Another party.
    def switch_party(self, party):
        label = "POST /area/party"
        response = self.browser.request(label, "POST", self.url("/area/party"),
                                        form=[("csrf", self.csrf), ("party", party)])
        expect(response, label, 303)
        self.party = party

    # 7. Esci: SP-initiated SLO through the IdP; then the old cookie must be refused.
    def logout(self):
        b = self.browser
        old_session = b.cookie(self.varco_port, "varco_session")
        response = b.request("POST /logout", "POST", self.url("/logout"), form=[("csrf", self.csrf)])
        expect(response, "POST /logout", 302)
        if b.cookie(self.varco_port, "varco_session"):
            raise CheckFailed("POST /logout: session cookie not expired", response.describe())
        at_idp = b.request("IdP GET /slo", "GET", location(response, "POST /logout"))
        expect(at_idp, "IdP GET /slo", 302)
        back = b.request("GET /saml/slo", "GET", location(at_idp, "IdP GET /slo"))
        expect(back, "GET /saml/slo", (200, 303))
        if back.status == 303:
            back = b.request("GET logged-out page", "GET", location(back, "GET /saml/slo"))
        expect(back, "GET /saml/slo", 200, 'id="logged-out"')
        if "Anche il gestore di identità ha chiuso la sessione" not in back.body:
            raise CheckFailed("GET /saml/slo: IdP logout not confirmed", back.describe())
        # The ended session, replayed, must not reach a product.
        b.set_cookie(self.varco_port, "varco_session", old_session)
        replay = b.request("GET proxied (ended session)", "GET", self.url("/pagopa/"))
        expect(replay, "GET proxied (ended session)", 302)
        if "/login" not in (replay.header("Location") or ""):
            raise CheckFailed("GET proxied (ended session): not sent to /login", replay.describe())
        b.forget_cookies()
        self.csrf = None
        self.party = None


# --- varco process sampling -------------------------------------------------------------------


def read_process(pid):
    """(RSS KiB, open fds, threads) of pid, or None when it is gone."""
    try:
        rss = threads = None
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("Threads:"):
                    threads = int(line.split()[1])
        fds = len(os.listdir(f"/proc/{pid}/fd"))
        return rss, fds, threads
    except (OSError, ValueError):
        return None


def cpu_seconds(pid):
    """User + system CPU time of pid so far, in seconds (None when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def tcp_sockets():
    """inode → (local port, remote port, state) of every TCP socket on this host (IPv4 and IPv6)."""
    table = {}
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    cols = line.split()
                    local, remote, state, inode = cols[1], cols[2], cols[3], cols[9]
                    table[inode] = (int(local.rsplit(":", 1)[1], 16), int(remote.rsplit(":", 1)[1], 16),
                                    TCP_STATES.get(state, state))
        except OSError:
            pass
    return table


TCP_STATES = {"01": "ESTABLISHED", "06": "TIME_WAIT", "08": "CLOSE_WAIT", "0A": "LISTEN",
              "04": "FIN_WAIT1", "05": "FIN_WAIT2", "09": "LAST_ACK", "0B": "CLOSING"}


def fd_breakdown(pid, port_names, own_port):
    """varco's open descriptors by what they are: TCP sockets by peer (named ports) and state,
    other sockets, pipes, anon inodes (eventfd, epoll, timerfd), files."""
    try:
        links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
    except OSError:
        return {}
    tcp = tcp_sockets()
    kinds = {}
    for link in links:
        m = re.fullmatch(r"socket:\[(\d+)\]", link)
        if m and m.group(1) in tcp:
            local, remote, state = tcp[m.group(1)]
            if state == "LISTEN":
                kind = "tcp listen"
            elif local == own_port:
                kind = f"tcp from clients {state}"
            else:
                kind = f"tcp to {port_names.get(remote, remote)} {state}"
        elif m:
            kind = "socket (other)"
        elif link.startswith("pipe:"):
            kind = "pipe"
        elif link.startswith("anon_inode:"):
            kind = link
        else:
            kind = "file " + (link if "/audit/" not in link else "(audit log)")
        kinds[kind] = kinds.get(kind, 0) + 1
    return dict(sorted(kinds.items()))


class Sampler(threading.Thread):
    def __init__(self, pid, interval, t0):
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.t0 = t0
        self.samples = []  # (seconds since start, rss KiB, fds, threads)
        self.halt = threading.Event()
        self.lock = threading.Lock()
        self.gone = False

    def sample(self):
        values = read_process(self.pid)
        if values is None:
            self.gone = True
            return None
        with self.lock:
            self.samples.append((round(time.monotonic() - self.t0, 1), *values))
        return values

    def run(self):
        while not self.halt.is_set():
            self.sample()
            self.halt.wait(self.interval)


def slope_per_minute(points):
    """Least-squares slope of (seconds, value) in value per minute; None with < 3 points."""
    if len(points) < 3:
        return None
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    if den == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den * 60


# --- side information ----------------------------------------------------------------------------


class Resp:
    """Just enough of the Redis protocol for INFO, DBSIZE and SCAN (no client library needed)."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.file = self.sock.makefile("rb")

    def close(self):
        self.file.close()
        self.sock.close()

    def call(self, *words):
        out = f"*{len(words)}\r\n".encode()
        for w in words:
            b = str(w).encode()
            out += f"${len(b)}\r\n".encode() + b + b"\r\n"
        self.sock.sendall(out)
        return self._reply()

    def _reply(self):
        line = self.file.readline().rstrip(b"\r\n")
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise OSError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            return None if n < 0 else self.file.read(n + 2)[:-2].decode("utf-8", "replace")
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self._reply() for _ in range(n)]
        raise OSError(f"unexpected reply {line!r}")


def key_family(key):
    """varco:s:abc… → varco:s:*; the parts that name a kind of key, not one key."""
    parts = key.split(":")
    kept = []
    for part in parts[:-1] if len(parts) > 1 else parts:
        if len(part) >= 16 or re.fullmatch(r"[0-9a-f-]{16,}|\d+", part):
            break
        kept.append(part)
    return ":".join(kept) + ":*" if len(kept) < len(parts) else key


def redis_info(port):
    """A few fields of Redis INFO, the key count and the keys grouped by family."""
    if not port:
        return {}
    try:
        r = Resp(port)
        try:
            info = dict(line.split(":", 1) for line in r.call("INFO").splitlines() if ":" in line)
            families, examples, cursor = {}, {}, "0"
            while True:
                cursor, keys = r.call("SCAN", cursor, "COUNT", 1000)
                for key in keys:
                    family = key_family(key)
                    families[family] = families.get(family, 0) + 1
                    examples.setdefault(family, key)
                if cursor == "0":
                    break
            # One key of each family: its size and remaining lifetime (-1: none, kept forever).
            sampled = {family: {"bytes": r.call("MEMORY", "USAGE", key), "ttl_s": r.call("TTL", key)}
                       for family, key in examples.items()}
            dbsize = r.call("DBSIZE")
        finally:
            r.close()
    except OSError as exc:
        return {"error": repr(exc)}
    return {
        "dbsize": dbsize,
        "keys_by_family": dict(sorted(families.items(), key=lambda kv: -kv[1])),
        "key_sample": sampled,
        "used_memory_human": info.get("used_memory_human"),
        "aof_enabled": info.get("aof_enabled"),
        "aof_last_write_status": info.get("aof_last_write_status"),
        "aof_rewrites": info.get("aof_rewrites"),
        "connected_clients": info.get("connected_clients"),
    }


def log_summary(path):
    """varco's JSON log: messages by level (the first warnings and errors), access lines by status
    class and by reason."""
    if not path:
        return {}
    levels, statuses, reasons, firsts, unparsed = {}, {}, {}, [], 0
    try:
        with open(path, errors="replace") as log:
            for line in log:
                try:
                    entry = json.loads(line)
                except ValueError:
                    unparsed += 1
                    continue
                if "status" in entry and "method" in entry:  # an access log line
                    status = f"{str(entry['status'])[:1]}xx"
                    statuses[status] = statuses.get(status, 0) + 1
                    if entry.get("reason"):
                        key = f"{entry['status']} {entry['reason']}"
                        reasons[key] = reasons.get(key, 0) + 1
                    continue
                level = entry.get("level", "?")
                levels[level] = levels.get(level, 0) + 1
                if level in ("warning", "warn", "error", "critical") and len(firsts) < 10:
                    firsts.append(line.rstrip()[:400])
    except OSError as exc:
        return {"error": repr(exc)}
    return {"messages_by_level": levels, "access_by_status": dict(sorted(statuses.items())),
            "access_reasons": dict(sorted(reasons.items(), key=lambda kv: -kv[1])),
            "unparsed_lines": unparsed, "first_warnings": firsts}


# --- main -------------------------------------------------------------------------------------


def parse_duration(text):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(s|m|h)?", text.strip())
    if not m:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 30s, 5m, 1h)")
    return float(m.group(1)) * {"s": 1, None: 1, "m": 60, "h": 3600}[m.group(2)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True, help="varco's base URL")
    parser.add_argument("--idp-name", default="IdP demo (pysaml2)")
    parser.add_argument("--varco-pid", type=int, required=True)
    parser.add_argument("--duration", type=parse_duration, default=600.0)
    parser.add_argument("--warmup", type=parse_duration, default=None,
                        help="not measured (errors still count); default min(30s, duration/10)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=20, help="proxied requests per environment")
    parser.add_argument("--users", default=",".join(DEFAULT_USERS))
    parser.add_argument("--sample-interval", type=float, default=5.0)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--grace", type=float, default=60.0,
                        help="seconds the users get to finish their iteration after the duration")
    parser.add_argument("--max-fd-growth", type=int, default=64)
    parser.add_argument("--max-rss-growth-mib", type=float, default=64.0)
    parser.add_argument("--print-errors", type=int, default=10)
    parser.add_argument("--redis-port", type=int, default=0)
    parser.add_argument("--port-name", action="append", default=[],
                        help="NAME=PORT: names a peer in the descriptor breakdown")
    parser.add_argument("--varco-log", default="")
    parser.add_argument("--note", action="append", default=[], help="a line for the report")
    parser.add_argument("--json", default="", help="write the report here as JSON")
    args = parser.parse_args()
    if args.warmup is None:
        args.warmup = min(30.0, args.duration / 10)
    users = [u for u in args.users.split(",") if u]

    stats = Stats(args.print_errors)
    stop = threading.Event()
    t0 = time.monotonic()
    sampler = Sampler(args.varco_pid, args.sample_interval, t0)
    port_names = {int(v): k for k, v in (x.split("=", 1) for x in args.port_name)}
    if args.redis_port:
        port_names.setdefault(args.redis_port, "redis")
    own_port = urllib.parse.urlsplit(args.base).port
    breakdowns = {"before_load": fd_breakdown(args.varco_pid, port_names, own_port)}
    before_load = read_process(args.varco_pid)
    if before_load is None:
        print(f"varco (pid {args.varco_pid}) is not running", file=sys.stderr)
        return 2
    sampler.start()
    started_at = datetime.datetime.now(datetime.timezone.utc)
    vusers = [VirtualUser(i, users[i % len(users)], args, stats, stop) for i in range(args.clients)]
    threads = [threading.Thread(target=v.run, name=v.name, daemon=True) for v in vusers]
    for t in threads:
        t.start()

    print(f"soak: {args.clients} virtual users, {args.duration:.0f}s "
          f"(warm-up {args.warmup:.0f}s), varco pid {args.varco_pid}", file=sys.stderr, flush=True)
    stop.wait(args.warmup)
    at_warmup = sampler.sample()
    breakdowns["start"] = fd_breakdown(args.varco_pid, port_names, own_port)
    cpu_start = cpu_seconds(args.varco_pid)
    with stats.lock:
        stats.measuring = True
    measure_start = time.monotonic()
    next_progress = measure_start + 60
    end = t0 + args.duration
    while time.monotonic() < end and not sampler.gone:
        stop.wait(min(5.0, max(0.0, end - time.monotonic())))
        if time.monotonic() >= next_progress:
            next_progress += 60
            last = sampler.samples[-1] if sampler.samples else None
            with stats.lock:
                errors = sum(stats.errors.values())
                done = stats.iterations
            print(f"  {time.monotonic() - t0:5.0f}s: {done} iterations, {errors} errors"
                  + (f", RSS {last[1] / 1024:.1f} MiB, {last[2]} fds" if last else ""),
                  file=sys.stderr, flush=True)
    at_end = sampler.sample()
    breakdowns["end"] = fd_breakdown(args.varco_pid, port_names, own_port)
    cpu_end = cpu_seconds(args.varco_pid)
    with stats.lock:
        stats.measuring = False
    measured = time.monotonic() - measure_start
    stop.set()
    deadline = time.monotonic() + args.grace
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    stuck = [t.name for t in threads if t.is_alive()]
    sampler.halt.set()
    sampler.join()
    # Idle: every driver connection closed; give varco a moment to see the FINs (polled).
    quiet_deadline = time.monotonic() + 10
    after = read_process(args.varco_pid)
    while after is not None and time.monotonic() < quiet_deadline:
        time.sleep(0.5)
        again = read_process(args.varco_pid)
        if again is None or again[1] == after[1]:
            after = again
            break
        after = again
    breakdowns["idle_after"] = fd_breakdown(args.varco_pid, port_names, own_port)

    with stats.lock:
        errors = dict(stats.errors)
        requests = {k: list(v) for k, v in stats.requests.items()}
        operations = {k: list(v) for k, v in stats.operations.items()}
        iterations = stats.iterations
        warmup_errors = stats.errors_in_warmup
    if stuck:
        errors["driver: virtual user did not finish after the duration"] = len(stuck)
    if sampler.gone:
        errors["varco exited during the run"] = 1

    all_requests = [s for v in requests.values() for s in v]
    varco_requests = [s for k, v in requests.items() if not k.startswith("IdP ") for s in v]
    measured_samples = [s for s in sampler.samples if s[0] >= args.warmup]
    rss_values = [s[1] for s in sampler.samples]
    fd_values = [s[2] for s in sampler.samples]
    process = {
        "pid": args.varco_pid,
        "before_load": {"rss_kib": before_load[0], "fds": before_load[1], "threads": before_load[2]},
        "start": ({"rss_kib": at_warmup[0], "fds": at_warmup[1], "threads": at_warmup[2]}
                  if at_warmup else None),
        "end": ({"rss_kib": at_end[0], "fds": at_end[1], "threads": at_end[2]} if at_end else None),
        "idle_after": ({"rss_kib": after[0], "fds": after[1], "threads": after[2]} if after else None),
        "max_rss_kib": max(rss_values) if rss_values else None,
        "max_fds": max(fd_values) if fd_values else None,
        "rss_slope_kib_per_min": slope_per_minute([(s[0], s[1]) for s in measured_samples]),
        "fd_slope_per_min": slope_per_minute([(s[0], s[2]) for s in measured_samples]),
        "fds_by_kind": breakdowns,
        "cpu_seconds_measured": (round(cpu_end - cpu_start, 2)
                                 if cpu_start is not None and cpu_end is not None else None),
        "samples": sampler.samples,
    }
    rss_growth_mib = fd_growth = None
    failures = []
    total_errors = sum(errors.values())
    if total_errors:
        failures.append(f"{total_errors} errors")
    if at_warmup and at_end:
        rss_growth_mib = (at_end[0] - at_warmup[0]) / 1024
        fd_growth = at_end[1] - at_warmup[1]
        if rss_growth_mib > args.max_rss_growth_mib:
            failures.append(f"RSS grew {rss_growth_mib:.1f} MiB (limit {args.max_rss_growth_mib})")
        if fd_growth > args.max_fd_growth:
            failures.append(f"open fds grew by {fd_growth} (limit {args.max_fd_growth})")
        if after and before_load and after[1] - before_load[1] > args.max_fd_growth:
            failures.append(f"idle fds {after[1]} vs {before_load[1]} before the load "
                            f"(limit +{args.max_fd_growth})")
    else:
        failures.append("varco could not be sampled")

    report = {
        "started_at": started_at.isoformat(timespec="seconds"),
        "machine": {
            "cores": os.cpu_count(),
            "cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                         if l.startswith("model name")), platform.machine()),
            "load_average_at_end": os.getloadavg(),
        },
        "settings": {
            "duration_s": args.duration, "warmup_s": args.warmup, "clients": args.clients,
            "proxied_requests_per_environment": args.requests, "users": users,
            "max_fd_growth": args.max_fd_growth, "max_rss_growth_mib": args.max_rss_growth_mib,
        },
        "notes": args.note,
        "measured_s": round(measured, 1),
        "iterations": iterations,
        "iterations_per_second": round(iterations / measured, 3) if measured else 0,
        "requests": {"all": summary(all_requests, measured), "varco": summary(varco_requests, measured)},
        "operations": {k: summary(v, measured) for k, v in sorted(operations.items())},
        "request_kinds": {k: summary(v, measured) for k, v in sorted(requests.items())},
        "errors": {"total": total_errors, "during_warmup": warmup_errors, "by_kind": errors},
        "varco": {**{k: v for k, v in process.items() if k != "samples"},
                  "rss_growth_mib": rss_growth_mib, "fd_growth": fd_growth},
        "varco_samples": process["samples"],
        "redis": redis_info(args.redis_port),
        "varco_log": log_summary(args.varco_log),
        "verdict": "pass" if not failures else "fail",
        "failures": failures,
    }
    print_report(report)
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as out:
            json.dump(report, out, indent=2, ensure_ascii=False)
            out.write("\n")
        print(f"\n(JSON: {args.json})")
    return 0 if not failures else 1


def print_report(r):
    s, v = r["settings"], r["varco"]
    mib = lambda kib: f"{kib / 1024:.1f}" if kib is not None else "?"  # noqa: E731
    print(f"\n# varco soak — {r['started_at']}")
    print(f"{r['machine']['cores']} cores ({r['machine']['cpu']}); load average at the end "
          + ", ".join(f"{x:.2f}" for x in r["machine"]["load_average_at_end"]))
    print(f"{s['clients']} virtual users ({', '.join(s['users'])}), {s['duration_s']:.0f} s "
          f"({s['warmup_s']:.0f} s warm-up not measured), {s['proxied_requests_per_environment']} "
          "proxied requests per environment")
    for note in r["notes"]:
        print(f"note: {note}")
    print(f"\nmeasured {r['measured_s']} s: {r['iterations']} iterations "
          f"({r['iterations_per_second']:.2f}/s, login to logout)")
    for name in ("all", "varco"):
        q = r["requests"][name]
        print(f"requests ({name:5}): {q['count']} ({q['per_second']:.1f}/s), "
              f"p50 {q['p50_ms']} ms, p99 {q['p99_ms']} ms, max {q['max_ms']} ms")
    print("\n| operation | count | per second | p50 (ms) | p99 (ms) | max (ms) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, q in r["operations"].items():
        print(f"| {name} | {q['count']} | {q['per_second']:.2f} | {q['p50_ms']} | {q['p99_ms']} "
              f"| {q['max_ms']} |")
    print("\n| request | count | p50 (ms) | p99 (ms) | max (ms) |")
    print("|---|---:|---:|---:|---:|")
    for name, q in r["request_kinds"].items():
        print(f"| {name} | {q['count']} | {q['p50_ms']} | {q['p99_ms']} | {q['max_ms']} |")
    e = r["errors"]
    print(f"\nerrors: {e['total']} ({e['during_warmup']} during the warm-up)")
    for kind, count in sorted(e["by_kind"].items(), key=lambda kv: -kv[1]):
        print(f"  {count:6d}  {kind}")
    start, end, idle, before = v["start"] or {}, v["end"] or {}, v["idle_after"] or {}, v["before_load"]
    print(f"\nvarco RSS (MiB): before load {mib(before.get('rss_kib'))}, start (after warm-up) "
          f"{mib(start.get('rss_kib'))}, end {mib(end.get('rss_kib'))}, max {mib(v['max_rss_kib'])}, "
          f"idle after {mib(idle.get('rss_kib'))}; growth "
          + (f"{v['rss_growth_mib']:+.1f} MiB" if v["rss_growth_mib"] is not None else "?")
          + (f", trend {v['rss_slope_kib_per_min'] / 1024:+.2f} MiB/min"
             if v["rss_slope_kib_per_min"] is not None else ""))
    print(f"varco open fds: before load {before.get('fds')}, start {start.get('fds')}, "
          f"end {end.get('fds')}, max {v['max_fds']}, idle after {idle.get('fds')}; growth "
          + (f"{v['fd_growth']:+d}" if v["fd_growth"] is not None else "?")
          + (f", trend {v['fd_slope_per_min']:+.2f}/min" if v["fd_slope_per_min"] is not None else ""))
    print(f"varco threads: start {start.get('threads')}, end {end.get('threads')}")
    if v.get("cpu_seconds_measured") is not None and r["measured_s"]:
        q = r["requests"]["varco"]
        print(f"varco CPU while measured: {v['cpu_seconds_measured']} s "
              f"({100 * v['cpu_seconds_measured'] / r['measured_s']:.1f} % of one core)"
              + (f", {1e6 * v['cpu_seconds_measured'] / q['count']:.0f} µs per varco request"
                 if q["count"] else ""))
    kinds = sorted({k for b in v["fds_by_kind"].values() for k in b})
    if kinds:
        phases = list(v["fds_by_kind"])
        print("\n| varco fds by kind | " + " | ".join(p.replace("_", " ") for p in phases) + " |")
        print("|---|" + "---:|" * len(phases))
        for k in kinds:
            print(f"| {k} | " + " | ".join(str(v["fds_by_kind"][p].get(k, 0)) for p in phases) + " |")
    if r["redis"]:
        print("redis after the run: " + ", ".join(f"{k} {val}" for k, val in r["redis"].items()
                                                   if k not in ("keys_by_family", "key_sample")))
        if r["redis"].get("keys_by_family"):
            sample = r["redis"].get("key_sample", {})
            print("  keys: " + ", ".join(
                f"{k} {n}" + (f" (one: {sample[k]['bytes']} bytes, TTL {sample[k]['ttl_s']} s)"
                              if k in sample else "")
                for k, n in r["redis"]["keys_by_family"].items()))
    log = r["varco_log"]
    if log.get("messages_by_level") is not None:
        print("varco log: messages " + ", ".join(f"{k} {n}" for k, n in sorted(log["messages_by_level"].items()))
              + "; access lines " + ", ".join(f"{k} {n}" for k, n in log["access_by_status"].items())
              + (f"; {log['unparsed_lines']} lines not JSON" if log["unparsed_lines"] else ""))
        if log["access_reasons"]:
            print("  access reasons: " + ", ".join(f"{k} ×{n}" for k, n in log["access_reasons"].items()))
        for line in log.get("first_warnings", []):
            print(f"  {line}")
    print(f"\nverdict: {r['verdict'].upper()}" + (f" — {'; '.join(r['failures'])}" if r["failures"] else ""))


if __name__ == "__main__":
    sys.exit(main())
