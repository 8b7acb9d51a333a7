#include "session/session.hpp"

namespace varco::session {

const std::string& session::attribute(const std::string& name) const {
  static const std::string empty;
  auto it = attributes.find(name);
  return it == attributes.end() ? empty : it->second;
}

}  // namespace varco::session
