// build_authn_request against RULES.md §2, for both bindings, every level and CIE; the Redirect
// signature checked by verify_redirect_query and independently by the openssl command line.
#include "saml/authn_request.hpp"

#include "saml/errors.hpp"
#include "saml/post_form.hpp"
#include "saml/redirect_binding.hpp"
#include "saml/xml_document.hpp"
#include "saml/xml_names.hpp"
#include "saml/xml_signature.hpp"
#include "sp_test_profile.hpp"
#include "testdata.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

namespace varco::saml {
namespace {

using test::sp_test_profile;
using test::test_idp;

// 2024-05-01T08:30:00.123Z
constexpr sys_millis fixed_now{std::chrono::milliseconds{1714552200123}};

authn_request_params params_for(const idp_descriptor& idp, int level, std::string_view binding,
                                provider_kind kind = provider_kind::spid) {
  authn_request_params p;
  p.idp = &idp;
  p.kind = kind;
  p.level = level;
  p.comparison = "minimum";
  p.attribute_service_index = kind == provider_kind::cie ? 1 : 0;
  p.now = fixed_now;
  p.binding = std::string(binding);
  p.relay_state = "Zr8xk2-relay_state.opaque~key";
  return p;
}

std::string attr(const xmlNode* element, std::string_view name) {
  if (element == nullptr) return "<missing element>";
  return attribute(element, name).value_or("<absent>");
}

std::string text(const xmlNode* element) {
  if (element == nullptr) return "<missing>";
  auto t = strict_text(element);
  return t ? *t : "<markup>";
}

xmlNodePtr next_element(xmlNodePtr node) {
  for (node = node->next; node != nullptr; node = node->next) {
    if (node->type == XML_ELEMENT_NODE) return node;
  }
  return nullptr;
}

// Every §2 item on the XML of one request.
void expect_rules_section_2(const xmlNode* root, const sp_profile& sp,
                            const authn_request_params& params, const built_authn_request& built) {
  ASSERT_TRUE(is_element(root, ns::samlp, "AuthnRequest"));
  EXPECT_EQ(attr(root, "ID"), built.id);
  EXPECT_EQ(attr(root, "Version"), "2.0");
  EXPECT_EQ(attr(root, "IssueInstant"), "2024-05-01T08:30:00.123Z");
  EXPECT_EQ(built.issue_instant, params.now);
  EXPECT_EQ(attr(root, "Destination"), params.idp->sso(params.binding)->location);
  EXPECT_FALSE(attribute(root, "IsPassive").has_value());
  const bool force = params.level >= 2 || params.kind == provider_kind::cie;
  if (force) {
    EXPECT_EQ(attr(root, "ForceAuthn"), "true");
  } else {
    EXPECT_FALSE(attribute(root, "ForceAuthn").has_value());
  }
  EXPECT_EQ(attr(root, "AssertionConsumerServiceIndex"), "0");
  EXPECT_EQ(attr(root, "AttributeConsumingServiceIndex"),
            std::to_string(params.attribute_service_index));
  EXPECT_NE(sp.attribute_service(params.attribute_service_index), nullptr);

  auto issuers = children(root, ns::saml, "Issuer");
  ASSERT_EQ(issuers.size(), 1u);
  EXPECT_EQ(text(issuers[0]), sp.entity_id);
  EXPECT_EQ(attr(issuers[0], "Format"), "urn:oasis:names:tc:SAML:2.0:nameid-format:entity");
  EXPECT_EQ(attr(issuers[0], "NameQualifier"), sp.entity_id);

  auto policies = children(root, ns::samlp, "NameIDPolicy");
  ASSERT_EQ(policies.size(), 1u);
  EXPECT_EQ(attr(policies[0], "Format"), "urn:oasis:names:tc:SAML:2.0:nameid-format:transient");
  EXPECT_FALSE(attribute(policies[0], "AllowCreate").has_value());

  auto contexts = children(root, ns::samlp, "RequestedAuthnContext");
  ASSERT_EQ(contexts.size(), 1u);
  EXPECT_EQ(attr(contexts[0], "Comparison"), params.comparison);
  auto refs = children(contexts[0], ns::saml, "AuthnContextClassRef");
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(text(refs[0]), "https://www.spid.gov.it/SpidL" + std::to_string(params.level));
}

struct parsed {
  xml_document doc;
  xmlNodePtr root;
};

parsed parse(const std::string& xml) {
  auto doc = parse_untrusted_xml(xml);
  EXPECT_TRUE(doc) << doc.error();
  xmlNodePtr root = doc->root();
  return {std::move(doc).value(), root};
}

std::string query_of(const built_authn_request& built, const std::string& location) {
  EXPECT_EQ(built.redirect_url.rfind(location, 0), 0u) << built.redirect_url;
  return built.redirect_url.substr(location.size() + 1);
}

// The value of an input of the POST form (the values we put there need no HTML unescaping:
// base64 and our relay state have no markup characters).
std::string form_value(const std::string& html, std::string_view name) {
  const std::string marker = "name=\"" + std::string(name) + "\" value=\"";
  const auto start = html.find(marker);
  if (start == std::string::npos) return "<absent>";
  const auto end = html.find('"', start + marker.size());
  return html.substr(start + marker.size(), end - start - marker.size());
}

// --- Redirect binding -------------------------------------------------------------------------

class authn_request_redirect : public ::testing::TestWithParam<int> {};

TEST_P(authn_request_redirect, follows_rules_and_signs_the_query) {
  const sp_profile sp = sp_test_profile();
  const idp_descriptor idp = test_idp();
  const auto params = params_for(idp, GetParam(), binding_redirect);
  auto built = build_authn_request(sp, params);
  ASSERT_TRUE(built) << built.error();
  EXPECT_TRUE(built->post_form_html.empty());

  const std::string query = query_of(*built, "https://idp.example.it/sso/redirect");
  auto verified = verify_redirect_query(query, {sp.credentials->cert()});
  ASSERT_TRUE(verified) << verified.error();
  EXPECT_EQ(verified->param, "SAMLRequest");
  EXPECT_EQ(verified->xml, built->xml);
  EXPECT_EQ(verified->relay_state, params.relay_state);
  EXPECT_EQ(verified->sig_alg.empty() ? std::string(algorithm::rsa_sha256) : verified->sig_alg,
            algorithm::rsa_sha256);

  auto decoded = decode_redirect_query(query);
  ASSERT_TRUE(decoded) << decoded.error();
  EXPECT_EQ(decoded->xml, built->xml);
  EXPECT_EQ(decoded->sig_alg, algorithm::rsa_sha256);

  auto [doc, root] = parse(decoded->xml);
  expect_rules_section_2(root, sp, params, *built);
  // Redirect carries no XML signature: the query string is what is signed.
  EXPECT_FALSE(has_signature(root));

  // Another key must not verify it.
  auto other = verify_redirect_query(query, {test::cert("idp")});
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, reason::redirect_signature_invalid);
}

INSTANTIATE_TEST_SUITE_P(levels, authn_request_redirect, ::testing::Values(1, 2, 3));

TEST(authn_request, redirect_query_uses_only_unreserved_characters_and_upper_case_escapes) {
  const sp_profile sp = sp_test_profile();
  const idp_descriptor idp = test_idp();
  auto params = params_for(idp, 2, binding_redirect);
  params.relay_state = "a b+c/d=e&f~g";  // every class of character, although ours are opaque keys
  auto built = build_authn_request(sp, params);
  ASSERT_TRUE(built) << built.error();
  const std::string query = query_of(*built, "https://idp.example.it/sso/redirect");

  static const std::regex value_chars("^([A-Za-z0-9_.~+-]|%[0-9A-F]{2})*$");
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start <= query.size()) {
    const auto end = std::min(query.find('&', start), query.size());
    const std::string pair = query.substr(start, end - start);
    const auto eq = pair.find('=');
    ASSERT_NE(eq, std::string::npos) << pair;
    names.push_back(pair.substr(0, eq));
    EXPECT_TRUE(std::regex_match(pair.substr(eq + 1), value_chars)) << pair;
    start = end + 1;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"SAMLRequest", "RelayState", "SigAlg", "Signature"}));
  EXPECT_NE(query.find("&RelayState=a+b%2Bc%2Fd%3De%26f~g&"), std::string::npos) << query;
  auto verified = verify_redirect_query(query, {sp.credentials->cert()});
  ASSERT_TRUE(verified) << verified.error();
  EXPECT_EQ(verified->relay_state, params.relay_state);
}

