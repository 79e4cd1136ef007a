// Reads IDX files (MNIST, Fashion-MNIST), raw or gzipped, with a clear message for every defect.
#include "gan/io/dataset.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/user_dirs.h"
#include "gan/model/model.h"

namespace ganvas {
namespace {

constexpr uint32_t kImageMagic = 0x00000803;
constexpr uint32_t kLabelMagic = 0x00000801;

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
  GANVAS_THROW(path + ": " + problem);
}

uint32_t read_be32(const std::vector<uint8_t>& bytes, size_t offset) {
  return (uint32_t{bytes[offset]} << 24) | (uint32_t{bytes[offset + 1]} << 16) |
         (uint32_t{bytes[offset + 2]} << 8) | uint32_t{bytes[offset + 3]};
}

std::string hex(uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof(text), "0x%08x", value);
  return text;
}

// "image" or "label" for the magic of the two kinds of IDX file read here, else null.
const char* idx_kind(uint32_t magic) {
  return magic == kImageMagic ? "image" : magic == kLabelMagic ? "label" : nullptr;
}

// Refuses an image file given for labels or the reverse, by name, before any size is judged: with
// the other kind's header, a size check spoke first ("46980008 bytes beyond what the header
// describes", "images are 83887105x151126275"). `expected` 0 takes either kind.
void check_kind(const std::string& path, uint32_t found, uint32_t expected) {
  if (expected == 0 || found == expected || !idx_kind(found) || !idx_kind(expected)) return;
  fail(path, std::string("an IDX ") + idx_kind(found) + " file (magic " + hex(found) + "), expected " +
                 (expected == kImageMagic ? "an " : "a ") + idx_kind(expected) + " file (" + hex(expected) + ")");
}

// a * b, or 2^40 when it is more: no IDX file read here is that large, and it cannot wrap around.
uint64_t capped_product(uint64_t a, uint32_t b) {
  constexpr uint64_t kCap = uint64_t{1} << 40;
  return b != 0 && a > kCap / b ? kCap : std::min(a * b, kCap);
}

// The size of an IDX file of unsigned bytes as the header in `head` declares it, header included
// (capped at 2^40), or 0 when `head` does not hold a whole header of such a file.
uint64_t idx_size_in_header(const std::vector<uint8_t>& head) {
  if (head.size() < 4) return 0;
  const uint32_t magic = read_be32(head, 0);
  const uint32_t ndims = magic & 0xff;
  if ((magic >> 8) != 0x08 || ndims == 0 || ndims > 4) return 0;
  const size_t header = 4 + 4 * size_t{ndims};
  if (head.size() < header) return 0;
  uint64_t size = 1;
  for (uint32_t d = 0; d < ndims; ++d) size = capped_product(size, read_be32(head, 4 + 4 * d));
  return header + size;
}

// The size an IDX file of unsigned bytes declares in its header, once `head` holds the header;
// 0 while it does not yet. Throws for what is no such file.
uint64_t declared_idx_size(const std::string& path, const std::vector<uint8_t>& head) {
  constexpr uint64_t kLargest = uint64_t{1} << 34;  // 16 GiB: far beyond any image set read here
  if (head.size() < 4) return 0;
  const uint32_t magic = read_be32(head, 0);
  const uint32_t ndims = magic & 0xff;
  if ((magic >> 8) != 0x08 || ndims == 0 || ndims > 4) fail(path, "not an IDX file of bytes (magic " + std::to_string(magic) + ")");
  const uint64_t size = idx_size_in_header(head);
  if (size > kLargest) fail(path, "its IDX header declares more than 16 GiB of data");
  return size;
}

// MNIST's images are 28x28: other sides are refused, named as such, before any size is judged.
void check_image_side(const std::string& path, uint32_t rows, uint32_t cols) {
  if (rows != kImageSide || cols != kImageSide) {
    fail(path, "images are " + std::to_string(rows) + "x" + std::to_string(cols) + ", expected 28x28");
  }
}

// Reads a whole file; an uncompressed IDX file longer than its header declares (padded to
// gigabytes) is refused before the rest is read, as is an image file of another side or a file of
// the other kind than `expected` (check_kind).
std::vector<uint8_t> read_raw(const std::string& path, uint32_t expected) {
  require_regular_file(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, std::string("cannot open (") + std::strerror(errno) + ")");
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) fail(path, "cannot read its size");
  in.seekg(0);
  std::vector<uint8_t> bytes(static_cast<size_t>(std::min<std::streamoff>(size, 4 + 4 * 4)));
  if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()))) fail(path, "read failed");
  // Only the two kinds read here: another kind's magic is what its reader refuses it for.
  const uint32_t magic = bytes.size() >= 4 ? read_be32(bytes, 0) : 0;
  check_kind(path, magic, expected);
  const uint64_t declared = magic == kImageMagic || magic == kLabelMagic ? idx_size_in_header(bytes) : 0;
  if (declared > 0 && magic == kImageMagic) check_image_side(path, read_be32(bytes, 8), read_be32(bytes, 12));
  if (declared > 0 && static_cast<uint64_t>(size) > declared) {
    fail(path, std::to_string(static_cast<uint64_t>(size) - declared) + " bytes beyond what the header describes");
  }
  const size_t have = bytes.size();
  bytes.resize(static_cast<size_t>(size));
  if (!in.read(reinterpret_cast<char*>(bytes.data() + have), static_cast<std::streamsize>(bytes.size() - have))) {
    fail(path, "read failed");
  }
  return bytes;
}

