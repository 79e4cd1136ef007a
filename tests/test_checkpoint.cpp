// Checkpoints: round trip, PyTorch names, and clear refusals of damaged or foreign files.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <tuple>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "gan/io/checkpoint.h"
#include "common/error.h"
#include "tests/test_support.h"

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
  std::vector<uint8_t> bad(bytes_.begin(), bytes_.begin() + 1000);
  const uint64_t past = 2000;
  std::memcpy(bad.data(), &past, 8);
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

// A safetensors file of empty F32 tensors with these shapes: a few hundred bytes, whatever they declare.
std::vector<uint8_t> empty_tensors_file(const std::string& g0, const std::string& d0) {
  const std::string header = R"({"generator.0.weight":{"dtype":"F32","shape":)" + g0 +
                             R"(,"data_offsets":[0,0]},"discriminator.0.weight":{"dtype":"F32","shape":)" + d0 +
                             R"(,"data_offsets":[0,0]}})";
  const uint64_t length = header.size();
  std::vector<uint8_t> bytes(8 + header.size());
  std::memcpy(bytes.data(), &length, 8);
  std::memcpy(bytes.data() + 8, header.data(), header.size());
  return bytes;
}

// A tiny file that declares a huge or empty model is refused before memory is sized by it.
TEST_F(Checkpoints, HostileShapesAreRefusedBeforeAllocating) {
  const std::tuple<std::string, std::string, std::string> cases[] = {
      {"[300000,0]", "[0,784]", "generator's hidden width is 300000"},
      {"[2147483647,0]", "[0,784]", "generator's hidden width is 2147483647"},
      {"[4294967301,0]", "[0,784]", "generator's hidden width is 4294967301"},  // not cut to an int
      {"[256,0]", "[0,784]", "noise width is 0"},
      {"[0,100]", "[0,784]", "generator's hidden width is 0"},
      {"[256,100]", "[0,784]", "has 0 bytes of data but its shape and dtype need 102400"}};
  for (const auto& [g0, d0, message] : cases) {
    const std::vector<uint8_t> bytes = empty_tensors_file(g0, d0);
    EXPECT_LT(bytes.size(), 300u);
    const std::string error = load_error(bytes);
    EXPECT_NE(error.find(message), std::string::npos) << g0 << ": " << error;
  }
  // Right widths, a missing tensor: refused before the networks are allocated.
  SafetensorsFile file;
  const std::vector<float> g0(256 * 100), d0(256 * 784);
  file.tensors["generator.0.weight"] = make_f32_tensor({256, 100}, g0.data());
  file.tensors["discriminator.0.weight"] = make_f32_tensor({256, 784}, d0.data());
  const std::string error = load_error(serialize_safetensors(file));
  EXPECT_NE(error.find("has no tensor 'generator.0.bias'"), std::string::npos) << error;
}

TEST_F(Checkpoints, AnEmptyTensorConvertsWithoutTouchingNullData) {
  const Tensor empty = make_f32_tensor({0, 4}, nullptr);
  EXPECT_TRUE(empty.to_floats().empty());
  SafetensorsFile file;
  file.tensors["empty"] = empty;
  const SafetensorsFile again = parse_safetensors(serialize_safetensors(file), "round trip");
  EXPECT_EQ(again.at("empty", "round trip").shape, (std::vector<int64_t>{0, 4}));
}

TEST_F(Checkpoints, NonFiniteWeightsAreRefusedOnLoadAndOnSave) {
  GanState poisoned = state_;
  poisoned.generator.params.back() = std::nanf("");  // generator.2.bias, the last value of G
  const std::vector<uint8_t> bytes = serialize_safetensors(checkpoint_contents(poisoned));
  EXPECT_NE(load_error(bytes).find("1 parameters are not finite"), std::string::npos);
  try {
    save_checkpoint(path_, poisoned);
    ADD_FAILURE() << "a checkpoint with NaN was written";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("not saving " + path_), std::string::npos) << e.what();
  }
  EXPECT_EQ(load_checkpoint(path_).generator.params, state_.generator.params) << "the good file was replaced";
}

