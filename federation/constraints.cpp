#include "federation/constraints.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>

namespace varco::federation {
namespace {

// RFC 5280 §4.2.1.10 for DNS names, as §6.2.2 asks: ".example.org" matches hosts under it,
// "example.org" the host itself.
bool host_matches(std::string_view host, std::string_view constraint) {
  if (constraint.starts_with('.'))
    return host.size() > constraint.size() && host.ends_with(constraint);
  return host == constraint;
}

bool any_match(std::string_view host, const boost::json::value* list) {
  if (list == nullptr || !list->is_array()) return false;
  return std::any_of(list->get_array().begin(), list->get_array().end(),
                     [&](const boost::json::value& c) {
                       return c.is_string() && host_matches(host, c.get_string());
                     });
}

std::string host_of(std::string_view entity_id) {
  auto url = boost::urls::parse_uri(entity_id);
  return url ? std::string(url->host()) : std::string();
}

}  // namespace

outcome<void> check_constraints(const std::vector<entity_statement>& chain,
                                std::string_view entity_type) {
  // chain[j] for 1 <= j < size - 1 is a subordinate statement; its issuer constrains the
  // subjects of chain[1..j]: the leaf and the j - 1 intermediates below the issuer.
  for (std::size_t j = 1; j + 1 < chain.size(); ++j) {
    const auto& c = chain[j].constraints;
    if (c.empty()) continue;
    if (const auto* max = c.if_contains("max_path_length")) {
      if (!max->is_int64() || max->get_int64() < 0)
        return failure{reason::constraint_violation, "max_path_length is not a count"};
      if (static_cast<std::int64_t>(j - 1) > max->get_int64())
        return failure{
            reason::constraint_violation,
            chain[j].iss + " allows " + std::to_string(max->get_int64()) + " intermediates"};
    }
    if (const auto* naming = c.if_contains("naming_constraints"); naming && naming->is_object()) {
      const auto* permitted = naming->get_object().if_contains("permitted");
      const auto* excluded = naming->get_object().if_contains("excluded");
      for (std::size_t k = 1; k <= j; ++k) {
        const std::string host = host_of(chain[k].sub);
        if ((permitted != nullptr && !any_match(host, permitted)) || any_match(host, excluded))
          return failure{reason::constraint_violation,
                         chain[k].sub + " is outside the names of " + chain[j].iss};
      }
    }
    if (const auto* types = c.if_contains("allowed_entity_types"); types && types->is_array()) {
      const auto& list = types->get_array();
      if (entity_type != "federation_entity" &&
          std::find(list.begin(), list.end(), boost::json::value(entity_type)) == list.end())
        return failure{reason::metadata_missing,
                       std::string(entity_type) + " is not allowed by " + chain[j].iss};
    }
  }
  return {};
}

}  // namespace varco::federation
