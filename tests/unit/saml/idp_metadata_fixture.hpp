// IdP metadata written by the tests themselves: one md:EntityDescriptor per IdP, gathered into an
// md:EntitiesDescriptor aggregate like AgID's registry, signed with a test key on demand.
#pragma once

#include "saml/credentials.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace varco::saml::test {

struct entity_spec {
  std::string entity_id = "https://idp.example.it";
  std::string signing_cert_b64;     // base64 DER; empty → no signing KeyDescriptor
  std::string key_use = "signing";  // "" writes a KeyDescriptor without use
  bool encryption_key = false;      // also an encryption-only KeyDescriptor (with another cert)
  bool sso = true;                  // SingleSignOnService Redirect + POST (+ an artifact one)
  bool slo = true;                  // SingleLogoutService Redirect (with ResponseLocation) + POST
  bool idp = true;                  // false: an SPSSODescriptor instead
  std::vector<std::pair<std::string, std::string>> display_names;  // (lang, text)
  std::string valid_until;  // on the EntityDescriptor, when not empty
};

// One EntityDescriptor, with its namespace declarations, no XML declaration.
std::string entity_xml(const entity_spec& spec);

// EntitiesDescriptor ID="_aggregate" around the given entity documents.
std::string aggregate_xml(const std::vector<std::string>& entities,
                          std::string_view valid_until = "");

// A standalone EntityDescriptor document with ID="_entity" (so it can be signed).
std::string entity_document(const entity_spec& spec);

// The document with an enveloped signature on its root (reference = root ID), first child.
std::string sign_root(const std::string& xml, const signing_credentials& creds);

// An IdP with the test "idp" certificate.
entity_spec idp_spec(std::string entity_id);

}  // namespace varco::saml::test
