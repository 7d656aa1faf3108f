package open311_test

// Conformance tests of Open311 GeoReport v2, written from the spec's text
// (http://wiki.open311.org/GeoReport_v2 and its Service Discovery page).
// Each test quotes the sentences it checks.

import (
	"context"
	"encoding/xml"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"luot/server/feedback"
	"luot/server/open311"
)

// "Provider endpoints must specify a url that will likely not change. This
// url must end in /discovery. Format must be both: xml, json."
func TestDiscovery(t *testing.T) {
	e := start(t)
	type doc struct {
		Changeset  string `json:"changeset" xml:"changeset"`
		Contact    string `json:"contact" xml:"contact"`
		KeyService string `json:"key_service" xml:"key_service"`
		Endpoints  []struct {
			Specification string   `json:"specification" xml:"specification"`
			URL           string   `json:"url" xml:"url"`
			Changeset     string   `json:"changeset" xml:"changeset"`
			Type          string   `json:"type" xml:"type"`
			Formats       []string `json:"formats" xml:"formats>format"`
		} `json:"endpoints" xml:"endpoints>endpoint"`
	}
	j := jsonOf[doc](t, e.get(t, "discovery.json", ""))
	x := xmlOf[struct {
		XMLName xml.Name `xml:"discovery"`
		doc
	}](t, e.get(t, "discovery.xml", ""))
	for _, d := range []doc{j, x.doc} {
		if len(d.Endpoints) != 1 {
			t.Fatalf("endpoints %+v", d.Endpoints)
		}
		ep := d.Endpoints[0]
		if ep.Specification != "http://wiki.open311.org/GeoReport_v2" || ep.URL != PublicURL+"/open311/v2" || ep.Type != "production" {
			t.Errorf("endpoint %+v", ep)
		}
		if !slices.Contains(ep.Formats, "text/xml") || !slices.Contains(ep.Formats, "application/json") {
			t.Errorf("formats %v: both XML and JSON are served", ep.Formats)
		}
		parseW3C(t, d.Changeset)
		if d.Contact == "" || d.KeyService == "" {
			t.Errorf("contact %q, key_service %q", d.Contact, d.KeyService)
		}
	}
}

// "XML is a required format, but JSON can be provided … The client can
// specify the desired format by appending the format name to the
// resource." "XML: Content-Type: text/xml; charset=utf-8", "JSON:
// Content-Type: application/json; charset=utf-8".
//
// GET Service List: "service_code: The unique identifier for the service
// request type", "service_name: The human readable name", "metadata:
// true: This service request type requires additional metadata so the
// client will need to make a call to the Service Definition method",
// "type: realtime: The service request ID will be returned immediately
// after the service request is submitted", "keywords: A comma separated
// list of tags", "group: A category to group this service type within".
func TestServiceList(t *testing.T) {
	e := start(t)
	type svc struct {
		Code        string `json:"service_code" xml:"service_code"`
		Name        string `json:"service_name" xml:"service_name"`
		Description string `json:"description" xml:"description"`
		Metadata    bool   `json:"metadata" xml:"metadata"`
		Type        string `json:"type" xml:"type"`
		Keywords    string `json:"keywords" xml:"keywords"`
		Group       string `json:"group" xml:"group"`
	}
	a := e.get(t, "services.json", "")
	if ct := a.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("JSON Content-Type %q", ct)
	}
	j := jsonOf[[]svc](t, a)
	ax := e.get(t, "services.xml", "")
	if ct := ax.header.Get("Content-Type"); ct != "text/xml; charset=utf-8" {
		t.Errorf("XML Content-Type %q", ct)
	}
	x := xmlOf[struct {
		XMLName  xml.Name `xml:"services"`
		Services []svc    `xml:"service"`
	}](t, ax)
	if !slices.Equal(j, x.Services) {
		t.Errorf("JSON and XML differ:\n%+v\n%+v", j, x.Services)
	}
	if len(j) != len(e.cfg.Categories) {
		t.Fatalf("%d services for %d categories", len(j), len(e.cfg.Categories))
	}
	want := svc{Code: "xay-dung", Name: "Trật tự xây dựng", Description: "Xây dựng không phép, lấn chiếm", Metadata: true,
		Type: "realtime", Keywords: "xay-dung, Construction order", Group: "Phòng Quản lý đô thị"}
	if j[0] != want {
		t.Errorf("service %+v, want %+v", j[0], want)
	}
	en := jsonOf[[]svc](t, e.get(t, "services.json", "en"))
	if en[0].Name != "Construction order" || en[0].Group != "Urban Management Office" {
		t.Errorf("in English: %+v", en[0])
	}
}

