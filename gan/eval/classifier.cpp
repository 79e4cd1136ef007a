// The digit classifier: forward pass, softmax cross-entropy training with Adam and shifted images,
// and its safetensors file.
#include "gan/eval/classifier.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "common/error.h"
#include "common/stop_signal.h"
#include "gan/io/checkpoint.h"
#include "gan/model/cpu_ops.h"
#include "gan/math/gan_math.h"
#include "gan/model/model.h"
#include "gan/io/safetensors.h"

namespace ganvas {

std::vector<DenseSlot> ClassifierShape::layers() const {
  std::vector<DenseSlot> slots;
  size_t offset = 0;
  for (size_t i = 0; i + 1 < widths.size(); ++i) {
    slots.push_back({widths[i], widths[i + 1], offset});
    offset = slots.back().end();
  }
  return slots;
}

void softmax_inplace(float* logits, int classes) {
  const float top = *std::max_element(logits, logits + classes);
  float sum = 0.0f;
  for (int k = 0; k < classes; ++k) sum += logits[k] = std::exp(logits[k] - top);
  for (int k = 0; k < classes; ++k) logits[k] /= sum;
}

namespace {

// Every layer's output for n rows: hidden layers after ReLU, the last as logits.
void forward(const Classifier& c, const float* x, int n, std::vector<std::vector<float>>& outputs) {
  const std::vector<DenseSlot> layers = c.shape.layers();
  outputs.resize(layers.size());
  const float* input = x;
  for (size_t l = 0; l < layers.size(); ++l) {
    const DenseSlot& s = layers[l];
    outputs[l].resize(static_cast<size_t>(n) * s.out);
    const float* w = c.params.data() + s.weight;
    const float* b = c.params.data() + s.bias();
    float* y = outputs[l].data();
    if (l + 1 < layers.size()) cpu::linear_activate_forward(Activation::kRelu, input, n, s.in, w, b, s.out, y);
    else cpu::linear_forward(input, n, s.in, w, b, s.out, y);
    input = outputs[l].data();
  }
}

// Appends the features and probabilities of n rows to `out`.
void classify_rows(const Classifier& c, const float* x, int n, std::vector<std::vector<float>>& outputs,
                   ClassifierOutput& out) {
  forward(c, x, n, outputs);
  const std::vector<float>& features = outputs[outputs.size() - 2];
  std::vector<float>& logits = outputs.back();
  for (int r = 0; r < n; ++r) softmax_inplace(logits.data() + static_cast<size_t>(r) * c.shape.classes(), c.shape.classes());
  out.features.insert(out.features.end(), features.begin(), features.end());
  out.probabilities.insert(out.probabilities.end(), logits.begin(), logits.end());
  out.count += n;
}

constexpr int kRowsPerPass = 1000;

void to_unit(const uint8_t* pixels, size_t count, float* out) {
  for (size_t i = 0; i < count; ++i) out[i] = pixel_to_unit(pixels[i]);
}

}  // namespace

ClassifierOutput classify(const Classifier& c, const float* images, int n) {
  ClassifierOutput out;
  std::vector<std::vector<float>> outputs;
  for (int first = 0; first < n; first += kRowsPerPass) {
    stop_point();  // eval gives up here at a stop; the window's and train's judges never do
    const int rows = std::min(kRowsPerPass, n - first);
    classify_rows(c, images + static_cast<size_t>(first) * c.shape.inputs(), rows, outputs, out);
  }
  return out;
}

ClassifierOutput classify(const Classifier& c, const ImageSet& images) {
  GANVAS_CHECK(images.pixels_per_image() == c.shape.inputs(), "the images do not match the classifier's input size");
  ClassifierOutput out;
  std::vector<std::vector<float>> outputs;
  std::vector<float> rows_unit;
  for (int first = 0; first < images.count; first += kRowsPerPass) {
    stop_point();
    const int rows = std::min(kRowsPerPass, images.count - first);
    rows_unit.resize(static_cast<size_t>(rows) * c.shape.inputs());
    to_unit(images.image(first), rows_unit.size(), rows_unit.data());
    classify_rows(c, rows_unit.data(), rows, outputs, out);
  }
  return out;
}

std::vector<int> predicted_classes(const ClassifierOutput& output) {
  const int classes = output.count ? static_cast<int>(output.probabilities.size() / output.count) : 0;
  std::vector<int> predicted(static_cast<size_t>(output.count));
  for (int r = 0; r < output.count; ++r) {
    const float* p = output.probabilities.data() + static_cast<size_t>(r) * classes;
    predicted[r] = static_cast<int>(std::max_element(p, p + classes) - p);
  }
  return predicted;
}

double classifier_accuracy(const Classifier& classifier, const ImageSet& images) {
  GANVAS_CHECK(images.labels.size() == static_cast<size_t>(images.count), "the images have no labels");
  const std::vector<int> predicted = predicted_classes(classify(classifier, images));
  int right = 0;
  for (int i = 0; i < images.count; ++i) right += predicted[i] == images.labels[i];
  return images.count ? static_cast<double>(right) / images.count : 0.0;
}

namespace {

// He-initialised weights, zero biases.
std::vector<float> initial_classifier_params(const ClassifierShape& shape, std::mt19937_64& rng) {
  std::vector<float> params(shape.size(), 0.0f);
  for (const DenseSlot& s : shape.layers()) {
    std::normal_distribution<float> normal(0.0f, std::sqrt(2.0f / static_cast<float>(s.in)));
    for (size_t i = s.weight; i < s.bias(); ++i) params[i] = normal(rng);
  }
  return params;
}

// A 28 x 28 image moved by (dx, dy) pixels, zeros where it moved away, as floats in [0, 1].
void shifted_image(const uint8_t* image, int side, int dx, int dy, float* out) {
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) {
      const int sx = x - dx, sy = y - dy;
      const bool inside = sx >= 0 && sx < side && sy >= 0 && sy < side;
      out[y * side + x] = inside ? pixel_to_unit(image[sy * side + sx]) : 0.0f;
    }
  }
}

