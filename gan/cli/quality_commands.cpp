// `ganvas train-classifier` trains the digit classifier; `ganvas eval` scores a checkpoint's digits
// (FID, Inception Score, digit coverage) against MNIST's test set, beside the real-vs-real floor.
#include "gan/cli/quality_commands.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

#include "common/printable.h"
#include "common/stop_signal.h"
#include "gan/eval/bundled_classifier.h"
#include "gan/io/checkpoint.h"
#include "gan/model/cpu_ops.h"
#include "gan/io/dataset.h"
#include "gan/cli/args.h"
#include "gan/cli/gan_options.h"

namespace ganvas::cli {

namespace {

void set_threads_option(const Args& args) {
  cpu::set_blas_threads(threads_option(args));
}

}  // namespace

int run_train_classifier(int argc, char** argv) {
  Args args("train-classifier",
            {{"out", "FILE", "the classifier's safetensors file to write"},
             {"epochs", "N", "passes over the training images (default 16)"},
             {"seed", "S", "seed of the weights, the order and the shifts (default 0)"},
             {"data-dir", "DIR", "folder of MNIST's IDX files (default: data/mnist or $GANVAS_DATA_DIR)"},
             {"threads", "T", "CPU threads (default: all cores)"}},
            argc, argv, 2);
  if (args.help()) {
    std::printf("Trains the MNIST digit classifier that 'ganvas eval' judges digits with (a perceptron\n"
                "784-512-256-10 on the 55,000 training images, each shifted by up to 2 pixels), reports its\n"
                "accuracy on the 10,000 test images and writes it as safetensors.\n\n%s",
                args.usage().c_str());
    return 0;
  }
  // A classifier trained for fewer epochs than asked is not the one asked for (and would replace a
  // good one at --out): a stop ends the run at the next batch, writing nothing.
  const AbandonOnStop abandon;
  const std::string out = args.required("out");
  ClassifierTraining training;
  training.epochs = static_cast<int>(args.integer("epochs", training.epochs, 1, 1000));
  training.seed = args.unsigned_integer("seed", 0);
  set_threads_option(args);
  const CreatedFolders folders = check_outputs({out});  // before the epochs, not after them
  const std::string data_dir = data_dir_option(args, DatasetKind::kMnist);
  const ImageSet train = load_training_set(DatasetKind::kMnist, data_dir, false);
  const ImageSet test = load_labelled_images(test_files(DatasetKind::kMnist, data_dir));
  std::printf("training the classifier on %d images for %d epochs\n", train.count, training.epochs);
  const Classifier classifier = train_classifier(train, training, [](int epoch, double loss) {
    std::printf("epoch %3d  loss %.4f\n", epoch, loss);
    std::fflush(stdout);
  });
  std::printf("test accuracy %.2f %% (%d images)\n", 100.0 * classifier_accuracy(classifier, test), test.count);
  stop_point();  // the last moment to give up: the file is written whole or not at all
  save_classifier(out, classifier);
  std::printf("wrote %s\n", shown_path(out).c_str());
  return 0;
}

std::unique_ptr<QualityJudge> make_quality_judge(const std::string& classifier_path, const std::string& data_dir) {
  Classifier classifier = classifier_path.empty() ? bundled_classifier() : load_classifier(classifier_path);
  const ImageSet test = load_labelled_images(test_files(DatasetKind::kMnist, data_dir));
  return std::make_unique<QualityJudge>(std::move(classifier), test);
}

std::string scores_summary(const QualityScores& s) {
  char text[256];
  int n = std::snprintf(text, sizeof(text), "FID %.3f  IS %.3f  digits %.3f bits, rarest %d at %.1f %%", s.fid,
                        s.inception_score, s.coverage.entropy_bits, s.coverage.rarest, 100.0 * s.coverage.rarest_share);
  if (s.class_accuracy && n > 0) {
    std::snprintf(text + n, sizeof(text) - n, "  asked-for digit %.1f %% (worst %d at %.1f %%)", 100.0 * s.class_accuracy->mean,
                  s.class_accuracy->worst, 100.0 * s.class_accuracy->per_digit[s.class_accuracy->worst]);
  }
  return text;
}

namespace {

nlohmann::json scores_json(const QualityScores& s) {
  nlohmann::json out = {{"samples", s.samples},
          {"fid", s.fid},
          {"inception_score", s.inception_score},
          {"coverage",
           {{"counts", s.coverage.counts},
            {"entropy_bits", s.coverage.entropy_bits},
            {"rarest_digit", s.coverage.rarest},
            {"rarest_share", s.coverage.rarest_share}}}};
  if (s.class_accuracy) {
    out["class_accuracy"] = {{"mean", s.class_accuracy->mean},
                             {"per_digit", s.class_accuracy->per_digit},
                             {"worst_digit", s.class_accuracy->worst}};
  }
  return out;
}

void print_plain(const QualityScores& fake, const QualityScores& floor, const std::string& checkpoint, uint64_t step) {
  std::printf("FID %.4f\n", fake.fid);
  std::printf("Inception Score %.4f (of at most 10)\n", fake.inception_score);
  std::printf("digits  ");
  for (size_t d = 0; d < fake.coverage.counts.size(); ++d) {
    std::printf(" %zu: %.1f %%", d, 100.0 * fake.coverage.counts[d] / fake.samples);
  }
  std::printf("\ncoverage %.3f bits of %.3f; rarest digit %d at %.2f %%\n", fake.coverage.entropy_bits, std::log2(10.0),
              fake.coverage.rarest, 100.0 * fake.coverage.rarest_share);
  if (fake.class_accuracy) {
    const ClassAccuracy& a = *fake.class_accuracy;
    std::printf("asked-for digit drawn %.2f %% of the time; worst digit %d at %.2f %%\nper digit", 100.0 * a.mean,
                a.worst, 100.0 * a.per_digit[a.worst]);
    for (size_t d = 0; d < a.per_digit.size(); ++d) std::printf(" %zu: %.1f %%", d, 100.0 * a.per_digit[d]);
    std::printf("\n");
  }
  std::printf("floor   FID %.4f  IS %.4f (the first %d MNIST training images against the test set; neither the GAN "
              "nor the classifier trains on the first 5,000)\n", floor.fid, floor.inception_score, floor.samples);
  std::printf("%d samples of %s (step %llu) against MNIST's 10,000 test images\n", fake.samples, checkpoint.c_str(),
              static_cast<unsigned long long>(step));
}

}  // namespace

int run_eval(int argc, char** argv) {
  Args args("eval",
            {{"checkpoint", "FILE", "the checkpoint whose generator is judged"},
             {"samples", "N", "generated images judged, and real images of the floor (default 5000)"},
             {"seed", "S", "seed of the latents (default 0)"},
             {"json", "", "print the scores as one JSON object"},
             {"classifier", "FILE", "a classifier from 'ganvas train-classifier' (default: the bundled one)"},
             {"data-dir", "DIR", "folder of MNIST's IDX files (default: data/mnist or $GANVAS_DATA_DIR)"},
             {"threads", "T", "CPU threads (default: all cores)"}},
            argc, argv, 2);
  if (args.help()) {
    std::printf("Judges a checkpoint's digits with the MNIST classifier: the Frechet distance (FID) of its\n"
                "features to the test set's, the Inception Score, the digits drawn (histogram, its entropy,\n"
                "the rarest digit), and the floor: the same scores of real training images. The first line\n"
                "of the plain output is 'FID <value>'.\n\n%s", args.usage().c_str());
    return 0;
  }
  const AbandonOnStop abandon;  // scores of part of the samples mean nothing: a stop ends it at once
  const std::string checkpoint = args.required("checkpoint");
  const int samples = static_cast<int>(args.integer("samples", 5000, 2, 60000));
  const uint64_t seed = args.unsigned_integer("seed", 0);
  set_threads_option(args);
  const GanState state = load_checkpoint(checkpoint);
  const std::string data_dir = data_dir_option(args, DatasetKind::kMnist);
  const std::unique_ptr<QualityJudge> judge = make_quality_judge(args.text("classifier", ""), data_dir);
  const QualityScores fake = judge->judge_generator(state.shape, state.sampling_generator(), seed, samples);
  const QualityScores floor = judge->judge(first_images(load_training_set(DatasetKind::kMnist, data_dir, true), samples));
  if (args.flag("json")) {
    const nlohmann::json out = {{"checkpoint", checkpoint}, {"step", state.step}, {"generated", scores_json(fake)},
                                {"floor", scores_json(floor)}};
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    print_plain(fake, floor, checkpoint, state.step);
  }
  return 0;
}

}  // namespace ganvas::cli
