// parse_idp_metadata: single EntityDescriptor and signed EntitiesDescriptor aggregates (RULES.md
// §6), each refusal with the message that provokes exactly it.
#include "saml/idp_metadata.hpp"

#include "tests/unit/saml/idp_metadata_fixture.hpp"
#include "tests/unit/saml/testdata.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace varco::saml::test {
namespace {

using namespace std::chrono_literals;

// 2030-01-01T00:00:00Z: the fixtures' validUntil values are around it.
const sys_millis now{std::chrono::sys_days{std::chrono::year{2030} / 1 / 1}.time_since_epoch()};

std::vector<std::string> three_idps() {
  std::vector<std::string> out;
  for (const char* id :
       {"https://idp1.example.it", "https://idp2.example.it", "https://idp3.example.it"}) {
    out.push_back(entity_xml(idp_spec(id)));
  }
  entity_spec sp;  // an aggregate may list SPs too: skipped
  sp.entity_id = "https://sp.example.it";
  sp.idp = false;
  sp.signing_cert_b64 = cert("sp").base64_der();
  out.push_back(entity_xml(sp));
  return out;
}

std::string signed_aggregate(std::string_view signer = "idp") {
  return sign_root(aggregate_xml(three_idps()), credentials(signer));
}

TEST(idp_metadata, single_entity_descriptor_reads_every_field) {
  auto spec = idp_spec("https://idp.example.it");
  spec.encryption_key = true;
  spec.display_names = {{"en", "Example IdP"}, {"it", "IdP di Esempio"}};
  auto parsed = parse_idp_metadata(entity_document(spec), provider_kind::spid, std::nullopt, now);
  ASSERT_TRUE(parsed) << parsed.error();
  ASSERT_EQ(parsed->size(), 1u);
  const idp_descriptor& idp = parsed->front();
  EXPECT_EQ(idp.entity_id, "https://idp.example.it");
  EXPECT_EQ(idp.kind, provider_kind::spid);
  EXPECT_EQ(idp.display_name, "IdP di Esempio");  // Italian first
  // The encryption-only key is not a signing key.
  ASSERT_EQ(idp.signing_certificates.size(), 1u);
  EXPECT_EQ(idp.signing_certificates[0], cert("idp"));
  // The artifact SSO endpoint is ignored.
  ASSERT_EQ(idp.single_sign_on.size(), 2u);
  ASSERT_NE(idp.sso(binding_redirect), nullptr);
  EXPECT_EQ(idp.sso(binding_redirect)->location, "https://idp.example.it/sso/redirect");
  EXPECT_EQ(idp.sso(binding_post)->location, "https://idp.example.it/sso/post");
  ASSERT_NE(idp.slo(binding_redirect), nullptr);
  EXPECT_EQ(idp.slo(binding_redirect)->location, "https://idp.example.it/slo/redirect");
  EXPECT_EQ(idp.slo(binding_redirect)->response_location, "https://idp.example.it/slo/return");
  EXPECT_EQ(idp.slo(binding_post)->response_location, "");
  EXPECT_TRUE(idp.logo.empty());
}

TEST(idp_metadata, display_name_falls_back_to_english_then_any_then_entity_id) {
  auto spec = idp_spec("https://idp.example.it");
  spec.display_names = {{"de", "Beispiel"}, {"en", "Example"}};
  auto parsed = parse_idp_metadata(entity_document(spec), provider_kind::cie, std::nullopt, now);
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed->front().display_name, "Example");
  EXPECT_EQ(parsed->front().kind, provider_kind::cie);

  spec.display_names = {{"de", "Beispiel"}};
  parsed = parse_idp_metadata(entity_document(spec), provider_kind::spid, std::nullopt, now);
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed->front().display_name, "Beispiel");

  spec.display_names.clear();
  parsed = parse_idp_metadata(entity_document(spec), provider_kind::spid, std::nullopt, now);
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed->front().display_name, "https://idp.example.it");
}

TEST(idp_metadata, key_descriptor_without_use_is_a_signing_key) {
  auto spec = idp_spec("https://idp.example.it");
  spec.key_use = "";
  auto parsed = parse_idp_metadata(entity_document(spec), provider_kind::spid, std::nullopt, now);
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed->front().signing_certificates.size(), 1u);
}

