// Checkpoints: round trip, PyTorch names, and clear refusals of damaged or foreign files.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "checkpoint.h"
#include "error.h"
#include "test_support.h"

namespace ganvas {
namespace {

namespace fs = std::filesystem;

class Checkpoints : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ganvas_ckpt_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    state_ = initial_state(ModelShape{}, 3);
    state_.step = 1234;
    state_.generator.m[5] = 0.25f;
    state_.discriminator.v[7] = 0.5f;
    state_.generator.powers = {0.81f, 0.998001f, 2};
    path_ = (dir_ / "c.safetensors").string();
    save_checkpoint(path_, state_);
    std::ifstream in(path_, std::ios::binary);
    bytes_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string load_error(const std::vector<uint8_t>& bytes) {
    try {
      state_from_checkpoint(parse_safetensors(bytes, "damaged"), "damaged");
    } catch (const Error& e) {
      return e.what();
    }
    ADD_FAILURE() << "the damaged file loaded";
    return "";
  }

  fs::path dir_;
  GanState state_;
  std::string path_;
  std::vector<uint8_t> bytes_;
};

TEST_F(Checkpoints, RoundTripKeepsEverything) {
  const GanState loaded = load_checkpoint(path_);
  EXPECT_EQ(loaded.step, 1234u);
  EXPECT_EQ(loaded.seed, 3u);
  EXPECT_EQ(loaded.generator.params, state_.generator.params);
  EXPECT_EQ(loaded.generator.m, state_.generator.m);
  EXPECT_EQ(loaded.discriminator.v, state_.discriminator.v);
  EXPECT_EQ(loaded.generator.powers.t, 2);
  EXPECT_EQ(loaded.generator.powers.beta1_power, 0.81f);
  EXPECT_EQ(loaded.generator.powers.beta2_power, 0.998001f);
}

TEST_F(Checkpoints, UsesPyTorchNamesAndShapes) {
  const SafetensorsFile file = read_safetensors(path_);
  EXPECT_EQ(file.at("generator.0.weight", "c").shape, (std::vector<int64_t>{256, 100}));
  EXPECT_EQ(file.at("generator.2.weight", "c").shape, (std::vector<int64_t>{784, 256}));
  EXPECT_EQ(file.at("discriminator.0.weight", "c").shape, (std::vector<int64_t>{256, 784}));
  EXPECT_EQ(file.at("discriminator.2.bias", "c").shape, (std::vector<int64_t>{1}));
  EXPECT_EQ(file.at("optimizer.generator.0.weight.exp_avg", "c").shape, (std::vector<int64_t>{256, 100}));
}

TEST_F(Checkpoints, TruncatedFile) {
  const std::vector<uint8_t> cut(bytes_.begin(), bytes_.end() - 100);
  EXPECT_NE(load_error(cut).find("points outside the file"), std::string::npos);
}

TEST_F(Checkpoints, FlippedHeaderBytes) {
  std::vector<uint8_t> bad = bytes_;
  bad[8] ^= 0xff;  // the JSON's opening brace
  EXPECT_NE(load_error(bad).find("not valid JSON"), std::string::npos);
}

TEST_F(Checkpoints, HeaderLengthLargerThanTheFile) {
  std::vector<uint8_t> bad = bytes_;
  const uint64_t huge = bytes_.size() + 10;
  std::memcpy(bad.data(), &huge, 8);
  EXPECT_NE(load_error(bad).find("runs past the end"), std::string::npos);
}

TEST_F(Checkpoints, WrongShapesAreRefused) {
  GanState other = initial_state(ModelShape{100, 128, 784, 256}, 1);
  SafetensorsFile file = checkpoint_contents(other);
  // Keep generator.0 [128,100] but give generator.2 a mismatching [784,64].
  std::vector<float> wrong(784 * 64, 0.0f);
  file.tensors["generator.2.weight"] = make_f32_tensor({784, 64}, wrong.data());
  const std::string msg = load_error(serialize_safetensors(file));
  EXPECT_NE(msg.find("generator.2.weight' has shape [784,64], expected [784,128]"), std::string::npos) << msg;
}

TEST_F(Checkpoints, AnotherModelsFileIsRefused) {
  SafetensorsFile file;
  std::vector<float> w(10 * 20, 1.0f);
  file.tensors["encoder.weight"] = make_f32_tensor({10, 20}, w.data());
  EXPECT_NE(load_error(serialize_safetensors(file)).find("not a checkpoint of this GAN"), std::string::npos);
}

TEST_F(Checkpoints, FailedSaveLeavesTheOldFileWhole) {
  GanState broken = state_;
  broken.generator.params.pop_back();
  EXPECT_THROW(save_checkpoint(path_, broken), Error);
  std::ifstream in(path_, std::ios::binary);
  const std::vector<uint8_t> after((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(after, bytes_);
  EXPECT_THROW(save_checkpoint((dir_ / "no-such-dir" / "c.safetensors").string(), state_), Error);
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir_)) files += entry.is_regular_file();
  EXPECT_EQ(files, 1u);  // no temporary file left behind
}

TEST_F(Checkpoints, WeightsOnlyFilesAreSmallAndLoad) {
  const std::string path = (dir_ / "weights.safetensors").string();
  save_checkpoint(path, state_, false);
  EXPECT_LT(fs::file_size(path), 2u << 20);
  const SafetensorsFile file = read_safetensors(path);
  EXPECT_EQ(file.tensors.size(), 8u);
  const GanState loaded = load_checkpoint(path);
  EXPECT_EQ(loaded.discriminator.params, state_.discriminator.params);
  EXPECT_EQ(loaded.generator.m[5], 0.0f);
  EXPECT_EQ(loaded.step, 1234u);
}

TEST_F(Checkpoints, ModelOnlyFileLoadsWithFreshOptimizer) {
  SafetensorsFile file = checkpoint_contents(state_);
  for (auto it = file.tensors.begin(); it != file.tensors.end();) {
    it = it->first.rfind("optimizer.", 0) == 0 ? file.tensors.erase(it) : std::next(it);
  }
  file.metadata.clear();
  const GanState loaded = state_from_checkpoint(file, "torch");
  EXPECT_EQ(loaded.generator.params, state_.generator.params);
  EXPECT_EQ(loaded.generator.m[5], 0.0f);
  EXPECT_EQ(loaded.step, 0u);
}

}  // namespace
}  // namespace ganvas
