#include <sys/stat.h>

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
  expectSkyError([&] { writeAtomically(dir / "out.txt", Overwrite::Refuse, write); }, ErrorKind::OutputExists,
                 "--force");
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

TEST(AtomicFile, NeverReplacesSpecialFiles) {
  ScratchDir dir;
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0644), 0);
  auto write = [](const std::filesystem::path& t) { writeText(t, "x"); };
  expectSkyError([&] { writeAtomically(dir / "fifo", Overwrite::Allow, write); }, ErrorKind::OutputUnwritable,
                 "is a FIFO");
  expectSkyError([&] { checkOutputPath(dir / "fifo", Overwrite::Allow); }, ErrorKind::OutputUnwritable,
                 "only regular files are written or replaced");
  EXPECT_TRUE(std::filesystem::is_fifo(dir / "fifo"));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

TEST(AtomicFile, OutputsOfOneCommandMustDiffer) {
  ScratchDir dir;
  expectSkyError(
      [&] {
        checkOutputPaths({dir / "a.npy", dir / "b.npy", dir / "sub" / ".." / "a.npy"}, Overwrite::Allow);
      },
      ErrorKind::InvalidArgument, "name the same file");
  std::filesystem::create_directory(dir / "sub");
  checkOutputPaths({dir / "a.npy", dir / "sub" / "a.npy"}, Overwrite::Refuse);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);  // the probe left nothing
}

TEST(AtomicFile, ErrorsNameTheTargetNotTheTemporaryFile) {
  ScratchDir dir;
  try {
    writeAtomically(dir / "out.npy", Overwrite::Refuse, [](const std::filesystem::path& temp) {
      throw SkyError(ErrorKind::OutputUnwritable, "writing " + temp.string() + " failed (disk full?)");
    });
    ADD_FAILURE() << "expected an error";
  } catch (const SkyError& e) {
    EXPECT_EQ(std::string(e.what()), "writing " + (dir / "out.npy").string() + " failed (disk full?)");
  }
}

TEST(AtomicFile, PendingTemporaryFilesCanBeRemovedForAForcedExit) {
  ScratchDir dir;
  writeAtomically(dir / "out.txt", Overwrite::Refuse, [&](const std::filesystem::path& temp) {
    writeText(temp, "half");
    EXPECT_TRUE(std::filesystem::exists(temp));
    removePendingTemporaryFiles();  // what the interrupt watchdog does before _exit
    EXPECT_FALSE(std::filesystem::exists(temp));
    writeText(temp, "whole");  // (only so that this write can finish)
  });
  EXPECT_EQ(contents(dir / "out.txt"), "whole");
}

TEST(AtomicFile, InputsMustBeRegularReadableFiles) {
  ScratchDir dir;
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0644), 0);
  expectSkyError([&] { requireReadableFile(dir / "none", "map"); }, ErrorKind::FileNotFound, "no such map");
  expectSkyError([&] { requireReadableFile(dir.path(), "map"); }, ErrorKind::FileNotFound, "is a directory, not a map");
  expectSkyError([&] { requireReadableFile(dir / "fifo", "map"); }, ErrorKind::FileNotFound, "is a FIFO, not a map");
  writeText(dir / "ok", "x");
  requireReadableFile(dir / "ok", "map");
}
