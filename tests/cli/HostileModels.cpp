// Writes the misbehaving TorchScript models the bad-input suite feeds to skyinterpret-cli, each
// with a model card for (1, 64, 128) images (the demo grid), into the directory given:
//   nan_output.pt   returns NaN for every image
//   no_gradient.pt  detaches its input, so it has no input gradients
//   endless.pt      never returns (a loop no stop flag can reach; the CLI's watchdog must)
//   tqu_plain.pt    a well-behaved model of T, Q, U images (the app's channel check)
//   two_outputs.pt  a well-behaved convolution with two linear heads (the random-logit test)
// plus cards that are loose in one way each, beside copies of a plain model
//   card_no_format.pt, card_version_99.pt, card_no_outputs.pt, card_zero_height.pt
// Built in C++ (as core/model/TorchTraining.cpp builds its networks), so no Python is needed.
#include <torch/script.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

namespace {

const char* kCard = R"({"format": "skyinterpret-model-card/1",
 "input": {"channels": ["T"], "height": 64, "width": 128, "grid": "cartview"},
 "preprocessing": {"kind": "per-map-zscore", "fill_value": 0},
 "outputs": {"names": ["feature"], "logits": true}})";

void writeModel(const std::filesystem::path& dir, const std::string& name, const std::string& forward,
                const std::string& card) {
  torch::jit::Module m("Hostile");
  m.register_parameter("w", torch::ones({1}), false);
  m.define(forward);
  m.save((dir / (name + ".pt")).string());
  std::ofstream(dir / (name + ".json")) << card;
}

// A 3x3 convolution of 4 filters, ReLU, mean over the image, then two linear heads: its two
// outputs have different input gradients. Seeded, so the file is the same on every build.
void writeTwoOutputs(const std::filesystem::path& dir, const std::string& card) {
  torch::manual_seed(3);
  torch::jit::Module m("TwoHeads");
  m.register_parameter("c_w", torch::randn({4, 1, 3, 3}), false);
  m.register_parameter("c_b", torch::randn({4}) * 0.1, false);
  m.register_parameter("d_w", torch::randn({2, 4}), false);
  m.register_parameter("d_b", torch::zeros({2}), false);
  m.define(
      "def forward(self, x):\n"
      "    h = torch.relu(torch.conv2d(x, self.c_w, self.c_b, [1, 1], [1, 1]))\n"
      "    return torch.matmul(torch.mean(h * h, [2, 3]), self.d_w.t()) + self.d_b\n");
  m.save((dir / "two_outputs.pt").string());
  std::ofstream(dir / "two_outputs.json") << card;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto pos = text.find(from);
  if (pos == std::string::npos) throw std::runtime_error("card template lacks " + from);
  return text.replace(pos, from.size(), to);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: sky_hostile_models OUTDIR\n";
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  const std::string mean = "def forward(self, x):\n    return torch.mean(x, [1, 2, 3]).unsqueeze(1) * self.w\n";
  writeModel(dir, "nan_output",
             "def forward(self, x):\n    return torch.mean(x, [1, 2, 3]).unsqueeze(1) * self.w * float('nan')\n",
             kCard);
  writeModel(dir, "no_gradient", "def forward(self, x):\n    return torch.mean(x.detach(), [1, 2, 3]).unsqueeze(1)\n",
             kCard);
  writeModel(dir, "endless",
             "def forward(self, x):\n    y = torch.mean(x, [1, 2, 3]).unsqueeze(1)\n    i = 0\n    while i >= 0:\n"
             "        y = y * self.w\n        i = i + 1\n    return y\n",
             replaced(replaced(kCard, R"("height": 64, "width": 128)", R"("height": 32, "width": 64)"),
                      "per-map-zscore", "none"));
  writeModel(dir, "plain", mean, kCard);
  writeModel(dir, "tqu_plain", mean, replaced(kCard, R"("channels": ["T"])", R"("channels": ["T", "Q", "U"])"));
  writeTwoOutputs(dir, replaced(kCard, R"("names": ["feature"])", R"("names": ["a", "b"])"));
  writeModel(dir, "card_no_format", mean, replaced(kCard, R"("format": "skyinterpret-model-card/1",)", ""));
  writeModel(dir, "card_version_99", mean, replaced(kCard, "model-card/1", "model-card/99"));
  writeModel(dir, "card_no_outputs", mean,
             replaced(kCard, R"(,
 "outputs": {"names": ["feature"], "logits": true})",
                      ""));
  writeModel(dir, "card_zero_height", mean, replaced(kCard, R"("height": 64)", R"("height": 0)"));
  return 0;
}
