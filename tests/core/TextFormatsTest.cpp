#include <fstream>

#include "TestSupport.h"
#include "io/Csv.h"
#include "io/Json.h"

using namespace sky;
using skytest::expectSkyError;
using skytest::ScratchDir;

TEST(Csv, RoundTripsAtFullPrecision) {
  ScratchDir dir;
  CsvTable t{{"ell", "TT"}, {{0, 1, 2}, {0.1, 1.0 / 3.0, -2.5e-12}}};
  writeCsv(dir / "cl.csv", t);
  std::ifstream in(dir / "cl.csv");
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header, "ell,TT");
  const CsvTable back = readCsv(dir / "cl.csv");
  EXPECT_EQ(back.header, t.header);
  EXPECT_EQ(back.columns, t.columns);
}

TEST(Csv, ReportsMalformedRows) {
  ScratchDir dir;
  std::ofstream(dir / "bad.csv") << "ell,TT\n0,1\n1,abc\n";
  expectSkyError([&] { readCsv(dir / "bad.csv"); }, ErrorKind::InvalidFormat, "bad.csv:3: 'abc' is not a number");
}

TEST(Json, WritesNestedValuesAndEscapes) {
  JsonWriter j;
  j.beginObject().value("name", "a\"b\n").value("n", 3).value("x", 0.5).value("nan", std::nan(""));
  j.numbers("v", {1.0, 2.5}).beginObject("o").value("ok", true).endObject().endObject();
  EXPECT_EQ(j.text(), R"({"name": "a\"b\n", "n": 3, "x": 0.5, "nan": null, "v": [1, 2.5], "o": {"ok": true}})");
}