// Training buffers and Adam's state for one classifier.
struct ClassifierTrainer {
  explicit ClassifierTrainer(Classifier& classifier) : c(classifier) {}

  Classifier& c;
  std::vector<DenseSlot> layers = c.shape.layers();
  std::vector<float> grads = std::vector<float>(c.params.size());
  std::vector<float> m = std::vector<float>(c.params.size()), v = std::vector<float>(c.params.size());
  AdamPowers powers;
  std::vector<std::vector<float>> outputs;
  std::vector<float> delta, delta_below;

  // One Adam step on a batch [n, inputs]; returns its mean cross-entropy.
  double step(const float* x, const uint8_t* labels, int n, const AdamConfig& adam) {
    forward(c, x, n, outputs);
    const double loss = output_gradient(labels, n);
    for (size_t l = layers.size(); l-- > 0;) {
      const DenseSlot& s = layers[l];
      const float* input = l ? outputs[l - 1].data() : x;
      cpu::linear_param_grads(delta.data(), input, n, s.in, s.out, grads.data() + s.weight, grads.data() + s.bias());
      if (l == 0) break;
      delta_below.resize(static_cast<size_t>(n) * s.in);
      cpu::linear_input_grad_through(Activation::kRelu, outputs[l - 1].data(), delta.data(), c.params.data() + s.weight,
                                     n, s.in, s.out, delta_below.data());
      delta.swap(delta_below);
    }
    powers = adam_next_powers(powers, adam);
    cpu::adam_apply(c.params.data(), m.data(), v.data(), grads.data(), c.params.size(), adam, powers);
    return loss;
  }

  // d mean cross-entropy / d logits = (softmax - one-hot) / n, into `delta`; returns the loss.
  double output_gradient(const uint8_t* labels, int n) {
    const int classes = c.shape.classes();
    delta = outputs.back();
    double loss = 0;
    for (int r = 0; r < n; ++r) {
      float* row = delta.data() + static_cast<size_t>(r) * classes;
      softmax_inplace(row, classes);
      loss -= std::log(std::max(row[labels[r]], 1e-30f));
      row[labels[r]] -= 1.0f;
      for (int k = 0; k < classes; ++k) row[k] /= static_cast<float>(n);
    }
    return loss / n;
  }
};

}  // namespace

