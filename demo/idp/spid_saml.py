"""SAML building blocks of the varco demo SPID IdP (demo/idp/idp.py).

Standard library + pysaml2 (Debian python3-pysaml2 7.0.1), which shells out to xmlsec1 for XML
signatures.  The messages are written here as text, in the exact shape the SPID technical rules
describe, and signed with pysaml2's xmlsec1 backend; pysaml2's own IdP (saml2.server.Server) is
not used because its output differs from SPID in several places (see README.md, "pysaml2 quirks").

DEMO ONLY: this code trusts whatever SP metadata it is given and keeps all state in memory.
"""

import atexit
import base64
import datetime
import hashlib
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
import zlib
from xml.sax.saxutils import escape as _xml_escape

from saml2.sigver import (
    SIGNER_ALGS,
    CryptoBackendXmlSec1,
    extract_rsa_key_from_x509_cert,
    get_xmlsec_binary,
    import_rsa_key_from_file,
    pem_format,
    pre_signature_part,
)
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

# --------------------------------------------------------------------------------------------
# Constants

NS_SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
NS_SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
NS_MD = "urn:oasis:names:tc:SAML:2.0:metadata"
NS_DS = "http://www.w3.org/2000/09/xmldsig#"
NS_XS = "http://www.w3.org/2001/XMLSchema"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"

BINDING_REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
BINDING_POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"

NAMEID_ENTITY = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"
NAMEID_TRANSIENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
ATTRNAME_BASIC = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"
CM_BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"

STATUS_SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"
STATUS_REQUESTER = "urn:oasis:names:tc:SAML:2.0:status:Requester"
STATUS_RESPONDER = "urn:oasis:names:tc:SAML:2.0:status:Responder"
STATUS_AUTHN_FAILED = "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"

SIG_ALG = SIG_RSA_SHA256  # http://www.w3.org/2001/04/xmldsig-more#rsa-sha256
DIGEST_ALG = DIGEST_SHA256  # http://www.w3.org/2001/04/xmlenc#sha256
# Query-signature algorithms accepted from SPs (SPID forbids SHA-1).
ACCEPTED_SIG_ALGS = {
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
}

SPID_LEVELS = {
    1: "https://www.spid.gov.it/SpidL1",
    2: "https://www.spid.gov.it/SpidL2",
    3: "https://www.spid.gov.it/SpidL3",
}
LEVEL_OF = {v: k for k, v in SPID_LEVELS.items()}

# SPID attribute names, in the order the real IdPs list them in their metadata.
SPID_ATTRIBUTES = [
    "spidCode", "name", "familyName", "placeOfBirth", "countyOfBirth", "dateOfBirth", "gender",
    "companyName", "registeredOffice", "fiscalNumber", "ivaCode", "idCard", "mobilePhone",
    "email", "address", "expirationDate", "digitalAddress", "companyFiscalNumber",
    "domicileStreetAddress", "domicilePostalCode", "domicileMunicipality", "domicileProvince",
    "domicileNation",
]
# Sent when the SP metadata has no AttributeConsumingService at all.
DEFAULT_ATTRIBUTES = ["spidCode", "name", "familyName", "fiscalNumber", "email"]

# SPID anomalies the login form can simulate ("ErrorCode nrNN").
ANOMALIES = {
    "nr19": "Autenticazione fallita per ripetuta sottomissione di credenziali errate",
    "nr20": "Utente privo di credenziali compatibili con il livello richiesto dal fornitore "
            "del servizio",
    "nr21": "Timeout durante l'autenticazione utente",
    "nr22": "Utente nega il consenso all'invio di dati al fornitore del servizio",
    "nr23": "Utente con identità sospesa/revocata o con credenziali bloccate",
    "nr25": "Processo di autenticazione annullato dall'utente",
    "nr30": "L'identità digitale utilizzata non è del tipo atteso",
}

MAX_INFLATED = 256 * 1024


class SamlError(Exception):
    """A message the IdP refuses; the text goes on the 400 page and in the log."""


# --------------------------------------------------------------------------------------------
# Small helpers

