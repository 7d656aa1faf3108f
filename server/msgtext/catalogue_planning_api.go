package msgtext

// planningAPIEntries are the messages of the planning look-up's API (server/api/planning.go).
var planningAPIEntries = []Entry{
	{"invalid_point", "give the point as ?lat=&lon= in decimal degrees (latitude -90 to 90, longitude -180 to 180), e.g. ?lat=10.7769&lon=106.7009", "Hãy cho điểm dạng ?lat=&lon= theo độ thập phân (vĩ độ từ -90 đến 90, kinh độ từ -180 đến 180), ví dụ ?lat=10.7769&lon=106.7009"},
	{"invalid_parcel", "give the map sheet and the parcel number as the parameters \"sheet\" and \"number\" (each 1 to {max} characters), as the land-use certificate writes them", "Hãy cho số tờ bản đồ và số thửa qua tham số \"sheet\" và \"number\" (mỗi số từ 1 đến {max} ký tự), như ghi trên giấy chứng nhận quyền sử dụng đất"},
	{"unknown_parcel", "no parcel {number} on map sheet {sheet} in the imported cadastre: check the numbers on the land-use certificate", "Bản đồ địa chính đã nhập không có thửa {number} thuộc tờ bản đồ số {sheet}: hãy kiểm tra lại các số trên giấy chứng nhận quyền sử dụng đất"},
	{"invalid_bbox", "give the box as ?bbox=W,S,E,N in decimal degrees (west, south, east, north), west below east and south below north", "Hãy cho khung dạng ?bbox=W,S,E,N theo độ thập phân (tây, nam, đông, bắc), tây nhỏ hơn đông và nam nhỏ hơn bắc"},
	{"invalid_name", "the import's name is longer than {max} characters: shorten it", "Tên lần nhập dài quá {max} ký tự: hãy rút ngắn"},
	{"empty_import", "the request body is empty: send the GeoJSON file as the body", "Yêu cầu không có nội dung: hãy gửi tệp GeoJSON làm nội dung yêu cầu"},
	{"invalid_crs", "crs {crs} is unknown: use crs=wgs84 (GeoJSON's longitude, latitude) or crs=vn2000 with meridian= and zone=", "Không rõ hệ tọa độ {crs}: hãy dùng crs=wgs84 (kinh độ, vĩ độ của GeoJSON) hoặc crs=vn2000 kèm meridian= và zone="},
	{"invalid_crs", "VN-2000 needs the province's central meridian in degrees and the zone's width (3 or 6), e.g. crs=vn2000&meridian=105.75&zone=3", "Hệ VN-2000 cần kinh tuyến trục của tỉnh (độ) và độ rộng múi chiếu (3 hoặc 6), ví dụ crs=vn2000&meridian=105.75&zone=3"},
}
