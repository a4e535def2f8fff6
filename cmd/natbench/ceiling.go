package main

import (
	"context"
	"database/sql"
	"errors"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gin-gonic/gin"
	_ "github.com/mattn/go-sqlite3" // the driver natreport uses, for the bare commit loop

	"github.com/natreport/natreport/models"
)

// bareGin serves body at every path with a bare Gin engine (no
// middleware) on 127.0.0.1: the ceiling of a page that only had to be
// sent. It returns the base URL and a stop function.
func bareGin(body []byte) (string, func(), error) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.NoRoute(func(c *gin.Context) { c.Data(http.StatusOK, "text/html; charset=utf-8", body) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}

// commitLoop is the ceiling of a durable save: one-row INSERT and COMMIT
// in a loop, one connection, on a SQLite file opened with natreport's own
// DSN (WAL, synchronous=FULL).
type commitLoop struct {
	db *sql.DB
	n  int
}

func openCommitLoop(path string) (*commitLoop, error) {
	db, err := sql.Open("sqlite3", models.SQLiteDSN(path))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS saves (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`); err != nil {
		db.Close()
		return nil, err
	}
	var mode string
	var sync int
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.QueryRow("PRAGMA synchronous").Scan(&sync); err != nil {
		db.Close()
		return nil, err
	}
	if mode != "wal" || sync != 2 {
		db.Close()
		return nil, errors.New("bare commit loop: pragmas did not take: " + mode + " synchronous " + strconv.Itoa(sync))
	}
	return &commitLoop{db: db}, nil
}

// commit is one transaction with one row.
func (l *commitLoop) commit(ctx context.Context, _ int) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	l.n++
	if _, err := tx.ExecContext(ctx, `INSERT INTO saves (body) VALUES (?)`, "bare commit "+strconv.Itoa(l.n)); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

func (l *commitLoop) close() error { return l.db.Close() }

// chromiumPath is Chromium's binary: $CHROMIUM or /usr/bin/chromium.
func chromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// startChromium starts headless Chromium and returns a tab context.
func startChromium(path string) (context.Context, func(), error) {
	dir, err := os.MkdirTemp("", "natbench-chromium-")
	if err != nil {
		return nil, nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(dir),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	stop := func() {
		cancel()
		cancelAlloc()
		_ = os.RemoveAll(dir)
	}
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			stop()
			return nil, nil, err
		}
	case <-time.After(60 * time.Second):
		stop()
		return nil, nil, errors.New("chromium did not start within 60 s")
	}
	return ctx, stop, nil
}

// printPDF has Chromium load u and print it to A4.
func printPDF(tab context.Context, u string) ([]byte, error) {
	if err := chromedp.Do(tab, chromedp.Navigate(u)); err != nil {
		return nil, err
	}
	return chromedp.Run(tab, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
}
