#include "gateway/pages/support_form.hpp"

#include <algorithm>

namespace varco::gateway {
namespace {

std::string field_of(const std::map<std::string, std::string>& form, const std::string& name) {
  auto it = form.find(name);
  return it == form.end() ? std::string() : it->second;
}

std::string trimmed(std::string_view text) {
  constexpr std::string_view space = " \t\r\n";
  const auto first = text.find_first_not_of(space);
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(space);
  return std::string(text.substr(first, last - first + 1));
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

// The subject becomes an e-mail subject or a ticket title downstream: one line, no controls.
bool has_controls(std::string_view text, bool allow_lines) {
  return std::any_of(text.begin(), text.end(), [allow_lines](char c) {
    const auto u = static_cast<unsigned char>(c);
    if (allow_lines && (c == '\n' || c == '\t')) return false;
    return is_control(u);
  });
}

bool is_atext(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+/=?^_`{|}~.-").find(c) != std::string_view::npos;
}

bool is_label(std::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
    return false;
  return std::all_of(label.begin(), label.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// Checks `text` against [1, max] code points. `what` names the field with its article ("il
// messaggio"), `subject` the same at the start of a sentence.
std::string length_problem(std::string_view text, std::size_t max, std::string_view what,
                           std::string_view subject) {
  const auto length = utf8_length(text);
  if (!length) return std::string(subject) + " contiene caratteri non validi.";
  if (*length == 0) return "Scrivi " + std::string(what) + ".";
  if (*length > max) {
    return std::string(subject) + " è troppo lungo: al massimo " + std::to_string(max) +
           " caratteri (ne hai scritti " + std::to_string(*length) + ").";
  }
  return {};
}

}  // namespace

std::string without_cr(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out += text[i];
  }
  return out;
}

support_request support_request_from(const std::map<std::string, std::string>& form) {
  return support_request{trimmed(field_of(form, "email")), trimmed(field_of(form, "subject")),
                         without_cr(field_of(form, "message")), field_of(form, "product")};
}

bool is_email_shape(std::string_view text) {
  if (text.size() > 254) return false;
  const auto at = text.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64) return false;
  const auto local = text.substr(0, at);
  const auto domain = text.substr(at + 1);
  if (!std::all_of(local.begin(), local.end(), is_atext)) return false;
  if (domain.find('.') == std::string_view::npos) return false;
  std::size_t start = 0;
  for (;;) {
    const auto dot = domain.find('.', start);
    if (!is_label(domain.substr(start, dot == std::string_view::npos ? dot : dot - start)))
      return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

std::optional<std::size_t> utf8_length(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++count) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    char32_t code = 0;
    if (lead < 0x80) {
      ++i;
      continue;
    }
    if (lead >= 0xC2 && lead <= 0xDF) {
      extra = 1;
      code = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      extra = 2;
      code = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      extra = 3;
      code = lead & 0x07;
    } else {
      return std::nullopt;
    }
    if (i + extra >= text.size()) return std::nullopt;  // cut short
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return std::nullopt;
      code = (code << 6) | (next & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and beyond U+10FFFF are not UTF-8.
    if ((extra == 2 && code < 0x800) || (extra == 3 && (code < 0x10000 || code > 0x10FFFF)) ||
        (code >= 0xD800 && code <= 0xDFFF))
      return std::nullopt;
    i += extra + 1;
  }
  return count;
}

support_field_errors validate_support_request(const support_request& request,
                                              const conf::support& settings,
                                              std::span<const std::string> party_products) {
  support_field_errors errors;
  if (request.email.empty()) {
    errors.email = "Scrivi l'indirizzo e-mail a cui vuoi ricevere la risposta.";
  } else if (!is_email_shape(request.email)) {
    errors.email = "Scrivi un indirizzo e-mail valido, ad esempio nome@ente.it.";
  }
  errors.subject =
      length_problem(request.subject, settings.max_subject_chars, "l'oggetto", "L'oggetto");
  if (errors.subject.empty() && has_controls(request.subject, false))
    errors.subject = "L'oggetto deve stare su una sola riga.";
  errors.message =
      length_problem(request.message, settings.max_message_chars, "il messaggio", "Il messaggio");
  if (errors.message.empty() && has_controls(request.message, true))
    errors.message = "Il messaggio contiene caratteri di controllo non ammessi.";
  if (!request.product.empty() && std::find(party_products.begin(), party_products.end(),
                                            request.product) == party_products.end())
    errors.product = "Scegli uno dei prodotti del tuo ente, oppure nessuno.";
  return errors;
}

}  // namespace varco::gateway
