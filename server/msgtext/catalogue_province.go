package msgtext

// provinceEntries are the messages of the province's figures (server/api
// province.go): the period's checks that the dossiers' and feedback
// reports' figures do not share, and the desk's refusal of a session
// that serves no counter.
var provinceEntries = []Entry{
	{"forbidden", "only the office's clerks and administrators may do this", "Chỉ cán bộ một cửa và quản trị viên của cơ quan mới được làm việc này"},
	{"period_too_long", "a period covers at most {max} days: choose a shorter one", "Một khoảng thời gian gồm tối đa {max} ngày: hãy chọn khoảng ngắn hơn"},
}
