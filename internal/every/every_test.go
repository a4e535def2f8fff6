package every

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// TestPeriod: fn runs again and again, never before the first period, and
// not after ctx ends.
func TestPeriod(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var n atomic.Int32
	done := make(chan struct{})
	start := time.Now()
	var first time.Duration
	go func() {
		defer close(done)
		Period(ctx, 20*time.Millisecond, func(context.Context) {
			if n.Add(1) == 1 {
				first = time.Since(start)
			}
			if n.Load() == 3 {
				cancel()
			}
		})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Period did not end when its context did")
	}
	if n.Load() != 3 {
		t.Errorf("fn ran %d times, want 3 (it stops when ctx ends)", n.Load())
	}
	if first < 20*time.Millisecond {
		t.Errorf("first call after %v, before one period", first)
	}
}
