// Parsing and structure: the bytes become a document only within the untrusted limits, the root
// must be a samlp:Response whose IDs are unique, and it must hold exactly one plain Assertion.
#include "saml/response_checks.hpp"
#include "saml/xml_names.hpp"

#include <string>

namespace varco::saml::checks {

// Also enforced by the parser; checked first and on its own so that an oversized body is refused
// before libxml2 sees a byte of it.
outcome<void> check_size(validation_state& s) {
  if (s.input.size() > s.expect.max_bytes) {
    return failure{reason::message_too_large, std::to_string(s.input.size()) + " bytes, limit " +
                                                  std::to_string(s.expect.max_bytes)};
  }
  return {};
}

// No DOCTYPE (so no entity is ever declared, expanded or fetched), bounded depth, no network.
outcome<void> check_parse(validation_state& s) {
  auto doc = s.parsed ? std::move(*s.parsed)
                      : parse_untrusted_xml(s.input, parse_limits{.max_bytes = s.expect.max_bytes});
  s.parsed.reset();
  if (!doc) return doc.error();
  s.doc.emplace(std::move(*doc));
  return {};
}

outcome<void> check_root(validation_state& s) {
  xmlNodePtr root = s.doc->root();
  if (root == nullptr || !is_element(root, ns::samlp, "Response")) {
    std::string name = root != nullptr ? reinterpret_cast<const char*>(root->name) : "nothing";
    return failure{reason::not_a_response, "root is " + log_safe(name)};
  }
  s.response = root;
  return {};
}

// Before any signature: with every ID unique, "#ID" can resolve only to the element carrying it.
outcome<void> check_ids_unique(validation_state& s) { return register_ids_unique(*s.doc); }

// Only direct children of the root count: an Assertion hidden deeper (in Extensions, in another
// Assertion's Advice, in a ds:Object) is never read, so it does not matter here, and the one that
// is read must be the one whose signature check_assertion_signature verifies.
outcome<void> check_assertion_count(validation_state& s) {
  if (first_child(s.response, ns::saml, "EncryptedAssertion") != nullptr) {
    return failure{reason::encrypted_assertion_forbidden,
                   "SPID and CIE assertions are not encrypted"};
  }
  const auto assertions = children(s.response, ns::saml, "Assertion");
  if (assertions.size() != 1) {
    return failure{reason::assertion_count, std::to_string(assertions.size()) + " assertions"};
  }
  s.assertion = assertions.front();
  return {};
}

}  // namespace varco::saml::checks
