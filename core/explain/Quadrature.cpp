#include "explain/Quadrature.h"

#include <cmath>
#include <numbers>

#include "util/Error.h"

namespace sky {

void legendreGauss(int n, std::vector<double>& nodes, std::vector<double>& weights) {
  nodes.assign(n, 0.0);
  weights.assign(n, 0.0);
  for (int i = 0; i < n; ++i) {
    // Newton's method on P_n from the Tricomi initial guess; converges to machine precision.
    double x = std::cos(std::numbers::pi * (i + 0.75) / (n + 0.5));
    double dp = 1.0;
    for (int iter = 0; iter < 100; ++iter) {
      double p0 = 1.0, p1 = x;
      for (int k = 2; k <= n; ++k) {
        const double pk = ((2.0 * k - 1.0) * x * p1 - (k - 1.0) * p0) / k;
        p0 = p1;
        p1 = pk;
      }
      const double pn = n == 0 ? 1.0 : (n == 1 ? x : p1);
      const double pnm1 = n == 1 ? 1.0 : p0;
      dp = n * (x * pn - pnm1) / (x * x - 1.0);
      const double dx = pn / dp;
      x -= dx;
      if (std::abs(dx) < 1e-16) break;
    }
    nodes[n - 1 - i] = x;  // ascending, as numpy
    weights[n - 1 - i] = 2.0 / ((1.0 - x * x) * dp * dp);
  }
}

Quadrature quadrature(QuadratureRule rule, int steps) {
  if (steps < 1 || steps > 100000) {
    throw SkyError(ErrorKind::InvalidArgument,
                   "steps must be between 1 and 100000 (got " + std::to_string(steps) + ")");
  }
  Quadrature q;
  const double n = steps;
  switch (rule) {
    case QuadratureRule::GaussLegendre: {
      std::vector<double> x, w;
      legendreGauss(steps, x, w);
      for (int i = 0; i < steps; ++i) {
        q.alphas.push_back(0.5 * (1.0 + x[i]));
        q.weights.push_back(0.5 * w[i]);
      }
      return q;
    }
    case QuadratureRule::RiemannTrapezoid:
      if (steps < 2) throw SkyError(ErrorKind::InvalidArgument, "the trapezoid rule needs at least 2 steps");
      for (int i = 0; i < steps; ++i) {
        q.alphas.push_back(i / (n - 1.0));
        q.weights.push_back((i == 0 || i == steps - 1) ? 1.0 / (2.0 * (n - 1.0)) : 1.0 / (n - 1.0));
      }
      return q;
    default:
      for (int i = 0; i < steps; ++i) {
        const double offset = rule == QuadratureRule::RiemannLeft    ? 0.0
                              : rule == QuadratureRule::RiemannRight ? 1.0
                                                                     : 0.5;
        q.alphas.push_back((i + offset) / n);
        q.weights.push_back(1.0 / n);
      }
      return q;
  }
}

QuadratureRule parseQuadratureRule(const std::string& text) {
  if (text == "gausslegendre") return QuadratureRule::GaussLegendre;
  if (text == "riemann_left") return QuadratureRule::RiemannLeft;
  if (text == "riemann_right") return QuadratureRule::RiemannRight;
  if (text == "riemann_middle") return QuadratureRule::RiemannMiddle;
  if (text == "riemann_trapezoid") return QuadratureRule::RiemannTrapezoid;
  throw SkyError(ErrorKind::InvalidArgument,
                 "unknown integration method '" + text +
                     "' (gausslegendre, riemann_left, riemann_right, riemann_middle, riemann_trapezoid)");
}

const char* quadratureRuleName(QuadratureRule rule) {
  switch (rule) {
    case QuadratureRule::GaussLegendre:
      return "gausslegendre";
    case QuadratureRule::RiemannLeft:
      return "riemann_left";
    case QuadratureRule::RiemannRight:
      return "riemann_right";
    case QuadratureRule::RiemannMiddle:
      return "riemann_middle";
    default:
      return "riemann_trapezoid";
  }
}

}  // namespace sky