TEST(idp_metadata, signed_aggregate_verifies_with_the_trust_anchor) {
  auto parsed = parse_idp_metadata(signed_aggregate(), provider_kind::spid, cert("idp"), now);
  ASSERT_TRUE(parsed) << parsed.error();
  ASSERT_EQ(parsed->size(), 3u);  // the SP entity is skipped
  EXPECT_EQ((*parsed)[0].entity_id, "https://idp1.example.it");
  EXPECT_EQ((*parsed)[2].entity_id, "https://idp3.example.it");
}

TEST(idp_metadata, tampered_aggregate_is_refused) {
  std::string xml = signed_aggregate();
  const auto at = xml.find("https://idp2.example.it\"");
  ASSERT_NE(at, std::string::npos);
  xml.replace(at, 23, "https://evil.example.it");
  auto parsed = parse_idp_metadata(xml, provider_kind::spid, cert("idp"), now);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, reason::signature_invalid) << parsed.error();
}

TEST(idp_metadata, aggregate_signed_by_another_key_is_refused) {
  auto parsed =
      parse_idp_metadata(signed_aggregate("attacker"), provider_kind::spid, cert("idp"), now);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, reason::key_not_trusted) << parsed.error();
}

TEST(idp_metadata, unsigned_aggregate_is_refused_when_a_trust_anchor_is_configured) {
  const std::string xml = aggregate_xml(three_idps());
  auto parsed = parse_idp_metadata(xml, provider_kind::spid, cert("idp"), now);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, reason::signature_missing) << parsed.error();
  // Without a trust anchor the same file is a local, unverified source.
  auto local = parse_idp_metadata(xml, provider_kind::spid, std::nullopt, now);
  ASSERT_TRUE(local) << local.error();
  EXPECT_EQ(local->size(), 3u);
}

TEST(idp_metadata, a_signed_inner_entity_does_not_vouch_for_the_aggregate) {
  // The only signature covers one entity, not the list: the root must be the signed element.
  std::string inner =
      sign_root(entity_document(idp_spec("https://idp1.example.it")), credentials("idp"));
  inner.erase(0, inner.find("<md:EntityDescriptor"));
  auto parsed =
      parse_idp_metadata(aggregate_xml({inner, entity_xml(idp_spec("https://idp2.example.it"))}),
                         provider_kind::spid, cert("idp"), now);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, reason::signature_missing) << parsed.error();
}

TEST(idp_metadata, signed_single_entity_verifies_with_the_trust_anchor) {
  const std::string xml =
      sign_root(entity_document(idp_spec("https://idp.example.it")), credentials("idp"));
  auto parsed = parse_idp_metadata(xml, provider_kind::spid, cert("idp"), now);
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ(parsed->size(), 1u);
}

TEST(idp_metadata, expired_valid_until_is_refused) {
  auto expired = parse_idp_metadata(
      sign_root(aggregate_xml(three_idps(), "2029-12-31T23:59:59Z"), credentials("idp")),
      provider_kind::spid, cert("idp"), now);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, reason::metadata_expired) << expired.error();

  auto fresh = parse_idp_metadata(
      sign_root(aggregate_xml(three_idps(), "2030-01-02T00:00:00Z"), credentials("idp")),
      provider_kind::spid, cert("idp"), now);
  EXPECT_TRUE(fresh) << fresh.error();

  auto spec = idp_spec("https://old.example.it");
  spec.valid_until = "2029-06-01T00:00:00.000Z";
  auto entity =
      parse_idp_metadata(aggregate_xml({entity_xml(spec)}), provider_kind::spid, std::nullopt, now);
  ASSERT_FALSE(entity);
  EXPECT_EQ(entity.error().code, reason::metadata_expired);
  EXPECT_NE(entity.error().detail.find("https://old.example.it"), std::string::npos);

  spec.valid_until = "next year";
  auto malformed =
      parse_idp_metadata(entity_document(spec), provider_kind::spid, std::nullopt, now);
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().code, reason::metadata_invalid);
}

TEST(idp_metadata, idp_without_signing_certificate_is_refused_naming_it) {
  auto spec = idp_spec("https://nokey.example.it");
  spec.signing_cert_b64.clear();
  spec.encryption_key = true;  // an encryption key is not enough
  auto parsed = parse_idp_metadata(
      aggregate_xml({entity_xml(idp_spec("https://idp1.example.it")), entity_xml(spec)}),
      provider_kind::spid, std::nullopt, now);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, reason::metadata_invalid);
  EXPECT_NE(parsed.error().detail.find("https://nokey.example.it"), std::string::npos)
      << parsed.error();
}

