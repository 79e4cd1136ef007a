// Atomic writes: what is removed as a leftover temporary (only ganvas's own, only a dead writer's),
// and the permissions an output gets.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "common/atomic_file.h"

namespace ganvas {
namespace {

namespace fs = std::filesystem;

class AtomicFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ganvas-atomic-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  void make(const std::string& name, const std::string& text = "a user's words") const {
    std::ofstream(path(name)) << text;
  }
  void write(const std::string& name, const std::string& text = "ganvas output") const {
    write_file_atomically(path(name), text.data(), text.size());
  }
  mode_t mode(const std::string& name) const {
    struct stat info {};
    EXPECT_EQ(stat(path(name).c_str(), &info), 0);
    return info.st_mode & 0777;
  }

  fs::path dir_;
};

TEST_F(AtomicFiles, FilesThatOnlyLookLikeTemporariesAreKept) {
  // Named as temporaries of older versions were, with PIDs no process has.
  make("thesis.tex.tmp.999999.abcdef");
  make("backup.tmp.31337.zzzzzz");
  make("private.png.tmp.999999.abcdef");
  // Nearly ganvas's own names.
  make("notes.ganvas-tmp.abcdefg");
  make(".ganvas-tmp.abcdef");
  write("private.png");
  for (const char* name : {"thesis.tex.tmp.999999.abcdef", "backup.tmp.31337.zzzzzz", "private.png.tmp.999999.abcdef",
                           "notes.ganvas-tmp.abcdefg", ".ganvas-tmp.abcdef"}) {
    EXPECT_TRUE(fs::exists(path(name))) << name;
  }
}

TEST_F(AtomicFiles, ALiveWritersTemporaryIsKeptWhateverItsProcessId) {
  // Held as a writer in another PID namespace holds it: a lock, whatever PID the name or kill() say.
  make("checkpoint.safetensors.ganvas-tmp.Live01", "half a checkpoint");
  const int fd = open(path("checkpoint.safetensors.ganvas-tmp.Live01").c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(flock(fd, LOCK_EX), 0);
  write("checkpoint.safetensors");
  EXPECT_TRUE(fs::exists(path("checkpoint.safetensors.ganvas-tmp.Live01")));
  close(fd);
}

TEST_F(AtomicFiles, ADeadWritersTemporariesAreRemoved) {
  make("checkpoint.safetensors.ganvas-tmp.Dead01", "half a checkpoint");  // nobody holds its lock
  make("samples-step0000057.png.ganvas-tmp.Dead02", "half a grid");  // a numbered file, never written again
  write("checkpoint.safetensors");
  EXPECT_FALSE(fs::exists(path("checkpoint.safetensors.ganvas-tmp.Dead01")));
  EXPECT_FALSE(fs::exists(path("samples-step0000057.png.ganvas-tmp.Dead02")));
  EXPECT_TRUE(fs::exists(path("checkpoint.safetensors")));
}

TEST_F(AtomicFiles, ALinkOrAnotherUsersFileNamedAsATemporaryIsKept) {
  make("victim.txt");
  fs::create_symlink(path("victim.txt"), path("out.png.ganvas-tmp.Link01"));
  make("out.png.ganvas-tmp.Other1");
  ASSERT_EQ(chown(path("out.png.ganvas-tmp.Other1").c_str(), geteuid() + 1, static_cast<gid_t>(-1)) == 0, geteuid() == 0)
      << "only root can give a file to another user";
  write("out.png");
  EXPECT_TRUE(fs::is_symlink(path("out.png.ganvas-tmp.Link01")));
  EXPECT_TRUE(fs::exists(path("victim.txt")));
  EXPECT_EQ(fs::exists(path("out.png.ganvas-tmp.Other1")), geteuid() == 0);  // another user's when it could be made so
}

TEST_F(AtomicFiles, ANewFileGetsWhatTheUmaskGives) {
  const mode_t old = umask(077);
  write("private.csv");
  umask(022);
  write("shared.csv");
  umask(old);
  EXPECT_EQ(mode("private.csv"), 0600u);
  EXPECT_EQ(mode("shared.csv"), 0644u);
}

TEST_F(AtomicFiles, AReplacedFileKeepsItsPermissions) {
  make("secret.safetensors");
  ASSERT_EQ(chmod(path("secret.safetensors").c_str(), 0600), 0);
  const mode_t old = umask(022);
  write("secret.safetensors");
  umask(old);
  EXPECT_EQ(mode("secret.safetensors"), 0600u);
}

}  // namespace
}  // namespace ganvas
