// IDX reading: real MNIST and Fashion-MNIST, and one clear message for every kind of bad file.
#include <gtest/gtest.h>
#include <zlib.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "gan/io/dataset.h"
#include "common/error.h"
#include "tests/test_support.h"

namespace ganvas {
namespace {

namespace fs = std::filesystem;

std::vector<uint8_t> idx_bytes(uint32_t magic, std::vector<uint32_t> dims, size_t payload) {
  std::vector<uint8_t> bytes;
  auto be32 = [&](uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) bytes.push_back(static_cast<uint8_t>(v >> s));
  };
  be32(magic);
  for (uint32_t d : dims) be32(d);
  for (size_t i = 0; i < payload; ++i) bytes.push_back(static_cast<uint8_t>(i * 7));
  return bytes;
}

// An IDX label file of `count` digits 0, 1, ..., 9, 0, ...
std::vector<uint8_t> label_bytes(uint32_t count) {
  std::vector<uint8_t> bytes = idx_bytes(0x801, {count}, 0);
  for (uint32_t i = 0; i < count; ++i) bytes.push_back(static_cast<uint8_t>(i % 10));
  return bytes;
}

class IdxFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ganvas_idx_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::vector<uint8_t>& bytes) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return path;
  }
  std::string write_gz(const std::string& name, const std::vector<uint8_t>& bytes) {
    const std::string path = (dir_ / name).string();
    gzFile f = gzopen(path.c_str(), "wb");
    gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(f);
    return path;
  }
  // The message of the error that `f` throws; fails the test when it throws none.
  template <class F>
  std::string error_of(F f) {
    try {
      f();
    } catch (const Error& e) {
      return e.what();
    }
    ADD_FAILURE() << "no error was thrown";
    return "";
  }

  fs::path dir_;
};

TEST_F(IdxFiles, ReadsRawAndGzippedImages) {
  const auto bytes = idx_bytes(0x803, {3, 28, 28}, 3 * 784);
  for (const std::string& path : {write("a", bytes), write_gz("a.gz", bytes)}) {
    const ImageSet set = read_idx_images(path);
    EXPECT_EQ(set.count, 3);
    EXPECT_EQ(set.pixels.size(), 3u * 784);
    EXPECT_EQ(set.pixels[1], 7);
  }
}

TEST_F(IdxFiles, MissingFileIsNamed) {
  const std::string msg = error_of([&] { read_idx_images((dir_ / "nope").string()); });
  EXPECT_NE(msg.find("nope"), std::string::npos);
  EXPECT_NE(msg.find("cannot open"), std::string::npos);
}

TEST_F(IdxFiles, WrongMagic) {
  const std::string path = write("not-idx", idx_bytes(0x1234, {3}, 3));
  EXPECT_NE(error_of([&] { read_idx_images(path); }).find("wrong magic number 0x00001234, expected 0x00000803"),
            std::string::npos);
}

