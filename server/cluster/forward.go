package cluster

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"luot/server/engine"
	"luot/server/msgtext"
	"luot/server/queue"
)

// ForwardedHeader carries the cluster's secret on a request forwarded to
// the owner of its office; the owner runs it and never forwards it again.
const ForwardedHeader = "Luot-Cluster-Secret"

// MaxForwardBody is the largest request body that can be forwarded; a
// larger one (a photo upload) is served where it arrives, and reaches no
// office's engine.
const MaxForwardBody = 1 << 20

// forwardTimeout bounds a forwarded request.
const forwardTimeout = 15 * time.Second

// Forward wraps the server's handler: a write (not GET, HEAD or OPTIONS)
// runs here first; when it is refused because another process owns its
// office (engine.OwnerNeededHeader — the engine did nothing), it is sent
// once to the owner, with the secret, and the owner's answer is relayed.
// A forwarded request whose secret is wrong is refused with 403.
func (n *Node) Forward(next http.Handler) http.Handler {
	client := &http.Client{Timeout: forwardTimeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s := r.Header.Get(ForwardedHeader); s != "" {
			if !n.secretOK(s) {
				http.Error(w, "forbidden: wrong cluster secret", http.StatusForbidden)
				return
			}
			r.Header.Del(ForwardedHeader)
			next.ServeHTTP(w, r) // forwarded once: answered here, whatever it is
			return
		}
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, MaxForwardBody+1))
		if err != nil {
			next.ServeHTTP(w, r) // the handler meets the same broken body
			return
		}
		if len(body) > MaxForwardBody {
			r.Body = struct {
				io.Reader
				io.Closer
			}{io.MultiReader(bytes.NewReader(body), r.Body), r.Body}
			next.ServeHTTP(w, r)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := &recorder{header: http.Header{}}
		next.ServeHTTP(rec, r)
		office := rec.header.Get(engine.OwnerNeededHeader)
		if rec.status != http.StatusServiceUnavailable || office == "" {
			rec.relay(w)
			return
		}
		owner, err := n.Owner(r.Context(), office)
		if err != nil {
			n.log.Warn("cluster: find the owner to forward to", "office", office, "err", err)
		}
		if owner == "" || owner == n.base {
			rec.relay(w) // nobody, or this process just now: the client tries again
			return
		}
		n.forward(client, w, r, owner, body, office)
	})
}

// forward sends r to the owner and relays its answer.
func (n *Node) forward(client *http.Client, w http.ResponseWriter, r *http.Request, owner string, body []byte, office string) {
	ctx, cancel := context.WithTimeout(r.Context(), forwardTimeout)
	defer cancel()
	out, err := http.NewRequestWithContext(ctx, r.Method, owner+r.URL.RequestURI(), bytes.NewReader(body))
	if err == nil {
		for k, v := range r.Header {
			switch http.CanonicalHeaderKey(k) {
			case "Connection", "Keep-Alive", "Te", "Trailer", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "Proxy-Authorization":
				continue
			}
			out.Header[k] = v
		}
		out.Host = r.Host
		if ip, _, e := net.SplitHostPort(r.RemoteAddr); e == nil {
			out.Header.Set("X-Forwarded-For", strings.TrimPrefix(strings.Join(append(r.Header.Values("X-Forwarded-For"), ip), ", "), ", "))
		}
		out.Header.Set(ForwardedHeader, n.cfg.Secret)
	}
	var resp *http.Response
	if err == nil {
		resp, err = client.Do(out)
	}
	if err != nil {
		n.log.Warn("cluster: forward to the owner", "office", office, "owner", owner, "err", err)
		lang := msgtext.Lang(r.Header.Get("Accept-Language"))
		var b struct {
			Error struct {
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		b.Error.Code = errForward.Code
		b.Error.Message = msgtext.Say(lang, errForward.Template, errForward.Args, errForward.Message)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusServiceUnavailable)
		json.NewEncoder(w).Encode(&b)
		return
	}
	defer resp.Body.Close()
	for k, v := range resp.Header {
		switch http.CanonicalHeaderKey(k) {
		case "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length":
			continue
		}
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}

// errForward is the answer when the owner could not be reached.
var errForward = queue.NewError(queue.KindClosed, "forward_failed", "the server process that owns this office could not be reached, so the outcome is unknown; send the same request again (with the same idempotency key) in a moment")

// recorder keeps a handler's answer, to be relayed or replaced by the
// owner's.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(p)
}

// relay sends the kept answer.
func (r *recorder) relay(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header()[k] = v
	}
	if r.status == 0 {
		r.status = http.StatusOK
	}
	w.WriteHeader(r.status)
	w.Write(r.body.Bytes())
}
