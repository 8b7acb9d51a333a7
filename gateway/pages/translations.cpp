#include "gateway/pages/translations.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_map>

namespace varco::gateway {
namespace {

// Italian (whitespace collapsed) → English. Keep sorted by the Italian text.
const std::vector<std::pair<std::string_view, std::string_view>> catalog = {
    {"Accedi all'Area Riservata", "Log in to the Reserved Area"},
    {"Accedi con {{name}}", "Log in with {{name}}"},
    {"Accedi di nuovo", "Log in again"},
    {"Accesso non riuscito", "Login failed"},
    {"Aderisci", "Join"},
    {"Aderisci al prodotto", "Join the product"},
    {"Altri metodi di accesso", "Other ways to log in"},
    {"Ambiente", "Environment"},
    {"Anche il gestore di identità ha chiuso la sessione.",
     "Your identity provider closed its session too."},
    {"Annulla", "Cancel"},
    {"Area Riservata: i prodotti del tuo ente, i suoi utenti e l'assistenza.",
     "Reserved Area: your organisation's products, its users and support."},
    {"Chiudi il messaggio", "Close the message"},
    {"Chiudi la finestra", "Close the dialog"},
    {"Come vuoi accedere all'Area Riservata?", "How do you want to log in to the Reserved Area?"},
    {"Dettagli per l'assistenza: codice <code>{{code}}</code>",
     "Details for support: code <code>{{code}}</code>"},
    {"Dettagli per l'assistenza: errore {{status}}, codice <code>{{code}}</code>",
     "Details for support: error {{status}}, code <code>{{code}}</code>"},
    {"Entra", "Enter"},
    {"Entra con CIE", "Log in with CIE"},
    {"Entra con SPID", "Log in with SPID"},
    {"Entrando accetti i <a href=\"/terms\">Termini e condizioni d'uso</a> del servizio e confermi "
     "di aver letto l'<a href=\"/privacy\">Informativa Privacy</a>.",
     "By logging in you accept the service's <a href=\"/terms\">Terms and conditions of use</a> "
     "and confirm you have read the <a href=\"/privacy\">Privacy notice</a>."},
    {"Il servizio di accesso è temporaneamente non disponibile. Riprova tra qualche minuto.",
     "The login service is temporarily unavailable. Please try again in a few minutes."},
    {"La risposta del gestore di identità non è valida o è scaduta, e non è stata accettata per "
     "proteggere il tuo account. Riprova l'accesso.",
     "The identity provider's answer was invalid or expired and was refused to protect your "
     "account. Please log in again."},
    {"La sessione era scaduta: abbiamo conservato quanto avevi scritto. Controlla e invia di "
     "nuovo.",
     "Your session had expired: we kept what you had written. Check it and send it again."},
    {"La sessione è scaduta: accedi di nuovo per continuare.",
     "Your session expired: log in again to continue."},
    {"La sessione è stata chiusa.", "Your session has been closed."},
    {"Maggiori informazioni su SPID", "More about SPID"},
    {"Mostra o nascondi il menu", "Show or hide the menu"},
    {"Nascondi il menu", "Hide the menu"},
    {"Nessun gestore di identità SPID configurato.", "No SPID identity provider is configured."},
    {"Non hai SPID?", "No SPID yet?"},
    {"Ora stai operando per {party}.", "You are now acting for {party}."},
    {"Presto disponibile", "Coming soon"},
    {"Prodotto: {{product}}", "Product: {{product}}"},
    {"Riattiva", "Reactivate"},
    {"Riattiva utente", "Reactivate user"},
    {"Richiesta di adesione inviata: il gestore del prodotto la esaminerà e ti risponderà.",
     "Join request sent: the product's operator will review it and answer you."},
    {"Rimuovi", "Remove"},
    {"Rimuovi utente", "Remove user"},
    {"Sei uscito", "Logged out"},
    {"Sei uscito dall'Area Riservata", "You are logged out of the Reserved Area"},
    {"Sospendi", "Suspend"},
    {"Sospendi utente", "Suspend user"},
    {"Stai operando per", "You are acting for"},
    {"Termini e condizioni d'uso", "Terms and conditions of use"},
    {"Torna all'accesso", "Back to login"},
    {"Troppi tentativi di accesso da questo indirizzo in poco tempo. Riprova tra qualche minuto.",
     "Too many login attempts from this address in a short time. Please try again in a few "
     "minutes."},
    {"Vai all'accesso", "Go to login"},
    {"Vuoi riattivare <strong data-varco-slot=\"name\">{{member_name}}</strong> su <strong "
     "data-varco-slot=\"product-title\">{{product_title}}</strong>? Potrà di nuovo usare il "
     "prodotto.",
     "Do you want to reactivate <strong data-varco-slot=\"name\">{{member_name}}</strong> on "
     "<strong data-varco-slot=\"product-title\">{{product_title}}</strong>? They will be able to "
     "use the product again."},
    {"Vuoi richiedere l'adesione di <strong>{{party_name}}</strong> a <strong "
     "data-varco-slot=\"product-title\">{{product_title}}</strong>? Il gestore del prodotto "
     "esaminerà la richiesta.",
     "Do you want to ask for <strong>{{party_name}}</strong> to join <strong "
     "data-varco-slot=\"product-title\">{{product_title}}</strong>? The product's operator will "
     "review the request."},
    {"Vuoi rimuovere <strong data-varco-slot=\"name\">{{member_name}}</strong> da <strong "
     "data-varco-slot=\"product-title\">{{product_title}}</strong>? Per ridargli accesso dovrai "
     "aggiungerlo di nuovo.",
     "Do you want to remove <strong data-varco-slot=\"name\">{{member_name}}</strong> from <strong "
     "data-varco-slot=\"product-title\">{{product_title}}</strong>? To give them access again you "
     "will have to add them again."},
    {"Vuoi sospendere <strong data-varco-slot=\"name\">{{member_name}}</strong> su <strong "
     "data-varco-slot=\"product-title\">{{product_title}}</strong>? Non potrà usare il prodotto "
     "finché non lo riattivi.",
     "Do you want to suspend <strong data-varco-slot=\"name\">{{member_name}}</strong> on <strong "
     "data-varco-slot=\"product-title\">{{product_title}}</strong>? They cannot use the product "
     "until you reactivate them."},
    {"ambiente: {{environment}}", "environment: {{environment}}"},
    {"richiesta <code>{{request_id}}</code>", "request <code>{{request_id}}</code>"},
    {"<a href=\"/area\">Torna alla Panoramica</a> · <a href=\"/area/support\">Scrivi un'altra "
     "richiesta</a>",
     "<a href=\"/area\">Back to the Overview</a> · <a href=\"/area/support\">Write another "
     "request</a>"},
    {"Abbiamo registrato la tua richiesta di assistenza. Il suo numero è <strong "
     "id=\"support-ticket\">{{ticket}}</strong>: indicalo se ci scrivi di nuovo.",
     "We have recorded your support request. Its number is <strong "
     "id=\"support-ticket\">{{ticket}}</strong>: quote it if you write to us again."},
    {"Accesso con {{provider_label}}", "Signed in with {{provider_label}}"},
    {"Accesso effettuato", "Signed in"},
    {"Aderisci<span class=\"visually-hidden\"> a {{title}}</span>",
     "Join<span class=\"visually-hidden\"> {{title}}</span>"},
    {"Aggiungi un utente", "Add a user"},
    {"Aggiungi utente", "Add user"},
    {"Al massimo {{max_message}} caratteri. Non scrivere password o altri dati riservati.",
     "At most {{max_message}} characters. Do not write passwords or other confidential data."},
    {"Amministratore", "Administrator"},
    {"Area Riservata", "Reserved Area"},
    {"Assistenza", "Support"},
    {"Attivo", "Active"},
    {"Azienda", "Company"},
    {"Azioni", "Actions"},
    {"CAP", "Postcode"},
    {"Cambia ente. Ente attuale:", "Change organisation. Current organisation:"},
    {"Cerca", "Search"},
    {"Cerca per nome o codice fiscale dell'ente",
     "Search by the organisation's name or fiscal code"},
    {"Chiedi a un Amministratore del tuo ente di aggiungerti tra gli utenti del prodotto che devi "
     "gestire, indicando il tuo codice fiscale.",
     "Ask an Administrator of your organisation to add you to the users of the product you need to "
     "manage, giving your fiscal code."},
    {"Codice IPA", "IPA code"},
    {"Codice destinatario", "E-invoicing recipient code"},
    {"Codice fiscale", "Fiscal code"},
    {"Codice univoco ufficio", "E-invoicing office code"},
    {"Cognome", "Surname"},
    {"Come ottenere l'accesso", "How to get access"},
    {"Comune", "Municipality"},
    {"Consolidatore", "Print and mail consolidator"},
    {"Controlla i campi evidenziati.", "Check the highlighted fields."},
    {"Dati dell'ente", "Organisation details"},
    {"Delegato dal", "Delegated since"},
    {"Denominazione", "Name"},
    {"Email", "Email"},
    {"Ente", "Organisation"},
    {"Enti che hanno delegato {{partner_name}}{{#multi_page}}, pagina {{page}} di "
     "{{pages}}{{/multi_page}}",
     "Organisations that delegated {{partner_name}}{{#multi_page}}, page {{page}} of "
     "{{pages}}{{/multi_page}}"},
    {"Errore: Assistenza", "Error: Support"},
    {"Esci", "Log out"},
    {"Gestisci", "Manage"},
    {"Gestore di pubblica utilità o di interesse generale",
     "Public utility or general interest operator"},
    {"Gestore di servizi pubblici", "Public service operator"},
    {"Gestore privato di piattaforma e-procurement", "Private e-procurement platform operator"},
    {"Gli enti che hanno delegato <strong>{{partner_name}}</strong> a operare per loro conto sui "
     "prodotti indicati.",
     "The organisations that delegated <strong>{{partner_name}}</strong> to act on their behalf on "
     "the products shown."},
    {"Gli utenti di <strong>{{party_name}}</strong> e il loro ruolo su ciascun prodotto.",
     "The users of <strong>{{party_name}}</strong> and their role on each product."},
    {"Hai effettuato l'accesso come <strong>{{user_name}}</strong> ({{fiscal_number}}).",
     "You are signed in as <strong>{{user_name}}</strong> ({{fiscal_number}})."},
    {"Hai effettuato l'accesso come <strong>{{user_name}}</strong> ({{fiscal_number}}), ma la tua "
     "utenza non è ancora associata a nessun ente.",
     "You are signed in as <strong>{{user_name}}</strong> ({{fiscal_number}}), but your account is "
     "not associated with any organisation yet."},
    {"I tuoi enti", "Your organisations"},
    {"Il messaggio contiene caratteri di controllo non ammessi.",
     "The message contains control characters that are not allowed."},
    {"Il servizio non riesce a registrare la richiesta in questo momento, quindi <strong>non è "
     "stata inviata</strong>. Quello che hai scritto è ancora qui sotto: riprova tra qualche "
     "minuto, oppure scrivi a <a href=\"mailto:{{support_email}}\">{{support_email}}</a>.",
     "The service cannot record the request right now, so it <strong>was not sent</strong>. What "
     "you wrote is still below: try again in a few minutes, or write to <a "
     "href=\"mailto:{{support_email}}\">{{support_email}}</a>."},
    {"Il tuo ruolo non consente l'accesso a nessun ambiente di questo prodotto.",
     "Your role does not allow access to any environment of this product."},
    {"In quale ambiente vuoi entrare?", "Which environment do you want to enter?"},
    {"Indirizzo e-mail per la risposta", "E-mail address for the answer"},
    {"Informativa Privacy", "Privacy notice"},
    {"Inserisci il cognome (al massimo 100 caratteri).",
     "Enter the surname (at most 100 characters)."},
    {"Inserisci il nome (al massimo 100 caratteri).", "Enter the name (at most 100 characters)."},
    {"Inserisci un codice fiscale di 16 lettere e cifre.",
     "Enter a fiscal code of 16 letters and digits."},
    {"Inserisci un indirizzo email valido, per esempio nome@ente.it.",
     "Enter a valid e-mail address, for example name@example.org."},
    {"Invia la richiesta", "Send the request"},
    {"Invia la tua richiesta per e-mail a <a "
     "href=\"mailto:{{support_email}}\">{{support_email}}</a>, indicando il tuo ente e, se "
     "riguarda un prodotto, quale.",
     "Send your request by e-mail to <a href=\"mailto:{{support_email}}\">{{support_email}}</a>, "
     "naming your organisation and, if it concerns a product, which one."},
    {"L'elenco degli utenti è gestito centralmente: per modificarlo rivolgiti all'Assistenza.",
     "The list of users is managed centrally: to change it, contact Support."},
    {"L'ente ha già aderito a tutti i prodotti disponibili.",
     "The organisation has already joined every available product."},
    {"L'ente non ha ancora prodotti attivi per la tua utenza.",
     "The organisation has no active products for your account yet."},
    {"L'ente non ha ancora utenti.", "The organisation has no users yet."},
    {"L'oggetto deve stare su una sola riga.", "The subject must fit on one line."},
    {"La richiesta non è stata inviata. Correggi questi campi:",
     "The request was not sent. Please correct these fields:"},
    {"La tua utenza per <strong>{{name}}</strong> è sospesa. Per riattivarla rivolgiti a un "
     "Amministratore dell'ente.",
     "Your account for <strong>{{name}}</strong> is suspended. To reactivate it, contact an "
     "Administrator of the organisation."},
    {"Link utili", "Useful links"},
    {"Menu dell'area", "Area menu"},
    {"Messaggio", "Message"},
    {"Mostra tutti", "Show all"},
    {"Nessun ente associato", "No organisation yet"},
    {"Nessun ente delegante corrisponde a «{{search}}». Controlla il nome o il codice fiscale, "
     "oppure <a href=\"/area/delegations\">mostra tutti gli enti</a>.",
     "No delegating organisation matches “{{search}}”. Check the name or the fiscal code, or <a "
     "href=\"/area/delegations\">show all organisations</a>."},
    {"Nessun ente ha ancora delegato {{partner_name}}.",
     "No organisation has delegated {{partner_name}} yet."},
    {"Nessun ente trovato", "No organisation found"},
    {"Nessun prodotto in particolare", "No product in particular"},
    {"Nome", "Name"},
    {"Oggetto", "Subject"},
    {"Operatore", "Operator"},
    {"PEC", "Certified e-mail (PEC)"},
    {"Paese", "Country"},
    {"Pagina", "Page"},
    {"Pagina precedente", "Previous page"},
    {"Pagina successiva", "Next page"},
    {"Pagine degli enti", "Pages of organisations"},
    {"Panoramica", "Overview"},
    {"Partita IVA", "VAT number"},
    {"Partner tecnologico", "Technology partner"},
    {"Per aderire a questo prodotto rivolgiti all'<a href=\"/area/support\">Assistenza</a>.",
     "To join this product, contact <a href=\"/area/support\">Support</a>."},
    {"Per qualsiasi dubbio scrivi all'<a href=\"/area/support\">Assistenza</a>.",
     "For any question write to <a href=\"/area/support\">Support</a>."},
    {"Preferisci l'e-mail? Scrivi a <a href=\"mailto:{{support_email}}\">{{support_email}}</a>.",
     "Prefer e-mail? Write to <a href=\"mailto:{{support_email}}\">{{support_email}}</a>."},
    {"Prestatore di servizi di pagamento", "Payment service provider"},
    {"Privato", "Private body"},
    {"Prodotti", "Products"},
    {"Prodotti attivi", "Active products"},
    {"Prodotti disponibili", "Available products"},
    {"Prodotto", "Product"},
    {"Prodotto (facoltativo)", "Product (optional)"},
    {"Provincia", "Province"},
    {"Pubblica Amministrazione", "Public administration"},
    {"Quando l'associazione sarà attiva, esci e accedi di nuovo per vedere l'ente e i suoi "
     "prodotti.",
     "Once the association is active, log out and sign in again to see the organisation and its "
     "products."},
    {"Quando l'utenza sarà riattivata, esci e accedi di nuovo per vedere l'ente e i suoi prodotti.",
     "Once your account is reactivated, log out and sign in again to see the organisation and its "
     "products."},
    {"Questo utente ha già un ruolo sul prodotto scelto.",
     "This user already has a role on the chosen product."},
    {"Ragione sociale", "Company name"},
    {"Recapitista", "Postal delivery operator"},
    {"Riattiva<span class=\"visually-hidden\"> {{display_name}} su {{product_title}}</span>",
     "Reactivate<span class=\"visually-hidden\"> {{display_name}} on {{product_title}}</span>"},
    {"Riceverai la risposta all'indirizzo e-mail che hai indicato.",
     "You will receive the answer at the e-mail address you gave."},
    {"Richiesta inviata", "Request sent"},
    {"Richiesta ricevuta", "Request received"},
    {"Rimuovi<span class=\"visually-hidden\"> {{display_name}} da {{product_title}}</span>",
     "Remove<span class=\"visually-hidden\"> {{display_name}} from {{product_title}}</span>"},
    {"Ruolo", "Role"},
    {"Scegli il ruolo: Operatore o Amministratore.", "Choose the role: Operator or Administrator."},
    {"Scegli l'ambiente", "Choose the environment"},
    {"Scegli uno dei prodotti del tuo ente, oppure nessuno.",
     "Choose one of your organisation's products, or none."},
    {"Scegli uno dei prodotti dell'ente.", "Choose one of the organisation's products."},
    {"Scrivi all'assistenza", "Write to support"},
    {"Scrivi il messaggio.", "Write the message."},
    {"Scrivi l'indirizzo e-mail a cui vuoi ricevere la risposta.",
     "Write the e-mail address where you want the answer."},
    {"Scrivi l'oggetto.", "Write the subject."},
    {"Scrivi la tua richiesta: la salviamo subito e la inoltriamo al servizio di assistenza, che "
     "ti risponderà all'indirizzo e-mail indicato.",
     "Write your request: we save it at once and forward it to the support service, which will "
     "answer at the e-mail address you give."},
    {"Scrivi un indirizzo e-mail valido, ad esempio nome@ente.it.",
     "Write a valid e-mail address, for example name@example.org."},
    {"Se operi anche per un partner tecnologico, sceglilo dal selettore dell'ente in alto.",
     "If you also act for a technology partner, choose it from the organisation switcher at the "
     "top."},
    {"Se sei il legale rappresentante, avvia l'adesione dell'ente al prodotto.",
     "If you are the legal representative, start the organisation's enrolment in the product."},
    {"Sede legale", "Registered office"},
    {"Sezione non disponibile per questo ente", "Section not available for this organisation"},
    {"Si apre sul portale del prodotto, fuori dall'Area Riservata.",
     "Opens on the product's portal, outside the Reserved Area."},
    {"Società a capitale pubblico", "Publicly owned company"},
    {"Società a controllo pubblico", "Publicly controlled company"},
    {"Società di assicurazione", "Insurance company"},
    {"Solo un Amministratore dell'ente può richiedere l'adesione.",
     "Only an Administrator of the organisation can ask to join."},
    {"Sospendi<span class=\"visually-hidden\"> {{display_name}} su {{product_title}}</span>",
     "Suspend<span class=\"visually-hidden\"> {{display_name}} on {{product_title}}</span>"},
    {"Sospeso", "Suspended"},
    {"Stato", "Status"},
    {"Telefono", "Phone"},
    {"Termini e condizioni", "Terms of use"},
    {"Tipologia", "Type"},
    {"Torna alla Panoramica", "Back to the Overview"},
    {"Utente aggiunto. Potrà entrare con SPID o CIE al prossimo accesso.",
     "User added. They can sign in with SPID or CIE from their next login."},
    {"Utente riattivato: può di nuovo usare il prodotto.",
     "User reactivated: they can use the product again."},
    {"Utente rimosso dal prodotto.", "User removed from the product."},
    {"Utente sospeso: non può più usare il prodotto finché non lo riattivi.",
     "User suspended: they cannot use the product until you reactivate them."},
    {"Utenti", "Users"},
    {"Utenti dell'ente", "The organisation's users"},
    {"Utenti dell'ente, con prodotto, ruolo e stato",
     "The organisation's users, with product, role and status"},
    {"Utenza sospesa", "Account suspended"},
    {"Vai al contenuto principale", "Skip to main content"},
    {"«I tuoi enti» elenca gli enti che hanno delegato un <strong>partner tecnologico</strong>. "
     "L'ente selezionato, {{partner_name}}{{#has_partner_type}} "
     "({{partner_type}}){{/has_partner_type}}, non è un partner tecnologico.",
     "“Your organisations” lists the organisations that delegated a <strong>technology "
     "partner</strong>. The selected organisation, {{partner_name}}{{#has_partner_type}} "
     "({{partner_type}}){{/has_partner_type}}, is not a technology partner."},
};

const std::unordered_map<std::string_view, std::string_view>& index() {
  static const std::unordered_map<std::string_view, std::string_view> by_italian(catalog.begin(),
                                                                                 catalog.end());
  return by_italian;
}

}  // namespace

std::string collapse_whitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

std::optional<std::string_view> english_for(std::string_view italian) {
  const auto& by_italian = index();
  auto it = by_italian.find(italian);
  if (it == by_italian.end()) {
    const std::string collapsed = collapse_whitespace(italian);
    it = by_italian.find(collapsed);
    if (it == by_italian.end()) return std::nullopt;
  }
  return it->second;
}

std::string translated(std::string_view italian, language to) {
  if (to == language::it) return std::string(italian);
  if (auto english = english_for(italian)) return std::string(*english);
  return std::string(italian);
}

const std::vector<std::pair<std::string_view, std::string_view>>& translation_catalog() {
  return catalog;
}

}  // namespace varco::gateway
