// Helpers the checks share: strict UTC instants, the IssueInstant and Issuer rules that the
// Response and the Assertion both follow, single children, and log-safe quoting.
#include "saml/response_checks.hpp"
#include "saml/xml_names.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace varco::saml::checks {
namespace {

// Exactly `n` ASCII digits at `pos`, or -1.
int digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return -1;
  int value = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

}  // namespace

// YYYY-MM-DDThh:mm:ss[.f+](Z|+00:00). SAML core §1.3.3 requires UTC; a value without a zone is
// local time of an unknown zone and another offset is not UTC, so both are refused. Fractional
// digits beyond milliseconds are accepted and truncated (some IdPs send microseconds).
std::optional<sys_millis> parse_utc_instant(std::string_view s) {
  constexpr std::size_t seconds_end = 19;  // "YYYY-MM-DDThh:mm:ss"
  if (s.size() < seconds_end + 1) return std::nullopt;
  const int year = digits(s, 0, 4);
  const int month = digits(s, 5, 2);
  const int day = digits(s, 8, 2);
  const int hour = digits(s, 11, 2);
  const int minute = digits(s, 14, 2);
  const int second = digits(s, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return std::nullopt;
  if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  if (year < 1970 || hour > 23 || minute > 59 || second > 59) return std::nullopt;

  const std::chrono::year_month_day date{std::chrono::year{year},
                                         std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;

  std::size_t pos = seconds_end;
  int millis = 0;
  if (s[pos] == '.') {
    ++pos;
    const std::size_t first = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (pos - first < 3) millis = millis * 10 + (s[pos] - '0');
      ++pos;
    }
    const std::size_t count = pos - first;
    if (count == 0) return std::nullopt;
    for (std::size_t i = count; i < 3; ++i) millis *= 10;
  }
  const std::string_view zone = s.substr(pos);
  if (zone != "Z" && zone != "+00:00") return std::nullopt;

  return sys_millis{std::chrono::sys_days{date}.time_since_epoch() + std::chrono::hours{hour} +
                    std::chrono::minutes{minute} + std::chrono::seconds{second} +
                    std::chrono::milliseconds{millis}};
}

outcome<sys_millis> check_issue_instant(const xmlNode* element, const response_expectations& expect,
                                        const instant_reasons& reasons) {
  const auto text = attribute(element, "IssueInstant");
  if (!text) return failure{reasons.malformed, "IssueInstant missing"};
  const auto instant = parse_utc_instant(*text);
  if (!instant) return failure{reasons.malformed, log_safe(*text)};
  // The skew applies both ways: the IdP's clock may run behind ours, so a Response issued "just
  // before" our AuthnRequest is a clock difference, not an old message (those are caught by
  // InResponseTo and the single-use pending request).
  if (*instant + expect.clock_skew < expect.request_instant) {
    return failure{reasons.before_request, log_safe(*text)};
  }
  if (*instant > expect.now + expect.clock_skew) return failure{reasons.future, log_safe(*text)};
  return *instant;
}

outcome<void> check_issuer_element(const xmlNode* parent, const response_expectations& expect,
                                   bool format_required, const issuer_reasons& reasons) {
  auto issuer = single_child(parent, ns::saml, "Issuer");
  if (!issuer) return issuer.error();
  if (*issuer == nullptr) return failure{reasons.mismatch, "Issuer missing"};
  auto text = strict_text(*issuer);
  if (!text) return text.error();
  if (*text != expect.idp->entity_id) {
    return failure{reasons.mismatch, log_safe(*text) + " is not " + expect.idp->entity_id};
  }
  const auto format = attribute(*issuer, "Format");
  if (format ? *format != name_id_format_entity : format_required) {
    return failure{reasons.format, format ? log_safe(*format) : std::string("Format missing")};
  }
  return {};
}

outcome<xmlNodePtr> single_child(const xmlNode* parent, std::string_view ns,
                                 std::string_view local) {
  xmlNodePtr found = nullptr;
  for (xmlNodePtr child = parent->children; child != nullptr; child = child->next) {
    if (!is_element(child, ns, local)) continue;
    if (found != nullptr) {
      return failure{reason::element_duplicated, std::string(local) + " twice in " +
                                                     reinterpret_cast<const char*>(parent->name)};
    }
    found = child;
  }
  return found;
}

std::string log_safe(std::string_view untrusted) {
  constexpr std::size_t max_chars = 80;
  std::string out = "\"";
  for (const char c : untrusted.substr(0, max_chars)) {
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f || c == '"') ? '?' : c;
  }
  if (untrusted.size() > max_chars) out += "...";
  out += '"';
  return out;
}

}  // namespace varco::saml::checks
