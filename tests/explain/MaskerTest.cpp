#include "TestSupport.h"
#include "explain/Inpainting.h"
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

// numpy 1.24: np.array([-1.5877916, -0.639, 3.7, 300.5, -300.7, 255.9, 0.99], np.float32)
// .astype(np.uint8) is [255, 0, 3, 44, 212, 255, 0]: shap's inpainting sees these bytes.
TEST(Masker, InpaintingCastsToBytesAsNumpyDoes) {
  const float in[] = {-1.5877916f, -0.639f, 3.7f, 300.5f, -300.7f, 255.9f, 0.99f};
  const int expected[] = {255, 0, 3, 44, 212, 255, 0};
  for (size_t i = 0; i < 7; ++i) EXPECT_EQ(numpyUint8(in[i]), expected[i]) << in[i];
}

TEST(Masker, InpaintingFillsHiddenPixelsFromTheirNeighbours) {
  // A smooth 0..255 ramp: a hidden pixel comes back close to its neighbours; shown pixels keep
  // their (8-bit) values; everything hidden gives the channel mean.
  const int h = 16, w = 16;
  std::vector<float> image(h * w);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) image[y * w + x] = static_cast<float>(10 * x + 5);
  std::vector<uint8_t> present(h * w, 1);
  present[8 * w + 8] = 0;
  for (const char* kind : {"inpaint_telea", "inpaint_ns"}) {
    const auto out = maskedImage(MaskerSpec::parse(kind), image.data(), present.data(), h, w, 1);
    EXPECT_NEAR(out[8 * w + 8], 85.0, 6.0) << kind;
    EXPECT_EQ(out[3 * w + 2], 25.0f) << kind;
  }
  const std::vector<uint8_t> none(h * w, 0);
  const auto mean = maskedImage(MaskerSpec::parse("inpaint_telea"), image.data(), none.data(), h, w, 1);
  EXPECT_FLOAT_EQ(mean[0], 80.0f);
  EXPECT_EQ(MaskerSpec::parse("inpaint_ns").text(), "inpaint_ns");
  const std::vector<float> two(h * w * 2, 1.0f);
  const std::vector<uint8_t> all(h * w * 2, 1);
  skytest::expectSkyError([&] { maskedImage(MaskerSpec::parse("inpaint_telea"), two.data(), all.data(), h, w, 2); },
                          ErrorKind::InvalidArgument, "1 or 3 channels");
}
