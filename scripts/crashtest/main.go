// Command crashtest kills natreport (and, on PostgreSQL, PostgreSQL
// itself) with SIGKILL at random moments while several States autosave,
// restarts it, and checks that every acknowledged save is stored and the
// database is sound. Run it with make crash-test; see the README.
//
//	go run ./scripts/crashtest -db sqlite -rounds 20
//	go run ./scripts/crashtest -db postgres -rounds 20   # its own cluster; kills natreport and PostgreSQL in turn
//	go run ./scripts/crashtest -db sqlite -rounds 3 -broken   # must catch a server that acknowledges before committing
//	go run ./scripts/crashtest -db postgres -rounds 4 -broken # ... both when natreport and when PostgreSQL is killed
//
// With -broken the server is the deliberately broken variant (a binary
// built with -tags crashtest, NATREPORT_CRASHTEST_ACK_EARLY=1): the run
// succeeds only if the check finds acknowledged saves missing after each
// kind of kill it used (natreport; on PostgreSQL also PostgreSQL itself).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/natreport/natreport/models"
)

const (
	cycle    = "2026-2027"
	password = "crash test keeps every saved answer 7"
)

var (
	states = []string{"JPN", "KEN", "BRA", "FRA"}
	codes  = []string{"II.a.1", "II.b.1", "II.c.1", "II.d.1"}
)

type config struct {
	db     string
	rounds int
	broken bool
	dir    string
	bin    string
	addr   string
	dbURL  string
	pgDir  string
}

func main() {
	var cfg config
	flag.StringVar(&cfg.db, "db", "sqlite", "sqlite or postgres (a throwaway cluster of its own)")
	flag.IntVar(&cfg.rounds, "rounds", 3, "kills")
	flag.BoolVar(&cfg.broken, "broken", false, "run the variant that acknowledges before committing; succeed only if it is caught")
	flag.Parse()
	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "crashtest:", err)
		os.Exit(1)
	}
}

