/* Dyad analytics, the actor network and the evidence list over the event store. */
#include "store_impl.h"