// The independent check: the openssl CLI verifies the Signature over exactly the bytes sent
// before "&Signature=":
//   openssl x509 -in sp.crt -pubkey -noout -out sp.pub
//   openssl dgst -sha256 -verify sp.pub -signature signature.bin signed.txt
TEST(authn_request, redirect_signature_verifies_with_the_openssl_cli) {
  const sp_profile sp = sp_test_profile();
  const idp_descriptor idp = test_idp();
  auto built = build_authn_request(sp, params_for(idp, 2, binding_redirect));
  ASSERT_TRUE(built) << built.error();
  const std::string query = query_of(*built, "https://idp.example.it/sso/redirect");
  const auto cut = query.find("&Signature=");
  ASSERT_NE(cut, std::string::npos);
  auto signature_b64 = percent_decode(query.substr(cut + std::string("&Signature=").size()));
  ASSERT_TRUE(signature_b64) << signature_b64.error();
  auto signature = decode_base64(*signature_b64, 4096);
  ASSERT_TRUE(signature) << signature.error();

  test::temp_dir dir;
  const auto pub = dir.path() / "sp.pub";
  const auto sig = dir.path() / "signature.bin";
  const auto data = dir.path() / "signed.txt";
  test::write_file(sig, *signature);
  test::write_file(data, query.substr(0, cut));
  std::string output;
  ASSERT_EQ(test::run("openssl x509 -in " + test::testdata_path("sp.crt").string() +
                          " -pubkey -noout -out " + pub.string(),
                      &output),
            0)
      << output;
  EXPECT_EQ(test::run("openssl dgst -sha256 -verify " + pub.string() + " -signature " +
                          sig.string() + " " + data.string(),
                      &output),
            0)
      << output;
  EXPECT_NE(output.find("Verified OK"), std::string::npos) << output;

  // Control: one changed byte of the signed string fails.
  std::string altered = query.substr(0, cut);
  altered[altered.size() - 1] = altered.back() == '6' ? '5' : '6';
  test::write_file(data, altered);
  EXPECT_NE(test::run("openssl dgst -sha256 -verify " + pub.string() + " -signature " +
                          sig.string() + " " + data.string(),
                      &output),
            0)
      << output;
}