// Decompresses a gzipped IDX file, never past the size its header declares (a gzip bomb stops
// there); a file of the other kind than `expected` is refused as its magic appears.
std::vector<uint8_t> gunzip(const std::string& path, const std::vector<uint8_t>& compressed, uint32_t expected) {
  z_stream stream{};
  // 16 + MAX_WBITS: expect a gzip header.
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) fail(path, "cannot start the gzip decoder");
  std::unique_ptr<z_stream, decltype(&inflateEnd)> guard(&stream, inflateEnd);
  stream.next_in = const_cast<Bytef*>(compressed.data());
  stream.avail_in = static_cast<uInt>(compressed.size());
  std::vector<uint8_t> out;
  uint64_t declared = 0;
  uint8_t chunk[1 << 16];
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    stream.next_out = chunk;
    stream.avail_out = sizeof(chunk);
    status = inflate(&stream, Z_NO_FLUSH);
    if (status == Z_NEED_DICT || status == Z_DATA_ERROR || status == Z_MEM_ERROR) {
      fail(path, std::string("corrupt gzip data (") + (stream.msg ? stream.msg : "inflate failed") + ")");
    }
    out.insert(out.end(), chunk, chunk + (sizeof(chunk) - stream.avail_out));
    if (out.size() >= 4) check_kind(path, read_be32(out, 0), expected);
    if (declared == 0) declared = declared_idx_size(path, out);
    if (declared != 0 && out.size() > declared) {
      fail(path, "decompresses to more than the " + std::to_string(declared) + " bytes its IDX header declares");
    }
    if (status == Z_BUF_ERROR || (status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0)) {
      fail(path, "truncated gzip data");
    }
  }
  return out;
}


// Checks the magic and the size of an IDX file and returns its dimensions; an image file's side is
// checked before its size.
std::vector<uint32_t> idx_dims(const std::string& path, const std::vector<uint8_t>& bytes,
                               uint32_t magic, const char* what) {
  if (bytes.size() < 4) fail(path, "too short to be an IDX file (" + std::to_string(bytes.size()) + " bytes)");
  const uint32_t found = read_be32(bytes, 0);
  check_kind(path, found, magic);
  if (found != magic) {
    fail(path, std::string("wrong magic number ") + hex(found) + ", expected " + hex(magic) +
                   " for an IDX " + what + " file");
  }
  const uint32_t ndims = magic & 0xff;
  const size_t header = 4 + 4 * size_t{ndims};
  if (bytes.size() < header) fail(path, "truncated IDX header");
  std::vector<uint32_t> dims(ndims);
  for (uint32_t d = 0; d < ndims; ++d) dims[d] = read_be32(bytes, 4 + 4 * d);
  if (magic == kImageMagic) check_image_side(path, dims[1], dims[2]);
  const uint64_t expected = idx_size_in_header(bytes);
  if (bytes.size() < expected) {
    fail(path, "truncated: " + std::to_string(bytes.size()) + " bytes, the header promises " +
                   std::to_string(expected));
  }
  if (bytes.size() > expected) {
    fail(path, std::to_string(bytes.size() - expected) + " bytes beyond what the header describes");
  }
  return dims;
}

}  // namespace

namespace {

// A raw or gzipped IDX file of the kind `expected` (0: either).
std::vector<uint8_t> read_idx_file(const std::string& path, uint32_t expected) {
  std::vector<uint8_t> bytes = read_raw(path, expected);
  if (bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b) return gunzip(path, bytes, expected);
  return bytes;
}

}  // namespace

std::vector<uint8_t> maybe_gunzip(std::vector<uint8_t> bytes, const std::string& source) {
  if (bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b) return gunzip(source, bytes, 0);
  return bytes;
}

std::vector<uint8_t> read_maybe_gzipped(const std::string& path) { return read_idx_file(path, 0); }

ImageSet parse_idx_images(const std::vector<uint8_t>& bytes, const std::string& path) {
  const std::vector<uint32_t> dims = idx_dims(path, bytes, kImageMagic, "image");
  if (dims[0] == 0) fail(path, "holds no images");
  ImageSet set;
  set.count = static_cast<int>(dims[0]);
  set.rows = kImageSide;
  set.cols = kImageSide;
  set.pixels.assign(bytes.begin() + 16, bytes.end());
  return set;
}

