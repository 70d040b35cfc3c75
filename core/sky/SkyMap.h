#pragma once
// A HEALPix sky map with 1 or 3 fields (T or T,Q,U). Pure data: no file format knowledge
// (FITS I/O lives in core/io), no projection logic (core/sky/Cartview.h etc.).
#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace sky {

enum class Ordering { Ring, Nested };

// healpy's UNSEEN sentinel. NaN and +-inf also mean "no data".
inline constexpr double kUnseen = -1.6375e30;

// healpy's mask_bad: isclose(v, UNSEEN, rtol=1e-5) or not finite. The tolerance matters
// because a float32 file stores UNSEEN as -1.6375000e30f, which is not the double constant.
inline bool isMasked(double v) { return !std::isfinite(v) || std::abs(v - kUnseen) <= 1e-5 * std::abs(kUnseen); }

bool isValidNside(int64_t nside);  // a power of two in [1, 2^29]
int64_t npixForNside(int64_t nside);
const char* orderingName(Ordering ordering);

// Puts values[i], pixel first + i of a map of `nside` in ordering `from`, at its place in
// `destination`, a whole field in ordering `to` (threads split the values). Readers use it to
// reorder a big map chunk by chunk as it is read, instead of holding it twice.
void placePixels(int nside, Ordering from, int64_t first, std::span<const double> values, Ordering to,
                 std::span<double> destination);

// The number of pixel `pixel` (ordering `from`) in ordering `to`.
int64_t pixelInOrdering(int nside, int64_t pixel, Ordering from, Ordering to);

class SkyMap {
 public:
  SkyMap() = default;
  // Every field must hold 12*nside^2 values; names default to TEMPERATURE/Q_/U_POLARISATION.
  SkyMap(int nside, Ordering ordering, std::vector<std::vector<double>> fields,
         std::vector<std::string> fieldNames = {}, std::string unit = {});
  // A map of `fieldCount` fields filled with `value`.
  static SkyMap filled(int nside, int fieldCount, double value, Ordering ordering = Ordering::Ring);

  int nside() const { return nside_; }
  int64_t npix() const { return npixForNside(nside_); }
  Ordering ordering() const { return ordering_; }
  int fieldCount() const { return static_cast<int>(fields_.size()); }
  std::span<const double> field(int i) const { return *fields_.at(i); }
  // Writable values; a field shared with another map (fieldMap, copies) is copied first.
  std::span<double> field(int i);
  const std::string& fieldName(int i) const { return names_.at(i); }
  // What field i is to a model card: "T", "Q" or "U" (TEMPERATURE, I_STOKES, Q_POLARISATION,
  // Q_STOKES...), "mask" (TMASK, PMASK, MASK...: a mask column, as Planck files carry), else "".
  std::string fieldRole(int i) const;
  const std::vector<std::string>& fieldNames() const { return names_; }
  const std::string& unit() const { return unit_; }
  void setUnit(std::string unit) { unit_ = std::move(unit); }

  // Index of a field by name or short alias (T/I, Q, U); -1 when absent.
  int fieldIndex(const std::string& nameOrAlias) const;

  // Same sky in the other pixel ordering (masked values travel unchanged). The rvalue form
  // reorders one field at a time and frees each source field as it goes, so reading a big
  // NESTED file needs one extra field of memory, not a second map.
  SkyMap toOrdering(Ordering target) const&;
  SkyMap toOrdering(Ordering target) &&;
  // Field i alone, as a one-field map sharing its values with this one (no copy): the per-field
  // layers of a T, Q, U file cost no memory beyond the file's.
  SkyMap fieldMap(int i) const;

 private:
  int nside_ = 0;
  Ordering ordering_ = Ordering::Ring;
  // Copy-on-write: copies of a map and its fieldMap()s share values until one is written.
  std::vector<std::shared_ptr<std::vector<double>>> fields_;
  std::vector<std::string> names_;
  std::string unit_;
};

std::vector<std::string> defaultFieldNames(int fieldCount);

}  // namespace sky
