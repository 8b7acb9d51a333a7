#include "directory/file_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <initializer_list>
#include <map>
#include <sstream>

namespace varco::directory {
namespace {

bool all_of(std::string_view s, int (*pred)(int)) {
  return std::all_of(s.begin(), s.end(),
                     [&](char c) { return pred(static_cast<unsigned char>(c)) != 0; });
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](char c) {
    return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  });
  return s;
}

// Walks the parsed document and collects every error with the line of the node at fault.
class parser {
 public:
  explicit parser(const std::string& file) : file_(file) {}

  void error(const YAML::Node& at, std::string message) {
    errors_.push_back({file_, at.Mark().line + 1, std::move(message)});
  }
  void error(const YAML::Mark& at, std::string message) {
    errors_.push_back({file_, at.line + 1, std::move(message)});
  }

  void document(const YAML::Node& root) {
    if (!root || root.IsNull()) return;  // an empty directory is a valid directory
    if (!root.IsMap()) {
      error(root,
            "the directory must be a mapping with parties, users, memberships and delegations");
      return;
    }
    known_keys(root, "the directory", {"parties", "users", "memberships", "delegations"});
    // Parties first: memberships and delegations are checked against them.
    if (auto n = root["parties"]) each(n, "parties", [&](const YAML::Node& e) { party_entry(e); });
    if (auto n = root["users"]) each(n, "users", [&](const YAML::Node& e) { user_entry(e); });
    if (auto n = root["memberships"]) {
      each(n, "memberships", [&](const YAML::Node& e) { membership_entry(e); });
    }
    if (auto n = root["delegations"]) {
      each(n, "delegations", [&](const YAML::Node& e) { delegation_entry(e); });
    }
  }

  std::vector<party> parties_;
  std::vector<person> people_;
  std::vector<membership> memberships_;
  std::vector<delegation> delegations_;
  std::vector<load_error> errors_;

 private:
  template <class F>
  void each(const YAML::Node& list, std::string_view what, F&& f) {
    if (list.IsNull()) return;
    if (!list.IsSequence()) {
      error(list, std::string(what) + " must be a list");
      return;
    }
    for (const auto& entry : list) {
      if (!entry.IsMap()) {
        error(entry, "each entry of " + std::string(what) + " must be a mapping");
        continue;
      }
      f(entry);
    }
  }

