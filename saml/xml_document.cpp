#include "saml/xml_document.hpp"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/valid.h>
#include <libxml/xmlerror.h>

#include <climits>

namespace varco::saml {
namespace {

// What the SAX hooks learn while libxml2 builds the tree; reached through ctxt->_private.
struct parse_watch {
  int max_depth = 0;
  int depth = 0;
  bool doctype = false;
  bool too_deep = false;
  std::string first_error;
  startElementNsSAX2Func start_element = nullptr;  // libxml2's own tree builders
  endElementNsSAX2Func end_element = nullptr;
};

parse_watch& watch_of(void* ctx) {
  return *static_cast<parse_watch*>(static_cast<xmlParserCtxtPtr>(ctx)->_private);
}

// Called as soon as "<!DOCTYPE name ...>" is read, before "[" starts the internal subset: stopping
// here means no entity is ever declared, so none can be expanded (billion laughs) or fetched (XXE).
void on_doctype(void* ctx, const xmlChar* /*name*/, const xmlChar* /*external_id*/,
                const xmlChar* /*system_id*/) {
  watch_of(ctx).doctype = true;
  xmlStopParser(static_cast<xmlParserCtxtPtr>(ctx));
}

void on_start_element(void* ctx, const xmlChar* local, const xmlChar* prefix, const xmlChar* uri,
                      int nb_namespaces, const xmlChar** namespaces, int nb_attributes,
                      int nb_defaulted, const xmlChar** attributes) {
  auto& watch = watch_of(ctx);
  if (++watch.depth > watch.max_depth) {
    watch.too_deep = true;
    xmlStopParser(static_cast<xmlParserCtxtPtr>(ctx));
    return;
  }
  watch.start_element(ctx, local, prefix, uri, nb_namespaces, namespaces, nb_attributes,
                      nb_defaulted, attributes);
}

void on_end_element(void* ctx, const xmlChar* local, const xmlChar* prefix, const xmlChar* uri) {
  auto& watch = watch_of(ctx);
  --watch.depth;
  watch.end_element(ctx, local, prefix, uri);
}

void on_error(void* ctx, xmlErrorPtr error) {
  auto& watch = watch_of(ctx);
  if (!watch.first_error.empty() || error == nullptr || error->level < XML_ERR_ERROR) return;
  std::string text = "line " + std::to_string(error->line) + ": ";
  if (error->message != nullptr) text += error->message;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  constexpr std::size_t max_length = 200;
  if (text.size() > max_length) text.resize(max_length);
  watch.first_error = std::move(text);
}

outcome<xml_document> parse(std::string_view bytes, const parse_limits& limits) {
  if (bytes.size() > limits.max_bytes) {
    return failure{reason::message_too_large, std::to_string(bytes.size()) + " bytes, at most " +
                                                  std::to_string(limits.max_bytes)};
  }
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    return failure{reason::message_too_large, "larger than libxml2 accepts"};
  }
  xml_ptr<xmlParserCtxt> ctxt(xmlNewParserCtxt());
  if (!ctxt || ctxt->sax == nullptr) return failure{reason::internal_error, "xmlNewParserCtxt"};

  parse_watch watch;
  watch.max_depth = limits.max_depth;
  watch.start_element = ctxt->sax->startElementNs;
  watch.end_element = ctxt->sax->endElementNs;
  ctxt->_private = &watch;
  ctxt->sax->internalSubset = on_doctype;
  ctxt->sax->externalSubset = nullptr;
  ctxt->sax->startElementNs = on_start_element;
  ctxt->sax->endElementNs = on_end_element;
  ctxt->sax->serror = on_error;

  // NONET: no fetch even if a loader were installed. Deliberately absent: NOENT (would expand
  // entities), DTDLOAD/DTDATTR/DTDVALID (would read a DTD), HUGE (would lift libxml2's own caps),
  // NOBLANKS (would change what was signed).
  constexpr int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  xml_doc_ptr doc(xmlCtxtReadMemory(ctxt.get(), bytes.data(), static_cast<int>(bytes.size()),
                                    nullptr, nullptr, options));
  // nsWellFormed: an undeclared prefix leaves libxml2's wellFormed set, but the element would
  // then sit in no namespace and look like something it is not.
  const bool well_formed = ctxt->wellFormed != 0 && ctxt->nsWellFormed != 0;
  ctxt->_private = nullptr;

  if (watch.doctype) return failure{reason::doctype_forbidden, "the message carries a DOCTYPE"};
  if (watch.too_deep) {
    return failure{reason::too_deep,
                   "elements nested deeper than " + std::to_string(limits.max_depth)};
  }
  if (!doc || !well_formed) {
    return failure{reason::malformed_xml,
                   watch.first_error.empty() ? "not well-formed" : watch.first_error};
  }
  if (doc->intSubset != nullptr || doc->extSubset != nullptr) {
    return failure{reason::doctype_forbidden, "the message carries a DTD"};
  }
  if (xmlDocGetRootElement(doc.get()) == nullptr) {
    return failure{reason::malformed_xml, "no root element"};
  }
  return xml_document(std::move(doc));
}

bool equals(const xmlChar* a, std::string_view b) {
  if (a == nullptr) return b.empty();
  return std::string_view(reinterpret_cast<const char*>(a)) == b;
}

}  // namespace

