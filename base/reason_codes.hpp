// What the modules' failure types share: each module lists its reasons in an X-macro, so a
// reason's code is its enumerator's name; these helpers turn the list into codes and failures
// into text and exceptions.
#pragma once

#include <boost/system/result.hpp>

#include <array>
#include <cstddef>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace varco::base {

// codes[index], or "unknown" for an index outside the list.
template <std::size_t N>
constexpr std::string_view code_at(const std::array<std::string_view, N>& codes,
                                   std::size_t index) noexcept {
  return index < N ? codes[index] : std::string_view("unknown");
}

// "code: detail", or the code alone without a detail.
inline std::string describe_failure(std::string_view code, std::string_view detail) {
  std::string out(code);
  if (!detail.empty()) {
    out += ": ";
    out += detail;
  }
  return out;
}

// What `.value()` on a failed result throws (start-up code only).
[[noreturn]] inline void throw_failure(std::string_view code, std::string_view detail) {
  throw std::runtime_error(describe_failure(code, detail));
}

}  // namespace varco::base

// In a module's errors.hpp, inside the module's namespace: `reason` (one enumerator per entry
// of the X-macro LIST, which must hold internal_error), `failure` (a reason and a detail for
// people reading logs, never a secret), `outcome<T>`, and the functions below define.
#define VARCO_REASON_ENUMERATOR(name) name,
#define VARCO_DECLARE_REASON_TYPES(LIST)                                             \
  enum class reason { LIST(VARCO_REASON_ENUMERATOR) };                               \
  std::string_view reason_code(reason r) noexcept; /* "unknown" outside the enum */  \
  struct failure {                                                                   \
    reason code = reason::internal_error;                                            \
    std::string detail;                                                              \
  };                                                                                 \
  template <class T>                                                                 \
  using outcome = boost::system::result<T, failure>;                                 \
  std::ostream& operator<<(std::ostream& os, reason r);         /* its code */       \
  std::ostream& operator<<(std::ostream& os, const failure& f); /* "code: detail" */ \
  /* Found by ADL from boost::system::result<T, failure>::value(). */                \
  [[noreturn]] void throw_exception_from_error(const failure& f, const boost::source_location& loc);

// In a module's errors.cpp, inside the module's namespace (which declares `reason`, `failure`
// and these four functions): defines them from the module's X-macro list of reasons.
#define VARCO_REASON_CODE_STRING(name) std::string_view(#name),
#define VARCO_DEFINE_REASON_CODES(LIST)                                                      \
  namespace {                                                                                \
  constexpr std::array reason_codes = {LIST(VARCO_REASON_CODE_STRING)};                      \
  }                                                                                          \
  std::string_view reason_code(reason r) noexcept {                                          \
    return ::varco::base::code_at(reason_codes, static_cast<std::size_t>(r));                \
  }                                                                                          \
  std::ostream& operator<<(std::ostream& os, reason r) { return os << reason_code(r); }      \
  std::ostream& operator<<(std::ostream& os, const failure& f) {                             \
    return os << ::varco::base::describe_failure(reason_code(f.code), f.detail);             \
  }                                                                                          \
  void throw_exception_from_error(const failure& f, const boost::source_location& /*loc*/) { \
    ::varco::base::throw_failure(reason_code(f.code), f.detail);                             \
  }
