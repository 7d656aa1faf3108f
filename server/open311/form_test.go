package open311

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"luot/server/feedback"
)

// The spec's example request, as its "Example Request" writes it (with a
// Vietnamese phone number, the required attribute of this server's
// services instead of the example's, and no media_url, which this server
// refuses).
const specExample = "api_key=xyz&jurisdiction_id=city.gov&service_code=001&lat=37.76524078&long=-122.4212043&address_string=1234+5th+street&email=smit333%40sfgov.edu&device_id=tt222111&account_id=123456&first_name=john&last_name=smith&phone=111111111&description=A+large+sinkhole+is+destroying+the+street&attribute[WHISPAWN]=123456&attribute[WHISDORN]=COISL001"

func TestDecodeFormSpecExample(t *testing.T) {
	v, err := url.ParseQuery(specExample)
	if err != nil {
		t.Fatal(err)
	}
	f, errs := decodeForm(v)
	if len(errs) > 0 {
		t.Fatalf("errors %v", errs)
	}
	if f.APIKey != "xyz" || f.ServiceCode != "001" || *f.Lat != 37.76524078 || *f.Long != -122.4212043 ||
		f.AddressString != "1234 5th street" || f.Email != "smit333@sfgov.edu" || f.FirstName != "john" || f.LastName != "smith" ||
		f.Phone != "111111111" || f.Description != "A large sinkhole is destroying the street" ||
		f.Attributes["WHISPAWN"][0] != "123456" || f.Attributes["WHISDORN"][0] != "COISL001" {
		t.Errorf("%+v", f)
	}
}

// "multiple values for the same code in the case of a multivaluelist
// datatype (attribute[code1][]=value1&attribute[code1][]=value2…)";
// "Optional … the response should be the same whether a parameter is
// passed and is empty or is not passed at all".
func TestDecodeFormAttributesAndEmpty(t *testing.T) {
	v, _ := url.ParseQuery("service_code=a&address_string=x&attribute[m][]=1&attribute[m][]=2&attribute[e]=&email=&lat=&long=")
	f, errs := decodeForm(v)
	if len(errs) > 0 {
		t.Fatalf("errors %v", errs)
	}
	if got := f.Attributes["m"]; len(got) != 2 || got[0] != "1" || got[1] != "2" {
		t.Errorf("multivaluelist %v", got)
	}
	if _, ok := f.Attributes["e"]; ok || f.Lat != nil || f.Email != "" {
		t.Errorf("empty values kept: %+v", f)
	}
}

func TestDecodeFormRefuses(t *testing.T) {
	cases := map[string]string{
		"service_code=a&address_string=x&attribute[a b]=1":              "invalid_attribute",
		"service_code=a&address_string=x&attribute[a]=1&attribute[a]=2": "repeated_attribute",
		"service_code=a&address_string=x&nonsense=1":                    "unknown_parameter",
		"service_code=a&address_string=x&lat=1":                         "lat_long_pair",
		"service_code=a&lat=NaN&long=1":                                 "invalid_coordinate",
		"service_code=a&lat=1&long=181":                                 "coordinate_out_of_range",
		"service_code=a&address_string=%FF":                             "invalid_text",
		"service_code=a&address_string=a%E2%80%AEb":                     "invalid_text", // right-to-left override
		"address_string=x":                                              "service_code_required",
		"service_code=a":                                                "location_required",
		"service_code=a&address_string=x&phone=12":                      "invalid_phone",
	}
	for q, code := range cases {
		v, err := url.ParseQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		_, errs := decodeForm(v)
		if len(errs) == 0 || errs[0].Err.Code != code {
			t.Errorf("%s: %v, want %s", q, errs, code)
		}
	}
	// A description keeps its line breaks; a name may not have any.
	v := url.Values{"service_code": {"a"}, "address_string": {"x"}, "description": {"một\r\nhai\tba"}, "first_name": {"a\nb"}}
	f, errs := decodeForm(v)
	if f.Description != "một\r\nhai\tba" || len(errs) != 1 || errs[0].Err.Args["field"] != "first_name" {
		t.Errorf("%q %v", f.Description, errs)
	}
}

// The W3C note's forms, with the zone the spec requires for a date and
// time; a date alone is the office's midnight.
func TestParseW3C(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	ok := map[string]time.Time{
		"2010-01-01T00:00:00Z":         time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC),
		"1994-11-05T08:15:30-05:00":    time.Date(1994, 11, 5, 13, 15, 30, 0, time.UTC),
		"1994-11-05T13:15:30Z":         time.Date(1994, 11, 5, 13, 15, 30, 0, time.UTC),
		"1997-07-16T19:20+01:00":       time.Date(1997, 7, 16, 18, 20, 0, 0, time.UTC),
		"1997-07-16T19:20:30.45+01:00": time.Date(1997, 7, 16, 18, 20, 30, 450_000_000, time.UTC),
		"2026-12-01T00:00:00 07:00":    time.Date(2026, 11, 30, 17, 0, 0, 0, time.UTC), // '+' decoded as a space
		"2026-12-01":                   time.Date(2026, 12, 1, 0, 0, 0, 0, ict),
	}
	for s, want := range ok {
		got, good := parseW3C(s, ict)
		if !good || !got.Equal(want) {
			t.Errorf("%q: %v %v, want %v", s, got, good, want)
		}
	}
	for _, s := range []string{"", "2026-12-01T00:00:00", "yesterday", "2026-13-01", "2026-12-01T25:00:00Z", strings.Repeat("1", 50)} {
		if _, good := parseW3C(s, ict); good {
			t.Errorf("%q is read", s)
		}
	}
	if got := w3c(time.Date(2026, 12, 1, 1, 2, 3, 999, time.UTC), ict); got != "2026-12-01T08:02:03+07:00" {
		t.Errorf("w3c %q", got)
	}
}

