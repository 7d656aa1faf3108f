package main

import (
	"fmt"
	"os"
	"path/filepath"

	"luot/assets"
	"luot/server/officefile"
	"luot/server/queue"
)

// loadOffice writes, in dir, an office file of the demo office for a load
// run, and returns its path, for the started server's -import:
//
//   - with n counters (at least the demo's) and a clerk for each (nvK, with
//     the given PIN): counter qK serves what demo counter q((K−1) mod 4 + 1)
//     serves. A mixed load of hundreds of requests/s needs more than the
//     demo's four clerks: each clerk's next → start → done is sequential,
//     as at a real counter;
//   - with no daily cap of online numbers (remoteCapForLoad): the tool
//     measures what the server can do, and a real office's cap (a quarter
//     of a day's capacity) is reached in seconds at these rates. The
//     office-wide rate of online numbers is lifted by the server flags
//     serverArgsForLoad; the flood mode floods from one address, which
//     the per-address limits stop.
func loadOffice(dir string, n int, pin string) (string, error) {
	f, err := officefile.Parse(assets.DemoOffice)
	if err != nil {
		return "", err
	}
	base := f.Office.Counters
	if len(base) == 0 {
		return "", fmt.Errorf("the demo office has no counter")
	}
	have := map[string]bool{}
	for _, st := range f.Staff {
		have[st.ID] = true
	}
	for i := len(base) + 1; i <= n; i++ {
		k := base[(i-1)%len(base)]
		k.ID, k.Number, k.Name = fmt.Sprintf("q%d", i), i, fmt.Sprintf("Quầy %d", i)
		k.Services = append([]queue.CounterService(nil), k.Services...)
		f.Office.Counters = append(f.Office.Counters, k)
	}
	for i := range f.Office.Services {
		f.Office.Services[i].RemoteCap = remoteCapForLoad
	}
	for i := 1; i <= n; i++ {
		if id := fmt.Sprintf("nv%d", i); !have[id] {
			f.Staff = append(f.Staff, officefile.Staff{ID: id, Name: fmt.Sprintf("Cán bộ %d", i), Role: queue.RoleClerk, PIN: pin})
		}
	}
	if err := f.Validate(); err != nil {
		return "", err
	}
	path := filepath.Join(dir, fmt.Sprintf("office-%d-counters.json", n))
	w, err := os.Create(path)
	if err != nil {
		return "", err
	}
	if err := officefile.Encode(w, f); err != nil {
		w.Close()
		return "", err
	}
	return path, w.Close()
}

// remoteCapForLoad is the daily cap of online numbers of every service in
// the load office: more than any run gives.
const remoteCapForLoad = 1 << 30

// serverArgsForLoad lift the office-wide rate of online numbers of the
// server the tool starts (see loadOffice).
var serverArgsForLoad = []string{"-remote-burst", "1000000000", "-remote-every", "1ns"}
