// Command ferretdb-test runs an embedded FerretDB (SQLite backend) speaking the
// MongoDB wire protocol, for the test suite only.
//
// Usage:
//
//	ferretdb-test -listen 127.0.0.1:0 -dir /tmp/some-data-dir
//
// Once the TCP listener is bound and the accept loop is running, a single line
//
//	READY 127.0.0.1:PORT
//
// is printed to stdout (with the real port, so "-listen 127.0.0.1:0" lets the
// kernel pick a free one). Everything else is logged to stderr at warn level.
// The process runs until SIGTERM or SIGINT, or until stdin is closed when
// -exit-on-stdin-eof is given (so it cannot outlive a parent that holds the pipe).
//
// FerretDB is used as a library because `go install .../cmd/ferretdb@v1.24.2`
// builds a binary that panics at start (build/version/version.txt is not part
// of the published module).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (port 0 = pick a free port)")
	dir := flag.String("dir", "", "SQLite data directory (created if missing; required)")
	logLevel := flag.String("log-level", "warn", "log level: debug, info, warn, error")
	exitOnStdinEOF := flag.Bool("exit-on-stdin-eof", false, "shut down when stdin reaches EOF (parent died or closed the pipe)")
	flag.Parse()

	if err := run(*listen, *dir, *logLevel, *exitOnStdinEOF); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-test: %v\n", err)
		os.Exit(1)
	}
}

func run(listen, dir, logLevel string, exitOnStdinEOF bool) error {
	if dir == "" {
		return fmt.Errorf("-dir is required")
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

	// The SQLite handler wants a directory URI ending with a slash.
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: listen},
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

	done := make(chan struct{})

	go func() {
		defer close(done)
		_ = f.Run(ctx)
	}()

	// New() already bound the listener, and Run() starts the accept loop.
	// Confirm end to end by dialing ourselves before announcing readiness.
	// MongoDBURI blocks until the TCP listener is ready.
	addr, err := hostPort(f.MongoDBURI())
	if err != nil {
		stop()
		<-done
		return err
	}

	if err = waitDial(ctx, addr, 10*time.Second); err != nil {
		stop()
		<-done
		return err
	}

	fmt.Fprintf(os.Stdout, "READY %s\n", addr)
	_ = os.Stdout.Sync()

	<-done

	return nil
}

// hostPort extracts "host:port" from "mongodb://host:port/".
func hostPort(uri string) (string, error) {
	const prefix = "mongodb://"

	if len(uri) < len(prefix) || uri[:len(prefix)] != prefix {
		return "", fmt.Errorf("unexpected MongoDB URI %q", uri)
	}

	rest := uri[len(prefix):]
	for i, c := range rest {
		if c == '/' || c == '?' {
			rest = rest[:i]
			break
		}
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