// GET Service Definition: "attributes … variable: true denotes that user
// input is needed", "code: A unique identifier for the attribute",
// "datatype: … singlevaluelist: A set of predefined values (specified in
// this response) where only one value may be selected", "required: true
// means that the value is required to submit service request", "order:
// The sort order that the attributes will be presented to the user. 1 is
// shown first", "values … key … name". Errors: "404 - service_code or
// jurisdiction_id provided were not found (specify in error response)".
func TestServiceDefinition(t *testing.T) {
	e := start(t)
	type attr struct {
		Variable    bool   `json:"variable" xml:"variable"`
		Code        string `json:"code" xml:"code"`
		Datatype    string `json:"datatype" xml:"datatype"`
		Required    bool   `json:"required" xml:"required"`
		Order       int    `json:"order" xml:"order"`
		Description string `json:"description" xml:"description"`
		Values      []struct {
			Key  string `json:"key" xml:"key"`
			Name string `json:"name" xml:"name"`
		} `json:"values" xml:"values>value"`
	}
	type def struct {
		Code       string `json:"service_code" xml:"service_code"`
		Attributes []attr `json:"attributes" xml:"attributes>attribute"`
	}
	j := jsonOf[def](t, e.get(t, "services/moi-truong.json", ""))
	x := xmlOf[struct {
		XMLName xml.Name `xml:"service_definition"`
		def
	}](t, e.get(t, "services/moi-truong.xml", ""))
	for _, d := range []def{j, x.def} {
		if d.Code != "moi-truong" || len(d.Attributes) != 3 {
			t.Fatalf("definition %+v", d)
		}
		an := d.Attributes[0]
		if an.Code != "anonymous" || !an.Required || !an.Variable || an.Datatype != "singlevaluelist" || an.Order != 1 ||
			len(an.Values) != 2 || an.Values[0].Key != "0" || an.Values[1].Key != "1" || an.Description == "" {
			t.Errorf("anonymous attribute %+v", an)
		}
		var orders []int
		for _, a := range d.Attributes {
			orders = append(orders, a.Order)
			if a.Code != "anonymous" && a.Required {
				t.Errorf("attribute %s is required", a.Code)
			}
		}
		if !slices.Equal(orders, []int{1, 2, 3}) {
			t.Errorf("orders %v", orders)
		}
	}
	for _, f := range []string{"json", "xml"} {
		checkError(t, e.get(t, "services/khong-co."+f, ""), f, 404)
	}
}