func run(cfg config) error {
	dir, err := os.MkdirTemp("", "natreport-crash-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	// The postgres user runs the throwaway cluster inside.
	if err := os.Chmod(dir, 0o755); err != nil {
		return err
	}
	cfg.dir = dir
	cfg.bin = filepath.Join(dir, "natreport")
	build := exec.Command("go", "build", "-tags", "crashtest", "-o", cfg.bin, "./cmd/natreport")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	if cfg.db == "postgres" {
		cfg.pgDir = filepath.Join(dir, "pg")
		if err := startPostgres(&cfg); err != nil {
			return err
		}
		defer stopPostgres(cfg)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	cfg.addr = ln.Addr().String()
	ln.Close()

	for _, u := range append([]string{"sec@un.example"}, emails()...) {
		args := []string{"user", "add", "-email", u, "-name", u, "-role", "focal-point", "-state", strings.ToUpper(u[3:6]), "-password-stdin"}
		if u == "sec@un.example" {
			args = []string{"user", "add", "-email", u, "-name", "Secretariat", "-role", "secretariat", "-password-stdin"}
		}
		cmd := exec.Command(cfg.bin, args...)
		cmd.Env = cfg.env()
		cmd.Stdin = strings.NewReader(password + "\n")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("user add %s: %v %s", u, err, out)
		}
	}
	srv, err := startServer(cfg)
	if err != nil {
		return err
	}
	defer func() { _ = srv.Process.Kill(); _, _ = srv.Process.Wait() }()
	clients, err := setUp(cfg)
	if err != nil {
		return err
	}

	book := newLedger()
	lost, acked := 0, 0
	lostBy := map[string]int{} // missing saves found after each kind of kill
	for round := 1; round <= cfg.rounds; round++ {
		killPG := cfg.db == "postgres" && round%2 == 0
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for i, iso := range states {
			wg.Add(1)
			go func() { defer wg.Done(); autosave(cfg, clients[i], iso, book, stop) }()
		}
		time.Sleep(time.Duration(200+rand.IntN(1300)) * time.Millisecond)
		what := "natreport"
		if killPG {
			what = "PostgreSQL"
			if err := killPostgres(cfg); err != nil {
				return err
			}
		} else {
			_ = srv.Process.Signal(syscall.SIGKILL)
			_, _ = srv.Process.Wait()
		}
		// Wait until every save in flight has failed or been answered.
		time.Sleep(300 * time.Millisecond)
		close(stop)
		wg.Wait()
		if killPG {
			if err := startPostgres(&cfg); err != nil {
				return err
			}
		}
		n, a, err := verify(cfg, book)
		if err != nil {
			return fmt.Errorf("round %d: %w", round, err)
		}
		lost += n
		lostBy[what] += n
		acked = a
		fmt.Printf("round %d: killed %s; %d acknowledged saves so far, %d missing\n", round, what, a, n)
		if !killPG {
			if srv, err = startServer(cfg); err != nil {
				return err
			}
		} else if err := waitHealthy(cfg, 60*time.Second); err != nil {
			return fmt.Errorf("natreport did not recover after PostgreSQL restarted: %w", err)
		}
	}
	fmt.Printf("%s, %d rounds: %d acknowledged saves, %d missing\n", cfg.db, cfg.rounds, acked, lost)
	switch {
	case cfg.broken:
		for what, n := range lostBy {
			if n == 0 {
				return fmt.Errorf("the broken variant (acknowledges before committing) was NOT caught when %s was killed", what)
			}
			fmt.Printf("the broken variant was caught when %s was killed (%d saves missing), as it must be\n", what, n)
		}
	case lost > 0:
		return fmt.Errorf("%d acknowledged saves missing", lost)
	}
	return nil
}

func emails() []string {
	var out []string
	for _, iso := range states {
		out = append(out, "fp."+strings.ToLower(iso)+"@example.org")
	}
	return out
}

func (cfg config) env() []string {
	env := append(os.Environ(), "NATREPORT_DB="+filepath.Join(cfg.dir, "nr.db"), "NATREPORT_ADDR="+cfg.addr, "DATABASE_URL="+cfg.dbURL)
	if cfg.broken {
		env = append(env, "NATREPORT_CRASHTEST_ACK_EARLY=1")
	}
	return env
}

func startServer(cfg config) (*exec.Cmd, error) {
	logf, err := os.OpenFile(filepath.Join(cfg.dir, "server.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(cfg.bin, "serve")
	cmd.Env = cfg.env()
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	if err := waitHealthy(cfg, 60*time.Second); err != nil {
		_ = cmd.Process.Kill()
		log, _ := os.ReadFile(filepath.Join(cfg.dir, "server.log"))
		return nil, fmt.Errorf("server did not start: %v\n%s", err, log)
	}
	return cmd, nil
}

func waitHealthy(cfg config, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		resp, err := http.Get("http://" + cfg.addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("healthz %d", resp.StatusCode)
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// setUp signs everyone in, opens the cycle and starts every State's report.
func setUp(cfg config) ([]*http.Client, error) {
	login := func(email string) (*http.Client, error) {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Timeout: 15 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.PostForm("http://"+cfg.addr+"/login", url.Values{"email": {email}, "password": {password}})
		if err != nil {
			return nil, err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			return nil, fmt.Errorf("sign in %s: %d", email, resp.StatusCode)
		}
		return c, nil
	}
	sec, err := login("sec@un.example")
	if err != nil {
		return nil, err
	}
	today := time.Now().UTC()
	resp, err := sec.PostForm("http://"+cfg.addr+"/cycles-new", url.Values{"label": {cycle}, "process_name": {"Crash test"},
		"opens_on": {today.AddDate(0, -1, 0).Format(time.DateOnly)}, "due_on": {today.AddDate(1, 0, 0).Format(time.DateOnly)},
		"closes_on": {today.AddDate(1, 6, 0).Format(time.DateOnly)}, "template_version": {"v1"}})
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("create cycle: %d", resp.StatusCode)
	}
	var out []*http.Client
	for i, email := range emails() {
		c, err := login(email)
		if err != nil {
			return nil, err
		}
		resp, err := c.PostForm("http://"+cfg.addr+"/reports/"+states[i]+"/"+cycle+"/start", nil)
		if err != nil {
			return nil, err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			return nil, fmt.Errorf("start %s: %d", states[i], resp.StatusCode)
		}
		out = append(out, c)
	}
	return out, nil
}

// ledger knows, per State and question, the last acknowledged value and
// the values sent since without an answer: what the database may hold.
type ledger struct {
	mu      sync.Mutex
	acked   map[string]string
	version map[string]int
	pending map[string][]string
	count   int
	seq     int
}

func newLedger() *ledger {
	return &ledger{acked: map[string]string{}, version: map[string]int{}, pending: map[string][]string{}}
}

// autosave saves answers of one State until stop closes or the server
// stops answering.
func autosave(cfg config, c *http.Client, iso string, book *ledger, stop <-chan struct{}) {
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		code := codes[i%len(codes)]
		key := iso + " " + code
		book.mu.Lock()
		book.seq++
		val := fmt.Sprintf("%s %s save %d", iso, code, book.seq)
		base := book.version[key]
		book.pending[key] = append(book.pending[key], val)
		book.mu.Unlock()
		req, _ := http.NewRequest(http.MethodPost, "http://"+cfg.addr+"/reports/"+iso+"/"+cycle+"/answers/"+code,
			strings.NewReader(url.Values{"v." + code: {strconv.Itoa(base)}, code + ".status": {"yes"}, code + ".challenges": {val}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		resp, err := c.Do(req)
		if err != nil {
			return // the server is gone: the save is neither acknowledged nor refused
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return
		}
		var reply struct {
			Version  int `json:"version"`
			Conflict *struct {
				Version int `json:"version"`
			} `json:"conflict"`
		}
		_ = json.Unmarshal(body, &reply)
		book.mu.Lock()
		switch {
		case resp.StatusCode == http.StatusOK:
			book.acked[key], book.version[key], book.pending[key] = val, reply.Version, nil
			book.count++
		case resp.StatusCode == http.StatusConflict && reply.Conflict != nil:
			// A save sent before a kill committed unanswered: go on from it.
			book.version[key] = reply.Conflict.Version
		}
		book.mu.Unlock()
		if resp.StatusCode >= 500 {
			return // the database is gone
		}
	}
}

// verify opens the database beside the (dead or idle) server and checks
// each State's answers against the ledger, and SQLite's integrity.
func verify(cfg config, book *ledger) (missing, acked int, err error) {
	ctx := context.Background()
	db, err := models.Open(ctx, models.Config{SQLitePath: filepath.Join(cfg.dir, "nr.db"), PostgresURL: cfg.dbURL,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	if err := db.CheckIntegrity(ctx, false); err != nil {
		return 0, 0, err
	}
	book.mu.Lock()
	defer book.mu.Unlock()
	for _, iso := range states {
		r, err := db.GetReport(ctx, iso, cycle, 0)
		if err != nil {
			return 0, 0, fmt.Errorf("report %s: %w", iso, err)
		}
		answers, err := db.ListAnswers(ctx, r.ID)
		if err != nil {
			return 0, 0, err
		}
		for _, code := range codes {
			key := iso + " " + code
			got := answers[code].Value.Challenges
			ok := got == book.acked[key]
			for _, p := range book.pending[key] {
				ok = ok || got == p
			}
			if !ok {
				missing++
				fmt.Printf("  MISSING: %s: acknowledged %q, stored %q\n", key, book.acked[key], got)
				// Go on from what is stored, so one loss is counted once.
				book.acked[key] = got
			}
		}
	}
	return missing, book.count, nil
}

// startPostgres starts (or restarts) the throwaway cluster with .ci/pg-start.
func startPostgres(cfg *config) error {
	port := "55400"
	if cfg.dbURL != "" {
		u, _ := url.Parse(cfg.dbURL)
		port = u.Port()
	}
	out, err := exec.Command(".ci/pg-start", cfg.pgDir, port).Output()
	if err != nil {
		return fmt.Errorf("pg-start: %v", err)
	}
	s := strings.TrimSpace(string(out))
	s = strings.TrimPrefix(s, "export DATABASE_URL=")
	cfg.dbURL = strings.Trim(s, "'")
	return nil
}

// killPostgres sends SIGKILL to the cluster's postmaster.
func killPostgres(cfg config) error {
	b, err := os.ReadFile(filepath.Join(cfg.pgDir, "postmaster.pid"))
	if err != nil {
		return err
	}
	pid, err := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0])
	if err != nil {
		return err
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		return err
	}
	// The backends exit once the postmaster is gone; wait for the port to close.
	for i := 0; i < 100; i++ {
		if err := syscall.Kill(pid, 0); err != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond)
	return nil
}

func stopPostgres(cfg config) {
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(bins) == 0 {
		return
	}
	_ = exec.Command("su", "postgres", "-c", bins[len(bins)-1]+" -D "+cfg.pgDir+" -m immediate stop").Run()
}
