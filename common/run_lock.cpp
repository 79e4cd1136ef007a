// The output folder's lock file: created or opened without following links, flock'ed, and checked
// to still be the file at its name (its previous holder may have removed it meanwhile).
#include "common/run_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"

namespace ganvas {
namespace {

// Closes a descriptor when it goes, unless it was handed on.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

[[noreturn]] void fail(const std::string& path, int error) {
  if (error == ELOOP) GANVAS_THROW(path + " is a symbolic link; ganvas never follows one at its lock's name (remove it)");
  GANVAS_THROW("cannot open the lock file " + path + " (" + std::strerror(error) + ")");
}

// The lock file, made new when there is none (`created`); a symbolic link at the name is refused,
// and O_NONBLOCK keeps a FIFO put there from blocking the open.
int open_lock_file(const std::string& path, bool& created) {
  constexpr int kFlags = O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK;
  for (int attempt = 0; attempt < 10; ++attempt) {
    int fd = open(path.c_str(), kFlags | O_CREAT | O_EXCL, 0644);
    created = fd >= 0;
    if (fd >= 0) return fd;
    if (errno != EEXIST) fail(path, errno);
    fd = open(path.c_str(), kFlags);
    if (fd >= 0) return fd;
    if (errno != ENOENT) fail(path, errno);
    // Removed between the two opens, by a run that just ended: look again.
  }
  GANVAS_THROW("cannot open the lock file " + path + ": it keeps appearing and disappearing");
}

// Whether `fd` is still the file at `path` (and not one removed after it was opened).
bool is_file_at(int fd, const std::string& path) {
  struct stat opened {}, named {};
  return fstat(fd, &opened) == 0 && lstat(path.c_str(), &named) == 0 && opened.st_dev == named.st_dev &&
         opened.st_ino == named.st_ino;
}

// "process 1234 on host", from what the holder wrote into the file (printable characters only).
std::string holder_of(int fd) {
  char text[160] = {};
  const ssize_t n = pread(fd, text, sizeof(text) - 1, 0);
  std::string pid, host;
  std::string* field = &pid;
  for (ssize_t i = 0; i < n && text[i] != '\n'; ++i) {
    if (text[i] == ' ' && field == &pid) field = &host;
    else if (text[i] > ' ' && text[i] < 127) *field += text[i];
  }
  if (pid.empty()) return "another process";
  return "process " + pid + (host.empty() ? "" : " on " + host);
}

void write_holder(int fd, const std::string& path) {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) std::strcpy(host, "?");
  const std::string text = std::to_string(getpid()) + " " + host + "\n";
  if (ftruncate(fd, 0) != 0 || pwrite(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    GANVAS_THROW("cannot write the lock file " + path + " (" + std::strerror(errno) + ")");
  }
}

}  // namespace

RunLock::RunLock(const std::string& folder) : path_(folder + "/" + kRunLockName) {
  for (int attempt = 0; attempt < 10; ++attempt) {
    bool created = false;
    Descriptor fd(open_lock_file(path_, created));
    struct stat info {};
    if (fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) GANVAS_THROW(path_ + " is not a regular file; remove it");
    if (flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK) GANVAS_THROW("cannot lock " + path_ + " (" + std::strerror(errno) + ")");
      GANVAS_THROW(folder + " is in use by " + holder_of(fd.get()) + ", which holds " + path_ +
                   "; wait for it to finish or choose another folder");
    }
    if (!is_file_at(fd.get(), path_)) continue;  // its holder removed it as it ended: take the new one
    write_holder(fd.get(), path_);
    created_ = created;
    fd_ = fd.release();
    return;
  }
  GANVAS_THROW("cannot lock " + path_ + ": it keeps being replaced");
}

RunLock::~RunLock() {
  // Removed while still held, so that whoever opens it next finds it gone (is_file_at) and makes a new one.
  if (created_ && is_file_at(fd_, path_)) unlink(path_.c_str());
  close(fd_);
}

}  // namespace ganvas