// POST Service Request: "Content-Type: application/x-www-form-urlencoded",
// "Requires API Key: Yes", "attribute: … This takes the form of
// attribute[code]=value", "location parameter: A full location parameter
// must be submitted. One of lat & long or address_string or address_id".
// Response: "service_request_id: The unique ID of the service request
// created", "token: … This should not be returned if service_request_id
// is returned", "service_notice: Information about the action expected to
// fulfill the request", "account_id: … May not be returned".
func TestPostRequest(t *testing.T) {
	e := start(t)
	for _, f := range []string{"json", "xml"} {
		a := e.post(t, "requests."+f, validForm(), "")
		if a.status != 201 {
			t.Fatalf("%s: status %d: %s", f, a.status, a)
		}
		var id, notice string
		if f == "json" {
			got := jsonOf[[]map[string]any](t, a)
			if len(got) != 1 {
				t.Fatalf("answer %s", a)
			}
			if v, ok := got[0]["account_id"]; !ok || v != nil {
				t.Errorf("account_id %v, want null", v)
			}
			if _, ok := got[0]["token"]; ok {
				t.Errorf("a token besides service_request_id: %s", a)
			}
			id, _ = got[0]["service_request_id"].(string)
			notice, _ = got[0]["service_notice"].(string)
		} else {
			got := xmlOf[xmlRequests](t, a)
			if len(got.Requests) != 1 || got.Requests[0].Token != "" {
				t.Fatalf("answer %s", a)
			}
			if got.Requests[0].AccountID == nil || *got.Requests[0].AccountID != "" {
				t.Errorf("account_id %v, want an empty element as in the spec's example", got.Requests[0].AccountID)
			}
			id, notice = got.Requests[0].ID, got.Requests[0].ServiceNotice
		}
		if !strings.HasPrefix(id, "PA-") {
			t.Fatalf("service_request_id %q", id)
		}
		if loc := a.header.Get("Location"); loc != PublicURL+"/open311/v2/requests/"+id+"."+f {
			t.Errorf("Location %q", loc)
		}
		// The notice carries the reporter's link to follow and rate.
		if !strings.Contains(notice, id) || !strings.Contains(notice, PublicURL+"/pa/"+id+"?k=") {
			t.Errorf("service_notice %q", notice)
		}
		r, err := e.srv.DB.Report(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if r.Channel != feedback.ChannelOpen311 || r.Client != "app" || r.Category != "xay-dung" || r.Unit != "qldt" ||
			r.Place.Point == nil || r.Place.Point.Lat != 10.7769 || r.Place.Address != "12 Lê Lợi, phường Bến Thành" ||
			r.Description != "Công trình xây dựng lấn chiếm vỉa hè\nđã ba tuần." {
			t.Errorf("stored %+v", r)
		}
		// The reporter is for staff: family name first, and the phone.
		if r.Reporter.Name != "Trần Văn Minh" || r.Reporter.Phone != "+84903123456" || r.Reporter.Anonymous {
			t.Errorf("reporter %+v", r.Reporter)
		}
	}
}

// media_url: "A URL to media associated with the request, for example an
// image." The server keeps the link for staff and never fetches it (a
// link-local address is as good as any: nothing reaches it), and answers
// never publish it: a request's media_url is a photo the city keeps.
func TestPostMediaURL(t *testing.T) {
	e := start(t)
	f := validForm()
	link := "http://169.254.169.254/latest/meta-data/"
	f.Set("media_url", link)
	a := e.post(t, "requests.json", f, "")
	if a.status != 201 {
		t.Fatalf("status %d: %s", a.status, a)
	}
	id := jsonOf[[]map[string]any](t, a)[0]["service_request_id"].(string)
	r, err := e.srv.DB.Report(context.Background(), id)
	if err != nil || r.MediaURL != link {
		t.Fatalf("stored media_url %q (%v), want %q", r.MediaURL, err, link)
	}
	for _, path := range []string{"requests/" + id + ".json", "requests/" + id + ".xml", "requests.json", "requests.xml"} {
		if got := e.get(t, path, "").String(); strings.Contains(got, "169.254") {
			t.Errorf("%s publishes the client's media_url: %s", path, got)
		}
	}
	// Staff read it in the API (the report page links to it); the
	// public report does not carry it.
	get := func(path, token string) string {
		req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
		}
		return string(b)
	}
	if got := get("/api/v1/feedback/reports/"+id, e.srv.Login(t, "admin", "")); !strings.Contains(got, `"media_url":"`+link+`"`) {
		t.Errorf("the staff API does not show the media_url: %s", got)
	}
	if got := get("/api/v1/reports/"+id, ""); strings.Contains(got, "169.254") {
		t.Errorf("the public report shows the media_url: %s", got)
	}
}