ImageSet read_idx_images(const std::string& path) { return parse_idx_images(read_idx_file(path, kImageMagic), path); }

std::vector<uint8_t> parse_idx_labels(const std::vector<uint8_t>& bytes, const std::string& path) {
  idx_dims(path, bytes, kLabelMagic, "label");
  std::vector<uint8_t> labels(bytes.begin() + 8, bytes.end());
  // MNIST and Fashion-MNIST have ten classes; a label past them would train a wrong one-hot digit.
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] > 9) fail(path, "label " + std::to_string(i) + " is " + std::to_string(labels[i]) + ", not a class from 0 to 9");
  }
  return labels;
}

std::vector<uint8_t> read_idx_labels(const std::string& path) { return parse_idx_labels(read_idx_file(path, kLabelMagic), path); }

namespace {

// A data set's file as it is in `dir`: NAME or NAME.gz, whichever is there (`usual` first, and
// named in the message when neither is).
std::string present_file(const std::string& dir, const std::string& name, bool usual_gzipped) {
  const std::string plain = dir + "/" + name, gzipped = plain + ".gz";
  const std::string& usual = usual_gzipped ? gzipped : plain;
  const std::string& other = usual_gzipped ? plain : gzipped;
  std::error_code error;
  return !std::filesystem::exists(usual, error) && std::filesystem::exists(other, error) ? other : usual;
}

DatasetFiles files_of(DatasetKind kind, const std::string& data_dir, const std::string& split) {
  const bool mnist = kind == DatasetKind::kMnist;
  const std::string dir = !mnist && data_dir.empty() ? kFashionMnistDir : data_dir;
  return {present_file(dir, split + "-images-idx3-ubyte", !mnist), present_file(dir, split + "-labels-idx1-ubyte", !mnist)};
}

}  // namespace

DatasetFiles training_files(DatasetKind kind, const std::string& data_dir) { return files_of(kind, data_dir, "train"); }

DatasetFiles test_files(DatasetKind kind, const std::string& data_dir) { return files_of(kind, data_dir, "t10k"); }

ImageSet load_labelled_images(const DatasetFiles& files) {
  ImageSet set = read_idx_images(files.images);
  set.labels = read_idx_labels(files.labels);
  if (set.labels.size() != static_cast<size_t>(set.count)) {
    GANVAS_THROW(files.images + " holds " + std::to_string(set.count) + " images but " + files.labels +
                 " holds " + std::to_string(set.labels.size()) + " labels");
  }
  return set;
}

ImageSet load_training_set(DatasetKind kind, const std::string& data_dir, bool use_all) {
  const DatasetFiles files = training_files(kind, data_dir);
  ImageSet set = load_labelled_images(files);
  if (!use_all) {
    if (set.count <= kValidationImages) {
      GANVAS_THROW(files.images + ": " + std::to_string(set.count) +
                   " images leave none for training after the 5,000 held out for validation");
    }
    const size_t skip = static_cast<size_t>(kValidationImages) * set.pixels_per_image();
    set.pixels.erase(set.pixels.begin(), set.pixels.begin() + static_cast<std::ptrdiff_t>(skip));
    set.labels.erase(set.labels.begin(), set.labels.begin() + kValidationImages);
    set.count -= kValidationImages;
  }
  return set;
}

std::vector<std::string> mnist_search_path() {
  const char* env = std::getenv("GANVAS_DATA_DIR");
  if (env && *env) return {env};
  std::vector<std::string> dirs = {"data/mnist", GANVAS_FETCHED_MNIST_DIR};
  const std::string user_dir = user_data_file("mnist");
  if (!user_dir.empty()) dirs.push_back(user_dir);
  return dirs;
}

std::string default_mnist_dir() {
  const std::vector<std::string> dirs = mnist_search_path();
  for (const std::string& dir : dirs) {
    if (std::filesystem::is_regular_file(training_files(DatasetKind::kMnist, dir).images)) return dir;
  }
  return dirs.front();
}

std::string describe_mnist_search() {
  std::string text = "Looked for MNIST in";
  const std::vector<std::string> dirs = mnist_search_path();
  for (size_t i = 0; i < dirs.size(); ++i) text += (i ? ", " : " ") + dirs[i];
  return text + " (--data-dir or GANVAS_DATA_DIR choose another folder).";
}

DatasetKind parse_dataset_kind(const std::string& name) {
  if (name == "mnist") return DatasetKind::kMnist;
  if (name == "fashion") return DatasetKind::kFashion;
  GANVAS_THROW("unknown data set '" + name + "' (expected mnist or fashion)");
}

const char* dataset_name(DatasetKind kind) { return kind == DatasetKind::kMnist ? "mnist" : "fashion"; }

}  // namespace ganvas
