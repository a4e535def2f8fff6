// Package mailtest runs a real SMTP server on loopback for tests
// (emersion/go-smtp): it records what it receives and can refuse
// recipients or every message.
package mailtest

import (
	"bytes"
	"errors"
	"io"
	"log"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// Received is one message as the server got it.
type Received struct {
	From string
	To   []string
	Raw  []byte
}

// Header parses the message's header.
func (r Received) Header() mail.Header {
	m, err := mail.ReadMessage(bytes.NewReader(r.Raw))
	if err != nil {
		return mail.Header{}
	}
	return m.Header
}

// Subject is the decoded Subject header.
func (r Received) Subject() string {
	s, err := new(mime.WordDecoder).DecodeHeader(r.Header().Get("Subject"))
	if err != nil {
		return r.Header().Get("Subject")
	}
	return s
}

// Body is the decoded text body (quoted-printable or as sent).
func (r Received) Body() string {
	m, err := mail.ReadMessage(bytes.NewReader(r.Raw))
	if err != nil {
		return ""
	}
	var rd io.Reader = m.Body
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		rd = quotedprintable.NewReader(m.Body)
	}
	b, _ := io.ReadAll(rd)
	return string(b)
}

// Server is a running SMTP server.
type Server struct {
	Addr string
	// RejectRcpt, when set, refuses recipients for which it returns true
	// with a 550 (mailbox unavailable).
	RejectRcpt func(addr string) bool

	mu       sync.Mutex
	refuse   bool
	received []Received
}

// Start runs a server on 127.0.0.1 until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ErrorLog = log.New(io.Discard, "", 0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtp listen: %v", err)
	}
	s.Addr = ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// URL is the -smtp-url of the server.
func (s *Server) URL() string { return "smtp://" + s.Addr }

// Refuse makes the server answer every MAIL FROM with a temporary 421
// (true) or accept again (false).
func (s *Server) Refuse(b bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = b
}

// Received returns a copy of what the server accepted so far.
func (s *Server) Received() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

type session struct {
	s    *Server
	from string
	to   []string
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.s.mu.Lock()
	refuse := ss.s.refuse
	ss.s.mu.Unlock()
	if refuse {
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "Service not available, try later"}
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if ss.s.RejectRcpt != nil && ss.s.RejectRcpt(to) {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such mailbox: " + to}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if len(ss.to) == 0 {
		return errors.New("no recipient")
	}
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	ss.s.received = append(ss.s.received, Received{From: ss.from, To: ss.to, Raw: b})
	return nil
}
