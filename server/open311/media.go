package open311

import (
	"context"
	"errors"
	"mime/multipart"
	"net/http"
	"strconv"

	"luot/server/feedback"
	"luot/server/photo"
	"luot/server/queue"
)

// mediaPart is a "media" file of a multipart POST, the extension of this
// server to the spec (which has media_url only).
type mediaPart struct {
	h *multipart.FileHeader
}

// maxPhotoBytes is the largest media part: the pipeline's limit (10 MB
// when there is no pipeline, so that the body is bounded anyway).
func (s *Server) maxPhotoBytes() int64 {
	if s.cfg.PhotoPipeline != nil {
		return s.cfg.PhotoPipeline.Limits().MaxBytes
	}
	return photo.DefaultLimits.MaxBytes
}

// mediaParts checks the files of a multipart POST: "media" parts only, at
// most feedback.MaxPhotos, none larger than the pipeline takes. Their
// content is the pipeline's to check.
func (s *Server) mediaParts(r *http.Request) ([]mediaPart, *Error) {
	var out []mediaPart
	for name, hs := range r.MultipartForm.File {
		if name != "media" {
			return nil, newError(http.StatusBadRequest, "unknown_file", "file part {name} is not taken: send photos as parts named media", "name", strconv.Quote(truncate(name, 40)))
		}
		for _, h := range hs {
			if max := s.maxPhotoBytes(); h.Size > max {
				return nil, newError(http.StatusRequestEntityTooLarge, "photo_too_large", "photo {file} has {size} bytes, more than {max}", "file", strconv.Quote(truncate(h.Filename, 60)), "size", h.Size, "max", max)
			}
			out = append(out, mediaPart{h: h})
		}
	}
	if len(out) > feedback.MaxPhotos {
		return nil, newError(http.StatusBadRequest, "too_many_photos", "{count} photos are sent, more than {max}", "count", len(out), "max", feedback.MaxPhotos)
	}
	if len(out) > 0 && (s.cfg.PhotoPipeline == nil || s.cfg.PhotoDir == nil) {
		return nil, newError(http.StatusBadRequest, "photos_not_taken", "this server takes no photos: send the request without media parts")
	}
	return out, nil
}

// processPhotos passes the media parts through the photo pipeline, in
// order (the pipeline bounds how many photos are in memory at once). A
// photo the pipeline refuses refuses the request with its error, said in
// the reader's language; nothing is written yet.
func (s *Server) processPhotos(ctx context.Context, media []mediaPart) ([]photo.Result, error) {
	out := make([]photo.Result, 0, len(media))
	for i, m := range media {
		f, err := m.h.Open()
		if err != nil {
			return nil, err
		}
		res, err := s.cfg.PhotoPipeline.Process(ctx, f)
		_ = f.Close()
		if err != nil {
			var qe *queue.Error
			if errors.Is(err, context.Canceled) || errors.As(err, &qe) {
				return nil, err
			}
			return nil, newError(http.StatusBadRequest, "invalid_photo", "photo {n} could not be read as a JPEG, PNG or WebP image: send another photo", "n", i+1)
		}
		out = append(out, res)
	}
	return out, nil
}

// savePhotos writes processed photos to the folder and returns the hashes
// of those that were not there before (to remove if the report is not
// stored); on failure it removes them again.
func (s *Server) savePhotos(photos []photo.Result) (created []string, err error) {
	for _, p := range photos {
		had := s.cfg.PhotoDir.Has(p.Hash)
		if err := s.cfg.PhotoDir.Save(p); err != nil {
			s.removePhotos(created)
			return nil, err
		}
		if !had {
			created = append(created, p.Hash)
		}
	}
	return created, nil
}

// removePhotos removes the photos of a request that failed; a failure is
// logged (the sweep of unattached uploads removes them later).
func (s *Server) removePhotos(hashes []string) {
	for _, h := range hashes {
		if err := s.cfg.PhotoDir.Remove(h); err != nil {
			s.log.Warn("open311: removing a photo of a failed request", "photo", h, "err", err)
		}
	}
}
