package queue

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	valid := func() Office {
		o := testOffice(t)
		o.loc = nil
		return o
	}
	tests := []struct {
		name string
		mod  func(*Office)
		code string
		says string // the message names the field and the value
	}{
		{"office id empty", func(o *Office) { o.ID = "" }, "invalid_office", "office id"},
		{"office id upper case", func(o *Office) { o.ID = "HCM" }, "invalid_office", `office id "HCM"`},
		{"office id too long", func(o *Office) { o.ID = strings.Repeat("a", 33) }, "invalid_office", "office id"},
		{"office id with a space", func(o *Office) { o.ID = "q 1" }, "invalid_office", "office id"},
		{"office name missing", func(o *Office) { o.Name = "  " }, "invalid_name", "office name"},
		{"office name with a control character", func(o *Office) { o.Name = "a\x07b" }, "invalid_name", "office name"},
		{"office name not UTF-8", func(o *Office) { o.Name = "\xff" }, "invalid_name", "office name"},
		{"office name too long", func(o *Office) { o.Name = strings.Repeat("ế", MaxNameLen+1) }, "invalid_name", "office name"},
		{"English name with a newline", func(o *Office) { o.NameEN = "a\nb" }, "invalid_name", "office English name"},
		{"unknown timezone", func(o *Office) { o.Timezone = "Asia/Saigon City" }, "invalid_timezone", `timezone "Asia/Saigon City"`},
		{"host-dependent timezone", func(o *Office) { o.Timezone = "Local" }, "invalid_timezone", `timezone "Local"`},
		{"weekday misspelt", func(o *Office) { o.Hours["monday"] = []Span{{From: "07:00", To: "11:00"}} }, "invalid_hours", `"monday"`},
		{"hours reversed", func(o *Office) { o.Hours["mon"] = []Span{{From: "11:00", To: "07:00"}} }, "invalid_hours", "opening hours of mon"},
		{"hours empty span", func(o *Office) { o.Hours["tue"] = []Span{{From: "07:00", To: "07:00"}} }, "invalid_hours", "opening hours of tue"},
		{"hours 24:30", func(o *Office) { o.Hours["wed"] = []Span{{From: "07:00", To: "24:30"}} }, "invalid_hours", "24:30"},
		{"hours 7:30", func(o *Office) { o.Hours["thu"] = []Span{{From: "7:30", To: "11:00"}} }, "invalid_hours", "7:30"},
		{"hours with a signed hour", func(o *Office) { o.Hours["thu"] = []Span{{From: "+7:30", To: "11:00"}} }, "invalid_hours", "opening hours of thu"},
		{"hours with a signed minute", func(o *Office) { o.Hours["thu"] = []Span{{From: "07:30", To: "11:-0"}} }, "invalid_hours", "opening hours of thu"},
		{"hours in fullwidth digits", func(o *Office) { o.Hours["thu"] = []Span{{From: "０７:30", To: "11:00"}} }, "invalid_hours", "opening hours of thu"},
		{"hours opening at 24:00", func(o *Office) { o.Hours["thu"] = []Span{{From: "24:00", To: "24:00"}} }, "invalid_hours", "opening hours of thu"},
		{"office name with a bidi override", func(o *Office) { o.Name = "Bộ phận \u202eMột cửa" }, "invalid_name", "office name contains an invisible formatting character"},
		{"service name with a zero-width space", func(o *Office) { o.Services[0].Name = "Hộ\u200b tịch" }, "invalid_name", "service name contains an invisible formatting character"},
		{"counter name with a BOM", func(o *Office) { o.Counters[0].Name = "\ufeffQuầy 1" }, "invalid_name", "counter name contains an invisible formatting character"},
		{"ticker with a line separator", func(o *Office) { o.Ticker = "Xin\u2028chào" }, "invalid_name", "ticker contains a line or paragraph separator"},
		{"hours minute 60", func(o *Office) { o.Hours["fri"] = []Span{{From: "07:60", To: "11:00"}} }, "invalid_hours", "07:60"},
		{"holiday not a date", func(o *Office) { o.Holidays = []string{"2026-02-30"} }, "invalid_holiday", `holiday "2026-02-30"`},
		{"holiday in another format", func(o *Office) { o.Holidays = []string{"30/04/2026"} }, "invalid_holiday", `"30/04/2026"`},
		{"negative bonus", func(o *Office) { o.Policy.DefaultBonusMinutes = -1 }, "invalid_policy", "priority bonus"},
		{"bonus for an unknown class", func(o *Office) { o.Policy.PriorityBonusMinutes = map[Priority]int{"vip": 5} }, "invalid_priority", `"vip"`},
		{"negative class bonus", func(o *Office) { o.Policy.PriorityBonusMinutes = map[Priority]int{PriorityMerit: -5} }, "invalid_bonus", "merit"},
		{"bonus that overflows a duration", func(o *Office) { o.Policy.DefaultBonusMinutes = 1 << 40 }, "invalid_policy", "priority bonus"},
		{"class bonus that overflows a duration", func(o *Office) { o.Policy.PriorityBonusMinutes = map[Priority]int{PriorityMerit: 1 << 40} }, "invalid_bonus", "merit"},
		{"late check-in policy", func(o *Office) { o.Policy.LateCheckin = "maybe" }, "invalid_policy", "late_checkin"},
		{"alpha above 1", func(o *Office) { o.Policy.EWMAAlpha = 1.5 }, "invalid_policy", "ewma_alpha"},
		{"too many recent calls", func(o *Office) { o.Policy.RecentCalls = 51 }, "invalid_policy", "recent_calls"},
		{"negative call guard", func(o *Office) { o.Policy.CallGuardSeconds = -1 }, "invalid_policy", "call_guard_seconds"},
		{"call guard above a minute", func(o *Office) { o.Policy.CallGuardSeconds = 61 }, "invalid_policy", "call_guard_seconds"},
		{"no services", func(o *Office) { o.Services = nil; o.Counters = nil }, "no_services", "no services"},
		{"service id", func(o *Office) { o.Services[1].ID = "B" }, "invalid_service", `service id "B"`},
		{"service id twice", func(o *Office) { o.Services[1].ID = "a" }, "duplicate_service", `service id "a"`},
		{"service name missing", func(o *Office) { o.Services[0].Name = "" }, "invalid_name", "service name"},
		{"prefix lower case", func(o *Office) { o.Services[0].Prefix = "a" }, "invalid_prefix", `prefix "a"`},
		{"prefix Vietnamese letter", func(o *Office) { o.Services[0].Prefix = "Đ" }, "invalid_prefix", `prefix "Đ"`},
		{"prefix too long", func(o *Office) { o.Services[0].Prefix = "ABC" }, "invalid_prefix", `prefix "ABC"`},
		{"duplicate prefixes", func(o *Office) { o.Services[1].Prefix = "A" }, "duplicate_prefix", "services a and b"},
		{"duplicate numeric blocks", func(o *Office) { o.Services[0].Prefix = ""; o.Services[0].FirstNumber = 1001 }, "duplicate_prefix", "services a and n"},
		{"numeric blocks 0 and 1 print the same", func(o *Office) {
			o.Services[0].Prefix, o.Services[0].FirstNumber = "", 0
			o.Services[1].Prefix, o.Services[1].FirstNumber = "", 1
		}, "duplicate_prefix", "services a and b"},
		{"digits", func(o *Office) { o.Services[0].Digits = 7 }, "invalid_number_format", "service a: digits"},
		{"first number", func(o *Office) { o.Services[2].FirstNumber = 100000 }, "invalid_number_format", "first number"},
		{"default minutes zero", func(o *Office) { o.Services[0].DefaultMinutes = 0 }, "invalid_minutes", "service a: default minutes"},
		{"default minutes over a day", func(o *Office) { o.Services[0].DefaultMinutes = 24*60 + 1 }, "invalid_minutes", "default minutes"},
		{"default minutes NaN", func(o *Office) { o.Services[0].DefaultMinutes = math.NaN() }, "invalid_minutes", "default minutes"},
		{"negative daily cap", func(o *Office) { o.Services[0].DailyCap = -1 }, "invalid_capacity", "service a"},
		{"negative remote cap", func(o *Office) { o.Services[0].RemoteCap = -1 }, "invalid_capacity", "service a"},
		{"negative slot", func(o *Office) { o.Services[0].SlotMinutes = -15 }, "invalid_capacity", "slot minutes"},
		{"counter id", func(o *Office) { o.Counters[0].ID = "Quầy 1" }, "invalid_counter", `counter id "Quầy 1"`},
		{"counter id twice", func(o *Office) { o.Counters[1].ID = "c1" }, "duplicate_counter", `counter id "c1"`},
		{"counter number zero", func(o *Office) { o.Counters[0].Number = 0 }, "invalid_counter_number", "counter c1: number 0"},
		{"counter number twice", func(o *Office) { o.Counters[1].Number = 1 }, "invalid_counter_number", "counter c2: number 1"},
		{"counter number 1000", func(o *Office) { o.Counters[1].Number = 1000 }, "invalid_counter_number", "number 1000"},
		{"unknown service at a counter", func(o *Office) { o.Counters[1].Services[0].Service = "land" }, "unknown_service", `counter c2 lists service "land"`},
		{"service twice at a counter", func(o *Office) {
			o.Counters[1].Services = append(o.Counters[1].Services, CounterService{Service: "b", OffsetMinutes: 5})
		}, "duplicate_service", "counter c2 lists service b twice"},
		{"negative offset", func(o *Office) { o.Counters[0].Services[1].OffsetMinutes = -1 }, "invalid_offset", "counter c1, service b: offset"},
		{"offset over a week", func(o *Office) { o.Counters[0].Services[1].OffsetMinutes = 7*24*60 + 1 }, "invalid_offset", "offset"},
		{"ticker with a control character", func(o *Office) { o.Ticker = "\x1b[2J" }, "invalid_name", "ticker"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := valid()
			o.Hours = AlwaysOpen()
			tc.mod(&o)
			err := o.Validate()
			if err == nil {
				t.Fatal("accepted")
			}
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindInvalid || e.Code != tc.code {
				t.Errorf("error %v (%+v), want kind invalid, code %s", err, e, tc.code)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("message %q does not say %q", err, tc.says)
			}
		})
	}
}