TEST(authn_request, sso_url_with_its_own_query_gets_the_message_appended_with_ampersand) {
  const sp_profile sp = sp_test_profile();
  idp_descriptor idp = test_idp();
  idp.single_sign_on[0].location = "https://idp.example.it/sso?tenant=spid";
  auto built = build_authn_request(sp, params_for(idp, 2, binding_redirect));
  ASSERT_TRUE(built) << built.error();
  EXPECT_EQ(built->redirect_url.rfind("https://idp.example.it/sso?tenant=spid&SAMLRequest=", 0), 0u)
      << built->redirect_url;
  auto decoded = decode_redirect_query(query_of(*built, "https://idp.example.it/sso?tenant=spid"));
  ASSERT_TRUE(decoded) << decoded.error();
  auto [doc, root] = parse(decoded->xml);
  EXPECT_EQ(attr(root, "Destination"), "https://idp.example.it/sso?tenant=spid");
}

// --- POST binding -----------------------------------------------------------------------------

class authn_request_post : public ::testing::TestWithParam<int> {};

TEST_P(authn_request_post, follows_rules_and_is_signed_right_after_issuer) {
  const sp_profile sp = sp_test_profile();
  const idp_descriptor idp = test_idp();
  const auto params = params_for(idp, GetParam(), binding_post);
  auto built = build_authn_request(sp, params);
  ASSERT_TRUE(built) << built.error();
  EXPECT_TRUE(built->redirect_url.empty());

  const std::string& html = built->post_form_html;
  EXPECT_NE(html.find("action=\"https://idp.example.it/sso/post\""), std::string::npos);
  EXPECT_EQ(form_value(html, "RelayState"), params.relay_state);
  auto xml = decode_base64(form_value(html, "SAMLRequest"), 1 << 20);
  ASSERT_TRUE(xml) << xml.error();
  EXPECT_EQ(*xml, built->xml);

  auto [doc, root] = parse(*xml);
  expect_rules_section_2(root, sp, params, *built);
  xmlNodePtr issuer = first_child(root, ns::saml, "Issuer");
  ASSERT_NE(issuer, nullptr);
  EXPECT_TRUE(is_element(next_element(issuer), ns::ds, "Signature"));
  auto verified = verify_enveloped_signature(doc, root, {sp.credentials->cert()});
  EXPECT_TRUE(verified) << verified.error();
}

