#include "base/clock.hpp"

namespace varco::base {

sys_millis system_now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

}  // namespace varco::base
