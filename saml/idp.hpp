// An Identity Provider as its metadata describes it, and the immutable set of them varco trusts.
//
// Built by idp_registry loading (saml/idp_metadata.hpp) and shared read-only between worker
// threads through std::shared_ptr<const idp_set>; a refresh builds a new set and swaps it whole.
#pragma once

#include "saml/credentials.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace varco::saml {

inline constexpr std::string_view binding_redirect =
    "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
inline constexpr std::string_view binding_post = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

enum class provider_kind { spid, cie };
std::string_view to_string(provider_kind kind);  // "spid", "cie"

struct idp_endpoint {
  std::string binding;            // binding_redirect or binding_post
  std::string location;           // absolute URL
  std::string response_location;  // SLO: where responses go, when it differs
};

struct idp_descriptor {
  std::string entity_id;
  provider_kind kind = provider_kind::spid;
  std::string display_name;  // config override, else md:OrganizationDisplayName, else entityID
  std::string logo;          // config override (URL or /static path); may be empty
  std::vector<certificate> signing_certificates;  // KeyDescriptor use="signing" (or no use)
  std::vector<idp_endpoint> single_sign_on;
  std::vector<idp_endpoint> single_logout;

  // The first endpoint with that binding, or null.
  const idp_endpoint* sso(std::string_view binding) const;
  const idp_endpoint* slo(std::string_view binding) const;
};

class idp_set {
 public:
  idp_set() = default;
  explicit idp_set(std::vector<idp_descriptor> idps);

  const idp_descriptor* find(std::string_view entity_id) const;
  // Every IdP of one kind, in load order (the login page shuffles them).
  std::vector<const idp_descriptor*> of_kind(provider_kind kind) const;
  std::size_t size() const { return idps_.size(); }
  const std::vector<idp_descriptor>& all() const { return idps_; }

 private:
  std::vector<idp_descriptor> idps_;
  std::map<std::string, std::size_t, std::less<>> by_entity_id_;
};

}  // namespace varco::saml
