#include "conf/redirect_template.hpp"

#include <algorithm>

namespace varco::conf {
namespace {

bool known_placeholder(std::string_view name) {
  return std::find(redirect_placeholders.begin(), redirect_placeholders.end(), name) !=
         redirect_placeholders.end();
}

}  // namespace

std::optional<std::string> redirect_template_problem(std::string_view url) {
  std::size_t scheme_end = 0;
  if (url.starts_with("https://")) {
    scheme_end = 8;
  } else if (url.starts_with("http://")) {
    scheme_end = 7;
  } else {
    return "is not an http:// or https:// URL template";
  }
  const std::size_t authority_end = std::min(url.find_first_of("/?#", scheme_end), url.size());
  const std::string_view authority = url.substr(scheme_end, authority_end - scheme_end);
  if (authority.empty()) return "has no host";
  if (authority.find('@') != std::string_view::npos) return "must not carry user info";
  if (authority.find_first_of("{}") != std::string_view::npos)
    return "must not use placeholders in the host (the portal must not depend on the user)";
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return "must not contain spaces or control characters";
  }

  const std::size_t fragment = url.find('#');
  bool has_token = false;
  for (std::size_t at = url.find_first_of("{}", authority_end); at != std::string_view::npos;
       at = url.find_first_of("{}", at + 1)) {
    if (url[at] == '}') return "has a '}' without its '{'";
    const std::size_t close = url.find('}', at + 1);
    if (close == std::string_view::npos) return "has a '{' without its '}'";
    const std::string_view name = url.substr(at + 1, close - at - 1);
    if (!known_placeholder(name)) {
      return "uses {" + std::string(name) + "}, not a placeholder ({token}, {lang}, {party}, " +
             "{product})";
    }
    if (name == "token") {
      if (fragment == std::string_view::npos || at < fragment)
        return "must put {token} in the fragment (after '#'), never in the path or query";
      has_token = true;
    }
    at = close;
  }
  if (!has_token) return "must contain {token} (in the fragment)";
  return std::nullopt;
}

}  // namespace varco::conf
