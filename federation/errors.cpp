#include "federation/errors.hpp"

#include "base/reason_codes.hpp"

namespace varco::federation {

VARCO_DEFINE_REASON_CODES(VARCO_FEDERATION_REASONS)

}  // namespace varco::federation
