package client

// Error codes: the API's stable "code" strings (Error.Code), for clients to
// act on without reading messages. A test of the server's API
// (server/api, contract_test.go) checks that the server answers each of
// them and that every code of the queue's domain errors is here.
const (
	// Issuing numbers and the office.
	CodeOfficeClosed     = "office_closed"      // outside opening hours (503; Error.ComeBackAt says when it opens)
	CodeCapReached       = "daily_cap_reached"  // the service's numbers for today are gone
	CodeNotServed        = "service_not_served" // no counter serves the service
	CodeServiceInactive  = "service_inactive"   // the service is switched off
	CodeUnknownService   = "unknown_service"    // no such service in the office
	CodeUnknownOffice    = "unknown_office"     // no such office
	CodeAlreadyHolding   = "already_has_number" // the phone already holds a live number of the service
	CodeSlotFull         = "slot_full"          // the appointment slot was just filled
	CodeAlreadyBooked    = "already_booked"     // the phone already has an appointment for the service that day
	CodeInvalid          = "invalid"            // a request the server cannot take as it is
	CodeInvalidCode      = "invalid_code"       // not a well-formed booking code (400)
	CodeWrongOffice      = "wrong_office"       // the device, session or booking belongs to another office
	CodeIdempotencyReuse = "idempotency_key_reused"

	// Checking bookings in (POST /offices/{office}/checkins). Status 404
	// always means an unknown code; a 409 carries one of the others.
	CodeUnknownBooking   = "unknown_booking"    // no booking has this code
	CodeBookingCancelled = "booking_cancelled"  // the booking was cancelled
	CodeTooEarly         = "too_early"          // before the check-in window; Error.ComeBackAt says when it opens
	CodeTooLate          = "too_late"           // after it, and the office refuses late check-ins
	CodeCheckedIn        = "already_checked_in" // the code was already used

	// Counter actions.
	CodeNobodyWaiting   = "nobody_waiting"
	CodeCounterNotOpen  = "counter_not_open"
	CodeNoCurrentTicket = "no_current_ticket"
	CodeBadTransition   = "bad_transition"
	CodeCounterBusy     = "counter_busy"
	CodeJustCalled      = "just_called" // the ticket was called a moment ago: a second press is refused
	CodeUnknownCounter  = "unknown_counter"
	CodeUnknownTicket   = "unknown_ticket"
	CodeNotYourCounter  = "not_your_counter"

	// Print jobs of counter stations (docs/station.md).
	CodeNoStation       = "no_station"        // the counter has no registered station: nothing was queued (409)
	CodePrintJobDone    = "print_job_done"    // the job was already acknowledged with the other result (409)
	CodeUnknownPrintJob = "unknown_print_job" // no job of this station's counter has this id (404)

	// Devices and staff (401 and 403).
	CodeDeviceKeyRequired = "device_key_required"
	CodeInvalidDeviceKey  = "invalid_device_key" // unknown or revoked: the device must be registered again
	CodeNotAKiosk         = "not_a_kiosk"
	CodeUnauthenticated   = "unauthenticated"
	CodeInvalidSession    = "invalid_session"
	CodeForbidden         = "forbidden"
	CodeLockedOut         = "locked_out"

	// Counter stations (docs/station.md) and their ratings.
	CodeNotAStation          = "not_a_station"         // a kiosk's or display's key where a station's is needed (403)
	CodeStationOtherCounter  = "station_other_counter" // a login at a station for another counter than its own (403)
	CodeStationCounterGone   = "station_counter_gone"  // the station's counter was removed from the office (409)
	CodeNoClerkPhoto         = "no_clerk_photo"        // nobody signed in at the counter, or no photo (404)
	CodeAlreadyRated         = "already_rated"         // the ticket was rated already, on the phone or at the station (409)
	CodeNotThisCounter       = "not_this_counter"      // the ticket was finished at another counter (403)
	CodeRatingTooLate        = "rating_too_late"       // done longer ago than the office's window (409)
	CodeNotDone              = "not_done"              // the ticket is not done yet (409)
	CodeUnknownRatingReason  = "unknown_reason"        // a reason id the office does not offer (400)
	CodeCounterRequired      = "counter_required"      // a station registered (or a clerk logged in) without a counter (400)
	CodeCounterNotForStation = "counter_not_station"   // a kiosk or display registered with a counter (400)

	// Limits and faults (429 and 503, with Retry-After).
	CodeRateLimited         = "rate_limited"
	CodeTooManyStreams      = "too_many_streams"
	CodeUnavailable         = "unavailable"
	CodeStorageFull         = "storage_full"
	CodeStorageBusy         = "storage_busy"
	CodeDatabaseUnavailable = "database_unavailable"
	CodeStorageError        = "storage_error"
)
