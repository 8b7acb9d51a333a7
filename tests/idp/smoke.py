#!/usr/bin/python3
"""Smoke test of the demo SPID IdP (demo/idp/idp.py).

Run with Debian's Python (python3-pysaml2, xmlsec1, openssl, xmllint):

    /usr/bin/python3 tests/idp/smoke.py [-v] [--keep]

Starts two IdPs on free loopback ports (ready files, no sleeps as synchronisation), plays two
SAML Service Providers with pysaml2's Saml2Client (throwaway keys made with the openssl CLI) and
checks what the IdP sends with tools independent of its code (xmlsec1, openssl, xmllint, and
pysaml2 as the SP):

- IdP metadata: XSD-valid offline (saml/schemas), signed, SPID shape; `metadata` command, also
  as a signed EntitiesDescriptor aggregate;
- SP metadata loaded lazily (unknown SP -> 400 before the file exists), reloaded on change, also
  from a URL;
- signed AuthnRequests by HTTP-Redirect and HTTP-POST -> login page -> auto-post Response:
  Response and Assertion signed (rsa-sha256, sha256, exc-c14n, enveloped, after Issuer) and
  verifying with the IdP cert only, Issuer Format entity, NameID transient + NameQualifier,
  SubjectConfirmationData, Audience, Destination/Recipient = the ACS chosen by index or default,
  AuthnContextClassRef as requested (or forced), attributes of the AttributeConsumingService,
  fiscalNumber TINIT-..., XSD-valid; pysaml2 SP accepts it; wrong password; single-use key;
- anomaly nr22: Responder/AuthnFailed, "ErrorCode nr22", no Assertion, signed;
- unsigned requests, tampered ones (an XML attribute, the RelayState), unknown indexes -> 400;
- SLO: SP-initiated by Redirect (signed-query LogoutResponse) and by POST (signed XML
  LogoutResponse), IdP-initiated (signed-query LogoutRequest, the SP's answer -> "logout
  completed", single use), /sessions;
- a second IdP with its own key: its Response verifies with its cert, not with the first's.

Exit status 0 = pass.
"""

import base64
import functools
import html.parser
import http.server
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
import xml.etree.ElementTree as ET
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
IDP_PY = os.path.join(ROOT, "demo", "idp", "idp.py")
IDP_CERT = os.path.join(ROOT, "demo", "idp", "demo-idp-cert.pem")
SCHEMAS = os.path.join(ROOT, "saml", "schemas")

