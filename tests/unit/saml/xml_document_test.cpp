#include "saml/xml_document.hpp"

#include "saml/xml_names.hpp"

#include <gtest/gtest.h>
#include <libxml/valid.h>

#include <string>

namespace varco::saml {
namespace {

reason parse_failure(std::string_view xml) {
  auto doc = parse_untrusted_xml(xml);
  return doc ? reason::ok : doc.error().code;
}

std::string nested(int depth) {
  std::string xml;
  for (int i = 0; i < depth; ++i) xml += "<a>";
  for (int i = 0; i < depth; ++i) xml += "</a>";
  return xml;
}

TEST(parse_untrusted_xml, accepts_a_document_with_an_xml_declaration) {
  auto doc = parse_untrusted_xml(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<samlp:Response "
      "xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_1\"/>");
  ASSERT_TRUE(doc) << doc.error();
  EXPECT_TRUE(is_element(doc->root(), ns::samlp, "Response"));
}

TEST(parse_untrusted_xml, refuses_a_doctype_with_an_internal_subset) {
  EXPECT_EQ(parse_failure("<!DOCTYPE r [<!ELEMENT r ANY>]><r/>"), reason::doctype_forbidden);
}

TEST(parse_untrusted_xml, refuses_a_doctype_without_subset) {
  EXPECT_EQ(parse_failure("<!DOCTYPE r SYSTEM \"http://127.0.0.1:1/r.dtd\"><r/>"),
            reason::doctype_forbidden);
}

TEST(parse_untrusted_xml, refuses_an_external_entity) {
  auto doc = parse_untrusted_xml(
      "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().code, reason::doctype_forbidden);
}

TEST(parse_untrusted_xml, refuses_billion_laughs_before_expanding) {
  std::string xml = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">";
  for (int i = 1; i <= 9; ++i) {
    const std::string prev = i == 1 ? "lol" : "lol" + std::to_string(i - 1);
    xml += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int j = 0; j < 10; ++j) xml += "&" + prev + ";";
    xml += "\">";
  }
  xml += "]><lolz>&lol9;</lolz>";
  EXPECT_EQ(parse_failure(xml), reason::doctype_forbidden);
}

TEST(parse_untrusted_xml, refuses_an_undeclared_entity) {
  EXPECT_EQ(parse_failure("<r>&x;</r>"), reason::malformed_xml);
}

TEST(parse_untrusted_xml, does_not_process_xinclude) {
  auto doc = parse_untrusted_xml(
      "<r xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"file:///etc/passwd\" "
      "parse=\"text\"/></r>");
  ASSERT_TRUE(doc) << doc.error();
  EXPECT_NE(first_child(doc->root(), "http://www.w3.org/2001/XInclude", "include"), nullptr);
  EXPECT_EQ(doc->serialize(doc->root()).find("root:"), std::string::npos);
}

TEST(parse_untrusted_xml, refuses_more_than_max_bytes) {
  const std::string xml = "<r>" + std::string(65 * 1024, 'x') + "</r>";
  EXPECT_EQ(parse_failure(xml), reason::message_too_large);
  const std::string exact = "<r>" + std::string(64 * 1024 - 7, 'x') + "</r>";
  ASSERT_EQ(exact.size(), 64u * 1024u);
  EXPECT_EQ(parse_failure(exact), reason::ok);
}

TEST(parse_untrusted_xml, refuses_nesting_deeper_than_max_depth) {
  EXPECT_EQ(parse_failure(nested(100)), reason::too_deep);
  EXPECT_EQ(parse_failure(nested(65)), reason::too_deep);
  EXPECT_EQ(parse_failure(nested(64)), reason::ok);
  EXPECT_EQ(parse_untrusted_xml(nested(10), {1024, 9}).error().code, reason::too_deep);
}

TEST(parse_untrusted_xml, refuses_malformed_xml) {
  EXPECT_EQ(parse_failure("<r><a></r>"), reason::malformed_xml);
  EXPECT_EQ(parse_failure(""), reason::malformed_xml);
  EXPECT_EQ(parse_failure("just text"), reason::malformed_xml);
  EXPECT_EQ(parse_failure("<r/><r/>"), reason::malformed_xml);
  EXPECT_EQ(parse_failure("<p:r/>"), reason::malformed_xml);  // undeclared prefix
  auto doc = parse_untrusted_xml("<r><a></r>");
  EXPECT_NE(doc.error().detail.find("line 1"), std::string::npos) << doc.error();
}

TEST(parse_untrusted_xml, keeps_comments_and_processing_instructions) {
  auto doc = parse_untrusted_xml("<r><!-- c --><?pi x?><a/></r>");
  ASSERT_TRUE(doc) << doc.error();
  ASSERT_NE(doc->root()->children, nullptr);
  EXPECT_EQ(doc->root()->children->type, XML_COMMENT_NODE);
  EXPECT_EQ(doc->root()->children->next->type, XML_PI_NODE);
}

TEST(parse_trusted_xml, allows_larger_files_but_still_no_doctype) {
  const std::string big = "<r>" + std::string(1024 * 1024, 'x') + "</r>";
  EXPECT_TRUE(parse_trusted_xml(big));
  EXPECT_EQ(parse_trusted_xml("<!DOCTYPE r [<!ENTITY e \"x\">]><r>&e;</r>").error().code,
            reason::doctype_forbidden);
}

TEST(xml_document, serializes_the_document_and_a_node) {
  auto doc = parse_untrusted_xml("<r a=\"1\"><b>t&amp;u</b></r>");
  ASSERT_TRUE(doc) << doc.error();
  const std::string whole = doc->serialize();
  EXPECT_NE(whole.find("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), std::string::npos) << whole;
  EXPECT_NE(whole.find("<r a=\"1\"><b>t&amp;u</b></r>"), std::string::npos) << whole;
  EXPECT_EQ(doc->serialize(first_child(doc->root(), "", "b")), "<b>t&amp;u</b>");
  EXPECT_TRUE(parse_untrusted_xml(whole));
}

constexpr std::string_view names_xml =
    "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" "
    "xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" xmlns:x=\"urn:x\" ID=\"_r\" x:ID=\"_x\">"
    "<saml:Issuer>one</saml:Issuer><x:Issuer>other</x:Issuer><Issuer>none</Issuer>"
    "<saml:Issuer>two</saml:Issuer></samlp:Response>";

TEST(helpers, match_elements_by_namespace_and_local_name) {
  auto doc = parse_untrusted_xml(names_xml);
  ASSERT_TRUE(doc) << doc.error();
  const auto issuers = children(doc->root(), ns::saml, "Issuer");
  ASSERT_EQ(issuers.size(), 2u);
  EXPECT_EQ(strict_text(issuers[0]).value(), "one");
  EXPECT_EQ(strict_text(issuers[1]).value(), "two");
  EXPECT_EQ(first_child(doc->root(), ns::saml, "Issuer"), issuers[0]);
  EXPECT_EQ(strict_text(first_child(doc->root(), "", "Issuer")).value(), "none");
  EXPECT_EQ(first_child(doc->root(), ns::saml, "Assertion"), nullptr);
  EXPECT_FALSE(is_element(doc->root(), ns::saml, "Response"));
  EXPECT_TRUE(is_element(doc->root(), ns::samlp, "Response"));
}

TEST(helpers, attribute_reads_only_the_attribute_without_namespace) {
  auto doc = parse_untrusted_xml(names_xml);
  ASSERT_TRUE(doc) << doc.error();
  EXPECT_EQ(attribute(doc->root(), "ID"), "_r");
  EXPECT_EQ(attribute(doc->root(), "Version"), std::nullopt);
  auto only_prefixed = parse_untrusted_xml("<r xmlns:x=\"urn:x\" x:ID=\"_x\"/>");
  ASSERT_TRUE(only_prefixed);
  EXPECT_EQ(attribute(only_prefixed->root(), "ID"), std::nullopt);
}

TEST(strict_text, concatenates_text_cdata_and_character_references) {
  auto doc = parse_untrusted_xml("<n>a&amp;b<![CDATA[<c>]]>&#233;</n>");
  ASSERT_TRUE(doc) << doc.error();
  EXPECT_EQ(strict_text(doc->root()).value(), "a&b<c>\xC3\xA9");
}

TEST(strict_text, refuses_a_comment_a_processing_instruction_and_an_element) {
  for (const char* xml : {"<NameID>abc<!-- x -->def</NameID>", "<NameID>abc<?pi x?>def</NameID>",
                          "<NameID>abc<b>x</b>def</NameID>"}) {
    auto doc = parse_untrusted_xml(xml);
    ASSERT_TRUE(doc) << doc.error();
    auto text = strict_text(doc->root());
    ASSERT_FALSE(text) << xml;
    EXPECT_EQ(text.error().code, reason::text_has_markup) << xml;
  }
}

TEST(register_ids_unique, registers_ids_for_reference_resolution) {
  auto doc = parse_untrusted_xml("<r ID=\"_a\"><b ID=\"_b\"/><c/></r>");
  ASSERT_TRUE(doc) << doc.error();
  ASSERT_TRUE(register_ids_unique(*doc));
  xmlAttrPtr b = xmlGetID(doc->get(), reinterpret_cast<const xmlChar*>("_b"));
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(is_element(b->parent, "", "b"));
  EXPECT_TRUE(register_ids_unique(*doc)) << "a second call must succeed";
}

TEST(register_ids_unique, refuses_a_duplicate_anywhere) {
  auto doc = parse_untrusted_xml("<r ID=\"_a\"><x><y><b ID=\"_a\"/></y></x></r>");
  ASSERT_TRUE(doc) << doc.error();
  auto ids = register_ids_unique(*doc);
  ASSERT_FALSE(ids);
  EXPECT_EQ(ids.error().code, reason::duplicate_id);
}

TEST(register_ids_unique, refuses_an_id_that_collides_with_xml_id) {
  auto doc = parse_untrusted_xml("<r><a xml:id=\"_a\"/><b ID=\"_a\"/></r>");
  ASSERT_TRUE(doc) << doc.error();
  EXPECT_EQ(register_ids_unique(*doc).error().code, reason::duplicate_id);
}

}  // namespace
}  // namespace varco::saml