// The attributes: anonymous=1 keeps neither name nor phone;
// address_detail goes before address_string ("from most specific to most
// general geographic unit"); accuracy is the place's.
func TestPostAttributes(t *testing.T) {
	e := start(t)
	f := validForm()
	f.Set("attribute[anonymous]", "1")
	f.Set("attribute[address_detail]", "Ngõ 5, cạnh cột điện")
	f.Set("attribute[accuracy]", "25")
	a := e.post(t, "requests.json", f, "")
	if a.status != 201 {
		t.Fatalf("status %d: %s", a.status, a)
	}
	id := jsonOf[[]map[string]any](t, a)[0]["service_request_id"].(string)
	r, err := e.srv.DB.Report(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if r.Reporter.Name != "" || r.Reporter.Phone != "" || !r.Reporter.Anonymous {
		t.Errorf("anonymous report keeps %+v", r.Reporter)
	}
	if r.Place.Address != "Ngõ 5, cạnh cột điện, 12 Lê Lợi, phường Bến Thành" || r.Place.Point == nil || r.Place.Accuracy != 25 {
		t.Errorf("place %+v", r.Place)
	}
}

// Errors of POST: "404 - service_code or jurisdiction_id was not found",
// "400 - service_code or jurisdiction_id was not provided"; General
// Errors: "403 - Missing or Invalid API Key"; "HTTP error codes should
// always be 404 for resources that don't exist, 403 for errors because of
// wrong or missing api_key and basically 400 for any other error where
// the request can not be fulfilled as expected." A refused request files
// nothing.
func TestPostErrors(t *testing.T) {
	e := start(t, func(c *open311.Config) { c.KeyBurst = 1000 })
	sum := func(k string) []byte { s := sha256Sum(k); return s[:] }
	ctx := context.Background()
	if err := e.srv.DB.PutAPIClient(ctx, feedback.APIClient{ID: "old", Office: e.srv.Office, Name: "Ứng dụng cũ", Created: e.srv.Clock.Now(), Revoked: true}, sum("revoked-key-0123456789abcdef")); err != nil {
		t.Fatal(err)
	}
	// The province's one-stop system has a key of the dossiers' API: it
	// opens that API only.
	if err := e.srv.DB.PutAPIClient(ctx, feedback.APIClient{ID: "motcua", Office: e.srv.Office, Name: "Hệ thống một cửa tỉnh", Created: e.srv.Clock.Now(), Scope: feedback.ScopeDossiers}, sum("dossiers-key-0123456789abcdef")); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		change func(url.Values)
		status int
		says   string // in the English description
	}{
		{"missing required attribute", func(v url.Values) { v.Del("attribute[anonymous]") }, 400, "attribute[anonymous] is required"},
		{"attribute value not among the keys", func(v url.Values) { v.Set("attribute[anonymous]", "yes") }, 400, "one of the keys"},
		{"unknown attribute", func(v url.Values) { v.Set("attribute[colour]", "red") }, 400, "attribute[colour] is not an attribute"},
		{"accuracy not a number", func(v url.Values) { v.Set("attribute[accuracy]", "far") }, 400, "number of metres"},
		{"singlevaluelist with two values", func(v url.Values) { v.Del("attribute[anonymous]"); v["attribute[anonymous][]"] = []string{"0", "1"} }, 400, "takes one value"},
		{"unknown service", func(v url.Values) { v.Set("service_code", "khong-co") }, 404, "service_code \"khong-co\" was not found"},
		{"no service_code", func(v url.Values) { v.Del("service_code") }, 400, "service_code is required"},
		{"no api_key", func(v url.Values) { v.Del("api_key") }, 403, "api_key is required"},
		{"wrong api_key", func(v url.Values) { v.Set("api_key", "not-a-key") }, 403, "invalid api_key"},
		{"revoked api_key", func(v url.Values) { v.Set("api_key", "revoked-key-0123456789abcdef") }, 403, "invalid api_key"},
		{"api_key of the dossiers' API", func(v url.Values) { v.Set("api_key", "dossiers-key-0123456789abcdef") }, 403, "for the dossiers API, not for Open311"},
		{"no location", func(v url.Values) { v.Del("lat"); v.Del("long"); v.Del("address_string") }, 400, "a location is required"},
		{"address_id alone", func(v url.Values) {
			v.Del("lat")
			v.Del("long")
			v.Del("address_string")
			v.Set("address_id", "545483")
		}, 400, "address_id cannot be looked up"},
		{"lat without long", func(v url.Values) { v.Del("long") }, 400, "lat and long go together"},
		{"lat out of range", func(v url.Values) { v.Set("lat", "91") }, 400, "outside"},
		{"media_url not http", func(v url.Values) { v.Set("media_url", "javascript:alert(1)") }, 400, "media_url must be an http or https address"},
		{"media_url with a password", func(v url.Values) { v.Set("media_url", "https://u:p@app.example/a.jpg") }, 400, "without spaces, user name or password"},
		{"unknown parameter", func(v url.Values) { v.Set("priority", "high") }, 400, "parameter \"priority\" is not an argument"},
		{"repeated parameter", func(v url.Values) { v.Add("service_code", "moi-truong") }, 400, "sent 2 times"},
		{"description too long", func(v url.Values) { v.Set("description", strings.Repeat("a", 4001)) }, 400, "more than 4000"},
		{"control character", func(v url.Values) { v.Set("first_name", "A\x07") }, 400, "control"},
		{"not a phone", func(v url.Values) { v.Set("phone", "call me") }, 400, "not a phone number"},
		{"no description", func(v url.Values) { v.Del("description") }, 400, "description"},
	}
	for _, c := range cases {
		for _, f := range []string{"json", "xml"} {
			t.Run(c.name+"."+f, func(t *testing.T) {
				v := validForm()
				c.change(v)
				desc := checkError(t, e.post(t, "requests."+f, v, "en"), f, c.status)
				if !strings.Contains(desc, c.says) {
					t.Errorf("description %q does not say %q", desc, c.says)
				}
			})
		}
	}
	reps, err := e.srv.DB.Reports(ctx, feedback.Filter{Office: e.srv.Office})
	if err != nil || len(reps) != 0 {
		t.Errorf("refused requests filed %d reports (%v)", len(reps), err)
	}
	// A key in the URL is not read: it would be in logs.
	v := validForm()
	v.Del("api_key")
	if desc := checkError(t, e.post(t, "requests.json?api_key="+Key, v, "en"), "json", 403); !strings.Contains(desc, "not in the URL") {
		t.Errorf("key in the URL: %q", desc)
	}
	// Not a form.
	req := must(t, "POST", e.base+"requests.json", `{"service_code":"xay-dung"}`)
	req.Header.Set("Content-Type", "application/json")
	checkError(t, e.do(t, req), "json", 400)
}

