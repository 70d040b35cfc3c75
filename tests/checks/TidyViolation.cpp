// Planted violation for the clang-tidy check's own test (modernize-use-nullptr).
int* tidyViolation() { return 0; }
