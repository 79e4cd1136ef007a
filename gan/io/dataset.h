// MNIST-style image sets: IDX files (raw or gzipped) read into memory with their labels.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ganvas {

// Images as bytes, row after row, with one label per image.
struct ImageSet {
  int count = 0;
  int rows = 0;
  int cols = 0;
  std::vector<uint8_t> pixels;  // count * rows * cols
  std::vector<uint8_t> labels;  // count

  int pixels_per_image() const { return rows * cols; }
  const uint8_t* image(int i) const { return pixels.data() + static_cast<size_t>(i) * pixels_per_image(); }
};

// The bytes of a file; gunzipped when the file starts with gzip's magic bytes.
std::vector<uint8_t> read_maybe_gzipped(const std::string& path);
// `bytes` gunzipped when they start with gzip's magic bytes (never past the size the IDX header
// declares), else as they are; `source` names them in error messages.
std::vector<uint8_t> maybe_gunzip(std::vector<uint8_t> bytes, const std::string& source);

// An IDX image file (magic 0x00000803) with 28x28 images: from a file, or parsed from its bytes.
ImageSet read_idx_images(const std::string& path);
ImageSet parse_idx_images(const std::vector<uint8_t>& bytes, const std::string& source);

// An IDX label file (magic 0x00000801) of digits 0 to 9.
std::vector<uint8_t> read_idx_labels(const std::string& path);
std::vector<uint8_t> parse_idx_labels(const std::vector<uint8_t>& bytes, const std::string& source);

enum class DatasetKind { kMnist, kFashion };

// Where a data set's training files are: MNIST in `data_dir`, or Debian's Fashion-MNIST (package
// dataset-fashion-mnist) in `data_dir` when given, else its default folder. Each file is taken
// under its plain name or with .gz, whichever is there (MNIST's usual names are plain, Fashion's .gz).
struct DatasetFiles {
  std::string images;
  std::string labels;
};
DatasetFiles training_files(DatasetKind kind, const std::string& data_dir);
// The test set's files (t10k-...), in the same folders.
DatasetFiles test_files(DatasetKind kind, const std::string& data_dir);
// Images with their labels; throws when the two files disagree on the count.
ImageSet load_labelled_images(const DatasetFiles& files);

// Where MNIST's IDX files are looked for, in order: $GANVAS_DATA_DIR alone when set; else data/mnist
// under the working folder, the folder the set-up fetched them into (beside the build), and the
// user's data folder ($XDG_DATA_HOME/ganvas/mnist, else ~/.local/share/ganvas/mnist).
std::vector<std::string> mnist_search_path();
// The first of those that holds MNIST, else the first of them.
std::string default_mnist_dir();
// "Looked for MNIST in ...", for messages.
std::string describe_mnist_search();

// The folder Debian's dataset-fashion-mnist installs to.
inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

// The tutorial's split: the first 5,000 training images are held out for validation.
inline constexpr int kValidationImages = 5000;

// Training images and labels of `kind`; the first 5,000 are dropped unless `use_all` is set.
ImageSet load_training_set(DatasetKind kind, const std::string& data_dir, bool use_all);

DatasetKind parse_dataset_kind(const std::string& name);
const char* dataset_name(DatasetKind kind);

}  // namespace ganvas