TEST_F(IdxFiles, ALabelFileGivenForImagesAndTheReverseAreNamedByTheirMagic) {
  // Whole sets, so that a size check judging one kind by the other's header would speak first, as
  // it did for MNIST's ("46980008 bytes beyond what the header describes", "images are 83887105x151126275").
  const std::vector<uint8_t> images = idx_bytes(0x803, {2000, 28, 28}, 2000 * 784);
  std::vector<uint8_t> labelled_as_images = images;  // an image file whose magic says labels
  labelled_as_images[3] = 0x01;
  const std::vector<uint8_t> labels = label_bytes(2000);
  std::vector<uint8_t> imaged_labels = labels;  // a label file whose magic says images
  imaged_labels[3] = 0x03;
  const std::string as_labels = write("images", labelled_as_images), as_images = write("labels", imaged_labels);
  const std::string gz_as_labels = write_gz("images.gz", labelled_as_images), gz_as_images = write_gz("labels.gz", imaged_labels);
  const std::string wanted_images = ": an IDX label file (magic 0x00000801), expected an image file (0x00000803)";
  const std::string wanted_labels = ": an IDX image file (magic 0x00000803), expected a label file (0x00000801)";
  // Each kind's reader given the other kind's file, as it is and gzipped, and both parsers.
  EXPECT_EQ(error_of([&] { read_idx_images(write("l", labels)); }), dir_.string() + "/l" + wanted_images);
  EXPECT_EQ(error_of([&] { read_idx_labels(write("i", images)); }), dir_.string() + "/i" + wanted_labels);
  EXPECT_EQ(error_of([&] { read_idx_images(as_labels); }), as_labels + wanted_images);
  EXPECT_EQ(error_of([&] { read_idx_labels(as_images); }), as_images + wanted_labels);
  EXPECT_EQ(error_of([&] { read_idx_images(gz_as_labels); }), gz_as_labels + wanted_images);
  EXPECT_EQ(error_of([&] { read_idx_labels(gz_as_images); }), gz_as_images + wanted_labels);
  EXPECT_EQ(error_of([&] { parse_idx_images(labels, "bytes"); }), "bytes" + wanted_images);
  EXPECT_EQ(error_of([&] { parse_idx_labels(images, "bytes"); }), "bytes" + wanted_labels);
}

TEST_F(IdxFiles, WrongDimensions) {
  const std::string path = write("32x32", idx_bytes(0x803, {2, 32, 32}, 2 * 1024));
  EXPECT_NE(error_of([&] { read_idx_images(path); }).find("images are 32x32, expected 28x28"), std::string::npos);
  // Sides whose product says "no bytes" or wraps: the side is named, not a count of bytes beyond it.
  for (const uint32_t side : {0u, 1u << 31}) {
    const std::string odd = write("odd", idx_bytes(0x803, {2, side, side}, 2 * 784));
    const std::string error = error_of([&] { read_idx_images(odd); });
    EXPECT_NE(error.find("images are " + std::to_string(side) + "x" + std::to_string(side) + ", expected 28x28"),
              std::string::npos) << error;
    EXPECT_NE(error_of([&] { parse_idx_images(idx_bytes(0x803, {2, side, side}, 2 * 784), "odd"); }).find("expected 28x28"),
              std::string::npos);
  }
}

TEST_F(IdxFiles, TruncatedData) {
  const std::string path = write("short", idx_bytes(0x803, {3, 28, 28}, 2 * 784));
  EXPECT_NE(error_of([&] { read_idx_images(path); }).find("truncated"), std::string::npos);
  const std::string header = write("header", {0, 0, 8, 3, 0, 0});
  EXPECT_NE(error_of([&] { read_idx_images(header); }).find("truncated IDX header"), std::string::npos);
}

TEST_F(IdxFiles, DimensionsWhoseProductWrapsAroundAreNamedNotEmpty) {
  // 2^22 * 2^21 * 2^21 = 2^64, which a 64-bit product would wrap to 0 bytes of data: the sides are
  // refused before any size is computed, from bytes and from a file.
  const std::vector<uint8_t> bytes = idx_bytes(0x803, {1u << 22, 1u << 21, 1u << 21}, 10);
  EXPECT_NE(error_of([&] { parse_idx_images(bytes, "wrapped"); }).find("wrapped: images are 2097152x2097152"), std::string::npos);
  EXPECT_NE(error_of([&] { read_idx_images(write("wrapped", bytes)); }).find("images are 2097152x2097152"), std::string::npos);
}

