// unique_ptr ownership of the zstd contexts the audit log uses (the house pattern of
// base/openssl_handles.hpp): one overloaded deleter, picked by the pointee type.
#pragma once

#include <memory>
#include <zstd.h>

namespace varco::saml::audit {

struct zstd_deleter {
  void operator()(ZSTD_CCtx* p) const noexcept { ZSTD_freeCCtx(p); }
  void operator()(ZSTD_DCtx* p) const noexcept { ZSTD_freeDCtx(p); }
};

template <class T>
using zstd_ptr = std::unique_ptr<T, zstd_deleter>;

}  // namespace varco::saml::audit