INSTANTIATE_TEST_SUITE_P(levels, authn_request_post, ::testing::Values(1, 2, 3));

TEST(authn_request, post_form_works_under_a_strict_csp_and_without_javascript) {
  const sp_profile sp = sp_test_profile();
  const idp_descriptor idp = test_idp();
  auto built = build_authn_request(sp, params_for(idp, 2, binding_post));
  ASSERT_TRUE(built) << built.error();
  const std::string& html = built->post_form_html;
  EXPECT_NE(html.find("<form id=\"saml-post-form\" method=\"post\""), std::string::npos);
  // One script, external, empty: nothing for script-src 'unsafe-inline' to allow.
  EXPECT_NE(html.find("<script src=\"/static/varco/autopost.js\" defer></script>"),
            std::string::npos);
  std::size_t scripts = 0;
  for (auto at = html.find("<script"); at != std::string::npos; at = html.find("<script", at + 1))
    ++scripts;
  EXPECT_EQ(scripts, 1u);
  EXPECT_EQ(html.find("onload"), std::string::npos);
  EXPECT_EQ(html.find("style="), std::string::npos);
  EXPECT_NE(html.find("<noscript>"), std::string::npos);
  EXPECT_NE(html.find("<button type=\"submit\">"), std::string::npos);
  EXPECT_NE(autopost_script.find("getElementById(\"saml-post-form\")"), std::string::npos);
}

TEST(post_form, escapes_every_value) {
  const std::string html = render_post_form(
      {"https://idp.example.it/sso?a=1&b=\"2\"", "SAMLResponse", "PHg+", "\"><script>x</script>"});
  EXPECT_NE(html.find("action=\"https://idp.example.it/sso?a=1&amp;b=&quot;2&quot;\""),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("name=\"SAMLResponse\" value=\"PHg+\""), std::string::npos);
  EXPECT_NE(html.find("value=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\""), std::string::npos);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
}

TEST(post_form, omits_an_empty_relay_state) {
  const std::string html =
      render_post_form({"https://idp.example.it/slo", "SAMLRequest", "PHg+", ""});
  EXPECT_EQ(html.find("RelayState"), std::string::npos);
}

// --- CIE, comparison, refusals, IDs -----------------------------------------------------------

TEST(authn_request, cie_always_forces_authentication) {
  const sp_profile sp = sp_test_profile();
  const idp_descriptor idp = test_idp(provider_kind::cie);
  for (int level : {1, 2, 3}) {
    auto params = params_for(idp, level, binding_post, provider_kind::cie);
    params.comparison = "exact";
    auto built = build_authn_request(sp, params);
    ASSERT_TRUE(built) << built.error();
    auto [doc, root] = parse(built->xml);
    expect_rules_section_2(root, sp, params, *built);
    EXPECT_EQ(attr(root, "ForceAuthn"), "true") << level;
  }
}

