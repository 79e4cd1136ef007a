// The digit classifier and the quality scores: the Fréchet distance against closed forms, the
// Inception Score's bounds, the histogram, the shipped classifier's accuracy, and that the scores
// tell a good generator from a constant one.
#include <gtest/gtest.h>

#include <cmath>
#include <algorithm>
#include <random>
#include <sstream>

#include "common/error.h"
#include "gan/eval/bundled_classifier.h"
#include "gan/io/checkpoint.h"
#include "gan/eval/metrics_log.h"
#include "gan/eval/quality.h"
#include "test_support.h"

namespace ganvas {
namespace {

// n rows of dim features drawn from Normal(mean, diag(stddev^2)).
std::vector<float> gaussian_rows(int n, int dim, double mean, double stddev, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(mean, stddev);
  std::vector<float> rows(static_cast<size_t>(n) * dim);
  for (float& x : rows) x = static_cast<float>(normal(rng));
  return rows;
}

FeatureStats stats_of(std::vector<double> mean, std::vector<double> covariance) {
  FeatureStats s;
  s.dim = static_cast<int>(mean.size());
  s.count = 2;
  s.mean = std::move(mean);
  s.covariance = std::move(covariance);
  return s;
}

TEST(Frechet, ASetAgainstItselfIsZero) {
  const std::vector<float> rows = gaussian_rows(500, 16, 0.3, 1.7, 1);
  const FeatureStats s = feature_stats(rows, 500, 16);
  EXPECT_NEAR(frechet_distance(s, s), 0.0, 1e-8);
}

TEST(Frechet, IsotropicGaussiansGiveTheClosedForm) {
  // N(m1, a^2 I) against N(m2, b^2 I) in d dimensions: d (m1 - m2)^2 + d (a - b)^2.
  const int d = 8;
  const FeatureStats a = stats_of(std::vector<double>(d, 1.0), [&] {
    std::vector<double> c(d * d, 0.0);
    for (int i = 0; i < d; ++i) c[i * d + i] = 4.0;
    return c;
  }());
  const FeatureStats b = stats_of(std::vector<double>(d, -0.5), [&] {
    std::vector<double> c(d * d, 0.0);
    for (int i = 0; i < d; ++i) c[i * d + i] = 0.25;
    return c;
  }());
  EXPECT_NEAR(frechet_distance(a, b), d * 1.5 * 1.5 + d * 1.5 * 1.5, 1e-9);
}

TEST(Frechet, NonCommutingCovariancesGiveTheClosedForm) {
  // For 2 x 2 matrices tr (A^1/2 B A^1/2)^1/2 = sqrt(tr(AB) + 2 sqrt(det(AB))).
  const std::vector<double> A = {2.0, 0.6, 0.6, 1.0}, B = {0.5, -0.3, -0.3, 1.5};
  const double trace_ab = A[0] * B[0] + A[1] * B[2] + A[2] * B[1] + A[3] * B[3];
  const double det_ab = (A[0] * A[3] - A[1] * A[2]) * (B[0] * B[3] - B[1] * B[2]);
  const double expected = (0.2 * 0.2 + 0.7 * 0.7) + (3.0 + 2.0) - 2.0 * std::sqrt(trace_ab + 2.0 * std::sqrt(det_ab));
  EXPECT_NEAR(frechet_distance(stats_of({0.1, 0.2}, A), stats_of({-0.1, 0.9}, B)), expected, 1e-9);
  EXPECT_NEAR(frechet_distance(stats_of({-0.1, 0.9}, B), stats_of({0.1, 0.2}, A)), expected, 1e-9);
}

TEST(Frechet, SampleStatisticsApproachTheClosedForm) {
  const FeatureStats a = feature_stats(gaussian_rows(20000, 4, 0.0, 1.0, 2), 20000, 4);
  const FeatureStats b = feature_stats(gaussian_rows(20000, 4, 1.0, 2.0, 3), 20000, 4);
  EXPECT_NEAR(frechet_distance(a, b), 4 * 1.0 + 4 * 1.0, 0.25);
}

TEST(InceptionScore, RunsFromOneToTheNumberOfClasses) {
  std::vector<float> uniform(100 * 10, 0.1f);
  EXPECT_NEAR(inception_score(uniform, 100, 10), 1.0, 1e-6);
  std::vector<float> one_class(100 * 10, 0.0f), every_class(100 * 10, 0.0f);
  for (int r = 0; r < 100; ++r) {
    one_class[r * 10 + 3] = 1.0f;
    every_class[r * 10 + r % 10] = 1.0f;
  }
  EXPECT_NEAR(inception_score(one_class, 100, 10), 1.0, 1e-6);
  EXPECT_NEAR(inception_score(every_class, 100, 10), 10.0, 1e-4);
}

TEST(DigitCoverage, CountsEveryImageOnceAndFindsTheRarest) {
  std::vector<int> predicted;
  for (int d = 0; d < 10; ++d) predicted.insert(predicted.end(), d == 6 ? 3 : 50, d);
  const DigitCoverage c = digit_coverage(predicted, 10);
  int total = 0;
  for (int count : c.counts) total += count;
  EXPECT_EQ(total, static_cast<int>(predicted.size()));
  EXPECT_EQ(c.rarest, 6);
  EXPECT_NEAR(c.rarest_share, 3.0 / predicted.size(), 1e-12);
  EXPECT_LT(c.entropy_bits, std::log2(10.0));
  EXPECT_NEAR(digit_coverage(std::vector<int>(70, 2), 10).entropy_bits, 0.0, 1e-12);
}

class QualityOnMnist : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    test_set_ = new ImageSet(load_labelled_images(test_files(DatasetKind::kMnist, test::mnist_dir())));
    judge_ = new QualityJudge(bundled_classifier(), *test_set_);
  }
  static void TearDownTestSuite() {
    delete judge_;
    delete test_set_;
  }
  static ImageSet* test_set_;
  static QualityJudge* judge_;
};
ImageSet* QualityOnMnist::test_set_ = nullptr;
QualityJudge* QualityOnMnist::judge_ = nullptr;

