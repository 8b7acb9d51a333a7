// A parsed XML document, and the only two ways this module parses bytes: untrusted (anything from
// the network) and trusted (our own files). Both refuse any DOCTYPE before its internal subset is
// read, so entities are never declared, expanded or fetched, and nothing touches the network.
//
// An xml_document is not thread-safe; each request parses its own. Comments and processing
// instructions are kept in the tree so validators can see and refuse them (comment injection).
#pragma once

#include "saml/errors.hpp"
#include "saml/xml_handles.hpp"

#include <libxml/tree.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace varco::saml {

struct parse_limits {
  std::size_t max_bytes = 64 * 1024;  // of the document as received (already base64-decoded)
  int max_depth = 64;                 // element nesting; the root is depth 1
};

// Limits for parse_trusted_xml: metadata aggregates (AgID's registry) run to a few MiB.
inline constexpr parse_limits trusted_parse_limits{16 * 1024 * 1024, 128};

class xml_document {
 public:
  explicit xml_document(xml_doc_ptr doc) noexcept : doc_(std::move(doc)) {}

  xmlDocPtr get() const noexcept { return doc_.get(); }
  xmlNodePtr root() const noexcept;  // null for an empty document

  // Without a node: the whole document with an XML declaration, UTF-8, unformatted (signatures
  // stay valid). With a node: that subtree as it is written in the document; namespace
  // declarations made on its ancestors are not repeated, so the result may not stand alone.
  std::string serialize(xmlNodePtr node = nullptr) const;

 private:
  xml_doc_ptr doc_;
};

// Bytes from the network. Fails with message_too_large, doctype_forbidden, too_deep or
// malformed_xml; never loads anything, never expands entities.
outcome<xml_document> parse_untrusted_xml(std::string_view bytes, const parse_limits& limits = {});

// Our own files (configuration, metadata on disk): the same refusals with larger limits.
outcome<xml_document> parse_trusted_xml(std::string_view bytes,
                                        const parse_limits& limits = trusted_parse_limits);

// --- Reading helpers. `ns` is a namespace URI (saml/xml_names.hpp); "" means no namespace. ---

bool is_element(const xmlNode* node, std::string_view ns, std::string_view local);
// The first element child with that name, or null.
xmlNodePtr first_child(const xmlNode* parent, std::string_view ns, std::string_view local);
// Every element child with that name, in document order.
std::vector<xmlNodePtr> children(const xmlNode* parent, std::string_view ns,
                                 std::string_view local);
// The value of an attribute without namespace (ID, Version, ...), or nullopt when absent.
std::optional<std::string> attribute(const xmlNode* element, std::string_view name);

// The concatenation of all text and CDATA children. A comment, processing instruction, entity
// reference or child element among them is refused (text_has_markup): exclusive c14n drops
// comments from the digest, so "abc<!---->def" would otherwise read differently than it was signed.
outcome<std::string> strict_text(const xmlNode* element);

// Registers every `attr` attribute (no namespace) of every element as an XML ID, so that xmlsec
// resolves "#id" references to it, and fails with duplicate_id when a value appears twice, also
// against ids the parser registered itself (xml:id). Idempotent: a second call on the same
// document succeeds.
outcome<void> register_ids_unique(xml_document& doc, std::string_view attr = "ID");

}  // namespace varco::saml
