#pragma once
// The NaN/inf policy (README, "NaN and infinity"): non-finite values are caught where they
// enter or leave an algorithm and reported with a specific error, never passed on silently
// (sorting NaN is undefined, and a NaN in a rank or a curve spreads to every result).
#include <cmath>
#include <cstddef>
#include <span>
#include <string>

#include "util/Error.h"

namespace sky {

template <typename T>
size_t countNonFinite(std::span<const T> values) {
  size_t bad = 0;
  for (const T& v : values) bad += std::isfinite(v) ? 0 : 1;
  return bad;
}

// Throws SkyError(InvalidData): "<what> has N non-finite values (NaN or inf) of M<hint>".
template <typename T>
void requireFinite(std::span<const T> values, const std::string& what, const std::string& hint = {}) {
  const size_t bad = countNonFinite(values);
  if (bad == 0) return;
  throw SkyError(ErrorKind::InvalidData, what + " has " + std::to_string(bad) + " non-finite values (NaN or inf) of " +
                                             std::to_string(values.size()) + hint);
}

}  // namespace sky
