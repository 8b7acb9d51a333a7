#include "base/random.hpp"

#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>

namespace varco::base {

void fill_random(std::span<unsigned char> out) {
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    std::fputs("varco: RAND_bytes failed\n", stderr);
    std::abort();
  }
}

}  // namespace varco::base
