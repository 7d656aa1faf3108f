package feedback_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"luot/server/feedback"
	"luot/server/geo"
	"luot/server/queue"
)

func TestValidate(t *testing.T) {
	c := testConfig(t)
	if c.ReopenFor() != 7*24*time.Hour || c.EraseDelay() != 365*24*time.Hour || c.Nearby() != 200 {
		t.Errorf("defaults: %v %v %v", c.ReopenFor(), c.EraseDelay(), c.Nearby())
	}
	c.ReopenWindow, c.EraseAfter, c.NearbyRadius = time.Hour, 2*time.Hour, 50
	if c.ReopenFor() != time.Hour || c.EraseDelay() != 2*time.Hour || c.Nearby() != 50 {
		t.Errorf("set: %v %v %v", c.ReopenFor(), c.EraseDelay(), c.Nearby())
	}
	noZone := testConfig(t)
	noZone.Calendar.Location = nil
	if err := noZone.Validate(); err != nil || noZone.Calendar.Location.String() != queue.DefaultTimezone {
		t.Errorf("no zone: %v, %v; want the default zone", err, noZone.Calendar.Location)
	}

	area := geo.MultiPolygon{{{{Lat: 0, Lon: 0}, {Lat: 0, Lon: 1}, {Lat: 1, Lon: 1}, {Lat: 0, Lon: 0}}}}
	cases := []struct {
		name   string
		change func(*feedback.Config)
		code   string
		says   string
	}{
		{"bad office id", func(c *feedback.Config) { c.Office = "Demo Office" }, "invalid_office", "office id"},
		{"no units", func(c *feedback.Config) { c.Units = nil }, "invalid_feedback_config", "no units"},
		{"bad unit id", func(c *feedback.Config) { c.Units[0].ID = "Phòng" }, "invalid_feedback_config", "unit id"},
		{"unit twice", func(c *feedback.Config) { c.Units[1].ID = "qldt" }, "invalid_feedback_config", "appears twice"},
		{"unit without a name", func(c *feedback.Config) { c.Units[0].Name = " " }, "invalid_name", "unit name"},
		{"unit name with a NUL", func(c *feedback.Config) { c.Units[0].NameEN = "a\x00" }, "invalid_name", "unit English name"},
		{"unknown kind", func(c *feedback.Config) { c.Units[0].Kind = "district" }, "invalid_feedback_config", "kind"},
		{"department with an area", func(c *feedback.Config) { c.Units[0].Area = area }, "invalid_feedback_config", "only a ward"},
		{"no categories", func(c *feedback.Config) { c.Categories = nil }, "invalid_feedback_config", "no categories"},
		{"bad category id", func(c *feedback.Config) { c.Categories[0].ID = "" }, "invalid_feedback_config", "category id"},
		{"category twice", func(c *feedback.Config) { c.Categories[1].ID = "xay-dung" }, "invalid_feedback_config", "appears twice"},
		{"category without a name", func(c *feedback.Config) { c.Categories[0].Name = "" }, "invalid_name", "category name"},
		{"hint of two lines", func(c *feedback.Config) { c.Categories[0].Hint = "a\nb" }, "invalid_name", "category hint"},
		{"hint too long", func(c *feedback.Config) { c.Categories[0].HintEN = strings.Repeat("a", 201) }, "invalid_name", "category English hint"},
		{"unknown unit", func(c *feedback.Config) { c.Categories[0].Unit = "ufo" }, "invalid_feedback_config", "not among the units"},
		{"no unit", func(c *feedback.Config) { c.Categories[0].Unit = "" }, "invalid_feedback_config", "not among the units"},
		{"no ack deadline", func(c *feedback.Config) { c.Categories[0].AckDays = 0 }, "invalid_feedback_config", "deadlines"},
		{"negative deadline", func(c *feedback.Config) { c.Categories[0].ResolveDays = -1 }, "invalid_feedback_config", "deadlines"},
		{"deadline too far", func(c *feedback.Config) { c.Categories[0].ResolveDays = 366 }, "invalid_feedback_config", "deadlines"},
		{"ack after resolve", func(c *feedback.Config) { c.Categories[0].AckDays = 11 }, "invalid_feedback_config", "later than"},
		{"bad template id", func(c *feedback.Config) { c.Templates[0].ID = "a b" }, "invalid_feedback_config", "template id"},
		{"template twice", func(c *feedback.Config) { c.Templates = append(c.Templates, c.Templates[0]) }, "invalid_feedback_config", "appears twice"},
		{"template without a title", func(c *feedback.Config) { c.Templates[0].Title = "" }, "invalid_name", "template title"},
		{"template without text", func(c *feedback.Config) { c.Templates[0].Text = "" }, "invalid_feedback_config", "template text"},
		{"template text too long", func(c *feedback.Config) { c.Templates[0].TextEN = strings.Repeat("a", feedback.MaxReason+1) }, "invalid_feedback_config", "template English text"},
		{"holiday not a date", func(c *feedback.Config) { c.Calendar.Holidays = []string{"2026-02-30"} }, "invalid_holiday", "holiday"},
		{"holiday badly written", func(c *feedback.Config) { c.Calendar.Holidays = []string{"2026-2-3"} }, "invalid_holiday", "holiday"},
		{"weekend day 7", func(c *feedback.Config) { c.Calendar.Weekend = []time.Weekday{7} }, "invalid_calendar", "weekend day"},
		{"all week weekend", func(c *feedback.Config) {
			c.Calendar.Weekend = []time.Weekday{0, 1, 2, 3, 4, 5, 6, 6}
		}, "invalid_calendar", "every day"},
		{"negative window", func(c *feedback.Config) { c.ReopenWindow = -time.Hour }, "invalid_feedback_config", "negative"},
		{"negative erasure", func(c *feedback.Config) { c.EraseAfter = -time.Hour }, "invalid_feedback_config", "negative"},
		{"radius NaN", func(c *feedback.Config) { c.NearbyRadius = math.NaN() }, "invalid_feedback_config", "radius"},
		{"radius too wide", func(c *feedback.Config) { c.NearbyRadius = 5001 }, "invalid_feedback_config", "radius"},
	}
	for _, tc := range cases {
		c := testConfig(t)
		tc.change(c)
		err := c.Validate()
		wantError(t, tc.name, err, queue.KindInvalid, tc.code)
		if err != nil && !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: %q does not say %q", tc.name, err, tc.says)
		}
	}
	ward := testConfig(t)
	ward.Units[2].Area = area
	if err := ward.Validate(); err != nil {
		t.Errorf("a ward with its area: %v", err)
	}
}
