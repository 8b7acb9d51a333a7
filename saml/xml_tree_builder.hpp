// Building outgoing SAML documents (metadata, AuthnRequest) with libxml2's tree API.
//
// Text and attribute values are stored as given and escaped when the document is written, so a
// configured text ("A & B <srl>") can never inject markup. Allocation failures are remembered
// rather than checked at every call: build the whole tree, then test failed() once.
#pragma once

#include <libxml/tree.h>

#include <string>
#include <string_view>

namespace varco::saml {

class xml_tree_builder {
 public:
  explicit xml_tree_builder(xmlDocPtr doc) noexcept : doc_(doc) {}

  // A new element, appended to `parent` (or unattached when parent is null).
  xmlNodePtr element(xmlNodePtr parent, xmlNsPtr ns, const char* name) {
    xmlNodePtr node = xmlNewDocNode(doc_, ns, as_xml(name), nullptr);
    if (node == nullptr) {
      failed_ = true;
      return nullptr;
    }
    if (parent != nullptr && xmlAddChild(parent, node) == nullptr) failed_ = true;
    return node;
  }

  xmlNodePtr text_element(xmlNodePtr parent, xmlNsPtr ns, const char* name, std::string_view text) {
    xmlNodePtr node = element(parent, ns, name);
    if (node == nullptr) return nullptr;
    xmlNodePtr content = xmlNewDocTextLen(doc_, as_xml(text.data()), static_cast<int>(text.size()));
    if (content == nullptr || xmlAddChild(node, content) == nullptr) failed_ = true;
    return node;
  }

  void attribute(xmlNodePtr node, const char* name, std::string_view value) {
    const std::string terminated(value);
    if (node == nullptr || xmlNewProp(node, as_xml(name), as_xml(terminated.c_str())) == nullptr)
      failed_ = true;
  }

  // xml:lang="<language>"
  void lang(xmlNodePtr node, const std::string& language) {
    if (node == nullptr) return;
    xmlNodeSetLang(node, as_xml(language.c_str()));
  }

  // Declares prefix → uri on `node` and returns the namespace for its descendants.
  xmlNsPtr declare(xmlNodePtr node, std::string_view uri, const char* prefix) {
    const std::string terminated(uri);
    xmlNsPtr ns =
        node == nullptr ? nullptr : xmlNewNs(node, as_xml(terminated.c_str()), as_xml(prefix));
    if (ns == nullptr) failed_ = true;
    return ns;
  }

  bool failed() const noexcept { return failed_; }

 private:
  static const xmlChar* as_xml(const char* s) noexcept {
    return reinterpret_cast<const xmlChar*>(s);
  }

  xmlDocPtr doc_;
  bool failed_ = false;
};

}  // namespace varco::saml
