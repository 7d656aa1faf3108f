package open311

import (
	"encoding/xml"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"luot/server/feedback"
	"luot/server/msgtext"
)

// Specification is the URL of the spec, as the discovery document names it.
const Specification = "http://wiki.open311.org/GeoReport_v2"

type discoveryDoc struct {
	XMLName    xml.Name   `xml:"discovery" json:"-"`
	Changeset  string     `xml:"changeset" json:"changeset"`
	Contact    string     `xml:"contact" json:"contact"`
	KeyService string     `xml:"key_service" json:"key_service"`
	Endpoints  []endpoint `xml:"endpoints>endpoint" json:"endpoints"`
}

type endpoint struct {
	Specification string   `xml:"specification" json:"specification"`
	URL           string   `xml:"url" json:"url"`
	Changeset     string   `xml:"changeset" json:"changeset"`
	Type          string   `xml:"type" json:"type"`
	Formats       []string `xml:"formats>format" json:"formats"`
}

// discovery answers the service discovery document: this one endpoint, in
// production, XML and JSON. Its changeset is when the server started (the
// services are the configuration, read at start).
func (s *Server) discovery(w http.ResponseWriter, r *http.Request, f format) {
	cs := w3c(s.changeset, s.fb.Calendar.Location)
	d := discoveryDoc{
		Changeset: cs, Contact: s.cfg.Contact, KeyService: s.cfg.KeyService,
		Endpoints: []endpoint{{
			Specification: Specification, URL: s.public + strings.TrimSuffix(Prefix, "/"), Changeset: cs,
			Type: "production", Formats: []string{"text/xml", "application/json"},
		}},
	}
	write(w, f, http.StatusOK, d)
}

type service struct {
	XMLName     xml.Name `xml:"service" json:"-"`
	Code        string   `xml:"service_code" json:"service_code"`
	Name        string   `xml:"service_name" json:"service_name"`
	Description string   `xml:"description" json:"description"`
	Metadata    bool     `xml:"metadata" json:"metadata"`
	Type        string   `xml:"type" json:"type"`
	Keywords    string   `xml:"keywords" json:"keywords"`
	Group       string   `xml:"group" json:"group"`
}

type serviceList struct {
	XMLName  xml.Name  `xml:"services"`
	Services []service `xml:"service"`
}

// services answers the service list: one service per category, its name
// and hint in the request's language, grouped by the unit that handles it
// by default, realtime, with metadata (every service has the attributes
// of attributes()).
func (s *Server) services(w http.ResponseWriter, r *http.Request, f format) {
	lang := msgtext.Lang(r.Header.Get("Accept-Language"))
	out := make([]service, 0, len(s.fb.Categories))
	for _, c := range s.fb.Categories {
		out = append(out, s.service(c, lang))
	}
	if f == formatJSON {
		write(w, f, http.StatusOK, out)
		return
	}
	write(w, f, http.StatusOK, serviceList{Services: out})
}

func (s *Server) service(c feedback.Category, lang string) service {
	name, other := c.Name, c.NameEN
	desc := c.Hint
	if lang == "en" {
		name, other = pick(c.NameEN, c.Name), c.Name
		desc = pick(c.HintEN, c.Hint)
	}
	kw := []string{c.ID}
	if other != "" && other != name {
		kw = append(kw, other)
	}
	var group string
	if u, ok := s.fb.Unit(c.Unit); ok {
		group = s.unitName(u, lang)
	}
	return service{Code: c.ID, Name: name, Description: desc, Metadata: true, Type: "realtime",
		Keywords: strings.Join(kw, ", "), Group: group}
}

func (s *Server) unitName(u feedback.Unit, lang string) string {
	if lang == "en" {
		return pick(u.NameEN, u.Name)
	}
	return u.Name
}

