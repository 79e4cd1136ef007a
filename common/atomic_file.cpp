// Atomic file replacement through a temporary file, fsync and rename.
#include "common/atomic_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <random>

#include "common/error.h"

namespace ganvas {
namespace {

std::string parent_dir(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// A temporary's name: the target's, this marker, then six random characters. Only names of this
// form are ever removed as leftovers.
constexpr const char kTemporaryMarker[] = ".ganvas-tmp.";
constexpr size_t kRandomLength = 6;

bool is_temporary(const std::string& name) {
  const size_t marker = name.rfind(kTemporaryMarker);
  return marker != std::string::npos && marker > 0 &&
         name.size() == marker + sizeof(kTemporaryMarker) - 1 + kRandomLength;
}

// Whether the temporary open as `fd` was left by a writer that is gone. A writer holds an exclusive
// flock on its temporary from before its first byte until it is renamed or removed, across PID
// namespaces too; the lock is released when its process dies. A just-created, still empty file may
// not be locked yet, so an empty one counts only once it is a few seconds old.
bool abandoned(int fd, const struct stat& info) {
  if (!S_ISREG(info.st_mode) || info.st_uid != geteuid()) return false;  // not one ganvas made here
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) return false;                    // its writer is alive
  return info.st_size > 0 || std::time(nullptr) - info.st_ctime > 2;
}

// Removes `path` if it is an abandoned temporary: never a link, a FIFO, another user's file, or a
// file put in its place after it was checked.
void remove_if_abandoned(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return;
  struct stat opened {}, named {};
  if (fstat(fd, &opened) == 0 && abandoned(fd, opened) && lstat(path.c_str(), &named) == 0 &&
      named.st_dev == opened.st_dev && named.st_ino == opened.st_ino) {
    unlink(path.c_str());
  }
  close(fd);  // releases the lock
}

// Removes the temporaries that killed writers left beside `target` (a crash or SIGKILL during a
// save; a numbered grid's is never written again, so they are looked for folder-wide).
void remove_stale_temporaries(const std::string& target) {
  namespace fs = std::filesystem;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(parent_dir(target), error)) {
    if (is_temporary(entry.path().filename().string())) remove_if_abandoned(entry.path().string());
  }
}

// The name the user gave, and where its links lead when that is elsewhere: for messages.
std::string shown_name(const std::string& given, const std::string& target) {
  return given == target ? given : given + " (a link to " + target + ")";
}

// Six characters for a temporary's name.
std::string random_suffix() {
  static constexpr char kLetters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  thread_local std::mt19937_64 generator{std::random_device{}() ^ static_cast<uint64_t>(getpid()) << 32};
  std::string suffix(kRandomLength, 'x');
  for (char& c : suffix) c = kLetters[generator() % (sizeof(kLetters) - 1)];
  return suffix;
}

// Owns a temporary file, locked while it is written, until it is renamed into place.
class TempFile {
 public:
  // `shown`: the output's name in messages (the name the user gave). The file is created new
  // (never through a link or over a file), with the mode the umask gives a new file.
  TempFile(const std::string& target, const std::string& shown) {
    for (int attempt = 0; fd_ < 0; ++attempt) {
      path_ = target + kTemporaryMarker + random_suffix();
      fd_ = open(path_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
      if (fd_ < 0 && (errno != EEXIST || attempt == 100)) {
        GANVAS_THROW("cannot write " + shown + " (" + std::strerror(errno) + ")");
      }
    }
    flock(fd_, LOCK_EX);  // marks it as being written (remove_stale_temporaries)
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (!committed_) unlink(path_.c_str());  // before the lock goes with the descriptor
    if (fd_ >= 0) close(fd_);
  }
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  void mark_committed() { committed_ = true; }

 private:
  std::string path_;
  int fd_ = -1;
  bool committed_ = false;
};

// A file that replaces `target` keeps its permissions (a private 0600 file stays private); a new
// one has what the umask gives.
void keep_permissions_of(const std::string& target, int fd) {
  struct stat info {};
  if (stat(target.c_str(), &info) == 0 && S_ISREG(info.st_mode)) fchmod(fd, info.st_mode & 07777);
}

}  // namespace

int first_free_number(const std::string& folder, const std::string& name, std::initializer_list<std::string_view> kinds,
                      int from) {
  namespace fs = std::filesystem;
  std::error_code ignored;
  fs::create_directories(folder, ignored);
  const auto taken = [](const std::string& path) {
    std::error_code error;
    return fs::symlink_status(path, error).type() != fs::file_type::not_found;
  };
  for (int n = from;; ++n) {
    const std::string stem = folder + "/" + name + "-" + std::to_string(n);
    if (std::none_of(kinds.begin(), kinds.end(), [&](std::string_view kind) { return taken(stem + std::string(kind)); })) {
      return n;
    }
  }
}

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
  keep_permissions_of(path, temp.fd());
  if (rename(temp.path().c_str(), path.c_str()) != 0) {
    GANVAS_THROW("cannot replace " + shown + " (" + std::strerror(errno) + ")");
  }
  temp.mark_committed();  // closed, and so unlocked, only now that it has its final name
  const int dir = open(parent_dir(path).c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    fsync(dir);
    close(dir);
  }
}

}  // namespace ganvas
