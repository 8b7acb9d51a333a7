// Namespace and algorithm URIs used by SAML 2.0, XML Signature and the SPID/CIE extensions.
#pragma once

#include <string_view>

namespace varco::saml {

namespace ns {
inline constexpr std::string_view samlp = "urn:oasis:names:tc:SAML:2.0:protocol";
inline constexpr std::string_view saml = "urn:oasis:names:tc:SAML:2.0:assertion";
inline constexpr std::string_view md = "urn:oasis:names:tc:SAML:2.0:metadata";
inline constexpr std::string_view ds = "http://www.w3.org/2000/09/xmldsig#";
inline constexpr std::string_view xenc = "http://www.w3.org/2001/04/xmlenc#";
inline constexpr std::string_view spid = "https://spid.gov.it/saml-extensions";
inline constexpr std::string_view cie = "https://www.cartaidentita.interno.gov.it/saml-extensions";
inline constexpr std::string_view xsi = "http://www.w3.org/2001/XMLSchema-instance";
inline constexpr std::string_view xs = "http://www.w3.org/2001/XMLSchema";
inline constexpr std::string_view xml = "http://www.w3.org/XML/1998/namespace";
}  // namespace ns

// Algorithm identifiers, as they appear in ds:*Method/@Algorithm and in the Redirect binding's
// SigAlg. Listed here so the allow-lists and the tests spell them once.
namespace algorithm {
inline constexpr std::string_view rsa_sha1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
inline constexpr std::string_view rsa_sha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
inline constexpr std::string_view rsa_sha384 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384";
inline constexpr std::string_view rsa_sha512 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512";
inline constexpr std::string_view ecdsa_sha1 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1";
inline constexpr std::string_view ecdsa_sha256 =
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
inline constexpr std::string_view ecdsa_sha384 =
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384";
inline constexpr std::string_view ecdsa_sha512 =
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512";

inline constexpr std::string_view sha1 = "http://www.w3.org/2000/09/xmldsig#sha1";
inline constexpr std::string_view sha256 = "http://www.w3.org/2001/04/xmlenc#sha256";
inline constexpr std::string_view sha384 = "http://www.w3.org/2001/04/xmldsig-more#sha384";
inline constexpr std::string_view sha512 = "http://www.w3.org/2001/04/xmlenc#sha512";

inline constexpr std::string_view exc_c14n = "http://www.w3.org/2001/10/xml-exc-c14n#";
inline constexpr std::string_view exc_c14n_with_comments =
    "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";
inline constexpr std::string_view c14n = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
inline constexpr std::string_view enveloped_signature =
    "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
inline constexpr std::string_view xpath = "http://www.w3.org/TR/1999/REC-xpath-19991116";
inline constexpr std::string_view xpath2 = "http://www.w3.org/2002/06/xmldsig-filter2";
inline constexpr std::string_view xslt = "http://www.w3.org/TR/1999/REC-xslt-19991116";
inline constexpr std::string_view base64 = "http://www.w3.org/2000/09/xmldsig#base64";
}  // namespace algorithm

}  // namespace varco::saml
