// safetensors reading with every field checked before data is touched, and atomic writing.
#include "gan/io/safetensors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/printable.h"

namespace ganvas {
namespace {

// The budget of a header, checked before and while it is parsed: a ganvas checkpoint's header is a
// few KB (a two-layer model with its Adam state and every setting: under 8 KB), so these bounds
// leave room for any real file while a small file cannot make the parser allocate gigabytes.
constexpr uint64_t kMaxHeader = 1u << 20;
constexpr size_t kMaxTensors = 1024;
constexpr size_t kMaxMetadataEntries = 256;
constexpr size_t kMaxMetadataLength = 16u << 10;  // a key or a value
constexpr int kMaxDepth = 3;                       // {"name": {"shape": [..]}}
constexpr size_t kMaxJsonEvents = 1u << 16;        // a tensor's entry is about 20 (keys, values, brackets)

[[noreturn]] void fail(const std::string& source, const std::string& problem) {
  GANVAS_THROW(source + ": not a valid safetensors file: " + problem);
}

DType parse_dtype(const std::string& name, const std::string& source, const std::string& tensor) {
  if (name == "U8") return DType::kU8;
  if (name == "I64") return DType::kI64;
  if (name == "F16") return DType::kF16;
  if (name == "F32") return DType::kF32;
  if (name == "F64") return DType::kF64;
  fail(source, "tensor " + quote(tensor) + " has unsupported dtype " + quote(name));
}

template <class T>
T load_le(const uint8_t* p) {
  T value;
  std::memcpy(&value, p, sizeof(T));  // the build targets little-endian hosts only
  return value;
}

struct Span {
  uint64_t begin, end;
  std::string name;
};

Tensor parse_entry(const std::string& name, const nlohmann::json& entry, const std::string& source,
                   uint64_t data_size, std::vector<Span>& spans) {
  const std::string shown = "tensor " + quote(name);
  if (!entry.is_object() || !entry.contains("dtype") || !entry.contains("shape") ||
      !entry.contains("data_offsets")) {
    fail(source, shown + " lacks dtype, shape or data_offsets");
  }
  const auto& dtype = entry["dtype"];
  const auto& shape = entry["shape"];
  const auto& offsets = entry["data_offsets"];
  if (!dtype.is_string() || !shape.is_array() || !offsets.is_array() || offsets.size() != 2) {
    fail(source, shown + " has a malformed entry");
  }
  Tensor tensor;
  tensor.dtype = parse_dtype(dtype.get<std::string>(), source, name);
  uint64_t numel = 1;
  for (const auto& dim : shape) {
    if (!dim.is_number_unsigned()) fail(source, shown + " has a bad dimension");
    const uint64_t d = dim.get<uint64_t>();
    if (d != 0 && numel > (uint64_t{1} << 40) / d) fail(source, shown + " is too large");
    numel *= d;
    tensor.shape.push_back(static_cast<int64_t>(d));
  }
  if (!offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned()) {
    fail(source, shown + " has bad data_offsets");
  }
  const uint64_t begin = offsets[0].get<uint64_t>();
  const uint64_t end = offsets[1].get<uint64_t>();
  if (begin > end || end > data_size) {
    fail(source, shown + " points outside the file (offsets " + std::to_string(begin) +
                     ".." + std::to_string(end) + ", data is " + std::to_string(data_size) + " bytes)");
  }
  if (end - begin != numel * dtype_size(tensor.dtype)) {
    fail(source, shown + " has " + std::to_string(end - begin) +
                     " bytes of data but its shape and dtype need " +
                     std::to_string(numel * dtype_size(tensor.dtype)));
  }
  spans.push_back({begin, end, name});
  return tensor;
}

}  // namespace

size_t dtype_size(DType dtype) {
  switch (dtype) {
    case DType::kU8: return 1;
    case DType::kF16: return 2;
    case DType::kF32: return 4;
    case DType::kI64:
    case DType::kF64: return 8;
  }
  return 0;
}

const char* dtype_name(DType dtype) {
  switch (dtype) {
    case DType::kU8: return "U8";
    case DType::kI64: return "I64";
    case DType::kF16: return "F16";
    case DType::kF32: return "F32";
    case DType::kF64: return "F64";
  }
  return "?";
}

size_t Tensor::numel() const {
  size_t n = 1;
  for (int64_t d : shape) n *= static_cast<size_t>(d);
  return n;
}

std::vector<double> Tensor::to_doubles() const {
  std::vector<double> out(numel());
  const size_t step = dtype_size(dtype);
  for (size_t i = 0; i < out.size(); ++i) {
    const uint8_t* p = data.data() + i * step;
    switch (dtype) {
      case DType::kU8: out[i] = *p; break;
      case DType::kI64: out[i] = static_cast<double>(load_le<int64_t>(p)); break;
      case DType::kF16: out[i] = half_to_float(load_le<uint16_t>(p)); break;
      case DType::kF32: out[i] = load_le<float>(p); break;
      case DType::kF64: out[i] = load_le<double>(p); break;
    }
  }
  return out;
}

std::vector<float> Tensor::to_floats() const {
  if (dtype == DType::kF32) {
    std::vector<float> out(numel());
    if (!data.empty()) std::memcpy(out.data(), data.data(), data.size());
    return out;
  }
  const std::vector<double> d = to_doubles();
  return std::vector<float>(d.begin(), d.end());
}

const Tensor& SafetensorsFile::at(const std::string& name, const std::string& source) const {
  const auto it = tensors.find(name);
  if (it == tensors.end()) GANVAS_THROW(source + ": has no tensor named '" + name + "'");
  return it->second;
}

namespace {

// The header's length, read from the first 8 of `file_size` bytes, checked against both.
uint64_t header_length(const uint8_t* first8, uint64_t file_size, const std::string& source) {
  if (file_size < 8) fail(source, "shorter than the 8-byte header length");
  const uint64_t header_size = load_le<uint64_t>(first8);
  if (header_size > kMaxHeader) fail(source, "header length " + std::to_string(header_size) + " is implausible");
  if (header_size > file_size - 8) {
    fail(source, "header length " + std::to_string(header_size) + " runs past the end of the " +
                     std::to_string(file_size) + "-byte file");
  }
  return header_size;
}

}  // namespace

namespace {

// Parses a header's JSON within the budget: the parse stops at the first value past it, before the
// values are built, so a header of a million empty objects costs what its first few do.
nlohmann::json parse_header_json(const char* begin, uint64_t size, const std::string& source) {
  size_t events = 0;
  const auto within_budget = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json&) {
    if (depth == 0 && event == nlohmann::json::parse_event_t::array_start) fail(source, "header is not a JSON object");
    if (depth > kMaxDepth) fail(source, "header nests deeper than a safetensors header does");
    if (++events > kMaxJsonEvents) fail(source, "header holds more entries than a safetensors header of ganvas's does");
    return true;
  };
  try {
    return nlohmann::json::parse(begin, begin + size, within_budget);
  } catch (const nlohmann::json::exception& e) {
    fail(source, "header is not valid JSON (" + one_line_message(e.what(), 200) + ")");
  }
}

void add_metadata(SafetensorsFile& file, const nlohmann::json& entry, const std::string& source) {
  if (!entry.is_object()) fail(source, "__metadata__ is not an object");
  if (entry.size() > kMaxMetadataEntries) {
    fail(source, "__metadata__ has " + std::to_string(entry.size()) + " entries, more than the " +
                     std::to_string(kMaxMetadataEntries) + " a ganvas file can have");
  }
  for (const auto& [key, value] : entry.items()) {
    if (!value.is_string()) fail(source, "metadata " + quote(key) + " is not a string");
    if (key.size() > kMaxMetadataLength || value.get_ref<const std::string&>().size() > kMaxMetadataLength) {
      fail(source, "metadata " + quote(key) + " is longer than " + std::to_string(kMaxMetadataLength) + " bytes");
    }
    file.metadata[key] = value.get<std::string>();
  }
}

// Where each tensor's data lies, checked to cover `data_size` bytes exactly once.
void check_coverage(std::vector<Span>& spans, uint64_t data_size, const std::string& source) {
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  uint64_t cursor = 0;
  for (const Span& span : spans) {
    if (span.begin != cursor) fail(source, "tensor " + quote(span.name) + " overlaps another or leaves a gap");
    cursor = span.end;
  }
  if (cursor != data_size) {
    fail(source, std::to_string(data_size - cursor) + " bytes of data belong to no tensor (truncated or padded?)");
  }
}

// A file's header: its tensors (dtype and shape, no data yet) and metadata, and where each
// tensor's data lies among the `data_size` bytes after the header.
struct Layout {
  SafetensorsFile file;
  std::vector<Span> spans;
};

Layout parse_layout(const char* header_begin, uint64_t header_size, uint64_t data_size, const std::string& source) {
  const nlohmann::json header = parse_header_json(header_begin, header_size, source);
  if (!header.is_object()) fail(source, "header is not a JSON object");
  if (header.size() > kMaxTensors + 1) fail(source, "header lists more than " + std::to_string(kMaxTensors) + " tensors");
  Layout layout;
  for (const auto& [name, entry] : header.items()) {
    if (name == "__metadata__") {
      add_metadata(layout.file, entry, source);
    } else {
      layout.file.tensors[name] = parse_entry(name, entry, source, data_size, layout.spans);
    }
  }
  check_coverage(layout.spans, data_size, source);
  return layout;
}

// The tensors a caller asks for (all without `select`): the rest are dropped unread.
std::set<std::string> selected(Layout& layout, const TensorSelection& select) {
  std::set<std::string> names;
  if (select) {
    names = select(layout.file);
  } else {
    for (const auto& entry : layout.file.tensors) names.insert(entry.first);
  }
  for (auto it = layout.file.tensors.begin(); it != layout.file.tensors.end();) {
    it = names.count(it->first) ? std::next(it) : layout.file.tensors.erase(it);
  }
  return names;
}

}  // namespace

