// unique_ptr deleters for the libxml2 and xmlsec handles the saml module owns (xmlsec is libxml2's
// signature layer and shares its types, so both live here). One overloaded deleter, picked by the
// pointee type: `xml_ptr<xmlDoc> doc(xmlReadMemory(...));`.
#pragma once

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlmemory.h>
#include <xmlsec/keys.h>
#include <xmlsec/xmldsig.h>

#include <memory>

namespace varco::saml {

struct xml_deleter {
  void operator()(xmlDoc* p) const noexcept { xmlFreeDoc(p); }
  void operator()(xmlNode* p) const noexcept { xmlFreeNode(p); }  // an unlinked node
  void operator()(xmlChar* p) const noexcept { xmlFree(p); }
  void operator()(xmlBuffer* p) const noexcept { xmlBufferFree(p); }
  void operator()(xmlParserCtxt* p) const noexcept { xmlFreeParserCtxt(p); }
  void operator()(xmlSecDSigCtx* p) const noexcept { xmlSecDSigCtxDestroy(p); }
  void operator()(xmlSecKey* p) const noexcept { xmlSecKeyDestroy(p); }
  void operator()(xmlSecKeyData* p) const noexcept { xmlSecKeyDataDestroy(p); }
};

template <class T>
using xml_ptr = std::unique_ptr<T, xml_deleter>;

using xml_doc_ptr = xml_ptr<xmlDoc>;
using xml_string_ptr = xml_ptr<xmlChar>;

}  // namespace varco::saml
