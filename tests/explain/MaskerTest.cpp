#include "TestSupport.h"
#include "explain/Masker.h"

using namespace sky;
using skytest::dataPath;

class BoxBlur : public ::testing::TestWithParam<std::string> {};

TEST_P(BoxBlur, MatchesOpenCvBlurWithReflect101Borders) {
  const NpyArray in = readNpy(dataPath("explain/" + GetParam() + "_in.npy"));
  const NpyArray ref = readNpy(dataPath("explain/" + GetParam() + "_out.npy"));
  int h = 0, w = 0, c = 0, kx = 0, ky = 0;
  ASSERT_EQ(std::sscanf(GetParam().c_str(), "blur_%dx%dx%d_k%dx%d", &h, &w, &c, &kx, &ky), 5);
  const std::vector<float> image(in.values.begin(), in.values.end());
  const std::vector<float> out = boxBlur(image.data(), h, w, c, kx, ky);
  ASSERT_EQ(out.size(), ref.values.size());
  for (size_t i = 0; i < out.size(); ++i) EXPECT_NEAR(out[i], ref.values[i], 2e-6) << i;
}

INSTANTIATE_TEST_SUITE_P(OpenCvCases, BoxBlur,
                         ::testing::Values("blur_8x16x1_k3x5", "blur_5x7x3_k4x4", "blur_3x3x1_k7x2",
                                           "blur_32x64x1_k16x16", "blur_6x9x2_k1x9"));

TEST(Masker, Reflect101Indices) {
  EXPECT_EQ(reflect101(-1, 5), 1);
  EXPECT_EQ(reflect101(-2, 5), 2);
  EXPECT_EQ(reflect101(5, 5), 3);
  EXPECT_EQ(reflect101(6, 5), 2);
  EXPECT_EQ(reflect101(-9, 3), 1);  // kernels wider than the image reflect repeatedly
  EXPECT_EQ(reflect101(4, 1), 0);
}

TEST(Masker, ParsesAndPrintsSpecs) {
  EXPECT_EQ(MaskerSpec::parse("zero").text(), "zero");
  EXPECT_EQ(MaskerSpec::parse("value:-1.5").value, -1.5);
  const MaskerSpec blur = MaskerSpec::parse("blur:16x8");
  EXPECT_EQ(blur.kx, 16);
  EXPECT_EQ(blur.ky, 8);
  EXPECT_FALSE(blur.backgroundIsFixed());
  EXPECT_EQ(blur.text(), "blur:16x8");
}
