#include "gateway/login/slo_index.hpp"

#include "session/session_id.hpp"

#include <spdlog/spdlog.h>

namespace varco::gateway {

std::string slo_index_key(std::string_view idp_entity_id, std::string_view name_id) {
  // Hashed: the NameID is personal data and the key is visible in a store dump.
  std::string subject;
  subject.reserve(idp_entity_id.size() + 1 + name_id.size());
  subject.append(idp_entity_id).append(1, '\n').append(name_id);
  return "slo:" + session::session_key(subject);
}

awaitable<void> forget_slo_session(session::login_state_store& store, std::string idp_entity_id,
                                   std::string name_id, std::string session_key, std::string why) {
  if (idp_entity_id.empty() || name_id.empty()) co_return;
  auto removed =
      co_await store.index_remove(slo_index_key(idp_entity_id, name_id), std::move(session_key));
  if (!removed) {
    spdlog::warn(
        "saml slo: session ended ({}) but its SLO index entry for {} stays until its TTL: {} "
        "(reason=slo_index_cleanup_failed)",
        why, idp_entity_id, removed.error().message());
  }
}

std::string oidc_sid_index_key(std::string_view issuer, std::string_view sid) {
  return slo_index_key(issuer, "sid:" + std::string(sid));
}

}  // namespace varco::gateway