TEST_F(Checkpoints, DirectoriesAndFifosAreRefusedWithOneLine) {
  const std::string folder = (dir_ / "folder.safetensors").string();
  fs::create_directories(folder);
  try {
    load_checkpoint(folder);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), folder + ": is a directory, not a regular file");
  }
  const std::string fifo = (dir_ / "fifo.safetensors").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  try {
    load_checkpoint(fifo);  // must not wait for a writer
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), fifo + ": is a FIFO, not a regular file");
  }
}

TEST_F(Checkpoints, TemporariesOfKilledSavesGoAtTheNextSave) {
  const std::string stale = path_ + ".ganvas-tmp.Ab12Cd";  // a killed save's: nobody holds its lock
  const std::string live = path_ + ".ganvas-tmp.Zz99Yy";   // a save in progress holds its lock
  std::ofstream(stale) << "half a checkpoint";
  std::ofstream(live) << "being written";
  const int writer = open(live.c_str(), O_RDONLY);
  ASSERT_EQ(flock(writer, LOCK_EX), 0);
  save_checkpoint(path_, state_);
  close(writer);
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(live));
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

namespace ganvas {
namespace {

TEST(ModelCheckpoints, AConditionalModelAndItsObjectiveComeBackFromTheFile) {
  const std::string path = ::testing::TempDir() + "/conditional.safetensors";
  ModelShape shape;
  shape.classes = 10;
  shape.hidden = shape.disc_hidden = 32;
  shape.activation = Activation::kLeakyRelu;
  GanState state = initial_state(shape, 9);
  state.recipe.loss = Loss::kHinge;
  state.recipe.optimizer = Optimizer::kSgd;
  state.recipe.real_target = 0.9f;
  save_checkpoint(path, state);
  const SafetensorsFile file = read_safetensors(path);
  EXPECT_EQ(file.metadata.at("model"), "conditional");
  EXPECT_EQ(file.metadata.at("activation"), "leaky-relu");
  EXPECT_EQ(file.metadata.at("loss"), "hinge");
  EXPECT_EQ(file.at("generator.0.weight", path).shape, (std::vector<int64_t>{32, 110}));
  EXPECT_EQ(file.at("discriminator.0.weight", path).shape, (std::vector<int64_t>{32, 794}));
  const GanState loaded = load_checkpoint(path);
  EXPECT_TRUE(loaded.shape == shape);
  EXPECT_TRUE(loaded.recipe == state.recipe);
  EXPECT_EQ(loaded.generator.params, state.generator.params);
}

TEST(ModelCheckpoints, ASecondHiddenLayerIsStoredAsPyTorchNumbersItAndComesBack) {
  const std::string path = ::testing::TempDir() + "/two-layers.safetensors";
  ModelShape shape;
  shape.classes = 10;
  shape.hidden = shape.disc_hidden = 24;
  shape.hidden_layers = 2;
  GanState state = initial_state(shape, 4);
  save_checkpoint(path, state);
  SafetensorsFile file = read_safetensors(path);
  EXPECT_EQ(file.at("generator.2.weight", path).shape, (std::vector<int64_t>{24, 24}));
  EXPECT_EQ(file.at("generator.4.weight", path).shape, (std::vector<int64_t>{784, 24}));
  EXPECT_EQ(file.at("discriminator.4.bias", path).shape, (std::vector<int64_t>{1}));
  const GanState loaded = load_checkpoint(path);
  EXPECT_TRUE(loaded.shape == shape);
  EXPECT_EQ(loaded.generator.params, state.generator.params);
  EXPECT_EQ(loaded.discriminator.params, state.discriminator.params);
  // A file whose networks differ in depth, or go deeper than two hidden layers, is not this GAN's.
  SafetensorsFile lopsided = file;
  lopsided.tensors.erase("discriminator.4.weight");
  EXPECT_THROW(state_from_checkpoint(lopsided, "lopsided"), Error);
  SafetensorsFile deeper = file;
  deeper.tensors["generator.6.weight"] = file.tensors.at("generator.4.weight");
  EXPECT_THROW(state_from_checkpoint(deeper, "deeper"), Error);
  // Pieces of a deeper model in a shallower file are refused too, not dropped without a word.
  const std::string shallow_path = ::testing::TempDir() + "/one-layer.safetensors";
  save_checkpoint(shallow_path, initial_state(ModelShape{}, 4));
  for (const char* stray : {"generator_ema.4.weight", "optimizer.discriminator.4.bias.exp_avg", "generator.4.bias"}) {
    SafetensorsFile shallow = read_safetensors(shallow_path);
    shallow.tensors[stray] = file.tensors.at("discriminator.4.bias");
    try {
      state_from_checkpoint(shallow, "stray");
      ADD_FAILURE() << stray << " was accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(std::string("tensor '") + stray + "' is not part of this model"), std::string::npos)
          << e.what();
    }
  }
}

TEST(ModelCheckpoints, MetadataThatLiesAboutTheModelIsRefused) {
  const std::string path = ::testing::TempDir() + "/tutorial.safetensors";
  save_checkpoint(path, initial_state(ModelShape{}, 1));
  SafetensorsFile file = read_safetensors(path);
  file.metadata["model"] = "conditional";  // but D takes 784 inputs, not 794
  EXPECT_THROW(state_from_checkpoint(file, "lying"), Error);
  file.metadata["model"] = "transformer";
  EXPECT_THROW(state_from_checkpoint(file, "unknown model"), Error);
  file.metadata["model"] = "tutorial";
  file.metadata["loss"] = "wasserstein";
  EXPECT_THROW(state_from_checkpoint(file, "unknown loss"), Error);
  file.metadata["loss"] = "hinge";
  file.metadata["real_target"] = "7";
  EXPECT_THROW(state_from_checkpoint(file, "bad target"), Error);
}

}  // namespace
}  // namespace ganvas

