// A logged-in user's server-side session.
//
// The browser holds a random 256-bit id in a cookie; the store only ever sees and keys on the
// SHA-256 of that id (session_key), so a dump of the store does not leak live cookies.
#pragma once

#include <chrono>
#include <map>
#include <string>

namespace varco::session {

using clock = std::chrono::system_clock;
using time_point = std::chrono::time_point<clock, std::chrono::milliseconds>;

struct session {
  std::string key;  // hex SHA-256 of the cookie id; set by the store layer, never the raw id

  // User attributes from the assertion: fiscalNumber (without the TINIT- prefix), name,
  // familyName, email, spidCode, … Names as in the SPID attribute set.
  std::map<std::string, std::string> attributes;
  std::string provider;       // "spid" or "cie"
  std::string idp_entity_id;  // for SLO
  std::string name_id;
  std::string session_index;
  int level = 0;  // SPID level 1..3

  time_point created_at{};  // the absolute timeout counts from here

  std::string selected_party;                       // party id, "" until chosen
  std::map<std::string, std::string> environments;  // product id → environment id
  std::string csrf_token;
  // What an OpenID Connect login keeps for its logout: provider (the configured id), id_token
  // (the hint for RP-initiated logout), access_token (revoked at Esci), sid. Empty for SAML.
  std::map<std::string, std::string> oidc;

  const std::string& attribute(const std::string& name) const;
  const std::string& fiscal_number() const { return attribute("fiscalNumber"); }

  bool operator==(const session&) const = default;
};

}  // namespace varco::session
