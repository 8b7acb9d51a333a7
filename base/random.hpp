// Unguessable random bytes from OpenSSL's CSPRNG. Thread-safe.
#pragma once

#include <span>

namespace varco::base {

// Fills `out`. A failing CSPRNG is a broken invariant: the process aborts rather than hand out
// guessable ids, tokens or nonces.
void fill_random(std::span<unsigned char> out);

}  // namespace varco::base
