// Starting the processes a test runs (varco, the demo IdP, the demo support webhook): fork and
// exec with the output in files, and none of the test's own descriptors (upstream listeners,
// client connections) left open in the child.
#pragma once

#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

namespace varco::test {

// Runs `executable` with `argv` (argv[0] the name it is called by) in a child process whose
// stdout goes to `out` and stderr to `err` (the same path for one file of both; truncated).
// Returns its pid; throws std::runtime_error when fork fails. A child that cannot exec exits 127.
pid_t spawn_process(const std::string& executable, const std::vector<std::string>& argv,
                    const std::filesystem::path& out, const std::filesystem::path& err);

}  // namespace varco::test
