// Command ferretdb-test runs an embedded FerretDB (SQLite backend) speaking the
// MongoDB wire protocol, for the test suite only.
//
// Usage:
//
//	ferretdb-test -listen 127.0.0.1:0 -dir /tmp/some-data-dir
//
// Once the server accepts connections, a single line
//
//	READY 127.0.0.1:PORT
//
// is printed to stdout (with the real port, so "-listen 127.0.0.1:0" lets the
// kernel pick a free one). Everything else is logged to stderr (warn level by
// default). The process runs until SIGTERM or SIGINT, or until stdin reaches
// EOF when -exit-on-stdin-eof is given (so it cannot outlive its parent).
//
// Serialization (-serialize, on by default): FerretDB v1 runs each update as
// "read matching docs, compute new docs, write them back" without isolation,
// so concurrent updates of one document lose writes ($inc, $push) and
// conditional updates ({_id, state: "free"} -> claimed) can succeed several
// times. MongoDB makes every single-document write atomic. To get at least
// that guarantee, FerretDB listens on a private loopback port and the public
// port is a tiny in-process proxy that forwards one request at a time,
// across all client connections, waiting for its reply before forwarding the
// next. Every command is then atomic (stricter than MongoDB, which only
// guarantees per-document atomicity). Use -serialize=false to talk to
// FerretDB directly.
//
// FerretDB is used as a library because `go install .../cmd/ferretdb@v1.24.2`
// builds a binary that panics at start (build/version/version.txt is not part
// of the published module).
package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (port 0 = pick a free port)")
	dir := flag.String("dir", "", "SQLite data directory (created if missing; required)")
	logLevel := flag.String("log-level", "warn", "log level: debug, info, warn, error")
	serialize := flag.Bool("serialize", true, "execute one command at a time across all connections (makes writes atomic)")
	exitOnStdinEOF := flag.Bool("exit-on-stdin-eof", false, "shut down when stdin reaches EOF (parent died or closed the pipe)")
	flag.Parse()

	if err := run(*listen, *dir, *logLevel, *serialize, *exitOnStdinEOF); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-test: %v\n", err)
		os.Exit(1)
	}
}

func run(listen, dir, logLevel string, serialize, exitOnStdinEOF bool) error {
	if dir == "" {
		return errors.New("-dir is required")
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("bad -log-level %q: %w", logLevel, err)
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(logger)

	absDir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}

	if err = os.MkdirAll(absDir, 0o755); err != nil {
		return err
	}

	// Bind the public listener first so a bad -listen fails fast.
	var public net.Listener
	ferretAddr := listen

	if serialize {
		if public, err = net.Listen("tcp", listen); err != nil {
			return err
		}
		defer public.Close()

		ferretAddr = "127.0.0.1:0"
	}

	// The SQLite handler wants a directory URI ending with a slash.
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: ferretAddr},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + filepath.ToSlash(absDir) + "/",
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	if exitOnStdinEOF {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	ferretDone := make(chan struct{})

	go func() {
		defer close(ferretDone)
		_ = f.Run(ctx)
	}()

	// New() bound FerretDB's listener; MongoDBURI() blocks until it is ready.
	backendAddr, err := hostPort(f.MongoDBURI())
	if err == nil {
		// Run() starts the accept loop asynchronously; wait until it answers.
		err = waitDial(ctx, backendAddr, 10*time.Second)
	}

	if err != nil {
		stop()
		<-ferretDone

		return err
	}

	publicAddr := backendAddr
	proxyDone := make(chan struct{})

	if serialize {
		publicAddr = public.Addr().String()

		go func() {
			defer close(proxyDone)
			serveSerialized(ctx, public, backendAddr, logger)
		}()
	} else {
		close(proxyDone)
	}

	fmt.Fprintf(os.Stdout, "READY %s\n", publicAddr)

	<-ctx.Done()

	if public != nil {
		_ = public.Close()
	}

	<-proxyDone
	<-ferretDone

	return nil
}

