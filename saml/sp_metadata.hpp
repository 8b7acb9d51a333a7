// The SP's signed SAML metadata (RULES.md §1): what AgID (SPID) or the Ministry of the Interior
// (CIE) registers, served at /saml/metadata and printed by `varco metadata`.
//
// Pure: no I/O, no clock. The gateway builds each variant once per configuration load and serves
// the string; the output is deterministic for a given profile (the EntityDescriptor ID derives
// from the entityID, and RSA PKCS#1 v1.5 signatures are deterministic), so two builds diff clean.
#pragma once

#include "saml/errors.hpp"
#include "saml/idp.hpp"
#include "saml/sp_profile.hpp"

#include <string>

namespace varco::saml {

// The attributes CIE ID releases; the CIE variant lists only attribute services within them.
inline constexpr std::string_view cie_attribute_names[] = {"name", "familyName", "dateOfBirth",
                                                           "fiscalNumber"};

// One md:EntityDescriptor, signed (enveloped, first child, rsa-sha256/sha256/exc-c14n, with the
// certificate in KeyInfo), UTF-8 with an XML declaration.
//
// spid: ContactPerson "other" with spid:IPACode + spid:Public, or spid:VATNumber and/or
//   spid:FiscalCode + spid:Private and a "billing" ContactPerson (fpa:CessionarioCommittente);
//   every configured attribute service.
// cie:  ContactPerson "administrative" with cie:Public/cie:Private, cie:IPACode or
//   cie:VATNumber/cie:FiscalCode, cie:Municipality; only the attribute services whose attributes
//   are all among cie_attribute_names.
// Fails (internal_error) when the profile has no credentials or lacks what the variant needs
// (CIE: a municipality and at least one CIE attribute service), or when signing fails.
outcome<std::string> build_sp_metadata(const sp_profile& profile,
                                       provider_kind kind = provider_kind::spid);

}  // namespace varco::saml
