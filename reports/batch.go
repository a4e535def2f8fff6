package reports

import (
	"bytes"
	"context"
	"io"
	"runtime"
	"sync"
)

// Batch draws n documents with a bounded pool of workers and hands each to
// emit in index order (0, 1, …), so that a ZIP or a compilation streams in
// a stable order while all cores draw. draw writes document i to w; emit
// receives its bytes, valid only during the call. At most 2×workers
// documents are drawn and not yet emitted at any time, so memory stays
// bounded however large n is. workers ≤ 0 means one per CPU. The first
// error (from draw, emit or ctx) stops the batch and is returned.
func Batch(ctx context.Context, n, workers int, draw func(ctx context.Context, i int, w io.Writer) error, emit func(i int, doc []byte) error) error {
	if n == 0 {
		return ctx.Err()
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type result struct {
		buf *bytes.Buffer
		err error
	}
	results := make([]chan result, n)
	for i := range results {
		results[i] = make(chan result, 1)
	}
	window := make(chan struct{}, 2*workers) // drawn and not yet emitted
	jobs := make(chan int)
	var bufs sync.Pool
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				buf, _ := bufs.Get().(*bytes.Buffer)
				if buf == nil {
					buf = new(bytes.Buffer)
				}
				buf.Reset()
				err := ctx.Err()
				if err == nil {
					err = draw(ctx, i, buf)
				}
				results[i] <- result{buf, err}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range n {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	var err error
	for i := range n {
		var r result
		drawn := false
		select {
		case r = <-results[i]:
			drawn = true
		case <-ctx.Done():
			r.err = ctx.Err()
		}
		if r.err == nil {
			r.err = emit(i, r.buf.Bytes())
		}
		if drawn {
			bufs.Put(r.buf)
			<-window // document i held a place in the window until now
		}
		if r.err != nil {
			err = r.err
			break
		}
	}
	cancel()
	wg.Wait()
	return err
}
