#include "saml/post_form.hpp"

#include "base/html.hpp"

namespace varco::saml {

std::string render_post_form(const post_form& form) {
  std::string html;
  html.reserve(form.message.size() + 1024);
  html += "<!DOCTYPE html>\n<html lang=\"it\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<meta name=\"referrer\" content=\"no-referrer\">\n";
  html += "<title>Reindirizzamento in corso</title>\n";
  html += "<script src=\"";
  html += base::escape_html(autopost_script_path);
  html += "\" defer></script>\n</head>\n<body>\n<form id=\"";
  html += base::escape_html(post_form_id);
  html += "\" method=\"post\" action=\"";
  html += base::escape_html(form.action);
  html += "\">\n<input type=\"hidden\" name=\"";
  html += base::escape_html(form.message_name);
  html += "\" value=\"";
  html += base::escape_html(form.message);
  html += "\">\n";
  if (!form.relay_state.empty()) {
    html += "<input type=\"hidden\" name=\"RelayState\" value=\"";
    html += base::escape_html(form.relay_state);
    html += "\">\n";
  }
  // The button stays visible even with JavaScript on: if the external script is blocked or slow,
  // the user can still continue; <noscript> only explains why nothing happens by itself.
  html +=
      "<noscript><p>JavaScript è disattivato: premi il pulsante per proseguire.</p></noscript>\n";
  html += "<p><button type=\"submit\">Prosegui</button></p>\n</form>\n</body>\n</html>\n";
  return html;
}

}  // namespace varco::saml
