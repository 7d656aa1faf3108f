package web

// planningTexts are the admin page's planning import texts: Vietnamese, English.
var planningTexts = map[string][2]string{
	"qh.admin":                        {"Dữ liệu quy hoạch", "Planning data"},
	"qh.admin.help":                   {"Nhập tệp GeoJSON các ô quy hoạch hoặc các thửa đất (xem docs/planning.md). Lần nhập mới thay thế toàn bộ lần nhập trước cùng loại; tệp có lỗi thì không thay đổi gì.", "Import a GeoJSON file of the plan's zones or of the land parcels (see docs/planning.md). A new import replaces the whole previous one of its kind; a file with a mistake changes nothing."},
	"qh.kind":                         {"Loại dữ liệu", "What the file holds"},
	"qh.kind.zones":                   {"Ô quy hoạch", "Zones of the plan"},
	"qh.kind.parcels":                 {"Thửa đất (bản đồ địa chính)", "Land parcels (cadastral map)"},
	"qh.name":                         {"Tên lần nhập (ví dụ: số quyết định)", "Name of the import (e.g. the decision's number)"},
	"qh.crs":                          {"Hệ tọa độ của tệp", "Coordinate system of the file"},
	"qh.crs.wgs84":                    {"WGS 84 (kinh độ, vĩ độ)", "WGS 84 (longitude, latitude)"},
	"qh.crs.vn2000":                   {"VN-2000 (mét)", "VN-2000 (metres)"},
	"qh.meridian":                     {"Kinh tuyến trục VN-2000 (độ)", "VN-2000 central meridian (degrees)"},
	"qh.zone":                         {"Múi chiếu VN-2000", "VN-2000 zone width"},
	"qh.file":                         {"Tệp GeoJSON", "GeoJSON file"},
	"qh.import":                       {"Nhập dữ liệu", "Import"},
	"qh.importing":                    {"Đang nhập…", "Importing…"},
	"qh.done.zones":                   {"Đã nhập {n} ô quy hoạch.", "Imported {n} zones."},
	"qh.done.parcels":                 {"Đã nhập {n} thửa đất.", "Imported {n} parcels."},
	"qh.no.file":                      {"Hãy chọn tệp GeoJSON.", "Choose the GeoJSON file."},
	"qh.failed":                       {"Không nhập được", "The import failed"},
	"qh.open":                         {"Mở trang tra cứu quy hoạch", "Open the planning look-up page"},
	"qh.now":                          {"Đang dùng", "In use"},
	"qh.none":                         {"chưa nhập", "nothing imported"},
	"qh.sample":                       {"Dữ liệu mẫu", "Sample data"},
	"adm.act.planning_import_zones":   {"Nhập ô quy hoạch", "Planning zones imported"},
	"adm.act.planning_import_parcels": {"Nhập thửa đất", "Land parcels imported"},
}

func init() {
	for k, t := range planningTexts {
		if _, dup := texts[k]; dup {
			panic("web: text " + k + " is defined twice")
		}
		texts[k] = t
	}
}