func TestSplitFormat(t *testing.T) {
	for p, want := range map[string][3]string{
		"services.json":              {"services", "json", "true"},
		"services/PA-2612-00001.xml": {"services/PA-2612-00001", "xml", "true"},
		"services":                   {"services", "", "false"},
		"a.b/services":               {"a.b/services", "", "false"},
		"requests.json.xml":          {"requests.json", "xml", "true"},
	} {
		base, f, ok := splitFormat(p)
		if base != want[0] || string(f) != want[1] || (ok != (want[2] == "true")) {
			t.Errorf("%q: %q %q %v", p, base, f, ok)
		}
	}
}

// FuzzDecodeForm feeds decodeForm any form body: it never panics, every
// problem is a 400 with a code and a message, and what it accepts holds
// to the limits (valid UTF-8, lengths, coordinates in range, no control
// characters in one-line fields).
func FuzzDecodeForm(f *testing.F) {
	f.Add(specExample)
	f.Add("service_code=a&lat=1&long=2&attribute[anonymous]=1")
	f.Add("attribute[m][]=1&attribute[m][]=2&attribute[x]=&address_string=%E2%80%AE")
	f.Add("lat=1e400&long=-0&service_code=%00")
	f.Add("description=" + strings.Repeat("%C3%A1", 4001))
	f.Add("attribute[=1&attribute]]=2&attribute[a][][]=3&&&=&;")
	f.Fuzz(func(t *testing.T, body string) {
		v, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		form, errs := decodeForm(v)
		for _, e := range errs {
			if e.Status != http.StatusBadRequest || e.Err.Code == "" || e.Err.Message == "" {
				t.Fatalf("error %+v", e)
			}
		}
		if len(errs) > 0 {
			return
		}
		for _, s := range []string{form.ServiceCode, form.AddressString, form.FirstName, form.LastName, form.Phone, form.Email, form.Description} {
			if !utf8.ValidString(s) || strings.TrimSpace(s) != s {
				t.Fatalf("accepted %q", s)
			}
		}
		if utf8.RuneCountInString(form.Description) > maxDescription || utf8.RuneCountInString(form.AddressString) > maxAddress {
			t.Fatal("accepted a text over its limit")
		}
		if strings.ContainsAny(form.AddressString+form.FirstName+form.Phone, "\n\r\x00") {
			t.Fatalf("accepted a line break in a one-line field: %+v", form)
		}
		if (form.Lat == nil) != (form.Long == nil) {
			t.Fatal("lat without long")
		}
		if form.Lat != nil && (*form.Lat < -90 || *form.Lat > 90 || *form.Long < -180 || *form.Long > 180) {
			t.Fatalf("accepted %v, %v", *form.Lat, *form.Long)
		}
		if form.ServiceCode == "" || (form.Lat == nil && form.AddressString == "" && form.AddressID == "") {
			t.Fatal("accepted a request without service_code or location")
		}
		if len(form.Attributes) > maxAttributes {
			t.Fatal("too many attributes accepted")
		}
		// The attributes are then checked against the definition: that
		// never panics either.
		_, _ = checkAttributes(form.ServiceCode, form.Attributes)
	})
}

// "Default query limit is a span of 90 days or first 1000 requests
// returned, whichever is smallest": the filter asks for 1000 at most, in
// the 90 days before now when no date is given.
func TestListArgsLimits(t *testing.T) {
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	s := &Server{fb: &feedback.Config{Office: "demo", Categories: []feedback.Category{{ID: "a"}}}, now: func() time.Time { return now }}
	f, errs := s.listArgs(url.Values{})
	if len(errs) > 0 || f.Limit != maxRequests || maxRequests != 1000 || f.Office != "demo" ||
		!f.From.Equal(now.Add(-90*24*time.Hour)) || !f.To.Equal(now.Add(time.Second)) {
		t.Errorf("%+v %v", f, errs)
	}
	ids := strings.Repeat("PA-2612-00001,", 1001)
	if _, errs := s.listArgs(url.Values{"service_request_id": {ids}}); len(errs) != 1 || errs[0].Err.Code != "too_many_ids" {
		t.Errorf("1001 ids: %v", errs)
	}
	f, _ = s.listArgs(url.Values{"service_request_id": {" PA-1 ,, PA-2"}, "status": {"bogus"}})
	if len(f.Codes) != 2 || f.Codes[0] != "PA-1" || f.Codes[1] != "PA-2" || f.Limit != 1000 {
		t.Errorf("ids %+v", f)
	}
}
