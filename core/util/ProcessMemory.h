#pragma once
// Start-up memory settings for every SkyInterpret executable.
//
// Page faults are expensive on the VMs we run on (~10 us per 4 KiB page): zero-filling a
// 400 MB map buffer took 1.1 s with 4 KiB pages and 0.06 s with transparent huge pages. glibc
// only lets malloc use huge pages through the `glibc.malloc.hugetlb` tunable, read once at
// process start, so the mains re-execute themselves once with it set (see README, "Speed").
// The same re-execution turns off mmap for large blocks and raises the trim threshold, as
// docs/STACK-NOTES.md measured for LibTorch (slower and history-dependent inference otherwise); the
// price is memory that stays with the process after a large job.
#include <string>

namespace sky {

// Call first thing in main(). Re-executes the program with GLIBC_TUNABLES extended unless the
// user already chose malloc tunables, SKY_NO_REEXEC is set, or this is the re-executed child.
// Returns normally (doing nothing) whenever re-execution is not wanted or fails.
void configureProcessMemory(int argc, char** argv);

// Physical memory of this machine in bytes (0 when unknown).
double physicalMemoryBytes();
// Throws SkyError(InvalidArgument) when `bytes` exceed the physical memory, naming `what`
// ("a HEALPix map of nside 4096 with 3 fields") and both sizes: a clear refusal up front
// instead of a bad_alloc (or the OOM killer) after minutes.
void requireMemory(double bytes, const std::string& what);

}  // namespace sky
