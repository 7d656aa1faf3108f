package api

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"golang.org/x/crypto/bcrypt"

	"luot/server/feedback"
	"luot/server/geo"
	"luot/server/photo"
	"luot/server/queue"
)

// fbEnv is the API with feedback reports on a real SQLite file and a real
// photo folder: the office hcm-q1's feedback configuration (two
// departments, a ward with its boundary, three categories), a moderator
// "mod", handlers "h-qldt" (unit qldt) and "h-tnmt" (unit tnmt), and the
// clerks of newEnv.
type fbEnv struct {
	*env
	photos string // the photo folder
}

// ward is Phường Đông's square around (10.776, 106.700).
var ward = geo.MultiPolygon{{{{Lat: 10.77, Lon: 106.69}, {Lat: 10.77, Lon: 106.71}, {Lat: 10.78, Lon: 106.71}, {Lat: 10.78, Lon: 106.69}, {Lat: 10.77, Lon: 106.69}}}}

func feedbackConfig(t testing.TB) *feedback.Config {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	c := &feedback.Config{
		Office: office,
		Categories: []feedback.Category{
			{ID: "xay-dung", Name: "Trật tự xây dựng", NameEN: "Construction order", Hint: "Xây dựng trái phép", Unit: "qldt", ByWard: true, AckDays: 1, ResolveDays: 10},
			{ID: "moi-truong", Name: "Môi trường", NameEN: "Environment", Unit: "tnmt", AckDays: 1, ResolveDays: 7},
			{ID: "do-thi", Name: "Trật tự đô thị", NameEN: "Urban order", Unit: "qldt", AckDays: 2, ResolveDays: 5},
		},
		Units: []feedback.Unit{
			{ID: "qldt", Name: "Phòng Quản lý đô thị", NameEN: "Urban management", Kind: feedback.UnitDepartment},
			{ID: "tnmt", Name: "Phòng Tài nguyên và Môi trường", Kind: feedback.UnitDepartment},
			{ID: "phuong-dong", Name: "Phường Đông (mẫu)", Kind: feedback.UnitWard, Area: ward},
		},
		Templates: []feedback.Template{{ID: "da-xu-ly", Title: "Đã xử lý", Text: "Đơn vị đã xử lý.\nCảm ơn bạn."}},
		Calendar:  feedback.Calendar{Location: loc, Holidays: []string{"2027-01-01"}},
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return c
}

func newFbEnv(t testing.TB, opts ...envOpt) *fbEnv {
	dir := filepath.Join(t.TempDir(), "photos")
	pd, err := photo.NewDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := feedbackConfig(t)
	opts = append([]envOpt{withConfig(func(c *Config) {
		c.Feedback, c.PhotoDir = cfg, pd
		c.PhotoPipeline = photo.NewPipeline(photo.Limits{}, 2, 0)
		c.PingInterval = 200 * time.Millisecond // streams look at the store at each ping
		// Every request comes from 127.0.0.1: the limits are tested apart.
		c.FeedbackLimits.PerAddrBurst, c.FeedbackLimits.PerAddrEvery = 10_000, time.Second
	})}, opts...)
	e := &fbEnv{env: newEnv(t, opts...), photos: dir}
	pin, _ := bcrypt.GenerateFromPassword([]byte("1234"), bcrypt.MinCost)
	for _, st := range []queue.Staff{
		{ID: "mod", Office: office, Name: "Kiểm duyệt viên", Role: queue.RoleModerator},
		{ID: "h-qldt", Office: office, Name: "Cán bộ Đô thị", Role: queue.RoleHandler, Unit: "qldt"},
		{ID: "h-tnmt", Office: office, Name: "Cán bộ Môi trường", Role: queue.RoleHandler, Unit: "tnmt"},
	} {
		if err := e.db.PutStaff(context.Background(), st, pin); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// staffLogin logs a moderator or handler in (without a counter).
func (e *fbEnv) staffLogin(t testing.TB, id string) string { return e.login(t, id, "") }

// field is a text field of a multipart form; a photo is a file part.
type part struct {
	name, filename, ctype string
	data                  []byte
}

func text(name, v string) part { return part{name: name, data: []byte(v)} }

func photoPart(data []byte) part {
	return part{name: "photo", filename: "anh.jpg", ctype: "image/jpeg", data: data}
}

// form encodes parts as multipart/form-data; it returns the body and its
// Content-Type.
func form(t testing.TB, parts ...part) ([]byte, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		disp := fmt.Sprintf(`form-data; name=%q`, p.name)
		if p.filename != "" {
			disp += fmt.Sprintf(`; filename=%q`, p.filename)
		}
		h.Set("Content-Disposition", disp)
		if p.ctype != "" {
			h.Set("Content-Type", p.ctype)
		}
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(p.data)
	}
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

// reportParts is a valid report's fields (Phường Đông, a construction
// report) and one photo.
func reportParts(t testing.TB, extra ...part) []part {
	p := []part{
		text("category", "xay-dung"), text("description", "Công trình xây lấn vỉa hè"),
		text("lat", "10.775"), text("lon", "106.7"), text("accuracy", "12"), text("address", "12 Lê Lợi"),
		text("name", "Nguyễn Văn Bình"), text("phone", "0903123456"),
		photoPart(jpegOf(t, 64, 48, 0)),
	}
	return append(p, extra...)
}

// without is parts without the named fields.
func without(parts []part, names ...string) []part {
	var out []part
	for _, p := range parts {
		keep := true
		for _, n := range names {
			if p.name == n {
				keep = false
			}
		}
		if keep {
			out = append(out, p)
		}
	}
	return out
}

// jpegOf is a w×h JPEG with a gradient (seed varies it: distinct photos
// have distinct hashes).
func jpegOf(t testing.TB, w, h int, seed int) []byte {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.Set(x, y, color.RGBA{uint8(x*4 + seed*7), uint8(y*4 + seed*13), uint8(seed * 31), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// gpsMarker is in the GPS latitude of withGPS's EXIF: no re-encoded photo
// may contain it.
var gpsMarker = []byte{0x00, 0x06, 0x79, 0x32} // 424242 big-endian

// withGPS puts an APP1 Exif segment with a GPS IFD (latitude N 21° 1'
// 42.4242") right after the JPEG's SOI.
func withGPS(j []byte) []byte {
	bo := binary.BigEndian
	t := []byte("MM\x00*")
	t = bo.AppendUint32(t, 8)
	// IFD0: one entry, the GPS IFD's offset.
	t = bo.AppendUint16(t, 1)
	gpsAt := uint32(8 + 2 + 12 + 4)
	t = bo.AppendUint16(t, 0x8825)
	t = bo.AppendUint16(t, 4)
	t = bo.AppendUint32(t, 1)
	t = bo.AppendUint32(t, gpsAt)
	t = bo.AppendUint32(t, 0)
	// GPS IFD: latitude ref and latitude.
	dataAt := gpsAt + 2 + 2*12 + 4
	t = bo.AppendUint16(t, 2)
	t = bo.AppendUint16(t, 1)
	t = bo.AppendUint16(t, 2)
	t = bo.AppendUint32(t, 2)
	t = bo.AppendUint32(t, uint32('N')<<24)
	t = bo.AppendUint16(t, 2)
	t = bo.AppendUint16(t, 5)
	t = bo.AppendUint32(t, 3)
	t = bo.AppendUint32(t, dataAt)
	t = bo.AppendUint32(t, 0)
	for _, v := range []uint32{21, 1, 1, 1, 424242, 10000} {
		t = bo.AppendUint32(t, v)
	}
	seg := append([]byte("Exif\x00\x00"), t...)
	out := append([]byte{0xFF, 0xD8, 0xFF, 0xE1}, byte((len(seg)+2)>>8), byte(len(seg)+2))
	out = append(out, seg...)
	return append(out, j[2:]...)
}

// pngBomb is a PNG whose header claims 50,000 × 50,000 pixels.
func pngBomb() []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, 50_000)
	ihdr = binary.BigEndian.AppendUint32(ihdr, 50_000)
	ihdr = append(ihdr, 8, 2, 0, 0, 0)
	b := []byte("\x89PNG\r\n\x1a\n")
	b = binary.BigEndian.AppendUint32(b, uint32(len(ihdr)))
	b = append(b, "IHDR"...)
	b = append(b, ihdr...)
	crc := crc32IEEE(append([]byte("IHDR"), ihdr...))
	b = binary.BigEndian.AppendUint32(b, crc)
	return append(b, make([]byte, 64)...)
}

func crc32IEEE(b []byte) uint32 {
	// A tiny table-free CRC-32 (IEEE), enough for one chunk.
	c := ^uint32(0)
	for _, x := range b {
		c ^= uint32(x)
		for range 8 {
			if c&1 == 1 {
				c = c>>1 ^ 0xEDB88320
			} else {
				c >>= 1
			}
		}
	}
	return ^c
}

// postReport sends a report's form.
func (e *fbEnv) postReport(t testing.TB, hdr map[string]string, parts ...part) resp {
	body, ct := form(t, parts...)
	return e.do(t, req{method: "POST", path: "/api/v1/offices/" + office + "/reports", body: body, ctype: ct, header: hdr})
}

// created is a report just made, with its token.
type created struct {
	Report    PublicReportJSON `json:"report"`
	Token     string           `json:"token"`
	ReportURL string           `json:"report_url"`
}

func (e *fbEnv) newReport(t testing.TB, parts ...part) created {
	t.Helper()
	if len(parts) == 0 {
		parts = reportParts(t)
	}
	r := e.postReport(t, map[string]string{"X-Forwarded-For": "198.51.100.7"}, parts...)
	if r.status != http.StatusCreated {
		t.Fatalf("new report: %d %s", r.status, r.body)
	}
	var c created
	r.decode(t, &c)
	return c
}

// counts are what a refused request must leave as it was.
type counts struct{ reports, events, photos int }

func (e *fbEnv) counts(t testing.TB) counts {
	t.Helper()
	var c counts
	db, err := sql.Open("sqlite", "file:"+e.db.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRow(`SELECT count(*) FROM reports`).Scan(&c.reports); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM report_events`).Scan(&c.events); err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(e.photos, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			c.photos++
		}
		return nil
	})
	return c
}

// act is a staff action.
func (e *fbEnv) act(t testing.TB, tok, code, action string, body any) resp {
	t.Helper()
	if body == nil {
		body = map[string]any{}
	}
	return e.do(t, req{method: "POST", path: "/api/v1/feedback/reports/" + code + "/" + action, token: tok, body: body})
}

func (e *fbEnv) mustAct(t testing.TB, tok, code, action string, body any) StaffReportJSON {
	t.Helper()
	r := e.act(t, tok, code, action, body)
	if r.status != http.StatusOK {
		t.Fatalf("%s %s: %d %s", action, code, r.status, r.body)
	}
	var a struct {
		Report StaffReportJSON `json:"report"`
	}
	r.decode(t, &a)
	return a.Report
}

// dialPath opens a websocket on path with the header.
func (e *fbEnv) dialPath(t testing.TB, path string, hdr http.Header) (*websocket.Conn, *http.Response, error) {
	u := "ws" + strings.TrimPrefix(e.srv.URL, "http") + path
	c, res, err := websocket.DefaultDialer.Dial(u, hdr)
	if c != nil {
		t.Cleanup(func() { c.Close() })
	}
	return c, res, err
}

// readJSON reads one message into v within wait.
func readJSON(t testing.TB, c *websocket.Conn, v any) []byte {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(wait))
	_, b, err := c.ReadMessage()
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("message %s: %v", b, err)
	}
	return b
}
