package api

import (
	"context"
	"crypto/subtle"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"luot/server/auth"
	"luot/server/engine"
)

type metrics struct {
	issued *prometheus.CounterVec
	// loginFailures counts refused logins by reason; loginAlerts the
	// alerts raised by repeated wrong PINs (loginguard.go).
	loginFailures *prometheus.CounterVec
	loginAlerts   *prometheus.CounterVec
	latency       *prometheus.HistogramVec
	handler       http.Handler
}

// waitingCollector reads the waiting counts from the engine's views at
// scrape time (they are computed once per change, so a scrape is cheap).
type waitingCollector struct {
	s    *Server
	desc *prometheus.Desc
}

func (c waitingCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c waitingCollector) Collect(ch chan<- prometheus.Metric) {
	for _, id := range c.s.eng.OfficeIDs() {
		v, err := c.s.eng.View(id)
		if err != nil {
			continue
		}
		for svc, n := range v.Snapshot().Waiting {
			ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), id, svc)
		}
	}
}

// outboxCollector reads the outbox's figures (Config.Notify) at scrape
// time: messages by state, the SMS delivery reports' outcomes, and the
// age of the oldest queued one.
type outboxCollector struct {
	s                       *Server
	messages, delivery, age *prometheus.Desc
}

func (c outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.messages
	ch <- c.delivery
	ch <- c.age
}

func (c outboxCollector) Collect(ch chan<- prometheus.Metric) {
	st := c.s.cfg.Notify
	if st == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	m, err := st.OutboxMetrics(ctx, c.s.now())
	if err != nil {
		c.s.log.Warn("outbox metrics not read", "err", err)
		return
	}
	for state, n := range map[string]int{"queued": m.Queued, "sent": m.Sent, "dead": m.Dead} {
		ch <- prometheus.MustNewConstMetric(c.messages, prometheus.GaugeValue, float64(n), state)
	}
	for outcome, n := range map[string]int{"delivered": m.Delivered, "undelivered": m.Undelivered} {
		ch <- prometheus.MustNewConstMetric(c.delivery, prometheus.GaugeValue, float64(n), outcome)
	}
	ch <- prometheus.MustNewConstMetric(c.age, prometheus.GaugeValue, m.Oldest.Seconds())
}

func newMetrics(s *Server, reg *prometheus.Registry) (*metrics, error) {
	if reg == nil {
		reg = prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	m := &metrics{
		issued: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "luot_tickets_issued_total",
			Help: "Tickets issued through the API, by office, service and source.",
		}, []string{"office", "service", "source"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "luot_http_request_duration_seconds",
			Help:    "API request latency by route pattern and status (websocket streams are not counted).",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "code"}),
		loginFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "luot_login_failures_total",
			Help: "Staff logins refused, by reason: wrong_pin, unknown_staff, rate (attempts per address), address_budget (wrong PINs per address), address_locked (an address locked out of an account), account_guarded (an account's budget for new addresses spent).",
		}, []string{"reason"}),
		loginAlerts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "luot_login_alerts_total",
			Help: "Alerts raised by repeated wrong PINs, by kind: address_locked, account_budget_spent, address_budget_spent (also logged as warnings and in the audit log).",
		}, []string{"kind"}),
	}
	for _, c := range []prometheus.Collector{m.issued, m.latency, m.loginFailures, m.loginAlerts,
		waitingCollector{s: s, desc: prometheus.NewDesc("luot_waiting_tickets", "Tickets waiting, by office and service.", []string{"office", "service"}, nil)},
		outboxCollector{s: s,
			messages: prometheus.NewDesc("luot_outbox_messages", "Messages to citizens in the outbox, by state: queued (to send or retry), sent, dead (given up).", []string{"state"}, nil),
			delivery: prometheus.NewDesc("luot_outbox_sms_delivery", "Sent SMS whose delivery report came, by outcome: delivered (every part reached the phone), undelivered (the network gave up on a part).", []string{"outcome"}, nil),
			age:      prometheus.NewDesc("luot_outbox_oldest_queued_seconds", "Age of the oldest queued message (0 when none): a sender that stopped shows here.", nil, nil)},
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "luot_websocket_clients",
			Help: "Event stream clients connected.",
		}, func() float64 { return float64(s.ws.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "luot_websocket_slow_drops_total",
			Help: "Event stream clients disconnected because they could not keep up.",
		}, func() float64 { return float64(s.hub.Dropped()) }),
	} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	// The engine's group commit, read at scrape time.
	for _, c := range []struct {
		name, help string
		value      func(engine.Stats) float64
	}{
		{"luot_commit_batches_total", "Durable transactions committed by the engine (group commit: each carries one or more changes).",
			func(st engine.Stats) float64 { return float64(st.Batches) }},
		{"luot_commit_changes_total", "Changes committed; divided by luot_commit_batches_total, the mean group-commit batch.",
			func(st engine.Stats) float64 { return float64(st.Changes) }},
		{"luot_engine_busy_seconds_total", "Time the engine spent running batches (commands, wait forecasts, commit, new view); near 1 s/s means commands queue.",
			func(st engine.Stats) float64 { return st.Busy.Seconds() }},
		{"luot_commit_seconds_total", "Part of the engine's busy time spent in the store's commit (writes and the durable sync).",
			func(st engine.Stats) float64 { return st.Commit.Seconds() }},
		{"luot_forecast_seconds_total", "Part of the engine's busy time spent replaying wait estimates.",
			func(st engine.Stats) float64 { return st.Forecast.Seconds() }},
	} {
		f := prometheus.NewCounterFunc(prometheus.CounterOpts{Name: c.name, Help: c.help},
			func() float64 { return c.value(s.eng.Stats()) })
		if err := reg.Register(f); err != nil {
			return nil, err
		}
	}
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg})
	return m, nil
}

// forwardingHeaders are the headers a reverse proxy adds: a request that
// carries one came through a proxy, even when its peer is loopback.
var forwardingHeaders = []string{"Forwarded", "X-Forwarded-For", "X-Real-IP"}

// operator checks that r may read the metrics: with Config.MetricsToken,
// that it sends it as a bearer token; without, that it comes from this
// machine — a loopback peer without forwarding headers, so that a reverse
// proxy on the same machine does not open the metrics to everyone it
// forwards. It returns the refusal, or nil. Staff sessions do not count:
// the metrics are for the machine's operator and their monitoring.
func (s *Server) operator(r *http.Request) *Error {
	if tok := s.cfg.MetricsToken; tok != "" {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare(auth.Hash(got), auth.Hash(tok)) != 1 {
			return newError(http.StatusUnauthorized, "metrics_token_required",
				"the metrics need the operator's token: send Authorization: Bearer <token> (the server's -metrics-token-file)")
		}
		return nil
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	ip := net.ParseIP(host)
	if err != nil || ip == nil || !ip.IsLoopback() {
		return errLoopbackOnly
	}
	for _, h := range forwardingHeaders {
		if r.Header.Get(h) != "" {
			return errLoopbackOnly
		}
	}
	return nil
}

var errLoopbackOnly = newError(http.StatusForbidden, "metrics_loopback_only",
	"the metrics are served only on the server's own machine (127.0.0.1); to read them from elsewhere, start the server with -metrics token")

// serveMetrics serves the Prometheus metrics to operators.
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	if err := s.operator(r); err != nil {
		if err.Status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="luot-metrics"`)
		}
		writeError(w, r, err)
		return
	}
	s.metrics.handler.ServeHTTP(w, r)
}
