// The saml section: a complete SP reads into the model with derived URLs; each rule of
// RULES.md §1 that the config can break is reported at its line.
#include "tests/unit/conf/conf_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace varco::conf::testing {
namespace {

class saml_config : public conf_fixture {
 protected:
  saml_config() {
    write_ec_key("jwt.pem");
    write("sp.key", "key");
    write("sp.crt", "cert");
    write("idp.xml", "<md:EntityDescriptor/>");
    write("cie.xml", "<md:EntityDescriptor/>");
  }

  // A complete saml section; `extra` goes inside it (two-space indent), `tail` after it.
  static std::string config(const std::string& extra = "", const std::string& spid = default_spid,
                            const std::string& tail = "") {
    return std::string(minimal_jwt) + minimal_products +
           "server:\n"
           "  public_base_url: https://area.example.it\n"
           "saml:\n"
           "  key_file: sp.key\n"
           "  certificate_file: sp.crt\n"
           "  organization:\n"
           "    name: {it: Ente Esempio, en: Example Body}\n"
           "    display_name: {it: Ente Esempio, en: Example Body}\n"
           "    url: {it: 'https://example.it', en: 'https://example.it/en'}\n"
           "  contact:\n"
           "    email: spid@example.it\n"
           "    telephone: '+390612345678'\n"
           "  ipa_code: c_h501\n"
           "  attribute_services:\n"
           "    - index: 0\n"
           "      name: Area Riservata\n"
           "      attributes: [name, familyName, fiscalNumber, email]\n"
           "  audit:\n"
           "    directory: audit\n" +
           spid + extra + tail;
  }
  static constexpr const char* default_spid =
      "  spid:\n"
      "    metadata: [idp.xml]\n";

