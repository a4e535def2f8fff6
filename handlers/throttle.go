package handlers

import (
	"sync"
	"time"
)

// Throttle limits failed sign-ins per account and per IP address within a
// sliding window. It is in memory: one natreport process guards itself.
type Throttle struct {
	mu        sync.Mutex
	perKey    int
	perIP     int
	window    time.Duration
	failures  map[string][]time.Time
	lastSweep time.Time
}

// NewThrottle allows perAccount failures per account and perIP failures
// per address within window.
func NewThrottle(perAccount int, window time.Duration, perIP int) *Throttle {
	return &Throttle{perKey: perAccount, perIP: perIP, window: window, failures: map[string][]time.Time{}}
}

// Blocked reports whether the account or the address is over its limit.
func (t *Throttle) Blocked(now time.Time, account, ip string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.count(now, "a:"+account) >= t.perKey || t.count(now, "i:"+ip) >= t.perIP
}

// Fail records a failed sign-in.
func (t *Throttle) Fail(now time.Time, account, ip string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.failures["a:"+account] = append(t.failures["a:"+account], now)
	t.failures["i:"+ip] = append(t.failures["i:"+ip], now)
	if now.Sub(t.lastSweep) > t.window {
		for k := range t.failures {
			t.count(now, k)
		}
		t.lastSweep = now
	}
}

// Succeed forgets the account's failures.
func (t *Throttle) Succeed(account string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.failures, "a:"+account)
}

// count drops failures older than the window and returns what is left.
func (t *Throttle) count(now time.Time, key string) int {
	list := t.failures[key]
	i := 0
	for i < len(list) && now.Sub(list[i]) > t.window {
		i++
	}
	list = list[i:]
	if len(list) == 0 {
		delete(t.failures, key)
		return 0
	}
	t.failures[key] = list
	return len(list)
}
