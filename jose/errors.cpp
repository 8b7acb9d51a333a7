#include "jose/errors.hpp"

#include "base/reason_codes.hpp"

namespace varco::jose {

VARCO_DEFINE_REASON_CODES(VARCO_JOSE_REASONS)

}  // namespace varco::jose
