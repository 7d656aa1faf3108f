package api

// citizenRoutes registers the citizens' API: remote tickets, slots,
// bookings, check-ins, ratings and the ticket event stream.
func (s *Server) citizenRoutes() {}
