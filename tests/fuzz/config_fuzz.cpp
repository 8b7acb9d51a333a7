// libFuzzer target: arbitrary bytes as a varco YAML configuration, through load_config (what
// `varco check-config`, startup and every SIGHUP reload run on an operator's file).
//
// Invariants: a config or errors, never both and never neither; every error names the file and
// says something; a loaded config is usable (it has listeners and a JWT key).
#include "conf/loader.hpp"
#include "tests/fuzz/fuzz_support.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path dir = [] {
    const auto& d = varco::fuzz::scratch_dir();
    // Files a mutated config may name: a JWT key and an empty directory.
    varco::fuzz::write_file(d / "jwt.pem", varco::fuzz::read_file(VARCO_FUZZ_EC_KEY));
    varco::fuzz::write_file(d / "directory.yaml",
                            "parties: []\nmemberships: []\ndelegations: []\n");
    return d;
  }();
  const std::string path = (dir / "varco.yaml").string();
  varco::fuzz::write_file(path, std::string_view(reinterpret_cast<const char*>(data), size));
  const auto outcome = varco::conf::load_config(path);
  VARCO_FUZZ_CHECK((outcome.value == nullptr) != outcome.errors.empty());
  for (const auto& error : outcome.errors) {
    VARCO_FUZZ_CHECK(error.file == path);
    VARCO_FUZZ_CHECK(!error.message.empty());
    VARCO_FUZZ_CHECK(error.line >= 0);
  }
  if (outcome.value) VARCO_FUZZ_CHECK(!outcome.value->server.listeners.empty());
  return 0;
}
