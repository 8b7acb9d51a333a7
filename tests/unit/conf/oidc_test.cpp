// The oidc section: the federation, the providers of each kind, their defaults, and every
// mistake reported as file:line: what.
#include "tests/unit/conf/conf_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace varco::conf::testing {
namespace {

class oidc_config : public conf_fixture {
 protected:
  oidc_config() {
    write_ec_key("jwt.pem");
    write_ec_key("rp-sig.pem");
    write_ec_key("rp-fed.pem");
    write("rp-enc.pem", "placeholder: read by the gateway, only checked readable here\n");
    write("ta.jwks", R"({"keys":[]})");
    write("secret.txt", "s3cret\n");
  }
  static std::string config(const std::string& oidc, bool plain = false) {
    return std::string(minimal_jwt) + minimal_products + "server:\n" +
           "  public_base_url: https://area.ente.it\n" + (plain ? "  plain_http: true\n" : "") +
           oidc;
  }
  std::vector<std::string> errors(const std::string& oidc, bool plain = false) const {
    return errors_of(config(oidc, plain));
  }
  static bool mentions(const std::vector<std::string>& errors, const std::string& text) {
    return std::any_of(errors.begin(), errors.end(),
                       [&](const std::string& e) { return e.find(text) != std::string::npos; });
  }
};

constexpr const char* federation_section = R"(oidc:
  signing_key_file: rp-sig.pem
  encryption_key_file: rp-enc.pem
  audit: {directory: audit}
  federation:
    key_file: rp-fed.pem
    authority_hints: [https://intermediate.example]
    trust_anchors:
      - {entity_id: https://registry.spid.gov.it, jwks_file: ta.jwks}
    trust_marks:
      - {id: https://registry.spid.gov.it/openid_relying_party/public, trust_mark: eyJ.x.y}
    organization_name: Comune di Prova
    contacts: [spid@ente.it]
  providers:
    - {id: spid-op, kind: spid, issuer: https://op.spid.example, level: 3}
    - {id: cie, kind: cie, issuer: https://oidc.idserver.servizicie.interno.gov.it, name: CIE id}
    - id: broker
      kind: oidc
      issuer: https://login.pagopa.example/realms/selfcare
      client_id: varco
      client_auth: client_secret_basic
      client_secret_file: secret.txt
      fiscal_number_claim: fiscal_number
)";

TEST_F(oidc_config, absent_section_leaves_oidc_off) {
  auto loaded = load(config(""));
  ASSERT_TRUE(loaded.value) << loaded.errors.front().to_string();
  EXPECT_FALSE(loaded.value->oidc.enabled);
}

TEST_F(oidc_config, a_full_section_and_its_defaults) {
  auto loaded = load(config(federation_section));
  ASSERT_TRUE(loaded.value) << loaded.errors.front().to_string();
  const auto& o = loaded.value->oidc;
  EXPECT_TRUE(o.enabled);
  EXPECT_EQ(o.redirect_uri, "https://area.ente.it/oidc/callback");
  EXPECT_EQ(o.federation.entity_id, "https://area.ente.it");  // public_base_url by default
  ASSERT_EQ(o.federation.trust_anchors.size(), 1u);
  EXPECT_EQ(o.federation.trust_anchors[0].jwks_json, R"({"keys":[]})");
  ASSERT_EQ(o.federation.trust_marks.size(), 1u);
  EXPECT_EQ(o.federation.entity_configuration_ttl, std::chrono::hours(24));
  ASSERT_EQ(o.providers.size(), 3u);

  const auto* spid = o.find_provider("spid-op");
  ASSERT_NE(spid, nullptr);
  EXPECT_EQ(spid->kind, oidc_provider_kind::spid);
  EXPECT_EQ(spid->default_level, 3);
  EXPECT_TRUE(spid->request_object);
  EXPECT_EQ(spid->scopes, std::vector<std::string>{"openid"});
  EXPECT_EQ(spid->name, "op.spid.example");  // the issuer's host when unnamed
  ASSERT_FALSE(spid->claims.empty());
  EXPECT_EQ(spid->claims.front(), "https://attributes.eid.gov.it/fiscal_number");

  const auto* broker = o.find_provider("broker");
  ASSERT_NE(broker, nullptr);
  EXPECT_EQ(broker->client_auth, oidc_client_auth::client_secret_basic);
  EXPECT_EQ(broker->client_secret, "s3cret");  // without the trailing newline
  EXPECT_EQ(broker->scopes, (std::vector<std::string>{"openid", "profile", "email"}));
  EXPECT_FALSE(broker->request_object);
  EXPECT_EQ(broker->fiscal_number_claim, "fiscal_number");
  EXPECT_EQ(o.find_provider("nope"), nullptr);
}

TEST_F(oidc_config, federation_providers_need_the_federation_and_an_encryption_key) {
  const auto e = errors(R"(oidc:
  signing_key_file: rp-sig.pem
  audit: {directory: audit}
  providers:
    - {id: spid-op, kind: spid, issuer: https://op.spid.example, client_id: me}
)");
  EXPECT_TRUE(mentions(e, "needs oidc.federation")) << ::testing::PrintToString(e);
  EXPECT_TRUE(mentions(e, "encryption_key_file: is required")) << ::testing::PrintToString(e);
  EXPECT_TRUE(mentions(e, "client_id: is the federation entity_id")) << ::testing::PrintToString(e);
}

TEST_F(oidc_config, plain_providers_need_their_client) {
  const auto e = errors(R"(oidc:
  signing_key_file: rp-sig.pem
  audit: {directory: audit}
  providers:
    - {id: kc, kind: oidc, issuer: https://kc.example, client_auth: client_secret_basic}
    - {id: kc, kind: saml, issuer: https://kc2.example, scopes: [profile]}
    - {id: Bad_Id, kind: oidc, issuer: http://insecure.example, client_id: x}
)");
  const auto dump = ::testing::PrintToString(e);
  EXPECT_TRUE(mentions(e, "providers[0].client_id: is required")) << dump;
  EXPECT_TRUE(mentions(e, "providers[0].client_secret_file: is required")) << dump;
  EXPECT_TRUE(mentions(e, "\"kc\" is used twice")) << dump;
  EXPECT_TRUE(mentions(e, "\"saml\" is not spid, cie or oidc")) << dump;
  EXPECT_TRUE(mentions(e, "scopes: must include openid")) << dump;
  EXPECT_TRUE(mentions(e, "must be lower-case")) << dump;
  EXPECT_TRUE(mentions(e, "\"http://insecure.example\" is not an https:// URL")) << dump;
}

TEST_F(oidc_config, http_issuers_only_for_local_development) {
  const std::string section = R"(oidc:
  signing_key_file: rp-sig.pem
  audit: {directory: audit}
  providers:
    - {id: local, kind: oidc, issuer: http://127.0.0.1:9000, client_id: x}
)";
  EXPECT_FALSE(errors(section).empty());
  auto loaded = load(config(section, true));
  ASSERT_TRUE(loaded.value) << loaded.errors.front().to_string();
  EXPECT_EQ(loaded.value->oidc.providers.front().issuer, "http://127.0.0.1:9000");
}

TEST_F(oidc_config, a_section_without_providers_or_audit_is_refused) {
  const auto e = errors("oidc:\n  signing_key_file: rp-sig.pem\n");
  EXPECT_TRUE(mentions(e, "providers: must list at least one provider"))
      << ::testing::PrintToString(e);
  EXPECT_TRUE(mentions(e, "audit.directory: is required")) << ::testing::PrintToString(e);
}

}  // namespace
}  // namespace varco::conf::testing
