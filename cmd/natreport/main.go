// Command natreport serves the natreport web platform and administers its
// database: natreport serve | migrate | user add | user disable | template check |
// backup | restore.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "natreport:", oneLine(err.Error()))
		var ue usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is bad usage or invalid input: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

const usage = `usage: natreport <command> [flags]

commands:
  serve            run the web server
  migrate          apply pending database migrations
  user add         add a user (-email -name -role [-state ISO3] [-password-stdin])
  user disable     disable a user (-email)
  template check   validate a template file (natreport template check FILE)
  backup           copy the SQLite database while it is in use (-o FILE)
  restore          replace the SQLite database with a backup (-i FILE; server stopped)

Run "natreport <command> -h" for the flags of a command.`

// run is main without the process: arguments, environment and streams in,
// an error out, so tests can drive every command.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return usagef("missing command")
	}
	switch args[0] {
	case "serve":
		return cmdServe(ctx, args[1:], getenv, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, args[1:], getenv, stdout, stderr)
	case "user":
		if len(args) < 2 {
			return usagef("user: want 'add' or 'disable'")
		}
		switch args[1] {
		case "add":
			return cmdUserAdd(ctx, args[2:], getenv, stdin, stdout, stderr)
		case "disable":
			return cmdUserDisable(ctx, args[2:], getenv, stdout, stderr)
		}
		return usagef("user: unknown subcommand %q", args[1])
	case "backup":
		return cmdBackup(ctx, args[1:], getenv, stdout, stderr)
	case "restore":
		return cmdRestore(ctx, args[1:], getenv, stdout, stderr)
	case "template":
		if len(args) < 2 || args[1] != "check" {
			return usagef("template: want 'check FILE'")
		}
		return cmdTemplateCheck(args[2:], stdout)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	fmt.Fprintln(stderr, usage)
	return usagef("unknown command %q", args[0])
}

func oneLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}
