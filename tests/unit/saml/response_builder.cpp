#include "response_builder.hpp"

#include "base/openssl_handles.hpp"
#include "saml/xml_handles.hpp"
#include "saml/xml_library.hpp"
#include "testdata.hpp"

#include <gtest/gtest.h>
#include <xmlsec/openssl/evp.h>
#include <xmlsec/openssl/x509.h>
#include <xmlsec/templates.h>
#include <xmlsec/transforms.h>
#include <xmlsec/xmldsig.h>

#include <chrono>

namespace varco::saml::test {
namespace {

const xmlChar* xml(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

// An identity stylesheet: the XSLT transform then changes nothing, so the signature is valid and
// only the transform's presence is wrong.
const char* identity_xslt =
    "<xsl:stylesheet xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\" version=\"1.0\">"
    "<xsl:template match=\"@*|node()\"><xsl:copy><xsl:apply-templates select=\"@*|node()\"/>"
    "</xsl:copy></xsl:template></xsl:stylesheet>";

xmlSecTransformId transform_id(std::string_view uri) {
  const std::string href(uri);
  return xmlSecTransformIdListFindByHref(xmlSecTransformIdsGet(), xml(href.c_str()),
                                         xmlSecTransformUsageAny);
}

void add_extra_transform(xml_document& doc, xmlNodePtr reference, std::string_view uri) {
  xmlSecTransformId id = transform_id(uri);
  ASSERT_NE(id, xmlSecTransformIdUnknown) << "xmlsec lacks " << uri;
  xmlNodePtr node = xmlSecTmplReferenceAddTransform(reference, id);
  ASSERT_NE(node, nullptr);
  if (uri == algorithm::xpath) {
    ASSERT_GE(xmlSecTmplTransformAddXPath(node, xml("true()"), nullptr), 0);
  } else if (uri == algorithm::xslt) {
    auto parsed = parse_trusted_xml(identity_xslt);
    ASSERT_TRUE(parsed) << parsed.error();
    xmlNodePtr copy = xmlDocCopyNode(parsed->root(), doc.get(), 1);
    ASSERT_NE(copy, nullptr);
    xmlAddChild(node, copy);
  }
}

// The signer's private key with its certificate, as an xmlsec key.
xml_ptr<xmlSecKey> signing_key(const std::string& signer) {
  const signing_credentials creds = credentials(signer);
  base::openssl_ptr<EVP_PKEY> private_key(creds.key());
  EXPECT_EQ(EVP_PKEY_up_ref(private_key.get()), 1);
  xml_ptr<xmlSecKeyData> key_data(xmlSecOpenSSLEvpKeyAdopt(private_key.get()));
  EXPECT_TRUE(key_data);
  (void)private_key.release();  // hand-off: key_data owns the reference
  xml_ptr<xmlSecKey> key(xmlSecKeyCreate());
  EXPECT_GE(xmlSecKeySetValue(key.get(), key_data.get()), 0);
  (void)key_data.release();  // hand-off: the key owns its value
  xmlSecKeyDataPtr x509 = xmlSecKeyEnsureData(key.get(), xmlSecOpenSSLKeyDataX509Id);
  for (int i = 0; i < 2; ++i) {  // the key's certificate, and the one KeyInfo writes
    base::openssl_ptr<X509> cert(creds.cert().get());
    EXPECT_EQ(X509_up_ref(cert.get()), 1);
    const int rc = i == 0 ? xmlSecOpenSSLKeyDataX509AdoptKeyCert(x509, cert.get())
                          : xmlSecOpenSSLKeyDataX509AdoptCert(x509, cert.get());
    EXPECT_GE(rc, 0);
    (void)cert.release();  // hand-off: the key data owns the reference
  }
  return key;
}

}  // namespace

void sign_element(xml_document& doc, xmlNodePtr element, const signature_knobs& knobs) {
  auto ids = register_ids_unique(doc);
  ASSERT_TRUE(ids) << ids.error();
  const auto id = attribute(element, "ID");
  ASSERT_TRUE(id.has_value());
  const std::string uri = "#" + *id;

  const xmlSecTransformId signature_id = transform_id(knobs.signature_method);
  const xmlSecTransformId digest_id = transform_id(knobs.digest_method);
  ASSERT_NE(signature_id, xmlSecTransformIdUnknown);
  ASSERT_NE(digest_id, xmlSecTransformIdUnknown);
  xml_ptr<xmlNode> signature(xmlSecTmplSignatureCreateNsPref(doc.get(), xmlSecTransformExclC14NId,
                                                             signature_id, nullptr, xml("ds")));
  ASSERT_TRUE(signature);
  xmlNodePtr reference = xmlSecTmplSignatureAddReference(signature.get(), digest_id, nullptr,
                                                         xml(uri.c_str()), nullptr);
  ASSERT_NE(reference, nullptr);
  ASSERT_NE(xmlSecTmplReferenceAddTransform(reference, xmlSecTransformEnvelopedId), nullptr);
  ASSERT_NE(xmlSecTmplReferenceAddTransform(reference, xmlSecTransformExclC14NId), nullptr);
  if (knobs.extra_transform) add_extra_transform(doc, reference, *knobs.extra_transform);
  if (knobs.key_info) {
    xmlNodePtr key_info = xmlSecTmplSignatureEnsureKeyInfo(signature.get(), nullptr);
    xmlNodePtr x509_data = xmlSecTmplKeyInfoAddX509Data(key_info);
    ASSERT_NE(xmlSecTmplX509DataAddCertificate(x509_data), nullptr);
  }

  xml_ptr<xmlSecDSigCtx> ctx(xmlSecDSigCtxCreate(nullptr));
  ASSERT_TRUE(ctx);
  ctx->enabledReferenceUris = xmlSecTransformUriTypeSameDocument;
  ctx->signKey = signing_key(knobs.signer).release();  // hand-off: the context frees signKey

  // SAML puts the signature right after the Issuer.
  xmlNodePtr placed = signature.release();  // hand-off: the document owns the inserted node
  xmlNodePtr issuer = first_child(element, ns::saml, "Issuer");
  if (issuer != nullptr) {
    xmlAddNextSibling(issuer, placed);
  } else if (element->children != nullptr) {
    xmlAddPrevSibling(element->children, placed);
  } else {
    xmlAddChild(element, placed);
  }
  ASSERT_GE(xmlSecDSigCtxSign(ctx.get(), placed), 0) << take_last_xmlsec_error();
}

xml_document build_response_document(const response_knobs& knobs) {
  auto doc = parse_trusted_xml(response_xml(knobs));
  EXPECT_TRUE(doc) << doc.error();
  if (knobs.before_signing) knobs.before_signing(*doc);
  xmlNodePtr root = doc->root();
  if (knobs.sign_assertion) {
    if (xmlNodePtr assertion = first_child(root, ns::saml, "Assertion"); assertion != nullptr) {
      sign_element(*doc, assertion, knobs.assertion_signature);
    }
  }
  if (knobs.sign_response) sign_element(*doc, root, knobs.response_signature);
  return std::move(*doc);
}

std::string build_response(const response_knobs& knobs) {
  const xml_document doc = build_response_document(knobs);
  return knobs.xml_declaration ? doc.serialize() : serialize(doc);
}

std::string serialize(const xml_document& doc) { return doc.serialize(doc.root()); }

const idp_descriptor& test_idp() {
  static const idp_descriptor idp = [] {
    idp_descriptor d;
    d.entity_id = std::string(test_idp_entity_id);
    d.kind = provider_kind::spid;
    d.display_name = "Test IdP";
    d.signing_certificates.push_back(cert("idp"));
    d.single_sign_on.push_back({std::string(binding_post), "https://idp.example.it/sso", ""});
    return d;
  }();
  return idp;
}

response_expectations test_expectations() {
  response_expectations e;
  e.request_id = std::string(test_request_id);
  e.request_instant = test_request_instant();
  e.idp = &test_idp();
  e.kind = provider_kind::spid;
  e.requested_level = 2;
  e.comparison = "minimum";
  e.acs_url = std::string(test_acs_url);
  e.sp_entity_id = std::string(test_sp_entity_id);
  e.now = test_now();
  e.clock_skew = std::chrono::seconds(30);
  return e;
}

}  // namespace varco::saml::test