  void known_keys(const YAML::Node& map, std::string_view where,
                  std::initializer_list<std::string_view> allowed) {
    for (const auto& kv : map) {
      const auto key = kv.first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        error(kv.first, "unknown key " + quoted(key) + " in " + std::string(where));
      }
    }
  }

  // A scalar field; "" when absent or null. Reports a missing required field at the entry.
  std::string scalar(const YAML::Node& entry, const char* key, std::string_view where,
                     bool required) {
    const YAML::Node n = entry[key];
    if (!n || n.IsNull() || (n.IsScalar() && n.Scalar().empty())) {
      if (required) error(entry, std::string(where) + ": missing required field " + quoted(key));
      return {};
    }
    if (!n.IsScalar()) {
      error(n, std::string(where) + ": " + key + " must be a single value");
      return {};
    }
    return n.Scalar();
  }

  int line_of(const YAML::Node& entry, const char* key) {
    const YAML::Node n = entry[key];
    return (n ? n.Mark().line : entry.Mark().line) + 1;
  }

  void party_entry(const YAML::Node& e) {
    known_keys(e, "a party", {"id", "name", "type", "fiscal_code", "ipa_code", "logo", "registry"});
    party p;
    p.id = scalar(e, "id", "party", true);
    p.name = scalar(e, "name", "party", true);
    p.type = scalar(e, "type", "party", true);
    p.fiscal_code = scalar(e, "fiscal_code", "party", true);
    p.ipa_code = scalar(e, "ipa_code", "party", false);
    p.logo = scalar(e, "logo", "party", false);
    if (!p.fiscal_code.empty() && !is_party_fiscal_code(p.fiscal_code)) {
      error(e["fiscal_code"], "party fiscal_code " + quoted(p.fiscal_code) +
                                  " must be 11 digits or 16 letters or digits");
    }
    if (const YAML::Node reg = e["registry"]; reg && !reg.IsNull()) {
      if (!reg.IsMap()) {
        error(reg, "party registry must be a mapping of field to value");
      } else {
        for (const auto& kv : reg) {
          if (!kv.second.IsScalar()) {
            error(kv.second,
                  "party registry field " + quoted(kv.first.Scalar()) + " must be a single value");
            continue;
          }
          p.registry.emplace_back(kv.first.Scalar(), kv.second.Scalar());
        }
      }
    }
    if (!p.id.empty()) {
      auto [it, inserted] = party_lines_.emplace(p.id, line_of(e, "id"));
      if (!inserted) {
        error(e["id"], "duplicate party id " + quoted(p.id) + " (first defined at line " +
                           std::to_string(it->second) + ")");
        return;
      }
      party_types_.emplace(p.id, p.type);
    }
    parties_.push_back(std::move(p));
  }

  void user_entry(const YAML::Node& e) {
    known_keys(e, "a user", {"fiscal_number", "name", "family_name", "email", "work_emails"});
    person p;
    p.fiscal_number = upper(scalar(e, "fiscal_number", "user", true));
    p.name = scalar(e, "name", "user", true);
    p.family_name = scalar(e, "family_name", "user", true);
    p.email = scalar(e, "email", "user", false);
    if (p.fiscal_number.empty()) return;
    if (!is_person_fiscal_number(p.fiscal_number)) {
      error(e["fiscal_number"], "user fiscal number " + quoted(p.fiscal_number) +
                                    " must be 16 letters or digits, without the TINIT- prefix");
      return;
    }
    if (!p.email.empty() && !is_email_address(p.email)) {
      error(e["email"], "user email " + quoted(p.email) + " is not an e-mail address");
      return;
    }
    if (!work_emails(e["work_emails"], p)) return;
    auto [it, inserted] = user_lines_.emplace(p.fiscal_number, line_of(e, "fiscal_number"));
    if (!inserted) {
      error(e["fiscal_number"], "duplicate user " + quoted(p.fiscal_number) +
                                    " (first defined at line " + std::to_string(it->second) + ")");
      return;
    }
    people_.push_back(std::move(p));
  }

  // work_emails: party id → e-mail, each party known and each address valid. False on an error.
  bool work_emails(const YAML::Node& map, person& p) {
    if (!map || map.IsNull()) return true;
    if (!map.IsMap()) {
      error(map, "user work_emails must be a mapping of party id to e-mail address");
      return false;
    }
    bool ok = true;
    for (const auto& kv : map) {
      const std::string party_id = kv.first.Scalar();
      if (!kv.second.IsScalar() || !is_email_address(kv.second.Scalar())) {
        error(kv.second,
              "user work e-mail for party " + quoted(party_id) + " must be one e-mail address");
        ok = false;
      } else if (party_types_.find(party_id) == party_types_.end()) {
        error(kv.first, "user work_emails: unknown party " + quoted(party_id));
        ok = false;
      } else {
        p.work_emails.emplace(party_id, kv.second.Scalar());
      }
    }
    return ok;
  }

  // The party must exist; returns its type ("" when unknown).
  const std::string* known_party(const YAML::Node& e, const char* key, std::string_view where,
                                 const std::string& id) {
    if (id.empty()) return nullptr;
    auto it = party_types_.find(id);
    if (it == party_types_.end()) {
      error(e[key], std::string(where) + ": unknown party " + quoted(id));
      return nullptr;
    }
    return &it->second;
  }

  void membership_entry(const YAML::Node& e) {
    known_keys(e, "a membership",
               {"user", "party", "product", "party_role", "product_role", "status"});
    membership m;
    m.user_fiscal_number = scalar(e, "user", "membership", true);
    m.party_id = scalar(e, "party", "membership", true);
    m.product_id = scalar(e, "product", "membership", true);
    const std::string role = scalar(e, "party_role", "membership", true);
    m.product_role = scalar(e, "product_role", "membership", true);
    const std::string status = scalar(e, "status", "membership", false);

    bool ok = !m.user_fiscal_number.empty() && !m.party_id.empty() && !m.product_id.empty() &&
              !role.empty() && !m.product_role.empty();
    if (!m.user_fiscal_number.empty()) {
      if (!is_person_fiscal_number(m.user_fiscal_number)) {
        error(e["user"], "membership: user fiscal number " + quoted(m.user_fiscal_number) +
                             " must be 16 letters or digits, without the TINIT- prefix");
        ok = false;
      }
      // SPID sends fiscal numbers upper-case; store them so lookups need no case folding.
      m.user_fiscal_number = upper(std::move(m.user_fiscal_number));
    }
    if (!m.party_id.empty() && known_party(e, "party", "membership", m.party_id) == nullptr) {
      ok = false;
    }
    if (!role.empty() && !parse_party_role(role, m.role)) {
      error(e["party_role"],
            "membership: bad party_role " + quoted(role) +
                " (expected MANAGER, DELEGATE, SUB_DELEGATE, OPERATOR or ADMIN_EA)");
      ok = false;
    }
    if (!status.empty() && !parse_membership_status(status, m.status)) {
      error(e["status"],
            "membership: bad status " + quoted(status) + " (expected active or suspended)");
      ok = false;
    }
    if (!ok) return;
    const std::string key = m.user_fiscal_number + '\n' + m.party_id + '\n' + m.product_id;
    auto [it, inserted] = membership_lines_.emplace(key, e.Mark().line + 1);
    if (!inserted) {
      error(e, "duplicate membership of " + quoted(m.user_fiscal_number) + " on party " +
                   quoted(m.party_id) + " for product " + quoted(m.product_id) +
                   " (first defined at line " + std::to_string(it->second) + ")");
      return;
    }
    memberships_.push_back(std::move(m));
  }

  void delegation_entry(const YAML::Node& e) {
    known_keys(e, "a delegation", {"from", "to", "product", "since"});
    delegation d;
    d.from_party = scalar(e, "from", "delegation", true);
    d.to_party = scalar(e, "to", "delegation", true);
    d.product_id = scalar(e, "product", "delegation", true);
    d.since = scalar(e, "since", "delegation", false);
    bool ok = !d.from_party.empty() && !d.to_party.empty() && !d.product_id.empty();
    if (const auto* type = known_party(e, "from", "delegation", d.from_party)) {
      if (*type == "PT") {
        error(e["from"], "delegation: from party " + quoted(d.from_party) +
                             " is a technology partner (PT); delegations come from institutions");
        ok = false;
      }
    } else {
      ok = false;
    }
    if (const auto* type = known_party(e, "to", "delegation", d.to_party)) {
      if (*type != "PT") {
        error(e["to"], "delegation: to party " + quoted(d.to_party) + " has type " + quoted(*type) +
                           ", expected a technology partner (PT)");
        ok = false;
      }
    } else {
      ok = false;
    }
    if (ok) delegations_.push_back(std::move(d));
  }

  const std::string& file_;
  std::map<std::string, int, std::less<>> party_lines_;
  std::map<std::string, std::string, std::less<>> party_types_;
  std::map<std::string, int, std::less<>> membership_lines_;
  std::map<std::string, int, std::less<>> user_lines_;
};

}  // namespace