namespace ganvas {
namespace {

TEST(HalfPrecision, ConvertsExactlyWhereHalvesCanAndRoundsToNearestEven) {
  for (float v : {0.0f, 1.0f, -2.5f, 0.099975586f, 65504.0f, 6.1035156e-05f, 5.9604645e-08f}) {
    EXPECT_EQ(half_to_float(float_to_half(v)), v) << v;
  }
  EXPECT_EQ(float_to_half(1.0f), 0x3c00);
  EXPECT_EQ(float_to_half(-2.0f), 0xc000);
  EXPECT_EQ(float_to_half(1.0f + 1.0f / 2048.0f), 0x3c00) << "a tie rounds to the even mantissa";
  EXPECT_EQ(float_to_half(1e6f), 0x7c00) << "beyond the largest half: infinity";
  EXPECT_NEAR(half_to_float(float_to_half(0.1234567f)), 0.1234567f, 0.1234567f / 2048.0f);
}

TEST(HalfPrecision, AWeightsOnlyF16CheckpointLoadsWithinAThousandthOfTheWeights) {
  const std::string path = ::testing::TempDir() + "/half.safetensors";
  const GanState state = initial_state(ModelShape{}, 4);
  save_checkpoint(path, state, false, true);
  EXPECT_EQ(read_safetensors(path).at("generator.0.weight", path).dtype, DType::kF16);
  const GanState loaded = load_checkpoint(path);
  for (size_t i = 0; i < state.generator.params.size(); i += 97) {
    EXPECT_NEAR(loaded.generator.params[i], state.generator.params[i], 1e-3f * std::fabs(state.generator.params[i]) + 1e-7f);
  }
}

}  // namespace
}  // namespace ganvas

