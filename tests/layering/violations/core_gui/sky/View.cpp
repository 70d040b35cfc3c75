// Planted violation for the layering self-test: core must never include widgets.
#include <QWidget>
