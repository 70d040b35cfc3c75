#include "sky/SkyMap.h"

#include <healpix_cxx/healpix_base.h>

#include <algorithm>
#include <cctype>

#include "sky/NestedToRing.h"
#include "util/Error.h"

namespace sky {

bool isValidNside(int64_t nside) { return nside >= 1 && nside <= (int64_t{1} << 29) && (nside & (nside - 1)) == 0; }

int64_t npixForNside(int64_t nside) { return 12 * nside * nside; }

const char* orderingName(Ordering ordering) { return ordering == Ordering::Ring ? "RING" : "NESTED"; }

std::vector<std::string> defaultFieldNames(int fieldCount) {
  if (fieldCount == 1) return {"TEMPERATURE"};
  if (fieldCount == 3) return {"TEMPERATURE", "Q_POLARISATION", "U_POLARISATION"};
  std::vector<std::string> names;
  for (int i = 0; i < fieldCount; ++i) names.push_back("FIELD" + std::to_string(i + 1));
  return names;
}

SkyMap::SkyMap(int nside, Ordering ordering, std::vector<std::vector<double>> fields,
               std::vector<std::string> fieldNames, std::string unit)
    : nside_(nside), ordering_(ordering), names_(std::move(fieldNames)), unit_(std::move(unit)) {
  for (auto& f : fields) fields_.push_back(std::make_shared<std::vector<double>>(std::move(f)));
  if (!isValidNside(nside)) {
    throw SkyError(ErrorKind::InvalidArgument,
                   "nside " + std::to_string(nside) + " is not a power of two between 1 and 2^29");
  }
  if (fields_.empty()) throw SkyError(ErrorKind::InvalidArgument, "a sky map needs at least one field");
  for (const auto& f : fields_) {
    if (static_cast<int64_t>(f->size()) != npix()) {
      throw SkyError(ErrorKind::InvalidData, "field holds " + std::to_string(f->size()) + " values but nside " +
                                                 std::to_string(nside) + " needs " + std::to_string(npix()));
    }
  }
  if (names_.empty()) names_ = defaultFieldNames(fieldCount());
  if (static_cast<int>(names_.size()) != fieldCount()) {
    throw SkyError(ErrorKind::InvalidArgument, "field names and fields differ in count");
  }
}

SkyMap SkyMap::filled(int nside, int fieldCount, double value, Ordering ordering) {
  if (!isValidNside(nside)) {
    throw SkyError(ErrorKind::InvalidArgument,
                   "nside " + std::to_string(nside) + " is not a power of two between 1 and 2^29");
  }
  std::vector<std::vector<double>> fields(fieldCount,
                                          std::vector<double>(static_cast<size_t>(npixForNside(nside)), value));
  return SkyMap(nside, ordering, std::move(fields));
}

int SkyMap::fieldIndex(const std::string& nameOrAlias) const {
  std::string key = nameOrAlias;
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::toupper(c); });
  for (int i = 0; i < fieldCount(); ++i) {
    if (names_[i] == key) return i;
  }
  // Short aliases follow healpy's field order convention (T, Q, U) and the Stokes names.
  auto startsWith = [](const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; };
  for (int i = 0; i < fieldCount(); ++i) {
    const std::string& n = names_[i];
    if ((key == "T" || key == "I") && (startsWith(n, "TEMP") || n == "I_STOKES" || n == "T")) return i;
    if (key == "Q" && (startsWith(n, "Q_") || n == "Q")) return i;
    if (key == "U" && (startsWith(n, "U_") || n == "U")) return i;
  }
  return -1;
}

std::string SkyMap::fieldRole(int i) const {
  for (const char* role : {"T", "Q", "U"}) {
    if (fieldIndex(role) == i) return role;
  }
  return fieldName(i).find("MASK") != std::string::npos ? "mask" : "";
}

std::span<double> SkyMap::field(int i) {
  auto& f = fields_.at(i);
  if (f.use_count() > 1) f = std::make_shared<std::vector<double>>(*f);
  return *f;
}

namespace {

// values[p] moved to position where(p), p in [0, npix), into a new vector. (Following the
// permutation's cycles in place saves the copy but is 7x slower at nside 2048: every step is a
// cache miss.) Threads split p; each q is written once.
template <class Where>
std::vector<double> permuted(const std::vector<double>& values, Where where) {
  std::vector<double> out(values.size());
  const auto n = static_cast<int64_t>(values.size());
#pragma omp parallel for schedule(static) if (n > (int64_t{1} << 20))
  for (int64_t p = 0; p < n; ++p) out[static_cast<size_t>(where(p))] = values[static_cast<size_t>(p)];
  return out;
}

}  // namespace

void placePixels(int nside, Ordering from, int64_t first, std::span<const double> values, Ordering to,
                 std::span<double> destination) {
  const auto n = static_cast<int64_t>(values.size());
  if (from == to) {
    std::copy(values.begin(), values.end(), destination.begin() + first);
    return;
  }
  if (to == Ordering::Ring) {
    const NestedToRing ring(nside);
#pragma omp parallel for schedule(static) if (n > (int64_t{1} << 16))
    for (int64_t i = 0; i < n; ++i) destination[static_cast<size_t>(ring(first + i))] = values[static_cast<size_t>(i)];
    return;
  }
  const T_Healpix_Base<int64_t> base(static_cast<int64_t>(nside), RING, SET_NSIDE);
#pragma omp parallel for schedule(static) if (n > (int64_t{1} << 16))
  for (int64_t i = 0; i < n; ++i)
    destination[static_cast<size_t>(base.ring2nest(first + i))] = values[static_cast<size_t>(i)];
}

int64_t pixelInOrdering(int nside, int64_t pixel, Ordering from, Ordering to) {
  if (from == to) return pixel;
  const T_Healpix_Base<int64_t> base(static_cast<int64_t>(nside), RING, SET_NSIDE);
  return to == Ordering::Ring ? base.nest2ring(pixel) : base.ring2nest(pixel);
}

SkyMap SkyMap::toOrdering(Ordering target) const& { return SkyMap(*this).toOrdering(target); }

// One field at a time, each source field freed as soon as it is reordered: one extra field of
// memory, not a second map.
SkyMap SkyMap::toOrdering(Ordering target) && {
  if (target == ordering_) return std::move(*this);
  const T_Healpix_Base<int64_t> base(static_cast<int64_t>(nside_), RING, SET_NSIDE);
  for (auto& f : fields_) {
    if (target == Ordering::Nested)
      f = std::make_shared<std::vector<double>>(permuted(*f, [&](int64_t p) { return base.ring2nest(p); }));
    else
      f = std::make_shared<std::vector<double>>(permuted(*f, NestedToRing(nside_)));
  }
  ordering_ = target;
  return std::move(*this);
}

SkyMap SkyMap::fieldMap(int i) const {
  SkyMap one;
  one.nside_ = nside_;
  one.ordering_ = ordering_;
  one.fields_ = {fields_.at(i)};
  one.names_ = {names_.at(i)};
  one.unit_ = unit_;
  return one;
}

}  // namespace sky