SafetensorsFile parse_safetensors(const std::vector<uint8_t>& bytes, const std::string& source,
                                  const TensorSelection& select) {
  const uint64_t header_size = header_length(bytes.data(), bytes.size(), source);
  const uint64_t data_offset = 8 + header_size;
  Layout layout = parse_layout(reinterpret_cast<const char*>(bytes.data() + 8), header_size,
                               bytes.size() - data_offset, source);
  const std::set<std::string> names = selected(layout, select);
  for (const Span& span : layout.spans) {
    if (!names.count(span.name)) continue;
    const uint8_t* begin = bytes.data() + data_offset + span.begin;
    layout.file.tensors[span.name].data.assign(begin, begin + (span.end - span.begin));
  }
  return std::move(layout.file);
}

SafetensorsFile read_safetensors(const std::string& path, const TensorSelection& select) {
  require_regular_file(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) GANVAS_THROW(path + ": cannot open (" + std::strerror(errno) + ")");
  in.seekg(0, std::ios::end);
  const std::streamoff file_size = in.tellg();
  in.seekg(0);
  if (file_size < 0) GANVAS_THROW(path + ": cannot read its size");
  // The header first, checked whole before any data is read: a file padded to gigabytes, or one
  // declaring a tensor of another shape, is refused unread.
  uint8_t first8[8] = {};
  in.read(reinterpret_cast<char*>(first8), std::min<std::streamoff>(file_size, 8));
  const uint64_t header_size = header_length(first8, static_cast<uint64_t>(file_size), path);
  std::string header(header_size, '\0');
  in.read(header.data(), static_cast<std::streamsize>(header_size));
  if (!in) GANVAS_THROW(path + ": read failed");
  const uint64_t data_offset = 8 + header_size;
  Layout layout = parse_layout(header.data(), header_size, static_cast<uint64_t>(file_size) - data_offset, path);
  const std::set<std::string> names = selected(layout, select);
  for (const Span& span : layout.spans) {
    if (!names.count(span.name)) continue;
    std::vector<uint8_t>& data = layout.file.tensors[span.name].data;
    data.resize(span.end - span.begin);
    in.seekg(static_cast<std::streamoff>(data_offset + span.begin));
    in.read(reinterpret_cast<char*>(data.data()), static_cast<std::streamsize>(data.size()));
    if (!in) GANVAS_THROW(path + ": read failed");
  }
  return std::move(layout.file);
}

