// The MNIST classifier that judges generated digits: a perceptron 784 -> 512 -> 256 -> 10 (ReLU
// between layers), trained with ganvas's own CPU layers. Its last hidden layer gives the features
// of the Fréchet distance, its class probabilities the Inception Score and the digit coverage.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "gan/io/dataset.h"
#include "gan/io/safetensors.h"

namespace ganvas {

// One fully connected layer's place in the parameter buffer: weight [out, in] then bias [out].
struct DenseSlot {
  int in = 0;
  int out = 0;
  size_t weight = 0;
  size_t bias() const { return weight + static_cast<size_t>(in) * out; }
  size_t end() const { return bias() + out; }
};

struct ClassifierShape {
  std::vector<int> widths = {784, 512, 256, 10};  // input, hidden layers, classes

  int inputs() const { return widths.front(); }
  int classes() const { return widths.back(); }
  int features() const { return widths[widths.size() - 2]; }  // the last hidden layer
  std::vector<DenseSlot> layers() const;
  size_t size() const { return layers().back().end(); }
};

struct Classifier {
  ClassifierShape shape;
  std::vector<float> params;  // every layer's weight then bias, in order
};

// What the classifier makes of n images.
struct ClassifierOutput {
  int count = 0;
  std::vector<float> features;       // [n, shape.features()]: the last hidden layer, after ReLU
  std::vector<float> probabilities;  // [n, classes]: softmax of the logits
};

// Images [n, 784] with pixels in [0, 1], as the generator draws them and MNIST's bytes / 255.
ClassifierOutput classify(const Classifier& classifier, const float* images, int n);
// The same for MNIST's bytes.
ClassifierOutput classify(const Classifier& classifier, const ImageSet& images);

// The most probable class of each row.
std::vector<int> predicted_classes(const ClassifierOutput& output);
// The share of `images` whose predicted class is their label.
double classifier_accuracy(const Classifier& classifier, const ImageSet& images);

struct ClassifierTraining {
  int epochs = 16;
  int batch = 128;
  float learning_rate = 1e-3f;  // Adam's, halved every `halve_every` epochs
  int halve_every = 4;
  int max_shift = 2;  // each training image moves by up to this many pixels in x and y
  uint64_t seed = 0;
};

// Trains a fresh classifier on labelled images; `on_epoch(epoch, mean loss)` after each epoch.
Classifier train_classifier(const ImageSet& images, const ClassifierTraining& training,
                            const std::function<void(int, double)>& on_epoch = {});

// Safetensors with PyTorch's nn.Sequential names (classifier.0.weight, .2., .4.), written atomically.
void save_classifier(const std::string& path, const Classifier& classifier);
Classifier classifier_from_file(const SafetensorsFile& file, const std::string& source);
Classifier load_classifier(const std::string& path);

// Softmax of one row of logits, in place.
void softmax_inplace(float* logits, int classes);

}  // namespace ganvas
