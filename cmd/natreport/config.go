package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"strconv"
	"strings"
)

// Config is every setting of natreport, from flags with environment fallbacks.
type Config struct {
	Addr          string
	DBPath        string
	DatabaseURL   string
	BaseURL       string
	SecureCookies bool
	LogFormat     string
	Demo          bool
	SMTPURL       string
	MailFrom      string
	// TrustedProxies is a comma-separated list of CIDRs or addresses whose
	// X-Forwarded-For is believed; empty trusts none.
	TrustedProxies string
}

// dbFlags registers the database flags every database command shares.
func dbFlags(fs *flag.FlagSet, cfg *Config, getenv func(string) string) {
	fs.StringVar(&cfg.DBPath, "db", envOr(getenv, "NATREPORT_DB", "data/natreport.db"), "SQLite database file (env NATREPORT_DB)")
	fs.StringVar(&cfg.DatabaseURL, "database-url", getenv("DATABASE_URL"), "postgres:// URL: use PostgreSQL instead of SQLite (env DATABASE_URL)")
}

// serveFlags registers the flags of natreport serve.
func serveFlags(fs *flag.FlagSet, cfg *Config, getenv func(string) string) {
	dbFlags(fs, cfg, getenv)
	fs.StringVar(&cfg.Addr, "addr", envOr(getenv, "NATREPORT_ADDR", ":8080"), "listen address (env NATREPORT_ADDR)")
	fs.StringVar(&cfg.BaseURL, "base-url", envOr(getenv, "NATREPORT_BASE_URL", "http://localhost:8080"), "public base URL (env NATREPORT_BASE_URL)")
	fs.BoolVar(&cfg.SecureCookies, "secure-cookies", envBool(getenv, "NATREPORT_SECURE_COOKIES"), "mark cookies Secure (behind HTTPS) (env NATREPORT_SECURE_COOKIES)")
	fs.StringVar(&cfg.LogFormat, "log-format", envOr(getenv, "NATREPORT_LOG_FORMAT", "text"), "log format: text or json (env NATREPORT_LOG_FORMAT)")
	fs.StringVar(&cfg.TrustedProxies, "trusted-proxies", getenv("NATREPORT_TRUSTED_PROXIES"), "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is trusted; none by default (env NATREPORT_TRUSTED_PROXIES)")
	fs.BoolVar(&cfg.Demo, "demo", envBool(getenv, "NATREPORT_DEMO"), "load demo data into an empty database (env NATREPORT_DEMO)")
	fs.StringVar(&cfg.SMTPURL, "smtp-url", getenv("NATREPORT_SMTP_URL"), "SMTP server, smtp://user:pass@host:587?starttls=1 or smtps://...; empty: messages stay in the outbox (env NATREPORT_SMTP_URL)")
	fs.StringVar(&cfg.MailFrom, "mail-from", getenv("NATREPORT_MAIL_FROM"), "sender address of messages, e.g. 'natreport <noreply@example.org>' (env NATREPORT_MAIL_FROM)")
}

// requiredFlag parses the database flags and one required string flag of
// the command name (backup -o, restore -i, user disable -email).
func requiredFlag(name, flagName, help string, args []string, getenv func(string) string, stderr io.Writer) (Config, string, error) {
	var cfg Config
	var v string
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	dbFlags(fs, &cfg, getenv)
	fs.StringVar(&v, flagName, "", help)
	if err := parseFlags(fs, args, stderr); err != nil {
		return cfg, "", err
	}
	if v == "" {
		return cfg, "", usagef("%s: -%s is required", name, flagName)
	}
	return cfg, v, nil
}

// parseProxies reads the -trusted-proxies list: CIDRs or single addresses.
func parseProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, usagef("-trusted-proxies: %q is neither a CIDR nor an address", f)
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

func envBool(getenv func(string) string, key string) bool {
	b, _ := strconv.ParseBool(getenv(key))
	return b
}

// parseFlags parses args; a parse error is bad usage (exit code 2).
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return nil
		}
		return usagef("%s: %v", fs.Name(), err)
	}
	if fs.NArg() > 0 && fs.Name() != "template check" {
		return usagef("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

// newLogger builds the process logger.
func newLogger(format string, w io.Writer) (*slog.Logger, error) {
	switch strings.ToLower(format) {
	case "", "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, usagef("-log-format: want text or json, got %q", format)
}

func (c Config) describeDB() string {
	if c.DatabaseURL != "" {
		return "postgresql"
	}
	return fmt.Sprintf("sqlite %s", c.DBPath)
}
