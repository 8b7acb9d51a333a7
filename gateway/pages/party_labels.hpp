// The labels of a party's registry data ("Dati dell'ente" on the Panoramica, the party type on "I
// tuoi enti"). Some depend on the kind of party, as in Italian usage and in Self Care: a company's
// name is its "Ragione sociale", a public body's its "Denominazione"; a public administration's
// e-invoicing code is its "Codice univoco ufficio", anyone else's a "Codice destinatario".
//
// Labels are Italian and are keys of the translation catalog (translations.cpp), so a page shows
// them in its own language. Pure functions; an unknown code or key comes back as it is.
#pragma once

#include <string_view>

namespace varco::gateway {

// "Pubblica Amministrazione" for "PA", … (the institution types of Self Care).
std::string_view party_type_label(std::string_view type);

// "Ragione sociale" for the types that are companies, else "Denominazione".
std::string_view party_name_label(std::string_view type);

// The label of a directory registry key ("address" → "Sede legale") for a party of `type`.
std::string_view registry_label(std::string_view key, std::string_view type);

}  // namespace varco::gateway