// serveSerialized accepts client connections on l and forwards them to FerretDB at backend,
// one request/reply round trip at a time across all connections.
func serveSerialized(ctx context.Context, l net.Listener, backend string, logger *slog.Logger) {
	var (
		mu    sync.Mutex // held for one request/reply round trip
		wg    sync.WaitGroup
		conns sync.Map // net.Conn -> struct{}, closed on shutdown
	)

	go func() {
		<-ctx.Done()
		_ = l.Close()

		conns.Range(func(k, _ any) bool {
			_ = k.(net.Conn).Close()
			return true
		})
	}()

	for {
		client, err := l.Accept()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				break
			}

			logger.Warn("accept failed", "error", err)
			time.Sleep(50 * time.Millisecond)

			continue
		}

		server, err := net.Dial("tcp", backend)
		if err != nil {
			logger.Error("cannot reach FerretDB backend", "error", err)
			_ = client.Close()

			continue
		}

		conns.Store(client, struct{}{})
		conns.Store(server, struct{}{})

		// close both on shutdown even if Accept raced with the Range above
		if ctx.Err() != nil {
			_ = client.Close()
			_ = server.Close()
		}

		wg.Add(1)

		go func() {
			defer wg.Done()
			defer func() {
				_ = client.Close()
				_ = server.Close()
				conns.Delete(client)
				conns.Delete(server)
			}()

			if err := proxyConn(client, server, &mu); err != nil && ctx.Err() == nil && !isClosedErr(err) {
				logger.Warn("proxy connection ended", "client", client.RemoteAddr().String(), "error", err)
			}
		}()
	}

	wg.Wait()
}

const (
	msgHeaderLen = 16
	maxMsgLen    = 48_000_000
	opMsg        = 2013
	moreToCome   = 1 << 1
)

// proxyConn forwards requests from client to server and replies back, holding mu
// from sending a request until its reply has been read.
func proxyConn(client, server net.Conn, mu *sync.Mutex) error {
	cr := bufio.NewReaderSize(client, 64<<10)
	sr := bufio.NewReaderSize(server, 64<<10)

	for {
		req, err := readMessage(cr)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}

			return fmt.Errorf("reading request: %w", err)
		}

		// A fire-and-forget OP_MSG (w:0) expects no reply, but FerretDB v1 sends one anyway.
		noReply := binary.LittleEndian.Uint32(req[12:16]) == opMsg && len(req) >= 20 &&
			binary.LittleEndian.Uint32(req[16:20])&moreToCome != 0

		res, err := roundTrip(server, sr, req, mu)
		if err != nil {
			return err
		}

		if noReply {
			continue
		}

		if _, err = client.Write(res); err != nil {
			return fmt.Errorf("writing reply: %w", err)
		}
	}
}

func roundTrip(server net.Conn, sr *bufio.Reader, req []byte, mu *sync.Mutex) ([]byte, error) {
	mu.Lock()
	defer mu.Unlock()

	if _, err := server.Write(req); err != nil {
		return nil, fmt.Errorf("forwarding request: %w", err)
	}

	// FerretDB closes the connection without replying when a handler panics
	// (e.g. on Decimal128); the client then sees a closed connection, as it would.
	res, err := readMessage(sr)
	if err != nil {
		return nil, fmt.Errorf("reading reply: %w", err)
	}

	return res, nil
}

// readMessage reads one complete wire protocol message (header included).
func readMessage(r *bufio.Reader) ([]byte, error) {
	var header [msgHeaderLen]byte
	if _, err := io.ReadFull(r, header[:]); err != nil {
		return nil, err
	}

	n := int(int32(binary.LittleEndian.Uint32(header[:4])))
	if n < msgHeaderLen || n > maxMsgLen {
		return nil, fmt.Errorf("invalid message length %d", n)
	}

	msg := make([]byte, n)
	copy(msg, header[:])

	if _, err := io.ReadFull(r, msg[msgHeaderLen:]); err != nil {
		return nil, err
	}

	return msg, nil
}

func isClosedErr(err error) bool {
	return errors.Is(err, net.ErrClosed) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// hostPort extracts "host:port" from "mongodb://host:port/".
func hostPort(uri string) (string, error) {
	rest, ok := strings.CutPrefix(uri, "mongodb://")
	if !ok {
		return "", fmt.Errorf("unexpected MongoDB URI %q", uri)
	}

	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		rest = rest[:i]
	}

	if _, _, err := net.SplitHostPort(rest); err != nil {
		return "", fmt.Errorf("unexpected MongoDB URI %q: %w", uri, err)
	}

	return rest, nil
}

func waitDial(ctx context.Context, addr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)

	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			_ = c.Close()
			return nil
		}

		if time.Now().After(deadline) {
			return fmt.Errorf("listener %s not reachable: %w", addr, err)
		}

		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}
