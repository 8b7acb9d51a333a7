#include "saml/xml_signature.hpp"

#include "base/openssl_handles.hpp"
#include "saml/xml_handles.hpp"
#include "saml/xml_library.hpp"

#include <libxml/valid.h>
#include <xmlsec/crypto.h>
#include <xmlsec/keyinfo.h>
#include <xmlsec/openssl/evp.h>
#include <xmlsec/openssl/x509.h>
#include <xmlsec/templates.h>
#include <xmlsec/transforms.h>
#include <xmlsec/xmldsig.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>

namespace varco::saml {
namespace {

const xmlChar* xml(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

std::string text_of(const xmlChar* s) {
  return s == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(s));
}

bool allowed(const std::vector<std::string_view>& list, std::string_view uri) {
  return std::find(list.begin(), list.end(), uri) != list.end();
}

// Element children only: whitespace text, comments and PIs between them do not matter here.
std::vector<xmlNodePtr> element_children(const xmlNode* parent) {
  std::vector<xmlNodePtr> out;
  for (xmlNodePtr c = parent->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) out.push_back(c);
  }
  return out;
}

failure structure_error(std::string detail) {
  return failure{reason::signature_invalid, "malformed ds:Signature: " + std::move(detail)};
}

// The expected "#ID" of the signed element, after checking that the document's ID table maps
// that ID to this very element. The ID must be an NCName (xs:ID): otherwise "#xpointer(/)" would
// be a legal ID whose "#ID" reference means the whole document.
outcome<std::string> expected_reference(xml_document& doc, const xmlNode* element) {
  auto id = attribute(element, "ID");
  if (!id || id->empty() || xmlValidateNCName(xml(id->c_str()), 0) != 0) {
    return failure{reason::reference_mismatch, "the signed element has no valid ID attribute"};
  }
  xmlAttrPtr registered = xmlGetID(doc.get(), xml(id->c_str()));
  if (registered == nullptr || registered->parent != element) {
    return failure{reason::reference_mismatch, "ID \"" + *id + "\" resolves to another element"};
  }
  return "#" + *id;
}

// Our own reading of the Signature before xmlsec runs: structure, allow-lists and the single
// reference to the element itself. xmlsec's allow-lists check the algorithms again.
outcome<void> inspect_signature(const xmlNode* signature, std::string_view expected_uri,
                                const signature_policy& policy) {
  const auto parts = element_children(signature);
  if (parts.size() < 2 || !is_element(parts[0], ns::ds, "SignedInfo") ||
      !is_element(parts[1], ns::ds, "SignatureValue")) {
    return structure_error("SignedInfo and SignatureValue must come first");
  }
  // Only KeyInfo may follow: ds:Object is where XSW variants hide the original element.
  if (parts.size() > 3 || (parts.size() == 3 && !is_element(parts[2], ns::ds, "KeyInfo"))) {
    return structure_error("only KeyInfo may follow SignatureValue");
  }

  const auto info = element_children(parts[0]);
  if (info.size() < 3 || !is_element(info[0], ns::ds, "CanonicalizationMethod") ||
      !is_element(info[1], ns::ds, "SignatureMethod")) {
    return structure_error(
        "SignedInfo must hold CanonicalizationMethod, SignatureMethod, Reference");
  }
  const auto signature_method = attribute(info[1], "Algorithm").value_or("");
  if (!allowed(policy.signature_methods, signature_method)) {
    return failure{reason::signature_algorithm_forbidden,
                   "signature method \"" + signature_method + "\" is not allowed"};
  }
  const auto c14n = attribute(info[0], "Algorithm").value_or("");
  if (!allowed(policy.canonicalization_methods, c14n)) {
    return failure{reason::transform_forbidden, "canonicalization \"" + c14n + "\" is not allowed"};
  }
  if (info.size() != 3 || !is_element(info[2], ns::ds, "Reference")) {
    return failure{reason::reference_mismatch, "SignedInfo must hold exactly one Reference"};
  }

  const xmlNode* reference = info[2];
  const auto uri = attribute(reference, "URI");
  if (!uri || *uri != expected_uri) {
    return failure{reason::reference_mismatch, "the Reference URI \"" + uri.value_or("") +
                                                   "\" is not the signed element's \"" +
                                                   std::string(expected_uri) + "\""};
  }
  auto parts_of_reference = element_children(reference);
  auto next = parts_of_reference.begin();
  if (next != parts_of_reference.end() && is_element(*next, ns::ds, "Transforms")) {
    for (xmlNodePtr transform : element_children(*next)) {
      if (!is_element(transform, ns::ds, "Transform")) return structure_error("in Transforms");
      const auto algorithm = attribute(transform, "Algorithm").value_or("");
      if (!allowed(policy.transforms, algorithm)) {
        return failure{reason::transform_forbidden,
                       "transform \"" + algorithm + "\" is not allowed"};
      }
    }
    ++next;
  }
  if (next == parts_of_reference.end() || !is_element(*next, ns::ds, "DigestMethod")) {
    return structure_error("Reference without DigestMethod");
  }
  const auto digest = attribute(*next, "Algorithm").value_or("");
  if (!allowed(policy.digest_methods, digest)) {
    return failure{reason::digest_algorithm_forbidden,
                   "digest method \"" + digest + "\" is not allowed"};
  }
  return {};
}

// What xmlSecTransformIdListFindByHref(xmlSecTransformIdsGet(), uri, xmlSecTransformUsageAny)
// answers: the first registered transform with that href. xmlsec finds it by a string compare
// with every registered transform (about 7,000 instructions a lookup, 13 lookups for each
// signature verified); the registry is fixed once xml_library has initialised xmlsec, so it is
// read once into a map.
xmlSecTransformId transform_by_href(std::string_view uri) {
  static const auto registry = [] {
    std::map<std::string, xmlSecTransformId, std::less<>> by_href;
    xmlSecPtrListPtr ids = xmlSecTransformIdsGet();
    for (xmlSecSize i = 0; i < xmlSecPtrListGetSize(ids); ++i) {
      const auto id = static_cast<xmlSecTransformId>(xmlSecPtrListGetItem(ids, i));
      if (id != nullptr && id->href != nullptr) by_href.emplace(text_of(id->href), id);
    }
    return by_href;
  }();
  const auto found = registry.find(uri);
  return found == registry.end() ? xmlSecTransformIdUnknown : found->second;
}

bool enable(const std::vector<std::string_view>& uris, xmlSecDSigCtxPtr ctx, bool reference) {
  for (std::string_view uri : uris) {
    const xmlSecTransformId id = transform_by_href(uri);
    if (id == xmlSecTransformIdUnknown) continue;  // not built into xmlsec: it fails closed
    const int rc = reference ? xmlSecDSigCtxEnableReferenceTransform(ctx, id)
                             : xmlSecDSigCtxEnableSignatureTransform(ctx, id);
    if (rc < 0) return false;
  }
  return true;
}

// A verification context that can only use `key`, only follow same-document references and only
// run the policy's algorithms.
outcome<xml_ptr<xmlSecDSigCtx>> verification_context(const certificate& cert,
                                                     const signature_policy& policy) {
  // No keys manager: KeyInfo can never produce a key, signKey is the only one.
  xml_ptr<xmlSecDSigCtx> ctx(xmlSecDSigCtxCreate(nullptr));
  if (!ctx) return failure{reason::internal_error, "xmlSecDSigCtxCreate"};
  ctx->flags |= XMLSEC_DSIG_FLAGS_IGNORE_MANIFESTS;
  ctx->enabledReferenceUris = xmlSecTransformUriTypeSameDocument;
  // Belt and braces: even if KeyInfo were read, only a KeyName (meaningless without a keys
  // manager) would be looked at, never an X509Data or a RetrievalMethod.
  if (xmlSecPtrListAdd(&ctx->keyInfoReadCtx.enabledKeyData,
                       const_cast<void*>(static_cast<const void*>(xmlSecKeyDataNameId))) < 0 ||
      !enable(policy.canonicalization_methods, ctx.get(), false) ||
      !enable(policy.signature_methods, ctx.get(), false) ||
      !enable(policy.transforms, ctx.get(), true) ||
      !enable(policy.digest_methods, ctx.get(), true)) {
    return failure{reason::internal_error, "cannot set the xmlsec allow-lists"};
  }

  if (cert.public_key() == nullptr || EVP_PKEY_up_ref(cert.public_key()) != 1) {
    return failure{reason::internal_error, "certificate without public key"};
  }
  base::openssl_ptr<EVP_PKEY> public_key(cert.public_key());  // the reference just taken
  xml_ptr<xmlSecKeyData> key_data(xmlSecOpenSSLEvpKeyAdopt(public_key.get()));
  if (!key_data) return failure{reason::internal_error, "xmlSecOpenSSLEvpKeyAdopt"};
  (void)public_key.release();  // hand-off: key_data owns the EVP_PKEY reference now
  xml_ptr<xmlSecKey> key(xmlSecKeyCreate());
  if (!key || xmlSecKeySetValue(key.get(), key_data.get()) < 0) {
    return failure{reason::internal_error, "xmlSecKeySetValue"};
  }
  (void)key_data.release();      // hand-off: the key owns its value
  ctx->signKey = key.release();  // hand-off: xmlSecDSigCtxDestroy frees signKey
  return ctx;
}

// The key type a signature method needs, so a certificate of another type is not even tried
// (xmlsec would report a processing error, not a bad signature).
int key_type_for(std::string_view signature_method) {
  return signature_method.find("#ecdsa-") != std::string_view::npos ? EVP_PKEY_EC : EVP_PKEY_RSA;
}

enum class attempt { verified, content_altered, wrong_key, error };

struct attempt_result {
  attempt outcome = attempt::error;
  xml_ptr<xmlSecDSigCtx> ctx;  // kept to inspect what xmlsec actually processed
  std::string error;
};

attempt_result verify_with(xmlNodePtr signature, const certificate& cert,
                           const signature_policy& policy) {
  attempt_result result;
  auto ctx = verification_context(cert, policy);
  if (!ctx) {
    result.error = ctx.error().detail;
    return result;
  }
  result.ctx = std::move(*ctx);
  xmlSecDSigCtxPtr c = result.ctx.get();
  if (xmlSecDSigCtxVerify(c, signature) < 0) {
    result.error = take_last_xmlsec_error();
    if (result.error.empty()) result.error = "xmlSecDSigCtxVerify failed";
    return result;
  }
  if (c->status == xmlSecDSigStatusSucceeded) {
    result.outcome = attempt::verified;
    return result;
  }
  // xmlsec checks the references' digests before SignatureValue and stops at the first bad one.
  result.outcome = attempt::wrong_key;
  if (xmlSecPtrListGetSize(&c->signedInfoReferences) > 0) {
    auto* ref =
        static_cast<xmlSecDSigReferenceCtxPtr>(xmlSecPtrListGetItem(&c->signedInfoReferences, 0));
    if (ref != nullptr && ref->status != xmlSecDSigStatusSucceeded) {
      result.outcome = attempt::content_altered;
    }
  }
  return result;
}

// After xmlsec said yes: what it processed must be the one reference to the element, and the ID
// must still resolve to it (defence in depth against our reading and xmlsec's differing).
outcome<void> confirm_processed_reference(xml_document& doc, xmlSecDSigCtxPtr ctx,
                                          const xmlNode* signed_element,
                                          std::string_view expected_uri) {
  if (ctx->status != xmlSecDSigStatusSucceeded ||
      xmlSecPtrListGetSize(&ctx->signedInfoReferences) != 1) {
    return failure{reason::reference_mismatch, "xmlsec processed more than one reference"};
  }
  auto* ref =
      static_cast<xmlSecDSigReferenceCtxPtr>(xmlSecPtrListGetItem(&ctx->signedInfoReferences, 0));
  if (ref == nullptr || ref->status != xmlSecDSigStatusSucceeded ||
      text_of(ref->uri) != expected_uri) {
    return failure{reason::reference_mismatch, "xmlsec processed another reference"};
  }
  auto again = expected_reference(doc, signed_element);
  if (!again) return again.error();
  if (*again != expected_uri) return failure{reason::reference_mismatch, "the ID changed"};
  return {};
}

}  // namespace

