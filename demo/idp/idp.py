#!/usr/bin/python3
"""varco demo SPID Identity Provider (DEMO/TEST ONLY).

    idp.py metadata --base-url URL [--base-url URL2 ...] [--key K] [--cert C] --out FILE
    idp.py serve --port PORT [--base-url URL] [--key K] [--cert C] --sp-metadata PATH_OR_URL
                 [--sp-metadata ...] [--users FILE] [--ready-file F] [--metadata-out FILE]

Run it with Debian's /usr/bin/python3 (it needs python3-pysaml2 and the xmlsec1 binary).
entityID = <base URL>/metadata unless --entity-id is given.  See demo/idp/README.md.
"""

import argparse
import base64
import html
import json
import logging
import os
import secrets
import signal
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spid_saml as S  # noqa: E402

# pysaml2 logs xmlsec1's stderr at ERROR level for every signature that does not verify; the
# IdP reports the reason itself ("refused ..."), so keep pysaml2 quiet.
logging.getLogger("saml2").setLevel(logging.CRITICAL)

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_KEY = os.path.join(HERE, "demo-idp-key.pem")
DEFAULT_CERT = os.path.join(HERE, "demo-idp-cert.pem")
DEFAULT_USERS = os.path.join(HERE, "users.json")
PASSWORD = "password"            # every demo user
PENDING_TTL = 30 * 60            # seconds an AuthnRequest waits for the login form
MAX_BODY = 1024 * 1024


