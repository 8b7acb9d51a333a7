// Signatures, verified with the certificates of the IdP's metadata only (certificates embedded in
// the message are never read) and on the very element that the later checks read.
#include "saml/response_checks.hpp"
#include "saml/xml_signature.hpp"

#include <string>

namespace varco::saml::checks {
namespace {

outcome<void> verify(validation_state& s, xmlNodePtr element, std::string_view what) {
  auto verified = verify_enveloped_signature(*s.doc, element, s.expect.idp->signing_certificates);
  if (!verified) {
    failure f = verified.error();
    f.detail = std::string(what) + " signature: " + f.detail;
    return f;
  }
  return {};
}

}  // namespace

// The Response signature is optional in SPID (the Assertion's is not), but one that is present
// must verify: a Response carrying a broken signature is tampered with or forged.
outcome<void> check_response_signature(validation_state& s) {
  if (!has_signature(s.response)) return {};
  auto verified = verify(s, s.response, "response");
  if (!verified) return verified;
  s.response_signed = true;
  return {};
}

outcome<void> check_assertion_signature(validation_state& s) {
  if (!has_signature(s.assertion)) {
    return failure{reason::assertion_unsigned, "the Assertion has no ds:Signature child"};
  }
  return verify(s, s.assertion, "assertion");
}

}  // namespace varco::saml::checks
