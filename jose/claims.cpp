#include "jose/claims.hpp"

#include "jose/compact.hpp"

#include <cmath>
#include <optional>

namespace varco::jose {
namespace {

// A NumericDate (seconds since the epoch, integer or not); nullopt when absent.
outcome<std::optional<double>> numeric_date(const boost::json::object& claims,
                                            std::string_view name) {
  const auto* value = claims.if_contains(name);
  if (value == nullptr) return std::optional<double>{};
  double seconds = 0;
  if (value->is_int64())
    seconds = static_cast<double>(value->get_int64());
  else if (value->is_uint64())
    seconds = static_cast<double>(value->get_uint64());
  else if (value->is_double())
    seconds = value->get_double();
  else
    return failure{reason::claim_malformed, std::string(name) + " is not a number"};
  if (!std::isfinite(seconds) || seconds < 0)
    return failure{reason::claim_malformed, std::string(name) + " is out of range"};
  return std::optional<double>(seconds);
}

bool audience_holds(const boost::json::value& aud, std::string_view audience, std::size_t& count) {
  if (aud.is_string()) {
    count = 1;
    return aud.get_string() == audience;
  }
  if (!aud.is_array()) return false;
  count = aud.get_array().size();
  bool found = false;
  for (const auto& entry : aud.get_array()) {
    if (!entry.is_string()) return false;
    if (entry.get_string() == audience) found = true;
  }
  return found;
}

}  // namespace

outcome<boost::json::object> parse_claims(std::string_view payload) {
  return parse_object(payload, reason::payload_malformed);
}

outcome<void> check_issuer_and_audience(const boost::json::object& claims, std::string_view issuer,
                                        std::string_view audience) {
  const auto* iss = claims.if_contains("iss");
  if (iss == nullptr) return failure{reason::claim_missing, "iss"};
  if (!iss->is_string() || iss->get_string() != issuer) return failure{reason::issuer_mismatch, {}};

  const auto* aud = claims.if_contains("aud");
  if (aud == nullptr) return failure{reason::claim_missing, "aud"};
  std::size_t audiences = 0;
  if (!audience_holds(*aud, audience, audiences)) return failure{reason::audience_mismatch, {}};
  if (audiences > 1) {  // several audiences: azp names the one the token was issued to
    const auto* azp = claims.if_contains("azp");
    if (azp == nullptr || !azp->is_string() || azp->get_string() != audience)
      return failure{reason::audience_mismatch, "azp"};
  }
  return {};
}

outcome<void> check_claims(const boost::json::object& claims, const claim_expectations& expected) {
  if (auto ok = check_issuer_and_audience(claims, expected.issuer, expected.audience); !ok)
    return ok;

  const double now = std::chrono::duration<double>(expected.now.time_since_epoch()).count();
  const double skew = static_cast<double>(expected.skew.count());
  auto exp = numeric_date(claims, "exp");
  if (!exp) return exp.error();
  if (!*exp) return failure{reason::claim_missing, "exp"};
  if (now >= **exp + skew) return failure{reason::expired, {}};
  auto nbf = numeric_date(claims, "nbf");
  if (!nbf) return nbf.error();
  if (*nbf && now + skew < **nbf) return failure{reason::not_yet_valid, {}};
  auto iat = numeric_date(claims, "iat");
  if (!iat) return iat.error();
  if (!*iat && expected.require_iat) return failure{reason::claim_missing, "iat"};
  if (*iat && now + skew < **iat) return failure{reason::issued_in_future, {}};
  return {};
}

}  // namespace varco::jose
