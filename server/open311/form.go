package open311

import (
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"luot/server/feedback"
)

// postForm is a POST Service Request's arguments, read and checked by
// decodeForm but not yet against the service's definition.
type postForm struct {
	APIKey      string
	ServiceCode string
	// Lat and Long are both set or both nil.
	Lat, Long     *float64
	AddressString string
	AddressID     string
	// Attributes are attribute[code]=value, in the order of the first
	// value of each code; a multivaluelist's attribute[code][]=v gives
	// several values.
	Attributes map[string][]string
	FirstName  string
	LastName   string
	Phone      string
	// Email, DeviceID and AccountID are read and checked but not kept
	// (the report keeps a name and a phone only).
	Email, DeviceID, AccountID string
	Description                string
	MediaURL                   string
}

// Limits of the arguments. description's is the spec's ("free form text
// limited to 4,000 characters"), which is the domain's too.
const (
	maxDescription = feedback.MaxDescription
	maxField       = 200 // names, e-mail, device and account ids
	maxAttributes  = 20  // attribute codes in one request
	maxValues      = 20  // values of one multivaluelist attribute
	maxParams      = 60  // parameters in one request
	maxPhone       = 20
)

// scalars are the arguments of the spec (and api_key) that take one value.
var scalars = []string{
	"api_key", "jurisdiction_id", "service_code", "lat", "long", "address_string", "address_id",
	"email", "device_id", "account_id", "first_name", "last_name", "phone", "description", "media_url",
}

var attrKey = regexp.MustCompile(`^attribute\[([A-Za-z0-9_-]{1,64})\](\[\])?$`)

// decodeForm reads a POST Service Request's arguments. Every argument is
// optional in the sense of the spec ("the response should be the same
// whether a parameter is passed and is empty or is not passed at all"):
// an empty value is no value. It returns every problem it finds, each an
// *Error with status 400; what the arguments mean for the service
// (required attributes, values of lists, the category) is checked later.
func decodeForm(v url.Values) (postForm, []*Error) {
	var f postForm
	var errs []*Error
	bad := func(e *Error) { errs = append(errs, e) }
	if n := len(v); n > maxParams {
		return f, []*Error{newError(http.StatusBadRequest, "too_many_parameters", "the request has {count} parameters, more than {max}: send only the spec's arguments", "count", n, "max", maxParams)}
	}
	one := map[string]string{}
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the same request, the same errors in the same order
	f.Attributes = map[string][]string{}
	for _, k := range keys {
		vals := v[k]
		if m := attrKey.FindStringSubmatch(k); m != nil {
			code, multi := m[1], m[2] != ""
			if !multi && len(vals) > 1 {
				bad(newError(http.StatusBadRequest, "repeated_attribute", "attribute[{code}] is sent {count} times: send one value, or attribute[{code}][]=… for each value of a list", "code", code, "count", len(vals)))
				continue
			}
			for _, s := range vals {
				if s == "" {
					continue
				}
				t, e := cleanField("attribute["+code+"]", s, maxAddress, false)
				if e != nil {
					bad(e)
					continue
				}
				f.Attributes[code] = append(f.Attributes[code], t)
			}
			if len(f.Attributes[code]) > maxValues {
				bad(newError(http.StatusBadRequest, "too_many_values", "attribute[{code}] has more than {max} values", "code", code, "max", maxValues))
			}
			continue
		}
		if strings.HasPrefix(k, "attribute") {
			bad(newError(http.StatusBadRequest, "invalid_attribute", "parameter {name} is not of the form attribute[code]=value with a code of letters, digits, '-' or '_'", "name", strconv.Quote(truncate(k, 80))))
			continue
		}
		if !slices.Contains(scalars, k) {
			bad(newError(http.StatusBadRequest, "unknown_parameter", "parameter {name} is not an argument of POST requests; see the spec's list (service_code, lat, long, address_string, attribute[code], description, …)", "name", strconv.Quote(truncate(k, 80))))
			continue
		}
		if len(vals) > 1 {
			bad(newError(http.StatusBadRequest, "repeated_parameter", "parameter {name} is sent {count} times: send it once", "name", k, "count", len(vals)))
			continue
		}
		one[k] = vals[0]
	}
	if len(f.Attributes) > maxAttributes {
		bad(newError(http.StatusBadRequest, "too_many_attributes", "the request has more than {max} attributes", "max", maxAttributes))
	}
	text := func(name string, max int, multiline bool) string {
		s, e := cleanField(name, one[name], max, multiline)
		if e != nil {
			bad(e)
		}
		return s
	}
	f.APIKey = strings.TrimSpace(one["api_key"])
	if len(f.APIKey) > 200 {
		f.APIKey = f.APIKey[:200] // no key is that long; it is refused as unknown
	}
	f.ServiceCode = text("service_code", 64, false)
	f.AddressString = text("address_string", maxAddress, false)
	f.AddressID = text("address_id", maxField, false)
	f.Email = text("email", maxField, false)
	f.DeviceID = text("device_id", maxField, false)
	f.AccountID = text("account_id", maxField, false)
	f.FirstName = text("first_name", maxField, false)
	f.LastName = text("last_name", maxField, false)
	f.Phone = text("phone", maxPhone, false)
	f.Description = text("description", maxDescription, true)
	f.MediaURL = text("media_url", 2000, false)
	_ = text("jurisdiction_id", maxField, false) // one jurisdiction: checked, then ignored

	lat, okLat := coordinate(one["lat"], 90, "lat", bad)
	long, okLong := coordinate(one["long"], 180, "long", bad)
	if hasLat, hasLong := strings.TrimSpace(one["lat"]) != "", strings.TrimSpace(one["long"]) != ""; hasLat != hasLong {
		bad(newError(http.StatusBadRequest, "lat_long_pair", "lat and long go together: send both, or neither"))
	} else if okLat && okLong {
		f.Lat, f.Long = &lat, &long
	}
	if f.Phone != "" && !validPhone(f.Phone) {
		bad(newError(http.StatusBadRequest, "invalid_phone", "phone {phone} is not a phone number: use digits, with '+', spaces, '-', '.' or brackets", "phone", strconv.Quote(f.Phone)))
	}
	if f.ServiceCode == "" && !hasField(errs, "service_code") {
		bad(newError(http.StatusBadRequest, "service_code_required", "service_code is required: take one from GET services"))
	}
	if f.Lat == nil && f.AddressString == "" && f.AddressID == "" && !hasField(errs, "lat", "long", "address_string", "address_id") {
		bad(newError(http.StatusBadRequest, "location_required", "a location is required: send lat and long, or address_string"))
	}
	return f, errs
}

