package msgtext

// clusterEntries are the messages of several server processes sharing one
// database (server/cluster, and the engine's owner and followers).
var clusterEntries = []Entry{
	{"office_moving", "another server process is taking this office over; nothing was changed — try again in a moment", "Một tiến trình máy chủ khác đang tiếp nhận cơ quan này; chưa có gì thay đổi — hãy thử lại sau giây lát"},
	{"forward_failed", "the server process that owns this office could not be reached; nothing is known to have changed — try again in a moment", "Không liên lạc được với tiến trình máy chủ đang phụ trách cơ quan này; chưa ghi nhận thay đổi nào — hãy thử lại sau giây lát"},
}
