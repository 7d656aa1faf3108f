package client

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Logout ends the session of the client's token (DELETE /api/v1/sessions):
// the counter station's sign-out key.
func (c *Client) Logout(ctx context.Context) error {
	_, err := c.do(ctx, http.MethodDelete, "/api/v1/sessions", nil, "", nil)
	return err
}

// maxPhoto bounds a clerk's photo as the station reads it.
const maxPhoto = 4 << 20

// ClerkPhoto returns the photo at path (Clerk.PhotoURL, read with the
// station's key): its bytes, JPEG or PNG. A clerk without a photo is a
// 404 *Error.
func (c *Client) ClerkPhoto(ctx context.Context, path string) ([]byte, error) {
	if !strings.HasPrefix(path, "/") {
		return nil, fmt.Errorf("clerk photo %q: not a path of the server", path)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base.String()+path, nil)
	if err != nil {
		return nil, fmt.Errorf("clerk photo: %w", err)
	}
	if c.deviceKey != "" {
		req.Header.Set("X-Device-Key", c.deviceKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxPhoto+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: read answer: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &Error{Status: resp.StatusCode, Code: fmt.Sprintf("http_%d", resp.StatusCode), Message: strings.TrimSpace(string(data[:min(len(data), 200)]))}
	}
	if len(data) > maxPhoto {
		return nil, fmt.Errorf("GET %s: the photo is larger than %d MB", path, maxPhoto>>20)
	}
	return data, nil
}
