#!/bin/sh
# tumen's own dictionaries pass 'tumen dict check' (no errors; warnings are printed).
exec "$TUMEN" dict check "$SRC/data"
