// safetensors reading with every field checked before data is touched, and atomic writing.
#include "gan/safetensors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <optional>

#include "common/atomic_file.h"
#include "common/error.h"

namespace ganvas {
namespace {

constexpr uint64_t kMaxHeader = 100u << 20;  // as the reference implementation

[[noreturn]] void fail(const std::string& source, const std::string& problem) {
  GANVAS_THROW(source + ": not a valid safetensors file: " + problem);
}

DType parse_dtype(const std::string& name, const std::string& source, const std::string& tensor) {
  if (name == "U8") return DType::kU8;
  if (name == "I64") return DType::kI64;
  if (name == "F16") return DType::kF16;
  if (name == "F32") return DType::kF32;
  if (name == "F64") return DType::kF64;
  fail(source, "tensor '" + tensor + "' has unsupported dtype '" + name + "'");
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
  if (!entry.is_object() || !entry.contains("dtype") || !entry.contains("shape") ||
      !entry.contains("data_offsets")) {
    fail(source, "tensor '" + name + "' lacks dtype, shape or data_offsets");
  }
  const auto& dtype = entry["dtype"];
  const auto& shape = entry["shape"];
  const auto& offsets = entry["data_offsets"];
  if (!dtype.is_string() || !shape.is_array() || !offsets.is_array() || offsets.size() != 2) {
    fail(source, "tensor '" + name + "' has a malformed entry");
  }
  Tensor tensor;
  tensor.dtype = parse_dtype(dtype.get<std::string>(), source, name);
  uint64_t numel = 1;
  for (const auto& dim : shape) {
    if (!dim.is_number_unsigned()) fail(source, "tensor '" + name + "' has a bad dimension");
    const uint64_t d = dim.get<uint64_t>();
    if (d != 0 && numel > (uint64_t{1} << 40) / d) fail(source, "tensor '" + name + "' is too large");
    numel *= d;
    tensor.shape.push_back(static_cast<int64_t>(d));
  }
  if (!offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned()) {
    fail(source, "tensor '" + name + "' has bad data_offsets");
  }
  const uint64_t begin = offsets[0].get<uint64_t>();
  const uint64_t end = offsets[1].get<uint64_t>();
  if (begin > end || end > data_size) {
    fail(source, "tensor '" + name + "' points outside the file (offsets " + std::to_string(begin) +
                     ".." + std::to_string(end) + ", data is " + std::to_string(data_size) + " bytes)");
  }
  if (end - begin != numel * dtype_size(tensor.dtype)) {
    fail(source, "tensor '" + name + "' has " + std::to_string(end - begin) +
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

SafetensorsFile parse_safetensors(const std::vector<uint8_t>& bytes, const std::string& source) {
  const uint64_t header_size = header_length(bytes.data(), bytes.size(), source);
  const char* header_begin = reinterpret_cast<const char*>(bytes.data() + 8);
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(header_begin, header_begin + header_size);
  } catch (const nlohmann::json::exception& e) {
    fail(source, std::string("header is not valid JSON (") + e.what() + ")");
  }
  if (!header.is_object()) fail(source, "header is not a JSON object");

  const uint64_t data_offset = 8 + header_size;
  const uint64_t data_size = bytes.size() - data_offset;
  SafetensorsFile file;
  std::vector<Span> spans;
  for (const auto& [name, entry] : header.items()) {
    if (name == "__metadata__") {
      if (!entry.is_object()) fail(source, "__metadata__ is not an object");
      for (const auto& [key, value] : entry.items()) {
        if (!value.is_string()) fail(source, "metadata '" + key + "' is not a string");
        file.metadata[key] = value.get<std::string>();
      }
      continue;
    }
    file.tensors[name] = parse_entry(name, entry, source, data_size, spans);
  }
  // The data must be covered exactly once, without holes or overlaps.
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  uint64_t cursor = 0;
  for (const Span& span : spans) {
    if (span.begin != cursor) fail(source, "tensor '" + span.name + "' overlaps another or leaves a gap");
    cursor = span.end;
  }
  if (cursor != data_size) {
    fail(source, std::to_string(data_size - cursor) + " bytes of data belong to no tensor (truncated or padded?)");
  }
  for (const Span& span : spans) {
    Tensor& tensor = file.tensors[span.name];
    const uint8_t* begin = bytes.data() + data_offset + span.begin;
    tensor.data.assign(begin, begin + (span.end - span.begin));
  }
  return file;
}

namespace {

// The bytes of data a header declares: the largest end of its tensors' data_offsets (0 for none),
// or nothing when the header is not what parse_safetensors accepts (it then says why).
std::optional<uint64_t> declared_data_size(const char* header, uint64_t size) {
  uint64_t end = 0;
  try {
    const nlohmann::json json = nlohmann::json::parse(header, header + size);
    if (!json.is_object()) return std::nullopt;
    for (const auto& [name, entry] : json.items()) {
      if (name == "__metadata__" || !entry.is_object() || !entry.contains("data_offsets")) continue;
      const auto& offsets = entry["data_offsets"];
      if (!offsets.is_array() || offsets.size() != 2 || !offsets[1].is_number_unsigned()) return std::nullopt;
      end = std::max(end, offsets[1].get<uint64_t>());
    }
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
  return end;
}

}  // namespace

SafetensorsFile read_safetensors(const std::string& path) {
  require_regular_file(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) GANVAS_THROW(path + ": cannot open (" + std::strerror(errno) + ")");
  in.seekg(0, std::ios::end);
  const std::streamoff file_size = in.tellg();
  in.seekg(0);
  if (file_size < 0) GANVAS_THROW(path + ": cannot read its size");
  // The header first: a file longer than its tensors (padded to gigabytes) is refused unread.
  std::vector<uint8_t> bytes(std::min<uint64_t>(static_cast<uint64_t>(file_size), 8));
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  const uint64_t header_size = header_length(bytes.data(), static_cast<uint64_t>(file_size), path);
  bytes.resize(8 + header_size);
  in.read(reinterpret_cast<char*>(bytes.data() + 8), static_cast<std::streamsize>(header_size));
  const std::optional<uint64_t> declared = declared_data_size(reinterpret_cast<const char*>(bytes.data() + 8), header_size);
  const uint64_t data_size = static_cast<uint64_t>(file_size) - 8 - header_size;
  if (declared && data_size > *declared) {  // (a header it cannot read: the whole parse says why)
    fail(path, std::to_string(data_size - *declared) + " bytes of data belong to no tensor (truncated or padded?)");
  }
  const size_t have = bytes.size();
  bytes.resize(static_cast<size_t>(file_size));
  in.read(reinterpret_cast<char*>(bytes.data() + have), static_cast<std::streamsize>(bytes.size() - have));
  if (!in) GANVAS_THROW(path + ": read failed");
  return parse_safetensors(bytes, path);
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
  std::string text = header.dump();
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
