// Reads and writes safetensors files: an 8-byte header length, a JSON header, raw little-endian data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace ganvas {

enum class DType { kU8, kI64, kF16, kF32, kF64 };

size_t dtype_size(DType dtype);
const char* dtype_name(DType dtype);

struct Tensor {
  DType dtype = DType::kF32;
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;  // little-endian, as stored

  size_t numel() const;
  // The values as floats (F32 as is; F64 and integer types converted).
  std::vector<float> to_floats() const;
  std::vector<double> to_doubles() const;
};

struct SafetensorsFile {
  std::map<std::string, Tensor> tensors;
  std::map<std::string, std::string> metadata;

  // The named tensor; throws, naming `source`, when it is missing.
  const Tensor& at(const std::string& name, const std::string& source) const;
};

// Sees a file's header, its tensors (dtype and shape, no data yet) and metadata, before any data is
// read: throws to refuse the file, and returns the names of the tensors to read; the others are
// dropped unread.
using TensorSelection = std::function<std::set<std::string>(const SafetensorsFile& header)>;

// Parses and validates the bytes of a safetensors file; `source` names it in error messages. The
// header is checked whole (its size, at most 1 MiB; its values, tensors and metadata, counted as
// they are parsed; every tensor's place and size; data covered exactly once) before any tensor's
// data is touched, then `select` (all tensors without it).
SafetensorsFile parse_safetensors(const std::vector<uint8_t>& bytes, const std::string& source,
                                  const TensorSelection& select = {});
SafetensorsFile read_safetensors(const std::string& path, const TensorSelection& select = {});

// Serializes tensors (in name order) and string metadata.
std::vector<uint8_t> serialize_safetensors(const SafetensorsFile& file);
// Writes atomically: the old file stays whole if anything fails.
void write_safetensors(const std::string& path, const SafetensorsFile& file);

Tensor make_f32_tensor(std::vector<int64_t> shape, const float* values);
// IEEE half precision (rounded to nearest even; beyond its range: infinity), for smaller files.
Tensor make_f16_tensor(std::vector<int64_t> shape, const float* values);

// IEEE half precision to and from float.
float half_to_float(uint16_t half);
uint16_t float_to_half(float value);

}  // namespace ganvas
