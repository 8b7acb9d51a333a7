#include "conf/config.hpp"

#include <algorithm>

namespace varco::conf {

std::string sessions::cookie_name() const {
  // Browsers accept a __Host- cookie only with Secure, so plain HTTP needs the bare name.
  return plain_http ? "varco_session" : "__Host-varco_session";
}

std::string idp_source::label() const {
  if (url.empty()) return file;
  // The query may carry what logs must not show (a token); the fragment is never sent.
  return url.substr(0, url.find_first_of("?#"));
}

const environment* product::find_environment(std::string_view id) const {
  auto it = std::find_if(environments.begin(), environments.end(),
                         [&](const environment& e) { return e.id == id; });
  return it == environments.end() ? nullptr : &*it;
}

const product* config::find_product(std::string_view id) const {
  auto it =
      std::find_if(products.begin(), products.end(), [&](const product& p) { return p.id == id; });
  return it == products.end() ? nullptr : &*it;
}

const oidc_provider* oidc::find_provider(std::string_view id) const {
  auto it = std::find_if(providers.begin(), providers.end(),
                         [&](const oidc_provider& p) { return p.id == id; });
  return it == providers.end() ? nullptr : &*it;
}

}  // namespace varco::conf
