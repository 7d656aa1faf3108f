package msgtext

// notifyEntries are the messages of the notifications' API
// (server/api/notify.go).
var notifyEntries = []Entry{
	{"notifications_off", "this server sends no notifications", "Máy chủ này không gửi thông báo"},
	{"push_off", "this server sends no web push notifications: choose SMS, or keep the page open", "Máy chủ này không gửi thông báo qua trình duyệt: hãy chọn nhận SMS, hoặc để trang này mở"},
	{"sms_off", "this server sends no SMS: choose the browser's notifications, or keep the page open", "Máy chủ này không gửi SMS: hãy chọn nhận thông báo qua trình duyệt, hoặc để trang này mở"},
	{"unknown_item", "nothing to follow matches this item and secret: open the page from its link or QR code and subscribe there", "Không tìm thấy mục cần theo dõi với mã này: hãy mở trang từ đường dẫn hoặc mã QR của nó và đăng ký nhận thông báo tại đó"},
	{"item_ended", "this item is over: there is nothing more to be told about it", "Mục này đã kết thúc: không còn gì để thông báo"},
	{"invalid_item", "item.type must be ticket, booking, dossier or report", "Trường item.type phải là một loại mục: số thứ tự, lịch hẹn, hồ sơ hoặc phản ánh"},
	{"invalid_item", "item.id must be the item's id or code: 1 to 64 printable ASCII characters", "Trường item.id phải là mã của mục: từ 1 đến 64 ký tự ASCII in được"},
	{"invalid_item", "item.office must be an office id", "Trường item.office phải là mã cơ quan"},
	{"secret_required", "secret is required: the token or k of the item's link, as its page holds it", "Thiếu secret: mã token hoặc k trong đường dẫn của mục, như trang của mục đang giữ"},
	{"invalid_lang", "lang must be vi or en", "Trường lang phải là vi hoặc en"},
	{"invalid_push", "a push subscription sends push (the browser's PushSubscription) and no phone", "Đăng ký thông báo trình duyệt gửi push (PushSubscription của trình duyệt) và không gửi số điện thoại"},
	{"invalid_push", "push.keys.p256dh must be the browser's P-256 public key (65 bytes, base64url)", "Trường push.keys.p256dh phải là khóa công khai P-256 của trình duyệt (65 byte, base64url)"},
	{"invalid_push", "push.keys.auth must be the browser's 16-byte auth secret (base64url)", "Trường push.keys.auth phải là mã bí mật xác thực 16 byte của trình duyệt (base64url)"},
	{"invalid_push", "push.endpoint must be the https URL of the browser's push service", "Trường push.endpoint phải là địa chỉ https của dịch vụ thông báo của trình duyệt"},
	{"invalid_phone", "an SMS subscription sends a phone and no push", "Đăng ký nhận SMS gửi số điện thoại và không gửi push"},
	{"invalid_channel", "channel must be push or sms", "Trường channel phải là push hoặc sms"},
	{"sms_off", "this server sends no SMS: receive the dossier without the consent to SMS", "Máy chủ này không gửi SMS: hãy tiếp nhận hồ sơ mà không đánh dấu đồng ý nhận SMS"},
	{"phone_required", "applicant.phone is required with sms_consent: type the phone the SMS go to, or untick the consent", "Cần số điện thoại của người nộp khi đồng ý nhận SMS: hãy nhập số điện thoại nhận SMS, hoặc bỏ đánh dấu đồng ý"},
	{"invalid_sms_consent", "a refused dossier is told nothing: send sms_consent only with a dossier received", "Hồ sơ bị từ chối tiếp nhận không được gửi thông báo: chỉ đánh dấu đồng ý nhận SMS khi tiếp nhận hồ sơ"},
	{"too_many_subscriptions", "this item has {max} subscriptions already: stop one with its link (/u/…) before adding another", "Mục này đã có {max} đăng ký nhận thông báo: hãy hủy một đăng ký bằng đường dẫn của nó (/u/…) trước khi thêm"},
}
