// Enveloped XML Signatures: verifying an IdP's (Response, Assertion, metadata) and making ours.
//
// The defence against XML Signature Wrapping (XSW1–XSW8): a signature is accepted only for the
// element the caller is going to read, and only when
// - it is the single ds:Signature direct child of that element;
// - its SignedInfo holds exactly one Reference, whose URI is exactly "#" + the element's ID;
// - every ID in the whole document is unique (register_ids_unique), so "#ID" can only resolve to
//   that element;
// - it verifies with a key from the caller's trusted certificates (from metadata); KeyInfo in the
//   message is never read, so an attacker's embedded certificate is worth nothing;
// - every algorithm is on the policy's allow-list (checked by us first, so each forbidden thing
//   has its own reason, and again by xmlsec's per-context allow-lists).
// After success the caller must keep reading `signed_element` itself, never re-find it by a path
// or by ID: that node is what the signature covers.
//
// Requires an xml_library. Functions are reentrant: concurrent calls on distinct documents are
// safe; a document must not be used by two threads at once.
#pragma once

#include "saml/credentials.hpp"
#include "saml/errors.hpp"
#include "saml/xml_document.hpp"
#include "saml/xml_names.hpp"

#include <libxml/tree.h>

#include <string_view>
#include <vector>

namespace varco::saml {

// Allow-lists of algorithm URIs. The views must outlive the policy: use the constants of
// saml/xml_names.hpp (or strings that live as long as the configuration).
struct signature_policy {
  std::vector<std::string_view> signature_methods = {
      algorithm::rsa_sha256,   algorithm::rsa_sha384,   algorithm::rsa_sha512,
      algorithm::ecdsa_sha256, algorithm::ecdsa_sha384, algorithm::ecdsa_sha512};
  std::vector<std::string_view> digest_methods = {algorithm::sha256, algorithm::sha384,
                                                  algorithm::sha512};
  // SignedInfo's CanonicalizationMethod.
  std::vector<std::string_view> canonicalization_methods = {algorithm::exc_c14n};
  // Reference transforms. Never XPath, XPath Filter 2, XSLT or base64: they let a reference
  // cover something other than the element it names.
  std::vector<std::string_view> transforms = {algorithm::enveloped_signature, algorithm::exc_c14n};
};

// A ds:Signature is a direct child of `element`.
bool has_signature(const xmlNode* element);

// Verifies the enveloped signature of `signed_element` (see above). Also registers the document's
// IDs (register_ids_unique). Reasons: signature_missing; signature_invalid (several signatures,
// a malformed Signature, or content that no longer matches its digest); reference_mismatch;
// duplicate_id; signature_algorithm_forbidden; digest_algorithm_forbidden; transform_forbidden;
// key_not_trusted (the digests match but no trusted key verifies SignatureValue: signed by
// someone else, e.g. an IdP key not yet in its metadata, or SignedInfo altered; also when no
// trusted certificate has a key of the signature's type).
outcome<void> verify_enveloped_signature(xml_document& doc, xmlNodePtr signed_element,
                                         const std::vector<certificate>& trusted,
                                         const signature_policy& policy = {});

// Signs `element` (which must carry an ID attribute) with an enveloped signature: rsa-sha256,
// sha256 digest, exclusive c14n, transforms enveloped-signature + exc-c14n, Reference
// URI="#<ID>", KeyInfo/X509Data/X509Certificate with the credentials' certificate. The ds:Signature
// goes right after `insert_after` (a child of `element`, e.g. its saml:Issuer) or, when null, as
// the first child. On failure the document is left as it was. Reasons: duplicate_id,
// internal_error (no ID on the element, insert_after not its child, xmlsec failure).
outcome<void> sign_enveloped(xml_document& doc, xmlNodePtr element,
                             const signing_credentials& creds, xmlNodePtr insert_after);

}  // namespace varco::saml
