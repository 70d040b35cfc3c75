#include "model/Model.h"

namespace sky {

std::string ImageShape::text() const {
  return "(" + std::to_string(channels) + ", " + std::to_string(height) + ", " + std::to_string(width) + ")";
}

std::vector<std::string> Model::outputNames() const {
  if (static_cast<int>(card().outputNames.size()) == outputCount()) return card().outputNames;
  std::vector<std::string> names;
  for (int k = 0; k < outputCount(); ++k) names.push_back("output" + std::to_string(k));
  return names;
}

}  // namespace sky
