#include <fstream>

#include "TestSupport.h"
#include "io/AtomicFile.h"

using namespace sky;
using skytest::expectSkyError;
using skytest::ScratchDir;

namespace {
std::string contents(const std::filesystem::path& p) {
  std::ifstream f(p);
  return std::string(std::istreambuf_iterator<char>(f), {});
}
void writeText(const std::filesystem::path& p, const std::string& text) { std::ofstream(p) << text; }
}  // namespace

TEST(AtomicFile, FailedWriteLeavesNoFileAndKeepsTheOldOne) {
  ScratchDir dir;
  writeText(dir / "out.txt", "old");
  expectSkyError(
      [&] {
        writeAtomically(dir / "out.txt", Overwrite::Allow, [](const std::filesystem::path& temp) {
          writeText(temp, "half");
          throw SkyError(ErrorKind::Cancelled, "stopped midway");
        });
      },
      ErrorKind::Cancelled, "midway");
  EXPECT_EQ(contents(dir / "out.txt"), "old");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

TEST(AtomicFile, RefusesExistingUnlessAllowed) {
  ScratchDir dir;
  writeText(dir / "out.txt", "old");
  auto write = [](const std::filesystem::path& t) { writeText(t, "new"); };
  expectSkyError([&] { writeAtomically(dir / "out.txt", Overwrite::Refuse, write); }, ErrorKind::OutputExists, "--force");
  EXPECT_EQ(contents(dir / "out.txt"), "old");
  writeAtomically(dir / "out.txt", Overwrite::Allow, write);
  EXPECT_EQ(contents(dir / "out.txt"), "new");
  writeAtomically(dir / "fresh.txt", Overwrite::Refuse, write);
  EXPECT_EQ(contents(dir / "fresh.txt"), "new");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 2);
}

TEST(AtomicFile, ReportsUnusableDestinations) {
  ScratchDir dir;
  auto write = [](const std::filesystem::path& t) { writeText(t, "x"); };
  expectSkyError([&] { writeAtomically(dir / "missing" / "out.txt", Overwrite::Refuse, write); },
                 ErrorKind::OutputUnwritable, "does not exist");
  expectSkyError([&] { writeAtomically(dir.path(), Overwrite::Allow, write); }, ErrorKind::OutputUnwritable,
                 "is a directory");
}
