// The login page's choices from the configured providers: SAML and OpenID Connect SPID providers
// in one shuffled list, the CIE button's protocol, the standard providers' group, the return path
// on every link (as each protocol allows it), values percent-encoded.
#include "gateway/login/login_choices.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace varco::gateway {
namespace {

conf::oidc_provider provider(std::string id, conf::oidc_provider_kind kind, std::string name,
                             std::string logo = {}) {
  conf::oidc_provider p;
  p.id = std::move(id);
  p.kind = kind;
  p.issuer = "https://" + p.id + ".example";
  p.name = std::move(name);
  p.logo = std::move(logo);
  return p;
}

const idp_entry* named(const std::vector<idp_entry>& list, std::string_view name) {
  auto it =
      std::find_if(list.begin(), list.end(), [&](const idp_entry& e) { return e.name == name; });
  return it == list.end() ? nullptr : &*it;
}

const std::vector<conf::oidc_provider> every_kind = {
    provider("spid-op", conf::oidc_provider_kind::spid, "OP SPID", "/static/spid/op.svg"),
    provider("broker", conf::oidc_provider_kind::oidc, "Broker regionale", "/static/logos/b.svg"),
    provider("cie-op", conf::oidc_provider_kind::cie, "CIE id"),
    provider("keycloak", conf::oidc_provider_kind::oidc, "Keycloak"),
};

TEST(login_choices, links_name_the_provider_and_the_return_path_percent_encoded) {
  EXPECT_EQ(saml_login_link("https://idp.example/x", ""),
            "/saml/login?idp=https%3A%2F%2Fidp.example%2Fx");
  EXPECT_EQ(saml_login_link("https://idp.example", "/area/users?x=1&y=2"),
            "/saml/login?idp=https%3A%2F%2Fidp.example&return=%2Farea%2Fusers%3Fx%3D1%26y%3D2");
  EXPECT_EQ(oidc_login_link("spid-op", ""), "/oidc/login?provider=spid-op");
  EXPECT_EQ(oidc_login_link("spid-op", "/area?a=b&c"),
            "/oidc/login?provider=spid-op&return=%2Farea%3Fa%3Db%26c");
}

TEST(login_choices, spid_providers_of_both_protocols_share_the_spid_menu) {
  login_sources sources;
  sources.saml_spid = {{"https://idp-a.example", "IdP A", "/static/spid/a.svg"},
                       {"https://idp-b.example", "IdP B", ""}};
  sources.oidc = every_kind;
  std::mt19937 rng{1};
  const auto page = login_choices(sources, rng);
  ASSERT_EQ(page.spid.size(), 3U);
  const auto* op = named(page.spid, "OP SPID");
  ASSERT_NE(op, nullptr);
  EXPECT_EQ(op->href, "/oidc/login?provider=spid-op");
  EXPECT_EQ(op->logo, "/static/spid/op.svg");
  const auto* saml = named(page.spid, "IdP A");
  ASSERT_NE(saml, nullptr);
  EXPECT_EQ(saml->href, "/saml/login?idp=https%3A%2F%2Fidp-a.example");
  EXPECT_EQ(saml->logo, "/static/spid/a.svg");
  EXPECT_EQ(named(page.spid, "Broker regionale"), nullptr);  // not a SPID provider
  EXPECT_EQ(named(page.spid, "CIE id"), nullptr);
}

TEST(login_choices, the_spid_menu_favours_neither_protocol) {
  login_sources sources;
  sources.saml_spid = {{"https://idp-a.example", "IdP A", ""},
                       {"https://idp-b.example", "IdP B", ""}};
  sources.oidc = every_kind;
  std::mt19937 rng{7};
  std::set<std::string> first;
  for (int i = 0; i < 200; ++i) first.insert(login_choices(sources, rng).spid.front().name);
  EXPECT_EQ(first, (std::set<std::string>{"IdP A", "IdP B", "OP SPID"}));
}

TEST(login_choices, cie_goes_through_openid_connect_when_a_cie_provider_is_configured) {
  login_sources sources;
  sources.saml_cie = {{"https://cie-saml.example", "CIE SAML", ""}};
  sources.oidc = every_kind;
  sources.saml_return = "/area/users";
  sources.oidc_return = "/area/users";
  std::mt19937 rng{1};
  auto page = login_choices(sources, rng);
  ASSERT_TRUE(page.cie.has_value());
  EXPECT_EQ(page.cie->href, "/oidc/login?provider=cie-op&return=%2Farea%2Fusers");

  // Without one, the SAML CIE ID provider, as before the oidc section existed.
  const std::vector<conf::oidc_provider> spid_only = {every_kind[0]};
  sources.oidc = spid_only;
  page = login_choices(sources, rng);
  ASSERT_TRUE(page.cie.has_value());
  EXPECT_EQ(page.cie->href,
            "/saml/login?idp=https%3A%2F%2Fcie-saml.example&return=%2Farea%2Fusers");

  // Neither: the button says "Presto disponibile".
  sources.saml_cie.clear();
  EXPECT_FALSE(login_choices(sources, rng).cie.has_value());
}

TEST(login_choices, standard_providers_are_the_other_ways_in_configuration_order) {
  login_sources sources;
  sources.oidc = every_kind;
  std::mt19937 rng{1};
  const auto page = login_choices(sources, rng);
  ASSERT_EQ(page.others.size(), 2U);
  EXPECT_EQ(page.others[0].name, "Broker regionale");
  EXPECT_EQ(page.others[0].href, "/oidc/login?provider=broker");
  EXPECT_EQ(page.others[0].logo, "/static/logos/b.svg");
  EXPECT_EQ(page.others[1].name, "Keycloak");
  EXPECT_EQ(page.others[1].href, "/oidc/login?provider=keycloak");
  EXPECT_TRUE(page.others[1].logo.empty());
}

TEST(login_choices, every_link_carries_the_return_path_its_protocol_allows) {
  login_sources sources;
  sources.saml_spid = {{"https://idp-a.example", "IdP A", ""}};
  sources.oidc = every_kind;
  sources.saml_return = "/pagopa/pagamenti?anno=2026";
  sources.oidc_return = "/area";
  std::mt19937 rng{1};
  const auto page = login_choices(sources, rng);
  EXPECT_EQ(
      named(page.spid, "IdP A")->href,
      "/saml/login?idp=https%3A%2F%2Fidp-a.example&return=%2Fpagopa%2Fpagamenti%3Fanno%3D2026");
  EXPECT_EQ(named(page.spid, "OP SPID")->href, "/oidc/login?provider=spid-op&return=%2Farea");
  EXPECT_EQ(page.cie->href, "/oidc/login?provider=cie-op&return=%2Farea");
  for (const auto& other : page.others) EXPECT_TRUE(other.href.ends_with("&return=%2Farea"));

  // A path only SAML's return_paths allow: the OpenID Connect links go without it.
  sources.oidc_return.clear();
  const auto saml_only = login_choices(sources, rng);
  EXPECT_EQ(named(saml_only.spid, "OP SPID")->href, "/oidc/login?provider=spid-op");
  EXPECT_TRUE(named(saml_only.spid, "IdP A")
                  ->href.ends_with("&return=%2Fpagopa%2Fpagamenti%3Fanno%3D2026"));
}

TEST(login_choices, nothing_configured_offers_nothing) {
  std::mt19937 rng{1};
  const auto page = login_choices({}, rng);
  EXPECT_TRUE(page.spid.empty());
  EXPECT_FALSE(page.cie.has_value());
  EXPECT_TRUE(page.others.empty());
}

}  // namespace
}  // namespace varco::gateway
