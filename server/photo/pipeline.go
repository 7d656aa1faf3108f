package photo

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"luot/server/queue"
)

// Pipeline processes photos with bounded memory: each photo's cost (its
// estimated peak bytes, from its header: see decodeCost) is reserved from
// a budget before it is decoded, and a caller whose photo does not fit
// waits, in turn, until earlier photos are done or its ctx ends. Each
// photo reserves at least Budget/Slots, so that no more than Slots decode
// at once, and at most the whole budget (Limits.MaxDecodeBytes refuses
// anything bigger first).
//
// Memory: the photos being decoded hold at most the budget between them;
// a caller waiting in Process holds the first 256 KB of its upload (in
// ProcessBytes, the bytes it passed). A 12-megapixel baseline JPEG is
// estimated at 46 MB (17 MB of decoded YCbCr, 22 MB of scaled planes and
// output, a 7 MB upload; its measured heap peak is 31 MB), a
// 40-megapixel RGBA PNG at 190 MB; the default budget of 400 MB thus
// takes two of either at once.
type Pipeline struct {
	lim   Limits
	slots int
	size  int64

	mu      sync.Mutex
	used    int64
	waiters []*waiter

	// observe, when set (by tests), is told of each photo's reservation
	// as it starts and ends.
	observe func(n int64, start bool)
}

type waiter struct {
	n     int64
	ready chan struct{}
}

// NewPipeline is a pipeline processing photos within lim, at most slots at
// once (0: GOMAXPROCS, since decoding is work for a processor and a second
// photo on a core only delays both), within budget bytes (0: twice
// lim.MaxDecodeBytes, so that the largest photo allowed never waits for
// more than one other).
func NewPipeline(lim Limits, slots int, budget int64) *Pipeline {
	lim = lim.withDefaults()
	if slots <= 0 {
		slots = runtime.GOMAXPROCS(0)
	}
	if budget <= 0 {
		budget = 2 * lim.MaxDecodeBytes
	}
	return &Pipeline{lim: lim, slots: slots, size: budget}
}

// Limits are the pipeline's limits, defaults filled in.
func (p *Pipeline) Limits() Limits { return p.lim }

// Process reads a photo from r and processes it as the package's Process
// does, once its cost fits in the budget. Bad photos are refused from
// their header without waiting. If ctx ends while it waits, Process
// returns ctx's error.
func (p *Pipeline) Process(ctx context.Context, r io.Reader) (Result, error) {
	upload := sizeHint(r)
	if upload > p.lim.MaxBytes {
		return Result{}, errTooLarge(p.lim)
	}
	if upload <= 0 {
		upload = p.lim.MaxBytes
	}
	// Only the header is read before waiting, so that waiting callers hold
	// headSize bytes each rather than their whole upload.
	br := bufio.NewReaderSize(r, headSize)
	head, err := br.Peek(headSize)
	if err != nil && err != io.EOF {
		return Result{}, fmt.Errorf("reading the photo: %w", err)
	}
	if int64(len(head)) > p.lim.MaxBytes {
		return Result{}, errTooLarge(p.lim)
	}
	var cost int64
	h, err := prepare(head, p.lim)
	switch {
	case len(head) == 0:
		return Result{}, errEmpty()
	case err == nil:
		cost = h.cost - int64(len(head)) + upload
	case len(head) < headSize || codeOf(err) != "photo_broken":
		// The whole photo is in head, or its header refuses it already.
		return Result{}, err
	default:
		// The headers go on past headSize (rare, but not wrong): the
		// photo is judged once read, and runs alone.
		cost = p.size
	}
	return p.run(ctx, cost, func() (*job, error) {
		data, err := readLimited(br, p.lim)
		if err != nil {
			return nil, err
		}
		return prepare(data, p.lim)
	})
}

// ProcessBytes is Process for an upload already in memory (as a
// multipart part read whole is): it is judged and decoded where it lies,
// without a copy.
func (p *Pipeline) ProcessBytes(ctx context.Context, data []byte) (Result, error) {
	switch {
	case int64(len(data)) > p.lim.MaxBytes:
		return Result{}, errTooLarge(p.lim)
	case len(data) == 0:
		return Result{}, errEmpty()
	}
	j, err := prepare(data, p.lim)
	if err != nil {
		return Result{}, err
	}
	return p.run(ctx, j.cost, func() (*job, error) { return j, nil })
}

// run reserves cost from the budget, waiting for it, then loads the photo
// and processes it.
func (p *Pipeline) run(ctx context.Context, cost int64, load func() (*job, error)) (Result, error) {
	n := min(max(cost, p.size/int64(p.slots)), p.size)
	if err := p.acquire(ctx, n); err != nil {
		return Result{}, err
	}
	defer p.release(n)
	if p.observe != nil {
		p.observe(n, true)
		defer p.observe(n, false)
	}
	j, err := load()
	if err != nil {
		return Result{}, err
	}
	return j.run()
}

// headSize is how much of an upload Pipeline reads to judge it: the
// headers before a JPEG's frame (EXIF with its thumbnail, colour
// profiles) fit in it but for rare photos, which then run alone.
const headSize = 256 << 10

func codeOf(err error) string {
	var qe *queue.Error
	if errors.As(err, &qe) {
		return qe.Code
	}
	return ""
}

func (p *Pipeline) acquire(ctx context.Context, n int64) error {
	p.mu.Lock()
	if len(p.waiters) == 0 && p.used+n <= p.size {
		p.used += n
		p.mu.Unlock()
		return nil
	}
	w := &waiter{n: n, ready: make(chan struct{})}
	p.waiters = append(p.waiters, w)
	p.mu.Unlock()
	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
		p.mu.Lock()
		select {
		case <-w.ready:
			// Granted as ctx ended: give it back.
			p.mu.Unlock()
			p.release(n)
		default:
			for i, o := range p.waiters {
				if o == w {
					p.waiters = append(p.waiters[:i], p.waiters[i+1:]...)
					break
				}
			}
			// The first waiter gone, the next may fit now.
			p.grant()
			p.mu.Unlock()
		}
		return ctx.Err()
	}
}

func (p *Pipeline) release(n int64) {
	p.mu.Lock()
	p.used -= n
	p.grant()
	p.mu.Unlock()
}

// grant wakes the waiters that fit, first come first served. p.mu is held.
func (p *Pipeline) grant() {
	for len(p.waiters) > 0 {
		w := p.waiters[0]
		if p.used+w.n > p.size {
			return
		}
		p.used += w.n
		p.waiters = p.waiters[1:]
		close(w.ready)
	}
}
