// Who is asking, on behalf of which party, on which product and environment: the facts the
// claims headers and the identity token are made of, gathered once per (session, product,
// environment) from the session, the directory and the config.
#pragma once

#include "conf/config.hpp"
#include "directory/model.hpp"
#include "session/session.hpp"

#include <string>
#include <string_view>

namespace varco::policies {

using time_point = session::time_point;

struct identity {
  std::string user_fiscal_number;
  std::string user_name;
  std::string user_family_name;
  std::string user_email;  // user_email_for the party

  std::string party_id;
  std::string party_name;
  std::string party_fiscal_code;
  std::string party_ipa_code;
  std::string party_type;

  directory::party_role party_role = directory::party_role::operator_;
  std::string product_role;
  std::string product_id;
  std::string environment_id;

  time_point session_expires_at{};
  std::string uid;  // stable per fiscal number, see user_uid()
};

// The e-mail varco gives for the user acting for `party_id` (the claims, the Assistenza form): the
// work e-mail the directory has for them at that party (directory::work_email, Self Care's
// "email istituzionale"), else the one the identity provider released; "" when neither. `person`
// is the directory's record of the user, null when it has none; with no party, the IdP's e-mail.
std::string user_email_for(const session::session& session, const directory::person* person,
                           std::string_view party_id);

// The membership must be the one decide_access allowed (same user, party and product); `person`
// is the directory's record of the user, or null.
identity build_identity(const session::session& session, const directory::party& party,
                        const directory::membership& membership, const directory::person* person,
                        const conf::product& product, const conf::environment& environment,
                        time_point session_expires_at);

// The gateway keeps no user registry, so the user id is derived from the fiscal number: the first
// 16 bytes of SHA-256("varco:" + fiscal number) shaped as an RFC 9562 UUIDv8 (the version for
// name-based ids with a hash other than MD5/SHA-1). Same fiscal number → same uid, everywhere.
std::string user_uid(std::string_view fiscal_number);

}  // namespace varco::policies
