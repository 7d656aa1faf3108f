package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"luot/assets"
	"luot/server/photo/fastjpeg"
)

// photoWidth and photoHeight are the size of -mode photos' photo: 12
// megapixels, a phone camera's, sent as it is (an Open311 client or an
// old browser does not shrink it first).
const photoWidth, photoHeight = 4000, 3000

// photoRounds is -mode photos: rounds of -concurrency citizens sending
// a feedback report with one 12-megapixel photo at the same moment, each
// from its own address with its own phone (the limits per address and
// phone are not what is measured), until -duration ends. The server's
// peak memory (VmHWM) is in the server line; the round's wall time is
// printed beside the physical limit of the same run: the time this
// machine takes merely to decode the photo as the pipeline must (with
// fastjpeg, at the half size the pipeline keeps), times the photos per
// core; the standard library's full-size decode is printed beside it.
func (l *loader) photoRounds(ctx context.Context) (*photoResult, error) {
	jpg, err := testPhoto()
	if err != nil {
		return nil, err
	}
	res := &photoResult{bytes: len(jpg), concurrency: l.cfg.concurrency}
	// The floor: the fastest of three decodes, in this process, before
	// the rounds; and image/jpeg's, for comparison.
	for range 3 {
		t0 := time.Now()
		if _, err := fastjpeg.DecodeScaled(jpg, 2); err != nil {
			return nil, err
		}
		if d := time.Since(t0); res.decode == 0 || d < res.decode {
			res.decode = d
		}
	}
	t0 := time.Now()
	if _, err := jpeg.Decode(bytes.NewReader(jpg)); err != nil {
		return nil, err
	}
	res.stdDecode = time.Since(t0)
	ips := srcIPs(250)
	clients := make([]*http.Client, len(ips))
	for i, ip := range ips {
		clients[i] = &http.Client{Timeout: 2 * time.Minute, Transport: transport(ip, 2)}
	}
	next := 0
	for ctx.Err() == nil {
		start := time.Now()
		var wg sync.WaitGroup
		for range l.cfg.concurrency {
			c := clients[next%len(clients)]
			phone := fmt.Sprintf("09%08d", next)
			next++
			wg.Add(1)
			go func() {
				defer wg.Done()
				l.sendReport(ctx, c, jpg, phone)
			}()
		}
		wg.Wait()
		if ctx.Err() == nil {
			res.rounds = append(res.rounds, time.Since(start))
		}
	}
	return res, nil
}

// sendReport files one report with the photo, as the citizen page does.
func (l *loader) sendReport(ctx context.Context, c *http.Client, jpg []byte, phone string) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range map[string]string{
		"category": "moi-truong", "description": "[Thử tải] Rác đổ trộm ven đường", "address": "Đường thử tải",
		"name": "Người thử tải", "phone": phone,
	} {
		mw.WriteField(k, v)
	}
	pw, _ := mw.CreateFormFile("photo", "photo.jpg")
	pw.Write(jpg)
	mw.Close()
	l.timed(ctx, "report-12mp", func() (int, error) {
		req, err := http.NewRequestWithContext(ctx, "POST", l.base+"/api/v1/offices/"+l.office()+"/reports", &body)
		if err != nil {
			return 0, err
		}
		req.Header.Set("Content-Type", mw.FormDataContentType())
		resp, err := c.Do(req)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		if resp.StatusCode != http.StatusCreated {
			return resp.StatusCode, fmt.Errorf("%d %s", resp.StatusCode, bytes.TrimSpace(b))
		}
		return resp.StatusCode, nil
	}, http.StatusCreated)
}

// testPhoto is a 12-megapixel JPEG with the detail and noise of a real
// photo (a smooth one would decode faster than any camera's).
func testPhoto() ([]byte, error) {
	img := image.NewYCbCr(image.Rect(0, 0, photoWidth, photoHeight), image.YCbCrSubsampleRatio420)
	r := rand.New(rand.NewPCG(12, 12))
	for y := range photoHeight {
		for x := range photoWidth {
			img.Y[y*img.YStride+x] = uint8(x/16+y/24) + uint8(r.IntN(48))
		}
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = 100+uint8(r.IntN(56)), 120+uint8(r.IntN(40))
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// photoResult is what -mode photos measured.
type photoResult struct {
	bytes, concurrency int
	decode             time.Duration // one fastjpeg decode at half size in the tool
	stdDecode          time.Duration // one image/jpeg decode at full size
	rounds             []time.Duration
}

func (p *photoResult) print(w io.Writer) {
	fmt.Fprintf(w, "\n== photos: rounds of %d simultaneous reports, one %d×%d JPEG (%.1f MB) each ==\n",
		p.concurrency, photoWidth, photoHeight, float64(p.bytes)/1e6)
	if len(p.rounds) == 0 {
		fmt.Fprintln(w, "no round finished within -duration: give it longer")
		return
	}
	var sum time.Duration
	for _, d := range p.rounds {
		sum += d
	}
	cores := runtime.NumCPU()
	floor := p.decode * time.Duration((p.concurrency+cores-1)/cores)
	fmt.Fprintf(w, "%d rounds, each %s on average (%s per photo)\n", len(p.rounds), (sum / time.Duration(len(p.rounds))).Round(time.Millisecond),
		(sum / time.Duration(len(p.rounds)*p.concurrency)).Round(time.Millisecond))
	fmt.Fprintf(w, "physical limit of this run: decoding the photo alone at half size takes %s here (image/jpeg at full size: %s); %d photos on %d cores need at least %s a round\n",
		p.decode.Round(time.Millisecond), p.stdDecode.Round(time.Millisecond), p.concurrency, cores, floor.Round(time.Millisecond))
	fmt.Fprintf(w, "one photo decoded at half size holds %.1f MB (YCbCr 4:2:0); the server's peak is in its line below\n", float64(photoWidth*photoHeight*3/2)/4e6)
}

// feedbackArgs writes the demo city's feedback files into the data folder
// and returns the server arguments that serve them for the load office.
func feedbackArgs(data, office string) ([]string, error) {
	f := filepath.Join(data, "feedback.jsonc")
	if err := os.WriteFile(f, assets.DemoFeedback, 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(data, "wards.geojson"), assets.DemoWards, 0o644); err != nil {
		return nil, err
	}
	return []string{"-feedback", f, "-feedback-office", office}, nil
}