std::vector<uint8_t> serialize_safetensors(const SafetensorsFile& file) {
  nlohmann::json header = nlohmann::json::object();
  if (!file.metadata.empty()) header["__metadata__"] = file.metadata;
  uint64_t offset = 0;
  for (const auto& [name, tensor] : file.tensors) {
    GANVAS_CHECK(tensor.data.size() == tensor.numel() * dtype_size(tensor.dtype),
                 "tensor '" + name + "' has a data size that does not match its shape");
    header[name] = {{"dtype", dtype_name(tensor.dtype)},
                    {"shape", tensor.shape},
                    {"data_offsets", {offset, offset + tensor.data.size()}}};
    offset += tensor.data.size();
  }
  // Text that is not UTF-8 (a path is any bytes) becomes U+FFFD: JSON holds UTF-8 only.
  std::string text = header.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text.append((8 - text.size() % 8) % 8, ' ');  // align the data to 8 bytes
  const uint64_t length = text.size();
  std::vector<uint8_t> bytes(8 + length + offset);
  std::memcpy(bytes.data(), &length, 8);
  std::memcpy(bytes.data() + 8, text.data(), length);
  uint8_t* data = bytes.data() + 8 + length;
  for (const auto& [name, tensor] : file.tensors) {
    data = std::copy(tensor.data.begin(), tensor.data.end(), data);  // an empty tensor has no data pointer
  }
  return bytes;
}

