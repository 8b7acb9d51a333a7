// The IdP side of a login, played in-process: its metadata (one EntityDescriptor with its signing
// certificate and SingleSignOnService endpoints, for varco's saml.spid.metadata) and, for each
// AuthnRequest varco sends, a SPID Response signed like an IdP signs it (the Assertion, then the
// Response, with saml::sign_enveloped), built from tests/support/saml/response_knobs.hpp.
//
// Requires a saml::xml_library. respond() is reentrant: login loops call it from their threads.
#pragma once

#include "saml/credentials.hpp"
#include "saml/errors.hpp"

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace varco::bench {

// What the Response needs from varco's AuthnRequest.
struct authn_request_fields {
  std::string id;            // ID, the Response's InResponseTo
  std::string sp_entity_id;  // saml:Issuer, the Audience
  std::string acs_url;       // AssertionConsumerServiceURL (or the configured one)
  std::string class_ref;     // the requested AuthnContextClassRef
};

// The fields of an AuthnRequest's XML; bad_encoding when the ID or the Issuer is missing.
saml::outcome<authn_request_fields> read_authn_request(std::string_view xml);

class fast_idp {
 public:
  fast_idp(std::string entity_id, saml::signing_credentials credentials, std::string fiscal_code);

  const std::string& entity_id() const noexcept { return entity_id_; }

  // The metadata document varco reads (unsigned: a single EntityDescriptor from a local file).
  std::string metadata_xml() const;

  // The signed Response to `request`, serialised (not yet base64), issued now.
  saml::outcome<std::string> respond(const authn_request_fields& request);

 private:
  std::string entity_id_;
  saml::signing_credentials credentials_;
  std::string fiscal_code_;
  // With issued_, makes every Response and Assertion ID unique, across runs too: varco's replay
  // cache remembers an assertion ID for its lifetime, and runs share a varco (bench/storm).
  std::string run_id_;
  std::atomic<std::uint64_t> issued_{0};
};

}  // namespace varco::bench
