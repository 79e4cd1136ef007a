// The Insight tab's two background lanes: the views of the weights on screen, and the quality scores.
#include "gan/viz/insight_worker.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "gan/eval/bundled_classifier.h"
#include "gan/math/gan_math.h"
#include "gan/model/sampler.h"

namespace ganvas {

namespace {

constexpr int kKeptImages = 4096;  // training images the views draw from
constexpr int kPlaneImages = 2000;
constexpr int kGradientBatch = 64;

// Images [count, image] in [0, 1] of set rows first, first + 1, ... (wrapping).
std::vector<float> unit_images(const ImageSet& set, uint64_t first, int count) {
  const int dim = set.pixels_per_image();
  std::vector<float> images(static_cast<size_t>(count) * dim);
  for (int r = 0; r < count; ++r) {
    const uint8_t* image = set.image(static_cast<int>((first + r) % set.count));
    for (int i = 0; i < dim; ++i) images[static_cast<size_t>(r) * dim + i] = pixel_to_unit(image[i]);
  }
  return images;
}

GanState weights_only(const LiveSnapshot& snapshot) {
  GanState state;
  state.shape = snapshot.shape;
  state.generator = {snapshot.shape.generator(), snapshot.generator, std::vector<float>(snapshot.generator.size()),
                     std::vector<float>(snapshot.generator.size()), {}};
  state.discriminator = {snapshot.shape.discriminator(), snapshot.discriminator,
                         std::vector<float>(snapshot.discriminator.size()),
                         std::vector<float>(snapshot.discriminator.size()), {}};
  state.step = snapshot.step;
  state.recipe = snapshot.recipe;
  return state;
}

}  // namespace

InsightWorker::InsightWorker(std::string data_dir, DatasetKind kind)
    : data_dir_(std::move(data_dir)),
      kind_(kind),
      views_([this](const ViewsRequest& request) { return compute_views(request); }),
      quality_([this](const std::shared_ptr<const LiveSnapshot>& snapshot) { return compute_quality(snapshot); }) {}

void InsightWorker::request_views(std::shared_ptr<const LiveSnapshot> snapshot, std::vector<float> grid_latents,
                                  int landscape_digit) {
  views_.request({std::move(snapshot), std::move(grid_latents), landscape_digit});
}

void InsightWorker::request_quality(std::shared_ptr<const LiveSnapshot> snapshot) { quality_.request(std::move(snapshot)); }

const InsightWorker::RealData& InsightWorker::real_data() {
  if (!real_) {
    GANVAS_CHECK(!data_dir_.empty(), "the real images, the landscape and the gradient norms need training data");
    auto real = std::make_unique<RealData>();
    const ImageSet training = load_training_set(kind_, data_dir_, false);
    GANVAS_CHECK(training.count > kGradientBatch, "the insight views need more than 64 training images");
    real->images = first_images(training, std::min(training.count, kKeptImages));
    real->plane = data_plane(real->images, kPlaneImages);
    real_ = std::move(real);
  }
  return *real_;
}

namespace {

// Images [count, image] in [0, 1] of the set's images of `digit`, from row `first` on (wrapping).
std::vector<float> unit_images_of_digit(const ImageSet& set, uint64_t first, int count, int digit) {
  std::vector<float> images;
  for (int r = 0; r < set.count && static_cast<int>(images.size()) < count * set.pixels_per_image(); ++r) {
    const uint64_t row = (first + static_cast<uint64_t>(r)) % set.count;
    if (set.labels[row] != digit) continue;
    const std::vector<float> image = unit_images(set, row, 1);
    images.insert(images.end(), image.begin(), image.end());
  }
  return images;
}

// The labels of set rows first, first + 1, ... (wrapping), as D's conditions.
std::vector<float> row_conditions(const ModelShape& shape, const ImageSet& set, uint64_t first, int count) {
  if (!shape.conditional()) return {};
  std::vector<uint8_t> labels(static_cast<size_t>(count));
  for (int r = 0; r < count; ++r) labels[r] = set.labels[(first + r) % set.count];
  return label_conditions(shape, labels.data(), count);
}

}  // namespace

InsightViews InsightWorker::compute_views(const ViewsRequest& request) {
  const LiveSnapshot& s = *request.snapshot;
  const RealData& real = real_data();
  InsightViews views;
  views.version = s.version;
  views.history = s.history;
  views.step = s.step;
  const uint64_t rotation = s.version * kStripImages;
  views.real_images = unit_images(real.images, rotation, kStripImages);
  views.real_scores = discriminator_scores(s.shape, s.discriminator, views.real_images, kStripImages,
                                           row_conditions(s.shape, real.images, rotation, kStripImages));
  const int grid_cells = static_cast<int>(request.grid_latents.size() / s.shape.latent());
  const std::vector<float> grid = generate_images(s.shape, s.generator, request.grid_latents, grid_cells);
  const std::vector<float> grid_conditions = latent_conditions(s.shape, request.grid_latents, grid_cells);
  const int fakes_shown = std::min(grid_cells, kStripImages);
  views.fake_images.assign(grid.begin(), grid.begin() + static_cast<std::ptrdiff_t>(fakes_shown) * s.shape.image);
  views.fake_scores = discriminator_scores(s.shape, s.discriminator, views.fake_images, fakes_shown,
                                           std::vector<float>(grid_conditions.begin(), grid_conditions.begin() + fakes_shown * s.shape.classes));
  add_landscape(s, real, rotation, request.landscape_digit, views);
  GridGradients& gradients = views.grid_gradients;
  gradients.pixels =
      generator_loss_image_gradients(s.shape, s.recipe.loss, s.discriminator, grid, grid_cells, grid_conditions);
  for (float g : gradients.pixels) gradients.largest = std::max(gradients.largest, std::fabs(g));
  const uint64_t first = (s.version * kGradientBatch) % (real.images.count - kGradientBatch);
  const uint8_t* batch_begin = real.images.image(static_cast<int>(first));
  const std::vector<uint8_t> batch(batch_begin, batch_begin + static_cast<std::ptrdiff_t>(kGradientBatch) * s.shape.image);
  std::vector<uint8_t> labels;
  if (s.shape.conditional()) labels.assign(real.images.labels.begin() + first, real.images.labels.begin() + first + kGradientBatch);
  if (!explain_backend_ || !(explain_shape_ == s.shape)) {  // made once per model: its buffers and first weights
    explain_backend_ = make_cpu_backend(s.shape, kGradientBatch);
    explain_shape_ = s.shape;
  }
  views.explained =
      explain_step(*explain_backend_, weights_only(s), batch, labels, model_latents(s.shape, s.version + 1, kGradientBatch));
  return views;
}

// D's landscape on the data's plane, with reals and fakes projected onto it. A conditional D judges
// an image only together with a digit: its landscape, reals and fakes are all of `digit`.
void InsightWorker::add_landscape(const LiveSnapshot& s, const RealData& real, uint64_t rotation, int digit,
                                  InsightViews& views) {
  const bool conditional = s.shape.conditional();
  views.landscape_digit = conditional ? std::clamp(digit, 0, s.shape.classes - 1) : 0;
  views.landscape = discriminator_landscape(real.plane, s.shape, s.discriminator, kLandscapeSide, kLandscapeReach,
                                            views.landscape_digit);
  const std::vector<float> reals = conditional ? unit_images_of_digit(real.images, rotation, kPoints, views.landscape_digit)
                                               : unit_images(real.images, rotation, kPoints);
  const int real_count = static_cast<int>(reals.size() / s.shape.image);
  const std::vector<uint8_t> digits(static_cast<size_t>(real_count), static_cast<uint8_t>(views.landscape_digit));
  ScoredPoints scored = scored_plane_points(real.plane, s.shape, s.discriminator, reals, real_count,
                                            label_conditions(s.shape, digits.data(), real_count));
  views.real_points = std::move(scored.points);
  views.real_point_scores = std::move(scored.scores);
  const std::vector<float> latents = model_latents(s.shape, s.version, kPoints, {views.landscape_digit});
  scored = scored_plane_points(real.plane, s.shape, s.discriminator, generate_images(s.shape, s.generator, latents, kPoints),
                               kPoints, latent_conditions(s.shape, latents, kPoints));
  views.fake_points = std::move(scored.points);
  views.fake_point_scores = std::move(scored.scores);
}

QualityPoint InsightWorker::compute_quality(const std::shared_ptr<const LiveSnapshot>& snapshot) {
  if (!judge_) {
    GANVAS_CHECK(kind_ == DatasetKind::kMnist && !data_dir_.empty(),
                 "FID needs MNIST's test set (the classifier knows MNIST digits only)");
    judge_ = std::make_unique<QualityJudge>(bundled_classifier(),
                                            load_labelled_images(test_files(DatasetKind::kMnist, data_dir_)));
  }
  const LiveSnapshot& s = *snapshot;
  return {s.history, s.step, judge_->judge_generator(s.shape, s.generator, 0, kQualitySamples)};
}

}  // namespace ganvas
