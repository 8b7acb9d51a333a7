// saml:Subject: who (a transient NameID with its NameQualifier) and for whom (a bearer
// confirmation addressed to our ACS, answering our request, not yet expired).
#include "saml/response_checks.hpp"
#include "saml/xml_names.hpp"

#include <string>

namespace varco::saml::checks {
namespace {

outcome<xmlNodePtr> subject_of(const validation_state& s) {
  auto subject = single_child(s.assertion, ns::saml, "Subject");
  if (subject && *subject == nullptr) return failure{reason::name_id_missing, "Subject missing"};
  return subject;
}

}  // namespace

outcome<void> check_subject_name_id(validation_state& s) {
  auto subject = subject_of(s);
  if (!subject) return subject.error();
  auto name_id = single_child(*subject, ns::saml, "NameID");
  if (!name_id) return name_id.error();
  if (*name_id == nullptr) return failure{reason::name_id_missing, "NameID missing"};

  const auto format = attribute(*name_id, "Format");
  if (format != name_id_format_transient) {
    return failure{reason::name_id_format, format ? log_safe(*format) : "Format missing"};
  }
  auto qualifier = attribute(*name_id, "NameQualifier");
  if (!qualifier || qualifier->empty()) return failure{reason::name_qualifier_missing, ""};
  // strict_text refuses comments and PIs: "abc<!---->def" would read differently than it was
  // signed (exclusive c14n drops comments from the digest).
  auto text = strict_text(*name_id);
  if (!text) return text.error();
  if (text->empty()) return failure{reason::name_id_missing, "NameID empty"};

  s.user.name_id = std::move(*text);
  s.user.name_qualifier = std::move(*qualifier);
  return {};
}

outcome<void> check_subject_confirmation(validation_state& s) {
  auto subject = subject_of(s);
  if (!subject) return subject.error();
  auto confirmation = single_child(*subject, ns::saml, "SubjectConfirmation");
  if (!confirmation) return confirmation.error();
  if (*confirmation == nullptr) {
    return failure{reason::subject_confirmation_method, "SubjectConfirmation missing"};
  }
  const auto method = attribute(*confirmation, "Method");
  if (method != confirmation_bearer) {
    return failure{reason::subject_confirmation_method, method ? log_safe(*method) : "missing"};
  }
  auto data = single_child(*confirmation, ns::saml, "SubjectConfirmationData");
  if (!data) return data.error();
  if (*data == nullptr) return failure{reason::subject_confirmation_data_missing, ""};

  const auto recipient = attribute(*data, "Recipient");
  if (recipient != s.expect.acs_url) {
    return failure{reason::recipient_mismatch,
                   recipient ? log_safe(*recipient) + " is not " + s.expect.acs_url : "missing"};
  }
  const auto in_response_to = attribute(*data, "InResponseTo");
  if (in_response_to != s.expect.request_id) {
    return failure{
        reason::subject_in_response_to_mismatch,
        in_response_to ? log_safe(*in_response_to) + " is not the pending request" : "missing"};
  }
  const auto not_on_or_after_text = attribute(*data, "NotOnOrAfter");
  const auto not_on_or_after =
      not_on_or_after_text ? parse_utc_instant(*not_on_or_after_text) : std::nullopt;
  if (!not_on_or_after) {
    return failure{reason::subject_not_on_or_after_malformed,
                   not_on_or_after_text ? log_safe(*not_on_or_after_text) : "missing"};
  }
  if (s.expect.now >= *not_on_or_after + s.expect.clock_skew) {
    return failure{reason::subject_expired, log_safe(*not_on_or_after_text)};
  }
  s.subject_not_on_or_after = not_on_or_after;
  return {};
}

}  // namespace varco::saml::checks
