#pragma once
// One exception type for everything core reports to a user: a category (which the CLI turns
// into its exit code and the GUI into a dialog title) plus a specific, human message.
#include <stdexcept>
#include <string>

namespace sky {

enum class ErrorKind {
  Usage = 2,             // bad command line
  FileNotFound = 3,      // input path missing or unreadable
  InvalidFormat = 4,     // not the format expected (not FITS, not HEALPix, bad NPY header...)
  InvalidData = 5,       // well-formed file whose content is unusable (truncated, wrong counts)
  InvalidArgument = 6,   // a parameter out of range (xsize < 2, nside not a power of two...)
  OutputExists = 7,      // refusing to overwrite without --force
  OutputUnwritable = 8,  // cannot create or rename the output file
  Cancelled = 9,         // the user stopped a long job
  Incomplete = 10,       // a batch finished, but some of its inputs failed (see its manifest)
  Internal = 1,          // a bug or an unexpected library failure
};

class SkyError : public std::runtime_error {
 public:
  SkyError(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }
  int exitCode() const { return static_cast<int>(kind_); }

 private:
  ErrorKind kind_;
};

}  // namespace sky