NS = {
    "samlp": "urn:oasis:names:tc:SAML:2.0:protocol",
    "saml": "urn:oasis:names:tc:SAML:2.0:assertion",
    "md": "urn:oasis:names:tc:SAML:2.0:metadata",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
ENTITY = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"
TRANSIENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
BASIC = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"
L = {n: "https://www.spid.gov.it/SpidL%d" % n for n in (1, 2, 3)}

VERBOSE = "-v" in sys.argv
KEEP = "--keep" in sys.argv  # keep the temp dir (IdP logs, messages) even on success
CHECKS = [0]


def check(cond, what):
    CHECKS[0] += 1
    if not cond:
        raise AssertionError(what)
    if VERBOSE:
        print("  ok  " + what)


T0 = time.monotonic()


def step(title):
    print("-- %5.1fs %s" % (time.monotonic() - T0, title), flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


# ---------------------------------------------------------------------------------------------
# HTTP and HTML

def fetch(method, url, form=None):
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=15)
    path = u.path + ("?" + u.query if u.query else "")
    body, headers = None, {}
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read().decode("utf-8", "replace")
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    conn.close()
    return r.status, hdrs, data


class Forms(html.parser.HTMLParser):
    def __init__(self, text):
        super().__init__()
        self.forms, self._cur, self._select = {}, None, None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._cur = {"action": a.get("action"), "method": a.get("method"), "fields": {},
                         "radios": [], "options": {}}
            self.forms[a.get("id")] = self._cur
        elif self._cur is None:
            return
        elif tag == "input":
            if a.get("type") == "radio":
                self._cur["radios"].append(a.get("value"))
            else:
                self._cur["fields"][a.get("name")] = a.get("value", "")
        elif tag == "select":
            self._select = a.get("name")
            self._cur["options"][self._select] = []
        elif tag == "option" and self._select:
            self._cur["options"][self._select].append(a.get("value"))

    def handle_endtag(self, tag):
        if tag == "form":
            self._cur = None
        elif tag == "select":
            self._select = None


# ---------------------------------------------------------------------------------------------
# Signatures, checked with tools independent of the IdP code (xmlsec1, openssl)

class Verifier:
    def __init__(self, tmp):
        self.tmp = tmp
        self.n = 0

    def _file(self, data, suffix):
        self.n += 1
        p = os.path.join(self.tmp, "msg%03d%s" % (self.n, suffix))
        with open(p, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        return p

    def xml(self, xml, cert, id_attr, node_id=None):
        """xmlsec1 --verify with the given certificate's key."""
        cmd = ["xmlsec1", "--verify", "--pubkey-cert-pem", cert, "--id-attr:ID", id_attr]
        if node_id:
            cmd += ["--node-id", node_id]
        r = run(cmd + [self._file(xml, ".xml")])
        return r.returncode == 0

    def query(self, signed_octets, sig_b64, cert):
        """openssl dgst -sha256 -verify over the exact query octets."""
        pub = self._file(run(["openssl", "x509", "-in", cert, "-pubkey", "-noout"]).stdout,
                         ".pub")
        data = self._file(signed_octets, ".txt")
        sig = self._file(base64.b64decode(sig_b64), ".sig")
        r = run(["openssl", "dgst", "-sha256", "-verify", pub, "-signature", sig, data])
        return r.returncode == 0 and b"Verified OK" in r.stdout

    def schema(self, xml, xsd):
        r = run(["xmllint", "--nonet", "--noout", "--schema", os.path.join(SCHEMAS, xsd),
                 self._file(xml, ".xml")])
        if r.returncode != 0:
            print(r.stderr.decode(), file=sys.stderr)
        return r.returncode == 0


def split_redirect(location):
    """(base URL, raw params, signed octets) of an HTTP-Redirect binding URL."""
    base, _, query = location.partition("?")
    raw = {}
    for part in query.split("&"):
        k, _, v = part.partition("=")
        raw[k] = v
    msg = "SAMLRequest" if "SAMLRequest" in raw else "SAMLResponse"
    signed = "&".join("%s=%s" % (k, raw[k]) for k in (msg, "RelayState", "SigAlg") if k in raw)
    return base, raw, signed


def inflate(raw_value):
    return zlib.decompress(base64.b64decode(urllib.parse.unquote_plus(raw_value)), -15)


def signature_shape(parent, what):
    """Enveloped rsa-sha256/sha256/exc-c14n signature right after Issuer, referencing parent."""
    kids = list(parent)
    check(kids[0].tag == "{%s}Issuer" % NS["saml"] and kids[1].tag == "{%s}Signature" % NS["ds"],
          "%s: ds:Signature right after saml:Issuer" % what)
    sig = kids[1]
    si = sig.find("ds:SignedInfo", NS)
    check(si.find("ds:SignatureMethod", NS).get("Algorithm") == RSA_SHA256,
          "%s: SignatureMethod rsa-sha256" % what)
    check(si.find("ds:CanonicalizationMethod", NS).get("Algorithm") == EXC_C14N,
          "%s: exc-c14n" % what)
    ref = si.find("ds:Reference", NS)
    check(ref.get("URI") == "#" + parent.get("ID"), "%s: Reference points at its ID" % what)
    check(ref.find("ds:DigestMethod", NS).get("Algorithm") == SHA256, "%s: sha256 digest" % what)
    check([t.get("Algorithm") for t in ref.find("ds:Transforms", NS)] ==
          ["http://www.w3.org/2000/09/xmldsig#enveloped-signature", EXC_C14N],
          "%s: enveloped + exc-c14n transforms" % what)
    check(sig.find("ds:KeyInfo/ds:X509Data/ds:X509Certificate", NS) is not None,
          "%s: KeyInfo carries the certificate" % what)


# ---------------------------------------------------------------------------------------------
# Fixtures

def make_cert(tmp, name, cn):
    key, crt = os.path.join(tmp, name + ".key"), os.path.join(tmp, name + ".crt")
    r = run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-sha256", "-days", "2",
             "-nodes", "-keyout", key, "-out", crt, "-subj", "/C=IT/O=smoke test/CN=" + cn])
    if r.returncode != 0:
        raise RuntimeError(r.stderr.decode())
    return key, crt


def cert_b64(crt):
    with open(crt) as f:
        return "".join(l for l in f.read().splitlines() if "CERTIFICATE" not in l)


def sp_metadata(entity_id, crt, acs, slo, attr_services):
    """acs: [(index, url, default)], slo: [(binding, url)], attr_services: {index: [names]}"""
    parts = ['<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>%s'
             '</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>'
             % cert_b64(crt)]
    parts += ['<md:SingleLogoutService Binding="%s" Location="%s"/>' % s for s in slo]
    parts.append('<md:NameIDFormat>%s</md:NameIDFormat>' % TRANSIENT)
    parts += ['<md:AssertionConsumerService Binding="%s" Location="%s" index="%d"%s/>'
              % (POST, url, i, ' isDefault="true"' if d else "") for i, url, d in acs]
    for i, names in attr_services.items():
        parts.append('<md:AttributeConsumingService index="%d"><md:ServiceName xml:lang="it">'
                     'Servizio %d</md:ServiceName>%s</md:AttributeConsumingService>'
                     % (i, i, "".join('<md:RequestedAttribute Name="%s" NameFormat="%s"/>'
                                      % (n, BASIC) for n in names)))
    return ('<md:EntityDescriptor xmlns:md="%s" xmlns:ds="%s" entityID="%s">'
            '<md:SPSSODescriptor protocolSupportEnumeration="%s" AuthnRequestsSigned="true" '
            'WantAssertionsSigned="true">%s</md:SPSSODescriptor></md:EntityDescriptor>'
            % (NS["md"], NS["ds"], entity_id, NS["samlp"], "".join(parts)))