// hasField reports whether some error is about one of the fields (its
// field parameter), so that one wrong value does not also say it is
// missing.
func hasField(errs []*Error, fields ...string) bool {
	for _, e := range errs {
		if slices.Contains(fields, e.Err.Args["field"]) {
			return true
		}
	}
	return false
}

// coordinate reads lat or long: a decimal number within ±limit. ok is
// false when the value is empty or wrong (and then bad was told).
func coordinate(s string, limit float64, field string, bad func(*Error)) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || len(s) > 40 {
		bad(newError(http.StatusBadRequest, "invalid_coordinate", "{field} must be a decimal number of degrees (WGS84), like 21.0285", "field", field))
		return 0, false
	}
	if x < -limit || x > limit {
		bad(newError(http.StatusBadRequest, "coordinate_out_of_range", "{field} {value} is outside -{limit}…{limit} degrees", "field", field, "value", s, "limit", limit))
		return 0, false
	}
	return x, true
}

// cleanField NFC-normalises and trims a text argument and checks it: valid
// UTF-8, no control or invisible formatting characters (line breaks and
// tabs only where multiline), at most max characters.
func cleanField(field, s string, max int, multiline bool) (string, *Error) {
	if !utf8.ValidString(s) {
		return "", newError(http.StatusBadRequest, "invalid_text", "{field} is not valid UTF-8: the spec requires UTF-8 everywhere", "field", field)
	}
	s = strings.TrimSpace(norm.NFC.String(s))
	if n := utf8.RuneCountInString(s); n > max {
		return "", newError(http.StatusBadRequest, "text_too_long", "{field} has {count} characters, more than {max}", "field", field, "count", n, "max", max)
	}
	for _, r := range s {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) || (unicode.Is(unicode.Cf, r) && r != '\u200d') || r == '\u2028' || r == '\u2029' {
			return "", newError(http.StatusBadRequest, "invalid_text", "{field} contains a control or invisible character (U+{rune}): remove it", "field", field, "rune", strings.ToUpper(strconv.FormatInt(int64(r), 16)))
		}
	}
	return s, nil
}

// validPhone reports whether s looks like a phone number: 6 to 15 digits,
// an optional leading '+', and spaces, '-', '.' or brackets between them.
func validPhone(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		default:
			return false
		}
	}
	return digits >= 6 && digits <= 15
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// maxAddress is the longest address (address_string with the address
// detail attribute).
const maxAddress = feedback.MaxAddress
