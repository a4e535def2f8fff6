package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"
)

// loadResult is what one load run measured.
type loadResult struct {
	Requests int           // completed without error
	Errors   int           // failed (transport error or unexpected status)
	Elapsed  time.Duration // from the first request to the last reply
	P50, P99 time.Duration // latency of the completed requests
}

// PerSecond is the completed requests per second.
func (r loadResult) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// drive runs conns workers for d, each calling do in a loop, and measures
// every call. A call that returns an error counts as an error, not a
// request. It stops after d (calls under way finish, bounded by ctx).
func drive(ctx context.Context, conns int, d time.Duration, do func(ctx context.Context, worker int) error) loadResult {
	ctx, cancel := context.WithTimeout(ctx, d+30*time.Second)
	defer cancel()
	lat := make([][]time.Duration, conns)
	errs := make([]int, conns)
	start := time.Now()
	stop := start.Add(d)
	var wg sync.WaitGroup
	for w := range conns {
		wg.Go(func() {
			for time.Now().Before(stop) && ctx.Err() == nil {
				t0 := time.Now()
				if err := do(ctx, w); err != nil {
					errs[w]++
					continue
				}
				lat[w] = append(lat[w], time.Since(t0))
			}
		})
	}
	wg.Wait()
	r := loadResult{Elapsed: time.Since(start)}
	var all []time.Duration
	for w := range conns {
		all = append(all, lat[w]...)
		r.Errors += errs[w]
	}
	r.Requests = len(all)
	slices.Sort(all)
	r.P50, r.P99 = percentile(all, 50), percentile(all, 99)
	return r
}

// percentile is the p-th percentile of sorted (nearest rank).
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100 // ceil(n·p/100)
	return sorted[min(max(i-1, 0), len(sorted)-1)]
}

// loopbackClient is an HTTP client for conns parallel connections that
// refuses any address but 127.0.0.1, does not follow redirects and does
// not ask for compression (the bare ceilings serve plain bytes too).
func loopbackClient(conns int) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{
		Timeout: 60 * time.Second,
		Transport: &http.Transport{
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				host, _, err := net.SplitHostPort(addr)
				if err != nil || host != "127.0.0.1" {
					return nil, fmt.Errorf("natbench: only 127.0.0.1 is measured, not %q", addr)
				}
				return dialer.DialContext(ctx, network, addr)
			},
			MaxIdleConns:        conns + 4,
			MaxIdleConnsPerHost: conns + 4,
			MaxConnsPerHost:     conns + 4,
			DisableCompression:  true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// getter returns a do function for drive that GETs u with cookie and
// wants status 200.
func getter(client *http.Client, u, cookie string) func(ctx context.Context, worker int) error {
	return func(ctx context.Context, _ int) error {
		_, err := fetch(ctx, client, http.MethodGet, u, cookie, nil, http.StatusOK)
		return err
	}
}

// fetch makes one request and returns the body if the status is want.
func fetch(ctx context.Context, client *http.Client, method, u, cookie string, form url.Values, want int) ([]byte, error) {
	var body io.Reader
	if form != nil {
		body = stringsReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != want {
		return b, fmt.Errorf("%s %s: status %d, want %d", method, u, resp.StatusCode, want)
	}
	return b, nil
}
