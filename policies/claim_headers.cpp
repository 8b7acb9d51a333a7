#include "policies/claim_headers.hpp"

namespace varco::policies {
namespace {

char fold(char c) {
  if (c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
  if (c == '_') return '-';
  return c;
}

bool folded_starts_with(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (fold(text[i]) != fold(prefix[i])) return false;
  }
  return true;
}

bool folded_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && folded_starts_with(a, b);
}

}  // namespace

bool in_claims_namespace(std::string_view name, const conf::claims& claims) {
  if (!claims.header_namespace.empty() && folded_starts_with(name, claims.header_namespace)) {
    return true;
  }
  if (!claims.token_header.empty() && folded_equal(name, claims.token_header)) return true;
  return claims.replace_authorization && folded_equal(name, "Authorization");
}

std::string sanitize_header_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c < 0x20 || c == 0x7f) continue;
    // U+0080..U+009F are encoded as C2 80..C2 9F.
    if (c == 0xc2 && i + 1 < value.size()) {
      const auto next = static_cast<unsigned char>(value[i + 1]);
      if (next >= 0x80 && next <= 0x9f) {
        ++i;
        continue;
      }
    }
    out += static_cast<char>(c);
  }
  return out;
}

std::string claim_value(const identity& id, conf::claim c) {
  using conf::claim;
  switch (c) {
    case claim::user_fiscal_number:
      return id.user_fiscal_number;
    case claim::user_name:
      return id.user_name;
    case claim::user_family_name:
      return id.user_family_name;
    case claim::user_email:
      return id.user_email;
    case claim::party_id:
      return id.party_id;
    case claim::party_name:
      return id.party_name;
    case claim::party_fiscal_code:
      return id.party_fiscal_code;
    case claim::party_type:
      return id.party_type;
    case claim::party_role:
      return std::string(directory::to_string(id.party_role));
    case claim::product_role:
      return id.product_role;
    case claim::product:
      return id.product_id;
    case claim::environment:
      return id.environment_id;
  }
  return {};
}

std::vector<std::pair<std::string, std::string>> claim_headers(const identity& id,
                                                               const conf::claims& claims) {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(claims.header_names.size());
  for (const auto& [c, name] : claims.header_names) {
    if (name.empty()) continue;  // a claim configured not to be sent
    out.emplace_back(name, sanitize_header_value(claim_value(id, c)));
  }
  return out;
}

}  // namespace varco::policies
