// The commands of one pipeline() call, formatted in RESP as they are added, back to back in one
// string. A fixed batch on a hot path (the session read, GET and PTTL on every request when the
// session cache is off) so builds no vector of argument strings and formats nothing twice.
#pragma once

#include <boost/container/small_vector.hpp>

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace varco::redis {

class command_batch {
 public:
  // Appends one command; the arguments are binary safe and copied.
  command_batch& add(std::initializer_list<std::string_view> args);
  command_batch& add(const std::vector<std::string>& args);

  std::size_t size() const { return ends_.size(); }
  // The RESP text of command `i`.
  std::string_view command(std::size_t i) const;
  // The commands' arguments read back, for the paths that route by key (Redis Cluster).
  std::vector<std::vector<std::string>> arguments() const;

 private:
  std::string resp_;
  boost::container::small_vector<std::size_t, 4> ends_;  // where each command's text ends
};

}  // namespace varco::redis
