// One writer per output folder: a run holds FOLDER/.ganvas.lock (flock) for its whole life, so a
// second run on the same folder fails at once instead of interleaving its files with the first's.
#pragma once

#include <string>

namespace ganvas {

class RunLock {
 public:
  // Takes the lock of `folder` (which must exist) and writes "PID HOST" into it. Throws a one-line
  // Error naming the process that holds it, or why the lock file cannot be used (a symbolic link
  // at its name is never followed).
  explicit RunLock(const std::string& folder);
  // Releases it; the lock file is removed only when this run created it.
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  bool created_ = false;
};

// The name of the lock file in every locked folder.
inline constexpr const char* kRunLockName = ".ganvas.lock";

}  // namespace ganvas