def make_client(entity_id, key, crt, acs_urls, slo, idp_metadata_files):
    from saml2.client import Saml2Client
    from saml2.config import SPConfig
    conf = SPConfig()
    conf.load({
        "entityid": entity_id,
        "key_file": key,
        "cert_file": crt,
        "xmlsec_binary": "/usr/bin/xmlsec1",
        "metadata": {"local": idp_metadata_files},
        "accepted_time_diff": 60,
        "allow_unknown_attributes": True,
        "service": {"sp": {
            "endpoints": {
                "assertion_consumer_service": [(u, POST) for u in acs_urls],
                "single_logout_service": [(u, b) for b, u in slo],
            },
            "authn_requests_signed": True,
            "logout_requests_signed": True,
            "want_assertions_signed": True,
            "want_response_signed": True,
            "name_id_format": TRANSIENT,
            "name_id_policy_format": TRANSIENT,
            "allow_unsolicited": False,
        }},
    })
    return Saml2Client(config=conf)


def spawn_idp(tmp, name, sp_sources, extra=()):
    ready = os.path.join(tmp, name + ".ready.json")
    md = os.path.join(tmp, name + "-metadata.xml")
    log = open(os.path.join(tmp, name + ".log"), "w")
    cmd = ["/usr/bin/python3", IDP_PY, "serve", "--port", "0", "--ready-file", ready,
           "--metadata-out", md] + list(extra)
    for s in sp_sources:
        cmd += ["--sp-metadata", s]
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    return {"name": name, "proc": proc, "ready": ready, "metadata_file": md, "log": log.name}


def wait_ready(idp, timeout=30):
    """Poll the ready file (written atomically once the IdP listens)."""
    deadline = time.monotonic() + timeout
    while not os.path.exists(idp["ready"]):
        if idp["proc"].poll() is not None:
            raise RuntimeError("%s exited with %s (see %s)"
                               % (idp["name"], idp["proc"].returncode, idp["log"]))
        if time.monotonic() > deadline:
            raise RuntimeError("%s not ready after %d s" % (idp["name"], timeout))
        time.sleep(0.05)
    with open(idp["ready"]) as f:
        idp.update(json.load(f))
    return idp


# ---------------------------------------------------------------------------------------------
# Flows

def authn_request(client, idp, binding, level=2, comparison="exact", acs_index="0",
                  attr_index="0", relay_state="rs-opaque", sign=True):
    """Returns (request ID, status, headers, body) of the IdP's answer to the AuthnRequest."""
    from saml2.saml import AuthnContextClassRef
    from saml2.samlp import RequestedAuthnContext
    kwargs = {
        "requested_authn_context": RequestedAuthnContext(
            authn_context_class_ref=[AuthnContextClassRef(text=L[level])], comparison=comparison),
        "force_authn": "true",
    }
    if acs_index is not None:
        kwargs["assertion_consumer_service_index"] = acs_index
    if attr_index is not None:
        kwargs["attribute_consuming_service_index"] = attr_index
    if binding == REDIRECT:
        req_id, info = client.prepare_for_authenticate(
            entityid=idp["entity_id"], relay_state=relay_state, binding=REDIRECT, sign=sign,
            sigalg=RSA_SHA256, **kwargs)
        url = dict(info["headers"])["Location"]
        return (req_id,) + fetch("GET", url)
    req_id, req = client.create_authn_request(
        idp["base_url"] + "/sso", sign=sign, sign_alg=RSA_SHA256, digest_alg=SHA256, **kwargs)
    form = {"SAMLRequest": base64.b64encode(str(req).encode()).decode(),
            "RelayState": relay_state}
    return (req_id,) + fetch("POST", idp["base_url"] + "/sso", form)


def login(idp, login_page, user, choice="success", password="password", level=""):
    f = Forms(login_page).forms.get("login-form")
    check(f is not None, "login page has the login form")
    status, _, body = fetch("POST", idp["base_url"] + f["action"], {
        "key": f["fields"]["key"], "user": user, "password": password, "risposta": choice,
        "level": level})
    return status, body


def saml_response(body):
    f = Forms(body).forms.get("saml-response-form")
    check(f is not None and f["method"] == "post", "auto-post form id=saml-response-form")
    xml = base64.b64decode(f["fields"]["SAMLResponse"])
    return f["action"], f["fields"].get("RelayState"), xml, ET.fromstring(xml)