// GET Service Requests: "service_request_id: To call multiple Service
// Requests at once, multiple service_request_id can be declared; comma
// delimited. This overrides all other arguments." "service_code: … can be
// declared multiple times, comma delimited". "start_date: Earliest
// datetime to include in search. When provided with end_date, allows one
// to search for requests which have a requested_datetime that matches a
// given range, but may not span more than 90 days." "When not specified,
// the range defaults to most recent 90 days. Must use w3 format, eg
// 2010-01-01T00:00:00Z." "status: … Options: open, closed".
func TestGetRequestsFilters(t *testing.T) {
	e := start(t)
	t0 := e.srv.Clock.Now() // 2026-11-27 08:00 +07:00
	file := func(at time.Time, service string) string {
		t.Helper()
		e.srv.Clock.Set(at)
		v := validForm()
		v.Set("service_code", service)
		a := e.post(t, "requests.json", v, "")
		if a.status != 201 {
			t.Fatalf("status %d: %s", a.status, a)
		}
		return jsonOf[[]map[string]any](t, a)[0]["service_request_id"].(string)
	}
	day := 24 * time.Hour
	a := file(t0, "xay-dung")                      // day 0
	b := file(t0.Add(20*day), "moi-truong")        // day 20, found unfounded below
	c := file(t0.Add(100*day), "xay-dung")         // day 100
	d := file(t0.Add(100*day+time.Hour), "do-thi") // day 100, an hour later
	now := e.srv.Clock.Now()
	moderator := feedback.Actor{Role: feedback.RoleModerator, ID: "admin", Name: "Quản trị"}
	if _, _, err := e.srv.DB.UpdateReport(context.Background(), b, func(r feedback.Report) (feedback.Event, error) {
		return feedback.Decide(e.cfg, r, feedback.Command{Action: feedback.ActUnfounded, Actor: moderator, Reason: "Đã kiểm tra: không có vi phạm"}, now)
	}); err != nil {
		t.Fatal(err)
	}
	w3 := func(t time.Time) string { return url.QueryEscape(t.Format(time.RFC3339)) }
	cases := []struct {
		query string
		want  []string // newest first
	}{
		{"", []string{d, c, b}}, // the most recent 90 days: not a (day 0)
		{"start_date=" + w3(t0.Add(-time.Hour)) + "&end_date=" + w3(t0.Add(30*day)), []string{b, a}},
		{"start_date=" + w3(t0.Add(5*day)), []string{b}},                         // start + 90 days
		{"end_date=" + w3(t0.Add(50*day)), []string{b, a}},                       // end − 90 days
		{"end_date=" + w3(t0), []string{a}},                                      // end_date is included
		{"status=closed", []string{b}},                                           // "closed: it has been resolved"
		{"status=open", []string{d, c}},                                          // "open: it has been reported"
		{"status=open,closed", []string{d, c, b}},                                // comma delimited
		{"service_code=moi-truong,do-thi", []string{d, b}},                       // comma delimited
		{"service_code=xay-dung&service_code=do-thi", []string{d, c}},            // declared multiple times
		{"service_request_id=" + a + "," + c + "&status=closed", []string{c, a}}, // overrides all other arguments
		{"start_date=2026-11-27T07:00:00%2B07:00&end_date=2026-11-27T09:00:00Z", []string{a}},
		{"start_date=2026-11-27T07:00:00+07:00&end_date=2026-11-28", []string{a}}, // an unencoded '+' reads as a space
		{"jurisdiction_id=example.gov.vn&service_code=moi-truong", []string{b}},   // one jurisdiction
	}
	for _, tc := range cases {
		for _, f := range []string{"json", "xml"} {
			ans := e.get(t, "requests."+f+"?"+tc.query, "")
			if ans.status != 200 {
				t.Errorf("%s %s: status %d: %s", f, tc.query, ans.status, ans)
				continue
			}
			var got []string
			if f == "json" {
				for _, r := range jsonOf[[]map[string]any](t, ans) {
					got = append(got, r["service_request_id"].(string))
				}
			} else {
				for _, r := range xmlOf[xmlRequests](t, ans).Requests {
					got = append(got, r.ID)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s ?%s: %v, want %v", f, tc.query, got, tc.want)
			}
		}
	}
	bad := []string{
		"start_date=" + w3(t0) + "&end_date=" + w3(t0.Add(91*day)), // "may not span more than 90 days"
		"start_date=" + w3(t0) + "&end_date=" + w3(t0.Add(-day)),
		"start_date=yesterday",
		"start_date=2026-11-27T07:00:00", // "Timezone information … must be included"
		"status=pending",
		"service_code=khong-co",
	}
	for _, q := range bad {
		for _, f := range []string{"json", "xml"} {
			checkError(t, e.get(t, "requests."+f+"?"+q, ""), f, 400)
		}
	}
}

// GET Service Request: "Query the current status of an individual
// request", with "status_notes: Explanation of why status was changed to
// current state", "agency_responsible: The agency responsible for
// fulfilling or otherwise addressing the service request",
// "requested_datetime … updated_datetime: … For requests with
// status=closed, this will be the date the request was closed",
// "expected_datetime: The date and time when the service request can be
// expected to be fulfilled", all "Returned in w3 format".
func TestSingleRequest(t *testing.T) {
	e := start(t)
	a := e.postMultipart(t, "requests.json", validForm(), jpeg(1))
	if a.status != 201 {
		t.Fatalf("status %d: %s", a.status, a)
	}
	id := jsonOf[[]map[string]any](t, a)[0]["service_request_id"].(string)
	created := e.srv.Clock.Now()
	ctx := context.Background()
	rep, err := e.srv.DB.Report(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"json", "xml"} {
		var r map[string]any
		if f == "json" {
			list := jsonOf[[]map[string]any](t, e.get(t, "requests/"+id+".json", ""))
			if len(list) != 1 {
				t.Fatalf("%d requests", len(list))
			}
			r = list[0]
		} else {
			x := xmlOf[xmlRequests](t, e.get(t, "requests/"+id+".xml", ""))
			if len(x.Requests) != 1 {
				t.Fatalf("%d requests", len(x.Requests))
			}
			q := x.Requests[0]
			r = map[string]any{"service_request_id": q.ID, "status": q.Status, "status_notes": q.StatusNotes, "service_name": q.ServiceName,
				"service_code": q.ServiceCode, "agency_responsible": q.AgencyResponsible, "requested_datetime": q.Requested,
				"updated_datetime": q.Updated, "expected_datetime": q.Expected, "address": q.Address, "lat": q.Lat, "long": q.Long, "media_url": q.MediaURL,
				"description": q.Description}
		}
		if r["service_request_id"] != id || r["status"] != "open" || r["service_code"] != "xay-dung" || r["service_name"] != "Trật tự xây dựng" ||
			r["agency_responsible"] != "Phòng Quản lý đô thị" || r["status_notes"] != "Mới, chờ tiếp nhận" ||
			r["lat"] != 10.7769 || r["long"] != 106.7009 || r["address"] != "12 Lê Lợi, phường Bến Thành" ||
			r["description"] != "Công trình xây dựng lấn chiếm vỉa hè\nđã ba tuần." {
			t.Errorf("%s: %v", f, r)
		}
		if got := parseW3C(t, r["requested_datetime"].(string)); !got.Equal(created) || !strings.HasSuffix(r["requested_datetime"].(string), "+07:00") {
			t.Errorf("%s: requested_datetime %v, want %v in the office's zone", f, r["requested_datetime"], created)
		}
		if got := parseW3C(t, r["expected_datetime"].(string)); !got.Equal(rep.ResolveDue) {
			t.Errorf("%s: expected_datetime %v, want the resolve deadline %v", f, got, rep.ResolveDue)
		}
		if r["media_url"] != PublicURL+"/api/v1/photos/"+rep.Photos[0].Hash {
			t.Errorf("%s: media_url %v", f, r["media_url"])
		}
	}
	// The city answers and resolves it: closed, with the answer as notes.
	moderator := feedback.Actor{Role: feedback.RoleModerator, ID: "admin", Name: "Quản trị"}
	for i, cmd := range []feedback.Command{
		{Action: feedback.ActAccept},
		{Action: feedback.ActAssign, Unit: "p-an-binh"},
		{Action: feedback.ActAnswer, Text: "Đã lập biên bản và buộc tháo dỡ phần lấn chiếm."},
		{Action: feedback.ActResolve},
	} {
		e.srv.Clock.Advance(time.Hour)
		cmd.Actor = moderator
		if _, _, err := e.srv.DB.UpdateReport(ctx, id, func(r feedback.Report) (feedback.Event, error) {
			return feedback.Decide(e.cfg, r, cmd, e.srv.Clock.Now())
		}); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	resolved := e.srv.Clock.Now()
	e.srv.Clock.Advance(time.Hour)
	r := jsonOf[[]map[string]any](t, e.get(t, "requests/"+id+".json", "en"))[0]
	if r["status"] != "closed" || r["status_notes"] != "Đã lập biên bản và buộc tháo dỡ phần lấn chiếm." ||
		r["agency_responsible"] != "An Binh Ward People's Committee" || r["service_name"] != "Construction order" {
		t.Errorf("resolved: %v", r)
	}
	if got := parseW3C(t, r["updated_datetime"].(string)); !got.Equal(resolved) {
		t.Errorf("updated_datetime %v, want the closing %v", got, resolved)
	}
	for _, f := range []string{"json", "xml"} {
		checkError(t, e.get(t, "requests/PA-0000-00000."+f, ""), f, 404)
	}
}

// The extension: multipart/form-data with the same fields and "media"
// file parts, which go through the photo pipeline.
func TestPostMultipartMedia(t *testing.T) {
	e := start(t)
	a := e.postMultipart(t, "requests.xml", validForm(), jpeg(1), jpeg(2))
	if a.status != 201 {
		t.Fatalf("status %d: %s", a.status, a)
	}
	id := xmlOf[xmlRequests](t, a).Requests[0].ID
	r, err := e.srv.DB.Report(context.Background(), id)
	if err != nil || len(r.Photos) != 2 {
		t.Fatalf("photos %+v (%v)", r.Photos, err)
	}
	for _, p := range r.Photos {
		if !e.dir.Has(p.Hash) {
			t.Errorf("photo %s is not in the folder", p.Hash)
		}
	}
	six := [][]byte{jpeg(1), jpeg(2), jpeg(3), jpeg(4), jpeg(5), jpeg(6)}
	checkError(t, e.postMultipart(t, "requests.json", validForm(), six...), "json", 400)
	// Without a valid key, the key is all that is said.
	nokey := validForm()
	nokey.Set("api_key", "wrong")
	checkError(t, e.postMultipart(t, "requests.json", nokey, six...), "json", 403)
	checkError(t, e.postMultipart(t, "requests.json", validForm(), []byte("GIF89a not a photo")), "json", 400)
	big := append(jpeg(7), make([]byte, 10<<20)...)
	checkError(t, e.postMultipart(t, "requests.json", validForm(), big), "json", 413)
	// The fields are checked too: a bad one refuses the photos with it,
	// and nothing is written.
	v := validForm()
	v.Del("attribute[anonymous]")
	checkError(t, e.postMultipart(t, "requests.json", v, jpeg(8)), "json", 400)
	n := 0
	_ = filepath.WalkDir(e.dir.Root(), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(p, ".t.jpg") {
			n++
		}
		return nil
	})
	if n != 2 {
		t.Errorf("%d photos in the folder, want the report's 2", n)
	}
}

// "tokens … This call is only necessary if the response from POST Service
// Request contains a token"; every service here is realtime, so none is.
// "404 - jurisdiction_id or token not found (specified in error response)".
func TestTokens(t *testing.T) {
	e := start(t)
	for _, f := range []string{"json", "xml"} {
		checkError(t, e.get(t, "tokens/12345."+f, ""), f, 404)
	}
}

// Errors: "code: The error code representing the type of error. In most
// cases, this should match the HTTP status code returned in the HTTP
// header." "description: A human readable description of the error that
// occurred. This is meant to be seen by the user." "Multiple errors codes
// and descriptions can be returned in the body (the response is an
// array)." The description is in the user's language (Accept-Language,
// Vietnamese by default, as every message of the server).
func TestErrorFormat(t *testing.T) {
	e := start(t)
	vi := checkError(t, e.get(t, "services/khong-co.json", ""), "json", 404)
	en := checkError(t, e.get(t, "services/khong-co.json", "en"), "json", 404)
	if vi == en || !strings.Contains(en, "was not found") {
		t.Errorf("Vietnamese %q, English %q", vi, en)
	}
	// Several problems at once: several errors.
	v := validForm()
	v.Set("lat", "x")
	v.Set("phone", "abc")
	a := e.post(t, "requests.json", v, "en")
	checkError(t, a, "json", 400)
	if errs := jsonOf[[]jsonError](t, a); len(errs) != 2 {
		t.Errorf("%d errors, want 2: %s", len(errs), a)
	}
	// No format, an unknown one, an unknown resource, a wrong method.
	checkError(t, e.get(t, "services", ""), "xml", 404)
	checkError(t, e.get(t, "services.csv", ""), "xml", 400)
	checkError(t, e.get(t, "reports.json", ""), "json", 404)
	req := must(t, "DELETE", e.base+"requests.json", "")
	ans := e.do(t, req)
	checkError(t, ans, "json", 405)
	if ans.header.Get("Allow") != "GET, POST" {
		t.Errorf("Allow %q", ans.header.Get("Allow"))
	}
}

// The reporter's identity (name, phone, e-mail) is in no answer, in no
// format, of any resource.
func TestNoReporterIdentity(t *testing.T) {
	e := start(t)
	for _, f := range []string{"json", "xml"} {
		a := e.post(t, "requests."+f, validForm(), "")
		if a.status != 201 {
			t.Fatalf("status %d: %s", a.status, a)
		}
	}
	secrets := []string{"Minh", "Trần", "0903", "903123456", "123 456", "example.com"}
	for _, path := range []string{"requests.json", "requests.xml", "services.json", "discovery.xml"} {
		a := e.get(t, path, "")
		for _, s := range secrets {
			if strings.Contains(a.String(), s) {
				t.Errorf("%s shows %q: %s", path, s, a)
			}
		}
	}
	list := jsonOf[[]map[string]any](t, e.get(t, "requests.json", ""))
	for _, r := range list {
		for _, s := range secrets {
			if strings.Contains(e.get(t, "requests/"+r["service_request_id"].(string)+".xml", "").String(), s) {
				t.Errorf("request %v shows %q", r["service_request_id"], s)
			}
		}
	}
}

// Rate limits: per API key on POST, per client address on everything;
// beyond them 429 with Retry-After, in the spec's error shape.
func TestRateLimits(t *testing.T) {
	e := start(t, func(c *open311.Config) { c.KeyBurst = 2; c.AddrBurst = 10 })
	for i := range 2 {
		if a := e.post(t, "requests.json", validForm(), ""); a.status != 201 {
			t.Fatalf("POST %d: %d %s", i, a.status, a)
		}
	}
	a := e.post(t, "requests.json", validForm(), "")
	checkError(t, a, "json", 429)
	if a.header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	e.srv.Clock.Advance(6 * time.Second)
	if a := e.post(t, "requests.json", validForm(), ""); a.status != 201 {
		t.Fatalf("after the wait: %d %s", a.status, a)
	}
	for i := range 9 { // the clock's 6 s refilled the address's 10
		if a := e.get(t, "services.json", ""); a.status != 200 {
			t.Fatalf("GET %d: %d", i, a.status)
		}
	}
	checkError(t, e.get(t, "services.xml", ""), "xml", 429)
}

// Free text is escaped in both formats: a description with markup reads
// back as the same text, and the raw answer carries no tag of it.
func TestEscaping(t *testing.T) {
	e := start(t)
	v := validForm()
	const desc = `<script>alert("x")</script> & <b>đèn</b> ]]>`
	v.Set("description", desc)
	a := e.post(t, "requests.json", v, "")
	if a.status != 201 {
		t.Fatalf("status %d: %s", a.status, a)
	}
	id := jsonOf[[]map[string]any](t, a)[0]["service_request_id"].(string)
	j := e.get(t, "requests/"+id+".json", "")
	x := e.get(t, "requests/"+id+".xml", "")
	for _, ans := range []answer{j, x} {
		if strings.Contains(ans.String(), "<script>") || strings.Contains(ans.String(), "<b>") {
			t.Errorf("markup unescaped: %s", ans)
		}
	}
	if got := jsonOf[[]map[string]any](t, j)[0]["description"]; got != desc {
		t.Errorf("JSON description %q", got)
	}
	if got := xmlOf[xmlRequests](t, x).Requests[0].Description; got != desc {
		t.Errorf("XML description %q", got)
	}
}
