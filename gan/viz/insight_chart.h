// The line chart the Insight tab's sections draw their histories with: four text lines high, saying
// "not measured yet" until its first point.
#pragma once

#include <imgui.h>

#include <vector>

#include "gan/viz/chart.h"

namespace ganvas {

inline ChartHover insight_chart(const char* title, const std::vector<float>& steps, const std::vector<float>& values,
                                ChartRange range, const char* help = nullptr, const std::vector<ChartLine>& others = {}) {
  return line_chart(title, steps, values, range, ImGui::GetTextLineHeight() * 4.0f, "not measured yet", help, others);
}

}  // namespace ganvas