func TestValidateDefaultsAndAccepts(t *testing.T) {
	o := testOffice(t, func(o *Office) {
		o.Timezone = ""
		o.Policy = Policy{}
		o.Name = "Bộ phận một cửa — Phường Bến Thành 🏛" // emoji and precomposed letters
		o.NameEN = "Mo\u0302\u0323t cu\u031b\u0309a"    // combining marks
		o.Hours = WeekHours{"mon": {{From: "00:00", To: "24:00"}}}
		o.Holidays = []string{"2026-04-30", "2026-09-02"}
		o.Policy.PriorityBonusMinutes = map[Priority]int{PriorityMerit: 100 * 365 * 24 * 60} // strict, within range
	})
	if o.Timezone != DefaultTimezone || o.Location().String() != DefaultTimezone {
		t.Errorf("timezone %q, location %v", o.Timezone, o.Location())
	}
	if o.Policy.LateCheckin != LateWalkIn || o.Policy.EWMAAlpha != 0.2 || o.Policy.RecentCalls != 8 {
		t.Errorf("policy defaults = %+v", o.Policy)
	}
	if o.Day(time.Date(2026, 11, 27, 16, 59, 59, 0, time.UTC)) != "2026-11-27" || o.Day(time.Date(2026, 11, 27, 17, 0, 0, 0, time.UTC)) != "2026-11-28" {
		t.Error("business day is not the local date")
	}
	if b := o.Policy.Bonus(PriorityMerit); b <= 0 {
		t.Errorf("a strict bonus overflowed: %v", b)
	}
	if (&Office{}).Location() != time.UTC {
		t.Error("the location of an unvalidated office is not UTC")
	}
}

