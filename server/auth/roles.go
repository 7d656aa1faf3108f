package auth

import (
	"slices"

	"luot/server/queue"
)

// Perm is something a staff member may be allowed to do. Handlers ask
// for a permission (Can, Session.Can), never for a role, so that a new
// role (a moderator, a department's handler, an integration client, a
// counter station) is one line of roles below, not an edit of every
// handler.
type Perm string

// Permissions.
const (
	// ServeCounter: call and serve tickets at the counter logged in at,
	// issue numbers and check bookings in at the desk, read the office's
	// whole events (names, phones) on its event stream.
	ServeCounter Perm = "serve_counter"
	// AnyCounter: act at any counter of the office, and log in without
	// choosing a counter.
	AnyCounter Perm = "any_counter"
	// ManageOffice: change the office's configuration (hours, services,
	// counters, policy) and read its audit log.
	ManageOffice Perm = "manage_office"
	// ManageStaff: add staff, disable them, set their PINs.
	ManageStaff Perm = "manage_staff"
	// ManageDevices: register and revoke kiosks and displays.
	ManageDevices Perm = "manage_devices"
	// ReadReports: read the office's reports (with the citizens'
	// comments).
	ReadReports Perm = "read_reports"
	// ModerateReports: work on every feedback report of the office
	// (accept, refuse, assign, answer, hide photos …) and see its
	// reporter.
	ModerateReports Perm = "moderate_reports"
	// HandleReports: work on the feedback reports of one's unit
	// (queue.Staff.Unit, carried by the session) and see their reporter.
	HandleReports Perm = "handle_reports"
	// HandleDossiers: work on the dossiers of one's unit (the department
	// processing them): status, supplements, completion.
	HandleDossiers Perm = "handle_dossiers"
	// ManageDossiers: work on every dossier of the office, record
	// apologies, import dossiers, read the dossier reports. Receiving a
	// dossier and handing its result over are part of ServeCounter.
	ManageDossiers Perm = "manage_dossiers"
	// ReadProvince: read every office's figures side by side (queue,
	// dossiers, feedback reports: the province's statistics), whatever
	// office the session is of. No other permission comes with it.
	ReadProvince Perm = "read_province"
)

// roles is what each role may do. A role not listed may do nothing.
var roles = map[queue.Role][]Perm{
	queue.RoleClerk:     {ServeCounter},
	queue.RoleAdmin:     {ServeCounter, AnyCounter, ManageOffice, ManageStaff, ManageDevices, ReadReports, ModerateReports, ManageDossiers},
	queue.RoleModerator: {ModerateReports},
	queue.RoleHandler:   {HandleReports, HandleDossiers},
	queue.RoleProvince:  {ReadProvince},
}

// Can reports whether a staff member of role may do p.
func Can(role queue.Role, p Perm) bool {
	return slices.Contains(roles[role], p)
}

// KnownRole reports whether role is one this server knows (one that may
// be given to a staff member).
func KnownRole(role queue.Role) bool {
	_, ok := roles[role]
	return ok
}
