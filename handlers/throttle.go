package handlers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"time"

	"github.com/natreport/natreport/models"
)

// Throttle limits password guesses. Its counts live in the database, so
// several instances over one PostgreSQL count together. Two limits apply:
//
//   - per account and address together: a few free tries, then each
//     further try must wait twice as long as the one before (backoff);
//     the real user at another address is not held up by an attacker's
//     guesses, and a success clears the count;
//   - per address: at most PerAddress failures within Window, whatever
//     the accounts, so one address cannot try many accounts.
//
// An attempt is recorded before the password is checked (finding: counted
// after the check, 40 parallel guesses were all checked against a limit of
// five): of N parallel attempts the last to be recorded sees all N.
type Throttle struct {
	db         *models.DB
	FreeTries  int           // per account and address before backoff
	Backoff    time.Duration // wait after the first try over FreeTries, doubled each further try
	MaxBackoff time.Duration
	PerAddress int           // failures per address within Window
	Window     time.Duration // for the per-address limit
	Memory     time.Duration // how long account-and-address attempts count
}

// NewThrottle returns the throttle natreport uses.
func NewThrottle(db *models.DB) *Throttle {
	return &Throttle{db: db, FreeTries: 5, Backoff: 30 * time.Second, MaxBackoff: time.Hour,
		PerAddress: 20, Window: 15 * time.Minute, Memory: 24 * time.Hour}
}

// attempt is one recorded sign-in attempt.
type attempt struct {
	pairKey    string
	addrID     int64
	allowed    bool
	retryAfter time.Duration
}

// throttleKey names a counter without storing the raw e-mail typed (which
// may be anything) in the table.
func throttleKey(kind string, parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return kind + ":" + hex.EncodeToString(h.Sum(nil)[:16])
}

// Attempt records a sign-in attempt for account from ip and says whether
// it may go on to the password check.
func (t *Throttle) Attempt(ctx context.Context, account, ip string) (*attempt, error) {
	ip = addressGroup(ip)
	a := &attempt{pairKey: throttleKey("pair", account, ip)}
	pairID, err := t.db.AddSignInAttempt(ctx, a.pairKey)
	if err != nil {
		return nil, err
	}
	addrKey := throttleKey("addr", ip)
	id, err := t.db.AddSignInAttempt(ctx, addrKey)
	if err != nil {
		return nil, err
	}
	a.addrID = id
	now := t.db.Now()
	byAddr, err := t.db.SignInAttempts(ctx, addrKey, now.Add(-t.Window))
	if err != nil {
		return nil, err
	}
	if len(byAddr) > t.PerAddress {
		// Refused before the check: it counts against the address, not
		// towards the account-and-address backoff (see below).
		a.retryAfter = t.Window - now.Sub(byAddr[len(byAddr)-t.PerAddress-1])
		return a, t.db.ForgetSignInAttempt(ctx, pairID)
	}
	byPair, err := t.db.SignInAttempts(ctx, a.pairKey, now.Add(-t.Memory))
	if err != nil {
		return nil, err
	}
	n := len(byPair)
	if n <= t.FreeTries {
		a.allowed = true
		return a, nil
	}
	wait, since := t.backoff(n), now.Sub(byPair[n-2])
	if since >= wait {
		a.allowed = true
		return a, nil
	}
	// A try refused before the check does not lengthen the wait: only
	// checked passwords count towards the backoff. (It still counts
	// against the address.)
	a.retryAfter = wait - since
	return a, t.db.ForgetSignInAttempt(ctx, pairID)
}

// addressGroup is the address a limit counts against: an IPv4 address
// itself, and for IPv6 its /64 network, the block one subscriber usually
// holds whole (otherwise each of its 2^64 addresses would get fresh
// tries). An address that does not parse is counted as given.
func addressGroup(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	return netip.PrefixFrom(a.WithZone(""), 64).Masked().String()
}

// backoff is how long the n-th try on one account from one address must
// wait after the try before it.
func (t *Throttle) backoff(n int) time.Duration {
	if n <= t.FreeTries {
		return 0
	}
	d := t.Backoff
	for i := t.FreeTries + 1; i < n && d < t.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, t.MaxBackoff)
}

// Succeeded forgets the account's tries from this address and this try
// against the address: only failures count against an address.
func (t *Throttle) Succeeded(ctx context.Context, a *attempt) error {
	if err := t.db.ForgetSignInAttempts(ctx, a.pairKey); err != nil {
		return err
	}
	return t.db.ForgetSignInAttempt(ctx, a.addrID)
}

// retryAfterSeconds is the Retry-After header value of a refused attempt.
func (a *attempt) retryAfterSeconds() int {
	return max(1, int((a.retryAfter+time.Second-1)/time.Second))
}
