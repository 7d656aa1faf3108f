package stationstate

// Effect is something the model asks the running station to do (package
// stationdev): a request to the server. The model never waits for it;
// the station reports each effect's result back (Rated, SignedIn,
// Acted), and the model keeps what is in flight.
type Effect interface{ effect() }

// Rate posts a citizen's rating (client.RateAtStation). Key is its
// idempotency key, the same on every try of this one rating: the model
// tries again after a network failure (Rated) with the same Rate.
type Rate struct {
	Ticket  string
	Score   int
	Reasons []string
	Key     string
}

// SignIn opens the clerk's session at the station's counter
// (client.Login with the station's office and counter); report the
// result with SignedIn.
type SignIn struct {
	Staff string
	PIN   string
}

// SignOut ends the station's session. Expired is true when the server
// already said the session is gone: drop the token, call nothing. There
// is no result to report; the model has signed out already.
type SignOut struct {
	Expired bool
}

// Act runs a clerk's action on the station's counter
// (client.ActWithKey). Key is the idempotency key of this one press: keep
// it across retries. Press is the key name pressed. Report the result
// with Acted(Key, …).
type Act struct {
	Action Action
	Key    string
	Press  string
}

func (Rate) effect()    {}
func (SignIn) effect()  {}
func (SignOut) effect() {}
func (Act) effect()     {}
