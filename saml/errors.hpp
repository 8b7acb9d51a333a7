// Why a SAML message (or one of its parts) was refused: a stable reason code for logs, metrics and
// the error page, plus a human readable detail.
//
// Request-path functions of this module return outcome<T> and never throw. `.value()` on a failed
// outcome throws failure_error; use it only at start-up (loading keys, metadata from disk).
#pragma once

#include <boost/system/result.hpp>

#include <cstddef>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace varco::saml {

// The list lives in one macro so that adding a reason is one line and its code can never drift from
// the enumerator: the code IS the enumerator's name, snake_case, stable for dashboards. Append new
// reasons inside their group; the numeric values are not stable, the codes are.
#define VARCO_SAML_REASONS(X)                                                         \
  X(ok)                                                                               \
  /* parsing */                                                                       \
  X(message_too_large)                                                                \
  X(bad_encoding) /* base64, deflate, percent-encoding, query syntax */               \
  X(malformed_xml)                                                                    \
  X(doctype_forbidden)                                                                \
  X(too_deep)                                                                         \
  X(text_has_markup) /* a comment, PI or element inside a text value */               \
  /* signature */                                                                     \
  X(signature_missing)                                                                \
  X(signature_invalid)                                                                \
  X(signature_algorithm_forbidden)                                                    \
  X(digest_algorithm_forbidden)                                                       \
  X(transform_forbidden)                                                              \
  X(reference_mismatch) /* the reference does not point at the element itself */      \
  X(key_not_trusted)                                                                  \
  X(duplicate_id)                                                                     \
  /* redirect binding */                                                              \
  X(redirect_signature_missing)                                                       \
  X(redirect_signature_invalid)                                                       \
  X(redirect_sigalg_forbidden)                                                        \
  /* response validation (saml/response_checks.hpp) */                                \
  X(not_a_response) /* the root is not samlp:Response */                              \
  X(response_id_missing)                                                              \
  X(response_version)                                                                 \
  X(response_issue_instant_malformed)                                                 \
  X(response_issue_instant_before_request)                                            \
  X(response_issue_instant_future)                                                    \
  X(in_response_to_mismatch)                                                          \
  X(destination_mismatch)                                                             \
  X(issuer_mismatch)                                                                  \
  X(issuer_format)                                                                    \
  X(status_not_success)                                                               \
  X(spid_anomaly)    /* signed Responder "ErrorCode nrNN"; detail "nrNN" */           \
  X(assertion_count) /* zero or several Assertion children of the Response */         \
  X(encrypted_assertion_forbidden)                                                    \
  X(assertion_unsigned)                                                               \
  X(assertion_id_missing)                                                             \
  X(assertion_version)                                                                \
  X(assertion_issue_instant_malformed)                                                \
  X(assertion_issue_instant_before_request)                                           \
  X(assertion_issue_instant_future)                                                   \
  X(assertion_issuer_mismatch)                                                        \
  X(assertion_issuer_format)                                                          \
  X(element_duplicated) /* an element SAML or SPID allows once appears twice */       \
  X(name_id_missing)                                                                  \
  X(name_id_format)                                                                   \
  X(name_qualifier_missing)                                                           \
  X(subject_confirmation_method)                                                      \
  X(subject_confirmation_data_missing)                                                \
  X(recipient_mismatch)                                                               \
  X(subject_in_response_to_mismatch)                                                  \
  X(subject_not_on_or_after_malformed)                                                \
  X(subject_expired)                                                                  \
  X(conditions_missing)                                                               \
  X(conditions_malformed)                                                             \
  X(conditions_not_yet_valid)                                                         \
  X(conditions_expired)                                                               \
  X(audience_mismatch)                                                                \
  X(authn_context_missing)                                                            \
  X(authn_context_invalid) /* not https://www.spid.gov.it/SpidL1..3 */                \
  X(authn_level_too_low)                                                              \
  X(attribute_statement_missing)                                                      \
  X(attribute_statement_empty)                                                        \
  X(attribute_malformed)  /* no Name, not exactly one value, or a name twice */       \
  X(fiscal_number_format) /* fiscalNumber without the TINIT- prefix */                \
  /* IdP metadata */                                                                  \
  X(metadata_unreadable) /* a source file cannot be read, or none is configured */    \
  X(metadata_invalid)    /* not IdP metadata, or an IdP without signing key or SSO */ \
  X(metadata_expired)    /* validUntil has passed */                                  \
  /* single logout */                                                                 \
  X(logout_wrong_message) /* the root is not the expected Logout* element */          \
  X(logout_id_missing)                                                                \
  X(logout_version)                                                                   \
  X(logout_issue_instant_malformed)                                                   \
  X(logout_issue_instant_stale) /* older than the clock skew */                       \
  X(logout_issue_instant_future)                                                      \
  X(logout_unknown_issuer) /* no Issuer, or not a loaded IdP */                       \
  X(logout_issuer_format)                                                             \
  X(logout_destination_mismatch)                                                      \
  X(logout_in_response_to_missing)                                                    \
  X(logout_status_missing)                                                            \
  X(logout_name_id_missing)                                                           \
  X(logout_expired)        /* NotOnOrAfter has passed */                              \
  X(logout_no_slo_service) /* the IdP lists no SingleLogoutService we can use */      \
  /* ours */                                                                          \
  X(internal_error)

enum class reason {
#define VARCO_SAML_REASON_ENUMERATOR(name) name,
  VARCO_SAML_REASONS(VARCO_SAML_REASON_ENUMERATOR)
#undef VARCO_SAML_REASON_ENUMERATOR
};

// "signature_invalid" for reason::signature_invalid; "unknown" for a value outside the enum.
std::string_view reason_code(reason r) noexcept;

struct failure {
  reason code = reason::internal_error;
  std::string detail;  // for people reading logs; never holds a secret (keys, session ids)
};

template <class T>
using outcome = boost::system::result<T, failure>;

std::ostream& operator<<(std::ostream& os, reason r);  // its code; gtest prints reasons with it

// "reason_code: detail"
std::string to_string(const failure& f);
std::ostream& operator<<(std::ostream& os, const failure& f);  // gtest prints failures with it

// What `.value()` throws on a failed outcome (start-up code only).
class failure_error : public std::runtime_error {
 public:
  explicit failure_error(failure f);
  const failure& what_failed() const noexcept { return failure_; }

 private:
  failure failure_;
};

// base::base64_decode with its refusal as a failure: message_too_large past `max_decoded`,
// bad_encoding for anything that is not strict padded base64 (line breaks and spaces are skipped).
outcome<std::string> decode_base64(std::string_view text, std::size_t max_decoded);

// Found by ADL from boost::system::result<T, failure>::value().
[[noreturn]] void throw_exception_from_error(const failure& f, const boost::source_location& loc);

}  // namespace varco::saml