namespace ganvas {
namespace {

// The checkpoint of `state` with `edit` applied to its contents, as bytes.
template <class Edit>
std::vector<uint8_t> edited_checkpoint(const GanState& state, Edit edit) {
  SafetensorsFile file = checkpoint_contents(state);
  edit(file);
  return serialize_safetensors(file);
}

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

std::string refusal(const std::vector<uint8_t>& bytes) {
  try {
    state_from_checkpoint(parse_safetensors(bytes, "hostile"), "hostile");
  } catch (const Error& e) {
    return e.what();
  }
  return "(loaded)";
}

class HostileCheckpoints : public ::testing::Test {
 protected:
  GanState state_ = initial_state(ModelShape{}, 3);
};

TEST_F(HostileCheckpoints, TextFromTheFileIsQuotedEscapedAndCut) {
  const std::string message = refusal(edited_checkpoint(state_, [](SafetensorsFile& file) {
    file.metadata["model"] = "\x1b]0;PWNED-TITLE\x07\x1b[2J\nsecond line" + std::string(5000, 'x');
  }));
  EXPECT_EQ(message.find('\x1b'), std::string::npos) << "an escape reached the message";
  EXPECT_EQ(message.find('\n'), std::string::npos) << "the message is one line";
  EXPECT_NE(message.find("\\x1b]0;PWNED-TITLE\\x07"), std::string::npos) << message;
  EXPECT_LT(message.size(), 400u) << "a long value is cut";
}

TEST_F(HostileCheckpoints, HeadersPastTheBudgetAreRefusedBeforeParsing) {
  // Megabytes of empty objects: refused by the header's length.
  std::string json = "[";
  for (int i = 0; i < 400000; ++i) json += "{},";
  json += "{}]";
  std::vector<uint8_t> bytes(8 + json.size());
  const uint64_t length = json.size();
  std::memcpy(bytes.data(), &length, 8);
  std::memcpy(bytes.data() + 8, json.data(), json.size());
  EXPECT_NE(refusal(bytes).find("header length " + std::to_string(length) + " is implausible"), std::string::npos);
  // A valid checkpoint carrying 100 MB of metadata keys does not load either.
  const std::string many = refusal(edited_checkpoint(state_, [](SafetensorsFile& file) {
    for (int i = 0; i < 300; ++i) file.metadata["key" + std::to_string(i)] = "v";
  }));
  EXPECT_NE(many.find("__metadata__ has"), std::string::npos) << many;
  const std::string long_value = refusal(edited_checkpoint(state_, [](SafetensorsFile& file) {
    file.metadata["note"] = std::string(100000, 'n');
  }));
  EXPECT_NE(long_value.find("metadata 'note' is longer than"), std::string::npos) << long_value;
}

TEST_F(HostileCheckpoints, ABudgetedHeaderStopsAtItsFirstValuePastTheBudget) {
  std::string json = "{";
  for (int i = 0; i < 70000; ++i) json += "\"" + std::to_string(i) + "\":0,";
  json += "\"end\":0}";
  ASSERT_LT(json.size(), 1u << 20);
  std::vector<uint8_t> bytes(8 + json.size());
  const uint64_t length = json.size();
  std::memcpy(bytes.data(), &length, 8);
  std::memcpy(bytes.data() + 8, json.data(), json.size());
  EXPECT_NE(refusal(bytes).find("holds more entries"), std::string::npos) << refusal(bytes);
  const std::string deep = "{\"a\":{\"shape\":[[[1]]]}}";
  std::vector<uint8_t> nested(8 + deep.size());
  const uint64_t deep_length = deep.size();
  std::memcpy(nested.data(), &deep_length, 8);
  std::memcpy(nested.data() + 8, deep.data(), deep.size());
  EXPECT_NE(refusal(nested).find("nests deeper"), std::string::npos) << refusal(nested);
}

TEST_F(HostileCheckpoints, ATensorOfAnotherNameIsRefusedBeforeItsDataIsRead) {
  // A sparse file declaring one 1 GiB tensor: refused from its header, its data never read.
  const std::string path = (std::filesystem::temp_directory_path() / ("ganvas_sparse_" + std::to_string(getpid()))).string();
  const uint64_t gib = uint64_t{1} << 30;
  std::string json = "{\"huge\":{\"dtype\":\"U8\",\"shape\":[" + std::to_string(gib) + "],\"data_offsets\":[0," +
                     std::to_string(gib) + "]}}";
  {
    std::ofstream out(path, std::ios::binary);
    const uint64_t length = json.size();
    out.write(reinterpret_cast<const char*>(&length), 8);
    out << json;
  }
  std::filesystem::resize_file(path, 8 + json.size() + gib);
  const long peak_before = peak_rss_kib();
  try {
    load_checkpoint(path);
    ADD_FAILURE() << "the sparse file loaded";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("it has no tensor 'generator.0.weight'"), std::string::npos) << e.what();
  }
  EXPECT_LT(peak_rss_kib() - peak_before, 100 * 1024) << "the declared gigabyte was read";
  std::filesystem::remove(path);
}

TEST_F(HostileCheckpoints, AdamStateNoStepCanFollowIsRefused) {
  const std::pair<const char*, const char*> counters[] = {{"optimizer.generator.t", "9223372036854775807"},
                                                          {"step", "18446744073709551615"}};
  for (const auto& [key, value] : counters) {
    const std::string message = refusal(edited_checkpoint(state_, [&](SafetensorsFile& file) { file.metadata[key] = value; }));
    EXPECT_NE(message.find("past 2^62"), std::string::npos) << key << ": " << message;
  }
  for (const char* power : {"nan", "inf", "-1e30", "1.5"}) {
    const std::string message = refusal(edited_checkpoint(state_, [&](SafetensorsFile& file) {
      file.metadata["optimizer.discriminator.beta2_power"] = power;
    }));
    EXPECT_NE(message.find("not a power of a beta"), std::string::npos) << power << ": " << message;
  }
  GanState negative = state_;
  negative.generator.v[3] = -1.0f;
  EXPECT_NE(refusal(serialize_safetensors(checkpoint_contents(negative))).find("second moments are negative"), std::string::npos);
  GanState huge = state_;
  huge.discriminator.m[3] = 1e30f;
  EXPECT_NE(refusal(serialize_safetensors(checkpoint_contents(huge))).find("first moments are past 1e20"), std::string::npos);
}

TEST_F(HostileCheckpoints, MetadataThatIsNotUtf8IsWrittenAsUtf8) {
  // JSON holds UTF-8 only; a value of other bytes (a path is any bytes) is written with U+FFFD.
  SafetensorsFile file = checkpoint_contents(state_);
  file.metadata["train.note"] = "caf\xe9 \xff";
  const SafetensorsFile again = parse_safetensors(serialize_safetensors(file), "again");
  EXPECT_EQ(again.metadata.at("train.note"), "caf\xef\xbf\xbd \xef\xbf\xbd");
}

TEST_F(HostileCheckpoints, WhatCannotBeLoadedIsNotSaved) {
  const std::string path = (std::filesystem::temp_directory_path() / ("ganvas_unsaved_" + std::to_string(getpid()))).string();
  GanState bad = state_;
  bad.generator.v[0] = -1.0f;
  EXPECT_THROW(save_checkpoint(path, bad), Error);
  GanState wide = state_;
  wide.generator.params[0] = 70000.0f;  // infinity in F16
  try {
    save_checkpoint(path, wide, /*with_optimizer=*/false, /*half=*/true);
    ADD_FAILURE() << "a weight past F16's range was saved in F16";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("past F16's largest value"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  save_checkpoint(path, wide);  // F32 holds it
  EXPECT_EQ(load_checkpoint(path).generator.params[0], 70000.0f);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace ganvas
