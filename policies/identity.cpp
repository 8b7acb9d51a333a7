#include "policies/identity.hpp"

#include "base/hex.hpp"
#include "base/sha256.hpp"

#include <span>

namespace varco::policies {
namespace {

std::string attribute_of(const session::session& s, const char* name) {
  auto it = s.attributes.find(name);
  return it == s.attributes.end() ? std::string() : it->second;
}

}  // namespace

std::string user_uid(std::string_view fiscal_number) {
  std::string input = "varco:";
  input += fiscal_number;
  auto b = base::sha256(input);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x80);  // version 8
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 9562 variant
  const std::string digits = base::hex(std::span<const unsigned char>(b).first(16));
  // 8-4-4-4-12
  return digits.substr(0, 8) + '-' + digits.substr(8, 4) + '-' + digits.substr(12, 4) + '-' +
         digits.substr(16, 4) + '-' + digits.substr(20, 12);
}

std::string user_email_for(const session::session& session, const directory::person* person,
                           std::string_view party_id) {
  if (person != nullptr && !party_id.empty()) {
    if (const std::string_view work = directory::work_email(*person, party_id); !work.empty())
      return std::string(work);
  }
  return attribute_of(session, "email");
}

identity build_identity(const session::session& session, const directory::party& party,
                        const directory::membership& membership, const directory::person* person,
                        const conf::product& product, const conf::environment& environment,
                        time_point session_expires_at) {
  identity id;
  id.user_fiscal_number = attribute_of(session, "fiscalNumber");
  id.user_name = attribute_of(session, "name");
  id.user_family_name = attribute_of(session, "familyName");
  id.user_email = user_email_for(session, person, party.id);
  id.party_id = party.id;
  id.party_name = party.name;
  id.party_fiscal_code = party.fiscal_code;
  id.party_ipa_code = party.ipa_code;
  id.party_type = party.type;
  id.party_role = membership.role;
  id.product_role = membership.product_role;
  id.product_id = product.id;
  id.environment_id = environment.id;
  id.session_expires_at = session_expires_at;
  id.uid = user_uid(id.user_fiscal_number);
  return id;
}

}  // namespace varco::policies
