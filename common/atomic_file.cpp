// Atomic file replacement through a temporary file, fsync and rename.
#include "common/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include "common/error.h"

namespace ganvas {
namespace {

std::string parent_dir(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// The PID in a name ending in ".tmp.PID.XXXXXX" (this file's temporaries), or 0.
long temporary_owner(const std::string& name) {
  const size_t tmp = name.rfind(".tmp.");
  if (tmp == std::string::npos) return 0;
  const std::string rest = name.substr(tmp + 5);  // PID.XXXXXX
  const size_t dot = rest.find('.');
  if (dot == std::string::npos || dot == 0 || rest.size() - dot != 7) return 0;
  const std::string pid_text = rest.substr(0, dot);
  char* end = nullptr;
  const long pid = std::strtol(pid_text.c_str(), &end, 10);
  return *end == '\0' && pid > 0 ? pid : 0;
}

// Removes the temporaries in `target`'s folder whose process is gone (killed during a save).
void remove_stale_temporaries(const std::string& target) {
  namespace fs = std::filesystem;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(parent_dir(target), error)) {
    const long pid = temporary_owner(entry.path().filename().string());
    if (pid > 0 && kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) fs::remove(entry.path(), error);
  }
}

// The name the user gave, and where its links lead when that is elsewhere: for messages.
std::string shown_name(const std::string& given, const std::string& target) {
  return given == target ? given : given + " (a link to " + target + ")";
}

// Owns a temporary file until it is renamed into place.
class TempFile {
 public:
  // `shown`: the output's name in messages (the name the user gave).
  TempFile(const std::string& target, const std::string& shown)
      : path_(target + ".tmp." + std::to_string(getpid()) + ".XXXXXX") {  // temporary_owner reads it back
    std::vector<char> name(path_.begin(), path_.end());
    name.push_back('\0');
    fd_ = mkstemp(name.data());
    if (fd_ < 0) {
      GANVAS_THROW("cannot write " + shown + " (" + std::strerror(errno) + ")");
    }
    path_.assign(name.data());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd_ >= 0) close(fd_);
    if (!committed_) unlink(path_.c_str());
  }
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  void close_file() {
    const int fd = fd_;
    fd_ = -1;
    if (close(fd) != 0) GANVAS_THROW("closing " + path_ + " failed (" + std::strerror(errno) + ")");
  }
  void mark_committed() { committed_ = true; }

 private:
  std::string path_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace

void create_parent_directories(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code ignored;
  if (!parent.empty()) std::filesystem::create_directories(parent, ignored);
}

void require_regular_file(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) GANVAS_THROW(path + ": cannot open (" + std::strerror(errno) + ")");
  if (S_ISREG(info.st_mode)) return;
  const char* kind = S_ISDIR(info.st_mode)    ? "a directory"
                     : S_ISFIFO(info.st_mode) ? "a FIFO"
                     : S_ISSOCK(info.st_mode) ? "a socket"
                                              : "a device";
  GANVAS_THROW(path + ": is " + kind + ", not a regular file");
}

std::string output_file_target(const std::string& path) {
  namespace fs = std::filesystem;
  fs::path target = path;
  for (int links = 0;; ++links) {
    std::error_code error;
    const fs::file_status status = fs::symlink_status(target, error);
    if (!fs::exists(status)) return target.string();  // a new file (a failure to look shows when it is written)
    if (fs::is_regular_file(status)) return target.string();
    if (!fs::is_symlink(status)) {
      const char* kind = fs::is_directory(status) ? "a directory"
                         : fs::is_fifo(status)    ? "a FIFO"
                         : fs::is_socket(status)  ? "a socket"
                                                  : "a device";
      GANVAS_THROW(path + ": is " + kind + ", not a file; ganvas writes its output only to regular files");
    }
    if (links == 40) GANVAS_THROW(path + ": too many levels of symbolic links");
    const fs::path next = fs::read_symlink(target, error);
    if (error) GANVAS_THROW(path + ": cannot read the symbolic link (" + error.message() + ")");
    target = next.is_absolute() ? next : target.parent_path() / next;
  }
}

void check_writable(const std::string& path) {
  const std::string target = output_file_target(path);
  // The folders above the name given, not above where a link leads: nothing is made far away.
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code error;
  if (!parent.empty()) std::filesystem::create_directories(parent, error);
  if (error) GANVAS_THROW("cannot write " + path + ": cannot create the folder " + parent.string() + " (" + error.message() + ")");
  TempFile probe(target, shown_name(path, target));  // throws "cannot write PATH (reason)"; removed when it goes
}

void write_file_atomically(const std::string& requested, const void* data, size_t size) {
  const std::string path = output_file_target(requested);
  const std::string shown = shown_name(requested, path);
  remove_stale_temporaries(path);
  TempFile temp(path, shown);
  const char* bytes = static_cast<const char*>(data);
  size_t written = 0;
  while (written < size) {
    const ssize_t n = write(temp.fd(), bytes + written, size - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) GANVAS_THROW("writing " + shown + " failed (" + std::strerror(errno) + ")");
    written += static_cast<size_t>(n);
  }
  if (fsync(temp.fd()) != 0) GANVAS_THROW("fsync of " + shown + " failed (" + std::strerror(errno) + ")");
  fchmod(temp.fd(), 0644);
  temp.close_file();
  if (rename(temp.path().c_str(), path.c_str()) != 0) {
    GANVAS_THROW("cannot replace " + shown + " (" + std::strerror(errno) + ")");
  }
  temp.mark_committed();
  const int dir = open(parent_dir(path).c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    fsync(dir);
    close(dir);
  }
}

}  // namespace ganvas
