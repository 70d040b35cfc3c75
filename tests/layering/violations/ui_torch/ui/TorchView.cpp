// Planted violation: the UI reaches models through sky::Model, never LibTorch.
#include <torch/script.h>