func TestErrors(t *testing.T) {
	err := errorf(KindConflict, ErrNotServed.Code, "no counter serves Đất đai")
	if !errors.Is(err, ErrNotServed) || errors.Is(err, ErrUnknownService) {
		t.Error("errors.Is does not match by code")
	}
	if KindOf(err) != KindConflict || KindOf(errors.New("x")) != "" {
		t.Error("KindOf")
	}
	if err.Error() != "no counter serves Đất đai" {
		t.Errorf("message %q", err)
	}
	if !ValidID("q1_ben-thanh") || ValidID("") || ValidID("-x") {
		t.Error("ValidID")
	}
}

func TestCheckPIN(t *testing.T) {
	for _, c := range []struct {
		role     Role
		pin      string
		minAdmin int
		code     string
	}{
		{RoleClerk, "1234", 0, ""},
		{RoleClerk, "123", 0, "pin_too_short"},
		{RoleAdmin, "1234", 0, "pin_too_short"},
		{RoleAdmin, "12345", 0, "pin_too_short"},
		{RoleAdmin, "123456", 0, ""},
		{RoleAdmin, "1234", 4, ""},
		{RoleAdmin, "1234", 2, ""}, // never below MinPIN …
		{RoleAdmin, "123", 2, "pin_too_short"},
		{RoleAdmin, "12345678", 8, ""},
		{RoleAdmin, "1234567", 8, "pin_too_short"},
		{RoleClerk, strings.Repeat("9", 33), 0, "invalid_pin"},
		{RoleProvince, "12345", 0, "pin_too_short"}, // as an administrator's
		{RoleProvince, "123456", 0, ""},
		{RoleModerator, "1234", 8, ""},
	} {
		err := CheckPIN(c.role, c.pin, c.minAdmin)
		var e *Error
		switch {
		case c.code == "" && err != nil:
			t.Errorf("%s %q (min %d): %v", c.role, c.pin, c.minAdmin, err)
		case c.code != "" && (!errors.As(err, &e) || e.Code != c.code):
			t.Errorf("%s %q (min %d): %v, want %s", c.role, c.pin, c.minAdmin, err, c.code)
		}
	}
}

// A handler needs a valid unit; the other roles have none.
func TestCheckUnit(t *testing.T) {
	for _, c := range []struct {
		s    Staff
		code string
	}{
		{Staff{Role: RoleHandler, Unit: "phuong-a"}, ""},
		{Staff{Role: RoleModerator}, ""},
		{Staff{Role: RoleClerk}, ""},
		{Staff{Role: RoleAdmin}, ""},
		{Staff{Role: RoleHandler}, "unit_required"},
		{Staff{Role: RoleHandler, Unit: "Phường A"}, "invalid_unit"},
		{Staff{Role: RoleModerator, Unit: "phuong-a"}, "unit_not_handler"},
		{Staff{Role: RoleClerk, Unit: "phuong-a"}, "unit_not_handler"},
	} {
		err := c.s.CheckUnit()
		var qe *Error
		switch {
		case c.code == "" && err != nil:
			t.Errorf("%+v: %v", c.s, err)
		case c.code != "" && (!errors.As(err, &qe) || qe.Code != c.code):
			t.Errorf("%+v: %v, want code %s", c.s, err, c.code)
		}
	}
}