  bool has_error(const std::string& yaml, const std::string& needle) const {
    auto errors = errors_of(yaml);
    return std::any_of(errors.begin(), errors.end(),
                       [&](const std::string& e) { return e.find(needle) != std::string::npos; });
  }
};

TEST_F(saml_config, complete_section_reads_with_derived_urls_and_defaults) {
  auto loaded = load(config());
  ASSERT_TRUE(loaded.value) << (loaded.errors.empty() ? "" : loaded.errors[0].to_string());
  const auto& s = loaded.value->saml;
  EXPECT_TRUE(s.enabled);
  EXPECT_EQ(s.entity_id, "https://area.example.it");
  EXPECT_EQ(s.acs_url, "https://area.example.it/saml/acs");
  EXPECT_EQ(s.slo_url, "https://area.example.it/saml/slo");
  EXPECT_EQ(s.organization_name.by_lang.at("en"), "Example Body");
  EXPECT_TRUE(s.public_sp);
  EXPECT_EQ(s.ipa_code, "c_h501");
  ASSERT_EQ(s.attribute_services.size(), 1u);
  EXPECT_EQ(s.attribute_services[0].attributes.size(), 4u);
  EXPECT_TRUE(s.spid.configured);
  ASSERT_EQ(s.spid.sources.size(), 1u);
  EXPECT_TRUE(s.spid.sources[0].file.ends_with("/idp.xml"));
  EXPECT_EQ(s.spid.default_level, 2);
  EXPECT_EQ(s.spid.comparison, "minimum");
  EXPECT_FALSE(s.cie.configured);
  EXPECT_EQ(s.audit_retention_months, 24);
  EXPECT_TRUE(s.audit_directory.ends_with("/audit"));
}

TEST_F(saml_config, absent_section_leaves_saml_disabled) {
  write_ec_key("jwt.pem");
  auto loaded = load(std::string(minimal_jwt) + minimal_products);
  ASSERT_TRUE(loaded.value);
  EXPECT_FALSE(loaded.value->saml.enabled);
}

TEST_F(saml_config, cie_with_municipality_reads) {
  auto with_cie_service = config(
      "  municipality: H501\n  cie:\n    metadata: [cie.xml]\n"
      "    comparison: exact\n    attribute_service: 1\n");
  with_cie_service.replace(with_cie_service.find("  audit:"), 0,
                           "    - index: 1\n      name: CIE\n"
                           "      attributes: [name, familyName, dateOfBirth, fiscalNumber]\n");
  auto loaded = load(with_cie_service);
  ASSERT_TRUE(loaded.value) << (loaded.errors.empty() ? "" : loaded.errors[0].to_string());
  EXPECT_TRUE(loaded.value->saml.cie.configured);
  EXPECT_EQ(loaded.value->saml.cie.comparison, "exact");
  // The default service 0 asks for email, which CIE does not release.
  EXPECT_TRUE(has_error(config("  municipality: H501\n  cie:\n    metadata: [cie.xml]\n"),
                        "CIE releases only name, familyName, dateOfBirth and fiscalNumber"));
}

TEST_F(saml_config, each_broken_rule_is_reported) {
  EXPECT_TRUE(has_error(config("  municipality: H501\n  cie:\n    metadata: [cie.xml]\n"
                               "    comparison: better\n"),
                        "\"better\" is not exact or minimum (CIE)"));
  EXPECT_TRUE(
      has_error(config("  cie:\n    metadata: [cie.xml]\n"), "CIE needs saml.municipality"));
  EXPECT_TRUE(has_error(config("", "  spid:\n    metadata: [missing.xml]\n"), "missing.xml"));
  EXPECT_TRUE(has_error(config("", ""), "saml.spid: is required"));
  EXPECT_TRUE(has_error(config("", "  spid:\n    metadata: [idp.xml]\n    level: 4\n"),
                        "saml.spid.level: 4 is out of range 1..3"));
  EXPECT_TRUE(has_error(config("", "  spid:\n    metadata: [idp.xml]\n    attribute_service: 3\n"),
                        "attribute service 3 is not among saml.attribute_services"));
  EXPECT_TRUE(has_error(config("", "  spid:\n    metadata: [idp.xml]\n    binding: artifact\n"),
                        "\"artifact\" is not redirect or post"));
  EXPECT_TRUE(has_error(config("  return_paths: ['//evil.example']\n"), "is not a local path"));
  EXPECT_TRUE(
      has_error(config("  public: false\n"), "a private SP needs vat_number or fiscal_code"));
}

TEST_F(saml_config, metadata_rules_are_checked_at_load) {
  auto replace = [](std::string text, const std::string& from, const std::string& to) {
    text.replace(text.find(from), from.size(), to);
    return text;
  };
  EXPECT_TRUE(
      has_error(replace(config(), "[name, familyName, fiscalNumber, email]", "[name, shoeSize]"),
                "\"shoeSize\" is not a SPID attribute"));
  EXPECT_TRUE(
      has_error(replace(config(), "[name, familyName, fiscalNumber, email]", "[name, name]"),
                "\"name\" is listed twice"));
  EXPECT_TRUE(has_error(replace(config(), "'+390612345678'", "'06 1234 5678'"),
                        "must be +39 followed by digits, without spaces"));
  EXPECT_TRUE(has_error(replace(config(), "email: spid@example.it", "email: nobody"),
                        "\"nobody\" is not an email address"));
  EXPECT_TRUE(has_error(
      replace(config(), "name: {it: Ente Esempio, en: Example Body}", "name: {en: Example Body}"),
      "needs the Italian text (it)"));
  EXPECT_TRUE(
      has_error(replace(config(), "url: {it: 'https://example.it', en: 'https://example.it/en'}",
                        "url: {it: 'https://example.it'}"),
                "must have the same languages"));
  EXPECT_TRUE(has_error(replace(config(), "  ipa_code: c_h501\n", ""),
                        "saml.ipa_code: is required for a public SP"));
  EXPECT_TRUE(has_error(replace(config(), "    directory: audit\n", "    retention_months: 12\n"),
                        "saml.audit.directory: is required"));
}

// A metadata source may be a URL (AgID's registry): https, a trust certificate, bounds.
TEST_F(saml_config, url_sources_read_with_their_bounds) {
  write("agid.pem", "cert");
  auto loaded =
      load(config("",
                  "  spid:\n    metadata:\n"
                  "      - {url: 'https://registry.spid.gov.it/entities-idp?output=xml',\n"
                  "         trust_certificate: agid.pem, cache_file: agid-cache.xml}\n"
                  "      - {url: 'https://idp.example.it/md', trust_certificate: agid.pem,\n"
                  "         max_bytes: 1MiB, timeout: 5s, ca_file: agid.pem}\n"
                  "      - idp.xml\n"));
  ASSERT_TRUE(loaded.value) << (loaded.errors.empty() ? "" : loaded.errors[0].to_string());
  const auto& sources = loaded.value->saml.spid.sources;
  ASSERT_EQ(sources.size(), 3u);
  EXPECT_TRUE(sources[0].is_url());
  EXPECT_EQ(sources[0].url, "https://registry.spid.gov.it/entities-idp?output=xml");
  EXPECT_EQ(sources[0].label(), "https://registry.spid.gov.it/entities-idp");
  EXPECT_TRUE(sources[0].file.empty());
  EXPECT_TRUE(sources[0].trust_certificate_file.ends_with("/agid.pem"));
  EXPECT_EQ(sources[0].max_bytes, 8u * 1024 * 1024);
  EXPECT_EQ(sources[0].timeout, 30s);
  EXPECT_TRUE(sources[0].ca_file.empty());
  EXPECT_EQ(sources[0].cache_file, path("agid-cache.xml").string());
  EXPECT_EQ(sources[1].max_bytes, 1024u * 1024);
  EXPECT_EQ(sources[1].timeout, 5s);
  EXPECT_TRUE(sources[1].ca_file.ends_with("/agid.pem"));
  EXPECT_TRUE(sources[1].cache_file.empty());
  EXPECT_FALSE(sources[2].is_url());
  EXPECT_EQ(sources[2].label(), sources[2].file);
}

TEST_F(saml_config, url_source_mistakes_are_reported_at_their_line) {
  write("agid.pem", "cert");
  auto first_error = [&](const std::string& item, const std::string& server_extra = "") {
    // A second, good source: the first error is the item's own.
    std::string yaml =
        config("", "  spid:\n    metadata:\n      - " + item + "\n      - idp.xml\n");
    if (!server_extra.empty()) yaml.replace(yaml.find("server:\n") + 8, 0, server_extra);
    auto errors = errors_of(yaml);
    return errors.empty() ? std::string("no error") : errors.front();
  };
  EXPECT_EQ(first_error("{url: 'https://registry.example.it/md'}"),
            "varco.yaml:32: saml.spid.metadata[0]: a url source needs trust_certificate: an "
            "unsigned document from the network is never used");
  EXPECT_EQ(first_error("{url: 'http://127.0.0.1:8090/metadata', trust_certificate: agid.pem}"),
            "varco.yaml:32: saml.spid.metadata[0].url: \"http://127.0.0.1:8090/metadata\" is "
            "plain http: IdP metadata is fetched over https:// (http:// only with "
            "server.plain_http: true, for local development)");
  EXPECT_EQ(first_error("{url: 'ftp://registry.example.it/md', trust_certificate: agid.pem}"),
            "varco.yaml:32: saml.spid.metadata[0].url: \"ftp://registry.example.it/md\" is not "
            "an https:// URL");
  EXPECT_EQ(first_error("{url: 'https://user@registry.example.it/md', trust_certificate: "
                        "agid.pem}"),
            "varco.yaml:32: saml.spid.metadata[0].url: \"https://user@registry.example.it/md\" is "
            "not a URL with a host (no user info, fragment or spaces)");
  EXPECT_EQ(first_error("{url: 'https:///md', trust_certificate: agid.pem}"),
            "varco.yaml:32: saml.spid.metadata[0].url: \"https:///md\" is not a URL with a host "
            "(no user info, fragment or spaces)");
  EXPECT_EQ(first_error("{file: idp.xml, url: 'https://registry.example.it/md'}"),
            "varco.yaml:32: saml.spid.metadata[0]: needs either file or url");
  EXPECT_EQ(first_error("{trust_certificate: agid.pem}"),
            "varco.yaml:32: saml.spid.metadata[0]: needs either file or url");
  EXPECT_EQ(first_error("{file: idp.xml, max_bytes: 1MiB}"),
            "varco.yaml:32: saml.spid.metadata[0].max_bytes: applies to a url source only");
  EXPECT_EQ(first_error("{file: idp.xml, cache_file: copy.xml}"),
            "varco.yaml:32: saml.spid.metadata[0].cache_file: applies to a url source only");
  EXPECT_EQ(first_error("{url: 'https://registry.example.it/md', trust_certificate: agid.pem, "
                        "cache_file: nowhere/copy.xml}"),
            "varco.yaml:32: saml.spid.metadata[0].cache_file: its directory \"nowhere\" "
            "does not exist");
  EXPECT_EQ(first_error("{url: 'https://registry.example.it/md', trust_certificate: agid.pem, "
                        "max_bytes: 10}"),
            "varco.yaml:32: saml.spid.metadata[0].max_bytes: must be at least 1024 bytes");
  EXPECT_EQ(first_error("{url: 'https://registry.example.it/md', trust_certificate: none.pem}"),
            "varco.yaml:32: saml.spid.metadata[0].trust_certificate: cannot read "
            "\"none.pem\": No such file or directory");
  // Local development: plain http is accepted with server.plain_http.
  EXPECT_EQ(first_error("{url: 'http://127.0.0.1:8090/metadata', trust_certificate: agid.pem}",
                        "  plain_http: true\n"),
            "no error");
  EXPECT_EQ(first_error("[]"),
            "varco.yaml:32: saml.spid.metadata[0]: expected a mapping, got a list");
}

}  // namespace
}  // namespace varco::conf::testing
