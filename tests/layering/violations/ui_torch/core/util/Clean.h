// A clean core for the UI check.
#pragma once
