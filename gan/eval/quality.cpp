// Feature statistics, the Fréchet distance through Eigen's symmetric eigensolver, the Inception
// Score and the digit histogram.
#include "gan/eval/quality.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "common/stop_signal.h"
#include "gan/model/sampler.h"

namespace ganvas {

FeatureStats feature_stats(const std::vector<float>& features, int count, int dim) {
  stop_point();  // eval gives up at a stop (a covariance of 60,000 rows takes a while); train and the window never do
  GANVAS_CHECK(count >= 2, "feature statistics need at least two samples");
  GANVAS_CHECK(features.size() == static_cast<size_t>(count) * dim, "features do not match count x dim");
  const Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> rows(
      features.data(), count, dim);
  const Eigen::MatrixXd x = rows.cast<double>();
  const Eigen::RowVectorXd mean = x.colwise().mean();
  const Eigen::MatrixXd centred = x.rowwise() - mean;
  const Eigen::MatrixXd covariance = (centred.transpose() * centred) / static_cast<double>(count - 1);
  FeatureStats stats;
  stats.dim = dim;
  stats.count = count;
  stats.mean.assign(mean.data(), mean.data() + dim);
  stats.covariance.assign(covariance.data(), covariance.data() + static_cast<size_t>(dim) * dim);  // symmetric
  return stats;
}

namespace {

// The symmetric positive semi-definite square root, eigenvalues below zero (rounding) taken as zero.
Eigen::MatrixXd psd_sqrt(const Eigen::MatrixXd& m) {
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(m);
  GANVAS_CHECK(eigen.info() == Eigen::Success, "the eigendecomposition of a covariance did not converge");
  const Eigen::VectorXd roots = eigen.eigenvalues().cwiseMax(0.0).cwiseSqrt();
  return eigen.eigenvectors() * roots.asDiagonal() * eigen.eigenvectors().transpose();
}

// tr(M^1/2) of a symmetric positive semi-definite matrix.
double trace_of_sqrt(const Eigen::MatrixXd& m) {
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(m, Eigen::EigenvaluesOnly);
  GANVAS_CHECK(eigen.info() == Eigen::Success, "the eigendecomposition of a covariance did not converge");
  return eigen.eigenvalues().cwiseMax(0.0).cwiseSqrt().sum();
}

}  // namespace

double frechet_distance(const FeatureStats& a, const FeatureStats& b) {
  stop_point();
  GANVAS_CHECK(a.dim == b.dim && a.dim > 0, "the two feature sets have different dimensions");
  const int d = a.dim;
  const Eigen::Map<const Eigen::VectorXd> mean_a(a.mean.data(), d), mean_b(b.mean.data(), d);
  const Eigen::Map<const Eigen::MatrixXd> cov_a(a.covariance.data(), d, d), cov_b(b.covariance.data(), d, d);
  const Eigen::MatrixXd root_a = psd_sqrt(cov_a);
  Eigen::MatrixXd middle = root_a * cov_b * root_a;
  middle = 0.5 * (middle + middle.transpose());
  const double distance =
      (mean_a - mean_b).squaredNorm() + cov_a.trace() + cov_b.trace() - 2.0 * trace_of_sqrt(middle);
  return std::max(0.0, distance);
}

double inception_score(const std::vector<float>& probabilities, int count, int classes) {
  GANVAS_CHECK(count > 0 && probabilities.size() == static_cast<size_t>(count) * classes,
               "probabilities do not match count x classes");
  std::vector<double> marginal(static_cast<size_t>(classes), 0.0);
  for (int r = 0; r < count; ++r) {
    for (int k = 0; k < classes; ++k) marginal[k] += probabilities[static_cast<size_t>(r) * classes + k] / count;
  }
  double kl_sum = 0;
  for (int r = 0; r < count; ++r) {
    for (int k = 0; k < classes; ++k) {
      const double p = probabilities[static_cast<size_t>(r) * classes + k];
      if (p > 0) kl_sum += p * (std::log(p) - std::log(marginal[k]));
    }
  }
  return std::exp(kl_sum / count);
}

DigitCoverage digit_coverage(const std::vector<int>& predicted, int classes) {
  DigitCoverage coverage;
  coverage.counts.assign(static_cast<size_t>(classes), 0);
  for (int c : predicted) {
    GANVAS_CHECK(c >= 0 && c < classes, "a predicted class is out of range");
    ++coverage.counts[c];
  }
  const double total = static_cast<double>(predicted.size());
  if (total == 0) return coverage;
  for (int count : coverage.counts) {
    if (count) coverage.entropy_bits -= count / total * std::log2(count / total);
  }
  coverage.rarest = static_cast<int>(std::min_element(coverage.counts.begin(), coverage.counts.end()) -
                                     coverage.counts.begin());
  coverage.rarest_share = coverage.counts[coverage.rarest] / total;
  return coverage;
}

ClassAccuracy class_accuracy(const std::vector<int>& asked, const std::vector<int>& predicted, int classes) {
  GANVAS_CHECK(asked.size() == predicted.size() && !asked.empty(), "one prediction per asked digit");
  std::vector<int> right(static_cast<size_t>(classes), 0), total(static_cast<size_t>(classes), 0);
  int all_right = 0;
  for (size_t i = 0; i < asked.size(); ++i) {
    ++total[asked[i]];
    right[asked[i]] += asked[i] == predicted[i];
    all_right += asked[i] == predicted[i];
  }
  ClassAccuracy accuracy;
  accuracy.mean = static_cast<double>(all_right) / asked.size();
  for (int c = 0; c < classes; ++c) accuracy.per_digit.push_back(total[c] ? static_cast<double>(right[c]) / total[c] : 0.0);
  accuracy.worst = static_cast<int>(std::min_element(accuracy.per_digit.begin(), accuracy.per_digit.end()) -
                                    accuracy.per_digit.begin());
  return accuracy;
}

QualityJudge::QualityJudge(Classifier classifier, const ImageSet& test_images) : classifier_(std::move(classifier)) {
  const ClassifierOutput test = classify(classifier_, test_images);
  test_stats_ = feature_stats(test.features, test.count, classifier_.shape.features());
}

QualityScores QualityJudge::judge(const ClassifierOutput& output) const {
  QualityScores scores;
  scores.samples = output.count;
  scores.fid = frechet_distance(feature_stats(output.features, output.count, classifier_.shape.features()), test_stats_);
  scores.inception_score = inception_score(output.probabilities, output.count, classifier_.shape.classes());
  scores.coverage = digit_coverage(predicted_classes(output), classifier_.shape.classes());
  return scores;
}

QualityScores QualityJudge::judge(const float* images, int n) const { return judge(classify(classifier_, images, n)); }

QualityScores QualityJudge::judge(const ImageSet& images) const { return judge(classify(classifier_, images)); }

QualityScores QualityJudge::judge_generator(const ModelShape& shape, const std::vector<float>& generator,
                                            uint64_t seed, int n) const {
  const std::vector<float> latents = model_latents(shape, seed, n);
  const std::vector<float> images = generate_images(shape, generator, latents, n);
  const ClassifierOutput output = classify(classifier_, images.data(), n);
  QualityScores scores = judge(output);
  if (shape.conditional()) {  // how often the classifier reads the digit that was asked for
    const std::vector<int> predicted = predicted_classes(output);
    std::vector<int> asked(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) asked[i] = latent_digit(shape, latents.data() + static_cast<size_t>(i) * shape.latent());
    scores.class_accuracy = class_accuracy(asked, predicted, classifier_.shape.classes());
  }
  return scores;
}

ImageSet first_images(const ImageSet& images, int n) {
  GANVAS_CHECK(n >= 0 && n <= images.count, "asked for more images than the set holds");
  ImageSet first;
  first.count = n;
  first.rows = images.rows;
  first.cols = images.cols;
  first.pixels.assign(images.pixels.begin(), images.pixels.begin() + static_cast<std::ptrdiff_t>(n) * images.pixels_per_image());
  if (!images.labels.empty()) first.labels.assign(images.labels.begin(), images.labels.begin() + n);
  return first;
}

}  // namespace ganvas
