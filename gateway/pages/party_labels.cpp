#include "gateway/pages/party_labels.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace varco::gateway {
namespace {

using label_pair = std::pair<std::string_view, std::string_view>;

template <std::size_t N>
std::string_view find_label(const std::array<label_pair, N>& labels, std::string_view code) {
  const auto it = std::find_if(labels.begin(), labels.end(),
                               [&](const label_pair& entry) { return entry.first == code; });
  return it == labels.end() ? code : it->second;
}

// Self Care's names for its institution types (selfcare-dashboard-frontend, institutionTypeValue);
// SCEC is not among them there.
constexpr std::array<label_pair, 13> type_labels{{
    {"PA", "Pubblica Amministrazione"},
    {"PG", "Azienda"},
    {"GSP", "Gestore di servizi pubblici"},
    {"SA", "Gestore privato di piattaforma e-procurement"},
    {"PT", "Partner tecnologico"},
    {"SCP", "Società a controllo pubblico"},
    {"PSP", "Prestatore di servizi di pagamento"},
    {"AS", "Società di assicurazione"},
    {"REC", "Recapitista"},
    {"CON", "Consolidatore"},
    {"PRV", "Privato"},
    {"GPU", "Gestore di pubblica utilità o di interesse generale"},
    {"SCEC", "Società a capitale pubblico"},
}};

// Types whose members are companies (società, aziende): their name is a "ragione sociale". Public
// administrations, public service operators (often consortia or special agencies) and private
// bodies of any form have a "denominazione", the general term, also for unknown types.
constexpr std::array<std::string_view, 9> company_types{"PG", "SA",  "PT",  "SCP", "PSP",
                                                        "AS", "REC", "CON", "SCEC"};

constexpr std::array<label_pair, 10> registry_labels{{
    {"address", "Sede legale"},
    {"zip", "CAP"},
    {"city", "Comune"},
    {"province", "Provincia"},
    {"country", "Paese"},
    {"pec", "PEC"},
    {"email", "Email"},
    {"phone", "Telefono"},
    {"vat_number", "Partita IVA"},
    {"recipient_code", "Codice destinatario"},
}};

}  // namespace

std::string_view party_type_label(std::string_view type) { return find_label(type_labels, type); }

std::string_view party_name_label(std::string_view type) {
  const bool company =
      std::find(company_types.begin(), company_types.end(), type) != company_types.end();
  return company ? "Ragione sociale" : "Denominazione";
}

std::string_view registry_label(std::string_view key, std::string_view type) {
  // A public administration receives e-invoices on an IPA office code (Codice Univoco Ufficio);
  // companies and private bodies on the SDI recipient code.
  if (key == "recipient_code" && type == "PA") return "Codice univoco ufficio";
  return find_label(registry_labels, key);
}

}  // namespace varco::gateway