TEST_F(IdxFiles, CorruptGzip) {
  std::vector<uint8_t> gz;
  {
    const std::string path = write_gz("ok.gz", idx_bytes(0x803, {3, 28, 28}, 3 * 784));
    std::ifstream in(path, std::ios::binary);
    gz.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::vector<uint8_t> corrupt = gz;
  for (size_t i = 12; i < 40 && i < corrupt.size(); ++i) corrupt[i] ^= 0x5a;
  const std::string bad = write("bad.gz", corrupt);
  EXPECT_NE(error_of([&] { read_idx_images(bad); }).find("corrupt gzip"), std::string::npos);
  const std::string cut = write("cut.gz", std::vector<uint8_t>(gz.begin(), gz.begin() + gz.size() / 2));
  EXPECT_NE(error_of([&] { read_idx_images(cut); }).find("truncated gzip"), std::string::npos);
}

TEST_F(IdxFiles, DirectoriesAndFifosAreRefusedWithOneLine) {
  const std::string folder = (dir_ / "folder").string();
  fs::create_directories(folder);
  EXPECT_EQ(error_of([&] { read_idx_images(folder); }), folder + ": is a directory, not a regular file");
  const std::string fifo = (dir_ / "fifo").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(error_of([&] { read_idx_images(fifo); }), fifo + ": is a FIFO, not a regular file");  // no hang
}

TEST_F(IdxFiles, AGzipBombStopsAtTheSizeItsHeaderDeclares) {
  // The header promises 10 images; the stream inflates to 64 MB of zeros after them.
  std::vector<uint8_t> bomb = idx_bytes(0x00000803, {10, 28, 28}, 10 * 784);
  bomb.resize(bomb.size() + (64u << 20), 0);
  const std::string path = write_gz("bomb.gz", bomb);
  EXPECT_LT(fs::file_size(path), 200000u);
  const std::string error = error_of([&] { read_idx_images(path); });
  EXPECT_NE(error.find("decompresses to more than the 7856 bytes its IDX header declares"), std::string::npos) << error;
}

TEST_F(IdxFiles, ImageLabelCountMismatch) {
  write("train-images-idx3-ubyte", idx_bytes(0x803, {6000, 28, 28}, 6000 * 784));
  write("train-labels-idx1-ubyte", label_bytes(5999));
  const std::string msg = error_of([&] { load_training_set(DatasetKind::kMnist, dir_.string(), false); });
  EXPECT_NE(msg.find("holds 6000 images but"), std::string::npos);
  EXPECT_NE(msg.find("holds 5999 labels"), std::string::npos);
}

TEST_F(IdxFiles, ALabelThatIsNoDigitIsRefusedWithItsPlace) {
  std::vector<uint8_t> labels = label_bytes(20);
  labels[8 + 13] = 10;
  const std::string msg = error_of([&] { read_idx_labels(write("labels", labels)); });
  EXPECT_NE(msg.find("labels: label 13 is 10, not a class from 0 to 9"), std::string::npos) << msg;
  EXPECT_EQ(read_idx_labels(write("labels", label_bytes(20))).size(), 20u);
}

TEST_F(IdxFiles, HoldsOutTheFirstFiveThousandImages) {
  auto images = idx_bytes(0x803, {5002, 28, 28}, 0);
  for (int i = 0; i < 5002; ++i) images.insert(images.end(), 784, static_cast<uint8_t>(i % 251));
  write("train-images-idx3-ubyte", images);
  write("train-labels-idx1-ubyte", label_bytes(5002));
  const ImageSet train = load_training_set(DatasetKind::kMnist, dir_.string(), false);
  EXPECT_EQ(train.count, 2);
  EXPECT_EQ(train.pixels[0], 5000 % 251);
  EXPECT_EQ(load_training_set(DatasetKind::kMnist, dir_.string(), true).count, 5002);
}

TEST(RealData, MnistTrainingSplit) {
  const ImageSet set = load_training_set(DatasetKind::kMnist, test::mnist_dir(), false);
  EXPECT_EQ(set.count, 55000);
  EXPECT_EQ(set.labels.size(), 55000u);
  double mean = 0;
  for (uint8_t p : set.pixels) mean += p;
  EXPECT_NEAR(mean / set.pixels.size() / 255.0, 0.1307, 0.002);  // MNIST's well-known mean
}

TEST(RealData, FashionMnistFromDebianPackage) {
  const ImageSet set = load_training_set(DatasetKind::kFashion, "", true);
  EXPECT_EQ(set.count, 60000);
}

}  // namespace
}  // namespace ganvas