std::string load_error::to_string() const {
  if (line <= 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ": " + message;
}

bool is_person_fiscal_number(std::string_view s) {
  return s.size() == 16 && all_of(s, &std::isalnum);
}

bool is_email_address(std::string_view s) {
  // Deliberately loose (RFC 5322 allows far more): one @, something before it, a dot in the
  // domain, no spaces or angle brackets, and a length a mail system accepts.
  if (s.size() < 5 || s.size() > 254) return false;
  const auto at = s.find('@');
  if (at == 0 || at == std::string_view::npos || s.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view domain = s.substr(at + 1);
  const auto dot = domain.find('.');
  if (dot == 0 || dot == std::string_view::npos || domain.back() == '.') return false;
  return std::none_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= ' ' || u == 0x7f || c == '<' || c == '>' || c == '"' || c == ',' || c == ';';
  });
}

bool is_party_fiscal_code(std::string_view s) {
  return (s.size() == 11 && all_of(s, &std::isdigit)) || is_person_fiscal_number(s);
}

load_result load_directory_text(std::string_view yaml, const std::string& file_name,
                                std::uint64_t generation) {
  load_result out;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    out.errors.push_back({file_name, e.mark.is_null() ? 0 : e.mark.line + 1, e.msg});
    return out;
  }
  parser p(file_name);
  p.document(root);
  if (!p.errors_.empty()) {
    out.errors = std::move(p.errors_);
    return out;
  }
  out.directory = std::make_shared<const snapshot>(directory_data{std::move(p.parties_),
                                                                  std::move(p.people_),
                                                                  std::move(p.memberships_),
                                                                  std::move(p.delegations_),
                                                                  {}},
                                                   generation);
  return out;
}

load_result load_directory_file(const std::string& path, std::uint64_t generation) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    load_result out;
    out.errors.push_back({path, 0, "cannot open the directory file"});
    return out;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return load_directory_text(text.str(), path, generation);
}

}  // namespace varco::directory
