#include "saml/idp.hpp"

namespace varco::saml {
namespace {

const idp_endpoint* first_with(const std::vector<idp_endpoint>& endpoints,
                               std::string_view binding) {
  for (const auto& e : endpoints) {
    if (e.binding == binding) return &e;
  }
  return nullptr;
}

}  // namespace

std::string_view to_string(provider_kind kind) {
  return kind == provider_kind::cie ? "cie" : "spid";
}

const idp_endpoint* idp_descriptor::sso(std::string_view binding) const {
  return first_with(single_sign_on, binding);
}

const idp_endpoint* idp_descriptor::slo(std::string_view binding) const {
  return first_with(single_logout, binding);
}

idp_set::idp_set(std::vector<idp_descriptor> idps) : idps_(std::move(idps)) {
  for (std::size_t i = 0; i < idps_.size(); ++i) by_entity_id_.emplace(idps_[i].entity_id, i);
}

const idp_descriptor* idp_set::find(std::string_view entity_id) const {
  auto it = by_entity_id_.find(entity_id);
  return it == by_entity_id_.end() ? nullptr : &idps_[it->second];
}

std::vector<const idp_descriptor*> idp_set::of_kind(provider_kind kind) const {
  std::vector<const idp_descriptor*> out;
  for (const auto& idp : idps_) {
    if (idp.kind == kind) out.push_back(&idp);
  }
  return out;
}

}  // namespace varco::saml
