package engine

import "luot/server/queue"

// Frozen returns the state this view was made from, for read-only queries
// that the view does not precompute (free appointment slots, a booking by
// code). It is shared by every reader: never modify it or apply to it.
func (v *View) Frozen() *queue.State { return v.state }
