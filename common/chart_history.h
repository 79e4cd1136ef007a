// The points of a chart over training, thinned evenly as they come, so a run of hours costs what one
// of minutes does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace ganvas {

// Points charted over training (one per evaluation or per view), at most `capacity` of them, so a
// run of hours costs what one of minutes does: when full, every other point goes and from then on
// every other new one is kept, so the points stay evenly spread over all of training. The latest
// point is always the last, kept until the next one that stays replaces it.
template <class Point>
class ChartHistory {
 public:
  explicit ChartHistory(size_t capacity) : capacity_(capacity < 2 ? 2 : capacity) {}

  void add(Point point) {
    if (latest_only_) points_.pop_back();
    if (points_.size() >= capacity_) {
      // Points 0, 2, 4, ... stay, as 0, 1, 2, ...; point 0 is not moved onto itself, which would
      // empty a point that holds a vector.
      const size_t size = points_.size();
      for (size_t i = 2; i < size; i += 2) points_[i / 2] = std::move(points_[i]);
      points_.erase(points_.begin() + static_cast<std::ptrdiff_t>((size + 1) / 2), points_.end());
      stride_ *= 2;
    }
    latest_only_ = added_ % stride_ != 0;
    points_.push_back(std::move(point));
    ++added_;
  }
  void clear() { *this = ChartHistory(capacity_); }

  const std::vector<Point>& points() const { return points_; }
  size_t size() const { return points_.size(); }
  bool empty() const { return points_.empty(); }
  const Point& back() const { return points_.back(); }
  size_t capacity() const { return capacity_; }

 private:
  size_t capacity_;
  std::vector<Point> points_;
  uint64_t added_ = 0;       // points offered since the start
  uint64_t stride_ = 1;      // every stride-th point offered is kept
  bool latest_only_ = false;  // the last point is off the stride: kept only until the next
};

}  // namespace ganvas
