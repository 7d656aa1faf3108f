package api

import (
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestResolveClientAddr(t *testing.T) {
	trusted, err := ParseTrustedProxies("10.0.0.0/8, 127.0.0.1, fd00::/8")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, remote string
		xff          []string
		trusted      []netip.Prefix
		want         string
	}{
		{"ipv4 peer", "198.51.100.7:5000", nil, nil, "198.51.100.7"},
		{"ipv6 peer by its /64", "[2001:db8:1:2:aaaa::1]:5000", nil, nil, "2001:db8:1:2::/64"},
		{"ipv4-mapped peer", "[::ffff:198.51.100.7]:5000", nil, nil, "198.51.100.7"},
		{"xff from an untrusted peer is ignored", "198.51.100.7:5000", []string{"203.0.113.9"}, trusted, "198.51.100.7"},
		{"xff without trusted proxies is ignored", "127.0.0.1:5000", []string{"203.0.113.9"}, nil, "127.0.0.1"},
		{"trusted peer: the right-most untrusted hop", "10.1.1.1:80", []string{"6.6.6.6, 203.0.113.9, 10.2.2.2"}, trusted, "203.0.113.9"},
		{"several headers read as one list", "10.1.1.1:80", []string{"6.6.6.6", "203.0.113.9", "10.2.2.2"}, trusted, "203.0.113.9"},
		{"ipv6 client behind a proxy", "[fd00::1]:80", []string{"2001:db8:9:9::5"}, trusted, "2001:db8:9:9::/64"},
		{"hop with a port", "10.1.1.1:80", []string{"[2001:db8::1]:4711, 203.0.113.9:1234"}, trusted, "203.0.113.9"},
		{"all hops trusted: the left-most", "10.1.1.1:80", []string{"10.3.3.3, 10.2.2.2"}, trusted, "10.3.3.3"},
		{"garbage left of a trusted hop", "10.1.1.1:80", []string{"evil, 10.2.2.2"}, trusted, "10.2.2.2"},
		{"garbage as the last hop", "10.1.1.1:80", []string{"not-an-address"}, trusted, "10.1.1.1"},
		{"empty header", "10.1.1.1:80", []string{""}, trusted, "10.1.1.1"},
		{"not an IP peer", "pipe", []string{"203.0.113.9"}, trusted, "pipe"},
	} {
		if got := resolveClientAddr(c.remote, c.xff, c.trusted); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestParseTrustedProxies(t *testing.T) {
	got, err := ParseTrustedProxies(" 10.0.0.0/8,192.168.1.7 , ::ffff:172.16.0.0/108, 2001:db8::/48,,")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.0.0.0/8", "192.168.1.7/32", "172.16.0.0/12", "2001:db8::/48"}
	if len(got) != len(want) {
		t.Fatalf("%v, want %v", got, want)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("%d: %v, want %s", i, got[i], want[i])
		}
	}
	if p, err := ParseTrustedProxies(""); err != nil || len(p) != 0 {
		t.Fatalf("empty list: %v %v", p, err)
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.example", "10.0.0.1/8/8", "fe80::1%eth0"} {
		if _, err := ParseTrustedProxies("10.0.0.0/8," + bad); err == nil || !strings.Contains(err.Error(), "CIDR") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func FuzzClientAddr(f *testing.F) {
	f.Add("10.1.1.1:80", "6.6.6.6, 203.0.113.9, 10.2.2.2", "10.0.0.0/8")
	f.Add("[fd00::1]:80", "[2001:db8::1]:4711,2001:db8:9:9::5", "fd00::/8,127.0.0.1")
	f.Add("198.51.100.7:5000", "203.0.113.9", "")
	f.Add("[::ffff:10.0.0.1]:1", "::ffff:203.0.113.9", "::ffff:10.0.0.0/104")
	f.Fuzz(func(t *testing.T, remote, xff, proxies string) {
		trusted, err := ParseTrustedProxies(proxies)
		if err != nil {
			if !strings.Contains(err.Error(), "CIDR") {
				t.Fatalf("error without advice: %v", err)
			}
			return
		}
		got := resolveClientAddr(remote, []string{xff}, trusted)
		if got == "" {
			t.Fatal("empty client address")
		}
		if peer, ok := parseHostAddr(remote); ok {
			if !isTrusted(peer, trusted) && got != addrGroup(peer) {
				t.Fatalf("untrusted peer %s: XFF %q was believed: %s", remote, xff, got)
			}
			if _, err := netip.ParseAddr(got); err != nil {
				if _, err := netip.ParsePrefix(got); err != nil {
					t.Fatalf("client %q is neither an address nor a /64", got)
				}
			}
		}
	})
}

// remoteAs takes a remote number with an X-Forwarded-For header.
func (e *env) remoteAs(t *testing.T, xff, phone string) resp {
	t.Helper()
	return e.do(t, req{method: "POST", path: "/api/v1/offices/" + office + "/remote-tickets", header: map[string]string{"X-Forwarded-For": xff},
		body: map[string]string{"service": "ho-tich", "phone": phone, "name": "Đỗ Văn Tâm"}})
}

// The test server's peer is 127.0.0.1. Without trusted proxies, every
// forged X-Forwarded-For still counts as that one address.
func TestForwardedForIgnoredFromUntrustedPeer(t *testing.T) {
	e := newEnv(t)
	e.api.SetCitizenLimits(CitizenLimits{PerIPBurst: 2, PerIPEvery: time.Hour, PerPhoneBurst: 100, PerPhoneEvery: time.Second})
	e.must(t, 201, e.remoteReq("203.0.113.1", "0901000001"))
	e.must(t, 201, e.remoteReq("203.0.113.2", "0901000002"))
	wantErr(t, e.remoteAs(t, "203.0.113.3", "0901000003"), http.StatusTooManyRequests, "rate_limited")
}

func (e *env) remoteReq(xff, phone string) req {
	return req{method: "POST", path: "/api/v1/offices/" + office + "/remote-tickets", header: map[string]string{"X-Forwarded-For": xff},
		body: map[string]string{"service": "ho-tich", "phone": phone, "name": "Đỗ Văn Tâm"}}
}

// Behind a trusted proxy, the client's address from X-Forwarded-For is
// what counts; an IPv6 client counts by its /64.
func TestForwardedForFromTrustedProxyAndIPv6Grouping(t *testing.T) {
	trusted, _ := ParseTrustedProxies("127.0.0.1")
	e := newEnv(t, withConfig(func(c *Config) { c.TrustedProxies = trusted }))
	e.api.SetCitizenLimits(CitizenLimits{PerIPBurst: 1, PerIPEvery: time.Hour, PerPhoneBurst: 100, PerPhoneEvery: time.Second})
	e.must(t, 201, e.remoteReq("203.0.113.1", "0901000001"))
	e.must(t, 201, e.remoteReq("203.0.113.2", "0901000002"))
	// A forged hop left of the real one changes nothing.
	wantErr(t, e.remoteAs(t, "198.51.100.9, 203.0.113.2", "0901000003"), http.StatusTooManyRequests, "rate_limited")
	// Two addresses of one /64 are one client; another /64 is another.
	e.must(t, 201, e.remoteReq("2001:db8:1:2::1", "0901000004"))
	wantErr(t, e.remoteAs(t, "2001:db8:1:2:ffff:ffff:ffff:fffe", "0901000005"), http.StatusTooManyRequests, "rate_limited")
	e.must(t, 201, e.remoteReq("2001:db8:1:3::1", "0901000006"))
}
