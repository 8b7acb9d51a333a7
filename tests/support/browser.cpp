#include "tests/support/browser.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/verb.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace varco::test {
namespace http = boost::beast::http;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The value of attribute `name` inside one tag's text ("<input type=hidden name=x value='y'>").
std::optional<std::string> tag_attribute(std::string_view tag, std::string_view name) {
  const std::string lowered = lower(tag);
  std::size_t at = 0;
  while ((at = lowered.find(lower(name), at)) != std::string::npos) {
    const bool starts = at > 0 && std::isspace(static_cast<unsigned char>(lowered[at - 1]));
    std::size_t p = at + name.size();
    while (p < tag.size() && tag[p] == ' ') ++p;
    if (!starts || p >= tag.size() || tag[p] != '=') {
      at += name.size();
      continue;
    }
    ++p;
    while (p < tag.size() && tag[p] == ' ') ++p;
    if (p >= tag.size()) return std::string();
    if (tag[p] == '"' || tag[p] == '\'') {
      const char quote = tag[p];
      const auto end = tag.find(quote, p + 1);
      return html_unescape(tag.substr(p + 1, end - p - 1));
    }
    auto end = tag.find_first_of(" >/", p);
    return html_unescape(tag.substr(p, end - p));
  }
  return std::nullopt;
}

std::string encode_component(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '*') {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

}  // namespace

std::string html_form::field(const std::string& name) const {
  for (const auto& [k, v] : fields) {
    if (k == name) return v;
  }
  return {};
}

bool html_form::offers(const std::string& name, const std::string& value) const {
  for (const auto& [k, v] : choices) {
    if (k == name && v == value) return true;
  }
  return false;
}

void html_form::choose(const std::string& name, const std::string& value) {
  for (auto& [k, v] : fields) {
    if (k == name) {
      v = value;
      return;
    }
  }
  fields.emplace_back(name, value);
}

html_form form_choosing(const std::string& html, const std::string& form_id,
                        const std::string& name, const std::string& value) {
  for (auto& form : parse_forms(html)) {
    if (form.id != form_id || !form.offers(name, value)) continue;
    form.choose(name, value);
    return form;
  }
  return {};
}

std::string html_unescape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out.push_back(text[i]);
      continue;
    }
    const auto semi = text.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out.push_back('&');
      continue;
    }
    const std::string_view entity = text.substr(i + 1, semi - i - 1);
    if (entity == "amp")
      out.push_back('&');
    else if (entity == "lt")
      out.push_back('<');
    else if (entity == "gt")
      out.push_back('>');
    else if (entity == "quot")
      out.push_back('"');
    else if (entity == "apos")
      out.push_back('\'');
    else if (!entity.empty() && entity[0] == '#') {
      const bool hex = entity.size() > 1 && (entity[1] == 'x' || entity[1] == 'X');
      const unsigned long code =
          std::stoul(std::string(entity.substr(hex ? 2 : 1)), nullptr, hex ? 16 : 10);
      if (code < 0x80) {
        out.push_back(static_cast<char>(code));
      } else {  // UTF-8 for the few non-ASCII characters pages may carry
        if (code < 0x800) {
          out.push_back(static_cast<char>(0xC0 | (code >> 6)));
        } else {
          out.push_back(static_cast<char>(0xE0 | (code >> 12)));
          out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
        }
        out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
      }
    } else {
      out.append(text.substr(i, semi - i + 1));
    }
    i = semi;
  }
  return out;
}

std::vector<html_form> parse_forms(const std::string& html) {
  std::vector<html_form> forms;
  const std::string lowered = lower(html);
  std::size_t at = 0;
  while ((at = lowered.find("<form", at)) != std::string::npos) {
    const auto tag_end = lowered.find('>', at);
    const auto form_end = lowered.find("</form", tag_end);
    const std::string_view tag(html.data() + at, tag_end - at);
    html_form form;
    form.id = tag_attribute(tag, "id").value_or("");
    form.method = lower(tag_attribute(tag, "method").value_or("get"));
    form.action = tag_attribute(tag, "action").value_or("");
    std::size_t p = tag_end;
    const std::size_t stop = form_end == std::string::npos ? html.size() : form_end;
    while (true) {
      const auto input = lowered.find("<input", p);
      const auto select = lowered.find("<select", p);
      const auto textarea = lowered.find("<textarea", p);
      const auto next = std::min({input, select, textarea});
      if (next == std::string::npos || next >= stop) break;
      const auto end = lowered.find('>', next);
      const std::string_view element(html.data() + next, end - next);
      const auto name = tag_attribute(element, "name");
      if (next == input) {
        const auto type = lower(tag_attribute(element, "type").value_or("text"));
        const bool checkable = type == "radio" || type == "checkbox";
        const bool checked = lower(element).find(" checked") != std::string::npos;
        if (name && type != "submit" && type != "button" && (!checkable || checked)) {
          form.fields.emplace_back(*name, tag_attribute(element, "value").value_or(""));
        }
        if (name && checkable) {
          form.choices.emplace_back(*name, tag_attribute(element, "value").value_or(""));
        }
        p = end;
      } else if (next == select) {
        const auto close = lowered.find("</select", end);
        std::string chosen;
        bool have = false;
        std::size_t o = end;
        while ((o = lowered.find("<option", o)) != std::string::npos && o < close) {
          const auto oend = lowered.find('>', o);
          const std::string_view option(html.data() + o, oend - o);
          const bool selected = lower(option).find(" selected") != std::string::npos;
          if (!have || selected) {
            chosen = tag_attribute(option, "value").value_or("");
            have = true;
          }
          o = oend;
        }
        if (name) form.fields.emplace_back(*name, chosen);
        p = close;
      } else {
        const auto close = lowered.find("</textarea", end);
        if (name)
          form.fields.emplace_back(*name, html_unescape(html.substr(end + 1, close - end - 1)));
        p = close;
      }
    }
    forms.push_back(std::move(form));
    at = stop;
  }
  return forms;
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out.push_back('&');
    out += encode_component(name) + "=" + encode_component(value);
  }
  return out;
}

