// What the Area Riservata's endpoints use of the server (the interfaces of
// gateway/endpoint/services.hpp and the session service), handed to them when they are made.
#pragma once

#include "gateway/endpoint/services.hpp"
#include "redis/connection.hpp"
#include "session/login_state_store.hpp"
#include "session/session_service.hpp"

namespace varco::gateway {

struct area_services {
  runtime_source& runtime;
  session::session_service& sessions;
  session::login_state_store& login_state;  // form drafts (form_drafts.hpp)
  directory_writer& directory;              // Utenti and Aderisci write here
  // Assistenza's stream; null on the memory session store, where nothing durable keeps requests.
  redis::connection* support_stream = nullptr;
};

}  // namespace varco::gateway