// pick is a, or b when a is empty.
func pick(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

type attribute struct {
	XMLName             xml.Name `xml:"attribute" json:"-"`
	Variable            bool     `xml:"variable" json:"variable"`
	Code                string   `xml:"code" json:"code"`
	Datatype            string   `xml:"datatype" json:"datatype"`
	Required            bool     `xml:"required" json:"required"`
	DatatypeDescription string   `xml:"datatype_description" json:"datatype_description"`
	Order               int      `xml:"order" json:"order"`
	Description         string   `xml:"description" json:"description"`
	Values              []value  `xml:"values>value" json:"values,omitempty"`
}

type value struct {
	Key  string `xml:"key" json:"key"`
	Name string `xml:"name" json:"name"`
}

type definitionDoc struct {
	XMLName    xml.Name    `xml:"service_definition" json:"-"`
	Code       string      `xml:"service_code" json:"service_code"`
	Attributes []attribute `xml:"attributes>attribute" json:"attributes"`
}

// The attributes of every service.
const (
	// attrAnonymous (required, "0" or "1"): whether the reporter stays
	// anonymous. Required so that no client sends a name by default
	// without its user choosing; with "1" the name and phone sent are
	// dropped.
	attrAnonymous = "anonymous"
	// attrAddressDetail: house number, alley, a landmark; put before
	// address_string ("from most specific to most general").
	attrAddressDetail = "address_detail"
	// attrAccuracy: how far off lat and long may be, in metres.
	attrAccuracy = "accuracy"
)

// attributes are the attributes of every service, in the request's
// language.
func attributes(lang string) []attribute {
	t := func(vi, en string) string {
		if lang == "en" {
			return en
		}
		return vi
	}
	return []attribute{
		{Variable: true, Code: attrAnonymous, Datatype: "singlevaluelist", Required: true, Order: 1,
			DatatypeDescription: t("0 hoặc 1", "0 or 1"),
			Description:         t("Gửi ẩn danh? Nếu có, tên và số điện thoại không được lưu, cán bộ cũng không xem được.", "Send anonymously? If so, the name and phone are not kept; staff cannot see them either."),
			Values: []value{
				{Key: "0", Name: t("Không: cán bộ xem được tên và số điện thoại để liên hệ", "No: staff see the name and phone to get in touch")},
				{Key: "1", Name: t("Có: ẩn danh", "Yes: anonymous")},
			}},
		{Variable: true, Code: attrAddressDetail, Datatype: "string", Order: 2,
			DatatypeDescription: t("tối đa 300 ký tự cùng với address_string", "at most 300 characters together with address_string"),
			Description:         t("Số nhà, ngõ, mốc gần đó", "House number, alley, a nearby landmark")},
		{Variable: true, Code: attrAccuracy, Datatype: "number", Order: 3,
			DatatypeDescription: t("số mét, từ 0 đến 100000", "metres, 0 to 100000"),
			Description:         t("Vị trí (lat, long) có thể sai lệch bao nhiêu mét", "How many metres lat and long may be off")},
	}
}

// definition answers a service's definition: its attributes.
func (s *Server) definition(w http.ResponseWriter, r *http.Request, f format, code string) {
	c, ok := s.fb.Category(code)
	if !ok {
		writeError(w, r, f, serviceNotFound(code))
		return
	}
	write(w, f, http.StatusOK, definitionDoc{Code: c.ID, Attributes: attributes(msgtext.Lang(r.Header.Get("Accept-Language")))})
}

func serviceNotFound(code string) *Error {
	return newError(http.StatusNotFound, "service_not_found", "service_code {code} was not found: GET services lists the services", "code", strconv.Quote(truncate(code, 64)))
}

// checked is what the attributes of a POST say, checked against the
// definition.
type checked struct {
	Anonymous bool
	Detail    string
	Accuracy  float64
}

// checkAttributes checks attribute[code]=value against the definition:
// known codes, required ones present, one value of a singlevaluelist among
// its keys, a number within its range.
func checkAttributes(service string, attrs map[string][]string) (checked, []*Error) {
	var c checked
	var errs []*Error
	defs := attributes("en")
	codes := make([]string, 0, len(attrs))
	for code := range attrs {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		if !slices.ContainsFunc(defs, func(a attribute) bool { return a.Code == code }) {
			errs = append(errs, newError(http.StatusBadRequest, "unknown_attribute", "attribute[{code}] is not an attribute of this service: GET services/{service}.json lists them", "code", code, "service", service))
		}
	}
	for _, a := range defs {
		vals := attrs[a.Code]
		if len(vals) == 0 {
			if a.Required {
				errs = append(errs, newError(http.StatusBadRequest, "attribute_required", "attribute[{code}] is required: GET services/{service}.json describes it", "code", a.Code, "service", service))
			}
			continue
		}
		if len(vals) > 1 {
			errs = append(errs, newError(http.StatusBadRequest, "one_value", "attribute[{code}] takes one value, not {count}", "code", a.Code, "count", len(vals)))
			continue
		}
		v := vals[0]
		switch a.Code {
		case attrAnonymous:
			if v != "0" && v != "1" {
				errs = append(errs, newError(http.StatusBadRequest, "invalid_attribute_value", "attribute[{code}] must be one of the keys of its values ({keys}), not {value}", "code", a.Code, "keys", "0, 1", "value", strconv.Quote(truncate(v, 40))))
			}
			c.Anonymous = v == "1"
		case attrAddressDetail:
			c.Detail = v
		case attrAccuracy:
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || !(x >= 0 && x <= 100_000) {
				errs = append(errs, newError(http.StatusBadRequest, "invalid_attribute_value", "attribute[{code}] must be a number of metres from 0 to 100000, not {value}", "code", a.Code, "value", strconv.Quote(truncate(v, 40))))
			}
			c.Accuracy = x
		}
	}
	return c, errs
}

// closedAt is when a report stopped being open in Open311's terms: its
// resolution, or its closing.
func closedAt(r feedback.Report) time.Time {
	if !r.Resolved.IsZero() {
		return r.Resolved
	}
	return r.Closed
}
