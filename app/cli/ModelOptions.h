#pragma once
// The options of every command that runs a model: --threads and --exact-model.
#include "Arguments.h"
#include "model/Model.h"

namespace cli {

// Declare with the command's flags: Arguments(argv, valued, withModelFlags({...})).
std::set<std::string> withModelFlags(std::set<std::string> flags);

// --threads and --exact-model as load options; `shape` is the data's (C, H, W) when known.
sky::ModelLoadOptions modelLoadOptions(const Arguments& args, sky::ImageShape shape = {});
// Loads the model as the command's arguments ask.
std::unique_ptr<sky::Model> loadModel(const std::string& path, const Arguments& args, sky::ImageShape shape = {});

// One stderr line saying how forward-only work ran ("model: optimised (...)"), so a run that
// fell back to the module as saved says so.
void reportModelForward(const sky::Model& model);

}  // namespace cli
