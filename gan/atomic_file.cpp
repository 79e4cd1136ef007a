// Atomic file replacement through a temporary file, fsync and rename.
#include "atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "error.h"

namespace ganvas {
namespace {

std::string parent_dir(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Owns a temporary file until it is renamed into place.
class TempFile {
 public:
  explicit TempFile(const std::string& target) : path_(target + ".tmp.XXXXXX") {
    std::vector<char> name(path_.begin(), path_.end());
    name.push_back('\0');
    fd_ = mkstemp(name.data());
    if (fd_ < 0) {
      GANVAS_THROW("cannot write " + target + " (" + std::strerror(errno) + ")");
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

void write_file_atomically(const std::string& path, const void* data, size_t size) {
  TempFile temp(path);
  const char* bytes = static_cast<const char*>(data);
  size_t written = 0;
  while (written < size) {
    const ssize_t n = write(temp.fd(), bytes + written, size - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) GANVAS_THROW("writing " + path + " failed (" + std::strerror(errno) + ")");
    written += static_cast<size_t>(n);
  }
  if (fsync(temp.fd()) != 0) GANVAS_THROW("fsync of " + path + " failed (" + std::strerror(errno) + ")");
  fchmod(temp.fd(), 0644);
  temp.close_file();
  if (rename(temp.path().c_str(), path.c_str()) != 0) {
    GANVAS_THROW("cannot replace " + path + " (" + std::strerror(errno) + ")");
  }
  temp.mark_committed();
  const int dir = open(parent_dir(path).c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    fsync(dir);
    close(dir);
  }
}

}  // namespace ganvas
