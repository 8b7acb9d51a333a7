#include "gateway/portal/expired_post.hpp"

#include "gateway/portal/form_draft.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/url/parse.hpp>

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
  const auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed || !parsed->has_authority() || parsed->encoded_host().empty()) return {};
  if (parsed->scheme_id() != boost::urls::scheme::http &&
      parsed->scheme_id() != boost::urls::scheme::https)
    return {};
  // scheme "://" authority: the URL up to where its authority ends.
  const std::string_view authority = parsed->encoded_authority();
  return url.substr(0, static_cast<std::size_t>(authority.data() - url.data()) + authority.size());
}

std::string login_return_path(bool get, std::string_view path, std::string_view target) {
  if (get) return std::string(target);
  if (is_draft_form(path)) return std::string(path);
  return "/area";
}

}  // namespace varco::gateway
