// The commands that judge digits: `ganvas train-classifier` and `ganvas eval`, and the evaluation
// `ganvas train --eval-every` runs.
#pragma once

#include <memory>
#include <string>

#include "gan/eval/quality.h"

namespace ganvas::cli {

int run_train_classifier(int argc, char** argv);
int run_eval(int argc, char** argv);

// A judge with the classifier of `classifier_path` (the bundled one when empty) and MNIST's test
// set from `data_dir`.
std::unique_ptr<QualityJudge> make_quality_judge(const std::string& classifier_path, const std::string& data_dir);

// "FID 23.4  IS 8.12  digits 3.21 bits, rarest 0 at 1.2 %": one line of scores.
std::string scores_summary(const QualityScores& scores);

}  // namespace ganvas::cli
