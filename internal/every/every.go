// Package every runs background work on a period.
package every

import (
	"context"
	"time"
)

// Period calls fn every period until ctx ends. The first call comes one
// period after the start, so that background work never competes with
// the start itself.
func Period(ctx context.Context, period time.Duration, fn func(context.Context)) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			fn(ctx)
		}
	}
}
