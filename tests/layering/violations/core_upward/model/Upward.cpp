// Planted violation: model/ is below analysis/, so it must not include it.
#include "analysis/ClassificationMetrics.h"
