#include "oidc/attributes.hpp"

#include <array>
#include <utility>

namespace varco::oidc {

std::map<std::string, std::string> session_attributes(const boost::json::object& claims,
                                                      std::string_view fiscal_number_claim) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> names{{
      {"given_name", "name"},
      {"family_name", "familyName"},
      {"email", "email"},
      {"phone_number", "mobilePhone"},
      {"birthdate", "dateOfBirth"},
      {"https://attributes.eid.gov.it/spid_code", "spidCode"},
  }};
  std::map<std::string, std::string> out;
  for (const auto& [claim, attribute] : names) {
    const auto* value = claims.if_contains(claim);
    if (value != nullptr && value->is_string() && !value->get_string().empty())
      out.emplace(attribute, value->get_string());
  }
  if (const auto* value = claims.if_contains(fiscal_number_claim);
      value != nullptr && value->is_string()) {
    std::string_view fiscal = value->get_string();
    // SPID and CIE send TINIT-<code>; a broker may send the bare code.
    if (fiscal.starts_with("TINIT-")) fiscal.remove_prefix(6);
    if (!fiscal.empty()) out.emplace("fiscalNumber", fiscal);
  }
  return out;
}

}  // namespace varco::oidc
