// libFuzzer: the model-card reader (and the JSON parser under it) must answer any text with a
// card or a SkyError, and a card it accepts must survive writing and reading back unchanged.
#include <cstddef>
#include <cstdint>
#include <string>

#include "model/ModelCard.h"
#include "util/Error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const sky::ModelCard card = sky::parseModelCard(text, "fuzz");
    const sky::ModelCard back = sky::parseModelCard(sky::modelCardJson(card), "again");
    if (back.channels != card.channels || back.height != card.height || back.width != card.width ||
        back.outputNames != card.outputNames || back.preprocessing != card.preprocessing) {
      __builtin_trap();
    }
  } catch (const sky::SkyError&) {
  }
  return 0;
}
