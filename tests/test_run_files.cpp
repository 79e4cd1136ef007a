// A run folder's files: run.json and metrics.csv written and read back, and files that lie refused
// with a message that names them.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/error.h"
#include "gan/eval/metrics_log.h"
#include "gan/io/run_record.h"
#include "gan/session/run_folder.h"

namespace ganvas {
namespace {

TEST(RunRecords, ARecordComesBackAsItWasWritten) {
  RunRecord r;
  r.model = "conditional GAN 110-512-784";
  r.recipe.loss = Loss::kHinge;
  r.recipe.optimizer = Optimizer::kSgd;
  r.recipe.beta1 = 0.5f;
  r.recipe.real_target = 0.9f;
  r.recipe.generator_ema = 0.999f;
  r.preset = "clean-digits";
  r.seed = 7;
  r.dataset = DatasetKind::kFashion;
  r.data_dir = "/data/fashion";
  r.lr_g = 1e-3f;
  r.lr_d = 4e-4f;
  r.batch = 64;
  r.alternate = true;
  r.d_steps = 3;
  r.step = 12345;
  r.created = "2026-12-08T01:00:00Z";
  r.updated = "2026-12-08T02:00:00Z";
  const std::string text = run_record_json(r);
  EXPECT_NE(text.find("\"beta1\": 0.5"), std::string::npos) << "rates and betas as the decimals given: " << text;
  const RunRecord back = parse_run_record(text, "run.json");
  EXPECT_EQ(back.model, r.model);
  EXPECT_TRUE(back.recipe == r.recipe);
  EXPECT_EQ(back.preset, r.preset);
  EXPECT_EQ(back.seed, r.seed);
  EXPECT_EQ(back.dataset, r.dataset);
  EXPECT_EQ(back.data_dir, r.data_dir);
  EXPECT_EQ(back.lr_g, r.lr_g);
  EXPECT_EQ(back.lr_d, r.lr_d);
  EXPECT_EQ(back.batch, r.batch);
  EXPECT_TRUE(back.alternate);
  EXPECT_EQ(back.d_steps, 3);
  EXPECT_EQ(back.step, 12345u);
  EXPECT_EQ(back.created, r.created);
  EXPECT_EQ(back.updated, r.updated);
  EXPECT_FALSE(back.version.empty());
}

TEST(RunRecords, WhatIsNotARecordIsRefusedByName) {
  const std::vector<std::pair<std::string, std::string>> lies = {
      {"not json", "is not a run record"},
      {"[1, 2]", "is not a JSON object"},
      {R"({"loss": "wasserstein"})", "unknown loss"},
      {R"({"optimizer": "lion"})", "unknown optimizer"},
      {R"({"schedule": "sometimes"})", "unknown schedule"},
      {R"({"dataset": "cifar"})", "unknown data set"},
      {R"({"batch": 0})", "settings no run trains with"},
      {R"({"lr_g": -1})", "settings no run trains with"},
      {R"({"step": "many"})", "is not a run record"},
      {std::string(70000, ' ') + "{}", "too large"}};
  for (const auto& [text, message] : lies) {
    try {
      parse_run_record(text, "/runs/x/run.json");
      ADD_FAILURE() << "accepted: " << text.substr(0, 40);
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("/runs/x/run.json"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(parse_run_record(R"({"future_field": 1})", "run.json").batch, 128) << "fields a newer ganvas adds are ignored";
}

std::vector<MetricsRow> sample_rows() {
  StepMetrics m;
  m.step = 99;
  m.gen_loss = 1.25f;
  m.disc_loss = 0.5f;
  m.d_real = 0.75f;
  m.d_fake = 0.125f;
  QualityScores q;
  q.samples = 1000;
  q.fid = 12.5;
  q.inception_score = 8.25;
  q.coverage.counts = {100, 90, 110, 100, 100, 100, 100, 100, 100, 100};
  q.coverage.entropy_bits = 3.3;
  q.coverage.rarest = 1;
  q.coverage.rarest_share = 0.09;
  return {{100, m, std::nullopt}, {200, std::nullopt, q}, {300, m, q}};
}

TEST(MetricsFiles, RowsComeBackAsTheyWereWritten) {
  const std::vector<MetricsRow> rows = sample_rows();
  const std::vector<MetricsRow> back = parse_metrics_csv(metrics_csv(rows), "metrics.csv");
  ASSERT_EQ(back.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(back[i].steps_done, rows[i].steps_done);
    ASSERT_EQ(back[i].losses.has_value(), rows[i].losses.has_value());
    ASSERT_EQ(back[i].quality.has_value(), rows[i].quality.has_value());
    if (rows[i].losses) {
      EXPECT_EQ(back[i].losses->step, rows[i].steps_done - 1) << "the losses of the step that made steps_done";
      EXPECT_FLOAT_EQ(back[i].losses->gen_loss, rows[i].losses->gen_loss);
      EXPECT_FLOAT_EQ(back[i].losses->d_fake, rows[i].losses->d_fake);
    }
    if (rows[i].quality) {
      EXPECT_DOUBLE_EQ(back[i].quality->fid, rows[i].quality->fid);
      EXPECT_DOUBLE_EQ(back[i].quality->inception_score, rows[i].quality->inception_score);
      EXPECT_EQ(back[i].quality->samples, 1000);
      EXPECT_EQ(back[i].quality->coverage.counts, rows[i].quality->coverage.counts);
      EXPECT_EQ(back[i].quality->coverage.rarest, 1);
    }
  }
}

TEST(MetricsFiles, WhatIsNotAMetricsFileIsRefusedWithItsLine) {
  const std::string good = metrics_csv(sample_rows());
  const std::string header = good.substr(0, good.find('\n') + 1);
  const std::vector<std::pair<std::string, std::string>> lies = {
      {"a,b,c\n1,2,3\n", "is not a ganvas metrics CSV"},
      {"", "is not a ganvas metrics CSV"},
      {header + "100,1,2\n", "m.csv:2: 3 fields"},
      {header + "abc" + good.substr(header.size() + 3), "m.csv:2:"},
      {header + "100,nan,1,1,1" + std::string(16, ',') + "\n", "is not a number"},
      {header + ",1,1,1,1" + std::string(16, ',') + "\n", "no step"}};
  for (const auto& [text, message] : lies) {
    try {
      parse_metrics_csv(text, "m.csv");
      ADD_FAILURE() << "accepted: " << text.substr(0, 60);
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace ganvas

namespace ganvas {
namespace {

TEST(RunFiles, NumberedCheckpointsKeepTheLastFewAndNothingTheyDidNotWrite) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("ganvas-numbered-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  { std::ofstream(dir / "checkpoint-step0000050.safetensors") << "a user's"; }
  NumberedCheckpoints numbered(dir.string());
  for (uint64_t step = 100; step <= 500; step += 100) {
    { std::ofstream(dir / "checkpoint.safetensors") << "weights at " << step; }  // written anew, as a save renames
    fs::remove(dir / "checkpoint.safetensors.old");
    EXPECT_EQ(numbered.add(step), "");
    fs::rename(dir / "checkpoint.safetensors", dir / "checkpoint.safetensors.old");  // the next save's new inode
  }
  for (uint64_t step : {100, 200}) {
    EXPECT_FALSE(fs::exists(dir / ("checkpoint-step0000" + std::to_string(step) + ".safetensors"))) << step;
  }
  for (uint64_t step : {300, 400, 500}) {
    std::ifstream in(dir / ("checkpoint-step0000" + std::to_string(step) + ".safetensors"));
    std::string text;
    std::getline(in, text);
    EXPECT_EQ(text, "weights at " + std::to_string(step)) << "each numbered file keeps its own step's weights";
  }
  EXPECT_TRUE(fs::exists(dir / "checkpoint-step0000050.safetensors")) << "a file it did not write stays";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ganvas