def new_id():
    """Unguessable XML ID (starts with '_' so it is a valid NCName)."""
    return "_" + secrets.token_hex(20)


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def instant(dt, millis=False):
    dt = dt.astimezone(datetime.timezone.utc)
    if millis:
        return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (dt.microsecond // 1000)
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


_INSTANT_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?$")


def parse_instant(text):
    """xs:dateTime -> aware datetime, or None when malformed."""
    m = _INSTANT_RE.match((text or "").strip())
    if not m:
        return None
    y, mo, d, h, mi, s, frac, tz = m.groups()
    micro = int((frac or "0")[:6].ljust(6, "0"))
    try:
        dt = datetime.datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), micro)
    except ValueError:
        return None
    if tz in (None, "Z"):
        return dt.replace(tzinfo=datetime.timezone.utc)
    sign = 1 if tz[0] == "+" else -1
    off = datetime.timedelta(hours=int(tz[1:3]), minutes=int(tz[4:6]))
    return dt.replace(tzinfo=datetime.timezone(sign * off))


def response_instant(request_instant):
    """Now, in seconds precision, unless that would be before the request's IssueInstant (the
    SP rejects that): then with milliseconds."""
    now = utcnow()
    req = parse_instant(request_instant) if request_instant else None
    if req is not None and now.replace(microsecond=0) < req:
        return now, instant(now, millis=True)
    return now, instant(now)


def esc(text):
    return _xml_escape(str(text))