parsed_url parse_url(const std::string& url, std::uint16_t base_port) {
  if (!url.empty() && url[0] == '/') return {base_port, url};
  static constexpr std::string_view prefix = "http://127.0.0.1:";
  if (url.rfind(prefix, 0) != 0) throw std::invalid_argument("not a loopback URL: " + url);
  const auto slash = url.find('/', prefix.size());
  parsed_url out;
  out.port =
      static_cast<std::uint16_t>(std::stoi(url.substr(prefix.size(), slash - prefix.size())));
  out.target = slash == std::string::npos ? "/" : url.substr(slash);
  return out;
}

void browser::remember(const http_response& response) {
  for (const auto& [name, value] : response.headers) {
    if (lower(name) != "set-cookie") continue;
    const auto eq = value.find('=');
    const auto semi = value.find(';');
    const std::string cookie_name = value.substr(0, eq);
    const std::string cookie_value =
        value.substr(eq + 1, semi == std::string::npos ? semi : semi - eq - 1);
    const std::string attributes = lower(semi == std::string::npos ? "" : value.substr(semi));
    if (attributes.find("max-age=0") != std::string::npos || cookie_value.empty()) {
      jar_.erase(cookie_name);
    } else {
      jar_[cookie_name] = cookie_value;
    }
  }
}

http_response browser::send(http::verb method, const std::string& url, std::uint16_t base_port,
                            const header_list& extra, const std::string& body) {
  const auto where = parse_url(url, base_port ? base_port : last_port_);
  header_list headers = extra;
  // As a browser does: the port is part of the host it names (the OpenID Provider builds its
  // absolute redirects from it).
  const bool has_host = std::any_of(extra.begin(), extra.end(), [](const auto& field) {
    return boost::beast::iequals(field.first, "host");
  });
  if (!has_host) headers.emplace_back("Host", "127.0.0.1:" + std::to_string(where.port));
  std::string cookies;
  for (const auto& [name, value] : jar_) {
    if (!cookies.empty()) cookies += "; ";
    cookies += name + "=" + value;
  }
  if (!cookies.empty()) headers.emplace_back("Cookie", cookies);
  headers.emplace_back("Accept", "text/html,application/xhtml+xml");
  if (method == http::verb::post) {
    headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  }
  last_port_ = where.port;
  auto response = http_request(where.port, method, where.target, headers, body);
  remember(response);
  return response;
}

http_response browser::get(const std::string& url, std::uint16_t base_port,
                           const header_list& extra) {
  return send(http::verb::get, url, base_port, extra, {});
}

http_response browser::post_form(const std::string& url,
                                 const std::vector<std::pair<std::string, std::string>>& fields,
                                 std::uint16_t base_port, const header_list& extra) {
  return send(http::verb::post, url, base_port, extra, form_encode(fields));
}

http_response browser::submit(const html_form& form, std::uint16_t base_port) {
  if (form.method == "post") return post_form(form.action, form.fields, base_port);
  std::string url = form.action;
  const std::string query = form_encode(form.fields);
  if (!query.empty()) url += (url.find('?') == std::string::npos ? "?" : "&") + query;
  return get(url, base_port);
}

http_response browser::follow(http_response response, std::uint16_t base_port, int max) {
  std::uint16_t port = base_port;
  while (max-- > 0 && response.status >= 300 && response.status < 400 &&
         !response.header("Location").empty()) {
    response = get(response.header("Location"), port);
    port = last_port_;
  }
  return response;
}

std::optional<std::string> browser::cookie(const std::string& name) const {
  auto it = jar_.find(name);
  if (it == jar_.end()) return std::nullopt;
  return it->second;
}

}  // namespace varco::test