TEST(authn_request, carries_the_configured_comparison) {
  const sp_profile sp = sp_test_profile();
  const idp_descriptor idp = test_idp();
  for (const char* comparison : {"exact", "minimum", "better", "maximum"}) {
    auto params = params_for(idp, 2, binding_redirect);
    params.comparison = comparison;
    auto built = build_authn_request(sp, params);
    ASSERT_TRUE(built) << built.error();
    auto [doc, root] = parse(built->xml);
    EXPECT_EQ(attr(first_child(root, ns::samlp, "RequestedAuthnContext"), "Comparison"),
              comparison);
  }
}

TEST(authn_request, refuses_what_it_cannot_send) {
  const sp_profile sp = sp_test_profile();
  const idp_descriptor idp = test_idp();
  idp_descriptor redirect_only = test_idp();
  redirect_only.single_sign_on.pop_back();

  auto refused = [&](const authn_request_params& params, std::string_view why) {
    auto built = build_authn_request(sp, params);
    ASSERT_FALSE(built) << why;
    EXPECT_EQ(built.error().code, reason::internal_error) << why;
    EXPECT_FALSE(built.error().detail.empty());
  };
  refused(params_for(redirect_only, 2, binding_post), "no POST SSO endpoint");
  auto no_idp = params_for(idp, 2, binding_redirect);
  no_idp.idp = nullptr;
  refused(no_idp, "no IdP");
  refused(params_for(idp, 2, "urn:oasis:names:tc:SAML:2.0:bindings:SOAP"), "unknown binding");
  refused(params_for(idp, 0, binding_redirect), "level 0");
  refused(params_for(idp, 4, binding_redirect), "level 4");
  auto bad_comparison = params_for(idp, 2, binding_redirect);
  bad_comparison.comparison = "at-least";
  refused(bad_comparison, "unknown comparison");
  auto cie_better = params_for(idp, 2, binding_redirect, provider_kind::cie);
  cie_better.comparison = "better";
  refused(cie_better, "CIE allows only exact|minimum");
  auto unknown_service = params_for(idp, 2, binding_redirect);
  unknown_service.attribute_service_index = 9;
  refused(unknown_service, "attribute service not in metadata");
  auto unknown_acs = params_for(idp, 2, binding_redirect);
  unknown_acs.acs_index = 1;
  refused(unknown_acs, "ACS not in metadata");
  sp_profile no_key = sp_test_profile();
  no_key.credentials.reset();
  EXPECT_FALSE(build_authn_request(no_key, params_for(idp, 2, binding_redirect)));
}

TEST(authn_request, ids_are_unique_unguessable_xs_ids) {
  const sp_profile sp = sp_test_profile();
  const idp_descriptor idp = test_idp();
  static const std::regex id_shape("^_[0-9a-f]{32}$");
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) {
    auto built = build_authn_request(sp, params_for(idp, 2, binding_redirect));
    ASSERT_TRUE(built) << built.error();
    ASSERT_TRUE(std::regex_match(built->id, id_shape)) << built->id;
    ids.insert(built->id);
  }
  EXPECT_EQ(ids.size(), 1000u);
  EXPECT_TRUE(std::regex_match(new_request_id(), id_shape));
}

TEST(format_saml_instant, is_utc_with_milliseconds) {
  EXPECT_EQ(format_saml_instant(sys_millis{}), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_saml_instant(fixed_now), "2024-05-01T08:30:00.123Z");
  EXPECT_EQ(format_saml_instant(sys_millis{std::chrono::milliseconds{951782400007}}),
            "2000-02-29T00:00:00.007Z");
}

}  // namespace
}  // namespace varco::saml