void write_safetensors(const std::string& path, const SafetensorsFile& file) {
  const std::vector<uint8_t> bytes = serialize_safetensors(file);
  write_file_atomically(path, bytes.data(), bytes.size());
}

float half_to_float(uint16_t half) {
  const uint32_t sign = static_cast<uint32_t>(half & 0x8000u) << 16;
  const uint32_t exponent = (half >> 10) & 0x1fu, mantissa = half & 0x3ffu;
  float magnitude;
  if (exponent == 0) {
    magnitude = std::ldexp(static_cast<float>(mantissa), -24);  // zero and subnormals
  } else if (exponent == 31) {
    magnitude = mantissa ? NAN : INFINITY;
  } else {
    magnitude = std::ldexp(static_cast<float>(mantissa | 0x400u), static_cast<int>(exponent) - 25);
  }
  float value = magnitude;
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  bits |= sign;
  std::memcpy(&value, &bits, sizeof(bits));
  return value;
}

uint16_t float_to_half(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  const uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000u);
  const float magnitude = std::fabs(value);
  if (std::isnan(value)) return static_cast<uint16_t>(sign | 0x7e00u);
  if (magnitude >= 65520.0f) return static_cast<uint16_t>(sign | 0x7c00u);  // rounds past the largest half
  if (magnitude < std::ldexp(1.0f, -14)) {  // subnormal halves: multiples of 2^-24
    return static_cast<uint16_t>(sign | static_cast<uint16_t>(std::nearbyint(std::ldexp(magnitude, 24))));
  }
  int exponent;
  const float fraction = std::frexp(magnitude, &exponent);  // magnitude = fraction * 2^exponent, fraction in [0.5, 1)
  uint32_t mantissa = static_cast<uint32_t>(std::nearbyint(std::ldexp(fraction, 11)));  // 1024..2048
  if (mantissa == 2048) {
    mantissa = 1024;
    ++exponent;
  }
  return static_cast<uint16_t>(sign | static_cast<uint16_t>((exponent + 14) << 10) | static_cast<uint16_t>(mantissa & 0x3ffu));
}

Tensor make_f16_tensor(std::vector<int64_t> shape, const float* values) {
  Tensor tensor;
  tensor.dtype = DType::kF16;
  tensor.shape = std::move(shape);
  tensor.data.resize(tensor.numel() * sizeof(uint16_t));
  for (size_t i = 0; i < tensor.numel(); ++i) {
    const uint16_t half = float_to_half(values[i]);
    std::memcpy(tensor.data.data() + i * sizeof(uint16_t), &half, sizeof(half));
  }
  return tensor;
}

Tensor make_f32_tensor(std::vector<int64_t> shape, const float* values) {
  Tensor tensor;
  tensor.dtype = DType::kF32;
  tensor.shape = std::move(shape);
  tensor.data.resize(tensor.numel() * sizeof(float));
  if (!tensor.data.empty()) std::memcpy(tensor.data.data(), values, tensor.data.size());
  return tensor;
}

}  // namespace ganvas