def attr_esc(text):
    return _xml_escape(str(text), {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def el(tag, attrs=None, content=""):
    """Serialise one element; attrs keep their order, None values are skipped; content is
    already-serialised XML (use esc() for text)."""
    a = "".join(' %s="%s"' % (k, attr_esc(v)) for k, v in (attrs or {}).items() if v is not None)
    if isinstance(content, (list, tuple)):
        content = "".join(content)
    if content == "":
        return "<%s%s/>" % (tag, a)
    return "<%s%s>%s</%s>" % (tag, a, content, tag)


def b64(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return base64.b64encode(data).decode("ascii")


def inflate_b64(value):
    """HTTP-Redirect payload: base64 + raw DEFLATE, size-capped."""
    try:
        raw = base64.b64decode(value, validate=False)
        d = zlib.decompressobj(-15)
        out = d.decompress(raw, MAX_INFLATED + 1)
    except (ValueError, zlib.error) as e:
        raise SamlError("cannot decode the deflated message: %s" % e)
    if len(out) > MAX_INFLATED or d.unconsumed_tail:
        raise SamlError("message too large")
    return out


def deflate_b64(xml_text):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = c.compress(xml_text.encode("utf-8")) + c.flush()
    return b64(data)


def qenc(value):
    """SAML HTTP-Redirect encoding: only A-Z a-z 0-9 _ . - ~ literal, space as '+', uppercase
    hex escapes (what urllib.parse.quote_plus does with safe='')."""
    return urllib.parse.quote_plus(value, safe="")


def parse_xml(data):
    """Parse a SAML message; no DOCTYPE (so no entity tricks), bounded size."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_INFLATED:
        raise SamlError("message too large")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise SamlError("DOCTYPE is not allowed in SAML messages")
    try:
        return ET.fromstring(data)
    except ET.ParseError as e:
        raise SamlError("malformed XML: %s" % e)


def q(ns, local):
    return "{%s}%s" % (ns, local)


def text_of(elem):
    return "".join(elem.itertext()).strip() if elem is not None else None


def cert_b64_from_pem(pem_text):
    m = re.search(r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", pem_text, re.S)
    if not m:
        raise ValueError("no PEM certificate found")
    return "".join(m.group(1).split())


def pem_from_b64(cert_b64):
    body = "".join(cert_b64.split())
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


# --------------------------------------------------------------------------------------------
# Signing (pysaml2's xmlsec1 backend) and signature checks

class KeyPair:
    """The IdP key and certificate: XML signatures via pysaml2/xmlsec1, query signatures via
    pysaml2's RSASigner."""

    def __init__(self, key_file, cert_file):
        self.key_file = os.path.abspath(key_file)
        self.cert_file = os.path.abspath(cert_file)
        with open(self.cert_file, encoding="ascii") as f:
            self.cert_b64 = cert_b64_from_pem(f.read())
        self.private_key = import_rsa_key_from_file(self.key_file)
        self.xmlsec = CryptoBackendXmlSec1(get_xmlsec_binary(["/usr/bin"]))

    def signature_template(self, ref_id):
        sig = pre_signature_part(ref_id, self.cert_b64, digest_alg=DIGEST_ALG, sign_alg=SIG_ALG)
        return sig.to_string(nspair={"ds": NS_DS}).decode("utf-8")

    def sign(self, xml_text, node_name, node_id):
        """Sign the ds:Signature template found under the element with ID node_id."""
        out = self.xmlsec.sign_statement(xml_text, node_name, self.key_file, node_id)
        return out

    def sign_query(self, query):
        return b64(SIGNER_ALGS[SIG_ALG].sign(query.encode("ascii"), self.private_key))


def strip_xml_decl(xml_text):
    return re.sub(r"^\s*<\?xml[^>]*\?>\s*", "", xml_text)


class CertFiles:
    """PEM files of SP certificates for xmlsec1 (kept for the life of the process)."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="varco-demo-idp-")
        self.lock = threading.Lock()
        atexit.register(shutil.rmtree, self.dir, True)

    def path(self, cert_b64):
        name = hashlib.sha256(cert_b64.encode()).hexdigest()[:32] + ".pem"
        p = os.path.join(self.dir, name)
        with self.lock:
            if not os.path.exists(p):
                with open(p + ".tmp", "w", encoding="ascii") as f:
                    f.write(pem_from_b64(cert_b64))
                os.replace(p + ".tmp", p)
        return p


def verify_xml_signature(xml_bytes, root, certs, cert_files, xmlsec):
    """Enveloped signature of the root element, checked with the SP's metadata certificates
    only (embedded KeyInfo ignored).  Raises SamlError."""
    sigs = root.findall(q(NS_DS, "Signature"))
    if not sigs:
        raise SamlError("the message is not signed (no ds:Signature child of %s)"
                        % root.tag.split("}")[-1])
    if len(sigs) > 1:
        raise SamlError("more than one ds:Signature on the root element")
    root_id = root.get("ID")
    if not root_id:
        raise SamlError("the signed element has no ID")
    if sum(1 for e in root.iter() if e.get("ID") == root_id) != 1:
        raise SamlError("duplicate ID %s" % root_id)
    refs = sigs[0].findall("./%s/%s" % (q(NS_DS, "SignedInfo"), q(NS_DS, "Reference")))
    if len(refs) != 1 or refs[0].get("URI") != "#" + root_id:
        raise SamlError("the signature does not reference the root element")
    method = sigs[0].find("./%s/%s" % (q(NS_DS, "SignedInfo"), q(NS_DS, "SignatureMethod")))
    if method is None or method.get("Algorithm") not in ACCEPTED_SIG_ALGS:
        raise SamlError("signature algorithm not allowed: %s"
                        % (method.get("Algorithm") if method is not None else None))
    for t in refs[0].iter(q(NS_DS, "Transform")):
        if t.get("Algorithm") not in ("http://www.w3.org/2000/09/xmldsig#enveloped-signature",
                                      "http://www.w3.org/2001/10/xml-exc-c14n#"):
            raise SamlError("transform not allowed: %s" % t.get("Algorithm"))
    if not certs:
        raise SamlError("no signing certificate in the SP metadata")
    node_name = root.tag[1:].replace("}", ":")
    for c in certs:
        try:
            if xmlsec.validate_signature(xml_bytes, cert_files.path(c), "pem", node_name,
                                         root_id):
                return
        except Exception:  # pysaml2 raises XmlsecError/SignatureError on FAIL
            continue
    raise SamlError("XML signature does not verify with the SP's metadata certificate(s)")


def split_raw_query(raw_query):
    """Raw (still percent-encoded) values of a query string; duplicates rejected."""
    out = {}
    for part in raw_query.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        name = urllib.parse.unquote_plus(name)
        if name in out:
            raise SamlError("duplicate query parameter %s" % name)
        out[name] = value
    return out


def verify_query_signature(raw, msg_param, certs, log=None):
    """HTTP-Redirect signature over the octets received: MSG=..&RelayState=..&SigAlg=..
    Returns the decoded SigAlg.  Raises SamlError."""
    if "Signature" not in raw or "SigAlg" not in raw:
        raise SamlError("the HTTP-Redirect message is not signed (no Signature/SigAlg)")
    sig_alg = urllib.parse.unquote_plus(raw["SigAlg"])
    if sig_alg not in ACCEPTED_SIG_ALGS:
        raise SamlError("SigAlg not allowed: %s" % sig_alg)
    parts = ["%s=%s" % (msg_param, raw[msg_param])]
    if "RelayState" in raw:
        parts.append("RelayState=%s" % raw["RelayState"])
    parts.append("SigAlg=%s" % raw["SigAlg"])
    signed = "&".join(parts)
    if log:
        for k in (msg_param, "RelayState", "SigAlg"):
            if k in raw and raw[k] != qenc(urllib.parse.unquote_plus(raw[k])):
                log("warning: %s is not in the canonical SAML URL encoding "
                    "(A-Z a-z 0-9 _ . - ~ literal, space '+', uppercase hex)" % k)
    try:
        sig = base64.b64decode(urllib.parse.unquote_plus(raw["Signature"]), validate=False)
    except ValueError:
        raise SamlError("Signature is not base64")
    if not certs:
        raise SamlError("no signing certificate in the SP metadata")
    signer = SIGNER_ALGS[sig_alg]
    for c in certs:
        key = extract_rsa_key_from_x509_cert(pem_format(c))
        if signer.verify(signed.encode("ascii", "replace"), sig, key):
            return sig_alg
    raise SamlError("query signature does not verify with the SP's metadata certificate(s)")


# --------------------------------------------------------------------------------------------
# SP metadata (lazy, reloaded on change)

class SPInfo:
    def __init__(self, entity_id):
        self.entity_id = entity_id
        self.certs = []          # base64 DER, signing (or unspecified use)
        self.acs = []            # dicts: index, binding, location, default
        self.attr_services = {}  # index -> [names]
        self.default_attr_index = None
        self.slo = []            # dicts: binding, location, response_location

    def default_acs(self):
        post = [a for a in self.acs if a["binding"] == BINDING_POST]
        for a in post:
            if a["default"]:
                return a
        withidx = sorted((a for a in post if a["index"] is not None), key=lambda a: a["index"])
        return (withidx or post or [None])[0]

    def acs_by_index(self, index):
        for a in self.acs:
            if a["index"] == index:
                return a
        return None

    def acs_by_url(self, url):
        for a in self.acs:
            if a["location"] == url:
                return a
        return None

    def requested_attributes(self, index):
        if not self.attr_services:
            return list(DEFAULT_ATTRIBUTES)
        if index is None:
            index = self.default_attr_index
        return self.attr_services.get(index)

    def slo_endpoint(self, prefer=None):
        """The SP's first SingleLogoutService (or the first with binding `prefer`)."""
        if prefer:
            for s in self.slo:
                if s["binding"] == prefer:
                    return s
        return self.slo[0] if self.slo else None

    def summary(self):
        return {"entity_id": self.entity_id, "acs": self.acs, "slo": self.slo,
                "attribute_services": self.attr_services, "certificates": len(self.certs)}


def parse_sp_metadata(data):
    """EntityDescriptor or EntitiesDescriptor -> {entityID: SPInfo} (SPs only)."""
    root = parse_xml(data)
    if root.tag == q(NS_MD, "EntityDescriptor"):
        entities = [root]
    elif root.tag == q(NS_MD, "EntitiesDescriptor"):
        entities = list(root.iter(q(NS_MD, "EntityDescriptor")))
    else:
        raise SamlError("not SAML metadata: root element %s" % root.tag)
    out = {}
    for ed in entities:
        sp_sso = ed.find(q(NS_MD, "SPSSODescriptor"))
        if sp_sso is None:
            continue
        sp = SPInfo(ed.get("entityID"))
        for kd in sp_sso.findall(q(NS_MD, "KeyDescriptor")):
            if kd.get("use") not in (None, "signing"):
                continue
            for c in kd.iter(q(NS_DS, "X509Certificate")):
                sp.certs.append("".join((c.text or "").split()))
        for acs in sp_sso.findall(q(NS_MD, "AssertionConsumerService")):
            idx = acs.get("index")
            sp.acs.append({
                "index": int(idx) if idx is not None and idx.strip().isdigit() else None,
                "binding": acs.get("Binding"),
                "location": acs.get("Location"),
                "default": (acs.get("isDefault") or "").strip() in ("true", "1"),
            })
        for acs in sp_sso.findall(q(NS_MD, "AttributeConsumingService")):
            idx = acs.get("index")
            if idx is None or not idx.strip().isdigit():
                continue
            idx = int(idx)
            sp.attr_services[idx] = [r.get("Name") for r in
                                     acs.findall(q(NS_MD, "RequestedAttribute"))]
            if (acs.get("isDefault") or "").strip() in ("true", "1"):
                sp.default_attr_index = idx
        if sp.default_attr_index is None and sp.attr_services:
            sp.default_attr_index = min(sp.attr_services)
        for slo in sp_sso.findall(q(NS_MD, "SingleLogoutService")):
            sp.slo.append({"binding": slo.get("Binding"), "location": slo.get("Location"),
                           "response_location": slo.get("ResponseLocation")})
        out[sp.entity_id] = sp
    return out


class MetadataSource:
    URL_MAX_AGE = 5.0  # seconds

    def __init__(self, where, log):
        self.where = where
        self.is_url = where.startswith(("http://", "https://"))
        self.log = log
        self.sps = {}
        self.stamp = None       # file: (mtime_ns, size); URL: time of the last fetch attempt
        self.lock = threading.Lock()

    def refresh(self, force=False):
        with self.lock:
            try:
                if self.is_url:
                    now = time.monotonic()
                    if not force and self.stamp is not None and now - self.stamp < self.URL_MAX_AGE:
                        return
                    if force and self.stamp is not None and now - self.stamp < 0.2:
                        return
                    self.stamp = now
                    with urllib.request.urlopen(self.where, timeout=5) as r:
                        data = r.read(4 * 1024 * 1024)
                else:
                    try:
                        st = os.stat(self.where)
                    except FileNotFoundError:
                        if self.sps:
                            self.log("SP metadata %s disappeared; keeping the last copy"
                                     % self.where)
                        return
                    stamp = (st.st_mtime_ns, st.st_size)
                    if stamp == self.stamp:
                        return
                    with open(self.where, "rb") as f:
                        data = f.read()
                    self.stamp = stamp
                sps = parse_sp_metadata(data)
            except (OSError, SamlError, ValueError) as e:
                self.log("cannot load SP metadata from %s: %s" % (self.where, e))
                return
            if sps != self.sps:
                self.log("loaded SP metadata from %s: %s" % (self.where, ", ".join(sps) or "-"))
            self.sps = sps


class SPRegistry:
    def __init__(self, sources, log):
        self.sources = [MetadataSource(s, log) for s in sources]

    def get(self, entity_id):
        for s in self.sources:
            s.refresh()
        for s in self.sources:
            if entity_id in s.sps:
                return s.sps[entity_id]
        for s in self.sources:           # unknown: maybe a URL that changed just now
            if s.is_url:
                s.refresh(force=True)
                if entity_id in s.sps:
                    return s.sps[entity_id]
        return None

    def all(self):
        for s in self.sources:
            s.refresh()
        out = {}
        for s in self.sources:
            out.update(s.sps)
        return out


# --------------------------------------------------------------------------------------------
# IdP metadata

def _idp_entity(entity_id, base_url, keys, org_name, signed, ns_decls):
    md_id = new_id()
    key_descriptor = el("md:KeyDescriptor", {"use": "signing"},
                        el("ds:KeyInfo", None, el("ds:X509Data", None,
                                                   el("ds:X509Certificate", None,
                                                      keys.cert_b64))))
    sso = base_url + "/sso"
    slo = base_url + "/slo"
    parts = [
        key_descriptor,
        el("md:SingleLogoutService", {"Binding": BINDING_REDIRECT, "Location": slo}),
        el("md:SingleLogoutService", {"Binding": BINDING_POST, "Location": slo}),
        el("md:NameIDFormat", None, esc(NAMEID_TRANSIENT)),
        el("md:SingleSignOnService", {"Binding": BINDING_REDIRECT, "Location": sso}),
        el("md:SingleSignOnService", {"Binding": BINDING_POST, "Location": sso}),
    ]
    parts += [el("saml:Attribute", {"Name": n, "NameFormat": ATTRNAME_BASIC})
              for n in SPID_ATTRIBUTES]
    idp = el("md:IDPSSODescriptor", {
        "protocolSupportEnumeration": NS_SAMLP,
        "WantAuthnRequestsSigned": "true",
    }, parts)
    org = el("md:Organization", None, [
        el("md:OrganizationName", {"xml:lang": "it"}, esc(org_name)),
        el("md:OrganizationName", {"xml:lang": "en"}, esc(org_name)),
        el("md:OrganizationDisplayName", {"xml:lang": "it"}, esc(org_name + " (solo demo)")),
        el("md:OrganizationDisplayName", {"xml:lang": "en"}, esc(org_name + " (demo only)")),
        el("md:OrganizationURL", {"xml:lang": "it"}, esc(base_url + "/")),
        el("md:OrganizationURL", {"xml:lang": "en"}, esc(base_url + "/")),
    ])
    attrs = dict(ns_decls)
    attrs.update({"ID": md_id, "entityID": entity_id})
    content = ([keys.signature_template(md_id)] if signed else []) + [idp, org]
    return md_id, el("md:EntityDescriptor", attrs, content)


_MD_NS = {"xmlns:md": NS_MD, "xmlns:ds": NS_DS, "xmlns:saml": NS_SAML}


def idp_metadata(entity_id, base_url, keys, org_name="varco demo SPID IdP"):
    """Signed md:EntityDescriptor of one IdP."""
    md_id, doc = _idp_entity(entity_id, base_url, keys, org_name, True, _MD_NS)
    return keys.sign(doc, NS_MD + ":EntityDescriptor", md_id)


def idp_aggregate(entities, keys, name="varco-demo-idps"):
    """Signed md:EntitiesDescriptor (like AgID's registry) of several IdPs, given as
    [(entity_id, base_url, org_name)]; the entities inside are not signed on their own."""
    agg_id = new_id()
    inner = [_idp_entity(e, b, keys, o, False, {})[1] for e, b, o in entities]
    attrs = dict(_MD_NS)
    attrs.update({"ID": agg_id, "Name": name})
    doc = el("md:EntitiesDescriptor", attrs, [keys.signature_template(agg_id)] + inner)
    return keys.sign(doc, NS_MD + ":EntitiesDescriptor", agg_id)


# --------------------------------------------------------------------------------------------
# Messages built by the IdP

def _issuer(entity_id, name_qualifier=False):
    return el("saml:Issuer", {"Format": NAMEID_ENTITY,
                              "NameQualifier": entity_id if name_qualifier else None},
              esc(entity_id))


def _status(code, sub=None, message=None):
    inner = el("samlp:StatusCode", {"Value": sub}) if sub else ""
    parts = [el("samlp:StatusCode", {"Value": code}, inner)]
    if message:
        parts.append(el("samlp:StatusMessage", None, esc(message)))
    return el("samlp:Status", None, parts)


def attribute_value(name, user):
    v = user.get(name)
    if v is None or v == "":
        return None
    v = str(v)
    if name in ("fiscalNumber", "companyFiscalNumber") and not v.startswith("TINIT-"):
        v = "TINIT-" + v
    if name == "ivaCode" and not v.startswith("VATIT-"):
        v = "VATIT-" + v
    return v


def build_authn_response(keys, idp_entity_id, sp_entity_id, acs_url, in_response_to,
                         request_instant, user=None, attributes=(), level=2, anomaly=None,
                         name_id=None, session_index=None):
    """Signed SPID Response: success (signed Assertion, then signed Response) or anomaly
    (Responder/AuthnFailed + 'ErrorCode nrNN', no Assertion, signed Response)."""
    now, now_s = response_instant(request_instant)
    resp_id = new_id()
    resp_attrs = {
        "xmlns:samlp": NS_SAMLP, "xmlns:saml": NS_SAML,
        "ID": resp_id, "Version": "2.0", "IssueInstant": now_s,
        "Destination": acs_url, "InResponseTo": in_response_to,
    }
    if anomaly:
        doc = el("samlp:Response", resp_attrs, [
            _issuer(idp_entity_id), keys.signature_template(resp_id),
            _status(STATUS_RESPONDER, STATUS_AUTHN_FAILED, "ErrorCode " + anomaly),
        ])
        return keys.sign(doc, NS_SAMLP + ":Response", resp_id)

    assertion_id = new_id()
    not_on_or_after = instant(now + datetime.timedelta(minutes=5))
    attr_xml = []
    for name in attributes:
        v = attribute_value(name, user)
        if v is None:
            continue
        attr_xml.append(el("saml:Attribute", {"Name": name, "NameFormat": ATTRNAME_BASIC},
                           el("saml:AttributeValue", {"xsi:type": "xs:string"}, esc(v))))
    assertion = el("saml:Assertion", {
        "xmlns:xs": NS_XS, "xmlns:xsi": NS_XSI,
        "ID": assertion_id, "Version": "2.0", "IssueInstant": now_s,
    }, [
        _issuer(idp_entity_id),
        keys.signature_template(assertion_id),
        el("saml:Subject", None, [
            el("saml:NameID", {"Format": NAMEID_TRANSIENT, "NameQualifier": idp_entity_id},
               esc(name_id)),
            el("saml:SubjectConfirmation", {"Method": CM_BEARER},
               el("saml:SubjectConfirmationData", {
                   "InResponseTo": in_response_to, "NotOnOrAfter": not_on_or_after,
                   "Recipient": acs_url})),
        ]),
        el("saml:Conditions", {"NotBefore": now_s, "NotOnOrAfter": not_on_or_after},
           el("saml:AudienceRestriction", None, el("saml:Audience", None, esc(sp_entity_id)))),
        el("saml:AuthnStatement", {"AuthnInstant": now_s, "SessionIndex": session_index},
           el("saml:AuthnContext", None,
              el("saml:AuthnContextClassRef", None, esc(SPID_LEVELS[level])))),
        el("saml:AttributeStatement", None, attr_xml) if attr_xml else "",
    ])
    doc = el("samlp:Response", resp_attrs, [
        _issuer(idp_entity_id), keys.signature_template(resp_id),
        _status(STATUS_SUCCESS), assertion,
    ])
    # Assertion first, then the Response over the signed Assertion.
    doc = keys.sign(doc, NS_SAML + ":Assertion", assertion_id)
    return keys.sign(strip_xml_decl(doc), NS_SAMLP + ":Response", resp_id)


def build_logout_response(keys, idp_entity_id, destination, in_response_to, sign_xml,
                          status=STATUS_SUCCESS):
    now_s = instant(utcnow())
    rid = new_id()
    parts = [_issuer(idp_entity_id, name_qualifier=True)]
    if sign_xml:
        parts.append(keys.signature_template(rid))
    parts.append(_status(status))
    doc = el("samlp:LogoutResponse", {
        "xmlns:samlp": NS_SAMLP, "xmlns:saml": NS_SAML,
        "ID": rid, "Version": "2.0", "IssueInstant": now_s,
        "Destination": destination, "InResponseTo": in_response_to,
    }, parts)
    return keys.sign(doc, NS_SAMLP + ":LogoutResponse", rid) if sign_xml else doc


def build_logout_request(keys, idp_entity_id, destination, name_id, session_index, sign_xml):
    now_s = instant(utcnow())
    rid = new_id()
    parts = [_issuer(idp_entity_id, name_qualifier=True)]
    if sign_xml:
        parts.append(keys.signature_template(rid))
    parts.append(el("saml:NameID", {"Format": NAMEID_TRANSIENT,
                                    "NameQualifier": idp_entity_id}, esc(name_id)))
    if session_index:
        parts.append(el("samlp:SessionIndex", None, esc(session_index)))
    doc = el("samlp:LogoutRequest", {
        "xmlns:samlp": NS_SAMLP, "xmlns:saml": NS_SAML,
        "ID": rid, "Version": "2.0", "IssueInstant": now_s,
        "Destination": destination,
    }, parts)
    xml = keys.sign(doc, NS_SAMLP + ":LogoutRequest", rid) if sign_xml else doc
    return rid, xml


def redirect_url(keys, location, param, xml_text, relay_state=None):
    """Signed HTTP-Redirect URL (deflate + base64, canonical encoding, query signature)."""
    parts = ["%s=%s" % (param, qenc(deflate_b64(strip_xml_decl(xml_text))))]
    if relay_state is not None:
        parts.append("RelayState=%s" % qenc(relay_state))
    parts.append("SigAlg=%s" % qenc(SIG_ALG))
    signed = "&".join(parts)
    query = signed + "&Signature=" + qenc(keys.sign_query(signed))
    return location + ("&" if "?" in location else "?") + query
