// "Inside the networks": the norms of each view, and their charts over training.
#include "gan/viz/insight_norms.h"

#include <imgui.h>

#include <vector>

#include "gan/viz/insight_chart.h"

namespace ganvas {

NormsChart::NormPoint NormsChart::point_of(const InsightViews& v) {
  const StepExplained& e = v.explained;
  return {static_cast<float>(v.step),
          e.generator_weights.first_weight(),
          e.generator_weights.output_weight(),
          e.discriminator_weights.first_weight(),
          e.discriminator_weights.output_weight(),
          e.gradients.generator.first_weight(),
          e.gradients.discriminator.first_weight()};
}

void NormsChart::draw() {
  ImGui::TextWrapped("L2 norms of the first and last layers' weights, and of the gradients of one batch at the weights "
                     "on screen. Exploding gradients or a stalled network show here first.");
  const auto column = [&](float NormPoint::*field) {
    std::vector<float> values;
    values.reserve(points_.size());
    for (const NormPoint& p : points_.points()) values.push_back(p.*field);
    return values;
  };
  const std::vector<float> steps = column(&NormPoint::step);
  insight_chart("G layer 1 weights", steps, column(&NormPoint::g_weight1), {0, 1, true});
  insight_chart("G output layer weights", steps, column(&NormPoint::g_weight_out), {0, 1, true});
  insight_chart("D layer 1 weights", steps, column(&NormPoint::d_weight1), {0, 1, true});
  insight_chart("D output layer weights", steps, column(&NormPoint::d_weight_out), {0, 1, true});
  insight_chart("G layer 1 gradient", steps, column(&NormPoint::g_grad1), {0, 1, true, true});
  insight_chart("D layer 1 gradient", steps, column(&NormPoint::d_grad1), {0, 1, true, true});
}

}  // namespace ganvas
