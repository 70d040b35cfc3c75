// Planted violation for the layering self-test: LibTorch outside core/model/.
#include <torch/script.h>