TEST(idp_metadata, idp_without_sso_endpoint_is_refused_naming_it) {
  auto spec = idp_spec("https://nosso.example.it");
  spec.sso = false;
  auto parsed = parse_idp_metadata(entity_document(spec), provider_kind::spid, std::nullopt, now);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, reason::metadata_invalid);
  EXPECT_NE(parsed.error().detail.find("https://nosso.example.it"), std::string::npos);
}

TEST(idp_metadata, unreadable_certificate_is_refused) {
  auto spec = idp_spec("https://badcert.example.it");
  spec.signing_cert_b64 = "TUlJQm9ndXM=";
  auto parsed = parse_idp_metadata(entity_document(spec), provider_kind::spid, std::nullopt, now);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, reason::metadata_invalid);
  EXPECT_NE(parsed.error().detail.find("https://badcert.example.it"), std::string::npos);
}

TEST(idp_metadata, documents_that_are_not_idp_metadata_are_refused) {
  auto doctype =
      parse_idp_metadata("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"boom\">]>" +
                             entity_document(idp_spec("https://idp.example.it")).substr(39),
                         provider_kind::spid, std::nullopt, now);
  ASSERT_FALSE(doctype);
  EXPECT_EQ(doctype.error().code, reason::doctype_forbidden);

  auto garbage = parse_idp_metadata("not xml at all", provider_kind::spid, std::nullopt, now);
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, reason::malformed_xml);

  auto other_root =
      parse_idp_metadata("<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"/>",
                         provider_kind::spid, std::nullopt, now);
  ASSERT_FALSE(other_root);
  EXPECT_EQ(other_root.error().code, reason::metadata_invalid);

  entity_spec sp;
  sp.idp = false;
  sp.signing_cert_b64 = cert("sp").base64_der();
  auto only_sps =
      parse_idp_metadata(aggregate_xml({entity_xml(sp)}), provider_kind::spid, std::nullopt, now);
  ASSERT_FALSE(only_sps);
  EXPECT_EQ(only_sps.error().code, reason::metadata_invalid);
}

TEST(idp_metadata, an_idp_role_without_saml2_is_skipped) {
  std::string saml1 = entity_xml(idp_spec("https://saml1.example.it"));
  const std::string saml2_protocol = "urn:oasis:names:tc:SAML:2.0:protocol";
  saml1.replace(saml1.find(saml2_protocol), saml2_protocol.size(),
                "urn:oasis:names:tc:SAML:1.1:protocol");
  auto parsed =
      parse_idp_metadata(aggregate_xml({saml1, entity_xml(idp_spec("https://saml2.example.it"))}),
                         provider_kind::spid, std::nullopt, now);
  ASSERT_TRUE(parsed) << parsed.error();
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ(parsed->front().entity_id, "https://saml2.example.it");
}

TEST(idp_metadata, nested_entities_descriptors_are_read) {
  const std::string inner = "<md:EntitiesDescriptor>" +
                            entity_xml(idp_spec("https://nested.example.it")) +
                            "</md:EntitiesDescriptor>";
  auto parsed = parse_idp_metadata(
      sign_root(aggregate_xml({entity_xml(idp_spec("https://top.example.it")), inner}),
                credentials("idp")),
      provider_kind::spid, cert("idp"), now);
  ASSERT_TRUE(parsed) << parsed.error();
  ASSERT_EQ(parsed->size(), 2u);
}

TEST(idp_metadata, xml_durations_read_and_malformed_ones_are_refused) {
  EXPECT_EQ(parse_xml_duration("PT48H"), std::chrono::seconds(48h));
  EXPECT_EQ(parse_xml_duration("P1DT12H"), std::chrono::seconds(36h));
  EXPECT_EQ(parse_xml_duration("PT90.5S"), 90s);
  EXPECT_EQ(parse_xml_duration("P1Y2M"), std::chrono::seconds(std::chrono::days(365 + 60)));
  EXPECT_EQ(parse_xml_duration("PT0S"), 0s);
  EXPECT_EQ(parse_xml_duration("P99999999999999999999Y"),
            std::chrono::seconds(std::chrono::days(100 * 365)));  // saturates
  for (const char* bad : {"", "P", "PT", "P1DT", "-P1D", "1D", "PT1D", "P1H", "PT1M1H", "P1.5D",
                          "PT.5S", "PT5", "P T1H", "PT1H ", "PT1HT1M"}) {
    EXPECT_FALSE(parse_xml_duration(bad)) << bad;
  }
}