Classifier train_classifier(const ImageSet& images, const ClassifierTraining& training,
                            const std::function<void(int, double)>& on_epoch) {
  GANVAS_CHECK(images.count > 0 && images.labels.size() == static_cast<size_t>(images.count),
               "the classifier needs labelled images");
  GANVAS_CHECK(images.rows == kImageSide && images.cols == kImageSide, "the classifier takes 28 x 28 images");
  for (uint8_t label : images.labels) GANVAS_CHECK(label < 10, "a label is not a digit (0-9)");
  std::mt19937_64 rng(training.seed);
  Classifier c;
  c.params = initial_classifier_params(c.shape, rng);
  ClassifierTrainer trainer(c);
  std::vector<int> order(static_cast<size_t>(images.count));
  std::iota(order.begin(), order.end(), 0);
  std::uniform_int_distribution<int> shift(-training.max_shift, training.max_shift);
  std::vector<float> x(static_cast<size_t>(training.batch) * c.shape.inputs());
  std::vector<uint8_t> labels(static_cast<size_t>(training.batch));
  AdamConfig adam;
  for (int epoch = 0; epoch < training.epochs; ++epoch) {
    adam.lr = training.learning_rate * std::pow(0.5f, static_cast<float>(epoch / std::max(1, training.halve_every)));
    std::shuffle(order.begin(), order.end(), rng);
    double loss = 0;
    int batches = 0;
    for (int first = 0; first < images.count; first += training.batch, ++batches) {
      stop_point();  // train-classifier gives up at a stop (an epoch takes a second or more)
      const int n = std::min(training.batch, images.count - first);
      for (int r = 0; r < n; ++r) {
        const int i = order[first + r];
        shifted_image(images.image(i), kImageSide, shift(rng), shift(rng), x.data() + static_cast<size_t>(r) * c.shape.inputs());
        labels[r] = images.labels[i];
      }
      loss += trainer.step(x.data(), labels.data(), n, adam);
    }
    if (on_epoch) on_epoch(epoch + 1, loss / batches);
  }
  return c;
}

namespace {

constexpr int kMaxWidth = 1 << 16;

std::string layer_name(size_t layer, const char* part) {
  return "classifier." + std::to_string(2 * layer) + "." + part;
}

}  // namespace

void save_classifier(const std::string& path, const Classifier& c) {
  SafetensorsFile file;
  const std::vector<DenseSlot> layers = c.shape.layers();
  for (size_t l = 0; l < layers.size(); ++l) {
    const DenseSlot& s = layers[l];
    file.tensors[layer_name(l, "weight")] = make_f32_tensor({s.out, s.in}, c.params.data() + s.weight);
    file.tensors[layer_name(l, "bias")] = make_f32_tensor({s.out}, c.params.data() + s.bias());
  }
  file.metadata["format"] = "ganvas-mnist-classifier";
  write_safetensors(path, file);
}

Classifier classifier_from_file(const SafetensorsFile& file, const std::string& source) {
  Classifier c;
  c.shape.widths = {kImageSide * kImageSide};
  for (size_t l = 0; file.tensors.count(layer_name(l, "weight")); ++l) {
    const Tensor& w = file.at(layer_name(l, "weight"), source);
    GANVAS_CHECK(w.shape.size() == 2 && w.shape[1] == c.shape.widths.back() && w.shape[0] >= 1 && w.shape[0] <= kMaxWidth,
                 source + ": " + layer_name(l, "weight") + " does not continue the layer before it");
    c.shape.widths.push_back(static_cast<int>(w.shape[0]));
  }
  GANVAS_CHECK(c.shape.widths.size() >= 3 && c.shape.classes() == 10,
               source + ": not a digit classifier (expected classifier.0.weight [H, 784] ... with 10 outputs)");
  c.params.assign(c.shape.size(), 0.0f);
  const std::vector<DenseSlot> layers = c.shape.layers();
  for (size_t l = 0; l < layers.size(); ++l) {
    const Tensor& b = file.at(layer_name(l, "bias"), source);
    GANVAS_CHECK(b.shape == std::vector<int64_t>{layers[l].out}, source + ": " + layer_name(l, "bias") + " has the wrong shape");
    const std::vector<float> w = file.at(layer_name(l, "weight"), source).to_floats();
    const std::vector<float> bias = b.to_floats();
    std::copy(w.begin(), w.end(), c.params.begin() + static_cast<std::ptrdiff_t>(layers[l].weight));
    std::copy(bias.begin(), bias.end(), c.params.begin() + static_cast<std::ptrdiff_t>(layers[l].bias()));
  }
  GANVAS_CHECK(count_non_finite(c.params) == 0, source + ": the classifier's weights are not all finite");
  return c;
}

Classifier load_classifier(const std::string& path) { return classifier_from_file(read_safetensors(path), path); }

}  // namespace ganvas
