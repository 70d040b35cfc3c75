#pragma once
// Integration rules for Integrated Gradients, as Captum builds them: alphas in [0, 1] and
// step weights summing to 1.
#include <string>
#include <vector>

namespace sky {

enum class QuadratureRule { GaussLegendre, RiemannLeft, RiemannRight, RiemannMiddle, RiemannTrapezoid };

struct Quadrature {
  std::vector<double> alphas, weights;
};

// numpy's leggauss(n): nodes ascending in (-1, 1) and weights summing to 2.
void legendreGauss(int n, std::vector<double>& nodes, std::vector<double>& weights);

Quadrature quadrature(QuadratureRule rule, int steps);
QuadratureRule parseQuadratureRule(const std::string& text);  // gausslegendre, riemann_left, ...
const char* quadratureRuleName(QuadratureRule rule);

}  // namespace sky
