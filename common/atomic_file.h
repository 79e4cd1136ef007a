// Writes files whole or not at all: a temporary file beside the target, fsync, then rename.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

namespace ganvas {

// Replaces `path` with `size` bytes of `data` (through output_file_target: a symbolic link keeps
// pointing at the new file). On any failure the previous file, if there was one, is left untouched
// and no temporary file remains. The new file keeps the permissions of the one it replaces; a new
// one gets what the umask gives. The temporary is NAME.ganvas-tmp.XXXXXX, created new and locked
// (flock) while it is written; those in the same folder that a killed writer left (named so, this
// user's, unlocked, regular files) are removed first, and nothing else ever is.
void write_file_atomically(const std::string& path, const void* data, size_t size);

// The file an output named `path` is written to: `path`, or where its symbolic links lead. Throws a
// one-line error when that is a directory, a FIFO, a socket or a device, which a rename into place
// would replace (a user's /dev/null became a PNG).
std::string output_file_target(const std::string& path);

// Before long work whose result goes to `path`: throws the one-line error that writing it would
// give (not a regular file, a folder that cannot be made, no permission), so no run is lost at
// its end. Makes the missing folders above the name given (none where a link leads) and leaves
// no file behind.
void check_writable(const std::string& path);

// Throws a one-line error unless `path` names a regular file (not a directory, a FIFO or a device,
// which would hang or mislead a reader); a missing file is reported as "cannot open".
void require_regular_file(const std::string& path);

// For numbered outputs (out/ganvas-3.mp4): the first N from `from` up for which nothing exists at
// FOLDER/NAME-N followed by any of `kinds` (a file, a folder or a link, a dangling one too), so a
// numbered output never replaces anything. Makes FOLDER when it is missing (a failure shows when the
// file is written).
int first_free_number(const std::string& folder, const std::string& name, std::initializer_list<std::string_view> kinds,
                      int from = 1);

// Creates the folders above `path` that are missing; a failure shows when the file is opened.
void create_parent_directories(const std::string& path);

}  // namespace ganvas