// What schedules the next fetch of a URL source: the smallest cacheDuration and the earliest
// validUntil anywhere in the document.
TEST(idp_metadata, timing_is_the_smallest_cache_duration_and_the_earliest_valid_until) {
  auto entities = three_idps();
  auto spec = idp_spec("https://short.example.it");
  spec.valid_until = "2030-03-01T00:00:00Z";
  entities.push_back(entity_xml(spec));
  std::string xml = aggregate_xml(entities, "2030-06-01T00:00:00Z");
  xml.replace(xml.find(" ID=\"_aggregate\""), 0, " cacheDuration=\"PT6H\"");
  const std::string entity_open = "entityID=\"https://idp2.example.it\"";
  xml.replace(xml.find(entity_open), 0, "cacheDuration=\"PT2H\" ");
  auto read =
      read_idp_metadata(sign_root(xml, credentials("idp")), provider_kind::spid, cert("idp"), now);
  ASSERT_TRUE(read) << read.error();
  EXPECT_EQ(read->idps.size(), 4u);
  EXPECT_EQ(read->timing.cache_duration, std::chrono::seconds(2h));
  ASSERT_TRUE(read->timing.valid_until);
  EXPECT_EQ(*read->timing.valid_until,
            sys_millis{std::chrono::sys_days{std::chrono::year{2030} / 3 / 1}.time_since_epoch()});

  auto untimed = read_idp_metadata(signed_aggregate(), provider_kind::spid, cert("idp"), now);
  ASSERT_TRUE(untimed) << untimed.error();
  EXPECT_FALSE(untimed->timing.cache_duration);
  EXPECT_FALSE(untimed->timing.valid_until);

  xml = aggregate_xml(three_idps());
  xml.replace(xml.find(" ID=\"_aggregate\""), 0, " cacheDuration=\"two hours\"");
  auto malformed =
      read_idp_metadata(sign_root(xml, credentials("idp")), provider_kind::spid, cert("idp"), now);
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().code, reason::metadata_invalid) << malformed.error();
}

// The demo IdP (pysaml2 + xmlsec1, demo/idp) writes metadata signed by another implementation.
TEST(idp_metadata, demo_idp_metadata_from_pysaml2_parses_and_verifies) {
  const std::filesystem::path demo =
      (std::filesystem::path(VARCO_SAML_TESTDATA) / "../../../../demo/idp").lexically_normal();
  ASSERT_TRUE(std::filesystem::exists(demo / "idp.py")) << "no demo/idp/idp.py";
  temp_dir dir;
  const auto single = dir.path() / "idp.xml";
  const auto aggregate = dir.path() / "aggregate.xml";
  std::string output;
  ASSERT_EQ(run("/usr/bin/python3 " + (demo / "idp.py").string() +
                    " metadata --base-url http://127.0.0.1:8090 --out " + single.string(),
                &output),
            0)
      << output;
  ASSERT_EQ(run("/usr/bin/python3 " + (demo / "idp.py").string() +
                    " metadata --base-url http://127.0.0.1:8091 --base-url http://127.0.0.1:8092"
                    " --base-url http://127.0.0.1:8093 --out " +
                    aggregate.string(),
                &output),
            0)
      << output;
  auto trust = certificate::from_pem(read_file(demo / "demo-idp-cert.pem"));
  ASSERT_TRUE(trust) << trust.error();

  auto parsed = parse_idp_metadata(read_file(single), provider_kind::spid, *trust);
  ASSERT_TRUE(parsed) << parsed.error();
  ASSERT_EQ(parsed->size(), 1u);
  const idp_descriptor& idp = parsed->front();
  EXPECT_EQ(idp.entity_id, "http://127.0.0.1:8090/metadata");
  EXPECT_EQ(idp.signing_certificates.front(), *trust);
  EXPECT_NE(idp.sso(binding_redirect), nullptr);
  EXPECT_NE(idp.sso(binding_post), nullptr);
  EXPECT_FALSE(idp.single_logout.empty());
  EXPECT_NE(idp.display_name, idp.entity_id);

  auto many = parse_idp_metadata(read_file(aggregate), provider_kind::spid, *trust);
  ASSERT_TRUE(many) << many.error();
  EXPECT_EQ(many->size(), 3u);
  auto wrong_anchor = parse_idp_metadata(read_file(aggregate), provider_kind::spid, cert("idp"));
  ASSERT_FALSE(wrong_anchor);
  EXPECT_EQ(wrong_anchor.error().code, reason::key_not_trusted);
}

}  // namespace
}  // namespace varco::saml::test
