// Sky-core speed on this machine: run `build/bench/skyinterpret-bench-sky` (2 OpenMP threads
// unless SKY_BENCH_THREADS says otherwise). Targets and results are in the README.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <cstdlib>
#include <map>
#include <random>

#include "io/HealpixFits.h"
#include "simulate/DemoSkies.h"
#include "sky/Cartview.h"
#include "sky/Mollweide.h"
#include "sky/PowerSpectrum.h"
#include "sky/Reprojection.h"
#include "util/ProcessMemory.h"

namespace {

const sky::SkyMap& randomMap(int nside) {
  static std::map<int, sky::SkyMap> cache;
  auto it = cache.find(nside);
  if (it != cache.end()) return it->second;
  std::mt19937_64 rng(nside);
  std::normal_distribution<double> gauss;
  std::vector<double> values(sky::npixForNside(nside));
  for (double& v : values) v = gauss(rng);
  return cache.emplace(nside, sky::SkyMap(nside, sky::Ordering::Ring, {std::move(values)})).first->second;
}

void BM_Cartview1280(benchmark::State& state) {
  const sky::SkyMap& map = randomMap(static_cast<int>(state.range(0)));
  const sky::CartviewGrid grid = sky::CartviewGrid::forWidth(1280);
  for (auto _ : state) benchmark::DoNotOptimize(sky::projectCartview(map, grid));
}
BENCHMARK(BM_Cartview1280)->Arg(256)->Arg(2048)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Reproject1024x2048ToNside2048(benchmark::State& state) {
  std::mt19937_64 rng(1);
  std::normal_distribution<double> gauss;
  sky::Image image(1, 1024, 2048);
  for (double& v : image.data()) v = gauss(rng);
  for (auto _ : state) benchmark::DoNotOptimize(sky::reprojectToHealpix(image, 2048));
  state.counters["pixels/s"] = benchmark::Counter(static_cast<double>(sky::npixForNside(2048)) * state.iterations(),
                                                  benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Reproject1024x2048ToNside2048)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Anafast(benchmark::State& state) {
  const sky::SkyMap& map = randomMap(static_cast<int>(state.range(0)));
  sky::SpectrumOptions options;
  options.iterations = static_cast<int>(state.range(1));
  for (auto _ : state) benchmark::DoNotOptimize(sky::anafast(map, options));
}
BENCHMARK(BM_Anafast)->Args({512, 3})->Args({1024, 3})->Args({1024, 0})->Unit(benchmark::kMillisecond)->UseRealTime();

// The Mollweide view: the raster -> pixel lookup is built once per (nside, size); each redraw
// then only samples the map.
void BM_MollweideLookup1600x800(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(sky::mollweideRaster(2048, 1600, 800));
}
BENCHMARK(BM_MollweideLookup1600x800)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_MollweideSample1600x800(benchmark::State& state) {
  const sky::SkyMap& map = randomMap(2048);
  const sky::MollweideRaster raster = sky::mollweideRaster(2048, 1600, 800);
  std::vector<double> out(raster.pixel.size());
  for (auto _ : state) {
    sky::sampleRaster(raster, map.field(0).data(), 0.0, out.data());
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_MollweideSample1600x800)->Unit(benchmark::kMillisecond)->UseRealTime();

// The desktop app's first launch: a handful of demo skies of both classes (target < 2 s).
void BM_DemoSkies(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(sky::makeDemoSkies(static_cast<int>(state.range(0)), 1));
}
BENCHMARK(BM_DemoSkies)->Arg(4)->Unit(benchmark::kMillisecond)->UseRealTime();

// Opening a big file as the app does (a NESTED Planck-layout file read as RING): the file is
// named by SKY_BENCH_FITS (tools/scale/make_planck_like_map.py writes one); skipped without it.
// Arg 1 reorders chunk by chunk while reading, arg 0 reads and then reorders the whole map.
void BM_ReadFitsAsRing(benchmark::State& state) {
  const char* path = std::getenv("SKY_BENCH_FITS");
  if (!path) {
    state.SkipWithError("set SKY_BENCH_FITS to a HEALPix FITS file");
    return;
  }
  for (auto _ : state) {
    if (state.range(0) == 1)
      benchmark::DoNotOptimize(sky::readHealpixFits(path, nullptr, nullptr, sky::Ordering::Ring));
    else
      benchmark::DoNotOptimize(sky::readHealpixFits(path).toOrdering(sky::Ordering::Ring));
  }
}
BENCHMARK(BM_ReadFitsAsRing)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace

int main(int argc, char** argv) {
  sky::configureProcessMemory(argc, argv);
  const char* threads = std::getenv("SKY_BENCH_THREADS");
  omp_set_num_threads(threads ? std::atoi(threads) : 2);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
