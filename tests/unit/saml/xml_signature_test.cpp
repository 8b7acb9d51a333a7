// What the enveloped-signature verifier accepts and refuses. Forbidden algorithms are tested
// with signatures that are otherwise genuinely valid (made with xmlsec directly), so a refusal
// proves the policy, not a broken signature.
#include "saml/xml_signature.hpp"

#include "saml/xml_handles.hpp"
#include "saml/xml_names.hpp"
#include "testdata.hpp"

#include <gtest/gtest.h>
#include <xmlsec/crypto.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>

#include <string>
#include <vector>

namespace varco::saml {
namespace {

constexpr std::string_view response_xml =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" "
    "xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_response\" Version=\"2.0\">"
    "<saml:Issuer>https://idp.example</saml:Issuer>"
    "<samlp:Extensions/>"
    "<saml:Assertion ID=\"_assertion\" Version=\"2.0\">"
    "<saml:Issuer>https://idp.example</saml:Issuer>"
    "<saml:Subject><saml:NameID>alice</saml:NameID></saml:Subject>"
    "</saml:Assertion></samlp:Response>";

const xmlChar* xml(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

xml_document parse(std::string_view text) {
  auto doc = parse_untrusted_xml(text);
  EXPECT_TRUE(doc) << doc.error();
  return std::move(doc).value();
}

xmlNodePtr assertion_of(const xml_document& doc) {
  return first_child(doc.root(), ns::saml, "Assertion");
}

std::vector<certificate> trusted(std::initializer_list<const char*> names) {
  std::vector<certificate> out;
  for (const char* name : names) out.push_back(test::cert(name));
  return out;
}

// The Response as the IdP would send it: Assertion signed by `signer`, serialized.
std::string signed_response(std::string_view signer = "idp") {
  auto doc = parse(response_xml);
  xmlNodePtr assertion = assertion_of(doc);
  auto signed_ok = sign_enveloped(doc, assertion, test::credentials(signer),
                                  first_child(assertion, ns::saml, "Issuer"));
  EXPECT_TRUE(signed_ok) << signed_ok.error();
  return doc.serialize();
}

reason verify_assertion(std::string_view text, const std::vector<certificate>& certs,
                        const signature_policy& policy = {}) {
  auto doc = parse(text);
  auto verified = verify_enveloped_signature(doc, assertion_of(doc), certs, policy);
  return verified ? reason::ok : verified.error().code;
}

// A signature made with xmlsec directly, with whatever algorithms a test needs.
struct custom_signature {
  xmlSecTransformId c14n = xmlSecTransformExclC14NId;
  xmlSecTransformId method = xmlSecTransformRsaSha256Id;
  xmlSecTransformId digest = xmlSecTransformSha256Id;
  std::vector<xmlSecTransformId> transforms = {xmlSecTransformEnvelopedId,
                                               xmlSecTransformExclC14NId};
  std::optional<std::string> uri;  // default: "#" + the element's ID
  bool second_reference = false;   // also a Reference URI="" (the whole document)
  std::string key = "idp";
};

void sign_custom(xml_document& doc, xmlNodePtr element, const custom_signature& how) {
  ASSERT_TRUE(register_ids_unique(doc));
  const std::string uri = how.uri.value_or("#" + attribute(element, "ID").value_or(""));
  xmlNodePtr signature =
      xmlSecTmplSignatureCreateNsPref(doc.get(), how.c14n, how.method, nullptr, xml("ds"));
  ASSERT_NE(signature, nullptr);
  // Placed at once so the document owns it whatever happens next.
  xmlAddNextSibling(first_child(element, ns::saml, "Issuer"), signature);
  xmlNodePtr reference =
      xmlSecTmplSignatureAddReference(signature, how.digest, nullptr, xml(uri.c_str()), nullptr);
  ASSERT_NE(reference, nullptr);
  const xmlChar* ds_ns[] = {xml("ds"), xml("http://www.w3.org/2000/09/xmldsig#"), nullptr};
  for (xmlSecTransformId id : how.transforms) {
    xmlNodePtr transform = xmlSecTmplReferenceAddTransform(reference, id);
    ASSERT_NE(transform, nullptr);
    if (id == xmlSecTransformXPathId) {
      ASSERT_EQ(
          xmlSecTmplTransformAddXPath(transform, xml("not(ancestor-or-self::ds:Signature)"), ds_ns),
          0);
    } else if (id == xmlSecTransformXPath2Id) {
      ASSERT_EQ(
          xmlSecTmplTransformAddXPath2(transform, xml("subtract"), xml("//ds:Signature"), ds_ns),
          0);
    } else if (id == xmlSecTransformXsltId) {
      ASSERT_EQ(
          xmlSecTmplTransformAddXsltStylesheet(
              transform, xml("<xsl:stylesheet version=\"1.0\" "
                             "xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">"
                             "<xsl:template match=\"/\"><xsl:copy-of select=\".\"/></xsl:template>"
                             "</xsl:stylesheet>")),
          0);
    }
  }
  if (how.second_reference) {
    xmlNodePtr whole =
        xmlSecTmplSignatureAddReference(signature, how.digest, nullptr, xml(""), nullptr);
    ASSERT_NE(xmlSecTmplReferenceAddTransform(whole, xmlSecTransformEnvelopedId), nullptr);
  }
  const std::string key_file = test::testdata_path(how.key + ".key").string();
  xml_ptr<xmlSecDSigCtx> ctx(xmlSecDSigCtxCreate(nullptr));
  ASSERT_TRUE(ctx);
  ctx->signKey =
      xmlSecCryptoAppKeyLoad(key_file.c_str(), xmlSecKeyDataFormatPem, nullptr, nullptr, nullptr);
  ASSERT_NE(ctx->signKey, nullptr);
  ASSERT_EQ(xmlSecDSigCtxSign(ctx.get(), signature), 0);
}

std::string custom_signed_response(const custom_signature& how) {
  auto doc = parse(response_xml);
  sign_custom(doc, assertion_of(doc), how);
  return doc.serialize();
}

TEST(sign_enveloped, signs_after_the_issuer_with_the_certificate_in_key_info) {
  const std::string text = signed_response();
  auto doc = parse(text);
  xmlNodePtr assertion = assertion_of(doc);
  xmlNodePtr issuer = first_child(assertion, ns::saml, "Issuer");
  xmlNodePtr next = issuer->next;
  ASSERT_TRUE(is_element(next, ns::ds, "Signature")) << text;
  EXPECT_TRUE(has_signature(assertion));
  EXPECT_FALSE(has_signature(doc.root()));
  xmlNodePtr x509 =
      first_child(first_child(first_child(next, ns::ds, "KeyInfo"), ns::ds, "X509Data"), ns::ds,
                  "X509Certificate");
  ASSERT_NE(x509, nullptr) << text;
  auto embedded = certificate::from_base64_der(strict_text(x509).value());
  ASSERT_TRUE(embedded) << embedded.error();
  EXPECT_EQ(*embedded, test::cert("idp"));
  EXPECT_NE(text.find("URI=\"#_assertion\""), std::string::npos);
  EXPECT_NE(text.find(algorithm::rsa_sha256), std::string::npos);
  EXPECT_NE(text.find(algorithm::sha256), std::string::npos);
  EXPECT_NE(text.find(algorithm::enveloped_signature), std::string::npos);
}

TEST(sign_enveloped, places_the_signature_first_without_insert_after) {
  auto doc = parse("<r xmlns=\"urn:x\" ID=\"_r\"><a/></r>");
  ASSERT_TRUE(sign_enveloped(doc, doc.root(), test::credentials("sp"), nullptr));
  EXPECT_TRUE(is_element(doc.root()->children, ns::ds, "Signature"));
  auto again = parse(doc.serialize());
  EXPECT_TRUE(verify_enveloped_signature(again, again.root(), trusted({"sp"})));
}

TEST(sign_enveloped, refuses_an_element_without_id_and_a_foreign_insert_point) {
  auto doc = parse("<r><a/><b ID=\"_b\"><c/></b></r>");
  auto no_id = sign_enveloped(doc, doc.root(), test::credentials("sp"), nullptr);
  ASSERT_FALSE(no_id);
  EXPECT_EQ(no_id.error().code, reason::internal_error);
  xmlNodePtr b = first_child(doc.root(), "", "b");
  auto foreign = sign_enveloped(doc, b, test::credentials("sp"), first_child(doc.root(), "", "a"));
  ASSERT_FALSE(foreign);
  EXPECT_FALSE(has_signature(doc.root()));
  EXPECT_FALSE(has_signature(b));
}

TEST(verify_enveloped_signature, accepts_a_signature_by_a_trusted_key) {
  EXPECT_EQ(verify_assertion(signed_response(), trusted({"idp"})), reason::ok);
  // Any one of the IdP's certificates (key rollover: old and new in metadata).
  EXPECT_EQ(verify_assertion(signed_response(), trusted({"sp", "idp"})), reason::ok);
}

TEST(verify_enveloped_signature, refuses_altered_content) {
  std::string text = signed_response();
  const auto at = text.find(">alice<");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 7, ">mallory<");
  EXPECT_EQ(verify_assertion(text, trusted({"idp"})), reason::signature_invalid);
}

TEST(verify_enveloped_signature, refuses_an_altered_attribute) {
  std::string text = signed_response();
  const std::string signed_attributes = "ID=\"_assertion\" Version=\"2.0\"";
  const auto at = text.find(signed_attributes);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, signed_attributes.size(), "ID=\"_assertion\" Version=\"2.1\"");
  EXPECT_EQ(verify_assertion(text, trusted({"idp"})), reason::signature_invalid);
}

// Decision: a signature whose digests match the content but which no trusted key verifies is
// key_not_trusted (operators see "the IdP signs with a key its metadata lacks"), not
// signature_invalid (which is kept for content that no longer matches what was signed).
TEST(verify_enveloped_signature, refuses_a_signature_by_an_untrusted_key) {
  EXPECT_EQ(verify_assertion(signed_response(), trusted({"sp"})), reason::key_not_trusted);
  EXPECT_EQ(verify_assertion(signed_response(), {}), reason::key_not_trusted);
  EXPECT_EQ(verify_assertion(signed_response(), trusted({"ec"})), reason::key_not_trusted);
}

TEST(verify_enveloped_signature, ignores_the_attackers_certificate_in_key_info) {
  // Signed by the attacker, whose certificate travels in KeyInfo: worth nothing.
  const std::string text = signed_response("attacker");
  EXPECT_NE(text.find(test::cert("attacker").base64_der().substr(0, 60)), std::string::npos);
  EXPECT_EQ(verify_assertion(text, trusted({"idp"})), reason::key_not_trusted);
  EXPECT_EQ(verify_assertion(text, trusted({"idp", "sp"})), reason::key_not_trusted);
  // ... and the attacker's signature is otherwise perfect.
  EXPECT_EQ(verify_assertion(text, trusted({"attacker"})), reason::ok);
}

TEST(verify_enveloped_signature, refuses_sha1_signature_and_digest) {
  custom_signature rsa_sha1;
  rsa_sha1.method = xmlSecTransformRsaSha1Id;
  const std::string by_rsa_sha1 = custom_signed_response(rsa_sha1);
  EXPECT_EQ(verify_assertion(by_rsa_sha1, trusted({"idp"})), reason::signature_algorithm_forbidden);

  custom_signature sha1_digest;
  sha1_digest.digest = xmlSecTransformSha1Id;
  const std::string by_sha1_digest = custom_signed_response(sha1_digest);
  EXPECT_EQ(verify_assertion(by_sha1_digest, trusted({"idp"})), reason::digest_algorithm_forbidden);

  // Both are genuine signatures: a policy that allowed SHA-1 would accept them.
  signature_policy lax;
  lax.signature_methods.push_back(algorithm::rsa_sha1);
  lax.digest_methods.push_back(algorithm::sha1);
  EXPECT_EQ(verify_assertion(by_rsa_sha1, trusted({"idp"}), lax), reason::ok);
  EXPECT_EQ(verify_assertion(by_sha1_digest, trusted({"idp"}), lax), reason::ok);
}

TEST(verify_enveloped_signature, refuses_xpath_xpath2_and_xslt_transforms) {
  for (xmlSecTransformId id : {xmlSecTransformXPathId, xmlSecTransformXPath2Id}) {
    custom_signature how;
    how.transforms = {id, xmlSecTransformExclC14NId};
    const std::string text = custom_signed_response(how);
    EXPECT_EQ(verify_assertion(text, trusted({"idp"})), reason::transform_forbidden)
        << xmlSecTransformKlassGetName(id);
  }
  custom_signature xslt;
  xslt.transforms = {xmlSecTransformEnvelopedId, xmlSecTransformXsltId};
  EXPECT_EQ(verify_assertion(custom_signed_response(xslt), trusted({"idp"})),
            reason::transform_forbidden);
}

TEST(verify_enveloped_signature, refuses_other_canonicalizations) {
  for (xmlSecTransformId id : {xmlSecTransformInclC14NId, xmlSecTransformExclC14NWithCommentsId}) {
    custom_signature how;
    how.c14n = id;
    EXPECT_EQ(verify_assertion(custom_signed_response(how), trusted({"idp"})),
              reason::transform_forbidden)
        << xmlSecTransformKlassGetName(id);
  }
}

TEST(verify_enveloped_signature, accepts_ecdsa_and_sha512_from_the_allow_list) {
  custom_signature ecdsa;
  ecdsa.method = xmlSecTransformEcdsaSha256Id;
  ecdsa.key = "ec";
  EXPECT_EQ(verify_assertion(custom_signed_response(ecdsa), trusted({"idp", "ec"})), reason::ok);

  custom_signature rsa_sha512;
  rsa_sha512.method = xmlSecTransformRsaSha512Id;
  rsa_sha512.digest = xmlSecTransformSha512Id;
  EXPECT_EQ(verify_assertion(custom_signed_response(rsa_sha512), trusted({"idp"})), reason::ok);
}

TEST(verify_enveloped_signature, refuses_a_reference_to_the_whole_document) {
  custom_signature how;
  how.uri = "";
  EXPECT_EQ(verify_assertion(custom_signed_response(how), trusted({"idp"})),
            reason::reference_mismatch);
}

TEST(verify_enveloped_signature, refuses_a_second_reference) {
  custom_signature how;
  how.second_reference = true;
  EXPECT_EQ(verify_assertion(custom_signed_response(how), trusted({"idp"})),
            reason::reference_mismatch);
}

TEST(verify_enveloped_signature, refuses_an_id_that_is_not_an_ncname) {
  // "#xpointer(/)" would be read by xmlsec as an XPointer over the whole document.
  std::string text(response_xml);
  text.replace(text.find("ID=\"_assertion\""), 15, "ID=\"xpointer(/)\"");
  auto doc = parse(text);
  sign_custom(doc, assertion_of(doc), {});
  EXPECT_EQ(verify_assertion(doc.serialize(), trusted({"idp"})), reason::reference_mismatch);
}

TEST(verify_enveloped_signature, refuses_a_missing_or_second_signature) {
  EXPECT_EQ(verify_assertion(response_xml, trusted({"idp"})), reason::signature_missing);

  auto doc = parse(signed_response());
  xmlNodePtr assertion = assertion_of(doc);
  xmlNodePtr copy = xmlDocCopyNode(first_child(assertion, ns::ds, "Signature"), doc.get(), 1);
  ASSERT_NE(copy, nullptr);
  xmlAddChild(assertion, copy);
  EXPECT_EQ(verify_assertion(doc.serialize(), trusted({"idp"})), reason::signature_invalid);
}

TEST(verify_enveloped_signature, refuses_a_signature_moved_to_a_sibling) {
  // XSW: the attacker's Assertion carries the genuine signature, which still points at the
  // genuine Assertion (kept unsigned next to it).
  auto doc = parse(signed_response());
  xmlNodePtr genuine = assertion_of(doc);
  xmlNodePtr evil = xmlDocCopyNode(genuine, doc.get(), 1);
  ASSERT_NE(evil, nullptr);
  xmlSetProp(evil, xml("ID"), xml("_evil"));
  xmlNodeSetContent(first_child(first_child(evil, ns::saml, "Subject"), ns::saml, "NameID"),
                    xml("mallory"));
  xmlAddPrevSibling(genuine, evil);
  xmlNodePtr genuine_signature = first_child(genuine, ns::ds, "Signature");
  xmlUnlinkNode(genuine_signature);
  xmlFreeNode(genuine_signature);

  auto received = parse(doc.serialize());
  auto evil_result = verify_enveloped_signature(received, assertion_of(received), trusted({"idp"}));
  ASSERT_FALSE(evil_result);
  EXPECT_EQ(evil_result.error().code, reason::reference_mismatch) << evil_result.error();
}

TEST(verify_enveloped_signature, refuses_the_original_relocated_under_the_same_id) {
  // XSW: the genuine signed Assertion hidden in samlp:Extensions, an evil copy with the same ID
  // (and the same signature) where the reader looks for it.
  auto doc = parse(signed_response());
  xmlNodePtr genuine = assertion_of(doc);
  xmlNodePtr evil = xmlDocCopyNode(genuine, doc.get(), 1);
  ASSERT_NE(evil, nullptr);
  xmlNodeSetContent(first_child(first_child(evil, ns::saml, "Subject"), ns::saml, "NameID"),
                    xml("mallory"));
  xmlUnlinkNode(genuine);
  xmlAddChild(first_child(doc.root(), ns::samlp, "Extensions"), genuine);
  xmlAddChild(doc.root(), evil);

  auto received = parse(doc.serialize());
  EXPECT_EQ(
      verify_enveloped_signature(received, assertion_of(received), trusted({"idp"})).error().code,
      reason::duplicate_id);
  // Even the genuine one is refused: the document as a whole is ambiguous.
  xmlNodePtr hidden =
      first_child(first_child(received.root(), ns::samlp, "Extensions"), ns::saml, "Assertion");
  EXPECT_EQ(verify_enveloped_signature(received, hidden, trusted({"idp"})).error().code,
            reason::duplicate_id);
}

TEST(verify_enveloped_signature, refuses_the_original_hidden_in_a_signature_object) {
  // XSW: an evil Assertion with its own ID carries the genuine signature, with the genuine
  // Assertion wrapped in ds:Object inside it.
  auto doc = parse(signed_response());
  xmlNodePtr genuine = assertion_of(doc);
  xmlNodePtr evil = xmlDocCopyNode(genuine, doc.get(), 1);
  ASSERT_NE(evil, nullptr);
  xmlSetProp(evil, xml("ID"), xml("_evil"));
  xmlNodePtr evil_signature = first_child(evil, ns::ds, "Signature");
  xmlNodePtr object = xmlNewChild(evil_signature, evil_signature->ns, xml("Object"), nullptr);
  xmlUnlinkNode(genuine);
  xmlAddChild(object, genuine);
  xmlAddChild(doc.root(), evil);

  auto received = parse(doc.serialize());
  EXPECT_EQ(
      verify_enveloped_signature(received, assertion_of(received), trusted({"idp"})).error().code,
      reason::signature_invalid);
}

TEST(verify_enveloped_signature, refuses_a_duplicate_id_elsewhere) {
  std::string text = signed_response();
  text.replace(text.find("<samlp:Extensions/>"), 19,
               "<samlp:Extensions><x:y xmlns:x=\"urn:x\" ID=\"_assertion\"/></samlp:Extensions>");
  EXPECT_EQ(verify_assertion(text, trusted({"idp"})), reason::duplicate_id);
}

TEST(verify_enveloped_signature, verifies_nested_assertion_and_response_signatures) {
  auto doc = parse(response_xml);
  xmlNodePtr assertion = assertion_of(doc);
  const auto idp = test::credentials("idp");
  ASSERT_TRUE(sign_enveloped(doc, assertion, idp, first_child(assertion, ns::saml, "Issuer")));
  ASSERT_TRUE(sign_enveloped(doc, doc.root(), idp, first_child(doc.root(), ns::saml, "Issuer")));
  auto received = parse(doc.serialize());
  auto response = verify_enveloped_signature(received, received.root(), trusted({"idp"}));
  EXPECT_TRUE(response) << response.error();
  auto inner = verify_enveloped_signature(received, assertion_of(received), trusted({"idp"}));
  EXPECT_TRUE(inner) << inner.error();
}

TEST(verify_enveloped_signature, lets_a_comment_through_which_is_why_strict_text_exists) {
  // Exclusive c14n without comments drops them from the digest: "ali<!---->ce" verifies as
  // "alice". The reader must use strict_text, which refuses it.
  std::string text = signed_response();
  text.replace(text.find(">alice<"), 7, ">ali<!---->ce<");
  auto doc = parse(text);
  xmlNodePtr assertion = assertion_of(doc);
  ASSERT_TRUE(verify_enveloped_signature(doc, assertion, trusted({"idp"})));
  xmlNodePtr name_id = first_child(first_child(assertion, ns::saml, "Subject"), ns::saml, "NameID");
  EXPECT_EQ(strict_text(name_id).error().code, reason::text_has_markup);
}

// Interoperability: the xmlsec1 command line tool verifies what we sign, and we verify what it
// signs, so the signatures are standard and not merely self-consistent.
TEST(interop, xmlsec1_cli_verifies_our_signature) {
  test::temp_dir dir;
  const auto file = dir.path() / "signed.xml";
  test::write_file(file, signed_response());
  const std::string verify =
      "xmlsec1 --verify --enabled-key-data key-name,rsa,x509 "
      "--pubkey-cert-pem " +
      test::testdata_path("idp.crt").string() +
      " --id-attr:ID urn:oasis:names:tc:SAML:2.0:assertion:Assertion ";
  std::string output;
  EXPECT_EQ(test::run(verify + file.string(), &output), 0) << output;
  EXPECT_NE(output.find("OK"), std::string::npos) << output;

  std::string tampered = signed_response();
  tampered.replace(tampered.find(">alice<"), 7, ">mallory<");
  test::write_file(file, tampered);
  EXPECT_NE(test::run(verify + file.string(), &output), 0) << output;
}

TEST(interop, we_verify_an_xmlsec1_cli_signature) {
  test::temp_dir dir;
  std::string text(response_xml);
  const std::string signature_template =
      "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo>"
      "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>"
      "<ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/>"
      "<ds:Reference URI=\"#_assertion\"><ds:Transforms>"
      "<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>"
      "<ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/></ds:Transforms>"
      "<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>"
      "<ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/>"
      "<ds:KeyInfo><ds:X509Data><ds:X509Certificate/></ds:X509Data></ds:KeyInfo></ds:Signature>";
  const std::string issuer = "<saml:Issuer>https://idp.example</saml:Issuer><saml:Subject>";
  text.replace(
      text.find(issuer), issuer.size(),
      "<saml:Issuer>https://idp.example</saml:Issuer>" + signature_template + "<saml:Subject>");
  test::write_file(dir.path() / "template.xml", text);
  const std::string sign =
      "xmlsec1 --sign --privkey-pem " + test::testdata_path("idp.key").string() + "," +
      test::testdata_path("idp.crt").string() +
      " --id-attr:ID urn:oasis:names:tc:SAML:2.0:assertion:Assertion --output " +
      (dir.path() / "signed.xml").string() + " " + (dir.path() / "template.xml").string();
  std::string output;
  ASSERT_EQ(test::run(sign, &output), 0) << output;
  EXPECT_EQ(verify_assertion(test::read_file(dir.path() / "signed.xml"), trusted({"idp"})),
            reason::ok);
  EXPECT_EQ(verify_assertion(test::read_file(dir.path() / "signed.xml"), trusted({"sp"})),
            reason::key_not_trusted);
}

}  // namespace
}  // namespace varco::saml