def check_success(v, xml, root, idp, idp_cert, sp_id, acs, req_id, level, attrs, cf, what):
    a = root.find("saml:Assertion", NS)
    check(root.tag == "{%s}Response" % NS["samlp"] and root.get("Version") == "2.0"
          and root.get("ID") and root.get("IssueInstant", "").endswith("Z"),
          "%s: Response ID/Version/IssueInstant(Z)" % what)
    check(root.get("InResponseTo") == req_id, "%s: InResponseTo = AuthnRequest ID" % what)
    check(root.get("Destination") == acs, "%s: Destination = ACS %s" % (what, acs))
    iss = root.find("saml:Issuer", NS)
    check(iss.text == idp["entity_id"] and iss.get("Format") == ENTITY,
          "%s: Response Issuer = IdP entityID, Format entity" % what)
    check(root.find("samlp:Status/samlp:StatusCode", NS).get("Value") == SUCCESS,
          "%s: Status Success" % what)
    check(len(root.findall("saml:Assertion", NS)) == 1, "%s: exactly one Assertion" % what)
    aiss = a.find("saml:Issuer", NS)
    check(aiss.text == idp["entity_id"] and aiss.get("Format") == ENTITY,
          "%s: Assertion Issuer Format entity" % what)
    signature_shape(root, what + " Response signature")
    signature_shape(a, what + " Assertion signature")
    check(v.xml(xml, idp_cert, "urn:oasis:names:tc:SAML:2.0:protocol:Response"),
          "%s: xmlsec1 verifies the Response signature with the IdP cert" % what)
    check(v.xml(xml, idp_cert, "urn:oasis:names:tc:SAML:2.0:assertion:Assertion", a.get("ID")),
          "%s: xmlsec1 verifies the Assertion signature with the IdP cert" % what)
    nid = a.find("saml:Subject/saml:NameID", NS)
    check(nid.get("Format") == TRANSIENT and nid.get("NameQualifier") == idp["entity_id"]
          and nid.text, "%s: NameID transient with NameQualifier" % what)
    sc = a.find("saml:Subject/saml:SubjectConfirmation", NS)
    scd = sc.find("saml:SubjectConfirmationData", NS)
    check(sc.get("Method") == "urn:oasis:names:tc:SAML:2.0:cm:bearer"
          and scd.get("Recipient") == acs and scd.get("InResponseTo") == req_id
          and scd.get("NotOnOrAfter"), "%s: bearer SubjectConfirmationData" % what)
    cond = a.find("saml:Conditions", NS)
    check(cond.get("NotBefore") and cond.get("NotOnOrAfter")
          and cond.find("saml:AudienceRestriction/saml:Audience", NS).text == sp_id,
          "%s: Conditions + Audience = SP entityID" % what)
    st = a.find("saml:AuthnStatement", NS)
    check(st.get("AuthnInstant") and st.get("SessionIndex"), "%s: AuthnStatement" % what)
    check(st.find("saml:AuthnContext/saml:AuthnContextClassRef", NS).text == L[level],
          "%s: AuthnContextClassRef %s" % (what, L[level]))
    got = {}
    for at in a.findall("saml:AttributeStatement/saml:Attribute", NS):
        check(at.get("NameFormat") == BASIC, "%s: attribute %s NameFormat basic"
              % (what, at.get("Name")))
        val = at.find("saml:AttributeValue", NS)
        check(val.get("{%s}type" % NS["xsi"]) == "xs:string", "%s: %s is xs:string"
              % (what, at.get("Name")))
        got[at.get("Name")] = val.text
    check(sorted(got) == sorted(attrs), "%s: attributes %s" % (what, sorted(attrs)))
    check(got.get("fiscalNumber") == "TINIT-" + cf, "%s: fiscalNumber TINIT-%s" % (what, cf))
    check(v.schema(xml, "saml-schema-protocol-2.0.xsd"), "%s: Response is XSD-valid" % what)
    return nid.text, st.get("SessionIndex")


