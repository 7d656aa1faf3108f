package msgtext

// feedbackEntries are the messages of the feedback domain and its configuration file (server/feedback, server/feedbackfile).
var feedbackEntries = []Entry{}

// geoEntries are the messages of reading ward boundaries (server/geo):
// the geo lane's block, kept apart from the domain's above.
var geoEntries = []Entry{
	{"invalid_geojson", "the GeoJSON is {size} bytes, more than the {max} that are read: simplify the boundaries or split the file", "Tệp GeoJSON dài {size} byte, quá giới hạn {max} byte được đọc: hãy đơn giản hóa ranh giới hoặc chia nhỏ tệp"},
	{"invalid_geojson", "the GeoJSON nests arrays and objects {depth} levels deep, more than the {max} that are read: flatten its properties", "Tệp GeoJSON lồng mảng và đối tượng sâu {depth} cấp, quá giới hạn {max} cấp được đọc: hãy giảm độ lồng của các thuộc tính"},
	{"invalid_geojson", "the FeatureCollection has no \"features\" array", "FeatureCollection thiếu mảng \"features\""},
	{"invalid_geojson", "the GeoJSON has no \"type\": it must be a FeatureCollection, a Feature, a Polygon or a MultiPolygon", "Tệp GeoJSON thiếu \"type\": phải là FeatureCollection, Feature, Polygon hoặc MultiPolygon"},
	{"invalid_geojson", "the GeoJSON is a {type}: it must be a FeatureCollection, a Feature, a Polygon or a MultiPolygon", "Tệp GeoJSON là {type}: phải là FeatureCollection, Feature, Polygon hoặc MultiPolygon"},
	{"invalid_geojson", "the GeoJSON must be an object with a \"type\"", "Tệp GeoJSON phải là một đối tượng có \"type\""},
	{"invalid_geojson", "the GeoJSON is not valid JSON (near byte {offset})", "Tệp GeoJSON không phải JSON hợp lệ (gần byte thứ {offset})"},
	{"invalid_geojson", "the GeoJSON member \"{member}\" has the wrong type (near byte {offset})", "Thành phần \"{member}\" của tệp GeoJSON sai kiểu dữ liệu (gần byte thứ {offset})"},
	{"invalid_geojson", "the GeoJSON has more than {max} positions (the limit was reached in feature {feature}): simplify the boundaries", "Tệp GeoJSON có hơn {max} điểm tọa độ (vượt giới hạn ở vùng {feature}): hãy đơn giản hóa ranh giới"},
	{"invalid_geojson", "feature {feature} is a {type}: a FeatureCollection holds Features", "Vùng {feature} là {type}: FeatureCollection chỉ chứa các Feature"},
	{"invalid_geojson", "feature {feature}: the id must be a string or a number", "Vùng {feature}: mã định danh phải là chuỗi hoặc số"},
	{"invalid_geojson", "feature {feature}: the properties must be an object", "Vùng {feature}: các thuộc tính phải là một đối tượng"},
	{"invalid_geojson", "feature {feature} has no geometry: give it a Polygon or a MultiPolygon", "Vùng {feature} không có hình học: hãy cho vùng một Polygon hoặc MultiPolygon"},
	{"invalid_geojson", "feature {feature}: the geometry has no \"type\"", "Vùng {feature}: hình học thiếu \"type\""},
	{"invalid_geojson", "feature {feature}: a {type} is not an area: boundaries must be a Polygon or a MultiPolygon", "Vùng {feature}: {type} không phải là một diện tích: ranh giới phải là Polygon hoặc MultiPolygon"},
	{"invalid_geojson", "feature {feature}: the geometry has no polygon", "Vùng {feature}: hình học không có đa giác nào"},
	{"invalid_geojson", "feature {feature}: a polygon has no ring", "Vùng {feature}: có đa giác không có vòng nào"},
	{"invalid_geojson", "feature {feature}: a ring has {n} positions; a ring needs at least 4, the last the same as the first", "Vùng {feature}: có vòng chỉ gồm {n} điểm; mỗi vòng cần ít nhất 4 điểm, điểm cuối trùng điểm đầu"},
	{"invalid_geojson", "feature {feature}: a position has {n} numbers; write [longitude, latitude]", "Vùng {feature}: có điểm gồm {n} số; hãy viết [kinh độ, vĩ độ]"},
	{"invalid_geojson", "feature {feature}: the position [{lon}, {lat}] is out of range: longitude must be within -180 to 180 and latitude within -90 to 90 (GeoJSON writes longitude first)", "Vùng {feature}: điểm [{lon}, {lat}] nằm ngoài phạm vi: kinh độ phải từ -180 đến 180 và vĩ độ từ -90 đến 90 (GeoJSON viết kinh độ trước)"},
	{"invalid_geojson", "feature {feature}: a ring is not closed: its last position must be the same as its first", "Vùng {feature}: có vòng chưa khép kín: điểm cuối phải trùng điểm đầu"},
	{"invalid_geojson", "feature {feature}: the geometry has no \"coordinates\"", "Vùng {feature}: hình học thiếu \"coordinates\""},
	{"invalid_geojson", "feature {feature}: the coordinates cannot be read: a Polygon's are an array of rings, each an array of [longitude, latitude] numbers, and a MultiPolygon's an array of those", "Vùng {feature}: không đọc được tọa độ: tọa độ của Polygon là một mảng các vòng, mỗi vòng là một mảng các cặp số [kinh độ, vĩ độ], còn của MultiPolygon là một mảng các Polygon như vậy"},
}