def log(msg):
    sys.stderr.write("%s idp: %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


def default_entity_id(base_url):
    return base_url.rstrip("/") + "/metadata"


def load_users(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    users = data["users"] if isinstance(data, dict) else data
    out = {}
    for u in users:
        for k in ("fiscalNumber", "spidCode", "name", "familyName", "email"):
            if not u.get(k):
                raise ValueError("user %r lacks %s" % (u, k))
        cf = u["fiscalNumber"].upper()
        if cf.startswith("TINIT-"):
            cf = cf[6:]
        if cf in out:
            raise ValueError("duplicate fiscalNumber %s" % cf)
        u = dict(u, fiscalNumber=cf)
        out[cf] = u
    if not out:
        raise ValueError("no users in %s" % path)
    return out


# --------------------------------------------------------------------------------------------
# HTML

PAGE_CSS = """body{font-family:system-ui,sans-serif;max-width:46em;margin:2em auto;padding:0 1em;
color:#17324d}h1{font-size:1.4em}.box{border:1px solid #c5c7c9;border-radius:6px;padding:1em;
margin:1em 0}.err{color:#a61919;font-weight:bold}.warn{color:#8a5a00}label{display:block;
margin:.3em 0}small{color:#5c6f82}button{background:#0066cc;color:#fff;border:0;padding:.6em 1.4em;
border-radius:4px;font-size:1em}code{font-size:.9em}"""


def page(title, body, status=200):
    doc = ("<!doctype html>\n<html lang=\"it\"><head><meta charset=\"utf-8\">"
           "<title>%s</title><style>%s</style></head><body>\n"
           "<p><small>varco demo SPID IdP &mdash; solo per test, non usare in produzione"
           "</small></p>\n<h1>%s</h1>\n%s\n</body></html>\n"
           % (html.escape(title), PAGE_CSS, html.escape(title), body))
    return status, {"Content-Type": "text/html; charset=utf-8"}, doc.encode("utf-8")


def error_page(reason, status=400):
    return page("Richiesta SAML non valida",
                "<p class=\"err\" id=\"error\">%s</p>" % html.escape(reason), status)


def auto_post_page(action, fields, form_id, title):
    inputs = "".join('<input type="hidden" name="%s" value="%s">\n'
                     % (html.escape(k), html.escape(v)) for k, v in fields if v is not None)
    body = ('<form id="%s" method="post" action="%s">\n%s'
            '<noscript><p>JavaScript non attivo: premi il pulsante per continuare.</p>'
            '<button type="submit">Continua</button></noscript>\n</form>\n'
            '<script>document.getElementById("%s").submit();</script>'
            % (form_id, html.escape(action), inputs, form_id))
    return page(title, body)


# --------------------------------------------------------------------------------------------
# The IdP

class IdP:
    def __init__(self, base_url, entity_id, keys, users, sp_sources, name):
        self.base_url = base_url.rstrip("/")
        self.entity_id = entity_id
        self.sso_url = self.base_url + "/sso"
        self.slo_url = self.base_url + "/slo"
        self.keys = keys
        self.users = users
        self.sps = S.SPRegistry(sp_sources, log)
        self.cert_files = S.CertFiles()
        self.lock = threading.Lock()
        self.pending = {}      # form key -> pending AuthnRequest
        self.sessions = []     # logged-in sessions, oldest first
        self.logouts = {}      # IdP-initiated LogoutRequest ID -> info
        self.name = name
        self.metadata_xml = S.idp_metadata(entity_id, self.base_url, keys, name)

    # ---- helpers --------------------------------------------------------------------------

    def _sp_for(self, root):
        issuer = S.text_of(root.find(S.q(S.NS_SAML, "Issuer")))
        if not issuer:
            raise S.SamlError("the message has no saml:Issuer")
        sp = self.sps.get(issuer)
        if sp is None:
            raise S.SamlError("unknown SP %s (not in the SP metadata %s)"
                              % (issuer, ", ".join(s.where for s in self.sps.sources)))
        return sp

    def _decode_redirect(self, raw_query, param):
        raw = S.split_raw_query(raw_query)
        if param not in raw:
            raise S.SamlError("no %s parameter" % param)
        xml = S.inflate_b64(urllib.parse.unquote_plus(raw[param]))
        root = S.parse_xml(xml)
        relay = (urllib.parse.unquote_plus(raw["RelayState"]) if "RelayState" in raw else None)
        return raw, xml, root, relay

    def _decode_post(self, form, param):
        value = form.get(param)
        if not value:
            raise S.SamlError("no %s field" % param)
        try:
            xml = base64.b64decode(value, validate=False)
        except ValueError:
            raise S.SamlError("%s is not base64" % param)
        return xml, S.parse_xml(xml), form.get("RelayState")

    def _check_destination(self, root, expected, required=True):
        dest = root.get("Destination")
        if dest is None:
            if required:
                raise S.SamlError("Destination missing (expected %s)" % expected)
            return
        if dest != expected:
            raise S.SamlError("Destination %s is not this IdP's endpoint %s" % (dest, expected))

    def _check_common(self, root, local_name):
        if root.tag != S.q(S.NS_SAMLP, local_name):
            raise S.SamlError("expected samlp:%s, got %s" % (local_name, root.tag))
        if root.get("Version") != "2.0":
            raise S.SamlError("Version must be 2.0")
        if not root.get("ID"):
            raise S.SamlError("ID missing")
        if S.parse_instant(root.get("IssueInstant")) is None:
            raise S.SamlError("IssueInstant missing or malformed: %r" % root.get("IssueInstant"))

    # ---- SSO -------------------------------------------------------------------------------

    def sso_redirect(self, raw_query):
        raw, xml, root, relay = self._decode_redirect(raw_query, "SAMLRequest")
        sp = self._sp_for(root)
        S.verify_query_signature(raw, "SAMLRequest", sp.certs, log)
        warnings = []
        if root.find(S.q(S.NS_DS, "Signature")) is not None:
            warnings.append("HTTP-Redirect AuthnRequest also carries an XML signature")
        return self._authn_request(root, sp, relay, "HTTP-Redirect", warnings)

    def sso_post(self, form):
        xml, root, relay = self._decode_post(form, "SAMLRequest")
        sp = self._sp_for(root)
        S.verify_xml_signature(xml, root, sp.certs, self.cert_files, self.keys.xmlsec)
        warnings = []
        children = [c.tag for c in root]
        if len(children) < 2 or children[1] != S.q(S.NS_DS, "Signature"):
            warnings.append("ds:Signature is not right after saml:Issuer")
        return self._authn_request(root, sp, relay, "HTTP-POST", warnings)

    def _authn_request(self, root, sp, relay, binding, warnings):
        self._check_common(root, "AuthnRequest")
        self._check_destination(root, self.sso_url)
        # Where the Response goes.
        idx = root.get("AssertionConsumerServiceIndex")
        url = root.get("AssertionConsumerServiceURL")
        if idx is not None:
            if not idx.strip().isdigit():
                raise S.SamlError("AssertionConsumerServiceIndex %r is not a number" % idx)
            acs = sp.acs_by_index(int(idx))
            if acs is None:
                raise S.SamlError("AssertionConsumerServiceIndex %s not in the SP metadata" % idx)
            if url is not None:
                warnings.append("both AssertionConsumerServiceIndex and "
                                "AssertionConsumerServiceURL are present")
        elif url is not None:
            acs = sp.acs_by_url(url)
            if acs is None:
                raise S.SamlError("AssertionConsumerServiceURL %s not in the SP metadata" % url)
            pb = root.get("ProtocolBinding")
            if pb is not None and pb != S.BINDING_POST:
                raise S.SamlError("ProtocolBinding %s not supported (HTTP-POST only)" % pb)
        else:
            acs = sp.default_acs()
            if acs is None:
                raise S.SamlError("the SP metadata has no HTTP-POST AssertionConsumerService")
        if acs["binding"] != S.BINDING_POST:
            raise S.SamlError("the AssertionConsumerService is not HTTP-POST")
        # Which attributes.
        aidx = root.get("AttributeConsumingServiceIndex")
        if aidx is not None and not aidx.strip().isdigit():
            raise S.SamlError("AttributeConsumingServiceIndex %r is not a number" % aidx)
        attributes = sp.requested_attributes(int(aidx) if aidx is not None else None)
        if attributes is None:
            raise S.SamlError("AttributeConsumingServiceIndex %s not in the SP metadata" % aidx)
        if aidx is None:
            warnings.append("AttributeConsumingServiceIndex missing (default service used)")
        # Which level.
        level, comparison = 2, None
        rac = root.find(S.q(S.NS_SAMLP, "RequestedAuthnContext"))
        if rac is None:
            warnings.append("RequestedAuthnContext missing (SpidL2 assumed)")
        else:
            comparison = rac.get("Comparison", "exact")
            refs = [S.text_of(r) for r in rac.findall(S.q(S.NS_SAML, "AuthnContextClassRef"))]
            spid = [S.LEVEL_OF[r] for r in refs if r in S.LEVEL_OF]
            if len(refs) != 1 or not spid:
                warnings.append("RequestedAuthnContext should hold exactly one SPID level, "
                                "got %s" % refs)
            if spid:
                level = spid[0]
                if comparison == "better":
                    level = min(level + 1, 3)
        # SPID profile details: reported, not enforced.
        if level >= 2 and root.get("ForceAuthn") != "true":
            warnings.append("ForceAuthn=\"true\" missing at SpidL%d" % level)
        if root.get("IsPassive") is not None:
            warnings.append("IsPassive present")
        issuer = root.find(S.q(S.NS_SAML, "Issuer"))
        if issuer.get("Format") != S.NAMEID_ENTITY:
            warnings.append("saml:Issuer Format is not %s" % S.NAMEID_ENTITY)
        if issuer.get("NameQualifier") != sp.entity_id:
            warnings.append("saml:Issuer NameQualifier is not the SP entityID")
        nip = root.find(S.q(S.NS_SAMLP, "NameIDPolicy"))
        if nip is None or nip.get("Format") != S.NAMEID_TRANSIENT:
            warnings.append("NameIDPolicy Format is not transient")
        elif nip.get("AllowCreate") is not None:
            warnings.append("NameIDPolicy has AllowCreate")
        if relay is None:
            warnings.append("RelayState missing")
        for w in warnings:
            log("warning: AuthnRequest %s from %s: %s" % (root.get("ID"), sp.entity_id, w))
        pending = {
            "request_id": root.get("ID"),
            "issue_instant": root.get("IssueInstant"),
            "sp": sp.entity_id,
            "acs": acs["location"],
            "relay_state": relay,
            "attributes": attributes,
            "level": level,
            "comparison": comparison,
            "binding": binding,
            "warnings": warnings,
            "created": time.monotonic(),
        }
        key = secrets.token_urlsafe(24)
        with self.lock:
            now = time.monotonic()
            for k in [k for k, p in self.pending.items() if now - p["created"] > PENDING_TTL]:
                del self.pending[k]
            self.pending[key] = pending
        log("AuthnRequest %s from %s via %s: SpidL%d, ACS %s, attributes %s"
            % (pending["request_id"], sp.entity_id, binding, level, acs["location"],
               ",".join(attributes)))
        return self.login_form(key, pending)

    def login_form(self, key, p, error=None, selected=None):
        users = []
        for i, (cf, u) in enumerate(self.users.items()):
            checked = " checked" if (selected == cf or (selected is None and i == 0)) else ""
            users.append('<label><input type="radio" name="user" value="%s"%s> '
                         '%s %s &mdash; <code>%s</code> <small>%s</small></label>'
                         % (html.escape(cf), checked, html.escape(u["name"]),
                            html.escape(u["familyName"]), html.escape(cf),
                            html.escape(u.get("directory", ""))))
        options = ['<option value="success" selected>Autenticazione riuscita</option>']
        options += ['<option value="%s">Anomalia %s &mdash; %s</option>'
                    % (c, c, html.escape(t)) for c, t in S.ANOMALIES.items()]
        levels = ['<option value="" selected>come richiesto (SpidL%d)</option>' % p["level"]]
        levels += ['<option value="%d">SpidL%d</option>' % (n, n) for n in (1, 2, 3)]
        warn = ""
        if p["warnings"]:
            warn = ('<div class="box warn"><b>Avvisi sulla richiesta</b> (non bloccanti):<ul>%s'
                    '</ul></div>' % "".join("<li>%s</li>" % html.escape(w)
                                            for w in p["warnings"]))
        body = """<div class="box"><small>Richiesta <code>%s</code> da <code>%s</code>
(%s), livello SpidL%d, attributi: %s</small></div>
%s%s
<form id="login-form" method="post" action="/sso/login">
<input type="hidden" name="key" value="%s">
<fieldset><legend>Utente</legend>%s</fieldset>
<label>Password <small>(per tutti: <code>password</code>)</small>
<input type="password" name="password" autocomplete="off"></label>
<label>Risposta <select name="risposta">%s</select></label>
<label>Livello inviato <select name="level">%s</select></label>
<p><button type="submit">Entra con SPID</button></p>
</form>""" % (html.escape(p["request_id"]), html.escape(p["sp"]), html.escape(p["binding"]),
              p["level"], html.escape(", ".join(p["attributes"])), warn,
              ('<p class="err" id="error">%s</p>' % html.escape(error)) if error else "",
              html.escape(key), "\n".join(users), "".join(options), "".join(levels))
        return page("Accedi con SPID: %s" % self.name, body)

    def login(self, form):
        key = form.get("key", "")
        with self.lock:
            p = self.pending.get(key)
        if p is None:
            return error_page("richiesta di autenticazione sconosciuta, scaduta o già usata")
        choice = form.get("risposta", "success")
        cf = (form.get("user") or "").upper()
        if choice != "success" and choice not in S.ANOMALIES:
            return error_page("risposta %r sconosciuta" % choice)
        user = self.users.get(cf)
        if choice == "success":
            if user is None:
                return self.login_form(key, p, error="Seleziona un utente.")
            if form.get("password") != PASSWORD:
                log("wrong password for %s" % cf)
                return self.login_form(key, p, error="Credenziali errate, riprova.", selected=cf)
        with self.lock:
            if self.pending.pop(key, None) is None:
                return error_page("richiesta di autenticazione già usata")
        if choice != "success":
            xml = S.build_authn_response(self.keys, self.entity_id, p["sp"], p["acs"],
                                         p["request_id"], p["issue_instant"], anomaly=choice)
            log("Response to %s: anomaly ErrorCode %s" % (p["request_id"], choice))
        else:
            level = p["level"]
            if form.get("level") in ("1", "2", "3"):
                level = int(form["level"])
            name_id, session_index = S.new_id(), S.new_id()
            xml = S.build_authn_response(
                self.keys, self.entity_id, p["sp"], p["acs"], p["request_id"],
                p["issue_instant"], user=user, attributes=p["attributes"], level=level,
                name_id=name_id, session_index=session_index)
            with self.lock:
                self.sessions.append({
                    "user": cf, "name": user["name"], "familyName": user["familyName"],
                    "sp": p["sp"], "name_id": name_id, "session_index": session_index,
                    "level": "SpidL%d" % level, "authn_instant": S.instant(S.utcnow()),
                })
            log("Response to %s: %s logged in at SpidL%d (NameID %s)"
                % (p["request_id"], cf, level, name_id))
        return auto_post_page(p["acs"], [("SAMLResponse", S.b64(xml)),
                                         ("RelayState", p["relay_state"])],
                              "saml-response-form", "Ritorno al fornitore del servizio")

    # ---- SLO -------------------------------------------------------------------------------

    def slo(self, method, raw_query, form):
        if method == "GET":
            raw = S.split_raw_query(raw_query)
            param = "SAMLRequest" if "SAMLRequest" in raw else "SAMLResponse"
            raw, xml, root, relay = self._decode_redirect(raw_query, param)
            sp = self._sp_for(root)
            S.verify_query_signature(raw, param, sp.certs, log)
        else:
            param = "SAMLRequest" if form.get("SAMLRequest") else "SAMLResponse"
            xml, root, relay = self._decode_post(form, param)
            sp = self._sp_for(root)
            S.verify_xml_signature(xml, root, sp.certs, self.cert_files, self.keys.xmlsec)
        if param == "SAMLRequest":
            return self._logout_request(root, sp, relay)
        return self._logout_response(root, sp)

    def _logout_request(self, root, sp, relay):
        self._check_common(root, "LogoutRequest")
        self._check_destination(root, self.slo_url)
        name_id = S.text_of(root.find(S.q(S.NS_SAML, "NameID")))
        if not name_id:
            raise S.SamlError("LogoutRequest without NameID")
        indexes = {S.text_of(e) for e in root.findall(S.q(S.NS_SAMLP, "SessionIndex"))}
        with self.lock:
            gone = [s for s in self.sessions if s["sp"] == sp.entity_id
                    and s["name_id"] == name_id
                    and (not indexes or s["session_index"] in indexes)]
            self.sessions = [s for s in self.sessions if s not in gone]
        log("LogoutRequest %s from %s: NameID %s, %d session(s) ended"
            % (root.get("ID"), sp.entity_id, name_id, len(gone)))
        ep = sp.slo_endpoint()
        if ep is None:
            raise S.SamlError("the SP metadata has no SingleLogoutService")
        dest = ep["response_location"] or ep["location"]
        if ep["binding"] == S.BINDING_REDIRECT:
            xml = S.build_logout_response(self.keys, self.entity_id, dest, root.get("ID"),
                                          sign_xml=False)
            return 302, {"Location": S.redirect_url(self.keys, dest, "SAMLResponse", xml, relay),
                         "Content-Type": "text/plain"}, b"redirecting\n"
        xml = S.build_logout_response(self.keys, self.entity_id, dest, root.get("ID"),
                                      sign_xml=True)
        return auto_post_page(dest, [("SAMLResponse", S.b64(xml)), ("RelayState", relay)],
                              "saml-response-form", "Uscita in corso")

    def _logout_response(self, root, sp):
        self._check_common(root, "LogoutResponse")
        self._check_destination(root, self.slo_url)
        irt = root.get("InResponseTo")
        with self.lock:
            info = self.logouts.pop(irt, None)
        if info is None or info["sp"] != sp.entity_id:
            raise S.SamlError("LogoutResponse InResponseTo %r matches no pending LogoutRequest"
                              % irt)
        code = root.find("./%s/%s" % (S.q(S.NS_SAMLP, "Status"), S.q(S.NS_SAMLP, "StatusCode")))
        status = code.get("Value") if code is not None else None
        log("LogoutResponse %s from %s: %s" % (root.get("ID"), sp.entity_id, status))
        ok = status == S.STATUS_SUCCESS
        body = ('<p id="logout-result" data-status="%s">%s</p><p>Utente <code>%s</code>, '
                'SP <code>%s</code>, stato <code>%s</code>.</p>'
                % ("success" if ok else "failure",
                   "logout completed / uscita completata" if ok else "logout failed",
                   html.escape(info["user"]), html.escape(sp.entity_id), html.escape(str(status))))
        return page("Logout completato" if ok else "Logout non riuscito", body)

    def slo_initiate(self, params):
        cf = (params.get("user") or "").upper()
        want_sp = params.get("sp")
        with self.lock:
            cands = [s for s in self.sessions
                     if s["user"] == cf and (not want_sp or s["sp"] == want_sp)]
            sess = cands[-1] if cands else None
        if sess is None:
            return error_page("nessuna sessione attiva per %s" % (cf or "(user mancante)"), 404)
        sp = self.sps.get(sess["sp"])
        if sp is None:
            return error_page("SP %s non più nei metadata" % sess["sp"])
        post = params.get("binding", "").lower() == "post"
        ep = sp.slo_endpoint(prefer=S.BINDING_POST if post else S.BINDING_REDIRECT)
        if ep is None:
            return error_page("lo SP %s non ha SingleLogoutService" % sp.entity_id)
        dest = ep["location"]
        use_post = ep["binding"] == S.BINDING_POST
        rid, xml = S.build_logout_request(self.keys, self.entity_id, dest, sess["name_id"],
                                          sess["session_index"], sign_xml=use_post)
        with self.lock:
            self.sessions = [s for s in self.sessions if s is not sess]
            self.logouts[rid] = {"user": cf, "sp": sp.entity_id, "session": sess}
        log("IdP-initiated LogoutRequest %s to %s for %s (%s)"
            % (rid, sp.entity_id, cf, "POST" if use_post else "Redirect"))
        relay = params.get("RelayState")
        if use_post:
            return auto_post_page(dest, [("SAMLRequest", S.b64(xml)), ("RelayState", relay)],
                                  "saml-request-form", "Uscita in corso")
        return 302, {"Location": S.redirect_url(self.keys, dest, "SAMLRequest", xml, relay),
                     "Content-Type": "text/plain"}, b"redirecting\n"

    # ---- misc ------------------------------------------------------------------------------

    def index(self):
        rows = "".join("<li><code>%s</code> %s %s <small>%s</small> &mdash; "
                       "<a href=\"/slo/initiate?user=%s\">logout avviato dall'IdP</a></li>"
                       % (html.escape(cf), html.escape(u["name"]), html.escape(u["familyName"]),
                          html.escape(u.get("directory", "")), html.escape(cf))
                       for cf, u in self.users.items())
        body = ("<p>entityID <code>%s</code> &mdash; <a href=\"/metadata\">metadata</a> "
                "&middot; <a href=\"/sessions\">sessions</a> &middot; <a href=\"/sp\">SP "
                "metadata caricati</a></p><h2>Utenti</h2><ul>%s</ul>"
                % (html.escape(self.entity_id), rows))
        return page(self.name, body)

    def sessions_json(self):
        with self.lock:
            data = {"entity_id": self.entity_id, "sessions": list(self.sessions)}
        return json_response(data)


def json_response(data, status=200):
    return status, {"Content-Type": "application/json"}, \
        (json.dumps(data, indent=2) + "\n").encode("utf-8")


# --------------------------------------------------------------------------------------------
# HTTP

class Handler(BaseHTTPRequestHandler):
    server_version = "varco-demo-idp/1.0"
    protocol_version = "HTTP/1.1"
    idp = None  # set by serve()
    # Headers and body go out in two writes: with Nagle on, the body waits for the client's
    # delayed ACK of the headers (40 ms per keep-alive response on loopback).
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        msg = fmt % args
        if len(msg) > 240:   # SAML messages in the query: keep the line readable
            msg = msg[:200] + "..." + msg[-30:]
        log("%s %s" % (self.address_string(), msg))

    def _send(self, result):
        status, headers, body = result
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _form(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n > MAX_BODY:
            raise S.SamlError("request body too large")
        data = self.rfile.read(n).decode("utf-8", "replace")
        return {k: v[0] for k, v in urllib.parse.parse_qs(data, keep_blank_values=True).items()}

    def _dispatch(self, method):
        path, _, query = self.path.partition("?")
        idp = self.idp
        try:
            if method == "POST":
                form = self._form()
            else:
                form = {}
            params = {k: v[0] for k, v in urllib.parse.parse_qs(query).items()}
            if path == "/" and method == "GET":
                return idp.index()
            if path == "/metadata" and method == "GET":
                return 200, {"Content-Type": "application/samlmetadata+xml"}, \
                    idp.metadata_xml.encode("utf-8")
            if path == "/sso" and method == "GET":
                return idp.sso_redirect(query)
            if path == "/sso" and method == "POST":
                return idp.sso_post(form)
            if path == "/sso/login" and method == "POST":
                return idp.login(form)
            if path == "/slo" and method in ("GET", "POST"):
                return idp.slo(method, query, form)
            if path == "/slo/initiate" and method == "GET":
                return idp.slo_initiate(params)
            if path == "/sessions" and method == "GET":
                return idp.sessions_json()
            if path == "/users" and method == "GET":
                return json_response({"password": PASSWORD, "users": list(idp.users.values())})
            if path == "/sp" and method == "GET":
                return json_response({k: v.summary() for k, v in idp.sps.all().items()})
            return page("Non trovato", "<p>%s %s</p>" % (method, html.escape(path)), 404)
        except S.SamlError as e:
            log("refused %s %s: %s" % (method, path, e))
            return error_page(str(e))
        except Exception as e:  # a demo: show it rather than hang up
            log("error on %s %s: %r" % (method, path, e))
            return error_page("errore interno: %s" % e, 500)

    def do_GET(self):
        self._send(self._dispatch("GET"))

    def do_POST(self):
        self._send(self._dispatch("POST"))


def write_atomic(path, text):
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def cmd_metadata(a):
    keys = S.KeyPair(a.key, a.cert)
    bases = [b.rstrip("/") for b in a.base_url]
    if a.entity_id and len(bases) > 1:
        sys.exit("--entity-id works with one --base-url only")
    if len(bases) == 1:
        xml = S.idp_metadata(a.entity_id or default_entity_id(bases[0]), bases[0], keys, a.name)
    else:
        xml = S.idp_aggregate([(default_entity_id(b), b, "%s %d" % (a.name, i + 1))
                               for i, b in enumerate(bases)], keys)
    write_atomic(a.out, xml)
    print(a.out)


def cmd_serve(a):
    keys = S.KeyPair(a.key, a.cert)
    users = load_users(a.users)
    server = ThreadingHTTPServer((a.host, a.port), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    base = (a.base_url or "http://127.0.0.1:%d" % port).rstrip("/")
    entity_id = a.entity_id or default_entity_id(base)
    Handler.idp = IdP(base, entity_id, keys, users, a.sp_metadata, a.name)
    if a.metadata_out:
        write_atomic(a.metadata_out, Handler.idp.metadata_xml)
    log("listening on %s:%d, base URL %s, entityID %s, %d users, SP metadata from %s"
        % (a.host, port, base, entity_id, len(users), ", ".join(a.sp_metadata)))
    if a.ready_file:
        write_atomic(a.ready_file, json.dumps({
            "port": port, "base_url": base, "entity_id": entity_id,
            "metadata_url": base + "/metadata", "pid": os.getpid()}) + "\n")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # clean exit: temp files removed
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def main(argv=None):
    ap = argparse.ArgumentParser(description="varco demo SPID IdP (test only)")
    sub = ap.add_subparsers(dest="cmd", required=True)

    def common(p):
        p.add_argument("--key", default=DEFAULT_KEY, help="IdP private key (PEM)")
        p.add_argument("--cert", default=DEFAULT_CERT, help="IdP certificate (PEM)")
        p.add_argument("--entity-id", help="default: <base URL>/metadata")
        p.add_argument("--name", default="varco demo SPID IdP",
                       help="OrganizationName in the metadata, title of the pages")

    m = sub.add_parser("metadata", help="write the IdP metadata")
    m.add_argument("--base-url", required=True, action="append",
                   help="e.g. http://127.0.0.1:8090; repeat it for a signed EntitiesDescriptor "
                        "aggregate of several IdPs (all with the same --key/--cert)")
    m.add_argument("--out", required=True)
    common(m)

    s = sub.add_parser("serve", help="run the IdP")
    s.add_argument("--port", type=int, required=True, help="0 = any free port")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--base-url", help="default: http://127.0.0.1:<port>")
    s.add_argument("--sp-metadata", action="append", required=True,
                   help="SP metadata file or URL (repeatable); loaded lazily, reloaded on change")
    s.add_argument("--users", default=DEFAULT_USERS)
    s.add_argument("--ready-file", help="written (JSON) once listening")
    s.add_argument("--metadata-out", help="also write the IdP metadata here at start")
    common(s)

    a = ap.parse_args(argv)
    if a.cmd == "metadata":
        cmd_metadata(a)
    else:
        cmd_serve(a)


if __name__ == "__main__":
    main()
