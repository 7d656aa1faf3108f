package msgtext

// planningImportEntries are the messages of the planning import: the
// GeoJSON decoder of zones and parcels (server/planning) and VN-2000
// (server/geo).
var planningImportEntries = []Entry{
	// The file as a whole.
	{"file_too_large", "the file is larger than {max} MB: split it (by district, or zones and parcels apart) or simplify the boundaries", "Tệp lớn hơn {max} MB: hãy chia nhỏ (theo quận, huyện, hoặc tách ô quy hoạch và thửa đất) hoặc đơn giản hóa ranh giới"},
	{"invalid_planning", "the file is a GeoJSON {type}: import a FeatureCollection, one Feature for each zone or parcel", "Tệp là một {type} GeoJSON: hãy nhập một FeatureCollection, mỗi ô quy hoạch hoặc thửa đất là một Feature"},
	{"invalid_planning", "the file must be a GeoJSON FeatureCollection: an object {\"type\": \"FeatureCollection\", \"features\": [...]}", "Tệp phải là một FeatureCollection GeoJSON: một đối tượng {\"type\": \"FeatureCollection\", \"features\": [...]}"},
	{"invalid_planning", "the file's \"features\" must be an array of Features", "\"features\" của tệp phải là một mảng các Feature"},
	{"invalid_planning", "the file has two \"features\" members: put every feature in one array", "Tệp có hai thành phần \"features\": hãy đặt mọi đối tượng vào một mảng"},
	{"invalid_planning", "the file goes on after the FeatureCollection's end (near byte {offset}): import one FeatureCollection", "Tệp còn nội dung sau khi FeatureCollection kết thúc (gần byte {offset}): hãy nhập một FeatureCollection duy nhất"},
	{"invalid_planning", "the file ends in the middle (after {offset} bytes): was it uploaded whole?", "Tệp bị cắt ngang (sau {offset} byte): tệp đã được tải lên đầy đủ chưa?"},
	{"invalid_planning", "the file is not valid JSON near byte {offset}: check the text there (a missing comma or quote, a trailing comma)", "Tệp không phải JSON hợp lệ ở gần byte {offset}: hãy kiểm tra chỗ đó (thiếu dấu phẩy hoặc dấu ngoặc kép, thừa dấu phẩy)"},
	{"invalid_planning", "the file's {member} has the wrong type (a {got}): it must be a GeoJSON FeatureCollection", "Thành phần {member} của tệp sai kiểu (là {got}): tệp phải là một FeatureCollection GeoJSON"},
	{"invalid_planning", "the file cannot be read: upload it again", "Không đọc được tệp: hãy tải lên lại"},

	// A feature.
	{"invalid_planning", "feature {feature}: {member} has the wrong type (a {got}): see docs/planning.md for the format", "Đối tượng {feature}: {member} sai kiểu (là {got}): xem định dạng trong docs/planning.md"},
	{"invalid_planning", "feature {feature} is not a GeoJSON Feature (its \"type\" is {type}): the collection holds Features", "Đối tượng {feature} không phải là Feature GeoJSON (\"type\" của nó là {type}): tập hợp chỉ chứa các Feature"},
	{"invalid_planning", "feature {feature}: unknown properties {unknown}: the accepted ones are {accepted} (rename or remove the others)", "Đối tượng {feature}: không nhận các thuộc tính {unknown}: chỉ nhận {accepted} (hãy đổi tên hoặc bỏ các thuộc tính khác)"},
	{"invalid_planning", "feature {feature} has no id: give it an \"id\" (or an \"id\" property) that no other zone has", "Đối tượng {feature} không có mã: hãy cho nó một \"id\" (hoặc thuộc tính \"id\") không trùng với ô quy hoạch nào khác"},
	{"invalid_planning", "feature {feature} has two ids, {top} and {inner}: keep one", "Đối tượng {feature} có hai mã, {top} và {inner}: hãy giữ một"},
	{"invalid_planning", "feature {feature}: the id is the same as feature {other}'s: every zone needs its own id", "Đối tượng {feature}: mã trùng với đối tượng {other}: mỗi ô quy hoạch cần một mã riêng"},
	{"invalid_planning", "feature {feature}: feature {other} is the same parcel: a sheet and a parcel number name one parcel", "Đối tượng {feature}: trùng thửa đất với đối tượng {other}: mỗi cặp số tờ và số thửa chỉ ứng với một thửa"},
	{"invalid_planning", "feature {feature}: the property {property} is missing: every feature needs it", "Đối tượng {feature}: thiếu thuộc tính {property}: đối tượng nào cũng cần thuộc tính này"},
	{"invalid_planning", "feature {feature}: the property {property} is longer than {max} bytes", "Đối tượng {feature}: thuộc tính {property} dài quá {max} byte"},
	{"invalid_planning", "feature {feature}: the property {property} must be text or a whole number, not {value}", "Đối tượng {feature}: thuộc tính {property} phải là chữ hoặc số nguyên, không phải {value}"},
	{"invalid_planning", "feature {feature}: the property {property} must be text (in quotes), not {value}", "Đối tượng {feature}: thuộc tính {property} phải là chữ (trong dấu ngoặc kép), không phải {value}"},
	{"invalid_planning", "feature {feature}: the property {property} must be a number (without quotes or units), not {value}", "Đối tượng {feature}: thuộc tính {property} phải là số (không có dấu ngoặc kép hay đơn vị), không phải {value}"},
	{"invalid_planning", "feature {feature}: the property {property} is {value}: it must be within 0 to {max}", "Đối tượng {feature}: thuộc tính {property} bằng {value}: phải từ 0 đến {max}"},
	{"invalid_planning", "feature {feature}: decision_date {date} is not a date: write it YYYY-MM-DD, e.g. 2024-03-15", "Đối tượng {feature}: decision_date {date} không phải là ngày: hãy viết dạng YYYY-MM-DD, ví dụ 2024-03-15"},
	{"invalid_planning", "feature {feature}: floors must be a whole number, not {value}", "Đối tượng {feature}: floors (số tầng) phải là số nguyên, không phải {value}"},

	// A feature's geometry.
	{"invalid_planning", "feature {feature} has no geometry: every zone and parcel needs a Polygon or a MultiPolygon", "Đối tượng {feature} không có hình học: hãy cho nó một Polygon hoặc MultiPolygon"},
	{"invalid_planning", "feature {feature}: the geometry has no \"type\": write Polygon or MultiPolygon", "Đối tượng {feature}: hình học thiếu \"type\""},
	{"invalid_planning", "feature {feature}: a {type} is not an area: give a Polygon or a MultiPolygon", "Đối tượng {feature}: {type} không phải là một vùng: hãy dùng Polygon hoặc MultiPolygon"},
	{"invalid_planning", "feature {feature}: the coordinates cannot be read: a Polygon's are an array of rings, each an array of positions [x, y], and a MultiPolygon's an array of those", "Đối tượng {feature}: không đọc được tọa độ: tọa độ của Polygon là một mảng các vòng, mỗi vòng là một mảng các điểm [x, y], còn của MultiPolygon là một mảng các Polygon như vậy"},
	{"invalid_planning", "feature {feature}: the MultiPolygon has no polygon", "Đối tượng {feature}: hình học không có đa giác nào"},
	{"invalid_planning", "feature {feature}: a polygon has no ring: give it its outer ring", "Đối tượng {feature}: có đa giác không có vòng nào"},
	{"invalid_planning", "feature {feature}: a ring has {n} positions: it needs at least 4, the last the same as the first", "Đối tượng {feature}: có vòng chỉ gồm {n} điểm; mỗi vòng cần ít nhất 4 điểm, điểm cuối trùng điểm đầu"},
	{"invalid_planning", "feature {feature}: a position has {n} numbers; write [x, y] (longitude, latitude; or easting, northing in VN-2000)", "Đối tượng {feature}: có điểm gồm {n} số; hãy viết [x, y] (kinh độ, vĩ độ; hoặc tọa độ Y, X theo VN-2000)"},
	{"invalid_planning", "feature {feature}: a ring is not closed: repeat its first position at its end", "Đối tượng {feature}: có vòng chưa khép kín: điểm cuối phải trùng điểm đầu"},
	{"invalid_planning", "feature {feature}: the position {position} has the latitude first: GeoJSON writes [longitude, latitude] (in Vietnam about [106, 10.8]); swap the two numbers of every position", "Đối tượng {feature}: điểm {position} ghi vĩ độ trước: GeoJSON viết [kinh độ, vĩ độ] (ở Việt Nam khoảng [106, 10.8]); hãy đổi chỗ hai số của mọi điểm"},
	{"invalid_planning", "feature {feature}: the position {position} looks like VN-2000 metres, not WGS 84 degrees: import the file as VN-2000 with the province's central meridian", "Đối tượng {feature}: điểm {position} có vẻ là tọa độ mét VN-2000, không phải độ WGS 84: hãy nhập tệp theo hệ VN-2000 với kinh tuyến trục của tỉnh"},
	{"invalid_planning", "feature {feature}: the position {position} is out of range: longitude must be within -180 to 180 and latitude within -90 to 90", "Đối tượng {feature}: điểm {position} nằm ngoài phạm vi: kinh độ phải từ -180 đến 180 và vĩ độ từ -90 đến 90"},
	{"invalid_planning", "feature {feature}: the position {position} looks like WGS 84 degrees, not VN-2000 metres: import the file as WGS 84 (without crs=vn2000)", "Đối tượng {feature}: điểm {position} có vẻ là độ WGS 84, không phải mét VN-2000: hãy nhập tệp theo hệ WGS 84 (bỏ crs=vn2000)"},
	{"invalid_planning", "feature {feature}: the position {position} has the northing first: GeoJSON writes [easting, northing] (x then y); swap the two numbers of every position", "Đối tượng {feature}: điểm {position} ghi tọa độ X (bắc) trước: GeoJSON viết [Y (đông), X (bắc)]; hãy đổi chỗ hai số của mọi điểm"},
	{"invalid_planning", "feature {feature}: the position {position} is not in Vietnam in VN-2000 with central meridian {meridian}: check the province's meridian and that the file is VN-2000", "Đối tượng {feature}: điểm {position} không nằm trong lãnh thổ Việt Nam theo VN-2000 kinh tuyến trục {meridian}: hãy kiểm tra kinh tuyến trục của tỉnh và tệp có đúng hệ VN-2000 không"},

	// VN-2000 (server/geo).
	{"invalid_crs", "a VN-2000 zone is 3 or 6 degrees wide, not {width}: cadastral and planning maps use 3", "Múi chiếu VN-2000 rộng 3 hoặc 6 độ, không phải {width}: bản đồ địa chính và quy hoạch dùng múi 3 độ"},
	{"invalid_crs", "the central meridian {meridian} does not cross Vietnam: give the province's meridian in degrees, between {min} and {max} (Ho Chi Minh City's is 105.75)", "Kinh tuyến trục {meridian} không đi qua Việt Nam: hãy ghi kinh tuyến trục của tỉnh bằng độ, từ {min} đến {max} (của Thành phố Hồ Chí Minh là 105.75)"},
	{"invalid_crs", "the central meridian {meridian} looks like degrees and minutes: {deg}°{min}′ is written {decimal} in degrees", "Kinh tuyến trục {meridian} có vẻ được viết theo độ và phút: {deg}°{min}′ viết theo độ là {decimal}"},
	{"invalid_crs", "the central meridian {meridian} is not a whole quarter degree: provinces' meridians are, e.g. 105.75 for 105°45′", "Kinh tuyến trục {meridian} không phải là bội của 15 phút: kinh tuyến trục các tỉnh đều như vậy, ví dụ 105.75 cho 105°45′"},
	{"invalid_crs", "the VN-2000 position (northing {northing}, easting {easting}) is outside any VN-2000 zone: an easting lies within {offset} m of {false}", "Điểm VN-2000 (X {northing}, Y {easting}) nằm ngoài mọi múi chiếu VN-2000: tọa độ Y phải cách {false} không quá {offset} m"},
	{"invalid_crs", "the point ({lat}, {lon}) is too far from the central meridian {meridian} for VN-2000", "Điểm ({lat}, {lon}) quá xa kinh tuyến trục {meridian} để tính theo VN-2000"},
}
