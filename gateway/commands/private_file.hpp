// Writing a key (or any file) the way the offline commands do: through a private temporary file
// in the same directory, then a rename, so a reader never sees half a key and a key is 0600 from
// its first byte (mkstemp creates it so).
#pragma once

#include <filesystem>
#include <string>
#include <sys/types.h>

namespace varco::gateway::commands {

// "" when written; otherwise "PATH: what went wrong".
std::string write_file_atomically(const std::filesystem::path& path, const std::string& text,
                                  mode_t mode);

}  // namespace varco::gateway::commands
