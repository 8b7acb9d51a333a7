// Reading IdP metadata (RULES.md §6): one md:EntityDescriptor, or an md:EntitiesDescriptor
// aggregate such as AgID's registry of every SPID IdP, whose enveloped signature on the root
// covers all the entities inside it.
//
// Pure functions: the caller reads the file (idp_registry does) and decides what to log.
#pragma once

#include "saml/credentials.hpp"
#include "saml/errors.hpp"
#include "saml/idp.hpp"
#include "saml/pending_request.hpp"  // sys_millis

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

namespace varco::saml {

// The IdPs a metadata document describes, each with at least one signing certificate and one
// SingleSignOnService (Redirect or POST). Entities without an IDPSSODescriptor (SPs, attribute
// authorities in an aggregate) are skipped silently.
//
// `trust`, when given, is the aggregate signer: the root element MUST carry an enveloped
// signature whose reference is the root's ID and which verifies with that certificate alone
// (certificates embedded in the file are ignored). Without `trust` an unsigned file is accepted:
// it is a local IdP that the operator placed there; idp_registry reports it as unverified.
//
// The whole document is refused (never a partial list) when: it is not well-formed metadata, it
// carries a DOCTYPE, the signature fails, the root or an IdP entity is past its validUntil (at
// `now`), or an IdP has no usable signing certificate or no SSO endpoint; the detail names the
// entity. Refusing whole keeps the last good copy in service (idp_registry::refresh) rather than
// a silently shrunken list.
outcome<std::vector<idp_descriptor>> parse_idp_metadata(std::string_view xml, provider_kind kind,
                                                        const std::optional<certificate>& trust,
                                                        sys_millis now);

// How long a metadata document may be used, from what it says of itself (SAML metadata §2.2.1):
// what schedules the next fetch of a document loaded from a URL.
struct metadata_timing {
  // The smallest cacheDuration of the root, a nested EntitiesDescriptor or an IdP entity.
  std::optional<std::chrono::seconds> cache_duration;
  // The earliest validUntil among the same elements (all of them in the future when read).
  std::optional<sys_millis> valid_until;
};

struct idp_metadata {
  std::vector<idp_descriptor> idps;
  metadata_timing timing;
};

// parse_idp_metadata with the document's timing too. A malformed cacheDuration refuses the
// document (metadata_invalid), as a malformed validUntil does.
outcome<idp_metadata> read_idp_metadata(std::string_view xml, provider_kind kind,
                                        const std::optional<certificate>& trust, sys_millis now);

// An xs:duration ("PT48H", "P1DT12H", "PT90.5S"), without sign; a year counts 365 days and a
// month 30 (the schema leaves them calendar-dependent). Fractions of a second are dropped and
// very large values saturate. nullopt when malformed or negative.
std::optional<std::chrono::seconds> parse_xml_duration(std::string_view text);

// Same, at the current system time.
outcome<std::vector<idp_descriptor>> parse_idp_metadata(std::string_view xml, provider_kind kind,
                                                        const std::optional<certificate>& trust);

}  // namespace varco::saml
