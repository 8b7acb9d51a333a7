#include "gateway/portal/expired_post.hpp"

#include "gateway/portal/form_draft.hpp"

#include <boost/beast/core/string.hpp>

#include <algorithm>

namespace varco::gateway {
namespace {

bool same_origin_text(std::string_view a, std::string_view b) {
  return !a.empty() && a.size() == b.size() && boost::beast::iequals(a, b);
}

}  // namespace

post_origin classify_post_origin(const origin_headers& headers, std::string_view request_origin,
                                 std::string_view public_origin) {
  if (headers.sec_fetch_site) {
    return *headers.sec_fetch_site == "same-origin" ? post_origin::same_origin
                                                    : post_origin::cross_site;
  }
  if (!headers.origin) return post_origin::unknown;
  const std::string_view origin = *headers.origin;
  if (same_origin_text(origin, request_origin) || same_origin_text(origin, public_origin))
    return post_origin::same_origin;
  return post_origin::cross_site;
}

std::string request_origin(bool tls, std::string_view host) {
  if (host.empty()) return {};
  return std::string(tls ? "https://" : "http://") + std::string(host);
}

std::string_view origin_of(std::string_view url) {
  std::size_t scheme_end = 0;
  if (url.starts_with("https://")) {
    scheme_end = 8;
  } else if (url.starts_with("http://")) {
    scheme_end = 7;
  } else {
    return {};
  }
  const auto authority_end = std::min(url.find_first_of("/?#", scheme_end), url.size());
  if (authority_end == scheme_end) return {};  // no host
  return url.substr(0, authority_end);
}

std::string login_return_path(bool get, std::string_view path, std::string_view target) {
  if (get) return std::string(target);
  if (is_draft_form(path)) return std::string(path);
  return "/area";
}

}  // namespace varco::gateway
