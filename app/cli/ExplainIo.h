#pragma once
// Reading explainer inputs and writing attribution outputs, shared by explain and batch.
#include <string>

#include "explain/Attribution.h"
#include "io/AtomicFile.h"
#include "model/ImageBatch.h"
#include "model/ModelCard.h"
#include "sky/Image.h"

namespace cli {

// X.npy: (C, H, W) or (N, C, H, W) projected images; MAP.fits: projected on the card's grid.
// Both then get the card's preprocessing unless `preprocess` is false (inputs that already are
// model input; FITS maps always get it). `notes` prints what was done to them on stderr.
// `mapNside`, when given, receives a FITS map's nside (0 for images).
sky::ImageBatch loadInputs(const std::string& path, const sky::ModelCard* card, bool preprocess = true,
                           bool notes = true, int* mapNside = nullptr);

// ATTR.npy: (images, targets, C, H, W) float64.
void writeAttributionNpy(const std::string& path, const sky::Attribution& a, sky::Overwrite overwrite);
// ATTR.json: method, parameters, targets, base values, outputs, timings, how the model ran.
// `modelForward`: how forward-only work ran (Model::forwardPath).
void writeSidecar(const std::string& path, const sky::Attribution& a, const std::string& model,
                  const std::string& modelForward, const std::string& input, sky::Overwrite overwrite);
// An attribution image from `explain`'s (N, K, C, H, W) output (image 0, slice `k` of K) or a
// plain (C, H, W) array.
sky::Image readAttributionImage(const std::string& path, int k);
// Every (image, target, channel) attribution image becomes one field of a HEALPix map.
void writeHealpix(const std::string& path, const sky::Attribution& a, int nside, sky::Overwrite overwrite);

}  // namespace cli
