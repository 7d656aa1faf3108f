package open311_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"encoding/xml"
	"image"
	"image/color"
	imgjpeg "image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"luot/server/feedback"
	"luot/server/open311"
	"luot/server/photo"
	"luot/server/servertest"
)

// PublicURL is the test server's public base URL, which media_url and
// the reporter's link are made absolute with.
const PublicURL = "https://phananh.example.gov.vn"

// Key is the API key of the registered client "app".
const Key = "test-key-0123456789abcdef0123456789abcdef"

// env is a running server with the Open311 endpoint.
type env struct {
	srv  *servertest.Server
	base string // the endpoint's base URL, ".../open311/v2/"
	cfg  *feedback.Config
	dir  *photo.Dir
}

// feedbackConfig is a city's configuration: two departments and a ward,
// three categories.
func feedbackConfig(t *testing.T, office string) *feedback.Config {
	t.Helper()
	c := &feedback.Config{
		Office: office,
		Units: []feedback.Unit{
			{ID: "qldt", Name: "Phòng Quản lý đô thị", NameEN: "Urban Management Office", Kind: feedback.UnitDepartment},
			{ID: "tnmt", Name: "Phòng Tài nguyên và Môi trường", NameEN: "Natural Resources and Environment Office", Kind: feedback.UnitDepartment},
			{ID: "p-an-binh", Name: "UBND phường An Bình", NameEN: "An Binh Ward People's Committee", Kind: feedback.UnitWard},
		},
		Categories: []feedback.Category{
			{ID: "xay-dung", Name: "Trật tự xây dựng", NameEN: "Construction order", Hint: "Xây dựng không phép, lấn chiếm", HintEN: "Building without a permit, encroachment", Unit: "qldt", AckDays: 1, ResolveDays: 10},
			{ID: "moi-truong", Name: "Môi trường", NameEN: "Environment", Hint: "Rác, nước thải, khói bụi", HintEN: "Rubbish, waste water, smoke", Unit: "tnmt", AckDays: 1, ResolveDays: 5},
			{ID: "do-thi", Name: "Trật tự đô thị", NameEN: "Urban order", Unit: "p-an-binh", AckDays: 1, ResolveDays: 7},
		},
	}
	o := servertest.DemoOffice()
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	c.Calendar = feedback.OfficeCalendar(&o)
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return c
}

// start runs a server (servertest: real SQLite, the real photo pipeline
// and folder, a fake clock) with the Open311 endpoint at /open311/, the
// city of feedbackConfig, and the client "app" registered with Key.
func start(t *testing.T, opts ...func(*open311.Config)) *env {
	t.Helper()
	o := servertest.DemoOffice()
	cfg := feedbackConfig(t, "")
	srv := servertest.New(t, servertest.WithFeedback(cfg), servertest.WithOpen311Config(func(c *open311.Config) {
		c.PublicURL = PublicURL
		c.Contact = "Trung tâm Phục vụ hành chính công"
		c.KeyService = "Liên hệ quản trị viên để được cấp api_key"
		for _, f := range opts {
			f(c)
		}
	}))
	if srv.Office != o.ID || srv.Feedback != cfg {
		t.Fatalf("servertest runs office %s with another feedback configuration", srv.Office)
	}
	sum := sha256.Sum256([]byte(Key))
	if err := srv.DB.PutAPIClient(context.Background(), feedback.APIClient{ID: "app", Office: srv.Office, Name: "Ứng dụng phản ánh", Created: srv.Clock.Now()}, sum[:]); err != nil {
		t.Fatal(err)
	}
	return &env{srv: srv, base: srv.URL + open311.Prefix, cfg: cfg, dir: srv.Photos}
}

// answer is an HTTP answer, read whole.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) String() string { return string(a.body) }

func (e *env) do(t *testing.T, req *http.Request) answer {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{status: res.StatusCode, header: res.Header, body: b}
}

// get GETs a resource (path relative to the endpoint) in a language
// ("" sends no Accept-Language).
func (e *env) get(t *testing.T, path, lang string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	return e.do(t, req)
}

// post POSTs a form, application/x-www-form-urlencoded as the spec says.
func (e *env) post(t *testing.T, path string, form url.Values, lang string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	return e.do(t, req)
}

// postMultipart POSTs the form as multipart/form-data with the files as
// parts named media.
func (e *env) postMultipart(t *testing.T, path string, form url.Values, files ...[]byte) answer {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	for i, f := range files {
		w, _ := mw.CreateFormFile("media", "anh"+string(rune('1'+i))+".jpg")
		_, _ = w.Write(f)
	}
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, e.base+path, &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return e.do(t, req)
}

