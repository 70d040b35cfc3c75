// Planted violation for the layering self-test: LibTorch outside core/model/ and core/train/.
#include <torch/script.h>