bool has_signature(const xmlNode* element) {
  return first_child(element, ns::ds, "Signature") != nullptr;
}

outcome<void> verify_enveloped_signature(xml_document& doc, xmlNodePtr signed_element,
                                         const std::vector<certificate>& trusted,
                                         const signature_policy& policy) {
  base::openssl_error_scope errors;
  if (signed_element == nullptr || signed_element->type != XML_ELEMENT_NODE ||
      signed_element->doc != doc.get()) {
    return failure{reason::internal_error, "the signed element is not an element of this document"};
  }
  const auto signatures = children(signed_element, ns::ds, "Signature");
  if (signatures.empty()) return failure{reason::signature_missing, "no ds:Signature"};
  if (signatures.size() > 1)
    return failure{reason::signature_invalid, "more than one ds:Signature"};
  xmlNodePtr signature = signatures.front();

  if (auto ids = register_ids_unique(doc); !ids) return ids.error();
  auto expected_uri = expected_reference(doc, signed_element);
  if (!expected_uri) return expected_uri.error();
  if (auto inspected = inspect_signature(signature, *expected_uri, policy); !inspected) {
    return inspected.error();
  }

  const xmlNode* signature_method = element_children(element_children(signature)[0])[1];
  const int key_type = key_type_for(attribute(signature_method, "Algorithm").value_or(""));
  bool wrong_key = false;
  std::string error;
  for (const certificate& cert : trusted) {
    if (EVP_PKEY_get_base_id(cert.public_key()) != key_type) continue;
    auto result = verify_with(signature, cert, policy);
    switch (result.outcome) {
      case attempt::verified:
        return confirm_processed_reference(doc, result.ctx.get(), signed_element, *expected_uri);
      case attempt::content_altered:
        // The digest does not depend on the key: no other certificate can change this.
        return failure{reason::signature_invalid, "the signed content does not match its digest"};
      case attempt::wrong_key:
        wrong_key = true;
        break;
      case attempt::error:
        error = std::move(result.error);
        break;
    }
  }
  if (wrong_key || error.empty()) {
    return failure{reason::key_not_trusted, "no trusted certificate verifies the signature (" +
                                                std::to_string(trusted.size()) + " tried)"};
  }
  return failure{reason::signature_invalid, "xmlsec: " + error};
}

