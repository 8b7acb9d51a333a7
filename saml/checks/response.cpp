// The samlp:Response element: its attributes, its Issuer and its Status. Only the root is read,
// never anything found by searching the document.
#include "saml/response_checks.hpp"
#include "saml/xml_names.hpp"

#include <cctype>
#include <string>

namespace varco::saml::checks {
namespace {

// "ErrorCode nr19" → "nr19"; nullopt for any other message. SPID IdPs write exactly this form
// (Regole Tecniche, tabella anomalie); the number selects the courtesy page.
std::optional<std::string> anomaly_code(std::string_view message) {
  constexpr std::string_view prefix = "ErrorCode nr";
  if (!message.starts_with(prefix)) return std::nullopt;
  const std::string_view number = message.substr(prefix.size());
  if (number.empty() || number.size() > 3) return std::nullopt;
  for (const char c : number) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) return std::nullopt;
  }
  return "nr" + std::string(number);
}

}  // namespace

outcome<void> check_response_id(validation_state& s) {
  auto id = attribute(s.response, "ID");
  if (!id || id->empty()) return failure{reason::response_id_missing, ""};
  s.user.response_id = std::move(*id);
  return {};
}

outcome<void> check_response_version(validation_state& s) {
  const auto version = attribute(s.response, "Version");
  if (version != "2.0") {
    return failure{reason::response_version, version ? log_safe(*version) : "missing"};
  }
  return {};
}

outcome<void> check_response_issue_instant(validation_state& s) {
  auto instant = check_issue_instant(
      s.response, s.expect,
      {reason::response_issue_instant_malformed, reason::response_issue_instant_before_request,
       reason::response_issue_instant_future});
  if (!instant) return instant.error();
  s.user.response_issue_instant = *instant;
  return {};
}

// SPID requires Destination on every Response, signed or not (Avviso 11).
outcome<void> check_response_destination(validation_state& s) {
  const auto destination = attribute(s.response, "Destination");
  if (destination != s.expect.acs_url) {
    return failure{
        reason::destination_mismatch,
        destination ? log_safe(*destination) + " is not " + s.expect.acs_url : "missing"};
  }
  return {};
}

outcome<void> check_response_in_response_to(validation_state& s) {
  const auto in_response_to = attribute(s.response, "InResponseTo");
  if (in_response_to != s.expect.request_id) {
    return failure{
        reason::in_response_to_mismatch,
        in_response_to ? log_safe(*in_response_to) + " is not the pending request" : "missing"};
  }
  return {};
}

// SAML allows a Response Issuer without Format (CIE sends it so); when present it must be entity.
outcome<void> check_response_issuer(validation_state& s) {
  return check_issuer_element(s.response, s.expect, /*format_required=*/false,
                              {reason::issuer_mismatch, reason::issuer_format});
}

// A signed Responder status with "ErrorCode nrNN" is a SPID anomaly: the IdP tells the user's
// outcome (wrong credentials, cancelled, ...) and the gateway shows its courtesy page. Without a
// Response signature nobody vouches for the code, so the same message is only status_not_success:
// still a refusal, never a login, with a generic page (SPID IdPs sign their anomaly responses).
outcome<void> check_status(validation_state& s) {
  auto status = single_child(s.response, ns::samlp, "Status");
  if (!status) return status.error();
  if (*status == nullptr) return failure{reason::status_not_success, "Status missing"};
  auto code = single_child(*status, ns::samlp, "StatusCode");
  if (!code) return code.error();
  const auto value = *code != nullptr ? attribute(*code, "Value") : std::nullopt;
  if (value == status_success) return {};

  std::string message;
  if (auto element = single_child(*status, ns::samlp, "StatusMessage"); element && *element) {
    if (auto text = strict_text(*element)) message = std::move(*text);
  }
  if (value == status_responder && s.response_signed) {
    if (auto anomaly = anomaly_code(message)) return failure{reason::spid_anomaly, *anomaly};
  }
  std::string detail = value ? log_safe(*value) : std::string("StatusCode missing");
  if (!message.empty()) detail += " " + log_safe(message);
  if (!s.response_signed) detail += " (unsigned response)";
  return failure{reason::status_not_success, std::move(detail)};
}

}  // namespace varco::saml::checks
