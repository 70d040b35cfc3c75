#include <gtest/gtest.h>

#include "model/ForwardTuner.h"

using sky::ForwardConfig;
using sky::ForwardTuner;

TEST(ForwardTuner, TimesEveryCandidateOnRealCallsThenKeepsTheFastest) {
  ForwardTuner tuner(32);
  ASSERT_EQ(tuner.candidates().size(), 4u);  // {NCHW, channels-last} x {32, 8} rows
  // Seconds per row of each candidate: channels-last with 8 rows is the fastest.
  const auto cost = [](const ForwardConfig& c) { return (c.channelsLast ? 1.0 : 2.0) * (c.rows == 8 ? 1.0 : 1.5); };
  int calls = 0;
  while (!tuner.settled()) {
    const ForwardTuner::Choice choice = tuner.choose(32);
    ASSERT_GE(choice.candidate, 0) << "exploring calls are timed";
    // The warm-up call of each candidate is slow and must not count.
    const bool warmUp = calls % (1 + ForwardTuner::kTimedCalls) == 0;
    tuner.record(choice.candidate, cost(choice.config) * (warmUp ? 100.0 : 1.0));
    ASSERT_LT(++calls, 100);
  }
  EXPECT_EQ(calls, 4 * (1 + ForwardTuner::kTimedCalls));
  EXPECT_EQ(tuner.best(), (ForwardConfig{true, 8}));
  const ForwardTuner::Choice after = tuner.choose(32);
  EXPECT_EQ(after.config, (ForwardConfig{true, 8}));
  EXPECT_EQ(after.candidate, -1) << "no more timing once settled";
}

TEST(ForwardTuner, ShortCallsRunWhatFitsAndAreNotTimedAsFullCalls) {
  ForwardTuner tuner(32);
  // Three rows left: no candidate fits a full call, so the call is cut to three rows, untimed.
  const ForwardTuner::Choice tail = tuner.choose(3);
  EXPECT_EQ(tail.config.rows, 3);
  EXPECT_EQ(tail.candidate, -1);
  // Ten rows: the 8-row candidates fit and are explored first.
  const ForwardTuner::Choice ten = tuner.choose(10);
  EXPECT_EQ(ten.config.rows, 8);
  EXPECT_GE(ten.candidate, 0);
}

TEST(ForwardTuner, CandidatesRespectTheMemoryCap) {
  ForwardTuner small(5);  // a large image: at most five rows per call
  ASSERT_EQ(small.candidates().size(), 2u);
  for (const auto& c : small.candidates()) EXPECT_EQ(c.rows, 5);
  EXPECT_EQ(sky::describeLayout({true, 5}), "channels-last, 5 rows per call");
  EXPECT_EQ(sky::describeLayout({false, 1}), "NCHW, 1 row per call");
}
