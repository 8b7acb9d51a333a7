#include "saml/response_validator.hpp"

#include "saml/response_checks.hpp"
#include "saml/xml_names.hpp"

#include <algorithm>
#include <array>
#include <cassert>

namespace varco::saml {
namespace checks {
namespace {

// The order is the security argument of saml/response_checks.hpp; docs/saml.md mirrors it.
constexpr std::array checklist = {
    named_check{"size", check_size},
    named_check{"parse", check_parse},
    named_check{"root", check_root},
    named_check{"ids_unique", check_ids_unique},
    named_check{"response_signature", check_response_signature},
    named_check{"response_id", check_response_id},
    named_check{"response_version", check_response_version},
    named_check{"response_issue_instant", check_response_issue_instant},
    named_check{"response_in_response_to", check_response_in_response_to},
    named_check{"response_destination", check_response_destination},
    named_check{"response_issuer", check_response_issuer},
    named_check{"status", check_status},
    named_check{"assertion_count", check_assertion_count},
    named_check{"assertion_signature", check_assertion_signature},
    named_check{"assertion_id", check_assertion_id},
    named_check{"assertion_version", check_assertion_version},
    named_check{"assertion_issue_instant", check_assertion_issue_instant},
    named_check{"assertion_issuer", check_assertion_issuer},
    named_check{"subject_name_id", check_subject_name_id},
    named_check{"subject_confirmation", check_subject_confirmation},
    named_check{"conditions", check_conditions},
    named_check{"audience", check_audience},
    named_check{"authn_statement", check_authn_statement},
    named_check{"attributes", check_attributes},
};

}  // namespace

std::span<const named_check> response_checklist() { return checklist; }

}  // namespace checks

namespace {

std::optional<response_envelope> read_envelope(const xml_document& doc) {
  xmlNodePtr root = doc.root();
  if (root == nullptr || !is_element(root, ns::samlp, "Response")) return std::nullopt;
  response_envelope envelope;
  envelope.id = attribute(root, "ID").value_or("");
  envelope.in_response_to = attribute(root, "InResponseTo").value_or("");
  envelope.issue_instant = attribute(root, "IssueInstant").value_or("");
  if (xmlNodePtr issuer = first_child(root, ns::saml, "Issuer"); issuer != nullptr) {
    if (auto text = strict_text(issuer)) envelope.issuer = std::move(*text);
  }
  return envelope;
}

}  // namespace

received_response::received_response(std::string_view xml, std::size_t max_bytes)
    : xml_(xml), max_bytes_(max_bytes) {
  if (xml.size() > max_bytes) return;
  parsed_.emplace(parse_untrusted_xml(xml, parse_limits{.max_bytes = max_bytes}));
  if (*parsed_) envelope_ = read_envelope(**parsed_);
}

outcome<authenticated_user> validate_response(received_response response,
                                              const response_expectations& expect) {
  assert(expect.idp != nullptr);
  assert(response.max_bytes_ == expect.max_bytes);
  checks::validation_state state(response.xml_, expect);
  state.parsed = std::move(response.parsed_);
  for (const auto& check : checks::response_checklist()) {
    if (auto passed = check.run(state); !passed) return passed.error();
  }
  // The replay cache keeps the assertion ID for as long as these checks would accept it.
  state.user.assertion_not_on_or_after =
      std::min(*state.subject_not_on_or_after, *state.conditions_not_on_or_after) +
      expect.clock_skew;
  return std::move(state.user);
}

outcome<authenticated_user> validate_response(std::string_view saml_response_xml,
                                              const response_expectations& expect) {
  return validate_response(received_response(saml_response_xml, expect.max_bytes), expect);
}

std::optional<response_envelope> peek_response(std::string_view xml, std::size_t max_bytes) {
  return received_response(xml, max_bytes).envelope();
}

}  // namespace varco::saml