TEST_F(QualityOnMnist, TheShippedClassifierReadsTheTestSetAtLeast98_5PercentRight) {
  EXPECT_GE(classifier_accuracy(judge_->classifier(), *test_set_), 0.985);
}

TEST_F(QualityOnMnist, TheShippedCheckpointScoresFarBetterThanAConstantImage) {
  const GanState shipped = load_checkpoint(test::assets_path("mnist-gan-20k.safetensors"));
  const QualityScores good = judge_->judge_generator(shipped.shape, shipped.generator.params, 0, 2000);
  // A generator that ignores its noise: zero weights, output biases of a plausible stroke image.
  GanState constant = shipped;
  std::fill(constant.generator.params.begin(), constant.generator.params.end(), 0.0f);
  const MlpShape g = constant.shape.generator();
  const float* digit = shipped.generator.params.data();  // any fixed pattern: the first weights
  for (int i = 0; i < g.out; ++i) constant.generator.params[g.b_out() + i] = 8.0f * digit[i] - 2.0f;
  const QualityScores bad = judge_->judge_generator(constant.shape, constant.generator.params, 0, 2000);
  EXPECT_GT(bad.fid, 3.0 * good.fid);
  EXPECT_EQ(bad.coverage.entropy_bits, 0.0);  // every image the same: one digit
  EXPECT_GT(good.coverage.entropy_bits, 2.0);
  EXPECT_GT(good.inception_score, bad.inception_score + 2.0);
}

TEST_F(QualityOnMnist, RealImagesSetTheFloor) {
  const ImageSet held_out = first_images(load_training_set(DatasetKind::kMnist, test::mnist_dir(), true), 2000);
  const QualityScores floor = judge_->judge(held_out);
  const GanState shipped = load_checkpoint(test::assets_path("mnist-gan-20k.safetensors"));
  const QualityScores good = judge_->judge_generator(shipped.shape, shipped.generator.params, 0, 2000);
  EXPECT_LT(floor.fid, good.fid / 5.0);
  EXPECT_GT(floor.inception_score, 9.0);
  EXPECT_GT(floor.coverage.rarest_share, 0.07);
}

