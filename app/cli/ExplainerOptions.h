#pragma once
// The explainer options of explain, aggregate and batch, all read from the explainer registry
// (core/explain/ExplainerRegistry.h): adding an explainer there adds its options, usage and
// help text (and so the man page) here with no other edit.
#include <set>
#include <string>

#include "Arguments.h"
#include "explain/ExplainerRegistry.h"

namespace cli {

std::set<std::string> explainerValuedOptions();  // every parameter that takes a value
std::set<std::string> explainerFlagOptions();    // every switch

// The settings of `method` as given on the command line (absent ones take their defaults
// later). An option that belongs only to other methods is a usage error naming the method.
sky::ExplainerSettings explainerSettings(const Arguments& args, const std::string& method);

// "partition|integrated-gradients|...".
std::string methodNames();

// The "methods:" section of --help: each method, its summary and its options with defaults.
std::string methodsHelp();

}  // namespace cli