outcome<void> sign_enveloped(xml_document& doc, xmlNodePtr element,
                             const signing_credentials& creds, xmlNodePtr insert_after) {
  base::openssl_error_scope errors;
  if (element == nullptr || element->type != XML_ELEMENT_NODE || element->doc != doc.get()) {
    return failure{reason::internal_error, "not an element of this document"};
  }
  if (insert_after != nullptr && insert_after->parent != element) {
    return failure{reason::internal_error, "insert_after is not a child of the signed element"};
  }
  if (auto ids = register_ids_unique(doc); !ids) return ids.error();
  auto uri = expected_reference(doc, element);
  if (!uri) return failure{reason::internal_error, uri.error().detail};

  xml_ptr<xmlNode> signature(xmlSecTmplSignatureCreateNsPref(
      doc.get(), xmlSecTransformExclC14NId, xmlSecTransformRsaSha256Id, nullptr, xml("ds")));
  if (!signature) return failure{reason::internal_error, "xmlSecTmplSignatureCreateNsPref"};
  xmlNodePtr reference = xmlSecTmplSignatureAddReference(signature.get(), xmlSecTransformSha256Id,
                                                         nullptr, xml(uri->c_str()), nullptr);
  xmlNodePtr key_info = xmlSecTmplSignatureEnsureKeyInfo(signature.get(), nullptr);
  xmlNodePtr x509_data = key_info == nullptr ? nullptr : xmlSecTmplKeyInfoAddX509Data(key_info);
  if (reference == nullptr ||
      xmlSecTmplReferenceAddTransform(reference, xmlSecTransformEnvelopedId) == nullptr ||
      xmlSecTmplReferenceAddTransform(reference, xmlSecTransformExclC14NId) == nullptr ||
      x509_data == nullptr || xmlSecTmplX509DataAddCertificate(x509_data) == nullptr) {
    return failure{reason::internal_error, "cannot build the signature template"};
  }

  // The key: the private key plus the certificate that KeyInfo writes out.
  if (EVP_PKEY_up_ref(creds.key()) != 1) return failure{reason::internal_error, "EVP_PKEY_up_ref"};
  base::openssl_ptr<EVP_PKEY> private_key(creds.key());  // the reference just taken
  xml_ptr<xmlSecKeyData> key_data(xmlSecOpenSSLEvpKeyAdopt(private_key.get()));
  if (!key_data) return failure{reason::internal_error, "xmlSecOpenSSLEvpKeyAdopt"};
  (void)private_key.release();  // hand-off: key_data owns the EVP_PKEY reference
  xml_ptr<xmlSecKey> key(xmlSecKeyCreate());
  if (!key || xmlSecKeySetValue(key.get(), key_data.get()) < 0) {
    return failure{reason::internal_error, "xmlSecKeySetValue"};
  }
  (void)key_data.release();  // hand-off: the key owns its value
  xmlSecKeyDataPtr x509 = xmlSecKeyEnsureData(key.get(), xmlSecOpenSSLKeyDataX509Id);
  for (int i = 0; i < 2; ++i) {  // once as the key's certificate, once for KeyInfo to write
    if (x509 == nullptr || X509_up_ref(creds.cert().get()) != 1) {
      return failure{reason::internal_error, "cannot attach the certificate"};
    }
    base::openssl_ptr<X509> cert(creds.cert().get());  // the reference just taken
    const int rc = i == 0 ? xmlSecOpenSSLKeyDataX509AdoptKeyCert(x509, cert.get())
                          : xmlSecOpenSSLKeyDataX509AdoptCert(x509, cert.get());
    if (rc < 0) return failure{reason::internal_error, "cannot attach the certificate"};
    (void)cert.release();  // hand-off: the key data owns the X509 reference
  }

  xml_ptr<xmlSecDSigCtx> ctx(xmlSecDSigCtxCreate(nullptr));
  if (!ctx) return failure{reason::internal_error, "xmlSecDSigCtxCreate"};
  ctx->enabledReferenceUris = xmlSecTransformUriTypeSameDocument;
  ctx->signKey = key.release();  // hand-off: xmlSecDSigCtxDestroy frees signKey

  xmlNodePtr placed = signature.get();
  if (insert_after != nullptr) {
    xmlAddNextSibling(insert_after, placed);
  } else if (element->children != nullptr) {
    xmlAddPrevSibling(element->children, placed);
  } else {
    xmlAddChild(element, placed);
  }
  (void)signature.release();  // hand-off: the document owns the inserted node
  if (xmlSecDSigCtxSign(ctx.get(), placed) < 0) {
    xmlUnlinkNode(placed);
    xml_ptr<xmlNode> discarded(placed);  // take it back so the document is left as it was
    return failure{reason::internal_error, "xmlsec: " + take_last_xmlsec_error()};
  }
  return {};
}

}  // namespace varco::saml
