#pragma once
// Model-parameter randomisation for sanity checks (Adebayo et al. 2018): the layers of a
// TorchScript model that hold parameters, and copies of it with the last k of them
// re-initialised as PyTorch's reset_parameters() does (convolutions and linear layers
// uniform in +-1/sqrt(fan_in), batch norm back to the identity with fresh running statistics).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/Model.h"

namespace sky {

// Names of the layers holding parameters, from the output back to the input (the cascading
// order), e.g. "classifier.2 (Linear)". Throws SkyError for a file that is no TorchScript model.
std::vector<std::string> parameterisedLayers(const std::string& path);

// The model with its first `count` layers of parameterisedLayers() re-initialised (seeded);
// count 0 is the model as saved. Loaded with `options`, its card beside it as for the original.
std::unique_ptr<Model> loadRandomisedModel(const std::string& path, int count, uint64_t seed,
                                           const ModelLoadOptions& options = {});

}  // namespace sky
