// Process-wide initialisation of libxml2, xmlsec and its OpenSSL backend, with safe defaults.
//
// Construct exactly one, in main() (tests: the gtest environment in tests/unit/saml), before any
// thread parses XML, and keep it alive until every thread that uses XML has stopped. Nesting is
// allowed (the first instance initialises, the last one cleans up) but libxml2 cannot be
// initialised again after its cleanup, so a construction after that throws.
//
// Defaults it installs, for every parser in the process:
// - an external entity loader that refuses everything (no file:// or http:// fetch, no XXE), for
//   libxml2 and for xmlsec;
// - no entity substitution and no external DTD loading by default;
// - xmlsec's I/O callbacks removed, so a ds:Reference can only point inside the document;
// - libxml2 and xmlsec errors kept off stderr (a hostile message must not flood the log); the
//   latest xmlsec error of the calling thread is available for a failure's detail.
// XPath/XSLT transforms are refused per signature context (saml/xml_signature.hpp allow-lists).
#pragma once

#include <string>

namespace varco::saml {

class xml_library {
 public:
  xml_library();  // throws std::runtime_error when a library refuses to initialise
  ~xml_library();
  xml_library(const xml_library&) = delete;
  xml_library& operator=(const xml_library&) = delete;

  static bool active() noexcept;
};

// The last error xmlsec reported on this thread since the previous call ("" when none), then
// forgets it. For failure details only: it names xmlsec objects, never key material.
std::string take_last_xmlsec_error();

}  // namespace varco::saml
