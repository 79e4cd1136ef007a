// How good a generator's digits are, judged by the digit classifier: the Fréchet distance (FID) of
// its features to MNIST's test set, the classifier's Inception Score, and which digits it draws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gan/eval/classifier.h"
#include "gan/model/model.h"

namespace ganvas {

// Mean and covariance of feature rows, in double.
struct FeatureStats {
  int dim = 0;
  int count = 0;
  std::vector<double> mean;        // [dim]
  std::vector<double> covariance;  // [dim, dim], divided by count - 1
};

FeatureStats feature_stats(const std::vector<float>& features, int count, int dim);

// |mean_a - mean_b|^2 + tr(A + B - 2 (A^1/2 B A^1/2)^1/2), the square roots through symmetric
// eigendecompositions (negative rounding noise in eigenvalues taken as 0).
double frechet_distance(const FeatureStats& a, const FeatureStats& b);

// exp(mean over rows of KL(p(y|x) || p(y))): from 1 (one class, or no confidence) to `classes`.
double inception_score(const std::vector<float>& probabilities, int count, int classes);

// Which digits a set of images shows, by the classifier's vote.
struct DigitCoverage {
  std::vector<int> counts;  // per class; sums to the number of images
  double entropy_bits = 0;  // of the histogram: log2(10) = 3.32 when every digit is equally common
  int rarest = 0;           // the rarest class
  double rarest_share = 0;  // its share of the images
};

DigitCoverage digit_coverage(const std::vector<int>& predicted, int classes);

// How often samples asked to show a digit are read as that digit.
struct ClassAccuracy {
  double mean = 0;               // over all samples
  std::vector<double> per_digit; // per asked digit
  int worst = 0;                 // the digit read right least often
};

ClassAccuracy class_accuracy(const std::vector<int>& asked, const std::vector<int>& predicted, int classes);

struct QualityScores {
  int samples = 0;
  double fid = 0;
  double inception_score = 0;
  DigitCoverage coverage;
  std::optional<ClassAccuracy> class_accuracy;  // conditional models: samples ask for digit i % 10
};

// Judges image sets against MNIST's test set, whose feature statistics it computes once.
class QualityJudge {
 public:
  QualityJudge(Classifier classifier, const ImageSet& test_images);

  // Images [n, 784] in [0, 1].
  QualityScores judge(const float* images, int n) const;
  // Real images (for the floor: held-out training images against the test set).
  QualityScores judge(const ImageSet& images) const;
  // n samples of a generator, on the latents model_latents(shape, seed, n) gives (a conditional
  // model's sample i asks for digit i % 10, and its class accuracy is measured).
  QualityScores judge_generator(const ModelShape& shape, const std::vector<float>& generator, uint64_t seed,
                                int n) const;

  const Classifier& classifier() const { return classifier_; }
  const FeatureStats& test_stats() const { return test_stats_; }

 private:
  QualityScores judge(const ClassifierOutput& output) const;

  Classifier classifier_;
  FeatureStats test_stats_;
};

// The first n images of a set (labels too).
ImageSet first_images(const ImageSet& images, int n);

}  // namespace ganvas
