/* The HTML report of a dyad: inline CSS and SVG charts, facts, forecasts, sources. */
#include "store_impl.h"