// validForm is a POST Service Request of category xay-dung with a point,
// the reporter's name and phone, and the required attribute.
func validForm() url.Values {
	return url.Values{
		"api_key":              {Key},
		"service_code":         {"xay-dung"},
		"lat":                  {"10.7769"},
		"long":                 {"106.7009"},
		"address_string":       {"12 Lê Lợi, phường Bến Thành"},
		"description":          {"Công trình xây dựng lấn chiếm vỉa hè\nđã ba tuần."},
		"first_name":           {"Văn Minh"},
		"last_name":            {"Trần"},
		"phone":                {"0903 123 456"},
		"email":                {"minh.tran@example.com"},
		"attribute[anonymous]": {"0"},
	}
}

// jsonOf decodes a JSON answer.
func jsonOf[T any](t *testing.T, a answer) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(a.body, &v); err != nil {
		t.Fatalf("the answer is not JSON: %v\n%s", err, a.body)
	}
	return v
}

// xmlOf decodes an XML answer with encoding/xml, after checking the
// declaration the spec requires.
func xmlOf[T any](t *testing.T, a answer) T {
	t.Helper()
	// "the root element must be preceded with the XML declaration
	// including the encoding="UTF-8" attribute"
	if !bytes.HasPrefix(a.body, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
		t.Fatalf("the XML answer does not start with the declaration: %.80s", a.body)
	}
	var v T
	if err := xml.Unmarshal(a.body, &v); err != nil {
		t.Fatalf("the answer is not XML: %v\n%s", err, a.body)
	}
	return v
}

// The wire shapes, written from the spec's examples, independently of the
// package's own types.

type xmlErrors struct {
	XMLName xml.Name `xml:"errors"`
	Errors  []struct {
		Code        int    `xml:"code"`
		Description string `xml:"description"`
	} `xml:"error"`
}

type jsonError struct {
	Code        int    `json:"code"`
	Description string `json:"description"`
}

type xmlRequests struct {
	XMLName  xml.Name `xml:"service_requests"`
	Requests []struct {
		ID                string  `xml:"service_request_id"`
		Status            string  `xml:"status"`
		StatusNotes       string  `xml:"status_notes"`
		ServiceName       string  `xml:"service_name"`
		ServiceCode       string  `xml:"service_code"`
		Description       string  `xml:"description"`
		AgencyResponsible string  `xml:"agency_responsible"`
		Requested         string  `xml:"requested_datetime"`
		Updated           string  `xml:"updated_datetime"`
		Expected          string  `xml:"expected_datetime"`
		Address           string  `xml:"address"`
		Lat               float64 `xml:"lat"`
		Long              float64 `xml:"long"`
		MediaURL          string  `xml:"media_url"`
		ServiceNotice     string  `xml:"service_notice"`
		AccountID         *string `xml:"account_id"`
		Token             string  `xml:"token"`
	} `xml:"request"`
}

// checkError checks an error answer in format f: the HTTP status, and the
// spec's body — a list of {code, description} whose first code is the
// status and whose description is not empty.
func checkError(t *testing.T, a answer, f string, status int) string {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d, want %d: %s", a.status, status, a.body)
	}
	if f == "json" {
		if ct := a.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		errs := jsonOf[[]jsonError](t, a)
		if len(errs) == 0 || errs[0].Code != status || errs[0].Description == "" {
			t.Fatalf("error body %s", a.body)
		}
		return errs[0].Description
	}
	if ct := a.header.Get("Content-Type"); ct != "text/xml; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	errs := xmlOf[xmlErrors](t, a)
	if len(errs.Errors) == 0 || errs.Errors[0].Code != status || errs.Errors[0].Description == "" {
		t.Fatalf("error body %s", a.body)
	}
	return errs.Errors[0].Description
}

// w3c is the spec's date form: "Timezone information (either Z meaning
// UTC, or an HH:MM offset from UTC) must be included."
func parseW3C(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("%q is not a W3C date and time with its zone: %v", s, err)
	}
	return v
}

func sha256Sum(s string) [32]byte { return sha256.Sum256([]byte(s)) }

// must makes a request with a body.
func must(t *testing.T, method, u, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// jpeg is a small JPEG photo, its colour from seed (so that photos
// differ).
func jpeg(seed byte) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			img.Set(x, y, color.RGBA{R: seed * 40, G: byte(x * 4), B: byte(y * 5), A: 255})
		}
	}
	var b bytes.Buffer
	if err := imgjpeg.Encode(&b, img, nil); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
