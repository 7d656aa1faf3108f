package msgtext

// planningGeoEntries are the messages of checking an area's geometry
// (server/geo's Validate) and of building the planning look-up
// (server/planning's New): lane geo's block of the planning domain.
var planningGeoEntries = []Entry{
	{"invalid_geometry", "the area has no polygon", "Vùng không có đa giác nào"},
	{"invalid_geometry", "polygon {polygon} has no ring", "Đa giác {polygon} không có đường bao nào"},
	{"invalid_geometry", "polygon {polygon}, ring {ring} has {n} positions: a ring needs at least 4, the last repeating the first", "Đa giác {polygon}, đường bao {ring} có {n} điểm: một đường bao cần ít nhất 4 điểm, điểm cuối trùng điểm đầu"},
	{"invalid_geometry", "polygon {polygon}, ring {ring}, position {position} is not a place: longitude must be -180 to 180 and latitude -90 to 90", "Đa giác {polygon}, đường bao {ring}, điểm {position} không phải là một vị trí: kinh độ phải từ -180 đến 180 và vĩ độ từ -90 đến 90"},
	{"invalid_geometry", "polygon {polygon}, ring {ring} is not closed: its last position must repeat its first", "Đa giác {polygon}, đường bao {ring} không khép kín: điểm cuối phải trùng điểm đầu"},
	{"invalid_geometry", "polygon {polygon}, ring {ring} has no area: its positions lie on one line", "Đa giác {polygon}, đường bao {ring} không có diện tích: các điểm nằm trên một đường thẳng"},
	{"invalid_geometry", "polygon {polygon}, ring {ring} crosses or touches itself near ({lon}, {lat}): a boundary must go round without meeting itself", "Đa giác {polygon}, đường bao {ring} tự cắt hoặc tự chạm gần điểm ({lon}, {lat}): đường bao phải khép kín mà không gặp lại chính nó"},
	{"invalid_geometry", "polygon {polygon}, ring {ring} and polygon {other}, ring {other_ring} cross near ({lon}, {lat}): rings may touch at a point but not cross or run along each other", "Đa giác {polygon}, đường bao {ring} và đa giác {other}, đường bao {other_ring} cắt nhau gần điểm ({lon}, {lat}): các đường bao chỉ được chạm nhau tại một điểm, không được cắt nhau hay chạy dọc theo nhau"},
	{"invalid_geometry", "polygon {polygon}, ring {ring} is a hole outside its outer ring: a polygon's holes lie inside its first ring", "Đa giác {polygon}, đường bao {ring} là lỗ thủng nằm ngoài đường bao ngoài: các lỗ thủng của đa giác phải nằm trong đường bao thứ nhất"},
	{"invalid_geometry", "polygon {polygon}, ring {ring} is a hole inside another hole (ring {other}): a hole of a hole is another polygon", "Đa giác {polygon}, đường bao {ring} là lỗ thủng nằm trong lỗ thủng khác (đường bao {other}): phần nằm trong lỗ thủng phải là một đa giác riêng"},
	{"invalid_geometry", "polygon {polygon} lies inside polygon {other}: the polygons of a multipolygon must not overlap", "Đa giác {polygon} nằm trong đa giác {other}: các đa giác của một MultiPolygon không được chồng lên nhau"},
}

// planningPlanEntries are the messages of building the look-up from an
// import (server/planning's New).
var planningPlanEntries = []Entry{
	{"invalid_plan", "zone {feature} has no id: every zone needs one", "Ô quy hoạch thứ {feature} không có mã (id): mỗi ô cần có mã"},
	{"invalid_plan", "zones {first} and {second} have the same id {id}: every zone needs its own", "Ô quy hoạch thứ {first} và thứ {second} trùng mã {id}: mỗi ô cần một mã riêng"},
	{"invalid_plan", "parcel {feature} has no sheet or no number: a parcel is named by both", "Thửa đất thứ {feature} thiếu số tờ hoặc số thửa: một thửa đất được xác định bằng cả hai"},
	{"invalid_plan", "parcels {first} and {second} are both parcel {number} of sheet {sheet}: a sheet and a number name one parcel", "Thửa đất thứ {first} và thứ {second} cùng là thửa số {number} tờ bản đồ số {sheet}: mỗi số tờ và số thửa chỉ ứng với một thửa đất"},
}