TEST_F(QualityOnMnist, TheShippedConditionalModelDrawsTheDigitAskedForAndBeatsTheTutorialsFidEightfold) {
  const GanState conditional = load_checkpoint(test::assets_path("mnist-cgan.safetensors"));
  ASSERT_TRUE(conditional.shape.conditional());
  const QualityScores scores = judge_->judge_generator(conditional.shape, conditional.sampling_generator(), 0, 5000);
  ASSERT_TRUE(scores.class_accuracy.has_value());
  EXPECT_GE(scores.class_accuracy->mean, 0.97);
  for (size_t digit = 0; digit < scores.class_accuracy->per_digit.size(); ++digit) {
    EXPECT_GE(scores.class_accuracy->per_digit[digit], 0.90) << "digit " << digit;
  }
  const GanState tutorial = load_checkpoint(test::assets_path("mnist-gan-20k.safetensors"));
  const QualityScores baseline = judge_->judge_generator(tutorial.shape, tutorial.sampling_generator(), 0, 5000);
  EXPECT_LE(scores.fid, baseline.fid / 8.0) << "conditional " << scores.fid << ", tutorial " << baseline.fid;
}

TEST(Classifier, LearnsDigitsFromAFewThousandImages) {
  const ImageSet train = first_images(load_training_set(DatasetKind::kMnist, test::mnist_dir(), false), 10000);
  const ImageSet test_set = first_images(load_labelled_images(test_files(DatasetKind::kMnist, test::mnist_dir())), 2000);
  ClassifierTraining training;
  training.epochs = 3;
  std::vector<double> losses;
  const Classifier c = train_classifier(train, training, [&](int, double loss) { losses.push_back(loss); });
  ASSERT_EQ(losses.size(), 3u);
  EXPECT_LT(losses[2], losses[0]);
  EXPECT_GT(classifier_accuracy(c, test_set), 0.90);
}

TEST(Classifier, FileRoundTripsAndRefusesAnotherModel) {
  const std::string path = ::testing::TempDir() + "/classifier.safetensors";
  const Classifier shipped = bundled_classifier();
  save_classifier(path, shipped);
  const Classifier loaded = load_classifier(path);
  EXPECT_EQ(loaded.shape.widths, shipped.shape.widths);
  EXPECT_EQ(loaded.params, shipped.params);
  EXPECT_THROW(load_classifier(test::assets_path("mnist-gan-20k.safetensors")), Error);
  SafetensorsFile file = read_safetensors(path);
  file.tensors["classifier.2.weight"].shape = {256, 100};
  EXPECT_THROW(classifier_from_file(file, "edited"), Error);
}

TEST(MetricsCsv, WritesAColumnPerScoreAndLeavesUnjudgedRowsEmpty) {
  QualityScores scores;
  scores.samples = 4;
  scores.fid = 12.5;
  scores.inception_score = 3.25;
  scores.coverage = digit_coverage({1, 1, 7, 9}, 10);
  const std::string csv = metrics_csv({{100, StepMetrics{}, std::nullopt}, {100, StepMetrics{}, scores}, {200, std::nullopt, scores}});
  const size_t first_newline = csv.find('\n');
  const std::string header = csv.substr(0, first_newline);
  EXPECT_EQ(header.rfind("step,gen_loss,disc_loss,d_real,d_fake,fid,inception_score,coverage_bits", 0), 0u);
  const size_t columns = std::count(header.begin(), header.end(), ',');
  std::istringstream lines(csv.substr(first_newline + 1));
  std::string line;
  while (std::getline(lines, line)) EXPECT_EQ(std::count(line.begin(), line.end(), ','), columns) << line;
  EXPECT_NE(csv.find("\n100,0.000000,0.000000,0.000000,0.000000,,"), std::string::npos);
  EXPECT_NE(csv.find(",12.5000,3.2500,1.5000,0,0.00000,0.00000,0.50000,"), std::string::npos);
  EXPECT_NE(csv.find("\n200,,,,,12.5000,"), std::string::npos);
}

}  // namespace
}  // namespace ganvas
