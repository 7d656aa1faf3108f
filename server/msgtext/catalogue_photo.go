package msgtext

// photoEntries are the messages of the photo pipeline (server/photo).
var photoEntries = []Entry{
	{"photo_too_large", "the photo is larger than {max} MB: send a smaller one", "Ảnh lớn hơn {max} MB: hãy gửi ảnh nhỏ hơn"},
	{"photo_empty", "the photo is empty: choose it again", "Tệp ảnh trống: hãy chọn lại ảnh"},
	{"photo_type", "the file is not a JPEG, PNG or WebP photo: choose a photo in one of these types", "Tệp không phải là ảnh JPEG, PNG hoặc WebP: hãy chọn ảnh thuộc một trong các định dạng này"},
	{"photo_too_many_pixels", "the photo has {width}×{height} pixels, more than {max} megapixels: send a smaller one", "Ảnh có {width}×{height} điểm ảnh, nhiều hơn {max} triệu điểm ảnh: hãy gửi ảnh nhỏ hơn"},
	{"photo_too_many_pixels", "the photo has {width}×{height} pixels stored in a way that needs {mb} MB to read, more than {max} MB: save it as an ordinary JPEG or send a smaller one", "Ảnh có {width}×{height} điểm ảnh được lưu theo cách cần {mb} MB bộ nhớ để đọc, nhiều hơn {max} MB: hãy lưu lại thành ảnh JPEG thông thường hoặc gửi ảnh nhỏ hơn"},
	{"photo_broken", "the photo cannot be read: the file is damaged or incomplete; take or save it again", "Không đọc được ảnh: tệp bị hỏng hoặc không đầy đủ; hãy chụp hoặc lưu lại ảnh"},
	{"invalid_photo", "a photo's name is 64 lowercase hexadecimal digits (its SHA-256)", "Tên ảnh gồm 64 chữ số thập lục phân viết thường (mã SHA-256 của ảnh)"},
	{"photo_not_found", "there is no such photo: it may have been removed", "Không có ảnh này: ảnh có thể đã bị xóa"},
}