def main():
    try:
        import saml2  # noqa: F401
    except ImportError:
        print("pysaml2 missing: run with Debian's /usr/bin/python3 (python3-pysaml2)",
              file=sys.stderr)
        return 2
    for tool in ("xmlsec1", "openssl", "xmllint"):
        if not shutil.which(tool):
            print("missing tool:", tool, file=sys.stderr)
            return 2
    tmp = tempfile.mkdtemp(prefix="varco-idp-smoke-")
    v = Verifier(tmp)
    procs = []
    files = None
    t0 = time.monotonic()
    ok = False
    try:
        step("keys and IdPs")
        sp1_key, sp1_crt = make_cert(tmp, "sp1", "smoke SP 1")
        sp2_key, sp2_crt = make_cert(tmp, "sp2", "smoke SP 2")
        idp2_key, idp2_crt = make_cert(tmp, "idp2", "smoke IdP 2")
        sp1_md, sp2_md = os.path.join(tmp, "sp1.xml"), os.path.join(tmp, "sp2.xml")
        # SP metadata by URL too (like varco's /saml/metadata), from a loopback file server.
        quiet = type("Quiet", (http.server.SimpleHTTPRequestHandler,),
                     {"log_message": lambda *a: None})
        files = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(quiet, directory=tmp))
        threading.Thread(target=files.serve_forever, daemon=True).start()
        sp1_url = "http://127.0.0.1:%d/sp1.xml" % files.server_address[1]
        # The SP metadata does not exist yet: the IdPs must load it lazily.
        idp = spawn_idp(tmp, "idp1", [sp1_md, sp2_md])
        procs.append(idp["proc"])
        idp2 = spawn_idp(tmp, "idp2", [sp1_url], ["--key", idp2_key, "--cert", idp2_crt,
                                                  "--name", "IdP due"])
        procs.append(idp2["proc"])
        # The metadata command, single and aggregate, meanwhile.
        one, agg = os.path.join(tmp, "one.xml"), os.path.join(tmp, "agg.xml")
        md_cmds = [subprocess.Popen(["/usr/bin/python3", IDP_PY, "metadata", "--base-url",
                                     "http://127.0.0.1:8090"] + more + ["--out", out],
                                    stdout=subprocess.DEVNULL)
                   for more, out in (([], one), (["--base-url", "http://127.0.0.1:8091"], agg))]
        procs += md_cmds
        wait_ready(idp)
        wait_ready(idp2)
        check(idp["entity_id"] == idp["base_url"] + "/metadata"
              and idp2["entity_id"] != idp["entity_id"], "two IdPs, distinct entityIDs")

        step("IdP metadata")
        with open(idp["metadata_file"], "rb") as f:
            md = f.read()
        check(v.schema(md, "saml-schema-metadata-2.0.xsd"), "metadata valid (xmllint --nonet)")
        _, _, served = fetch("GET", idp["metadata_url"])
        check(served.startswith("<?xml") and "IDPSSODescriptor" in served, "GET /metadata")
        check(v.xml(md, IDP_CERT, "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor"),
              "metadata signature verifies with the demo IdP cert")
        mroot = ET.fromstring(md)
        d = mroot.find("md:IDPSSODescriptor", NS)
        check(mroot.get("entityID") == idp["entity_id"] and d.get("WantAuthnRequestsSigned")
              == "true", "entityID, WantAuthnRequestsSigned=true")
        sso = {(s.get("Binding"), s.get("Location")) for s in d.findall("md:SingleSignOnService",
                                                                         NS)}
        slo = {(s.get("Binding"), s.get("Location")) for s in d.findall("md:SingleLogoutService",
                                                                         NS)}
        b = idp["base_url"]
        check(sso == {(REDIRECT, b + "/sso"), (POST, b + "/sso")}, "SSO Redirect+POST at /sso")
        check(slo == {(REDIRECT, b + "/slo"), (POST, b + "/slo")}, "SLO Redirect+POST at /slo")
        check([n.text for n in d.findall("md:NameIDFormat", NS)] == [TRANSIENT],
              "NameIDFormat transient")
        names = {a.get("Name") for a in d.findall("saml:Attribute", NS)}
        check({"spidCode", "name", "familyName", "fiscalNumber", "email"} <= names,
              "saml:Attribute entries with SPID names")
        check(d.find("md:KeyDescriptor[@use='signing']", NS) is not None, "signing KeyDescriptor")
        check([p.wait(30) for p in md_cmds] == [0, 0], "idp.py metadata (single, aggregate)")
        with open(one, "rb") as f1, open(agg, "rb") as f2:
            one_xml, agg_xml = f1.read(), f2.read()
        check(v.schema(one_xml, "saml-schema-metadata-2.0.xsd")
              and ET.fromstring(one_xml).get("entityID") == "http://127.0.0.1:8090/metadata",
              "metadata command: valid, entityID <base URL>/metadata")
        check(v.schema(agg_xml, "saml-schema-metadata-2.0.xsd")
              and v.xml(agg_xml, IDP_CERT, "urn:oasis:names:tc:SAML:2.0:metadata:"
                                           "EntitiesDescriptor")
              and len(ET.fromstring(agg_xml).findall("md:EntityDescriptor", NS)) == 2,
              "aggregate: valid, signed EntitiesDescriptor of two IdPs")

        idp_files = [idp["metadata_file"], idp2["metadata_file"]]
        sp1_id, sp2_id = "https://sp1.smoke.test/metadata", "https://sp2.smoke.test/metadata"
        acs0, acs1 = "https://sp1.smoke.test/acs", "https://sp1.smoke.test/acs-alt"
        sp1_slo = [(REDIRECT, "https://sp1.smoke.test/slo"), (POST, "https://sp1.smoke.test/slo")]
        sp2_slo = [(POST, "https://sp2.smoke.test/slo")]
        sp2_acs = "https://sp2.smoke.test/acs"
        c1 = make_client(sp1_id, sp1_key, sp1_crt, [acs0, acs1], sp1_slo, idp_files)
        c2 = make_client(sp2_id, sp2_key, sp2_crt, [sp2_acs], sp2_slo, idp_files)

        step("unknown SP before its metadata exists")
        _, st, _, body = authn_request(c1, idp, REDIRECT)
        check(st == 400 and "unknown SP" in body, "AuthnRequest of an unknown SP -> 400")
        base_attrs = ["spidCode", "name", "familyName", "fiscalNumber", "email"]
        with open(sp1_md, "w") as f:
            f.write(sp_metadata(sp1_id, sp1_crt, [(0, acs0, True), (1, acs1, False)], sp1_slo,
                                {0: base_attrs, 1: ["fiscalNumber"]}))
        with open(sp2_md, "w") as f:
            f.write(sp_metadata(sp2_id, sp2_crt, [(0, sp2_acs, True)], sp2_slo, {}))
        for p in (sp1_md, sp2_md):
            with open(p) as f:
                check(v.schema(f.read(), "saml-metadata-spid.xsd"), "test SP metadata XSD-valid")

        step("HTTP-Redirect AuthnRequest, SpidL2, login as Mario Rossi")
        req_id, st, _, page = authn_request(c1, idp, REDIRECT, relay_state="rs-redirect-1")
        check(st == 200, "signed Redirect AuthnRequest -> login page (SP metadata loaded lazily)")
        lf = Forms(page).forms["login-form"]
        check(set(lf["radios"]) == {"RSSMRA80A01H501U", "VRDLGU85B02F205X", "BNCNNA75C41H501X",
                                    "GLLPLA70E05F839T", "NREGLI90D45L219R"},
              "login form lists the five demo users")
        check(lf["options"]["risposta"] == ["success", "nr19", "nr20", "nr21", "nr22", "nr23",
                                            "nr25", "nr30"], "Risposta: success + anomalies")
        st, again = login(idp, page, "RSSMRA80A01H501U", password="wrong")
        check(st == 200 and "login-form" in again and "saml-response-form" not in again,
              "wrong password -> login form again")
        st, body = login(idp, again, "RSSMRA80A01H501U")
        check(st == 200, "login accepted")
        action, relay, xml, root = saml_response(body)
        check(action == acs0 and relay == "rs-redirect-1", "auto-post to ACS 0 with RelayState")
        rossi_nid, rossi_si = check_success(v, xml, root, idp, IDP_CERT, sp1_id, acs0, req_id, 2,
                                            base_attrs, "RSSMRA80A01H501U", "redirect/L2")
        check(not v.xml(xml, sp1_crt, "urn:oasis:names:tc:SAML:2.0:protocol:Response"),
              "the Response does not verify with another certificate")
        resp = c1.parse_authn_request_response(base64.b64encode(xml).decode(), POST,
                                               outstanding={req_id: "/"})
        check(resp is not None and resp.ava.get("fiscalNumber") == ["TINIT-RSSMRA80A01H501U"],
              "pysaml2 SP accepts the Response (signatures, audience, recipient, times)")
        st, body = login(idp, page, "RSSMRA80A01H501U")
        check(st == 400, "the login form key is single-use")
        _, _, sess = fetch("GET", idp["base_url"] + "/sessions")
        check(any(s["name_id"] == rossi_nid and s["user"] == "RSSMRA80A01H501U"
                  for s in json.loads(sess)["sessions"]), "/sessions lists the login")

        step("HTTP-POST AuthnRequest, SpidL3 minimum, ACS 1, attribute service 1, Luigi Verdi")
        req_id, st, _, page = authn_request(c1, idp, POST, level=3, comparison="minimum",
                                            acs_index="1", attr_index="1", relay_state="rs-post")
        check(st == 200, "signed POST AuthnRequest -> login page")
        st, body = login(idp, page, "VRDLGU85B02F205X")
        action, relay, xml, root = saml_response(body)
        check(action == acs1 and relay == "rs-post", "auto-post to ACS index 1")
        verdi_nid, verdi_si = check_success(v, xml, root, idp, IDP_CERT, sp1_id, acs1, req_id, 3,
                                            ["fiscalNumber"], "VRDLGU85B02F205X", "post/L3")

        step("anomaly nr22")
        req_id, st, _, page = authn_request(c1, idp, REDIRECT)
        st, body = login(idp, page, "NREGLI90D45L219R", choice="nr22", password="")
        _, _, xml, root = saml_response(body)
        sc = root.find("samlp:Status/samlp:StatusCode", NS)
        check(sc.get("Value") == "urn:oasis:names:tc:SAML:2.0:status:Responder"
              and sc.find("samlp:StatusCode", NS).get("Value")
              == "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed",
              "anomaly: Responder / AuthnFailed")
        check(root.find("samlp:Status/samlp:StatusMessage", NS).text == "ErrorCode nr22",
              "anomaly: StatusMessage ErrorCode nr22")
        check(root.find("saml:Assertion", NS) is None and root.get("InResponseTo") == req_id,
              "anomaly: no Assertion, InResponseTo")
        signature_shape(root, "anomaly Response signature")
        check(v.xml(xml, IDP_CERT, "urn:oasis:names:tc:SAML:2.0:protocol:Response"),
              "anomaly Response signature verifies")

        step("forced lower level, unknown indexes")
        req_id, st, _, page = authn_request(c1, idp, REDIRECT, level=2)
        st, body = login(idp, page, "RSSMRA80A01H501U", level="1")
        _, _, xml, root = saml_response(body)
        check(root.find("saml:Assertion/saml:AuthnStatement/saml:AuthnContext/"
                        "saml:AuthnContextClassRef", NS).text == L[1],
              "Livello inviato=1 gives SpidL1 although SpidL2 was requested")
        _, st, _, body = authn_request(c1, idp, REDIRECT, acs_index="7")
        check(st == 400 and "AssertionConsumerServiceIndex 7" in body, "unknown ACS index -> 400")
        acs7 = "https://sp1.smoke.test/acs-7"
        with open(sp1_md, "w") as f:
            f.write(sp_metadata(sp1_id, sp1_crt, [(0, acs0, True), (1, acs1, False),
                                                  (7, acs7, False)], sp1_slo,
                                {0: base_attrs, 1: ["fiscalNumber"]}))
        c1 = make_client(sp1_id, sp1_key, sp1_crt, [acs0, acs1, acs7], sp1_slo, idp_files)
        req_id, st, _, page = authn_request(c1, idp, REDIRECT, acs_index="7")
        check(st == 200, "changed SP metadata file reloaded: ACS index 7 now known")
        _, st, _, body = authn_request(c1, idp, POST, attr_index="9")
        check(st == 400 and "AttributeConsumingServiceIndex 9" in body,
              "unknown AttributeConsumingServiceIndex -> 400")

        step("unsigned and tampered AuthnRequests")
        _, st, _, body = authn_request(c1, idp, REDIRECT, sign=False)
        check(st == 400 and "not signed" in body, "unsigned Redirect AuthnRequest -> 400")
        _, st, _, body = authn_request(c1, idp, POST, sign=False)
        check(st == 400 and "not signed" in body, "unsigned POST AuthnRequest -> 400")
        _, req = c1.create_authn_request(idp["base_url"] + "/sso", sign=True,
                                         sign_alg=RSA_SHA256, digest_alg=SHA256,
                                         assertion_consumer_service_index="0")
        bad = str(req).replace('AssertionConsumerServiceIndex="0"',
                               'AssertionConsumerServiceIndex="1"')
        check(bad != str(req), "tampering changed the request")
        st, _, body = fetch("POST", idp["base_url"] + "/sso",
                           {"SAMLRequest": base64.b64encode(bad.encode()).decode()})
        check(st == 400, "tampered POST AuthnRequest -> 400")
        req_id, info = c1.prepare_for_authenticate(entityid=idp["entity_id"], relay_state="x",
                                                   binding=REDIRECT, sign=True, sigalg=RSA_SHA256)
        url = dict(info["headers"])["Location"].replace("RelayState=x", "RelayState=y")
        st, _, _ = fetch("GET", url)
        check(st == 400, "Redirect AuthnRequest with altered RelayState -> 400")

        step("SP-initiated SLO, HTTP-Redirect (SP 1), answer by Redirect")
        from saml2.saml import NameID
        lreq_id, lreq = c1.create_logout_request(
            idp["base_url"] + "/slo", idp["entity_id"],
            name_id=NameID(text=rossi_nid, format=TRANSIENT, name_qualifier=idp["entity_id"]),
            session_indexes=[rossi_si])
        info = c1.apply_binding(REDIRECT, str(lreq), idp["base_url"] + "/slo", "rs-slo",
                                sign=True, sigalg=RSA_SHA256)
        st, hdrs, _ = fetch("GET", dict(info["headers"])["Location"])
        check(st == 302, "LogoutRequest -> 302")
        base, raw, signed = split_redirect(hdrs["location"])
        check(base == sp1_slo[0][1], "LogoutResponse goes to the SP's first SLO (Redirect)")
        check(urllib.parse.unquote_plus(raw["SigAlg"]) == RSA_SHA256
              and urllib.parse.unquote_plus(raw["RelayState"]) == "rs-slo", "SigAlg, RelayState")
        check(v.query(signed, urllib.parse.unquote_plus(raw["Signature"]), IDP_CERT),
              "openssl verifies the LogoutResponse query signature with the IdP cert")
        lr = ET.fromstring(inflate(raw["SAMLResponse"]))
        check(lr.tag == "{%s}LogoutResponse" % NS["samlp"] and lr.get("InResponseTo") == lreq_id
              and lr.get("Destination") == base
              and lr.find("samlp:Status/samlp:StatusCode", NS).get("Value") == SUCCESS
              and lr.find("saml:Issuer", NS).get("Format") == ENTITY,
              "LogoutResponse Success, InResponseTo, Destination, Issuer entity")
        _, _, sess = fetch("GET", idp["base_url"] + "/sessions")
        check(not any(s["name_id"] == rossi_nid for s in json.loads(sess)["sessions"]),
              "the IdP session is gone")

        step("SP-initiated SLO, HTTP-POST (SP 2), answer by POST")
        req_id, st, _, page = authn_request(c2, idp, REDIRECT, acs_index=None, attr_index=None)
        st, body = login(idp, page, "NREGLI90D45L219R")
        action, _, xml, root = saml_response(body)
        neri_nid, neri_si = check_success(v, xml, root, idp, IDP_CERT, sp2_id, sp2_acs, req_id,
                                          2, base_attrs, "NREGLI90D45L219R", "sp2/default")
        lreq_id, lreq = c2.create_logout_request(
            idp["base_url"] + "/slo", idp["entity_id"],
            name_id=NameID(text=neri_nid, format=TRANSIENT, name_qualifier=idp["entity_id"]),
            session_indexes=[neri_si], sign=True, sign_alg=RSA_SHA256, digest_alg=SHA256)
        st, _, body = fetch("POST", idp["base_url"] + "/slo", {
            "SAMLRequest": base64.b64encode(str(lreq).encode()).decode(), "RelayState": "r2"})
        action, relay, xml, root = saml_response(body)
        check(action == sp2_slo[0][1] and relay == "r2", "auto-post LogoutResponse to SP 2 SLO")
        check(root.get("InResponseTo") == lreq_id and root.find(
            "samlp:Status/samlp:StatusCode", NS).get("Value") == SUCCESS, "Success")
        signature_shape(root, "LogoutResponse (POST)")
        check(v.xml(xml, IDP_CERT, "urn:oasis:names:tc:SAML:2.0:protocol:LogoutResponse"),
              "xmlsec1 verifies the POST LogoutResponse")
        st, _, body = fetch("POST", idp["base_url"] + "/slo", {
            "SAMLRequest": base64.b64encode(
                str(c2.create_logout_request(
                    idp["base_url"] + "/slo", idp["entity_id"],
                    name_id=NameID(text=neri_nid), sign=False)[1]).encode()).decode()})
        check(st == 400, "unsigned LogoutRequest -> 400")

        step("IdP-initiated SLO for Luigi Verdi")
        st, hdrs, _ = fetch("GET", idp["base_url"] + "/slo/initiate?user=VRDLGU85B02F205X")
        check(st == 302, "/slo/initiate -> 302")
        base, raw, signed = split_redirect(hdrs["location"])
        check(base == sp1_slo[0][1], "LogoutRequest to the SP's Redirect SLO")
        check(v.query(signed, urllib.parse.unquote_plus(raw["Signature"]), IDP_CERT),
              "openssl verifies the LogoutRequest query signature")
        lrq_xml = inflate(raw["SAMLRequest"])
        lrq = ET.fromstring(lrq_xml)
        nid = lrq.find("saml:NameID", NS)
        check(lrq.get("Destination") == base and lrq.get("ID") and lrq.get("IssueInstant")
              and lrq.find("saml:Issuer", NS).text == idp["entity_id"]
              and nid.text == verdi_nid and nid.get("NameQualifier") == idp["entity_id"]
              and lrq.find("samlp:SessionIndex", NS).text == verdi_si,
              "LogoutRequest: Destination, Issuer, NameID+NameQualifier, SessionIndex")
        from saml2.samlp import logout_request_from_string
        lresp = c1.create_logout_response(logout_request_from_string(lrq_xml.decode()),
                                          bindings=[REDIRECT], sign=False)
        info = c1.apply_binding(REDIRECT, str(lresp), idp["base_url"] + "/slo", "",
                                response=True, sign=True, sigalg=RSA_SHA256)
        st, _, body = fetch("GET", dict(info["headers"])["Location"])
        check(st == 200 and "logout completed" in body, "SP's LogoutResponse -> logout completed")
        st, _, _ = fetch("GET", dict(info["headers"])["Location"])
        check(st == 400, "the same LogoutResponse again -> 400")
        _, _, sess = fetch("GET", idp["base_url"] + "/sessions")
        check(not any(s["user"] == "VRDLGU85B02F205X" for s in json.loads(sess)["sessions"]),
              "Luigi Verdi's IdP session is gone")
        st, _, _ = fetch("GET", idp["base_url"] + "/slo/initiate?user=VRDLGU85B02F205X")
        check(st == 404, "/slo/initiate without a session -> 404")

        step("second IdP (own key, SP metadata by URL) on another port")
        req_id, st, _, page = authn_request(c1, idp2, REDIRECT)
        st, body = login(idp2, page, "RSSMRA80A01H501U")
        action, _, xml, root = saml_response(body)
        check_success(v, xml, root, idp2, idp2_crt, sp1_id, acs0, req_id, 2, base_attrs,
                      "RSSMRA80A01H501U", "idp2")
        check(not v.xml(xml, IDP_CERT, "urn:oasis:names:tc:SAML:2.0:protocol:Response"),
              "IdP 2's Response does not verify with IdP 1's cert")
        check("IdP due" in page, "IdP 2 shows its --name")
        ok = True
    except Exception:
        traceback.print_exc()
    finally:
        if files is not None:
            files.shutdown()
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
        if ok and not KEEP:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print("IdP logs and messages kept in", tmp, file=sys.stderr)
    print("%s: %d checks in %.1f s" % ("PASS" if ok else "FAIL", CHECKS[0],
                                        time.monotonic() - t0))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
