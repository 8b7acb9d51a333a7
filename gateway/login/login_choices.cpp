#include "gateway/login/login_choices.hpp"

#include "gateway/http/url_encoding.hpp"

#include <algorithm>

namespace varco::gateway {
namespace {

std::string with_return(std::string link, std::string_view return_path) {
  if (!return_path.empty()) link += "&return=" + percent_encode(return_path);
  return link;
}

idp_entry saml_entry(const saml_idp_choice& idp, std::string_view return_path) {
  return {idp.name, idp.logo, saml_login_link(idp.entity_id, return_path)};
}

idp_entry oidc_entry(const conf::oidc_provider& provider, std::string_view return_path) {
  return {provider.name, provider.logo, oidc_login_link(provider.id, return_path)};
}

}  // namespace

std::string saml_login_link(std::string_view entity_id, std::string_view return_path) {
  return with_return("/saml/login?idp=" + percent_encode(entity_id), return_path);
}

std::string oidc_login_link(std::string_view provider_id, std::string_view return_path) {
  return with_return("/oidc/login?provider=" + percent_encode(provider_id), return_path);
}

login_view login_choices(const login_sources& sources, std::mt19937& shuffle_rng) {
  login_view page;
  for (const auto& idp : sources.saml_spid)
    page.spid.push_back(saml_entry(idp, sources.saml_return));
  for (const auto& provider : sources.oidc) {
    switch (provider.kind) {
      case conf::oidc_provider_kind::spid:
        page.spid.push_back(oidc_entry(provider, sources.oidc_return));
        break;
      case conf::oidc_provider_kind::cie:
        if (!page.cie) page.cie = oidc_entry(provider, sources.oidc_return);
        break;
      case conf::oidc_provider_kind::oidc:
        page.others.push_back(oidc_entry(provider, sources.oidc_return));
        break;
    }
  }
  std::shuffle(page.spid.begin(), page.spid.end(), shuffle_rng);
  if (!page.cie && !sources.saml_cie.empty())
    page.cie = saml_entry(sources.saml_cie.front(), sources.saml_return);
  return page;
}

}  // namespace varco::gateway
