// A small directory and product config shared by the Area Riservata unit tests: one user who
// administers a municipality and operates for a technology partner, and three products.
#pragma once

#include "conf/config.hpp"
#include "directory/snapshot.hpp"
#include "session/session.hpp"

#include <memory>
#include <string>

namespace varco::gateway::area_testing {

inline constexpr const char* admin_cf = "RSSMRA80A01H501U";
inline constexpr const char* comune = "p-comune";
inline constexpr const char* partner = "p-partner";

inline conf::environment environment(
    std::string id, std::string label, std::vector<std::string> party_roles = {},
    conf::environment_mode mode = conf::environment_mode::proxied) {
  conf::environment env;
  env.id = std::move(id);
  env.label = std::move(label);
  env.party_roles = std::move(party_roles);
  env.mode = mode;
  return env;
}

inline conf::product product(std::string id, std::string title) {
  conf::product p;
  p.id = std::move(id);
  p.title = std::move(title);
  p.path_prefix = "/" + p.id;
  p.required_party_roles = {"MANAGER", "DELEGATE", "OPERATOR"};
  return p;
}

inline conf::config area_config() {
  conf::config config;
  auto pagopa = product("prod-pagopa", "Piattaforma pagoPA");
  pagopa.logo = "/static/varco/pagopa.svg";
  pagopa.environments = {environment("collaudo", "Ambiente di Collaudo"),
                         environment("produzione", "Ambiente di Produzione", {"MANAGER"})};
  auto io = product("prod-io", "App IO");
  io.environments = {
      environment("collaudo", "Ambiente di Collaudo"),
      environment("esterno", "Ambiente esterno", {}, conf::environment_mode::redirect)};
  auto pn = product("prod-pn", "SEND");
  pn.environments = {environment("produzione", "Ambiente di Produzione")};
  config.products = {pagopa, io, pn};
  return config;
}

inline directory::membership member(
    std::string user, std::string party, std::string product, directory::party_role role,
    directory::membership_status status = directory::membership_status::active) {
  directory::membership m;
  m.user_fiscal_number = std::move(user);
  m.party_id = std::move(party);
  m.product_id = std::move(product);
  m.role = role;
  m.product_role = role == directory::party_role::operator_ ? "operator" : "admin";
  m.status = status;
  return m;
}

inline std::shared_ptr<const directory::snapshot> area_directory(
    std::vector<directory::membership> extra = {}, std::string comune_name = "Comune di Valdoria") {
  std::vector<directory::party> parties(2);
  parties[0].id = comune;
  parties[0].name = std::move(comune_name);
  parties[0].type = "PA";
  parties[0].fiscal_code = "80012340123";
  parties[0].ipa_code = "c_v001";
  parties[0].registry = {{"address", "Piazza del Municipio 1"},
                         {"pec", "protocollo@pec.comune.valdoria.it"}};
  parties[1].id = partner;
  parties[1].name = "Tecnopartner S.r.l.";
  parties[1].type = "PT";
  parties[1].fiscal_code = "01234567890";
  using directory::party_role;
  std::vector<directory::membership> memberships = {
      member(admin_cf, comune, "prod-pagopa", party_role::manager),
      member(admin_cf, partner, "prod-pagopa", party_role::operator_),
      // The partner uses IO through another user only: joined, but not by this user.
      member("VRDLGU85B02F205X", partner, "prod-io", party_role::manager),
  };
  memberships.insert(memberships.end(), extra.begin(), extra.end());
  return std::make_shared<const directory::snapshot>(std::move(parties), std::move(memberships),
                                                     std::vector<directory::delegation>{}, 1);
}

inline session::session area_session(std::string party = comune) {
  session::session s;
  s.key = "k";
  s.attributes["fiscalNumber"] = admin_cf;
  s.attributes["name"] = "Mario";
  s.attributes["familyName"] = "Rossi";
  s.provider = "cie";
  s.selected_party = std::move(party);
  s.csrf_token = "csrf-token-0123456789";
  return s;
}

}  // namespace varco::gateway::area_testing
