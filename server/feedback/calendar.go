package feedback

import (
	"luot/server/queue"
	"luot/server/workday"
)

// Calendar is the office calendar deadlines are counted on
// (workday.Calendar).
type Calendar = workday.Calendar

// OfficeCalendar is the calendar of an office (workday.Office).
func OfficeCalendar(o *queue.Office) Calendar { return workday.Office(o) }
