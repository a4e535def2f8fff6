// Command natbench is `make bench`: in one run it builds natreport,
// generates all 193 member States with full reports over two cycles,
// starts the real server on 127.0.0.1 and measures the pages, autosave,
// the PDFs, the secretariat's ZIP and (once they exist) the gap summary
// and the compilation, each next to its ceiling, then writes
// docs/BENCHMARKS.md. Only 127.0.0.1 is ever contacted.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// config is natbench's settings.
type config struct {
	Out       string        // the markdown file written ("" writes nothing)
	Duration  time.Duration // each load run
	Runs      int           // repetitions of each measurement
	States    int           // member States generated
	Conns     int           // connections of the page loads and writers of autosave
	PDFs      int           // native PDFs drawn per run and language
	Chromium  int           // Chromium prints per run and language
	ColdStart int           // cold starts measured
	Work      string        // working directory ("" a fresh temporary one)
	Busy      string        // what else ran on the machine, written in the report
	Only      string        // comma-separated steps to measure ("" all); cold start and sign in always run
}

func main() {
	var cfg config
	flag.StringVar(&cfg.Out, "out", "docs/BENCHMARKS.md", "markdown file to write (empty: print the tables only)")
	flag.DurationVar(&cfg.Duration, "duration", 5*time.Second, "duration of each load run (env BENCH_DURATION in make bench)")
	flag.IntVar(&cfg.Runs, "runs", 3, "repetitions of each measurement (env BENCH_RUNS in make bench)")
	flag.IntVar(&cfg.States, "states", 193, "member States generated")
	flag.IntVar(&cfg.Conns, "conns", 32, "connections for page loads, concurrent writers for autosave")
	flag.IntVar(&cfg.PDFs, "pdfs", 10, "native PDFs per run and language")
	flag.IntVar(&cfg.Chromium, "chromium-prints", 3, "Chromium prints per run and language")
	flag.IntVar(&cfg.ColdStart, "cold-starts", 5, "cold starts measured")
	flag.StringVar(&cfg.Work, "work", "", "working directory (default: a fresh temporary one, removed afterwards)")
	flag.StringVar(&cfg.Busy, "busy", "", "what else ran on the machine while measuring, said in the report")
	flag.StringVar(&cfg.Only, "only", "", `measure only these steps, comma-separated (e.g. "compilation,ZIP"); use with -out ''`)
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Stderr); err != nil {
		log.Fatalf("natbench: %v", err)
	}
}

// run measures everything and writes the report.
func run(ctx context.Context, cfg config, progress io.Writer) error {
	if cfg.Runs < 1 || cfg.Duration <= 0 || cfg.Conns < 1 {
		return fmt.Errorf("want runs ≥ 1, duration > 0, conns ≥ 1")
	}
	work := cfg.Work
	if work == "" {
		dir, err := os.MkdirTemp("", "natbench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		work = dir
	}
	b := &bench{cfg: cfg, work: work, out: progress}
	d, err := b.all(ctx)
	if err != nil {
		return err
	}
	if cfg.Out == "" {
		return writeMarkdown(progress, d, "")
	}
	old, _ := os.ReadFile(cfg.Out)
	f, err := os.Create(cfg.Out)
	if err != nil {
		return err
	}
	if err := writeMarkdown(f, d, splitKept(string(old))); err != nil {
		f.Close()
		return err
	}
	fmt.Fprintf(progress, "natbench: wrote %s\n", cfg.Out)
	return f.Close()
}
