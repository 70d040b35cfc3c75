#include "sky/Resample.h"

#include <string>

#include "util/Error.h"

namespace sky {

SkyMap udGrade(const SkyMap& map, int nsideOut) {
  if (!isValidNside(nsideOut)) {
    throw SkyError(ErrorKind::InvalidArgument, "nside " + std::to_string(nsideOut) + " is not a power of two");
  }
  // In NESTED ordering the children of parent p are the contiguous block [p*r, (p+1)*r).
  const SkyMap nested = map.toOrdering(Ordering::Nested);
  const int64_t npixOut = npixForNside(nsideOut);
  std::vector<std::vector<double>> fields;
  for (int f = 0; f < map.fieldCount(); ++f) {
    const auto in = nested.field(f);
    std::vector<double> out(npixOut);
    if (nsideOut <= map.nside()) {
      const int64_t ratio = npixForNside(map.nside()) / npixOut;
      for (int64_t p = 0; p < npixOut; ++p) {
        double sum = 0.0;
        int64_t count = 0;
        for (int64_t c = p * ratio; c < (p + 1) * ratio; ++c) {
          if (!isMasked(in[c])) {
            sum += in[c];
            ++count;
          }
        }
        out[p] = count > 0 ? sum / static_cast<double>(count) : kUnseen;
      }
    } else {
      const int64_t ratio = npixOut / npixForNside(map.nside());
      for (int64_t p = 0; p < npixOut; ++p) out[p] = in[p / ratio];
    }
    fields.push_back(std::move(out));
  }
  SkyMap result(nsideOut, Ordering::Nested, std::move(fields), map.fieldNames(), map.unit());
  return result.toOrdering(map.ordering());
}

}  // namespace sky
