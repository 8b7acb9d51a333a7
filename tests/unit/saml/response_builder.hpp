// Test-only: the Responses of tests/support/saml/response_knobs.hpp signed like a real IdP does
// (the Assertion first, then the Response) with testdata/<signer>.key, so that each test flips
// exactly one knob away from a Response that validate_response accepts. The clock is fixed at
// test_now().
#pragma once

#include "saml/idp.hpp"
#include "saml/response_validator.hpp"
#include "saml/xml_document.hpp"
#include "tests/support/saml/response_knobs.hpp"

#include <libxml/tree.h>

#include <string>

namespace varco::saml::test {

// The signed Response as a document, for tests that rearrange it (signature wrapping).
xml_document build_response_document(const response_knobs& knobs);

// The signed Response, serialised (with or without the XML declaration, as the knobs say).
std::string build_response(const response_knobs& knobs = {});

// Signs `element` (which has an ID) with an enveloped signature placed right after its
// saml:Issuer child (or first, when it has none). Fails the test when xmlsec refuses.
void sign_element(xml_document& doc, xmlNodePtr element, const signature_knobs& knobs);

// Serialises without the XML declaration.
std::string serialize(const xml_document& doc);

// The IdP of the defaults (testdata/idp.crt as its only signing certificate) and expectations
// that accept build_response() as it is.
const idp_descriptor& test_idp();
response_expectations test_expectations();

}  // namespace varco::saml::test
