package msgtext

// clusterEntries are the messages of several server processes sharing one
// database (server/cluster, and the engine's owner and followers).
var clusterEntries = []Entry{
	{"office_moving", "another server process is taking this office over; nothing was changed — try again in a moment", "Một tiến trình máy chủ khác đang tiếp nhận cơ quan này; chưa có gì thay đổi — hãy thử lại sau giây lát"},
	{"forward_failed", "the server process that owns this office could not be reached, so the outcome is unknown; send the same request again (with the same idempotency key) in a moment", "Không liên lạc được với tiến trình máy chủ đang phụ trách cơ quan này nên chưa rõ kết quả; hãy gửi lại đúng yêu cầu đó (cùng khóa chống trùng) sau giây lát"},
}