xmlNodePtr xml_document::root() const noexcept { return xmlDocGetRootElement(doc_.get()); }

std::string xml_document::serialize(xmlNodePtr node) const {
  if (node == nullptr) {
    xmlChar* raw = nullptr;
    int size = 0;
    xmlDocDumpMemoryEnc(doc_.get(), &raw, &size, "UTF-8");
    xml_string_ptr text(raw);
    if (!text || size <= 0) return {};
    return std::string(reinterpret_cast<const char*>(text.get()), static_cast<std::size_t>(size));
  }
  xml_ptr<xmlBuffer> buffer(xmlBufferCreate());
  if (!buffer || xmlNodeDump(buffer.get(), doc_.get(), node, 0, 0) < 0) return {};
  return std::string(reinterpret_cast<const char*>(xmlBufferContent(buffer.get())),
                     static_cast<std::size_t>(xmlBufferLength(buffer.get())));
}

outcome<xml_document> parse_untrusted_xml(std::string_view bytes, const parse_limits& limits) {
  return parse(bytes, limits);
}

outcome<xml_document> parse_trusted_xml(std::string_view bytes, const parse_limits& limits) {
  return parse(bytes, limits);
}

bool is_element(const xmlNode* node, std::string_view ns, std::string_view local) {
  if (node == nullptr || node->type != XML_ELEMENT_NODE || !equals(node->name, local)) {
    return false;
  }
  if (node->ns == nullptr) return ns.empty();
  return !ns.empty() && equals(node->ns->href, ns);
}

xmlNodePtr first_child(const xmlNode* parent, std::string_view ns, std::string_view local) {
  if (parent == nullptr) return nullptr;
  for (xmlNodePtr c = parent->children; c != nullptr; c = c->next) {
    if (is_element(c, ns, local)) return c;
  }
  return nullptr;
}

std::vector<xmlNodePtr> children(const xmlNode* parent, std::string_view ns,
                                 std::string_view local) {
  std::vector<xmlNodePtr> out;
  if (parent == nullptr) return out;
  for (xmlNodePtr c = parent->children; c != nullptr; c = c->next) {
    if (is_element(c, ns, local)) out.push_back(c);
  }
  return out;
}

std::optional<std::string> attribute(const xmlNode* element, std::string_view name) {
  if (element == nullptr || element->type != XML_ELEMENT_NODE) return std::nullopt;
  const std::string key(name);
  xml_string_ptr value(xmlGetNoNsProp(element, reinterpret_cast<const xmlChar*>(key.c_str())));
  if (!value) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(value.get()));
}

outcome<std::string> strict_text(const xmlNode* element) {
  std::string text;
  if (element == nullptr) return text;
  for (const xmlNode* c = element->children; c != nullptr; c = c->next) {
    switch (c->type) {
      case XML_TEXT_NODE:
      case XML_CDATA_SECTION_NODE:
        if (c->content != nullptr) text += reinterpret_cast<const char*>(c->content);
        break;
      case XML_COMMENT_NODE:
        return failure{reason::text_has_markup, "a comment inside a text value"};
      case XML_PI_NODE:
        return failure{reason::text_has_markup, "a processing instruction inside a text value"};
      case XML_ELEMENT_NODE:
        return failure{reason::text_has_markup, "an element inside a text value"};
      default:
        return failure{reason::text_has_markup, "unexpected markup inside a text value"};
    }
  }
  return text;
}

outcome<void> register_ids_unique(xml_document& doc, std::string_view attr) {
  const std::string name(attr);
  const auto* name_xml = reinterpret_cast<const xmlChar*>(name.c_str());
  // Iterative pre-order walk: depth is bounded by the parser, but recursion is not needed.
  xmlNodePtr node = doc.root();
  while (node != nullptr) {
    if (node->type == XML_ELEMENT_NODE) {
      if (xmlAttrPtr id_attr = xmlHasNsProp(node, name_xml, nullptr);
          id_attr != nullptr && id_attr->type == XML_ATTRIBUTE_NODE) {
        xml_string_ptr value(xmlNodeListGetString(doc.get(), id_attr->children, 1));
        if (value && value.get()[0] != '\0') {
          xmlAttrPtr existing = xmlGetID(doc.get(), value.get());
          if (existing != nullptr && existing != id_attr) {
            return failure{reason::duplicate_id,
                           "ID \"" + std::string(reinterpret_cast<const char*>(value.get())) +
                               "\" appears more than once"};
          }
          if (existing == nullptr &&
              xmlAddID(nullptr, doc.get(), value.get(), id_attr) == nullptr) {
            return failure{reason::internal_error, "xmlAddID failed"};
          }
        }
      }
      if (node->children != nullptr) {
        node = node->children;
        continue;
      }
    }
    while (node != nullptr && node->next == nullptr) {
      node = node->parent;
      if (node == nullptr || node->type == XML_DOCUMENT_NODE) return {};
    }
    if (node != nullptr) node = node->next;
  }
  return {};
}

}  // namespace varco::saml
