#include "ExplainerOptions.h"

#include <sstream>

#include "util/Error.h"

namespace cli {

std::set<std::string> explainerValuedOptions() {
  std::set<std::string> names;
  for (const auto& e : sky::explainers()) {
    for (const auto& p : e.parameters) {
      if (p.kind != sky::ParameterKind::Flag) names.insert(p.name);
    }
  }
  return names;
}

std::set<std::string> explainerFlagOptions() {
  std::set<std::string> names;
  for (const auto& e : sky::explainers()) {
    for (const auto& p : e.parameters) {
      if (p.kind == sky::ParameterKind::Flag) names.insert(p.name);
    }
  }
  return names;
}

sky::ExplainerSettings explainerSettings(const Arguments& args, const std::string& method) {
  const sky::Explainer& explainer = sky::findExplainer(method);
  std::set<std::string> own;
  sky::ExplainerSettings settings;
  for (const auto& p : explainer.parameters) {
    own.insert(p.name);
    if (p.kind == sky::ParameterKind::Flag) {
      if (args.has(p.name)) settings[p.name] = "true";
    } else if (const auto v = args.get(p.name)) {
      settings[p.name] = *v;
    }
  }
  for (const auto& name : explainerValuedOptions()) {
    if (!own.count(name) && args.get(name)) {
      throw sky::SkyError(sky::ErrorKind::Usage,
                          "--" + name + " is not an option of " + method + " (see explain --help)");
    }
  }
  for (const auto& name : explainerFlagOptions()) {
    if (!own.count(name) && args.has(name)) {
      throw sky::SkyError(sky::ErrorKind::Usage,
                          "--" + name + " is not an option of " + method + " (see explain --help)");
    }
  }
  return settings;
}

std::string methodNames() {
  std::string names;
  for (const auto& e : sky::explainers()) names += (names.empty() ? "" : "|") + e.name;
  return names;
}

std::string methodsHelp() {
  std::ostringstream out;
  out << "methods (explain, aggregate and batch --method NAME) and their options:\n";
  for (const auto& e : sky::explainers()) {
    out << "  " << e.name << "\n      " << e.label << ": " << e.summary << "."
        << (e.needsGradients ? " Needs input gradients." : "") << "\n";
    for (const auto& p : e.parameters) {
      out << "      --" << p.name;
      if (p.kind != sky::ParameterKind::Flag) out << " " << (p.kind == sky::ParameterKind::Choice ? "" : p.metavar);
      if (p.kind == sky::ParameterKind::Choice) {
        std::string choices;
        for (const auto& c : p.choices) choices += (choices.empty() ? "" : "|") + c;
        out << choices;
      }
      out << ": " << p.help;
      if (p.kind != sky::ParameterKind::Flag) out << " (default " << p.defaultValue << ")";
      out << "\n";
    }
  }
  return out.str();
}

}  // namespace cli
