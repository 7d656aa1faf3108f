package msgtext

// provinceEntries are the messages of the province's figures (server/api
// province.go): the period's checks that the dossiers' and feedback
// reports' figures do not share.
var provinceEntries = []Entry{
	{"period_too_long", "a period covers at most {max} days: choose a shorter one", "Một khoảng thời gian gồm tối đa {max} ngày: hãy chọn khoảng ngắn hơn"},
}
