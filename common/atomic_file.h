// Writes files whole or not at all: a temporary file beside the target, fsync, then rename.
#pragma once

#include <cstddef>
#include <string>

namespace ganvas {

// Replaces `path` with `size` bytes of `data`. On any failure the previous file, if there was one,
// is left untouched and no temporary file remains. Temporaries that killed processes left in the
// same folder (named NAME.tmp.PID.XXXXXX, PID no longer running) are removed first.
void write_file_atomically(const std::string& path, const void* data, size_t size);

// Throws a one-line error unless `path` names a regular file (not a directory, a FIFO or a device,
// which would hang or mislead a reader); a missing file is reported as "cannot open".
void require_regular_file(const std::string& path);

// Creates the folders above `path` that are missing; a failure shows when the file is opened.
void create_parent_directories(const std::string& path);

}  // namespace ganvas
