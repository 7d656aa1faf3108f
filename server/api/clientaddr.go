package api

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Client addresses.
//
// Every per-address limit of the API (login attempts and wrong PINs, the
// citizens' writes, event stream connections) counts by clientAddr(r):
//
//   - the peer's address, or, when the peer is a trusted reverse proxy
//     (Config.TrustedProxies, the server's -trusted-proxies), the
//     right-most address of X-Forwarded-For that is not a trusted proxy
//     itself: that is the last hop a trusted proxy saw, and everything left
//     of it was written by the client and may be forged. X-Forwarded-For
//     from any other peer is ignored;
//   - an IPv4 address as is; an IPv6 address by its /64 prefix
//     ("2001:db8:1:2::/64"), since one subscriber, one phone on a mobile
//     network, gets a whole /64 and can pick any address in it.

// clientAddrKey is the context key under which ServeHTTP leaves the
// request's client address.
type clientAddrKey struct{}

// withClientAddr resolves the request's client address once, for every
// handler behind ServeHTTP.
func (s *Server) withClientAddr(r *http.Request) *http.Request {
	a := resolveClientAddr(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), s.cfg.TrustedProxies)
	return r.WithContext(context.WithValue(r.Context(), clientAddrKey{}, a))
}

// clientAddr is the address a request is counted by: an IPv4 address, or
// an IPv6 /64 prefix, taken from X-Forwarded-For only behind a trusted
// proxy (see above). It never is empty.
func clientAddr(r *http.Request) string {
	if a, ok := r.Context().Value(clientAddrKey{}).(string); ok {
		return a
	}
	// Not behind ServeHTTP (a handler called directly): the peer.
	return resolveClientAddr(r.RemoteAddr, nil, nil)
}

// maxForwardedHops bounds how many X-Forwarded-For entries are looked at.
const maxForwardedHops = 32

// resolveClientAddr is clientAddr for a peer address ("host:port"), the
// X-Forwarded-For header values in order, and the trusted proxies.
func resolveClientAddr(remote string, forwarded []string, trusted []netip.Prefix) string {
	peer, ok := parseHostAddr(remote)
	if !ok {
		if remote == "" {
			return "unknown"
		}
		return remote // not an IP address (a unix socket, a test): as is
	}
	client := peer
	if isTrusted(peer, trusted) {
		hops := 0
	walk:
		for i := len(forwarded) - 1; i >= 0; i-- {
			parts := strings.Split(forwarded[i], ",")
			for j := len(parts) - 1; j >= 0; j-- {
				if hops++; hops > maxForwardedHops {
					break walk
				}
				a, ok := parseHostAddr(strings.TrimSpace(parts[j]))
				if !ok {
					break walk // garbage left of a trusted hop: that hop is the client
				}
				client = a
				if !isTrusted(a, trusted) {
					break walk
				}
			}
		}
	}
	return addrGroup(client)
}

// parseHostAddr parses "1.2.3.4", "1.2.3.4:5678", "2001:db8::1" or
// "[2001:db8::1]:5678" (proxies write either).
func parseHostAddr(s string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.WithZone("").Unmap(), true
	}
	host, _, err := net.SplitHostPort(s)
	if err != nil {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.WithZone("").Unmap(), true
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// addrGroup is the key of an address: IPv4 as is, IPv6 by its /64.
func addrGroup(a netip.Addr) string {
	if a.Is4() {
		return a.String()
	}
	return netip.PrefixFrom(a, 64).Masked().String()
}

// ParseTrustedProxies parses the -trusted-proxies list: comma-separated
// CIDR prefixes ("10.0.0.0/8, fd00::/8") or single addresses. An empty
// list trusts no proxy (X-Forwarded-For is then always ignored).
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
				p = netip.PrefixFrom(a.Unmap(), p.Bits()-96) // ::ffff:10.0.0.0/104 is 10.0.0.0/8
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil || a.Zone() != "" {
			return nil, fmt.Errorf("trusted proxy %q is neither an address nor a CIDR prefix (such as 10.0.0.0/8 or fd00::/8)", truncate(f, 60))
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}
