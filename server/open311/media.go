package open311

import (
	"mime/multipart"
	"net/http"
	"strconv"

	"luot/server/feedback"
)

// mediaPart is a "media" file of a multipart POST, the extension of this
// server to the spec (which has media_url only).
type mediaPart struct {
	h *multipart.FileHeader
}

// mediaParts checks the files of a multipart POST: "media" parts only, at
// most feedback.MaxPhotos, none larger than MaxPhotoBytes. Their content
// is the photo pipeline's to check.
func (s *Server) mediaParts(r *http.Request) ([]mediaPart, *Error) {
	var out []mediaPart
	for name, hs := range r.MultipartForm.File {
		if name != "media" {
			return nil, newError(http.StatusBadRequest, "unknown_file", "file part {name} is not taken: send photos as parts named media", "name", strconv.Quote(truncate(name, 40)))
		}
		for _, h := range hs {
			if h.Size > s.cfg.MaxPhotoBytes {
				return nil, newError(http.StatusRequestEntityTooLarge, "photo_too_large", "photo {file} has {size} bytes, more than {max}", "file", strconv.Quote(truncate(h.Filename, 60)), "size", h.Size, "max", s.cfg.MaxPhotoBytes)
			}
			out = append(out, mediaPart{h: h})
		}
	}
	if len(out) > feedback.MaxPhotos {
		return nil, newError(http.StatusBadRequest, "too_many_photos", "{count} photos are sent, more than {max}", "count", len(out), "max", feedback.MaxPhotos)
	}
	if len(out) > 0 && s.cfg.Photos == nil {
		return nil, newError(http.StatusBadRequest, "photos_not_taken", "this server takes no photos: send the request without media parts")
	}
	return out, nil
}

// addPhotos passes the media parts through the photo pipeline, in order,
// and returns their hashes. A photo the pipeline refuses refuses the
// request (its error, said in the reader's language); photos already
// stored are swept with the other unattached uploads.
func (s *Server) addPhotos(r *http.Request, media []mediaPart) ([]string, error) {
	hashes := make([]string, 0, len(media))
	for _, m := range media {
		f, err := m.h.Open()
		if err != nil {
			return nil, err
		}
		h, err := s.cfg.Photos.Add(r.Context(), f)
		_ = f.Close()
		if err != nil {
			return nil, err
		}
		hashes = append(hashes, h)
	}
	return hashes, nil
}
