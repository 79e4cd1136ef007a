// The C API keeps a host's run in a run folder as the window does: saved when the host ends (or asks),
// reopened where it was, followed while another context trains it; version-2 hosts keep none.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstddef>
#include <filesystem>
#include <string>

#include "ganvas/ganvas.h"
#include "gan/io/run_record.h"
#include "gan/session/run_folder.h"
#include "tests/test_support.h"

namespace ganvas {
namespace {

// The strings must outlive the info, which points into them.
ganvas_create_info run_info(const std::string& data, const std::string& dir) {
  ganvas_create_info info{};
  info.struct_size = sizeof(info);
  info.data_dir = data.empty() ? nullptr : data.c_str();
  info.device = GANVAS_DEVICE_CPU;
  info.run_dir = dir.c_str();
  return info;
}

uint64_t step_of(ganvas_context* context) {
  ganvas_stats stats{};
  stats.struct_size = sizeof(stats);
  EXPECT_EQ(ganvas_get_stats(context, &stats), GANVAS_OK);
  return stats.step;
}

std::string scratch(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("ganvas-capi-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir.string();
}

TEST(CApiRuns, AHostsRunIsKeptWhenItEndsAndReopenedWhereItWas) {
  const std::string data = test::mnist_dir(), dir = scratch("run") + "/host run";
  ganvas_context* context = nullptr;
  ganvas_create_info info = run_info(data, dir);
  ASSERT_EQ(ganvas_create(&info, &context), GANVAS_OK);
  ASSERT_EQ(ganvas_train_steps(context, 30), GANVAS_OK);
  ASSERT_EQ(ganvas_wait(context), GANVAS_OK);
  EXPECT_EQ(ganvas_save_run(context), GANVAS_OK);
  EXPECT_EQ(read_run_record(dir).step, 30u);
  ASSERT_EQ(ganvas_train_steps(context, 5), GANVAS_OK);
  ASSERT_EQ(ganvas_wait(context), GANVAS_OK);
  ASSERT_EQ(ganvas_destroy(context), GANVAS_OK);
  EXPECT_EQ(read_run_record(dir).step, 35u) << "the host's end saves the run";

  ASSERT_EQ(ganvas_create(&info, &context), GANVAS_OK);
  EXPECT_EQ(step_of(context), 35u) << "reopened where it was";
  ganvas_context* follower = nullptr;
  ganvas_create_info follow = run_info("", dir);
  follow.follow = 1;
  ASSERT_EQ(ganvas_create(&follow, &follower), GANVAS_OK);
  EXPECT_EQ(step_of(follower), 35u);
  EXPECT_EQ(ganvas_save_run(follower), GANVAS_ERROR_STATE) << "a followed run is another's to save";
  ASSERT_EQ(ganvas_train_steps(context, 10), GANVAS_OK);
  ASSERT_EQ(ganvas_wait(context), GANVAS_OK);
  usleep(20000);  // a checkpoint renamed into place has another time than the one before
  ASSERT_EQ(ganvas_save_run(context), GANVAS_OK);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (step_of(follower) != 45u && std::chrono::steady_clock::now() < deadline) usleep(50000);
  EXPECT_EQ(step_of(follower), 45u) << "the follower takes in the checkpoint written";
  ganvas_destroy(follower);
  ganvas_destroy(context);
}

TEST(CApiRuns, AVersionTwoHostKeepsNoRunAndAskingIsAnError) {
  const std::string data = test::mnist_dir(), dir = "/never/written";  // info keeps their pointers
  ganvas_create_info info = run_info(data, dir);
  info.struct_size = offsetof(ganvas_create_info, run_dir);  // a host built against version 2's header
  ganvas_context* context = nullptr;
  ASSERT_EQ(ganvas_create(&info, &context), GANVAS_OK);
  EXPECT_EQ(ganvas_save_run(context), GANVAS_ERROR_STATE);
  ganvas_destroy(context);
  EXPECT_FALSE(std::filesystem::exists("/never/written"));
  info.struct_size = offsetof(ganvas_create_info, run_dir) + 4;  // neither version's
  EXPECT_EQ(ganvas_create(&info, &context), GANVAS_ERROR_INVALID_ARGUMENT);
  EXPECT_GE(ganvas_api_version(), 3);
}

}  // namespace
}  // namespace ganvas
