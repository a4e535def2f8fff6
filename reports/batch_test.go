package reports

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

func TestBatchOrderAndBound(t *testing.T) {
	for _, workers := range []int{1, 2, 4, 0} {
		t.Run(fmt.Sprint(workers), func(t *testing.T) {
			const n = 50
			var inFlight, peak atomic.Int64
			var got []int
			err := Batch(context.Background(), n, workers, func(_ context.Context, i int, w io.Writer) error {
				v := inFlight.Add(1)
				for {
					p := peak.Load()
					if v <= p || peak.CompareAndSwap(p, v) {
						break
					}
				}
				// Later documents finish first: order must still hold.
				time.Sleep(time.Duration((n-i)%7) * time.Millisecond)
				_, err := fmt.Fprintf(w, "doc %d", i)
				return err
			}, func(i int, doc []byte) error {
				if string(doc) != fmt.Sprintf("doc %d", i) {
					return fmt.Errorf("document %d holds %q", i, doc)
				}
				got = append(got, i)
				inFlight.Add(-1)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != n {
				t.Fatalf("emitted %d of %d", len(got), n)
			}
			for i, v := range got {
				if v != i {
					t.Fatalf("order %v", got)
				}
			}
			w := workers
			if w <= 0 {
				w = runtime.GOMAXPROCS(0) // workers ≤ 0 means one per CPU
			}
			if peak.Load() > int64(2*w) {
				t.Errorf("%d documents held at once with %d workers; the bound is %d", peak.Load(), workers, 2*w)
			}
		})
	}
}

func TestBatchStopsAtFirstError(t *testing.T) {
	boom := errors.New("boom")
	var drawn atomic.Int64
	err := Batch(context.Background(), 1000, 2, func(_ context.Context, i int, w io.Writer) error {
		drawn.Add(1)
		if i == 3 {
			return boom
		}
		return nil
	}, func(int, []byte) error { return nil })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if d := drawn.Load(); d > 10 {
		t.Errorf("%d documents drawn after the error at 3; want the batch to stop", d)
	}
	err = Batch(context.Background(), 10, 2, func(context.Context, int, io.Writer) error { return nil },
		func(i int, _ []byte) error {
			if i == 5 {
				return boom
			}
			return nil
		})
	if !errors.Is(err, boom) {
		t.Fatalf("emit error: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Batch(ctx, 10, 2, func(context.Context, int, io.Writer) error { return nil }, func(int, []byte) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}
